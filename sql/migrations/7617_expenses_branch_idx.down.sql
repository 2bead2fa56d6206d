-- readb:no-transaction
-- Reverts 7617_expenses_branch_idx.
drop index concurrently if exists rea.expenses_branch_idx;
