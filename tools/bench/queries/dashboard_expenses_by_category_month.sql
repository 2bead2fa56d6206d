-- Dashboard: approved expenses by category and month, in the base currency.
select f.category, f.month, count(*) as expenses, sum(f.amount_base) as total
from reporting.fact_expenses as f -- rls
from reporting.fact_expenses_mv as f -- explicit
where
    f.status = 'approved'
    and f.client_id = %(client_id)s -- explicit
group by f.category, f.month
order by f.month, f.category
