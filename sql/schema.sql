--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: audit; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA audit;

--
-- Name: SCHEMA audit; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA audit IS 'Append-only audit trail of every change to the rea schema.';

--
-- Name: extensions; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA extensions;

--
-- Name: SCHEMA extensions; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA extensions IS 'Extensions used by the REA INVEST schema.';

--
-- Name: rea; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA rea;

--
-- Name: SCHEMA rea; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA rea IS 'REA INVEST domain: tenants, properties, customers, deals and the rest.';

--
-- Name: reporting; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA reporting;

--
-- Name: SCHEMA reporting; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA reporting IS 'Reporting views over the rea schema, per tenant.';

--
-- Name: btree_gist; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA extensions;

--
-- Name: EXTENSION btree_gist; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gist IS 'support for indexing common datatypes in GiST';

--
-- Name: citext; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;

--
-- Name: EXTENSION citext; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION citext IS 'data type for case-insensitive character strings';

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: approvals_enforce_workflow(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.approvals_enforce_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
    if tg_op = 'INSERT' then
        if new.status <> 'pending' then
            raise exception 'an approval starts pending, not %', new.status
                using errcode = 'check_violation', constraint = 'approvals_workflow_check';
        end if;
        new.decided_at := null;
        return new;
    end if;
    if (new.subject_type, new.deal_id, new.expense_id, new.requested_by, new.requested_at)
        is distinct from
        (old.subject_type, old.deal_id, old.expense_id, old.requested_by, old.requested_at) then
        raise exception 'the subject and requester of an approval never change'
            using errcode = 'check_violation', constraint = 'approvals_workflow_check';
    end if;
    if old.status <> 'pending' then
        if (new.status, new.approver_id, new.reason, new.decision_note)
            is distinct from (old.status, old.approver_id, old.reason, old.decision_note) then
            raise exception 'approval % is % and final', old.id, old.status
                using errcode = 'check_violation', constraint = 'approvals_workflow_check';
        end if;
        new.decided_at := old.decided_at;
    elsif new.status <> 'pending' then
        new.decided_at := pg_catalog.now();
    else
        new.decided_at := null;
    end if;
    return new;
end;
$$;

--
-- Name: FUNCTION approvals_enforce_workflow(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.approvals_enforce_workflow() IS 'BEFORE INSERT OR UPDATE on rea.approvals: starts pending, final once decided, stamps decided_at.';

--
-- Name: bookings_enforce_workflow(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.bookings_enforce_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION bookings_enforce_workflow(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.bookings_enforce_workflow() IS 'BEFORE INSERT OR UPDATE on rea.bookings: status machine; only available or reserved properties are booked.';

--
-- Name: bookings_sync_property_status(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.bookings_sync_property_status() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

--
-- Name: FUNCTION bookings_sync_property_status(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.bookings_sync_property_status() IS 'AFTER INSERT OR UPDATE on rea.bookings: an ACTIVE booking reserves its property, and releases it when it ends.';

--
-- Name: cancel_pending_approvals(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.cancel_pending_approvals() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
begin
    -- tg_argv[0]: the approvals column that names the subject (deal_id, expense_id);
    -- tg_argv[1]: the subject's column whose new value closed it (stage, status)
    execute pg_catalog.format(
        'update rea.approvals set status = ''cancelled'', decision_note = $3'
        ' where client_id = $1 and %I = $2 and status = ''pending''',
        tg_argv[0]
    )
    using new.client_id, new.id,
        pg_catalog.format('%s %s', tg_table_name, pg_catalog.to_jsonb(new) ->> tg_argv[1]);
    return null;
end;
$_$;

--
-- Name: FUNCTION cancel_pending_approvals(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.cancel_pending_approvals() IS 'AFTER UPDATE trigger on a subject of approvals; arguments (approvals column, closing column): a subject that is closed cancels its pending approval.';

--
-- Name: check_minor_units(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.check_minor_units() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
    fields jsonb := pg_catalog.to_jsonb(new);
    amount numeric;
    currency text;
    digits smallint;
begin
    for pair in 0 .. tg_nargs - 1 by 2 loop
        amount := (fields ->> tg_argv[pair])::numeric;
        currency := fields ->> tg_argv[pair + 1];
        if amount is not null and currency is not null then
            select c.minor_units into digits from rea.currencies as c where c.code = currency;
            if amount <> pg_catalog.round(amount, digits) then
                raise exception '% % has more decimals than the % of %', amount, currency, digits, currency
                    using errcode = 'check_violation',
                    constraint = tg_table_name || '_' || tg_argv[pair] || '_minor_units_check';
            end if;
        end if;
    end loop;
    return new;
end;
$$;

--
-- Name: FUNCTION check_minor_units(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.check_minor_units() IS 'BEFORE INSERT OR UPDATE trigger; arguments: (amount column, currency column) pairs. An amount may have no more decimals than its currency''s minor units.';

--
-- Name: communications_check_occurred_at(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.communications_check_occurred_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
    if new.occurred_at > pg_catalog.clock_timestamp() + interval '5 minutes' then
        raise exception 'occurred_at % is in the future', new.occurred_at
            using errcode = 'check_violation', constraint = 'communications_occurred_at_check';
    end if;
    return new;
end;
$$;

--
-- Name: FUNCTION communications_check_occurred_at(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.communications_check_occurred_at() IS 'BEFORE INSERT OR UPDATE on rea.communications: occurred_at at most five minutes ahead of the clock.';

--
-- Name: convert_amount(numeric, text, text, date); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.convert_amount(amount numeric, from_currency text, to_currency text, on_date date) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
    digits smallint;
begin
    if amount is null then
        return null;  -- no amount (a booking without deposit) converts to no amount
    end if;
    select c.minor_units into digits from rea.currencies as c where c.code = to_currency;
    if digits is null then
        raise exception 'unknown currency %', to_currency using errcode = 'invalid_parameter_value';
    end if;
    return pg_catalog.round(amount * rea.fx_rate(from_currency, to_currency, on_date), digits);
end;
$$;

--
-- Name: FUNCTION convert_amount(amount numeric, from_currency text, to_currency text, on_date date); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.convert_amount(amount numeric, from_currency text, to_currency text, on_date date) IS 'amount in from_currency, converted at the rate in force on on_date and rounded to the minor units of to_currency; null for a null amount; raises for an unknown currency or a missing rate.';

--
-- Name: deals_enforce_workflow(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.deals_enforce_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
    rule record;
begin
    if tg_op = 'INSERT' then
        if new.stage <> 'lead' then
            raise exception 'a deal starts as a lead, not %', new.stage
                using errcode = 'check_violation', constraint = 'deals_stage_transition_check';
        end if;
        new.closed_at := null;
    else
        if old.stage in ('won', 'lost') and (
            new.stage, new.property_id, new.customer_id, new.agent_user_id, new.deal_type,
            new.amount, new.currency, new.deal_date
        ) is distinct from (
            old.stage, old.property_id, old.customer_id, old.agent_user_id, old.deal_type,
            old.amount, old.currency, old.deal_date
        ) then
            raise exception 'deal % is % and closed', old.id, old.stage
                using errcode = 'check_violation', constraint = 'deals_closed_check';
        end if;
        if (
                old.stage in ('pending_approval', 'approved')
                and new.stage in ('pending_approval', 'approved', 'won')
                or exists (
                    select from rea.approvals as a
                    where a.client_id = old.client_id and a.deal_id = old.id
                        and a.status in ('pending', 'approved')
                )
            )
            and (
                new.property_id, new.customer_id, new.deal_type, new.amount, new.currency,
                new.deal_date
            ) is distinct from (
                old.property_id, old.customer_id, old.deal_type, old.amount, old.currency,
                old.deal_date
            ) then
            raise exception 'the terms of deal % are frozen under approval', old.id
                using errcode = 'check_violation', constraint = 'deals_terms_frozen_check',
                hint = 'a rejected or cancelled approval opens them again';
        end if;
        if new.stage <> old.stage then
            if not exists (
                select from rea.deal_stage_transitions as t
                where t.from_stage = old.stage and t.to_stage = new.stage
            ) then
                raise exception 'a deal cannot move from % to %', old.stage, new.stage
                    using errcode = 'check_violation',
                    constraint = 'deals_stage_transition_check';
            end if;
            if new.stage in ('approved', 'won') and not exists (
                select from rea.approvals as a
                where a.client_id = new.client_id and a.deal_id = new.id
                    and a.status = 'approved'
            ) then
                raise exception 'deal % needs an approved approval to become %', new.id, new.stage
                    using errcode = 'check_violation',
                    constraint = 'deals_approval_required_check';
            end if;
        end if;
        new.closed_at := case
            when new.stage not in ('won', 'lost') then null
            when old.stage in ('won', 'lost') then old.closed_at
            else pg_catalog.now()
        end;
        if (new.property_id, new.deal_type, new.amount, new.currency, new.deal_date)
            is not distinct from
            (old.property_id, old.deal_type, old.amount, old.currency, old.deal_date) then
            new.commission_rule_id := old.commission_rule_id;
            new.commission_amount := old.commission_amount;
            new.commission_currency := old.commission_currency;
            return new;
        end if;
    end if;

    select r.id, r.percentage, r.fixed_amount, r.currency into rule
    from rea.commission_rules as r
    inner join rea.properties as p on p.client_id = r.client_id and p.listing_type = r.listing_type
    where r.client_id = new.client_id and p.id = new.property_id
        and r.deal_type = new.deal_type and r.effective @> new.deal_date;
    if rule.id is null then
        new.commission_rule_id := null;
        new.commission_amount := null;
        new.commission_currency := null;
    elsif rule.percentage is not null then
        new.commission_rule_id := rule.id;
        new.commission_amount := pg_catalog.round(
            new.amount * rule.percentage * 0.01,  -- exact: a division would round first
            (select c.minor_units from rea.currencies as c where c.code = new.currency)
        );
        new.commission_currency := new.currency;
    else
        new.commission_rule_id := rule.id;
        new.commission_amount := rule.fixed_amount;
        new.commission_currency := rule.currency;
    end if;
    return new;
end;
$$;

--
-- Name: FUNCTION deals_enforce_workflow(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.deals_enforce_workflow() IS 'BEFORE INSERT OR UPDATE on rea.deals: stage machine, approval before approved/won, closed deals, commission.';

--
-- Name: expenses_enforce_approval(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.expenses_enforce_approval() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
    tenant record;
    amount_base numeric;
begin
    if tg_op = 'UPDATE' and old.status in ('approved', 'rejected')
        and (new.status, new.amount, new.currency, new.expense_date)
        is distinct from (old.status, old.amount, old.currency, old.expense_date) then
        raise exception 'expense % is % and final', old.id, old.status
            using errcode = 'check_violation', constraint = 'expenses_decided_check';
    end if;
    if tg_op = 'UPDATE' and old.status = 'pending_approval'
        and (new.amount, new.currency, new.expense_date)
        is distinct from (old.amount, old.currency, old.expense_date)
        and exists (
            select from rea.approvals as a
            where a.client_id = old.client_id and a.expense_id = old.id
                and a.status in ('pending', 'approved')
        ) then
        raise exception 'the amount, currency and date of expense % are frozen under approval', old.id
            using errcode = 'check_violation', constraint = 'expenses_terms_frozen_check';
    end if;
    if new.status = 'approved' and (tg_op = 'INSERT' or old.status <> 'approved') then
        select c.base_currency, c.expense_approval_threshold into tenant
        from rea.clients as c where c.id = new.client_id;
        amount_base := rea.convert_amount(
            new.amount, new.currency, tenant.base_currency, new.expense_date
        );
        if amount_base > tenant.expense_approval_threshold and not exists (
            select from rea.approvals as a
            where a.client_id = new.client_id and a.expense_id = new.id and a.status = 'approved'
        ) then
            raise exception
                'expense % (% %) is above the approval threshold of % % and has no approved approval',
                new.id, amount_base, tenant.base_currency,
                tenant.expense_approval_threshold, tenant.base_currency
                using errcode = 'check_violation', constraint = 'expenses_approval_required_check';
        end if;
    end if;
    return new;
end;
$$;

--
-- Name: FUNCTION expenses_enforce_approval(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.expenses_enforce_approval() IS 'BEFORE INSERT OR UPDATE on rea.expenses: above the tenant threshold, approved needs an approved approval.';

--
-- Name: fx_rate(text, text, date); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.fx_rate(from_currency text, to_currency text, on_date date) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
declare
    direct record;
    inverse record;
begin
    if from_currency is null or to_currency is null or on_date is null then
        raise exception 'fx_rate needs two currencies and a date'
            using errcode = 'null_value_not_allowed';
    end if;
    if from_currency = to_currency then
        return 1;
    end if;
    -- the PK (base, quote, rate_date) serves both look-ups with one index probe each
    select r.rate, r.rate_date into direct
    from rea.fx_rates as r
    where r.base_currency = from_currency and r.quote_currency = to_currency
        and r.rate_date <= on_date
    order by r.rate_date desc
    limit 1;
    select r.rate, r.rate_date into inverse
    from rea.fx_rates as r
    where r.base_currency = to_currency and r.quote_currency = from_currency
        and r.rate_date <= on_date
    order by r.rate_date desc
    limit 1;
    if direct.rate is not null and (inverse.rate is null or direct.rate_date >= inverse.rate_date) then
        return direct.rate;
    end if;
    if inverse.rate is not null then
        return 1 / inverse.rate;
    end if;
    raise exception 'no exchange rate from % to % on or before %', from_currency, to_currency, on_date
        using errcode = 'no_data_found', hint = 'load the rate into rea.fx_rates';
end;
$$;

--
-- Name: FUNCTION fx_rate(from_currency text, to_currency text, on_date date); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.fx_rate(from_currency text, to_currency text, on_date date) IS 'Units of to_currency for 1 from_currency on on_date: the latest rate on or before it, stored either way round (the opposite pair as its inverse); raises P0002 when there is none.';

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
    new.created_at := old.created_at;
    new.updated_at := pg_catalog.now();
    return new;
end;
$$;

--
-- Name: FUNCTION touch_updated_at(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.touch_updated_at() IS 'BEFORE UPDATE trigger: keeps created_at, sets updated_at to now().';

--
-- Name: uuid_v7(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.uuid_v7() RETURNS uuid
    LANGUAGE sql PARALLEL SAFE
    AS $$
    -- built-ins only, which resolve in pg_catalog before any search_path entry
    select encode(
        set_bit(
            set_bit(
                overlay(
                    uuid_send(gen_random_uuid())
                    placing substring(
                        int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint)
                        from 3
                    )
                    from 1 for 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::uuid;
$$;

--
-- Name: FUNCTION uuid_v7(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.uuid_v7() IS 'A new version 7 UUID: 48-bit millisecond timestamp, then random bits. Default for id columns.';

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: approvals; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.approvals (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    subject_type text NOT NULL,
    deal_id uuid,
    expense_id uuid,
    requested_by uuid NOT NULL,
    approver_id uuid,
    status text DEFAULT 'pending'::text NOT NULL,
    reason text,
    decision_note text,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    decided_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT approvals_approver_check CHECK (((status <> ALL (ARRAY['approved'::text, 'rejected'::text])) OR (approver_id IS NOT NULL))),
    CONSTRAINT approvals_decided_at_check CHECK (((status = 'pending'::text) = (decided_at IS NULL))),
    CONSTRAINT approvals_four_eyes_check CHECK ((approver_id <> requested_by)),
    CONSTRAINT approvals_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'approved'::text, 'rejected'::text, 'cancelled'::text]))),
    CONSTRAINT approvals_subject_check CHECK ((((subject_type = 'deal'::text) AND (deal_id IS NOT NULL) AND (expense_id IS NULL)) OR ((subject_type = 'expense'::text) AND (expense_id IS NOT NULL) AND (deal_id IS NULL))))
);

--
-- Name: TABLE approvals; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.approvals IS 'Four-eyes approvals of deals and large expenses: pending, then approved, rejected or cancelled for good.';

--
-- Name: COLUMN approvals.decided_at; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.approvals.decided_at IS 'Set by the database when status leaves pending.';

--
-- Name: bookings; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.bookings (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    property_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    agent_user_id uuid,
    status text DEFAULT 'PENDING'::text NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    deposit_amount numeric(19,4),
    deposit_currency text,
    notes text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT bookings_deposit_check CHECK ((((deposit_amount IS NULL) = (deposit_currency IS NULL)) AND (deposit_amount > (0)::numeric))),
    CONSTRAINT bookings_period_check CHECK ((ends_at > starts_at)),
    CONSTRAINT bookings_status_check CHECK ((status = ANY (ARRAY['PENDING'::text, 'ACTIVE'::text, 'CANCELLED'::text, 'EXPIRED'::text, 'COMPLETED'::text])))
);

--
-- Name: TABLE bookings; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.bookings IS 'A customer''s hold on a property for a period; at most one ACTIVE booking per property.';

--
-- Name: COLUMN bookings.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.bookings.status IS 'PENDING, ACTIVE, CANCELLED, EXPIRED or COMPLETED; the last three are final.';

--
-- Name: branches; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.branches (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    name text NOT NULL,
    city text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT branches_city_check CHECK ((btrim(city) <> ''::text)),
    CONSTRAINT branches_name_check CHECK ((btrim(name) <> ''::text))
);

--
-- Name: TABLE branches; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.branches IS 'Offices of an agency (tenant).';

--
-- Name: clients; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.clients (
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    name text NOT NULL,
    base_currency text NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    expense_approval_threshold numeric(19,4) DEFAULT 10000 NOT NULL,
    CONSTRAINT clients_expense_approval_threshold_check CHECK ((expense_approval_threshold >= (0)::numeric)),
    CONSTRAINT clients_name_check CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT clients_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'closed'::text])))
);

--
-- Name: TABLE clients; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.clients IS 'Tenants: the agencies using REA INVEST. Tenant tables reference it through client_id.';

--
-- Name: COLUMN clients.base_currency; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.base_currency IS 'Currency the tenant reports in; reporting converts every amount into it.';

--
-- Name: COLUMN clients.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.status IS 'active, suspended (kept, locked out) or closed (kept for retention only).';

--
-- Name: COLUMN clients.expense_approval_threshold; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.expense_approval_threshold IS 'Expenses above this amount (in base_currency, at the expense date''s rate) need an approved approval.';

--
-- Name: commission_rules; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.commission_rules (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    listing_type text NOT NULL,
    deal_type text NOT NULL,
    percentage numeric(5,2),
    fixed_amount numeric(19,4),
    currency text,
    effective daterange NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT commission_rules_deal_type_check CHECK ((deal_type = ANY (ARRAY['sale'::text, 'rental'::text]))),
    CONSTRAINT commission_rules_effective_check CHECK ((NOT isempty(effective))),
    CONSTRAINT commission_rules_fixed_amount_check CHECK ((fixed_amount > (0)::numeric)),
    CONSTRAINT commission_rules_fixed_currency_check CHECK (((fixed_amount IS NULL) = (currency IS NULL))),
    CONSTRAINT commission_rules_listing_type_check CHECK ((listing_type = ANY (ARRAY['agency_owned'::text, 'branch_owned'::text, 'brokerage'::text]))),
    CONSTRAINT commission_rules_one_basis_check CHECK ((num_nonnulls(percentage, fixed_amount) = 1)),
    CONSTRAINT commission_rules_percentage_check CHECK (((percentage > (0)::numeric) AND (percentage <= (100)::numeric)))
);

--
-- Name: TABLE commission_rules; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.commission_rules IS 'Commission per tenant, listing type and deal type over an effective period: a percentage or a fixed amount.';

--
-- Name: COLUMN commission_rules.currency; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.commission_rules.currency IS 'Currency of fixed_amount; null for a percentage.';

--
-- Name: COLUMN commission_rules.effective; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.commission_rules.effective IS 'Dates the rule is in force; periods of one (client, listing_type, deal_type) never overlap.';

--
-- Name: communications; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.communications (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    customer_id uuid NOT NULL,
    user_id uuid,
    channel text NOT NULL,
    direction text NOT NULL,
    subject text,
    body text,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    occurred_at timestamp with time zone DEFAULT now() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT communications_channel_check CHECK ((channel = ANY (ARRAY['phone'::text, 'email'::text, 'sms'::text, 'whatsapp'::text, 'meeting'::text, 'portal'::text]))),
    CONSTRAINT communications_direction_check CHECK ((direction = ANY (ARRAY['inbound'::text, 'outbound'::text]))),
    CONSTRAINT communications_metadata_check CHECK (((jsonb_typeof(metadata) = 'object'::text) AND ((channel <> 'phone'::text) OR
CASE
    WHEN (jsonb_typeof((metadata -> 'duration_seconds'::text)) = 'number'::text) THEN (((metadata ->> 'duration_seconds'::text))::numeric >= (0)::numeric)
    ELSE false
END) AND ((channel <> 'email'::text) OR COALESCE((jsonb_typeof((metadata -> 'message_id'::text)) = 'string'::text), false))))
);

--
-- Name: TABLE communications; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.communications IS 'Calls, messages and meetings with customers; metadata keys required per channel.';

--
-- Name: COLUMN communications.metadata; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.communications.metadata IS 'JSON object: phone calls need duration_seconds (a number, not negative), e-mails message_id (string).';

--
-- Name: currencies; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.currencies (
    code text NOT NULL,
    name text NOT NULL,
    minor_units smallint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT currencies_code_check CHECK ((code ~ '^[A-Z]{3}$'::text)),
    CONSTRAINT currencies_minor_units_check CHECK (((minor_units >= 0) AND (minor_units <= 4))),
    CONSTRAINT currencies_name_check CHECK ((btrim(name) <> ''::text))
);

--
-- Name: TABLE currencies; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.currencies IS 'ISO 4217 currencies. Reference data shared by all tenants; read-only to the application.';

--
-- Name: COLUMN currencies.code; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.currencies.code IS 'ISO 4217 alphabetic code, e.g. SAR.';

--
-- Name: COLUMN currencies.minor_units; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.currencies.minor_units IS 'Digits after the decimal point in amounts of this currency (ISO 4217 minor unit).';

--
-- Name: customers; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.customers (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    kind text DEFAULT 'individual'::text NOT NULL,
    full_name text NOT NULL,
    email public.citext,
    phone text,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT customers_email_check CHECK (((email)::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
    CONSTRAINT customers_full_name_check CHECK ((btrim(full_name) <> ''::text)),
    CONSTRAINT customers_kind_check CHECK ((kind = ANY (ARRAY['individual'::text, 'company'::text]))),
    CONSTRAINT customers_phone_check CHECK ((phone ~ '^\+?[0-9][0-9 ()-]{5,19}$'::text))
);

--
-- Name: TABLE customers; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.customers IS 'Buyers, renters and owners an agency deals with. Holds personal data; soft-deleted only.';

--
-- Name: COLUMN customers.deleted_at; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.deleted_at IS 'Set instead of deleting: deals and bookings keep their customer.';

--
-- Name: deal_stage_transitions; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.deal_stage_transitions (
    from_stage text NOT NULL,
    to_stage text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE deal_stage_transitions; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.deal_stage_transitions IS 'The allowed moves of a deal between stages. Reference data shared by all tenants.';

--
-- Name: deals; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.deals (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    property_id uuid NOT NULL,
    customer_id uuid NOT NULL,
    agent_user_id uuid,
    deal_type text NOT NULL,
    stage text DEFAULT 'lead'::text NOT NULL,
    amount numeric(19,4) NOT NULL,
    currency text NOT NULL,
    deal_date date DEFAULT CURRENT_DATE NOT NULL,
    commission_rule_id uuid,
    commission_amount numeric(19,4),
    commission_currency text,
    closed_at timestamp with time zone,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT deals_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT deals_closed_at_check CHECK (((stage = ANY (ARRAY['won'::text, 'lost'::text])) = (closed_at IS NOT NULL))),
    CONSTRAINT deals_commission_check CHECK ((((commission_rule_id IS NULL) = (commission_amount IS NULL)) AND ((commission_amount IS NULL) = (commission_currency IS NULL)))),
    CONSTRAINT deals_deal_type_check CHECK ((deal_type = ANY (ARRAY['sale'::text, 'rental'::text]))),
    CONSTRAINT deals_stage_check CHECK ((stage = ANY (ARRAY['lead'::text, 'negotiation'::text, 'pending_approval'::text, 'approved'::text, 'won'::text, 'lost'::text])))
);

--
-- Name: TABLE deals; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.deals IS 'Sales and rentals, moved through stages by rea.deal_stage_transitions; commission computed by the database.';

--
-- Name: COLUMN deals.commission_amount; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.deals.commission_amount IS 'Computed from the commission rule in force on deal_date; never written by the application.';

--
-- Name: COLUMN deals.closed_at; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.deals.closed_at IS 'When the deal reached won or lost.';

--
-- Name: expenses; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.expenses (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    property_id uuid,
    branch_id uuid,
    recorded_by uuid,
    category text NOT NULL,
    amount numeric(19,4) NOT NULL,
    currency text NOT NULL,
    expense_date date DEFAULT CURRENT_DATE NOT NULL,
    description text,
    status text DEFAULT 'pending_approval'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT expenses_amount_check CHECK ((amount > (0)::numeric)),
    CONSTRAINT expenses_category_check CHECK ((category = ANY (ARRAY['maintenance'::text, 'marketing'::text, 'utilities'::text, 'salaries'::text, 'legal'::text, 'travel'::text, 'office'::text, 'other'::text]))),
    CONSTRAINT expenses_status_check CHECK ((status = ANY (ARRAY['pending_approval'::text, 'approved'::text, 'rejected'::text])))
);

--
-- Name: TABLE expenses; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.expenses IS 'Money spent, in any currency, by category; above the tenant''s threshold it needs an approved approval.';

--
-- Name: COLUMN expenses.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.expenses.status IS 'pending_approval, approved or rejected; approved and rejected are final.';

--
-- Name: fx_rates; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.fx_rates (
    base_currency text NOT NULL,
    quote_currency text NOT NULL,
    rate_date date NOT NULL,
    rate numeric(20,10) NOT NULL,
    source text DEFAULT 'manual'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fx_rates_pair_check CHECK ((base_currency <> quote_currency)),
    CONSTRAINT fx_rates_rate_check CHECK ((rate > (0)::numeric))
);

--
-- Name: TABLE fx_rates; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.fx_rates IS 'Daily exchange rates: 1 base_currency = rate quote_currency on rate_date. Shared by all tenants.';

--
-- Name: COLUMN fx_rates.source; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.fx_rates.source IS 'Where the rate came from (a central bank, a feed, manual).';

--
-- Name: permissions; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.permissions (
    code text NOT NULL,
    description text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT permissions_code_check CHECK ((code ~ '^[a-z_]+\.[a-z_]+$'::text))
);

--
-- Name: TABLE permissions; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.permissions IS 'What the application can allow, as resource.action codes. Reference data shared by all tenants.';

--
-- Name: properties; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.properties (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    listing_type text NOT NULL,
    branch_id uuid,
    owner_customer_id uuid,
    property_type text NOT NULL,
    title text NOT NULL,
    city text NOT NULL,
    district text,
    status text DEFAULT 'available'::text NOT NULL,
    asking_price numeric(19,4) NOT NULL,
    currency text NOT NULL,
    area_sqm numeric(10,2),
    features jsonb DEFAULT '{}'::jsonb NOT NULL,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT properties_area_sqm_check CHECK ((area_sqm > (0)::numeric)),
    CONSTRAINT properties_asking_price_check CHECK ((asking_price > (0)::numeric)),
    CONSTRAINT properties_branch_owned_check CHECK (((listing_type <> 'branch_owned'::text) OR (branch_id IS NOT NULL))),
    CONSTRAINT properties_brokerage_owner_check CHECK (((listing_type <> 'brokerage'::text) OR (owner_customer_id IS NOT NULL))),
    CONSTRAINT properties_city_check CHECK ((btrim(city) <> ''::text)),
    CONSTRAINT properties_features_check CHECK (((jsonb_typeof(features) = 'object'::text) AND COALESCE((jsonb_typeof((features -> 'bedrooms'::text)) = 'number'::text), true) AND COALESCE((jsonb_typeof((features -> 'bathrooms'::text)) = 'number'::text), true) AND COALESCE((jsonb_typeof((features -> 'furnished'::text)) = 'boolean'::text), true) AND COALESCE((jsonb_typeof((features -> 'amenities'::text)) = 'array'::text), true))),
    CONSTRAINT properties_listing_type_check CHECK ((listing_type = ANY (ARRAY['agency_owned'::text, 'branch_owned'::text, 'brokerage'::text]))),
    CONSTRAINT properties_property_type_check CHECK ((property_type = ANY (ARRAY['apartment'::text, 'villa'::text, 'townhouse'::text, 'land'::text, 'office'::text, 'shop'::text, 'warehouse'::text]))),
    CONSTRAINT properties_status_check CHECK ((status = ANY (ARRAY['available'::text, 'reserved'::text, 'under_offer'::text, 'sold'::text, 'rented'::text, 'withdrawn'::text]))),
    CONSTRAINT properties_title_check CHECK ((btrim(title) <> ''::text))
);

--
-- Name: TABLE properties; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.properties IS 'Properties an agency sells or lets: agency_owned, branch_owned (has a branch) or brokerage (has an owner).';

--
-- Name: COLUMN properties.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.properties.status IS 'available, reserved (an ACTIVE booking holds it), under_offer, sold, rented or withdrawn.';

--
-- Name: COLUMN properties.features; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.properties.features IS 'JSON object of attributes; bedrooms and bathrooms are numbers, furnished a boolean, amenities an array.';

--
-- Name: role_permissions; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.role_permissions (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    role_id uuid NOT NULL,
    permission_code text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE role_permissions; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.role_permissions IS 'Which permissions a role grants.';

--
-- Name: roles; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.roles (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    name text NOT NULL,
    description text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT roles_name_check CHECK ((btrim(name) <> ''::text))
);

--
-- Name: TABLE roles; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.roles IS 'A tenant''s application roles (agent, manager...), sets of permissions.';

--
-- Name: user_roles; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.user_roles (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    user_id uuid NOT NULL,
    role_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: TABLE user_roles; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.user_roles IS 'Which roles a user holds.';

--
-- Name: users; Type: TABLE; Schema: rea; Owner: -
--

CREATE TABLE rea.users (
    client_id uuid NOT NULL,
    id uuid DEFAULT rea.uuid_v7() NOT NULL,
    branch_id uuid,
    full_name text NOT NULL,
    email public.citext NOT NULL,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_email_check CHECK (((email)::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text)),
    CONSTRAINT users_full_name_check CHECK ((btrim(full_name) <> ''::text)),
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
);

--
-- Name: TABLE users; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.users IS 'People of an agency who use the system; app.user_id names one of them as the actor.';

--
-- Name: COLUMN users.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.users.status IS 'disabled users keep their history but may not act.';

--
-- Name: fact_bookings; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_bookings AS
 SELECT b.client_id,
    b.id,
    (b.starts_at)::date AS business_date,
    (date_trunc('month'::text, b.starts_at))::date AS month,
    b.property_id,
    p.branch_id,
    b.agent_user_id,
    p.listing_type,
    b.status,
    round((EXTRACT(epoch FROM (b.ends_at - b.starts_at)) / (86400)::numeric), 2) AS duration_days,
    b.deposit_amount AS amount,
    b.deposit_currency AS currency,
    rea.convert_amount(b.deposit_amount, b.deposit_currency, c.base_currency, (b.starts_at)::date) AS amount_base,
    c.base_currency
   FROM ((rea.bookings b
     JOIN rea.properties p ON (((b.client_id = p.client_id) AND (b.property_id = p.id))))
     JOIN rea.clients c ON ((b.client_id = c.id)))
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_bookings; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_bookings IS 'One row per booking with its dimensions, duration and deposit as entered and in the tenant''s base currency.';

--
-- Name: fact_deals; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_deals AS
 SELECT d.client_id,
    d.id,
    d.deal_date AS business_date,
    (date_trunc('month'::text, (d.deal_date)::timestamp with time zone))::date AS month,
    p.branch_id,
    d.agent_user_id,
    p.listing_type,
    d.deal_type,
    d.stage,
    d.amount,
    d.currency,
    rea.convert_amount(d.amount, d.currency, c.base_currency, d.deal_date) AS amount_base,
    c.base_currency,
    d.commission_amount,
    d.commission_currency,
    rea.convert_amount(d.commission_amount, d.commission_currency, c.base_currency, d.deal_date) AS commission_base,
    d.closed_at
   FROM ((rea.deals d
     JOIN rea.properties p ON (((d.client_id = p.client_id) AND (d.property_id = p.id))))
     JOIN rea.clients c ON ((d.client_id = c.id)))
  WHERE (d.deleted_at IS NULL)
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_deals; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_deals IS 'One row per live deal with its dimensions and amounts as entered and in the tenant''s base currency.';

--
-- Name: COLUMN fact_deals.amount_base; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON COLUMN reporting.fact_deals.amount_base IS 'amount converted into base_currency at the rate in force on business_date (the deal date).';

--
-- Name: fact_expenses; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_expenses AS
 SELECT e.client_id,
    e.id,
    e.expense_date AS business_date,
    (date_trunc('month'::text, (e.expense_date)::timestamp with time zone))::date AS month,
    COALESCE(e.branch_id, p.branch_id) AS branch_id,
    e.property_id,
    e.recorded_by,
    e.category,
    e.status,
    e.amount,
    e.currency,
    rea.convert_amount(e.amount, e.currency, c.base_currency, e.expense_date) AS amount_base,
    c.base_currency
   FROM ((rea.expenses e
     JOIN rea.clients c ON ((e.client_id = c.id)))
     LEFT JOIN rea.properties p ON (((e.client_id = p.client_id) AND (e.property_id = p.id))))
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_expenses; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_expenses IS 'One row per expense with its dimensions and amounts as entered and in the tenant''s base currency.';

--
-- Name: approvals approvals_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_pkey PRIMARY KEY (client_id, id);

--
-- Name: bookings bookings_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_pkey PRIMARY KEY (client_id, id);

--
-- Name: branches branches_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.branches
    ADD CONSTRAINT branches_pkey PRIMARY KEY (client_id, id);

--
-- Name: clients clients_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.clients
    ADD CONSTRAINT clients_pkey PRIMARY KEY (id);

--
-- Name: commission_rules commission_rules_no_overlap_excl; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.commission_rules
    ADD CONSTRAINT commission_rules_no_overlap_excl EXCLUDE USING gist (client_id WITH =, listing_type WITH =, deal_type WITH =, effective WITH &&);

--
-- Name: commission_rules commission_rules_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.commission_rules
    ADD CONSTRAINT commission_rules_pkey PRIMARY KEY (client_id, id);

--
-- Name: communications communications_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.communications
    ADD CONSTRAINT communications_pkey PRIMARY KEY (client_id, id);

--
-- Name: currencies currencies_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.currencies
    ADD CONSTRAINT currencies_pkey PRIMARY KEY (code);

--
-- Name: customers customers_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (client_id, id);

--
-- Name: deal_stage_transitions deal_stage_transitions_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deal_stage_transitions
    ADD CONSTRAINT deal_stage_transitions_pkey PRIMARY KEY (from_stage, to_stage);

--
-- Name: deals deals_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_pkey PRIMARY KEY (client_id, id);

--
-- Name: expenses expenses_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_pkey PRIMARY KEY (client_id, id);

--
-- Name: fx_rates fx_rates_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.fx_rates
    ADD CONSTRAINT fx_rates_pkey PRIMARY KEY (base_currency, quote_currency, rate_date);

--
-- Name: permissions permissions_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.permissions
    ADD CONSTRAINT permissions_pkey PRIMARY KEY (code);

--
-- Name: properties properties_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.properties
    ADD CONSTRAINT properties_pkey PRIMARY KEY (client_id, id);

--
-- Name: role_permissions role_permissions_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.role_permissions
    ADD CONSTRAINT role_permissions_pkey PRIMARY KEY (client_id, id);

--
-- Name: roles roles_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.roles
    ADD CONSTRAINT roles_pkey PRIMARY KEY (client_id, id);

--
-- Name: user_roles user_roles_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.user_roles
    ADD CONSTRAINT user_roles_pkey PRIMARY KEY (client_id, id);

--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (client_id, id);

--
-- Name: approvals_deal_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX approvals_deal_idx ON rea.approvals USING btree (client_id, deal_id, status);

--
-- Name: approvals_expense_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX approvals_expense_idx ON rea.approvals USING btree (client_id, expense_id, status);

--
-- Name: approvals_one_pending_deal_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX approvals_one_pending_deal_key ON rea.approvals USING btree (client_id, deal_id) WHERE ((status = 'pending'::text) AND (deal_id IS NOT NULL));

--
-- Name: approvals_one_pending_expense_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX approvals_one_pending_expense_key ON rea.approvals USING btree (client_id, expense_id) WHERE ((status = 'pending'::text) AND (expense_id IS NOT NULL));

--
-- Name: bookings_customer_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX bookings_customer_idx ON rea.bookings USING btree (client_id, customer_id);

--
-- Name: bookings_one_active_per_property_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX bookings_one_active_per_property_key ON rea.bookings USING btree (client_id, property_id) WHERE (status = 'ACTIVE'::text);

--
-- Name: bookings_property_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX bookings_property_idx ON rea.bookings USING btree (client_id, property_id, starts_at);

--
-- Name: branches_name_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX branches_name_key ON rea.branches USING btree (client_id, lower(name));

--
-- Name: clients_name_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX clients_name_key ON rea.clients USING btree (lower(name));

--
-- Name: communications_customer_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX communications_customer_idx ON rea.communications USING btree (client_id, customer_id, occurred_at DESC);

--
-- Name: customers_email_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_email_idx ON rea.customers USING btree (client_id, email);

--
-- Name: customers_full_name_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_full_name_idx ON rea.customers USING btree (client_id, lower(full_name));

--
-- Name: deals_agent_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_agent_idx ON rea.deals USING btree (client_id, agent_user_id);

--
-- Name: deals_customer_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_customer_idx ON rea.deals USING btree (client_id, customer_id);

--
-- Name: deals_deal_date_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_deal_date_idx ON rea.deals USING btree (client_id, deal_date);

--
-- Name: deals_property_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_property_idx ON rea.deals USING btree (client_id, property_id);

--
-- Name: expenses_expense_date_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_expense_date_idx ON rea.expenses USING btree (client_id, expense_date);

--
-- Name: expenses_property_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_property_idx ON rea.expenses USING btree (client_id, property_id);

--
-- Name: properties_branch_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_branch_idx ON rea.properties USING btree (client_id, branch_id);

--
-- Name: properties_city_status_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_city_status_idx ON rea.properties USING btree (client_id, city, status);

--
-- Name: properties_owner_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_owner_idx ON rea.properties USING btree (client_id, owner_customer_id);

--
-- Name: role_permissions_role_permission_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX role_permissions_role_permission_key ON rea.role_permissions USING btree (client_id, role_id, permission_code);

--
-- Name: roles_name_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX roles_name_key ON rea.roles USING btree (client_id, lower(name));

--
-- Name: user_roles_role_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX user_roles_role_idx ON rea.user_roles USING btree (client_id, role_id);

--
-- Name: user_roles_user_role_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX user_roles_user_role_key ON rea.user_roles USING btree (client_id, user_id, role_id);

--
-- Name: users_branch_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX users_branch_idx ON rea.users USING btree (client_id, branch_id);

--
-- Name: users_email_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX users_email_key ON rea.users USING btree (client_id, email);

--
-- Name: fact_bookings_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_bookings_client_id_key ON reporting.fact_bookings USING btree (client_id, id);

--
-- Name: fact_bookings_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_bookings_month_idx ON reporting.fact_bookings USING btree (client_id, month);

--
-- Name: fact_deals_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_deals_client_id_key ON reporting.fact_deals USING btree (client_id, id);

--
-- Name: fact_deals_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_deals_month_idx ON reporting.fact_deals USING btree (client_id, month);

--
-- Name: fact_expenses_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_expenses_client_id_key ON reporting.fact_expenses USING btree (client_id, id);

--
-- Name: fact_expenses_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_expenses_month_idx ON reporting.fact_expenses USING btree (client_id, month);

--
-- Name: approvals approvals_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_touch_updated_at BEFORE UPDATE ON rea.approvals FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: approvals approvals_workflow; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_workflow BEFORE INSERT OR UPDATE ON rea.approvals FOR EACH ROW EXECUTE FUNCTION rea.approvals_enforce_workflow();

--
-- Name: bookings bookings_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_minor_units BEFORE INSERT OR UPDATE OF deposit_amount, deposit_currency ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('deposit_amount', 'deposit_currency');

--
-- Name: bookings bookings_property_status; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_property_status AFTER INSERT OR UPDATE OF status ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.bookings_sync_property_status();

--
-- Name: bookings bookings_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_touch_updated_at BEFORE UPDATE ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: bookings bookings_workflow; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_workflow BEFORE INSERT OR UPDATE ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.bookings_enforce_workflow();

--
-- Name: branches branches_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_touch_updated_at BEFORE UPDATE ON rea.branches FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: clients clients_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_touch_updated_at BEFORE UPDATE ON rea.clients FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: commission_rules commission_rules_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_minor_units BEFORE INSERT OR UPDATE OF fixed_amount, currency ON rea.commission_rules FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('fixed_amount', 'currency');

--
-- Name: commission_rules commission_rules_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_touch_updated_at BEFORE UPDATE ON rea.commission_rules FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: communications communications_occurred_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_occurred_at BEFORE INSERT OR UPDATE OF occurred_at ON rea.communications FOR EACH ROW EXECUTE FUNCTION rea.communications_check_occurred_at();

--
-- Name: communications communications_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_touch_updated_at BEFORE UPDATE ON rea.communications FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: currencies currencies_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_touch_updated_at BEFORE UPDATE ON rea.currencies FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: customers customers_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_touch_updated_at BEFORE UPDATE ON rea.customers FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: deal_stage_transitions deal_stage_transitions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_touch_updated_at BEFORE UPDATE ON rea.deal_stage_transitions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: deals deals_cancel_open_approvals; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_cancel_open_approvals AFTER UPDATE OF stage ON rea.deals FOR EACH ROW WHEN (((new.stage = ANY (ARRAY['won'::text, 'lost'::text])) AND (old.stage IS DISTINCT FROM new.stage))) EXECUTE FUNCTION rea.cancel_pending_approvals('deal_id', 'stage');

--
-- Name: deals deals_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_minor_units BEFORE INSERT OR UPDATE OF amount, currency ON rea.deals FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('amount', 'currency');

--
-- Name: deals deals_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_touch_updated_at BEFORE UPDATE ON rea.deals FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: deals deals_workflow; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_workflow BEFORE INSERT OR UPDATE ON rea.deals FOR EACH ROW EXECUTE FUNCTION rea.deals_enforce_workflow();

--
-- Name: expenses expenses_approval; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_approval BEFORE INSERT OR UPDATE ON rea.expenses FOR EACH ROW EXECUTE FUNCTION rea.expenses_enforce_approval();

--
-- Name: expenses expenses_cancel_open_approvals; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_cancel_open_approvals AFTER UPDATE OF status ON rea.expenses FOR EACH ROW WHEN (((new.status = ANY (ARRAY['approved'::text, 'rejected'::text])) AND (old.status IS DISTINCT FROM new.status))) EXECUTE FUNCTION rea.cancel_pending_approvals('expense_id', 'status');

--
-- Name: expenses expenses_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_minor_units BEFORE INSERT OR UPDATE OF amount, currency ON rea.expenses FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('amount', 'currency');

--
-- Name: expenses expenses_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_touch_updated_at BEFORE UPDATE ON rea.expenses FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: fx_rates fx_rates_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_touch_updated_at BEFORE UPDATE ON rea.fx_rates FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: permissions permissions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_touch_updated_at BEFORE UPDATE ON rea.permissions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: properties properties_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_minor_units BEFORE INSERT OR UPDATE OF asking_price, currency ON rea.properties FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('asking_price', 'currency');

--
-- Name: properties properties_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_touch_updated_at BEFORE UPDATE ON rea.properties FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: role_permissions role_permissions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_touch_updated_at BEFORE UPDATE ON rea.role_permissions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: roles roles_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_touch_updated_at BEFORE UPDATE ON rea.roles FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: user_roles user_roles_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_touch_updated_at BEFORE UPDATE ON rea.user_roles FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: users users_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON rea.users FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: approvals approvals_approver_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_approver_fkey FOREIGN KEY (client_id, approver_id) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: approvals approvals_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: approvals approvals_deal_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_deal_fkey FOREIGN KEY (client_id, deal_id) REFERENCES rea.deals(client_id, id) ON DELETE RESTRICT;

--
-- Name: approvals approvals_expense_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_expense_fkey FOREIGN KEY (client_id, expense_id) REFERENCES rea.expenses(client_id, id) ON DELETE RESTRICT;

--
-- Name: approvals approvals_requested_by_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.approvals
    ADD CONSTRAINT approvals_requested_by_fkey FOREIGN KEY (client_id, requested_by) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: bookings bookings_agent_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_agent_fkey FOREIGN KEY (client_id, agent_user_id) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: bookings bookings_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: bookings bookings_customer_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_customer_fkey FOREIGN KEY (client_id, customer_id) REFERENCES rea.customers(client_id, id) ON DELETE RESTRICT;

--
-- Name: bookings bookings_deposit_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_deposit_currency_fkey FOREIGN KEY (deposit_currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: bookings bookings_property_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.bookings
    ADD CONSTRAINT bookings_property_fkey FOREIGN KEY (client_id, property_id) REFERENCES rea.properties(client_id, id) ON DELETE RESTRICT;

--
-- Name: branches branches_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.branches
    ADD CONSTRAINT branches_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: clients clients_base_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.clients
    ADD CONSTRAINT clients_base_currency_fkey FOREIGN KEY (base_currency) REFERENCES rea.currencies(code) ON UPDATE RESTRICT ON DELETE RESTRICT;

--
-- Name: commission_rules commission_rules_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.commission_rules
    ADD CONSTRAINT commission_rules_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: commission_rules commission_rules_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.commission_rules
    ADD CONSTRAINT commission_rules_currency_fkey FOREIGN KEY (currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: communications communications_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.communications
    ADD CONSTRAINT communications_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: communications communications_customer_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.communications
    ADD CONSTRAINT communications_customer_fkey FOREIGN KEY (client_id, customer_id) REFERENCES rea.customers(client_id, id) ON DELETE RESTRICT;

--
-- Name: communications communications_user_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.communications
    ADD CONSTRAINT communications_user_fkey FOREIGN KEY (client_id, user_id) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: customers customers_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.customers
    ADD CONSTRAINT customers_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: deals deals_agent_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_agent_fkey FOREIGN KEY (client_id, agent_user_id) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: deals deals_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: deals deals_commission_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_commission_currency_fkey FOREIGN KEY (commission_currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: deals deals_commission_rule_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_commission_rule_fkey FOREIGN KEY (client_id, commission_rule_id) REFERENCES rea.commission_rules(client_id, id) ON DELETE RESTRICT;

--
-- Name: deals deals_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_currency_fkey FOREIGN KEY (currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: deals deals_customer_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_customer_fkey FOREIGN KEY (client_id, customer_id) REFERENCES rea.customers(client_id, id) ON DELETE RESTRICT;

--
-- Name: deals deals_property_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.deals
    ADD CONSTRAINT deals_property_fkey FOREIGN KEY (client_id, property_id) REFERENCES rea.properties(client_id, id) ON DELETE RESTRICT;

--
-- Name: expenses expenses_branch_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_branch_fkey FOREIGN KEY (client_id, branch_id) REFERENCES rea.branches(client_id, id) ON DELETE RESTRICT;

--
-- Name: expenses expenses_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: expenses expenses_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_currency_fkey FOREIGN KEY (currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: expenses expenses_property_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_property_fkey FOREIGN KEY (client_id, property_id) REFERENCES rea.properties(client_id, id) ON DELETE RESTRICT;

--
-- Name: expenses expenses_recorded_by_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.expenses
    ADD CONSTRAINT expenses_recorded_by_fkey FOREIGN KEY (client_id, recorded_by) REFERENCES rea.users(client_id, id) ON DELETE RESTRICT;

--
-- Name: fx_rates fx_rates_base_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.fx_rates
    ADD CONSTRAINT fx_rates_base_currency_fkey FOREIGN KEY (base_currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: fx_rates fx_rates_quote_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.fx_rates
    ADD CONSTRAINT fx_rates_quote_currency_fkey FOREIGN KEY (quote_currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: properties properties_branch_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.properties
    ADD CONSTRAINT properties_branch_fkey FOREIGN KEY (client_id, branch_id) REFERENCES rea.branches(client_id, id) ON DELETE RESTRICT;

--
-- Name: properties properties_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.properties
    ADD CONSTRAINT properties_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: properties properties_currency_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.properties
    ADD CONSTRAINT properties_currency_fkey FOREIGN KEY (currency) REFERENCES rea.currencies(code) ON DELETE RESTRICT;

--
-- Name: properties properties_owner_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.properties
    ADD CONSTRAINT properties_owner_fkey FOREIGN KEY (client_id, owner_customer_id) REFERENCES rea.customers(client_id, id) ON DELETE RESTRICT;

--
-- Name: role_permissions role_permissions_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.role_permissions
    ADD CONSTRAINT role_permissions_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: role_permissions role_permissions_permission_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.role_permissions
    ADD CONSTRAINT role_permissions_permission_fkey FOREIGN KEY (permission_code) REFERENCES rea.permissions(code) ON DELETE RESTRICT;

--
-- Name: role_permissions role_permissions_role_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.role_permissions
    ADD CONSTRAINT role_permissions_role_fkey FOREIGN KEY (client_id, role_id) REFERENCES rea.roles(client_id, id) ON DELETE CASCADE;

--
-- Name: roles roles_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.roles
    ADD CONSTRAINT roles_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: user_roles user_roles_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.user_roles
    ADD CONSTRAINT user_roles_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- Name: user_roles user_roles_role_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.user_roles
    ADD CONSTRAINT user_roles_role_fkey FOREIGN KEY (client_id, role_id) REFERENCES rea.roles(client_id, id) ON DELETE CASCADE;

--
-- Name: user_roles user_roles_user_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.user_roles
    ADD CONSTRAINT user_roles_user_fkey FOREIGN KEY (client_id, user_id) REFERENCES rea.users(client_id, id) ON DELETE CASCADE;

--
-- Name: users users_branch_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.users
    ADD CONSTRAINT users_branch_fkey FOREIGN KEY (client_id, branch_id) REFERENCES rea.branches(client_id, id) ON DELETE RESTRICT;

--
-- Name: users users_client_fkey; Type: FK CONSTRAINT; Schema: rea; Owner: -
--

ALTER TABLE ONLY rea.users
    ADD CONSTRAINT users_client_fkey FOREIGN KEY (client_id) REFERENCES rea.clients(id) ON DELETE RESTRICT;

--
-- PostgreSQL database dump complete
--
