-- Revert 7200_fact_views_restorable: the materialized views read the tenant tables
-- directly again (as 5000-5020 and 6200 built them), with the same names, indexes,
-- comments, tenant-filtered views and grants.

set local role rea_owner;

drop view reporting.fact_deals;
drop view reporting.fact_expenses;
drop view reporting.fact_bookings;
drop materialized view reporting.fact_deals_mv;
drop materialized view reporting.fact_expenses_mv;
drop materialized view reporting.fact_bookings_mv;
drop function reporting.fact_deals_rows();
drop function reporting.fact_expenses_rows();
drop function reporting.fact_bookings_rows();

create materialized view reporting.fact_deals_mv as
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

create materialized view reporting.fact_expenses_mv as
select
    e.client_id,
    e.id,
    e.expense_date as business_date,
    date_trunc('month', e.expense_date)::date as month,
    coalesce(e.branch_id, p.branch_id) as branch_id,
    e.property_id,
    e.recorded_by,
    e.category,
    e.status,
    e.amount,
    e.currency,
    rea.convert_amount(e.amount, e.currency, c.base_currency, e.expense_date) as amount_base,
    c.base_currency
from rea.expenses as e
inner join rea.clients as c on e.client_id = c.id
left join rea.properties as p on e.client_id = p.client_id and e.property_id = p.id;

create materialized view reporting.fact_bookings_mv as
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

create unique index fact_deals_mv_client_id_key on reporting.fact_deals_mv (client_id, id);
create index fact_deals_mv_month_idx on reporting.fact_deals_mv (client_id, month);
create unique index fact_expenses_mv_client_id_key on reporting.fact_expenses_mv (client_id, id);
create index fact_expenses_mv_month_idx on reporting.fact_expenses_mv (client_id, month);
create unique index fact_bookings_mv_client_id_key on reporting.fact_bookings_mv (client_id, id);
create index fact_bookings_mv_month_idx on reporting.fact_bookings_mv (client_id, month);

comment on materialized view reporting.fact_deals_mv is
'All tenants'' deals for dashboards; roles read reporting.fact_deals, its tenant-filtered view.';
comment on materialized view reporting.fact_expenses_mv is
'All tenants'' expenses for dashboards; roles read reporting.fact_expenses, its tenant-filtered view.';
comment on materialized view reporting.fact_bookings_mv is
'All tenants'' bookings for dashboards; roles read reporting.fact_bookings, its tenant-filtered view.';
comment on column reporting.fact_deals_mv.amount_base is
'amount converted into base_currency at the rate in force on business_date (the deal date).';

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

grant select on reporting.fact_deals, reporting.fact_expenses, reporting.fact_bookings to rea_app;
grant select on reporting.fact_deals, reporting.fact_expenses, reporting.fact_bookings to rea_reporting;
