-- readb:no-transaction
-- Reverts 7611_expenses_pending_approval_idx.
drop index concurrently if exists rea.expenses_pending_approval_idx;
