-- Revert 5010_fact_expenses.

drop materialized view reporting.fact_expenses;
