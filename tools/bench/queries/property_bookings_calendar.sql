-- A property's bookings calendar: bookings overlapping three months.
select b.id, b.status, b.starts_at, b.ends_at, b.customer_id
from rea.bookings as b
where
    b.property_id = %(property_id)s
    and b.starts_at < %(month)s::timestamptz + interval '3 months'
    and b.ends_at > %(month)s::timestamptz
    and b.client_id = %(client_id)s -- explicit
order by b.starts_at
