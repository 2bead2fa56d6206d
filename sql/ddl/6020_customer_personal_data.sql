-- Personal data of customers under the Saudi PDPL: sensitive identifiers, consent,
-- legal hold, erasure marker, and each tenant's retention period.
--
-- National id and passport number are stored only encrypted (pgcrypto's
-- pgp_sym_encrypt, AES-256), beside a keyed HMAC of the normalised value for exact
-- lookup. The key is never stored in the database and never written into statement
-- text: the application passes it as a bound parameter to the functions below, which
-- use it only as a value (no dynamic SQL). The HMAC key is derived from the same secret
-- (HMAC-SHA256 of a fixed label under it), so one key is all the application holds.
-- The encrypted and HMAC columns are written only through these functions (6300_grants
-- gives rea_app no write on them), so ciphertext and HMAC always agree.
--
-- An erased customer (rea.erase_customer(), 6030) keeps its row, so deals and bookings
-- still point at it, but none of its personal data: customers_erased_check holds that.
-- Requires: 2040_customers, 6010_tenant_context.

set local role rea_owner;

alter table rea.customers
add column national_id_encrypted bytea,
add column national_id_hmac bytea,
add column passport_number_encrypted bytea,
add column passport_number_hmac bytea,
add column marketing_consent boolean not null default false,
add column marketing_consent_at timestamptz,
add column legal_hold boolean not null default false,
add column legal_hold_reason text,
add column erased_at timestamptz,
add constraint customers_national_id_check
check ((national_id_encrypted is null) = (national_id_hmac is null)),
add constraint customers_passport_number_check
check ((passport_number_encrypted is null) = (passport_number_hmac is null)),
add constraint customers_marketing_consent_check
check (not marketing_consent or marketing_consent_at is not null),
add constraint customers_legal_hold_check
check (not legal_hold or coalesce(btrim(legal_hold_reason), '') <> ''),
add constraint customers_erased_check
check (
    erased_at is null
    or (
        email is null and phone is null and legal_hold_reason is null
        and national_id_encrypted is null and passport_number_encrypted is null
        and not marketing_consent
    )
);

-- A national id belongs to one customer of a tenant; passports may be shared by records
-- of a family business, so only looked up.
create unique index customers_national_id_key
on rea.customers (client_id, national_id_hmac) where national_id_hmac is not null;
create index customers_passport_number_idx
on rea.customers (client_id, passport_number_hmac) where passport_number_hmac is not null;

comment on column rea.customers.national_id_encrypted is
'pgp_sym_encrypt of the normalised national id; written only by rea.set_customer_identifiers().';
comment on column rea.customers.national_id_hmac is
'Keyed HMAC-SHA256 of the normalised national id, for exact lookup (rea.find_customers_by_identifier()).';
comment on column rea.customers.passport_number_encrypted is
'pgp_sym_encrypt of the normalised passport number; written only by rea.set_customer_identifiers().';
comment on column rea.customers.passport_number_hmac is
'Keyed HMAC-SHA256 of the normalised passport number, for exact lookup.';
comment on column rea.customers.marketing_consent is
'The customer agreed to marketing contact; marketing_consent_at says when.';
comment on column rea.customers.legal_hold is
'Kept for a legal obligation (legal_hold_reason): retention does not anonymise it, erasure refuses.';
comment on column rea.customers.erased_at is
'Set by rea.erase_customer(): the row keeps its deals and bookings but no personal data.';

alter table rea.clients
add column customer_retention interval not null default interval '5 years',
add constraint clients_customer_retention_check check (customer_retention >= interval '1 month');

comment on column rea.clients.customer_retention is
'Customers inactive for longer are anonymised by rea.apply_customer_retention(), unless on legal hold.';

create function rea.require_client_id()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    tenant uuid := rea.current_client_id();
begin
    if tenant is null then
        raise exception 'app.client_id is not set'
            using errcode = 'insufficient_privilege',
            hint = 'select set_config(''app.client_id'', <client uuid>, true) in the transaction';
    end if;
    return tenant;
end;
$$;

comment on function rea.require_client_id() is
'The tenant of this transaction, or error 42501 when none is set: for functions that write.';

create function rea.normalise_identifier(value text)
returns text
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select pg_catalog.upper(pg_catalog.regexp_replace(value, '[[:space:]-]', '', 'g'))
$$;

comment on function rea.normalise_identifier(text) is
'Identifier as stored and looked up: upper case, without spaces and dashes.';

create function rea.identifier_hmac(value text, key text)
returns bytea
language sql
immutable
strict
parallel safe
set search_path = ''
as $$
    select extensions.hmac(
        pg_catalog.convert_to(rea.normalise_identifier(value), 'UTF8'),
        extensions.hmac('rea invest identifier lookup'::bytea, pg_catalog.convert_to(key, 'UTF8'), 'sha256'),
        'sha256'
    )
$$;

comment on function rea.identifier_hmac(text, text) is
'Keyed HMAC of a normalised identifier, under a lookup key derived from the encryption key.';

