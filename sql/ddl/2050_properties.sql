-- rea.properties: what agencies sell and let. Three kinds of listing (listing_type):
--   agency_owned  the agency owns it;
--   branch_owned  one of its branches owns it: branch_id is required;
--   brokerage     sold or let on behalf of an owner: owner_customer_id is required.
-- status follows the property's life: available, reserved (it has an ACTIVE booking,
-- kept by the bookings step), under_offer, sold, rented, withdrawn.
-- features holds flexible attributes as a JSON object with typed keys.
-- Soft delete (deleted_at): deals and bookings keep their property.
-- Requires: 2010_branches, 2040_customers, 1030_money.

create table rea.properties (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    listing_type text not null,
    branch_id uuid,
    owner_customer_id uuid,
    property_type text not null,
    title text not null,
    city text not null,
    district text,
    status text not null default 'available',
    asking_price numeric(19, 4) not null,
    currency text not null,
    area_sqm numeric(10, 2),
    features jsonb not null default '{}',
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint properties_pkey primary key (client_id, id),
    constraint properties_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint properties_branch_fkey foreign key (client_id, branch_id)
    references rea.branches (client_id, id) on delete restrict,
    constraint properties_owner_fkey foreign key (client_id, owner_customer_id)
    references rea.customers (client_id, id) on delete restrict,
    constraint properties_currency_fkey foreign key (currency)
    references rea.currencies (code) on delete restrict,
    constraint properties_listing_type_check
    check (listing_type in ('agency_owned', 'branch_owned', 'brokerage')),
    constraint properties_branch_owned_check
    check (listing_type <> 'branch_owned' or branch_id is not null),
    constraint properties_brokerage_owner_check
    check (listing_type <> 'brokerage' or owner_customer_id is not null),
    constraint properties_property_type_check
    check (property_type in ('apartment', 'villa', 'townhouse', 'land', 'office', 'shop', 'warehouse')),
    constraint properties_status_check
    check (status in ('available', 'reserved', 'under_offer', 'sold', 'rented', 'withdrawn')),
    constraint properties_title_check check (btrim(title) <> ''),
    constraint properties_city_check check (btrim(city) <> ''),
    constraint properties_asking_price_check check (asking_price > 0),
    constraint properties_area_sqm_check check (area_sqm > 0),
    constraint properties_features_check check (
        jsonb_typeof(features) = 'object'
        and coalesce(jsonb_typeof(features -> 'bedrooms') = 'number', true)
        and coalesce(jsonb_typeof(features -> 'bathrooms') = 'number', true)
        and coalesce(jsonb_typeof(features -> 'furnished') = 'boolean', true)
        and coalesce(jsonb_typeof(features -> 'amenities') = 'array', true)
    )
);

create index properties_branch_idx on rea.properties (client_id, branch_id);
create index properties_owner_idx on rea.properties (client_id, owner_customer_id);
create index properties_city_status_idx on rea.properties (client_id, city, status);

comment on table rea.properties is
'Properties an agency sells or lets: agency_owned, branch_owned (has a branch) or brokerage (has an owner).';
comment on column rea.properties.status is
'available, reserved (an ACTIVE booking holds it), under_offer, sold, rented or withdrawn.';
comment on column rea.properties.features is
'JSON object of attributes; bedrooms and bathrooms are numbers, furnished a boolean, amenities an array.';

create trigger properties_touch_updated_at
before update on rea.properties
for each row execute function rea.touch_updated_at();

create trigger properties_minor_units
before insert or update of asking_price, currency on rea.properties
for each row execute function rea.check_minor_units('asking_price', 'currency');
