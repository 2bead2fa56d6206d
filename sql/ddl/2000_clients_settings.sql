-- Per-tenant settings on rea.clients that the domain rules read.
-- expense_approval_threshold: an expense whose amount, converted into the tenant's base
-- currency on the expense date, is above it needs an approved approval (2110).
-- Requires: 1010_clients.

alter table rea.clients
add column expense_approval_threshold numeric(19, 4) not null default 10000,
add constraint clients_expense_approval_threshold_check check (expense_approval_threshold >= 0);

comment on column rea.clients.expense_approval_threshold is
'Expenses above this amount (in base_currency, at the expense date''s rate) need an approved approval.';