create function rea.check_identifier_key(key text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
    if key is null or pg_catalog.length(key) < 16 then
        raise exception 'the identifier key must have at least 16 characters'
            using errcode = 'invalid_parameter_value';
    end if;
end;
$$;

comment on function rea.check_identifier_key(text) is
'Refuses (22023) a missing or short identifier key.';

create function rea.set_customer_identifiers(
    customer_id uuid, national_id text, passport_number text, key text
)
returns void
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    tenant uuid := rea.require_client_id();
    clean_national_id text := rea.normalise_identifier(national_id);
    clean_passport text := rea.normalise_identifier(passport_number);
begin
    perform rea.check_identifier_key(key);
    if customer_id is null then
        raise exception 'customer_id must not be null' using errcode = 'null_value_not_allowed';
    end if;
    if clean_national_id !~ '^[0-9A-Z]{5,20}$' then
        raise exception 'not a national id' using errcode = 'invalid_parameter_value';
    end if;
    if clean_passport !~ '^[0-9A-Z]{5,20}$' then
        raise exception 'not a passport number' using errcode = 'invalid_parameter_value';
    end if;

    update rea.customers as c
    set
        national_id_encrypted = extensions.pgp_sym_encrypt(clean_national_id, key, 'cipher-algo=aes256'),
        national_id_hmac = rea.identifier_hmac(clean_national_id, key),
        passport_number_encrypted = extensions.pgp_sym_encrypt(clean_passport, key, 'cipher-algo=aes256'),
        passport_number_hmac = rea.identifier_hmac(clean_passport, key)
    where c.client_id = tenant and c.id = set_customer_identifiers.customer_id and c.erased_at is null;
    if not found then
        raise exception 'no customer % in this tenant', customer_id using errcode = 'no_data_found';
    end if;
end;
$$;

comment on function rea.set_customer_identifiers(uuid, text, text, text) is
'Stores a customer''s national id and passport number (NULL clears one) encrypted under key, with their HMACs.';

create function rea.customer_identifiers(customer_id uuid, key text)
returns table (national_id text, passport_number text)
language plpgsql
stable
set search_path = ''
as $$
begin
    perform rea.check_identifier_key(key);
    return query
    select
        extensions.pgp_sym_decrypt(c.national_id_encrypted, key),
        extensions.pgp_sym_decrypt(c.passport_number_encrypted, key)
    from rea.customers as c
    where c.client_id = rea.current_client_id() and c.id = customer_identifiers.customer_id;
end;
$$;

comment on function rea.customer_identifiers(uuid, text) is
'Decrypts a customer''s identifiers (the current tenant''s only, under RLS); a wrong key is error 39000.';

create function rea.find_customers_by_identifier(kind text, value text, key text)
returns setof uuid
language plpgsql
stable
set search_path = ''
as $$
declare
    digest bytea;
begin
    perform rea.check_identifier_key(key);
    if kind is null or kind not in ('national_id', 'passport_number') then
        raise exception 'kind must be national_id or passport_number' using errcode = 'invalid_parameter_value';
    end if;
    digest := rea.identifier_hmac(value, key);
    if kind = 'national_id' then
        return query select c.id from rea.customers as c
        where c.client_id = rea.current_client_id() and c.national_id_hmac = digest;
    else
        return query select c.id from rea.customers as c
        where c.client_id = rea.current_client_id() and c.passport_number_hmac = digest
        order by c.id;
    end if;
end;
$$;

comment on function rea.find_customers_by_identifier(text, text, text) is
'Ids of the current tenant''s customers with this national_id or passport_number, found by HMAC.';

create function rea.rotate_identifier_key(old_key text, new_key text)
returns integer
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
    tenant uuid := rea.require_client_id();
    rotated integer;
begin
    perform rea.check_identifier_key(old_key);
    perform rea.check_identifier_key(new_key);
    -- A wrong old key fails the whole statement (39000): nothing is half rotated.
    with plain as (
        select
            c.id,
            extensions.pgp_sym_decrypt(c.national_id_encrypted, old_key) as national_id,
            extensions.pgp_sym_decrypt(c.passport_number_encrypted, old_key) as passport_number
        from rea.customers as c
        where
            c.client_id = tenant
            and (c.national_id_encrypted is not null or c.passport_number_encrypted is not null)
    )

    update rea.customers as c
    set
        national_id_encrypted = extensions.pgp_sym_encrypt(p.national_id, new_key, 'cipher-algo=aes256'),
        national_id_hmac = rea.identifier_hmac(p.national_id, new_key),
        passport_number_encrypted = extensions.pgp_sym_encrypt(p.passport_number, new_key, 'cipher-algo=aes256'),
        passport_number_hmac = rea.identifier_hmac(p.passport_number, new_key)
    from plain as p
    where c.client_id = tenant and c.id = p.id;
    get diagnostics rotated = row_count;
    return rotated;
end;
$$;

comment on function rea.rotate_identifier_key(text, text) is
'Re-encrypts the current tenant''s identifiers from old_key to new_key and recomputes their HMACs; returns the rows.';
