-- readb:no-transaction
-- Backs expenses_branch_fkey (deleting a branch scanned every expense of the tenant)
-- and a branch's expenses. Requires: 2080_expenses.
create index concurrently if not exists expenses_branch_idx on rea.expenses
(client_id, branch_id);
