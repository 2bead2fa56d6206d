-- reporting.fact_expenses: one row per expense, with month, branch (the expense's own,
-- else its property's), property, category and status, and its amount as entered and
-- in the tenant's base currency at the rate in force on the expense date.
-- A materialized view refreshed concurrently by `readb refresh`; see 5000_fact_deals
-- for how roles reach it.
-- Requires: 2080_expenses, 1020_fx_rates.

create materialized view reporting.fact_expenses as
select
    e.client_id,
    e.id,
    e.expense_date as business_date,
    date_trunc('month', e.expense_date)::date as month,
    coalesce(e.branch_id, p.branch_id) as branch_id,
    e.property_id,
    e.recorded_by,
    e.category,
    e.status,
    e.amount,
    e.currency,
    rea.convert_amount(e.amount, e.currency, c.base_currency, e.expense_date) as amount_base,
    c.base_currency
from rea.expenses as e
inner join rea.clients as c on e.client_id = c.id
left join rea.properties as p on e.client_id = p.client_id and e.property_id = p.id;

create unique index fact_expenses_client_id_key on reporting.fact_expenses (client_id, id);
create index fact_expenses_month_idx on reporting.fact_expenses (client_id, month);

comment on materialized view reporting.fact_expenses is
'One row per expense with its dimensions and amounts as entered and in the tenant''s base currency.';
