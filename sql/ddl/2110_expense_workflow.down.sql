-- Revert 2110_expense_workflow.

drop trigger expenses_cancel_open_approvals on rea.expenses;
drop trigger expenses_approval on rea.expenses;
drop function rea.expenses_enforce_approval();
