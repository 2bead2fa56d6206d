-- readb:no-transaction
-- Backs expenses_recorded_by_fkey (see 7613) and a user's recorded expenses. Requires:
-- 2080_expenses.
create index concurrently if not exists expenses_recorded_by_idx on rea.expenses
(client_id, recorded_by);
