-- Revert 2040_customers.

drop table rea.customers;
