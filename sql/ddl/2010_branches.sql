-- rea.branches: an agency's offices. Properties may belong to a branch (branch_owned
-- listings must), users work at one, and reports break figures down by branch.
-- Tenant table: primary key (client_id, id); every reference to it carries client_id,
-- so nothing can point at another tenant's branch.
-- Requires: 1010_clients.

create table rea.branches (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    name text not null,
    city text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint branches_pkey primary key (client_id, id),
    constraint branches_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint branches_name_check check (btrim(name) <> ''),
    constraint branches_city_check check (btrim(city) <> '')
);

create unique index branches_name_key on rea.branches (client_id, lower(name));

comment on table rea.branches is 'Offices of an agency (tenant).';

create trigger branches_touch_updated_at
before update on rea.branches
for each row execute function rea.touch_updated_at();
