-- rea.fx_rates: daily exchange rates, and rea.fx_rate() / rea.convert_amount(), the one
-- way amounts move between currencies. A reference table shared by all tenants (no
-- client_id): a rate is a fact about the market, not about an agency.
-- A row says: on rate_date, 1 unit of base_currency buys `rate` units of quote_currency.
-- The rate in force on a date is the latest one on or before it, stored either way
-- round: a rate for the opposite pair counts as its inverse (the direct one wins a tie).
-- No rate at all is an error (SQLSTATE P0002), and so is a currency that is not in
-- rea.currencies (22023): never a silent NULL or 1.0.
-- Requires: 1000_currencies.

create table rea.fx_rates (
    base_currency text not null,
    quote_currency text not null,
    rate_date date not null,
    rate numeric(20, 10) not null,
    source text not null default 'manual',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint fx_rates_pkey primary key (base_currency, quote_currency, rate_date),
    constraint fx_rates_base_currency_fkey foreign key (base_currency)
    references rea.currencies (code) on delete restrict,
    constraint fx_rates_quote_currency_fkey foreign key (quote_currency)
    references rea.currencies (code) on delete restrict,
    constraint fx_rates_pair_check check (base_currency <> quote_currency),
    constraint fx_rates_rate_check check (rate > 0)
);

comment on table rea.fx_rates is
'Daily exchange rates: 1 base_currency = rate quote_currency on rate_date. Shared by all tenants.';
comment on column rea.fx_rates.source is 'Where the rate came from (a central bank, a feed, manual).';

create trigger fx_rates_touch_updated_at
before update on rea.fx_rates
for each row execute function rea.touch_updated_at();

create function rea.fx_rate(from_currency text, to_currency text, on_date date)
returns numeric
language plpgsql
stable
parallel safe
set search_path = ''
as $$
declare
    direct record;
    inverse record;
begin
    if from_currency is null or to_currency is null or on_date is null then
        raise exception 'fx_rate needs two currencies and a date'
            using errcode = 'null_value_not_allowed';
    end if;
    if from_currency = to_currency then
        return 1;
    end if;
    -- the PK (base, quote, rate_date) serves both look-ups with one index probe each
    select r.rate, r.rate_date into direct
    from rea.fx_rates as r
    where r.base_currency = from_currency and r.quote_currency = to_currency
        and r.rate_date <= on_date
    order by r.rate_date desc
    limit 1;
    select r.rate, r.rate_date into inverse
    from rea.fx_rates as r
    where r.base_currency = to_currency and r.quote_currency = from_currency
        and r.rate_date <= on_date
    order by r.rate_date desc
    limit 1;
    if direct.rate is not null and (inverse.rate is null or direct.rate_date >= inverse.rate_date) then
        return direct.rate;
    end if;
    if inverse.rate is not null then
        return 1 / inverse.rate;
    end if;
    raise exception 'no exchange rate from % to % on or before %', from_currency, to_currency, on_date
        using errcode = 'no_data_found', hint = 'load the rate into rea.fx_rates';
end;
$$;

comment on function rea.fx_rate(text, text, date) is
'Units of to_currency for 1 from_currency on on_date: the latest rate on or before it, stored '
'either way round (the opposite pair as its inverse); raises P0002 when there is none.';

create function rea.convert_amount(amount numeric, from_currency text, to_currency text, on_date date)
returns numeric
language plpgsql
stable
parallel safe
set search_path = ''
as $$
declare
    digits smallint;
begin
    if amount is null then
        return null;  -- no amount (a booking without deposit) converts to no amount
    end if;
    select c.minor_units into digits from rea.currencies as c where c.code = to_currency;
    if digits is null then
        raise exception 'unknown currency %', to_currency using errcode = 'invalid_parameter_value';
    end if;
    return pg_catalog.round(amount * rea.fx_rate(from_currency, to_currency, on_date), digits);
end;
$$;

comment on function rea.convert_amount(numeric, text, text, date) is
'amount in from_currency, converted at the rate in force on on_date and rounded to the minor units '
'of to_currency; null for a null amount; raises for an unknown currency or a missing rate.';
