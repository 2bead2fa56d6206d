-- Available properties with a number of bedrooms, furnished.
select p.id, p.title, p.city, p.asking_price, p.currency
from rea.properties as p
where
    p.features @> %(features)s::jsonb
    and p.status = 'available'
    and p.deleted_at is null
    and p.client_id = %(client_id)s -- explicit
order by p.asking_price, p.id
limit 20
