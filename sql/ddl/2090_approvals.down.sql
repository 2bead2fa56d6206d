-- Revert 2090_approvals.

drop table rea.approvals;
drop function rea.approvals_enforce_workflow();
drop function rea.cancel_pending_approvals();
