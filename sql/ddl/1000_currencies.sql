-- rea.currencies: ISO 4217 currencies with their minor units (SAR has 2 decimals,
-- KWD 3, JPY 0). A reference table shared by all tenants (no client_id); money columns
-- everywhere reference its code, so an amount's currency is always a known one.
-- Rows are data: adding a currency is an insert in a later step.
-- Requires: 0120_schemas, 0140_touch_updated_at.

create table rea.currencies (
    code text not null,
    name text not null,
    minor_units smallint not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint currencies_pkey primary key (code),
    constraint currencies_code_check check (code ~ '^[A-Z]{3}$'),
    constraint currencies_name_check check (btrim(name) <> ''),
    constraint currencies_minor_units_check check (minor_units between 0 and 4)
);

comment on table rea.currencies is
'ISO 4217 currencies. Reference data shared by all tenants; read-only to the application.';
comment on column rea.currencies.code is 'ISO 4217 alphabetic code, e.g. SAR.';
comment on column rea.currencies.minor_units is
'Digits after the decimal point in amounts of this currency (ISO 4217 minor unit).';

create trigger currencies_touch_updated_at
before update on rea.currencies
for each row execute function rea.touch_updated_at();

insert into rea.currencies (code, name, minor_units) values
('AED', 'UAE Dirham', 2),
('BHD', 'Bahraini Dinar', 3),
('CHF', 'Swiss Franc', 2),
('CNY', 'Yuan Renminbi', 2),
('EGP', 'Egyptian Pound', 2),
('EUR', 'Euro', 2),
('GBP', 'Pound Sterling', 2),
('INR', 'Indian Rupee', 2),
('JOD', 'Jordanian Dinar', 3),
('JPY', 'Yen', 0),
('KWD', 'Kuwaiti Dinar', 3),
('OMR', 'Rial Omani', 3),
('QAR', 'Qatari Rial', 2),
('SAR', 'Saudi Riyal', 2),
('TRY', 'Turkish Lira', 2),
('USD', 'US Dollar', 2);
