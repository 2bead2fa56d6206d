-- A customer by national id, through the blind index (keyed HMAC).
select c.id, c.full_name
from rea.customers as c
where
    c.national_id_hmac = rea.identifier_hmac(%(national_id)s, %(identifier_key)s)
    and c.client_id = %(client_id)s -- explicit
