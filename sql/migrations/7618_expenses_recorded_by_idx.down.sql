-- readb:no-transaction
-- Reverts 7618_expenses_recorded_by_idx.
drop index concurrently if exists rea.expenses_recorded_by_idx;
