-- Revert 2100_deal_workflow.

drop trigger deals_cancel_open_approvals on rea.deals;
drop trigger deals_workflow on rea.deals;
drop function rea.deals_enforce_workflow();
