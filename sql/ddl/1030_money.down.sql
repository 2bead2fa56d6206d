-- Revert 1030_money.

drop function rea.check_minor_units();
