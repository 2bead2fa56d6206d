-- rea.commission_rules: how much an agency earns on a deal, per listing type and deal
-- type, for a period. A rule pays a percentage of the deal amount or a fixed amount in
-- a currency, never both. Periods of the same rule key (tenant, listing type, deal type)
-- never overlap, so exactly one rule is in force on any date: an exclusion constraint
-- holds that under any concurrency.
-- Requires: 2050_properties (listing types), 0110_extensions (btree_gist), 1030_money.

create table rea.commission_rules (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    listing_type text not null,
    deal_type text not null,
    percentage numeric(5, 2),
    fixed_amount numeric(19, 4),
    currency text,
    effective daterange not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint commission_rules_pkey primary key (client_id, id),
    constraint commission_rules_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint commission_rules_currency_fkey foreign key (currency)
    references rea.currencies (code) on delete restrict,
    constraint commission_rules_listing_type_check
    check (listing_type in ('agency_owned', 'branch_owned', 'brokerage')),
    constraint commission_rules_deal_type_check check (deal_type in ('sale', 'rental')),
    constraint commission_rules_one_basis_check check (num_nonnulls(percentage, fixed_amount) = 1),
    constraint commission_rules_percentage_check check (percentage > 0 and percentage <= 100),
    constraint commission_rules_fixed_amount_check check (fixed_amount > 0),
    constraint commission_rules_fixed_currency_check
    check ((fixed_amount is null) = (currency is null)),
    constraint commission_rules_effective_check check (not isempty(effective)),
    constraint commission_rules_no_overlap_excl exclude using gist (
        client_id with =, listing_type with =, deal_type with =, effective with &&
    )
);

comment on table rea.commission_rules is
'Commission per tenant, listing type and deal type over an effective period: a percentage or a fixed amount.';
comment on column rea.commission_rules.effective is
'Dates the rule is in force; periods of one (client, listing_type, deal_type) never overlap.';
comment on column rea.commission_rules.currency is 'Currency of fixed_amount; null for a percentage.';

create trigger commission_rules_touch_updated_at
before update on rea.commission_rules
for each row execute function rea.touch_updated_at();

create trigger commission_rules_minor_units
before insert or update of fixed_amount, currency on rea.commission_rules
for each row execute function rea.check_minor_units('fixed_amount', 'currency');
