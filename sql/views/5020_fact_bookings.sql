-- reporting.fact_bookings: one row per booking, with month (of its start), branch,
-- agent, listing type, status and duration in days, and its deposit as entered
-- (amount, currency; null when none was taken) and in the tenant's base currency at
-- the rate in force on the day the booking starts.
-- A materialized view refreshed concurrently by `readb refresh`; see 5000_fact_deals
-- for how roles reach it.
-- Requires: 2120_bookings, 1020_fx_rates.

create materialized view reporting.fact_bookings as
select
    b.client_id,
    b.id,
    b.starts_at::date as business_date,
    date_trunc('month', b.starts_at)::date as month,
    b.property_id,
    p.branch_id,
    b.agent_user_id,
    p.listing_type,
    b.status,
    round(extract(epoch from b.ends_at - b.starts_at) / 86400, 2) as duration_days,
    b.deposit_amount as amount,
    b.deposit_currency as currency,
    rea.convert_amount(
        b.deposit_amount, b.deposit_currency, c.base_currency, b.starts_at::date
    ) as amount_base,
    c.base_currency
from rea.bookings as b
inner join rea.properties as p on b.client_id = p.client_id and b.property_id = p.id
inner join rea.clients as c on b.client_id = c.id;

create unique index fact_bookings_client_id_key on reporting.fact_bookings (client_id, id);
create index fact_bookings_month_idx on reporting.fact_bookings (client_id, month);

comment on materialized view reporting.fact_bookings is
'One row per booking with its dimensions, duration and deposit as entered and in the tenant''s base currency.';
