-- The approvals inbox of an approver's branch: pending approvals requested from it.
select a.id, a.subject_type, a.deal_id, a.expense_id, a.reason, a.requested_at
from rea.approvals as a
inner join rea.users as u on a.client_id = u.client_id and a.requested_by = u.id
where
    a.status = 'pending'
    and u.branch_id = %(branch_id)s
    and a.client_id = %(client_id)s -- explicit
order by a.requested_at, a.id
limit 50
