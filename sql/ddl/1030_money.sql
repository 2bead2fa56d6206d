-- Money. Amounts are numeric(19, 4): four decimals cover every ISO 4217 currency, and
-- never float. rea.check_minor_units() holds an amount to its own currency's minor
-- units (SAR 10.50 is fine, SAR 10.505 is not; KWD has three decimals, JPY none),
-- which a column type cannot, since the currency varies per row. Each money table
-- attaches it with its (amount column, currency column) pairs as trigger arguments.
-- Violations raise 23514 naming <table>_<amount column>_minor_units_check.
-- Requires: 1000_currencies.

create function rea.check_minor_units()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    fields jsonb := pg_catalog.to_jsonb(new);
    amount numeric;
    currency text;
    digits smallint;
begin
    for pair in 0 .. tg_nargs - 1 by 2 loop
        amount := (fields ->> tg_argv[pair])::numeric;
        currency := fields ->> tg_argv[pair + 1];
        if amount is not null and currency is not null then
            select c.minor_units into digits from rea.currencies as c where c.code = currency;
            if amount <> pg_catalog.round(amount, digits) then
                raise exception '% % has more decimals than the % of %', amount, currency, digits, currency
                    using errcode = 'check_violation',
                    constraint = tg_table_name || '_' || tg_argv[pair] || '_minor_units_check';
            end if;
        end if;
    end loop;
    return new;
end;
$$;

comment on function rea.check_minor_units() is
'BEFORE INSERT OR UPDATE trigger; arguments: (amount column, currency column) pairs. '
'An amount may have no more decimals than its currency''s minor units.';
