-- Revert 5000_fact_deals.

drop materialized view reporting.fact_deals;
