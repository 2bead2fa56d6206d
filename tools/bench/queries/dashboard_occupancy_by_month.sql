-- Dashboard: booked days by month (occupancy), bookings that were or are active.
select f.month, count(*) as bookings, sum(f.duration_days) as booked_days
from reporting.fact_bookings as f -- rls
from reporting.fact_bookings_mv as f -- explicit
where
    f.status in ('ACTIVE', 'COMPLETED')
    and f.client_id = %(client_id)s -- explicit
group by f.month
order by f.month
