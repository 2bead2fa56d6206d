-- Dashboard: won revenue and commission by branch and month, in the base currency.
select f.branch_id, f.month, count(*) as deals, sum(f.amount_base) as revenue, sum(f.commission_base) as commission
from reporting.fact_deals as f -- rls
from reporting.fact_deals_mv as f -- explicit
where
    f.stage = 'won'
    and f.client_id = %(client_id)s -- explicit
group by f.branch_id, f.month
order by f.month, f.branch_id
