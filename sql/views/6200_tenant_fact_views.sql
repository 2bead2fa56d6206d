-- The fact views as the roles see them: per tenant.
-- Materialized views ignore row-level security, so the materialized views are renamed
-- fact_*_mv and granted to no role; reporting.fact_deals, fact_expenses and
-- fact_bookings (the contract's names, same columns) become views over them that keep
-- the rows of the current tenant only. They are security barrier views, so no
-- function in a caller's WHERE clause sees another tenant's rows before the filter.
-- The filter reads the tenant once per statement and uses the (client_id, id) and
-- (client_id, month) indexes of the materialized views; no tenant set, no rows.
-- `readb refresh` refreshes the fact_*_mv materialized views.
-- Requires: 5000_fact_deals, 5010_fact_expenses, 5020_fact_bookings, 6010_tenant_context.

set local role rea_owner;

alter materialized view reporting.fact_deals rename to fact_deals_mv;
alter materialized view reporting.fact_expenses rename to fact_expenses_mv;
alter materialized view reporting.fact_bookings rename to fact_bookings_mv;

alter index reporting.fact_deals_client_id_key rename to fact_deals_mv_client_id_key;
alter index reporting.fact_deals_month_idx rename to fact_deals_mv_month_idx;
alter index reporting.fact_expenses_client_id_key rename to fact_expenses_mv_client_id_key;
alter index reporting.fact_expenses_month_idx rename to fact_expenses_mv_month_idx;
alter index reporting.fact_bookings_client_id_key rename to fact_bookings_mv_client_id_key;
alter index reporting.fact_bookings_month_idx rename to fact_bookings_mv_month_idx;

comment on materialized view reporting.fact_deals_mv is
'All tenants'' deals for dashboards; roles read reporting.fact_deals, its tenant-filtered view.';
comment on materialized view reporting.fact_expenses_mv is
'All tenants'' expenses for dashboards; roles read reporting.fact_expenses, its tenant-filtered view.';
comment on materialized view reporting.fact_bookings_mv is
'All tenants'' bookings for dashboards; roles read reporting.fact_bookings, its tenant-filtered view.';

create view reporting.fact_deals with (security_barrier) as
select
    f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.deal_type,
    f.stage,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency,
    f.commission_amount,
    f.commission_currency,
    f.commission_base,
    f.closed_at
from reporting.fact_deals_mv as f
where f.client_id = (select rea.current_client_id());

create view reporting.fact_expenses with (security_barrier) as
select
    f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.property_id,
    f.recorded_by,
    f.category,
    f.status,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
from reporting.fact_expenses_mv as f
where f.client_id = (select rea.current_client_id());

create view reporting.fact_bookings with (security_barrier) as
select
    f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.property_id,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.status,
    f.duration_days,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
from reporting.fact_bookings_mv as f
where f.client_id = (select rea.current_client_id());

comment on view reporting.fact_deals is
'Deals of the current tenant (app.client_id), with amounts as entered and in the base currency.';
comment on view reporting.fact_expenses is
'Expenses of the current tenant (app.client_id), with amounts as entered and in the base currency.';
comment on view reporting.fact_bookings is
'Bookings of the current tenant (app.client_id), with deposits as entered and in the base currency.';
