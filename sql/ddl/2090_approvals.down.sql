-- Revert 2090_approvals.

drop table rea.approvals;
drop function rea.approvals_enforce_workflow();
