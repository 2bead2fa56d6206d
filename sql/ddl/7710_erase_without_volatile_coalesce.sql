-- rea.erase_customer() stamps erased_at from a variable rather than calling now() inside
-- coalesce(): Citus runs the update on the customer's shard and refuses non-immutable
-- functions inside CASE or COALESCE there ("non-IMMUTABLE functions are not allowed in
-- CASE or COALESCE statements"); a variable reaches the shard as a constant. Same rule,
-- same result on a single server (tests/test_erasure.py); tests/test_distributable.py
-- keeps such calls out of the project's functions.
-- Requires: 6030_customer_rights.

set local role rea_owner;

create or replace function rea.erase_customer(customer_id uuid)
returns void
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    tenant uuid := rea.require_client_id();
    subject rea.customers;
    erased timestamptz := pg_catalog.now();
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
        erased_at = coalesce(c.erased_at, erased)
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
