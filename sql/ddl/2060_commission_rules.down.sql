-- Revert 2060_commission_rules.

drop table rea.commission_rules;
