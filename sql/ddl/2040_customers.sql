-- rea.customers: buyers, tenants-to-be and property owners an agency deals with.
-- Personal data lives here (full_name, email, phone); the security steps add its
-- encryption, erasure and retention. Soft delete (deleted_at): a customer's deals and
-- bookings must keep pointing at a row, so rows are never hard-deleted by the application.
-- Requires: 1010_clients.

create table rea.customers (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    kind text not null default 'individual',
    full_name text not null,
    email public.citext,
    phone text,
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint customers_pkey primary key (client_id, id),
    constraint customers_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint customers_kind_check check (kind in ('individual', 'company')),
    constraint customers_full_name_check check (btrim(full_name) <> ''),
    constraint customers_email_check check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    constraint customers_phone_check check (phone ~ '^\+?[0-9][0-9 ()-]{5,19}$')
);

create index customers_email_idx on rea.customers (client_id, email);
create index customers_full_name_idx on rea.customers (client_id, lower(full_name));

comment on table rea.customers is
'Buyers, renters and owners an agency deals with. Holds personal data; soft-deleted only.';
comment on column rea.customers.deleted_at is 'Set instead of deleting: deals and bookings keep their customer.';

create trigger customers_touch_updated_at
before update on rea.customers
for each row execute function rea.touch_updated_at();
