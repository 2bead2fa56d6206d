-- A customer's timeline: the latest 50 communications.
select m.occurred_at, m.channel, m.direction, m.subject, m.user_id
from rea.communications as m
where
    m.customer_id = %(customer_id)s
    and m.client_id = %(client_id)s -- explicit
order by m.occurred_at desc
limit 50
