-- Available properties in a city, cheapest first, second page of 20.
select p.id, p.title, p.district, p.asking_price, p.currency
from rea.properties as p
where
    p.city = %(city)s
    and p.status = 'available'
    and p.deleted_at is null
    and p.client_id = %(client_id)s -- explicit
order by p.asking_price, p.id
limit 20 offset 20
