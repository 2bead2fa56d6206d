-- rea.bookings: a customer's hold on one property for a period.
-- Rule: at most one ACTIVE booking per property, enforced by the partial unique index
-- bookings_one_active_per_property_key, so two racing transactions cannot both win:
-- the second waits for the first and then fails with 23505.
-- status (upper case: the contract names ACTIVE): PENDING or ACTIVE when made, then
--   PENDING -> ACTIVE | CANCELLED | EXPIRED,  ACTIVE -> COMPLETED | CANCELLED | EXPIRED;
-- CANCELLED, EXPIRED and COMPLETED are final. The period ends after it starts.
-- The property follows its booking: a booking is made, and becomes ACTIVE, only while
-- the property is available or reserved (not deleted, under offer, sold, rented or
-- withdrawn); when a booking becomes ACTIVE the property becomes reserved, and when
-- that booking stops being ACTIVE a reserved property is available again. Selling or
-- letting it is the deal's business, not the booking's.
-- Requires: 2050_properties, 2040_customers, 2020_users, 1030_money.

create table rea.bookings (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    property_id uuid not null,
    customer_id uuid not null,
    agent_user_id uuid,
    status text not null default 'PENDING',
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    deposit_amount numeric(19, 4),
    deposit_currency text,
    notes text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint bookings_pkey primary key (client_id, id),
    constraint bookings_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint bookings_property_fkey foreign key (client_id, property_id)
    references rea.properties (client_id, id) on delete restrict,
    constraint bookings_customer_fkey foreign key (client_id, customer_id)
    references rea.customers (client_id, id) on delete restrict,
    constraint bookings_agent_fkey foreign key (client_id, agent_user_id)
    references rea.users (client_id, id) on delete restrict,
    constraint bookings_deposit_currency_fkey foreign key (deposit_currency)
    references rea.currencies (code) on delete restrict,
    constraint bookings_status_check
    check (status in ('PENDING', 'ACTIVE', 'CANCELLED', 'EXPIRED', 'COMPLETED')),
    constraint bookings_period_check check (ends_at > starts_at),
    constraint bookings_deposit_check
    check ((deposit_amount is null) = (deposit_currency is null) and deposit_amount > 0)
);

create unique index bookings_one_active_per_property_key on rea.bookings (client_id, property_id)
where status = 'ACTIVE';
create index bookings_property_idx on rea.bookings (client_id, property_id, starts_at);
create index bookings_customer_idx on rea.bookings (client_id, customer_id);

comment on table rea.bookings is
'A customer''s hold on a property for a period; at most one ACTIVE booking per property.';
comment on column rea.bookings.status is
'PENDING, ACTIVE, CANCELLED, EXPIRED or COMPLETED; the last three are final.';

create trigger bookings_touch_updated_at
before update on rea.bookings
for each row execute function rea.touch_updated_at();

create trigger bookings_minor_units
before insert or update of deposit_amount, deposit_currency on rea.bookings
for each row execute function rea.check_minor_units('deposit_amount', 'deposit_currency');

create function rea.bookings_enforce_workflow()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    old_status text := case when tg_op = 'UPDATE' then old.status end;
    property_status text;
begin
    if tg_op = 'INSERT' and new.status not in ('PENDING', 'ACTIVE') then
        raise exception 'a booking starts PENDING or ACTIVE, not %', new.status
            using errcode = 'check_violation', constraint = 'bookings_status_transition_check';
    end if;
    if tg_op = 'UPDATE' then
        if (new.property_id, new.customer_id) is distinct from (old.property_id, old.customer_id) then
            raise exception 'a booking''s property and customer never change'
                using errcode = 'check_violation', constraint = 'bookings_status_transition_check';
        end if;
        if new.status <> old.status and not (
            (old.status = 'PENDING' and new.status in ('ACTIVE', 'CANCELLED', 'EXPIRED'))
            or (old.status = 'ACTIVE' and new.status in ('COMPLETED', 'CANCELLED', 'EXPIRED'))
        ) then
            raise exception 'a booking cannot move from % to %', old.status, new.status
                using errcode = 'check_violation', constraint = 'bookings_status_transition_check';
        end if;
    end if;
    if tg_op = 'INSERT' or (new.status = 'ACTIVE' and old_status is distinct from 'ACTIVE') then
        select p.status into property_status
        from rea.properties as p
        where p.client_id = new.client_id and p.id = new.property_id and p.deleted_at is null;
        if property_status is null or property_status not in ('available', 'reserved') then
            raise exception 'property % is not available for booking (%)',
                new.property_id, coalesce(property_status, 'deleted')
                using errcode = 'check_violation', constraint = 'bookings_property_available_check';
        end if;
    end if;
    return new;
end;
$$;

comment on function rea.bookings_enforce_workflow() is
'BEFORE INSERT OR UPDATE on rea.bookings: status machine; only available or reserved properties are booked.';

create trigger bookings_workflow
before insert or update on rea.bookings
for each row execute function rea.bookings_enforce_workflow();

create function rea.bookings_sync_property_status()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    if new.status = 'ACTIVE' and (tg_op = 'INSERT' or old.status <> 'ACTIVE') then
        update rea.properties set status = 'reserved'
        where client_id = new.client_id and id = new.property_id and status = 'available';
    elsif tg_op = 'UPDATE' and old.status = 'ACTIVE' and new.status <> 'ACTIVE' then
        update rea.properties set status = 'available'
        where client_id = new.client_id and id = new.property_id and status = 'reserved';
    end if;
    return null;
end;
$$;

comment on function rea.bookings_sync_property_status() is
'AFTER INSERT OR UPDATE on rea.bookings: an ACTIVE booking reserves its property, and releases it when it ends.';

create trigger bookings_property_status
after insert or update of status on rea.bookings
for each row execute function rea.bookings_sync_property_status();
