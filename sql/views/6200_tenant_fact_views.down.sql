-- Revert 6200_tenant_fact_views.

drop view reporting.fact_bookings;
drop view reporting.fact_expenses;
drop view reporting.fact_deals;

alter index reporting.fact_deals_mv_client_id_key rename to fact_deals_client_id_key;
alter index reporting.fact_deals_mv_month_idx rename to fact_deals_month_idx;
alter index reporting.fact_expenses_mv_client_id_key rename to fact_expenses_client_id_key;
alter index reporting.fact_expenses_mv_month_idx rename to fact_expenses_month_idx;
alter index reporting.fact_bookings_mv_client_id_key rename to fact_bookings_client_id_key;
alter index reporting.fact_bookings_mv_month_idx rename to fact_bookings_month_idx;

alter materialized view reporting.fact_bookings_mv rename to fact_bookings;
alter materialized view reporting.fact_expenses_mv rename to fact_expenses;
alter materialized view reporting.fact_deals_mv rename to fact_deals;

comment on materialized view reporting.fact_deals is
'One row per live deal with its dimensions and amounts as entered and in the tenant''s base currency.';
comment on materialized view reporting.fact_expenses is
'One row per expense with its dimensions and amounts as entered and in the tenant''s base currency.';
comment on materialized view reporting.fact_bookings is
'One row per booking with its dimensions, duration and deposit as entered and in the tenant''s base currency.';
