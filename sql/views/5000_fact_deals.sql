-- reporting.fact_deals: one row per deal (soft-deleted ones left out), with the
-- dimensions a dashboard groups by (month, branch, agent, listing type, deal type,
-- stage) and its amounts as entered (amount, currency) and in the tenant's base
-- currency at the rate in force on the deal date (amount_base, base_currency).
-- A materialized view: dashboards read it, `readb refresh` rebuilds it concurrently
-- (its unique index on (client_id, id) allows that). Materialized views ignore RLS, so
-- the security steps give roles tenant-filtered views over it, never the view itself.
-- A deal in a currency without a rate makes the refresh fail loudly (P0002).
-- Requires: 2070_deals, 2100_deal_workflow, 1020_fx_rates.

create materialized view reporting.fact_deals as
select
    d.client_id,
    d.id,
    d.deal_date as business_date,
    date_trunc('month', d.deal_date)::date as month,
    p.branch_id,
    d.agent_user_id,
    p.listing_type,
    d.deal_type,
    d.stage,
    d.amount,
    d.currency,
    rea.convert_amount(d.amount, d.currency, c.base_currency, d.deal_date) as amount_base,
    c.base_currency,
    d.commission_amount,
    d.commission_currency,
    rea.convert_amount(
        d.commission_amount, d.commission_currency, c.base_currency, d.deal_date
    ) as commission_base,
    d.closed_at
from rea.deals as d
inner join rea.properties as p on d.client_id = p.client_id and d.property_id = p.id
inner join rea.clients as c on d.client_id = c.id
where d.deleted_at is null;

create unique index fact_deals_client_id_key on reporting.fact_deals (client_id, id);
create index fact_deals_month_idx on reporting.fact_deals (client_id, month);

comment on materialized view reporting.fact_deals is
'One row per live deal with its dimensions and amounts as entered and in the tenant''s base currency.';
comment on column reporting.fact_deals.amount_base is
'amount converted into base_currency at the rate in force on business_date (the deal date).';
