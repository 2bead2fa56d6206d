-- rea.clients: the tenants, the real-estate agencies that use REA INVEST. Every
-- tenant-owned table carries client_id referencing this table, and row-level
-- security keys on it. base_currency is the currency the tenant reports in:
-- reporting converts every amount into it.
-- status: active clients work normally; suspended ones are kept but locked out
-- (enforced with the security steps); closed ones are kept for retention only.
-- Requires: 0130_uuid_v7, 0140_touch_updated_at, 1000_currencies.

create table rea.clients (
    id uuid not null default rea.uuid_v7(),
    name text not null,
    base_currency text not null,
    status text not null default 'active',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint clients_pkey primary key (id),
    constraint clients_name_check check (btrim(name) <> '' and length(name) <= 200),
    constraint clients_status_check check (status in ('active', 'suspended', 'closed')),
    constraint clients_base_currency_fkey foreign key (base_currency)
    references rea.currencies (code) on update restrict on delete restrict
);

-- Two agencies may not share a name, whatever its letter case.
create unique index clients_name_key on rea.clients (lower(name));

comment on table rea.clients is
'Tenants: the agencies using REA INVEST. Tenant tables reference it through client_id.';
comment on column rea.clients.base_currency is
'Currency the tenant reports in; reporting converts every amount into it.';
comment on column rea.clients.status is
'active, suspended (kept, locked out) or closed (kept for retention only).';

create trigger clients_touch_updated_at
before update on rea.clients
for each row execute function rea.touch_updated_at();
