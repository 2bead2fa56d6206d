-- A customer by e-mail address, as typed (any case).
select c.id, c.full_name, c.email, c.phone
from rea.customers as c
where
    c.email = %(email)s
    and c.deleted_at is null
    and c.client_id = %(client_id)s -- explicit
