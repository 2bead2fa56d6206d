-- readb:no-transaction
-- Expenses awaiting approval, oldest first: a partial index holds only the few pending
-- ones, in the order the list shows them, so the list reads its 50 rows and stops
-- instead of visiting every expense of the tenant (17.6 ms p95 in issue 13's
-- benchmark, 6,672 heap pages). Requires: 2080_expenses.
create index concurrently if not exists expenses_pending_approval_idx on rea.expenses
(client_id, expense_date, id) where status = 'pending_approval';
