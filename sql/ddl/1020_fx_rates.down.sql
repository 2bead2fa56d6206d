-- Revert 1020_fx_rates.

drop function rea.convert_amount(numeric, text, text, date);
drop function rea.fx_rate(text, text, date);
drop table rea.fx_rates;
