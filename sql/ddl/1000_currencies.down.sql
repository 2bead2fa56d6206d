-- Revert 1000_currencies.

drop table rea.currencies;
