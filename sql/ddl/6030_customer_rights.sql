-- The data subject's rights under the Saudi PDPL, for one customer of the current
-- tenant:
--   rea.export_customer(id)           access: everything held about the customer, as JSON
--   rea.erase_customer(id)            erasure (the contract's function)
--   rea.apply_customer_retention()    anonymises customers inactive beyond the tenant's
--                                     customer_retention, unless on legal hold
-- Erasure keeps the customer's row, deals, bookings and amounts (the agency's books),
-- and removes every piece of personal data: name, e-mail, phone, identifiers, consent,
-- the subject, body and metadata of its communications, and the notes of its bookings.
-- The audit trail never held any of these in clear (6110_audit_triggers redacts personal
-- columns), so the append-only log needs no change, and the erasure is recorded there
-- like any change: which columns changed, by whom, when, without their values.
-- A customer on legal hold cannot be erased (55000): the hold is the legal reason to keep.
-- Requires: 6020_customer_personal_data, 2070_deals, 2120_bookings, 2130_communications.

set local role rea_owner;

create function rea.erase_customer(customer_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    tenant uuid := rea.require_client_id();
    subject rea.customers;
begin
    if customer_id is null then
        raise exception 'customer_id must not be null' using errcode = 'null_value_not_allowed';
    end if;
    select c.* into subject
    from rea.customers as c
    where c.client_id = tenant and c.id = erase_customer.customer_id
    for update;
    if not found then
        raise exception 'no customer % in this tenant', customer_id using errcode = 'no_data_found';
    end if;
    if subject.legal_hold then
        -- not the reason: it may itself be personal data, and errors reach logs
        raise exception 'customer % is on legal hold', customer_id
            using errcode = 'object_not_in_prerequisite_state';
    end if;

    update rea.customers as c
    set
        full_name = 'Erased customer',
        email = null,
        phone = null,
        national_id_encrypted = null,
        national_id_hmac = null,
        passport_number_encrypted = null,
        passport_number_hmac = null,
        marketing_consent = false,
        marketing_consent_at = null,
        legal_hold_reason = null,
        erased_at = coalesce(c.erased_at, pg_catalog.now())
    where c.client_id = tenant and c.id = erase_customer.customer_id;

    -- Communications keep their channel, direction and time; the metadata keeps only
    -- what its channel requires, without content.
    update rea.communications as m
    set
        subject = null,
        body = null,
        metadata = pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
            'duration_seconds', case when m.channel = 'phone' then m.metadata -> 'duration_seconds' end,
            'message_id', case when m.metadata ? 'message_id' then '"erased"'::jsonb end
        ))
    where
        m.client_id = tenant and m.customer_id = erase_customer.customer_id
        and (
            m.subject is not null or m.body is not null or m.metadata - 'duration_seconds' <> '{}'
            or (m.channel <> 'phone' and m.metadata ? 'duration_seconds')
        );

    update rea.bookings as b
    set notes = null
    where b.client_id = tenant and b.customer_id = erase_customer.customer_id and b.notes is not null;
end;
$$;

comment on function rea.erase_customer(uuid) is
'PDPL erasure of a customer of the current tenant: personal data removed everywhere, deals and bookings kept.';

create function rea.export_customer(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
    tenant uuid := rea.require_client_id();
    export jsonb;
begin
    if customer_id is null then
        raise exception 'customer_id must not be null' using errcode = 'null_value_not_allowed';
    end if;
    select pg_catalog.jsonb_build_object(
        'customer', pg_catalog.to_jsonb(c) - array[
            'national_id_encrypted', 'national_id_hmac', 'passport_number_encrypted', 'passport_number_hmac'
        ],
        'identifiers_held', pg_catalog.jsonb_build_object(
            'national_id', c.national_id_encrypted is not null,
            'passport_number', c.passport_number_encrypted is not null
        ),
        'deals', coalesce((
            select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(d) order by d.created_at, d.id)
            from rea.deals as d where d.client_id = tenant and d.customer_id = c.id
        ), '[]'),
        'bookings', coalesce((
            select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(b) order by b.created_at, b.id)
            from rea.bookings as b where b.client_id = tenant and b.customer_id = c.id
        ), '[]'),
        'communications', coalesce((
            select pg_catalog.jsonb_agg(pg_catalog.to_jsonb(m) order by m.occurred_at, m.id)
            from rea.communications as m where m.client_id = tenant and m.customer_id = c.id
        ), '[]')
    )
    into export
    from rea.customers as c
    where c.client_id = tenant and c.id = export_customer.customer_id;
    if export is null then
        raise exception 'no customer % in this tenant', customer_id using errcode = 'no_data_found';
    end if;
    return export;
end;
$$;

comment on function rea.export_customer(uuid) is
'PDPL access: a customer of the current tenant with its deals, bookings and communications, as JSON.'
' Identifiers are reported as held or not; rea.customer_identifiers() decrypts them with the key.';

create function rea.apply_customer_retention(as_of timestamptz default now())
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    tenant uuid := rea.require_client_id();
    retention interval;
    expired uuid;
    erased integer := 0;
begin
    if as_of is null or as_of > pg_catalog.now() then
        raise exception 'as_of must be a time that has passed' using errcode = 'invalid_parameter_value';
    end if;
    select cl.customer_retention into strict retention from rea.clients as cl where cl.id = tenant;

    for expired in
        select c.id
        from rea.customers as c
        where
            c.client_id = tenant
            and c.erased_at is null
            and not c.legal_hold
            and c.updated_at < as_of - retention
            and not exists (
                select from rea.deals as d
                where
                    d.client_id = tenant and d.customer_id = c.id
                    and (d.updated_at >= as_of - retention or d.stage not in ('won', 'lost'))
            )
            and not exists (
                select from rea.bookings as b
                where
                    b.client_id = tenant and b.customer_id = c.id
                    and (b.updated_at >= as_of - retention or b.status in ('PENDING', 'ACTIVE'))
            )
            and not exists (
                select from rea.communications as m
                where m.client_id = tenant and m.customer_id = c.id and m.occurred_at >= as_of - retention
            )
        order by c.id
    loop
        perform rea.erase_customer(expired);
        erased := erased + 1;
    end loop;
    return erased;
end;
$$;

comment on function rea.apply_customer_retention(timestamptz) is
'Erases the current tenant''s customers with no activity within customer_retention before as_of,'
' no open deal or booking, and no legal hold. Returns how many.';
