-- A customer by phone number (the caller id of an incoming call).
select c.id, c.full_name, c.email, c.phone
from rea.customers as c
where
    c.phone = %(phone)s
    and c.deleted_at is null
    and c.client_id = %(client_id)s -- explicit
