-- Expenses awaiting approval, oldest first.
select e.id, e.category, e.amount, e.currency, e.expense_date, e.recorded_by
from rea.expenses as e
where
    e.status = 'pending_approval'
    and e.client_id = %(client_id)s -- explicit
order by e.expense_date, e.id
limit 50
