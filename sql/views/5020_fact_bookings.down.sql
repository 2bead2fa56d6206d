-- Revert 5020_fact_bookings.

drop materialized view reporting.fact_bookings;
