--
-- PostgreSQL database dump
--
-- readb steps: 77 applied, sha256 of version:checksum lines a529567b9b38d0558381ad92e15771889cdfc20a42d587559cec853f513c6716

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
-- Name: migrations; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA migrations;

--
-- Name: SCHEMA migrations; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA migrations IS 'Tools for steps that change rows: migrations.each_tenant() and its record of batches.';

--
-- Name: monitoring; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA monitoring;

--
-- Name: SCHEMA monitoring; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA monitoring IS 'Health of the database: sessions, queries, space, indexes, vacuum, replication, maintenance.';

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
-- Name: search; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA search;

--
-- Name: SCHEMA search; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA search IS 'Searches that need an index RLS would keep them from: security definer functions owned by rea_search, each filtering by rea.require_client_id().';

--
-- Name: case_insensitive; Type: COLLATION; Schema: rea; Owner: -
--

CREATE COLLATION rea.case_insensitive (provider = icu, deterministic = false, locale = 'und-u-ks-level2');

--
-- Name: COLLATION case_insensitive; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLLATION rea.case_insensitive IS 'ICU, strength 2: equal when only the letter case differs. E-mail addresses: leakproof text operators.';

--
-- Name: btree_gin; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA extensions;

--
-- Name: EXTENSION btree_gin; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION btree_gin IS 'support for indexing common datatypes in GIN';

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
-- Name: pg_stat_statements; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_stat_statements WITH SCHEMA extensions;

--
-- Name: EXTENSION pg_stat_statements; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_stat_statements IS 'track planning and execution statistics of all SQL statements executed';

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;

--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

--
-- Name: pgcrypto; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA extensions;

--
-- Name: EXTENSION pgcrypto; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

--
-- Name: analyze_partitioned(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.analyze_partitioned() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    parent record;
    analyzed integer := 0;
begin
    for parent in
        select pg_catalog.format('%I.%I', n.nspname, c.relname) as name
        from pg_catalog.pg_partitioned_table as p
        inner join pg_catalog.pg_class as c on p.partrelid = c.oid
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname = 'audit' and not c.relispartition
        order by 1
    loop
        execute 'analyze ' || parent.name;
        analyzed := analyzed + 1;
    end loop;
    return analyzed;
end;
$$;

--
-- Name: FUNCTION analyze_partitioned(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.analyze_partitioned() IS 'ANALYZE every partitioned table of the audit schema, as its owner; returns how many. Called by rea.analyze_partitioned_tables() (the daily job). Security definer; rea_owner may call it.';

--
-- Name: audit_table(regclass, text, text[], text[]); Type: PROCEDURE; Schema: audit; Owner: -
--

CREATE PROCEDURE audit.audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[] DEFAULT '{}'::text[])
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    table_name text := (select c.relname from pg_catalog.pg_class as c where c.oid = target);
    trigger_args text;
    missing text;
begin
    if target is null or key_columns is null or pg_catalog.cardinality(key_columns) = 0 then
        raise exception 'a table and its key columns are required' using errcode = 'invalid_parameter_value';
    end if;
    select c.col into missing
    from pg_catalog.unnest(
        key_columns || coalesce(personal_columns, '{}') || array[nullif(tenant_column, '')]
    ) as c (col)
    where
        c.col is not null
        and not exists (
            select from pg_catalog.pg_attribute as a
            where a.attrelid = target and a.attname = c.col and a.attnum > 0 and not a.attisdropped
        )
    limit 1;
    if missing is not null then
        raise exception 'column % of % does not exist', missing, target using errcode = 'undefined_column';
    end if;

    select pg_catalog.string_agg(pg_catalog.quote_literal(a), ', ')
    into trigger_args
    from pg_catalog.unnest(
        array[coalesce(tenant_column, ''), pg_catalog.array_to_string(key_columns, ',')]
        || coalesce(personal_columns, '{}')
    ) as a;

    execute pg_catalog.format(
        'create trigger %I after insert on %s referencing new table as new_rows'
        ' for each statement execute function audit.log_changes(%s)',
        table_name || '_audit_insert', target, trigger_args
    );
    execute pg_catalog.format(
        'create trigger %I after update on %s referencing old table as old_rows new table as new_rows'
        ' for each statement execute function audit.log_changes(%s)',
        table_name || '_audit_update', target, trigger_args
    );
    execute pg_catalog.format(
        'create trigger %I after delete on %s referencing old table as old_rows'
        ' for each statement execute function audit.log_changes(%s)',
        table_name || '_audit_delete', target, trigger_args
    );
    execute pg_catalog.format(
        'create trigger %I before truncate on %s for each statement execute function audit.refuse_change()',
        table_name || '_no_truncate', target
    );
end;
$$;

--
-- Name: PROCEDURE audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[]); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON PROCEDURE audit.audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[]) IS 'Puts the audit triggers on a table: tenant column, primary key columns, personal-data columns (redacted).';

--
-- Name: create_partitions(integer); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.create_partitions(months_ahead integer DEFAULT 12) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    month date;
    partition_name text;
begin
    if months_ahead is null or months_ahead not between 0 and 120 then
        raise exception 'months_ahead must be between 0 and 120' using errcode = 'invalid_parameter_value';
    end if;
    for month in
        select pg_catalog.generate_series(
            pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC'),
            pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC')
            + pg_catalog.make_interval(months => months_ahead),
            interval '1 month'
        )::date
    loop
        partition_name := 'audit_logs_' || pg_catalog.to_char(month, 'YYYY_MM');
        continue when pg_catalog.to_regclass('audit.' || partition_name) is not null;
        execute pg_catalog.format(
            'create table audit.%I partition of audit.audit_logs for values from (%L) to (%L)',
            partition_name,
            (month::timestamp at time zone 'UTC'),
            ((month + interval '1 month')::timestamp at time zone 'UTC')
        );
        execute pg_catalog.format(
            'create trigger %I before truncate on audit.%I for each statement execute function audit.refuse_change()',
            partition_name || '_no_truncate', partition_name
        );
        execute pg_catalog.format('revoke all on audit.%I from public', partition_name);
        execute pg_catalog.format('revoke update, delete, truncate on audit.%I from rea_owner', partition_name);
        return next partition_name;
    end loop;
end;
$$;

--
-- Name: FUNCTION create_partitions(months_ahead integer); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.create_partitions(months_ahead integer) IS 'Makes the monthly partitions of audit.audit_logs (UTC months) from this month to months_ahead; returns the new ones.';

--
-- Name: day_hashes(date, date); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.day_hashes(first_day date, last_day date) RETURNS TABLE(client_id uuid, day date, row_count bigint, rows_hash bytea)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    select
        coalesce(l.client_id, '00000000-0000-0000-0000-000000000000'),
        (l.occurred_at at time zone 'UTC')::date,
        pg_catalog.count(*),
        pg_catalog.sha256(pg_catalog.string_agg(audit.row_hash(l), ''::bytea order by l.occurred_at, l.id))
    from audit.audit_logs as l
    where
        l.occurred_at >= (first_day::timestamp at time zone 'UTC')
        and l.occurred_at < ((last_day + 1)::timestamp at time zone 'UTC')
    group by 1, 2
$$;

--
-- Name: FUNCTION day_hashes(first_day date, last_day date); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.day_hashes(first_day date, last_day date) IS 'Per tenant and UTC day between first_day and last_day: the number of audit rows and the hash over them.';

--
-- Name: drop_expired_partitions(timestamp with time zone); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.drop_expired_partitions(as_of timestamp with time zone DEFAULT now()) RETURNS SETOF text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
    months integer;
    horizon date;
    expired record;
begin
    if as_of is null or as_of > pg_catalog.now() then
        raise exception 'as_of must be a time that has passed' using errcode = 'invalid_parameter_value';
    end if;
    select s.retention_months into strict months from audit.settings as s;
    -- a partition goes when its whole month ended at least `months` months before as_of
    horizon := (pg_catalog.date_trunc('month', as_of at time zone 'UTC')
        - pg_catalog.make_interval(months => months))::date;
    for expired in
        select c.relname, pg_catalog.to_date(pg_catalog.right(c.relname, 7), 'YYYY_MM') as month
        from pg_catalog.pg_inherits as i
        inner join pg_catalog.pg_class as c on i.inhrelid = c.oid
        where i.inhparent = 'audit.audit_logs'::regclass and c.relname ~ '^audit_logs_[0-9]{4}_[0-9]{2}$'
        order by 2
    loop
        exit when (expired.month + interval '1 month')::date > horizon;
        execute pg_catalog.format('drop table audit.%I', expired.relname);
        update audit.settings set retained_from = (expired.month + interval '1 month')::date, updated_at = now();
        return next expired.relname;
    end loop;
end;
$_$;

--
-- Name: FUNCTION drop_expired_partitions(as_of timestamp with time zone); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.drop_expired_partitions(as_of timestamp with time zone) IS 'Drops whole audit partitions whose month ended more than retention_months before as_of; returns their names.';

--
-- Name: guard_audit_triggers(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.guard_audit_triggers() RETURNS event_trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
    -- log_row_change: the per-row audit trigger of the Citus path (sql/citus/distribute.sql)
    audit_functions oid[] := array(
        select p.oid from pg_catalog.pg_proc as p
        where
            p.pronamespace = 'audit'::regnamespace
            and p.proname in ('log_changes', 'log_row_change', 'refuse_change')
    );
    offender text;
begin
    if (select r.rolsuper from pg_catalog.pg_roles as r where r.rolname = current_user) then
        return;
    end if;
    if tg_event = 'sql_drop' then
        select o.object_identity into offender
        from pg_catalog.pg_event_trigger_dropped_objects() as o
        where
            o.object_type = 'trigger' and o.original
            and o.object_identity ~ '^\S+_(audit_(insert|update|delete)|no_truncate) on rea\.';
    else
        select pg_catalog.format('%I on %s', t.tgname, t.tgrelid::regclass) into offender
        from pg_catalog.pg_trigger as t
        inner join pg_catalog.pg_class as c on t.tgrelid = c.oid
        where
            c.relnamespace = 'rea'::regnamespace and not t.tgisinternal
            and (
                (t.tgfoid = any(audit_functions) and t.tgenabled not in ('O', 'A'))
                or (t.tgname ~ '_(audit_(insert|update|delete)|no_truncate)$' and t.tgfoid <> all(audit_functions))
            )
        limit 1;
    end if;
    if offender is not null then
        raise exception 'the audit triggers of rea tables cannot be disabled, dropped or replaced: % (%)',
            offender, tg_tag
            using errcode = 'insufficient_privilege',
            hint = 'A step that must change a table''s audit triggers runs as a superuser (-- readb:superuser).';
    end if;
end;
$_$;

--
-- Name: FUNCTION guard_audit_triggers(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.guard_audit_triggers() IS 'Event trigger: refuses, for every role but a superuser, DDL that disables, drops or replaces an audit trigger of a rea table (42501).';

--
-- Name: heads(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.heads() RETURNS TABLE(client_id uuid, day date, row_count bigint, seal_hash bytea, before_xid xid8)
    LANGUAGE sql STABLE
    SET jit TO 'off'
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    with
    latest as (
        select distinct on (s.client_id) s.client_id, s.day, s.row_count, s.seal_hash
        from audit.seals as s
        order by s.client_id, s.day desc
    ),

    open_from as (
        select coalesce(
            greatest(
                (select s.sealed_through from audit.settings as s), (select pg_catalog.max(s.day) from audit.seals as s)
            ) + 1,
            '-infinity'::date
        ) as day
    ),

    open_days as (
        select distinct
            coalesce(l.client_id, '00000000-0000-0000-0000-000000000000') as client_id,
            (l.occurred_at at time zone 'UTC')::date as day
        from audit.audit_logs as l, open_from as f
        where l.occurred_at >= (f.day::timestamp at time zone 'UTC')
    ),

    snapshot as (
        select pg_catalog.pg_snapshot_xmin(pg_catalog.pg_current_snapshot()) as xmin
    )

    select t.client_id, t.day, t.row_count, t.seal_hash, null::xid8
    from latest as t
    union all
    select o.client_id, o.day, h.row_count, h.seal_hash, x.xmin
    from open_days as o
    cross join snapshot as x
    cross join lateral audit.open_day_head(o.client_id, o.day, x.xmin) as h
    where h.row_count > 0
    order by 1, 2
$$;

--
-- Name: FUNCTION heads(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.heads() IS 'What readb audit heads prints: per tenant the latest seal, and a provisional head (before_xid) of each day not sealed yet. Keep them outside the database; readb audit verify --heads checks them.';

--
-- Name: log_changes(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.log_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    tenant_column text := tg_argv[0];
    key_columns text[] := pg_catalog.string_to_array(tg_argv[1], ',');
    personal text[] := coalesce(tg_argv[2:], '{}');
    actor uuid := rea.current_actor_id();
    stamp timestamptz;
begin
    if tg_level <> 'STATEMENT' or tg_when <> 'AFTER' or tg_nargs < 2 then
        raise exception 'audit.log_changes() must be an AFTER ... FOR EACH STATEMENT trigger with arguments'
            ' (tenant column, key columns, personal-data columns...)'
            using errcode = 'invalid_parameter_value';
    end if;
    stamp := audit.stamp();

    -- Each row is turned into jsonb once: `offset 0` keeps the planner from flattening
    -- the subqueries below, which would repeat to_jsonb() for every use of r.j (it made a
    -- 200,000-row insert's audit about 1.4 times slower).

    if tg_op = 'INSERT' then
        insert into audit.audit_logs (client_id, table_name, record_id, action, new_data, actor_id, occurred_at)
        select
            (r.j ->> tenant_column)::uuid,
            tg_table_name,
            case
                when key_columns[2] is null then r.j ->> key_columns[1]
                else pg_catalog.array_to_string(array(select r.j ->> k from pg_catalog.unnest(key_columns) as k), ',')
            end,
            'INSERT',
            r.j - personal,
            actor,
            stamp
        from (select pg_catalog.to_jsonb(n) as j from new_rows as n offset 0) as r;

    elsif tg_op = 'DELETE' then
        insert into audit.audit_logs (client_id, table_name, record_id, action, old_data, actor_id, occurred_at)
        select
            (r.j ->> tenant_column)::uuid,
            tg_table_name,
            case
                when key_columns[2] is null then r.j ->> key_columns[1]
                else pg_catalog.array_to_string(array(select r.j ->> k from pg_catalog.unnest(key_columns) as k), ',')
            end,
            'DELETE',
            r.j - personal,
            actor,
            stamp
        from (select pg_catalog.to_jsonb(o) as j from old_rows as o offset 0) as r;

    else
        insert into audit.audit_logs (
            client_id, table_name, record_id, action, old_data, new_data, changed_columns, actor_id, occurred_at
        )
        with
        before_image as (
            select
                r.j,
                pg_catalog.array_to_string(array(select r.j ->> k from pg_catalog.unnest(key_columns) as k), ',') as k
            from (select pg_catalog.to_jsonb(o) as j from old_rows as o offset 0) as r
        ),

        after_image as (
            select
                r.j,
                pg_catalog.array_to_string(array(select r.j ->> k from pg_catalog.unnest(key_columns) as k), ',') as k
            from (select pg_catalog.to_jsonb(n) as j from new_rows as n offset 0) as r
        )

        select
            (coalesce(a.j, b.j) ->> tenant_column)::uuid,
            tg_table_name,
            coalesce(a.k, b.k),
            'UPDATE',
            coalesce(d.old_values, '{}') - personal,
            coalesce(d.new_values, '{}') - personal,
            coalesce(d.changed, '{}'),
            actor,
            stamp
        from before_image as b
        full join after_image as a on b.k = a.k
        cross join lateral (
            select
                pg_catalog.array_agg(c.col order by c.col) as changed,
                pg_catalog.jsonb_object_agg(c.col, b.j -> c.col) filter (where b.j ? c.col) as old_values,
                pg_catalog.jsonb_object_agg(c.col, a.j -> c.col) filter (where a.j ? c.col) as new_values
            from pg_catalog.jsonb_object_keys(coalesce(b.j, '{}') || coalesce(a.j, '{}')) as c (col)
            where (b.j -> c.col) is distinct from (a.j -> c.col)
        ) as d;
    end if;
    return null;
end;
$$;

--
-- Name: FUNCTION log_changes(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.log_changes() IS 'AFTER statement trigger with transition tables old_rows/new_rows: writes one audit row per changed row. Arguments: tenant column ('''' for shared tables), key columns (comma-separated), personal-data columns.';

--
-- Name: open_day_head(uuid, date, xid8); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.open_day_head(tenant uuid, on_day date, before_xid xid8) RETURNS TABLE(row_count bigint, seal_hash bytea)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    -- the rows of the day written by transactions below before_xid, hashed as a seal
    -- would hash them, chained to the tenant's seal before that day
    select
        pg_catalog.count(*),
        pg_catalog.sha256(
            coalesce(
                (select s.seal_hash from audit.seals as s
                    where s.client_id = tenant and s.day < on_day order by s.day desc limit 1),
                pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex')
            )
            || pg_catalog.sha256(pg_catalog.string_agg(audit.row_hash(l), ''::bytea order by l.occurred_at, l.id))
        )
    from audit.audit_logs as l
    where
        (l.client_id = tenant or (l.client_id is null and tenant = '00000000-0000-0000-0000-000000000000'))
        and l.occurred_at >= (on_day::timestamp at time zone 'UTC')
        and l.occurred_at < ((on_day + 1)::timestamp at time zone 'UTC')
        and l.transaction_id < before_xid
$$;

--
-- Name: FUNCTION open_day_head(tenant uuid, on_day date, before_xid xid8); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.open_day_head(tenant uuid, on_day date, before_xid xid8) IS 'A provisional head of a day not sealed yet: the count and chained hash of its rows written by transactions below before_xid (ended when the head was read). For readb audit verify.';

--
-- Name: record_evidence_change(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.record_evidence_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
    insert into audit.evidence_changes (table_name, action, old_row, new_row)
    values (
        tg_table_name,
        tg_op,
        case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end,
        case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end
    );
    return null;
end;
$$;

--
-- Name: FUNCTION record_evidence_change(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.record_evidence_change() IS 'AFTER row trigger on audit.settings and audit.seals: records the change in audit.evidence_changes.';

--
-- Name: refuse_change(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
    raise exception 'the audit trail is append-only: % on %.% is refused', tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

--
-- Name: FUNCTION refuse_change(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.refuse_change() IS 'BEFORE UPDATE, DELETE or TRUNCATE trigger: refuses the change (42501). Keeps audit tables append-only.';

SET default_tablespace = '';

--
-- Name: audit_logs; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.audit_logs (
    id bigint NOT NULL,
    client_id uuid,
    table_name text NOT NULL,
    record_id text NOT NULL,
    action text NOT NULL,
    old_data jsonb,
    new_data jsonb,
    changed_columns text[],
    actor_id uuid,
    db_user text DEFAULT SESSION_USER NOT NULL,
    transaction_id xid8 DEFAULT pg_current_xact_id() NOT NULL,
    occurred_at timestamp with time zone NOT NULL,
    CONSTRAINT audit_logs_action_check CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
)
PARTITION BY RANGE (occurred_at);
-- Partitions of audit.audit_logs are runtime state, not schema: the clock decides which exist (made when its step runs, then by readb up and scheduled maintenance), so readb dump leaves them out.

ALTER TABLE ONLY audit.audit_logs FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE audit_logs; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.audit_logs IS 'Every INSERT, UPDATE and DELETE on rea tables. Append-only; partitioned by month; personal data redacted.';

--
-- Name: COLUMN audit_logs.client_id; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.client_id IS 'The tenant of the changed row; NULL for shared reference tables.';

--
-- Name: COLUMN audit_logs.record_id; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.record_id IS 'Primary key of the changed row: its id, or the key columns joined by commas for reference tables.';

--
-- Name: COLUMN audit_logs.old_data; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.old_data IS 'DELETE: the row; UPDATE: the changed columns'' old values. Personal-data columns are never included.';

--
-- Name: COLUMN audit_logs.new_data; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.new_data IS 'INSERT: the row; UPDATE: the changed columns'' new values. Personal-data columns are never included.';

--
-- Name: COLUMN audit_logs.changed_columns; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.changed_columns IS 'UPDATE: every column whose value changed, personal-data columns included (by name only).';

--
-- Name: COLUMN audit_logs.actor_id; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.actor_id IS 'app.user_id of the transaction (rea.current_actor_id()).';

--
-- Name: COLUMN audit_logs.db_user; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.db_user IS 'The database login (session_user) that made the change.';

--
-- Name: COLUMN audit_logs.occurred_at; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.audit_logs.occurred_at IS 'Clock time of the statement. Seals group rows by its UTC day.';

--
-- Name: row_hash(audit.audit_logs); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.row_hash(r audit.audit_logs) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    -- every column, in a form that does not depend on session settings (epoch, not a
    -- formatted time); jsonb's text form is canonical
    select pg_catalog.sha256(pg_catalog.convert_to(
        pg_catalog.jsonb_build_array(
            r.id, r.client_id, r.table_name, r.record_id, r.action, r.old_data, r.new_data,
            r.changed_columns, r.actor_id, r.db_user, r.transaction_id::text,
            extract(epoch from r.occurred_at)
        )::text,
        'UTF8'
    ))
$$;

--
-- Name: FUNCTION row_hash(r audit.audit_logs); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.row_hash(r audit.audit_logs) IS 'SHA-256 of one audit row, as sealed.';

--
-- Name: seal_days(date); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.seal_days(through date DEFAULT (((now() AT TIME ZONE 'UTC'::text))::date - 1)) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    first_day date;
    sealing date;
    today date := (pg_catalog.now() at time zone 'UTC')::date;
    sealed integer := 0;
begin
    -- Under repeatable read the snapshot predates the wait for a day's lock below, and
    -- the rows of the writers waited for would be missing from the seal.
    if pg_catalog.current_setting('transaction_isolation') <> 'read committed' then
        raise exception 'audit.seal_days() must run in a read committed transaction'
            using errcode = 'invalid_transaction_state';
    end if;
    if through is null or through >= today then
        raise exception 'only days that have ended (UTC) can be sealed' using errcode = 'invalid_parameter_value';
    end if;
    -- one sealer at a time
    perform from audit.settings as s for update;
    -- the coming week's rows, so that no writer has to make its day's row
    insert into audit.day_locks (day)
    select pg_catalog.generate_series(today + 1, today + 7, interval '1 day')::date
    on conflict do nothing;
    select s.sealed_through + 1 into first_day from audit.settings as s;
    if first_day is null then
        select (pg_catalog.min(l.occurred_at) at time zone 'UTC')::date into first_day from audit.audit_logs as l;
    end if;
    if first_day is null or first_day > through then
        return 0;
    end if;

    for sealing in select pg_catalog.generate_series(first_day, through, interval '1 day')::date loop
        -- waits for the transactions that wrote into this day, if any are still open
        insert into audit.day_locks (day) values (sealing) on conflict do nothing;
        perform from audit.day_locks as l where l.day = sealing for update;
        insert into audit.seals (client_id, day, row_count, rows_hash, previous_hash, seal_hash)
        select
            h.client_id, h.day, h.row_count, h.rows_hash, p.previous_hash,
            pg_catalog.sha256(p.previous_hash || h.rows_hash)
        from audit.day_hashes(sealing, sealing) as h
        cross join lateral (
            select coalesce(
                (select s.seal_hash from audit.seals as s
                    where s.client_id = h.client_id order by s.day desc limit 1),
                pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex')
            ) as previous_hash
        ) as p;
        sealed := sealed + 1;
    end loop;
    update audit.settings set sealed_through = through, updated_at = pg_catalog.now();
    return sealed;
end;
$$;

--
-- Name: FUNCTION seal_days(through date); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.seal_days(through date) IS 'Seals every UTC day after the last sealed one up to through (yesterday by default); returns the days sealed. Security definer (runs as rea_audit_owner); rea_owner may call it.';

--
-- Name: stamp(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.stamp() RETURNS timestamp with time zone
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    utc_day date := (pg_catalog.clock_timestamp() at time zone 'UTC')::date;
    stamp timestamptz;
begin
    -- The day's row, FOR KEY SHARE to the end of the transaction: writers never wait for
    -- each other, and audit.seal_days() locks it FOR UPDATE, so it seals a day only once
    -- every transaction that wrote rows into it has ended. Taken before reading the
    -- clock, so a row can never be stamped into a day already sealed.
    loop
        perform from audit.day_locks as l where l.day = utc_day for key share;
        if not found then
            insert into audit.day_locks (day) values (utc_day) on conflict do nothing;
            perform from audit.day_locks as l where l.day = utc_day for key share;
        end if;
        stamp := pg_catalog.clock_timestamp();
        exit when (stamp at time zone 'UTC')::date = utc_day;
        utc_day := (stamp at time zone 'UTC')::date;  -- midnight passed meanwhile
    end loop;
    return stamp;
end;
$$;

--
-- Name: FUNCTION stamp(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.stamp() IS 'The time audit rows are stamped with, after locking its UTC day''s row of audit.day_locks FOR KEY SHARE.';

--
-- Name: verify_seals(); Type: FUNCTION; Schema: audit; Owner: -
--

CREATE FUNCTION audit.verify_seals() RETURNS TABLE(client_id uuid, day date, problem text, sealed_rows bigint, found_rows bigint)
    LANGUAGE sql STABLE
    SET jit TO 'off'
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    with
    settings as (
        select s.retention_months, s.sealed_through, s.retained_from from audit.settings as s
    ),

    floor as (  -- the oldest day a retention of 60 months, the minimum, may have dropped
        select (pg_catalog.date_trunc('month', pg_catalog.now() at time zone 'UTC') - interval '60 months')::date as day
    ),

    bounds as (
        select
            least(coalesce((select s.retained_from from settings as s), '-infinity'::date), f.day)
                as first_day,
            greatest(
                (select s.sealed_through from settings as s), (select pg_catalog.max(s.day) from audit.seals as s)
            ) as last_day
        from floor as f
    ),

    sealed as (
        select s.*
        from audit.seals as s, bounds as b
        where s.day >= b.first_day
    ),

    recomputed as (
        select h.*
        from bounds as b, audit.day_hashes(b.first_day, b.last_day) as h
    ),

    chain as (
        select
            s.client_id, s.day, s.previous_hash, s.seal_hash, s.rows_hash,
            pg_catalog.lag(s.seal_hash) over (partition by s.client_id order by s.day) as prior_hash
        from audit.seals as s
    )

    select
        coalesce(s.client_id, r.client_id),
        coalesce(s.day, r.day),
        case
            when s.day is null then 'rows in a day sealed without them'
            when r.day is null then 'sealed rows missing'
            when s.row_count <> r.row_count then 'rows added or removed'
            else 'rows altered'
        end,
        s.row_count,
        coalesce(r.row_count, 0)
    from sealed as s
    full join recomputed as r on s.client_id = r.client_id and s.day = r.day
    where s.rows_hash is distinct from r.rows_hash
    union all
    select c.client_id, c.day, 'seal chain broken', null, null
    from chain as c
    where
        c.seal_hash <> pg_catalog.sha256(c.previous_hash || c.rows_hash)
        or c.previous_hash <> coalesce(c.prior_hash, pg_catalog.decode(pg_catalog.repeat('00', 32), 'hex'))
    union all
    select null, null, 'audit.settings is missing', null, null
    where not exists (select from settings)
    union all
    select null, s.retained_from, 'retained_from is past the 60-month minimum retention', null, null
    from settings as s, floor as f
    where s.retained_from > f.day
    union all
    select null, null, 'retention_months is below 60', null, null
    from settings as s
    where s.retention_months < 60
    order by 1, 2, 3
$$;

--
-- Name: FUNCTION verify_seals(); Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON FUNCTION audit.verify_seals() IS 'Every sealed day (back to the 60-month retention floor) whose audit rows no longer match their seal, every broken chain link, and a missing or loosened audit.settings. No rows: the sealed trail is intact. Reads only what the caller may see (auditors: their tenant).';

--
-- Name: each_tenant(text, text, integer, boolean); Type: PROCEDURE; Schema: migrations; Owner: -
--

CREATE PROCEDURE migrations.each_tenant(IN migration text, IN statement text, IN batch_size integer DEFAULT 1000, IN expect_rows boolean DEFAULT true)
    LANGUAGE plpgsql
    AS $$
declare
    tenant pg_catalog.uuid;
    changed pg_catalog.int8;
    total pg_catalog.int8 := 0;
begin
    if migration is null or statement is null or batch_size is null or batch_size < 1 then
        raise exception 'migration, statement and a batch_size of at least 1 are required'
            using errcode = 'invalid_parameter_value';
    end if;
    for tenant in select c.id from rea.clients as c order by c.id loop
        loop
            perform pg_catalog.set_config('role', 'rea_owner', true);
            perform pg_catalog.set_config('app.client_id', tenant::pg_catalog.text, true);
            perform pg_catalog.set_config('app.user_id', '', true);
            execute statement using batch_size;
            get diagnostics changed = row_count;
            insert into migrations.batches (migration, client_id, rows_changed)
            values (migration, tenant, changed);
            total := total + changed;
            commit;
            exit when changed < batch_size;
        end loop;
    end loop;
    if total = 0 and expect_rows then
        raise warning 'migration % changed no rows in any tenant', migration
            using hint = 'if that is expected, call it with expect_rows => false';
    end if;
end;
$$;

--
-- Name: PROCEDURE each_tenant(IN migration text, IN statement text, IN batch_size integer, IN expect_rows boolean); Type: COMMENT; Schema: migrations; Owner: -
--

COMMENT ON PROCEDURE migrations.each_tenant(IN migration text, IN statement text, IN batch_size integer, IN expect_rows boolean) IS 'Runs statement ($1 = batch_size) per tenant, with its context, in committed batches until one changes fewer rows.';

--
-- Name: bloat_estimates(); Type: FUNCTION; Schema: monitoring; Owner: -
--

CREATE FUNCTION monitoring.bloat_estimates() RETURNS TABLE(kind text, schema_name text, relation_name text, table_name text, pages bigint, expected_pages bigint, wasted_bytes bigint, wasted_ratio numeric)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    -- The estimate PgHero and pg-index-health make, simplified: the pages the live rows
    -- need (their average width from pg_stats, plus tuple header and line pointer, at the
    -- fill factor) against the pages the relation has. Needs ANALYZE; reads the
    -- statistics of what rea_owner may read (the project's tables).
    with
    block as (select current_setting('block_size')::numeric as size),

    heap as (
        select
            c.oid, n.nspname, c.relname, c.relpages, c.reltuples,
            coalesce((
                select o.option_value::numeric
                from pg_options_to_table(c.reloptions) as o where o.option_name = 'fillfactor'
            ), 100) as fillfactor,
            -- row width: header (23 bytes and the null bitmap, aligned to 8), data, line pointer
            24 + ceil(sum(s.avg_width) / 8.0) * 8 + 4 as row_bytes
        from pg_class as c
        inner join pg_namespace as n on c.relnamespace = n.oid
        inner join pg_stats as s on s.schemaname = n.nspname and s.tablename = c.relname
        where c.relkind in ('r', 'm') and c.reltuples > 0 and n.nspname not in ('pg_catalog', 'information_schema')
        group by c.oid, n.nspname, c.relname, c.relpages, c.reltuples, c.reloptions
    ),

    btree as (
        select
            ic.oid, n.nspname, ic.relname, t.relname as table_name, ic.relpages, ic.reltuples,
            coalesce((
                select o.option_value::numeric
                from pg_options_to_table(ic.reloptions) as o where o.option_name = 'fillfactor'
            ), 90) as fillfactor,
            -- index tuple: 8-byte header, the keys (8 bytes for an expression), aligned, line pointer
            8 + ceil(sum(coalesce(s.avg_width, 8)) / 8.0) * 8 + 4 as row_bytes
        from pg_index as i
        inner join pg_class as ic on i.indexrelid = ic.oid
        inner join pg_class as t on i.indrelid = t.oid
        inner join pg_namespace as n on ic.relnamespace = n.oid
        inner join pg_am as am on ic.relam = am.oid and am.amname = 'btree'
        cross join lateral unnest(i.indkey::int2[]) as k (attnum)
        left join pg_attribute as a on a.attrelid = t.oid and k.attnum = a.attnum and k.attnum > 0
        left join pg_stats as s on s.schemaname = n.nspname and s.tablename = t.relname and s.attname = a.attname
        where ic.reltuples > 0 and n.nspname not in ('pg_catalog', 'information_schema')
        group by ic.oid, n.nspname, ic.relname, t.relname, ic.relpages, ic.reltuples, ic.reloptions
        -- only when every key column has statistics (or is an expression)
        having bool_and(k.attnum = 0 or s.avg_width is not null)
    ),

    estimated as (
        select
            'table' as kind, h.nspname, h.relname, h.relname as table_name, h.relpages,
            ceil(h.reltuples * h.row_bytes / ((b.size - 24) * h.fillfactor / 100))::bigint as expected
        from heap as h, block as b
        union all
        select
            'index', x.nspname, x.relname, x.table_name, x.relpages,
            -- plus the metapage
            ceil(x.reltuples * x.row_bytes / ((b.size - 24 - 16) * x.fillfactor / 100))::bigint + 1
        from btree as x, block as b
    )

    select
        e.kind, e.nspname::text, e.relname::text, e.table_name::text, e.relpages::bigint, e.expected,
        (greatest(e.relpages - e.expected, 0) * b.size)::bigint,
        round(greatest(e.relpages - e.expected, 0)::numeric / nullif(e.relpages, 0), 3)
    from estimated as e, block as b
$$;

--
-- Name: FUNCTION bloat_estimates(); Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON FUNCTION monitoring.bloat_estimates() IS 'Estimated wasted space of every analyzed table and btree index rea_owner may read (pg_stats based).';

--
-- Name: cron_job_runs(); Type: FUNCTION; Schema: monitoring; Owner: -
--

CREATE FUNCTION monitoring.cron_job_runs() RETURNS TABLE(job_name text, schedule text, command text, username text, active boolean, last_status text, last_start timestamp with time zone, last_end timestamp with time zone, last_message text, failed_runs bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
begin
    -- pg_cron's tables exist only where it is installed; its rows are visible to the user
    -- a job runs as (its row-level security), and the maintenance jobs run as members of
    -- rea_owner: this function runs as rea_owner and reads them through membership.
    if pg_catalog.to_regclass('cron.job_run_details') is null then
        return;
    end if;
    return query execute $sql$
        select
            j.jobname::text, j.schedule, j.command, j.username::text, j.active,
            l.status, l.start_time, l.end_time, l.return_message,
            (select pg_catalog.count(*) from cron.job_run_details as f
                where f.jobid = j.jobid and f.status = 'failed')
        from cron.job as j
        left join lateral (
            select d.status, d.start_time, d.end_time, d.return_message
            from cron.job_run_details as d
            where d.jobid = j.jobid
            order by d.runid desc
            limit 1
        ) as l on true
        order by j.jobname
    $sql$;
end;
$_$;

--
-- Name: FUNCTION cron_job_runs(); Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON FUNCTION monitoring.cron_job_runs() IS 'Each pg_cron job and its latest run (none when pg_cron is not installed).';

--
-- Name: record_refresh(); Type: FUNCTION; Schema: monitoring; Owner: -
--

CREATE FUNCTION monitoring.record_refresh() RETURNS event_trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    command record;
begin
    for command in select c.object_identity from pg_catalog.pg_event_trigger_ddl_commands() as c loop
        insert into monitoring.refreshes as r (matview, refreshed_at, seconds, refreshed_by)
        values (
            command.object_identity,
            pg_catalog.clock_timestamp(),
            extract(epoch from pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp()),
            session_user
        )
        on conflict on constraint refreshes_pkey do update
        set refreshed_at = excluded.refreshed_at, seconds = excluded.seconds, refreshed_by = excluded.refreshed_by;
    end loop;
end;
$$;

--
-- Name: FUNCTION record_refresh(); Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON FUNCTION monitoring.record_refresh() IS 'Event trigger function: records each REFRESH MATERIALIZED VIEW in monitoring.refreshes.';

--
-- Name: relation_name(oid); Type: FUNCTION; Schema: monitoring; Owner: -
--

CREATE FUNCTION monitoring.relation_name(relation oid) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    -- schema-qualified whatever the caller's search_path (regclass::text is not)
    select pg_catalog.format('%I.%I', n.nspname, c.relname)
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
    where c.oid = relation
$$;

--
-- Name: FUNCTION relation_name(relation oid); Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON FUNCTION monitoring.relation_name(relation oid) IS 'schema.name of a relation, quoted where needed.';

--
-- Name: threshold(text); Type: FUNCTION; Schema: monitoring; Owner: -
--

CREATE FUNCTION monitoring.threshold(threshold_name text) RETURNS numeric
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    select t.value from monitoring.thresholds as t where t.name = threshold_name
$$;

--
-- Name: FUNCTION threshold(threshold_name text); Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON FUNCTION monitoring.threshold(threshold_name text) IS 'The value of one monitoring.thresholds row.';

--
-- Name: analyze_partitioned_tables(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.analyze_partitioned_tables() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    parent record;
    analyzed integer := 0;
begin
    for parent in
        select c.oid, pg_catalog.format('%I.%I', n.nspname, c.relname) as name
        from pg_catalog.pg_partitioned_table as p
        inner join pg_catalog.pg_class as c on p.partrelid = c.oid
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname in ('rea', 'reporting') and not c.relispartition
        order by 2
    loop
        if not pg_catalog.pg_has_role((select c.relowner from pg_catalog.pg_class as c where c.oid = parent.oid), 'usage')
            then
            raise exception 'permission denied to analyze %', parent.name using errcode = 'insufficient_privilege';
        end if;
        execute 'analyze ' || parent.name;
        analyzed := analyzed + 1;
    end loop;
    -- the audit trail's tables belong to rea_audit_owner: its entry point analyzes them
    return analyzed + audit.analyze_partitioned();
end;
$$;

--
-- Name: FUNCTION analyze_partitioned_tables(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.analyze_partitioned_tables() IS 'ANALYZE every partitioned table of the project (autovacuum never does); raises 42501 where the caller may not.';

--
-- Name: apply_customer_retention(timestamp with time zone); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.apply_customer_retention(as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION apply_customer_retention(as_of timestamp with time zone); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.apply_customer_retention(as_of timestamp with time zone) IS 'Erases the current tenant''s customers with no activity within customer_retention before as_of, no open deal or booking, and no legal hold. Returns how many.';

--
-- Name: apply_customer_retention_all(timestamp with time zone); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.apply_customer_retention_all(as_of timestamp with time zone DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    tenant uuid;
    erased integer := 0;
begin
    -- every tenant, its context set for its own call only (the caller reads all clients:
    -- rea_owner's policy); one transaction, so a failing tenant fails the run visibly
    for tenant in select c.id from rea.clients as c order by c.id loop
        perform pg_catalog.set_config('app.client_id', tenant::text, true);
        erased := erased + rea.apply_customer_retention(as_of);
    end loop;
    perform pg_catalog.set_config('app.client_id', '', true);
    return erased;
end;
$$;

--
-- Name: FUNCTION apply_customer_retention_all(as_of timestamp with time zone); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.apply_customer_retention_all(as_of timestamp with time zone) IS 'Runs rea.apply_customer_retention(as_of) for every tenant; returns the customers erased. For the daily job.';

--
-- Name: approvals_enforce_workflow(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.approvals_enforce_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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
    SET search_path TO 'pg_catalog', 'pg_temp'
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
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    moves text;
    to_change boolean;
begin
    -- the properties this statement's bookings move: from_status -> to_status
    if tg_op = 'INSERT' then
        moves := 'select n.client_id, n.property_id, ''available'' as from_status, ''reserved'' as to_status'
            ' from new_bookings as n where n.status = ''ACTIVE''';
    else
        moves := 'select n.client_id, n.property_id,'
            ' case when n.status = ''ACTIVE'' then ''available'' else ''reserved'' end as from_status,'
            ' case when n.status = ''ACTIVE'' then ''reserved'' else ''available'' end as to_status'
            ' from new_bookings as n'
            ' inner join old_bookings as o on n.client_id = o.client_id and n.id = o.id'
            ' where (n.status = ''ACTIVE'') <> (o.status = ''ACTIVE'')';
    end if;
    execute 'select exists (select from (' || moves || ') as m inner join rea.properties as p'
        ' on p.client_id = m.client_id and p.id = m.property_id and p.status = m.from_status)'
    into to_change;
    if to_change then
        execute 'update rea.properties as p set status = m.to_status from (' || moves || ') as m'
            ' where p.client_id = m.client_id and p.id = m.property_id and p.status = m.from_status';
    end if;
    return null;
end;
$$;

--
-- Name: FUNCTION bookings_sync_property_status(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.bookings_sync_property_status() IS 'AFTER INSERT / UPDATE statement triggers on rea.bookings (new_bookings, old_bookings): an ACTIVE booking reserves its property, and releases it when it ends; one UPDATE, only when a status changes.';

--
-- Name: cancel_pending_approvals(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.cancel_pending_approvals() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
declare
    closed_subjects text;
    pending_exist boolean;
begin
    if tg_level <> 'STATEMENT' or tg_when <> 'AFTER' or tg_op <> 'UPDATE' or tg_nargs < 3 then
        raise exception 'rea.cancel_pending_approvals() must be an AFTER UPDATE ... FOR EACH STATEMENT'
            ' trigger with transition tables old_rows, new_rows and arguments'
            ' (approvals column, closing column, closing values...)'
            using errcode = 'invalid_parameter_value';
    end if;
    -- the subjects this statement moved into a closing value
    closed_subjects := pg_catalog.format(
        'select n.client_id, n.id, n.%1$I::text as closed_as'
        ' from new_rows as n inner join old_rows as o on n.client_id = o.client_id and n.id = o.id'
        ' where n.%1$I::text = any($1) and o.%1$I is distinct from n.%1$I',
        tg_argv[1]
    );
    execute pg_catalog.format(
        'select exists (select from (%s) as c inner join rea.approvals as a'
        ' on a.client_id = c.client_id and a.%I = c.id and a.status = ''pending'')',
        closed_subjects, tg_argv[0]
    )
    into pending_exist
    using tg_argv[2:];
    if pending_exist then
        execute pg_catalog.format(
            'update rea.approvals as a set status = ''cancelled'', decision_note = $2 || '' '' || c.closed_as'
            ' from (%s) as c'
            ' where a.client_id = c.client_id and a.%I = c.id and a.status = ''pending''',
            closed_subjects, tg_argv[0]
        )
        using tg_argv[2:], tg_table_name;
    end if;
    return null;
end;
$_$;

--
-- Name: FUNCTION cancel_pending_approvals(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.cancel_pending_approvals() IS 'AFTER UPDATE statement trigger (old_rows, new_rows) on a subject of approvals; arguments (approvals column, closing column, closing values...): subjects the statement closed cancel their pending approvals, in one UPDATE.';

--
-- Name: check_identifier_key(text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.check_identifier_key(key text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
    if key is null or pg_catalog.length(key) < 16 then
        raise exception 'the identifier key must have at least 16 characters'
            using errcode = 'invalid_parameter_value';
    end if;
end;
$$;

--
-- Name: FUNCTION check_identifier_key(key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.check_identifier_key(key text) IS 'Refuses (22023) a missing or short identifier key.';

--
-- Name: check_minor_units(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.check_minor_units() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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
    SET search_path TO 'pg_catalog', 'pg_temp'
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
    SET search_path TO 'pg_catalog', 'pg_temp'
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
-- Name: current_actor_id(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.current_actor_id() RETURNS uuid
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    actor uuid := nullif(current_setting('app.user_id', true), '')::uuid;
begin
    if actor is null then
        return null;
    end if;
    if not exists (
        select from rea.users as u
        where u.client_id = rea.current_client_id() and u.id = actor
    ) then
        raise exception 'app.user_id % is not a user of the current tenant', actor
            using errcode = 'insufficient_privilege', constraint = 'current_actor_of_tenant',
            hint = 'set app.user_id to the acting user of the tenant named by app.client_id, or leave it empty';
    end if;
    return actor;
end;
$$;

--
-- Name: FUNCTION current_actor_id(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.current_actor_id() IS 'The user acting in this transaction (app.user_id), NULL when unset or empty; 42501 (current_actor_of_tenant) when it is not a user of the current tenant. The audit trail records it.';

--
-- Name: current_client_id(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.current_client_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    select nullif(pg_catalog.current_setting('app.client_id', true), '')::pg_catalog.uuid
$$;

--
-- Name: FUNCTION current_client_id(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.current_client_id() IS 'The tenant of this transaction (app.client_id), NULL when unset or empty. Policies compare client_id with it.';

--
-- Name: customer_identifiers(uuid, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.customer_identifiers(customer_id uuid, key text) RETURNS TABLE(national_id text, passport_number text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION customer_identifiers(customer_id uuid, key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.customer_identifiers(customer_id uuid, key text) IS 'Decrypts a customer''s identifiers (the current tenant''s only, under RLS); a wrong key is error 39000.';

--
-- Name: deals_close_property(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.deals_close_property() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
    if not exists (
        select from new_deals as n
        inner join old_deals as o on n.client_id = o.client_id and n.id = o.id
        where n.stage = 'won' and o.stage <> 'won'
    ) then
        return null;  -- no deal won: no UPDATE, so no audit trigger fires on rea.properties
    end if;
    update rea.properties as p
    set status = w.closed_status
    from (
        select distinct on (n.client_id, n.property_id)
            n.client_id,
            n.property_id,
            case n.deal_type when 'sale' then 'sold' else 'rented' end as closed_status
        from new_deals as n
        inner join old_deals as o on n.client_id = o.client_id and n.id = o.id
        where n.stage = 'won' and o.stage <> 'won'
        order by n.client_id, n.property_id, n.closed_at desc, n.id desc
    ) as w
    where
        p.client_id = w.client_id
        and p.id = w.property_id
        and p.status <> w.closed_status;
    return null;
end;
$$;

--
-- Name: FUNCTION deals_close_property(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.deals_close_property() IS 'AFTER UPDATE on rea.deals, per statement: the property of a deal moved to won becomes sold (sale) or rented (rental).';

--
-- Name: deals_enforce_workflow(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.deals_enforce_workflow() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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
-- Name: erase_customer(uuid); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.erase_customer(customer_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION erase_customer(customer_id uuid); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.erase_customer(customer_id uuid) IS 'PDPL erasure of a customer of the current tenant: personal data removed everywhere, deals and bookings kept.';

--
-- Name: expenses_enforce_approval(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.expenses_enforce_approval() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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
-- Name: export_customer(uuid); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.export_customer(customer_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION export_customer(customer_id uuid); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.export_customer(customer_id uuid) IS 'PDPL access: a customer of the current tenant with its deals, bookings and communications, as JSON. Identifiers are reported as held or not; rea.customer_identifiers() decrypts them with the key.';

--
-- Name: find_customers_by_identifier(text, text, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.find_customers_by_identifier(kind text, value text, key text) RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION find_customers_by_identifier(kind text, value text, key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.find_customers_by_identifier(kind text, value text, key text) IS 'Ids of the current tenant''s customers with this national_id or passport_number, found by HMAC.';

--
-- Name: fx_rate(text, text, date); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.fx_rate(from_currency text, to_currency text, on_date date) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
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
-- Name: identifier_hmac(text, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.identifier_hmac(value text, key text) RETURNS bytea
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    select extensions.hmac(
        pg_catalog.convert_to(rea.normalise_identifier(value), 'UTF8'),
        extensions.hmac('rea invest identifier lookup'::bytea, pg_catalog.convert_to(key, 'UTF8'), 'sha256'),
        'sha256'
    )
$$;

--
-- Name: FUNCTION identifier_hmac(value text, key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.identifier_hmac(value text, key text) IS 'Keyed HMAC of a normalised identifier, under a lookup key derived from the encryption key.';

--
-- Name: normalise_identifier(text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.normalise_identifier(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    select pg_catalog.upper(pg_catalog.regexp_replace(value, '[[:space:]-]', '', 'g'))
$$;

--
-- Name: FUNCTION normalise_identifier(value text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.normalise_identifier(value text) IS 'Identifier as stored and looked up: upper case, without spaces and dashes.';

--
-- Name: provision_agency(text, text, text, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    client uuid := rea.uuid_v7();
    admin uuid;
    admin_role uuid;
    tenant_before text := current_setting('app.client_id', true);
    actor_before text := current_setting('app.user_id', true);
begin
    perform set_config('app.client_id', client::text, true);
    perform set_config('app.user_id', '', true);
    insert into rea.clients (id, name, base_currency)
    values (client, agency_name, base_currency);
    insert into rea.users (client_id, full_name, email)
    values (client, admin_full_name, admin_email)
    returning id into admin;
    insert into rea.roles (client_id, name, description)
    values (client, 'Administrators', 'Every permission; made when the agency was provisioned')
    returning id into admin_role;
    insert into rea.role_permissions (client_id, role_id, permission_code)
    select client, admin_role, p.code from rea.permissions as p order by p.code;
    insert into rea.user_roles (client_id, user_id, role_id)
    values (client, admin, admin_role);
    perform set_config('app.client_id', coalesce(tenant_before, ''), true);
    perform set_config('app.user_id', coalesce(actor_before, ''), true);
    return client;
end;
$$;

--
-- Name: FUNCTION provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text) IS 'Adds an agency: its client row, its first user with an Administrators role holding every permission. For rea_operator.';

--
-- Name: require_client_id(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.require_client_id() RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION require_client_id(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.require_client_id() IS 'The tenant of this transaction, or error 42501 when none is set: for functions that write.';

--
-- Name: rotate_identifier_key(text, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.rotate_identifier_key(old_key text, new_key text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION rotate_identifier_key(old_key text, new_key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.rotate_identifier_key(old_key text, new_key text) IS 'Re-encrypts the current tenant''s identifiers from old_key to new_key and recomputes their HMACs; returns the rows.';

--
-- Name: set_customer_identifiers(uuid, text, text, text); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
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
$_$;

--
-- Name: FUNCTION set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text) IS 'Stores a customer''s national id and passport number (NULL clears one) encrypted under key, with their HMACs.';

--
-- Name: skip_unchanged_update(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.skip_unchanged_update() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
begin
    -- The trigger's WHEN (in a cascade, old *= new) picked the row: keep it as it is.
    return null;
end;
$$;

--
-- Name: FUNCTION skip_unchanged_update(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.skip_unchanged_update() IS 'BEFORE UPDATE row trigger, WHEN (pg_trigger_depth() > 0 and old *= new): a cascade skips a row it leaves unchanged.';

--
-- Name: touch_updated_at(); Type: FUNCTION; Schema: rea; Owner: -
--

CREATE FUNCTION rea.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
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
    -- inlinable, so no `set` clause: every type is qualified; functions are never
    -- looked up in pg_temp (overlay and substring are SQL syntax for pg_catalog's)
    select pg_catalog.encode(
        pg_catalog.set_bit(
            pg_catalog.set_bit(
                overlay(
                    pg_catalog.uuid_send(pg_catalog.gen_random_uuid())
                    placing substring(
                        pg_catalog.int8send(
                            pg_catalog.floor(extract(epoch from pg_catalog.clock_timestamp()) * 1000)::pg_catalog.int8
                        )
                        from 3
                    )
                    from 1 for 6
                ),
                52, 1
            ),
            53, 1
        ),
        'hex'
    )::pg_catalog.uuid;
$$;

--
-- Name: FUNCTION uuid_v7(); Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON FUNCTION rea.uuid_v7() IS 'A new version 7 UUID: 48-bit millisecond timestamp, then random bits. Default for id columns.';

--
-- Name: fact_bookings_rows(); Type: FUNCTION; Schema: reporting; Owner: -
--

CREATE FUNCTION reporting.fact_bookings_rows() RETURNS TABLE(client_id uuid, id uuid, business_date date, month date, property_id uuid, branch_id uuid, agent_user_id uuid, listing_type text, status text, duration_days numeric, amount numeric, currency text, amount_base numeric, base_currency text)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET row_security TO 'on'
    AS $$
    select
        b.client_id,
        b.id,
        b.starts_at::date as business_date,
        date_trunc('month', b.starts_at)::date as month,
        b.property_id,
        p.branch_id,
        b.agent_user_id,
        p.listing_type,
        b.status,
        round(extract(epoch from b.ends_at - b.starts_at) / 86400, 2) as duration_days,
        b.deposit_amount as amount,
        b.deposit_currency as currency,
        rea.convert_amount(
            b.deposit_amount, b.deposit_currency, c.base_currency, b.starts_at::date
        ) as amount_base,
        c.base_currency
    from rea.bookings as b
    inner join rea.properties as p on b.client_id = p.client_id and b.property_id = p.id
    inner join rea.clients as c on b.client_id = c.id
$$;

--
-- Name: FUNCTION fact_bookings_rows(); Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON FUNCTION reporting.fact_bookings_rows() IS 'The rows of reporting.fact_bookings_mv, read under RLS whatever the session''s row_security (pg_restore).';

--
-- Name: fact_deals_rows(); Type: FUNCTION; Schema: reporting; Owner: -
--

CREATE FUNCTION reporting.fact_deals_rows() RETURNS TABLE(client_id uuid, id uuid, business_date date, month date, branch_id uuid, agent_user_id uuid, listing_type text, deal_type text, stage text, amount numeric, currency text, amount_base numeric, base_currency text, commission_amount numeric, commission_currency text, commission_base numeric, closed_at timestamp with time zone)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET row_security TO 'on'
    AS $$
    select
        d.client_id,
        d.id,
        d.deal_date as business_date,
        date_trunc('month', d.deal_date)::date as month,
        p.branch_id,
        d.agent_user_id,
        p.listing_type,
        d.deal_type,
        d.stage,
        d.amount,
        d.currency,
        rea.convert_amount(d.amount, d.currency, c.base_currency, d.deal_date) as amount_base,
        c.base_currency,
        d.commission_amount,
        d.commission_currency,
        rea.convert_amount(
            d.commission_amount, d.commission_currency, c.base_currency, d.deal_date
        ) as commission_base,
        d.closed_at
    from rea.deals as d
    inner join rea.properties as p on d.client_id = p.client_id and d.property_id = p.id
    inner join rea.clients as c on d.client_id = c.id
    where d.deleted_at is null
$$;

--
-- Name: FUNCTION fact_deals_rows(); Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON FUNCTION reporting.fact_deals_rows() IS 'The rows of reporting.fact_deals_mv, read under RLS whatever the session''s row_security (pg_restore).';

--
-- Name: fact_expenses_rows(); Type: FUNCTION; Schema: reporting; Owner: -
--

CREATE FUNCTION reporting.fact_expenses_rows() RETURNS TABLE(client_id uuid, id uuid, business_date date, month date, branch_id uuid, property_id uuid, recorded_by uuid, category text, status text, amount numeric, currency text, amount_base numeric, base_currency text)
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'pg_temp'
    SET row_security TO 'on'
    AS $$
    select
        e.client_id,
        e.id,
        e.expense_date as business_date,
        date_trunc('month', e.expense_date)::date as month,
        coalesce(e.branch_id, p.branch_id) as branch_id,
        e.property_id,
        e.recorded_by,
        e.category,
        e.status,
        e.amount,
        e.currency,
        rea.convert_amount(e.amount, e.currency, c.base_currency, e.expense_date) as amount_base,
        c.base_currency
    from rea.expenses as e
    inner join rea.clients as c on e.client_id = c.id
    left join rea.properties as p on e.client_id = p.client_id and e.property_id = p.id
$$;

--
-- Name: FUNCTION fact_expenses_rows(); Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON FUNCTION reporting.fact_expenses_rows() IS 'The rows of reporting.fact_expenses_mv, read under RLS whatever the session''s row_security (pg_restore).';

--
-- Name: refresh_facts(); Type: FUNCTION; Schema: reporting; Owner: -
--

CREATE FUNCTION reporting.refresh_facts() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    view record;
    refreshed integer := 0;
begin
    for view in
        select pg_catalog.format('%I.%I', m.schemaname, m.matviewname) as name, m.ispopulated
        from pg_catalog.pg_matviews as m
        where m.schemaname = 'reporting'
        order by m.matviewname
    loop
        -- concurrently once populated: dashboards keep reading meanwhile
        execute pg_catalog.format(
            'refresh materialized view %s %s', case when view.ispopulated then 'concurrently' else '' end, view.name
        );
        refreshed := refreshed + 1;
    end loop;
    return refreshed;
end;
$$;

--
-- Name: FUNCTION refresh_facts(); Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON FUNCTION reporting.refresh_facts() IS 'Refreshes every reporting materialized view (concurrently once populated), as readb refresh does; for the job.';

--
-- Name: properties(jsonb, text, integer); Type: FUNCTION; Schema: search; Owner: -
--

CREATE FUNCTION search.properties(wanted_features jsonb DEFAULT NULL::jsonb, search_words text DEFAULT NULL::text, max_rows integer DEFAULT 50) RETURNS TABLE(id uuid, title text, district text, city text, property_type text, listing_type text, status text, asking_price numeric, currency text, features jsonb, score real)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
declare
    tenant uuid := rea.require_client_id();
    words text[];
    longest text;
begin
    -- Every word must be found (pg_trgm word similarity, so a misspelling still finds
    -- it), in any order; the longest word is the index condition, the others filter.
    words := array(
        select w from pg_catalog.regexp_split_to_table(search_words, '\s+') as w where w <> ''
    );
    longest := (select w from pg_catalog.unnest(words) as w order by pg_catalog.length(w) desc, w limit 1);
    if search_words is not null and longest is null then
        raise exception 'search_words holds no word'
            using errcode = 'invalid_parameter_value';
    end if;
    if wanted_features is null and search_words is null then
        raise exception 'give wanted_features, search_words or both'
            using errcode = 'invalid_parameter_value';
    end if;
    if wanted_features is not null and pg_catalog.jsonb_typeof(wanted_features) <> 'object' then
        raise exception 'wanted_features must be a JSON object'
            using errcode = 'invalid_parameter_value';
    end if;
    if max_rows is null or max_rows < 1 or max_rows > 500 then
        raise exception 'max_rows must be between 1 and 500'
            using errcode = 'invalid_parameter_value';
    end if;
    -- Two statements, not one with `x is null or ...`: each keeps its index condition in
    -- a generic plan too (words and features together: the words' index, features filter).
    -- The expression after `<%` is exactly 7450's index expression.
    if search_words is null then
        return query
        select
            p.id, p.title, p.district, p.city, p.property_type, p.listing_type, p.status,
            p.asking_price, p.currency, p.features, 1::real
        from rea.properties as p
        where
            p.client_id = tenant
            and p.features @> wanted_features
            and p.deleted_at is null
        order by p.id
        limit max_rows;
    else
        return query
        select
            p.id, p.title, p.district, p.city, p.property_type, p.listing_type, p.status,
            p.asking_price, p.currency, p.features,
            (
                select pg_catalog.avg(extensions.word_similarity(w, p.title || ' ' || coalesce(p.district, '')))
                from pg_catalog.unnest(words) as w
            )::real
        from rea.properties as p
        where
            p.client_id = tenant
            and longest operator(extensions.<%) (p.title || ' ' || coalesce(p.district, ''))
            and not exists (
                select from pg_catalog.unnest(words) as w
                where not w operator(extensions.<%) (p.title || ' ' || coalesce(p.district, ''))
            )
            and (wanted_features is null or p.features @> wanted_features)
            and p.deleted_at is null
        order by 11 desc, p.id
        limit max_rows;
    end if;
end;
$$;

--
-- Name: FUNCTION properties(wanted_features jsonb, search_words text, max_rows integer); Type: COMMENT; Schema: search; Owner: -
--

COMMENT ON FUNCTION search.properties(wanted_features jsonb, search_words text, max_rows integer) IS 'The current tenant''s properties (not deleted) whose features contain wanted_features and/or whose title and district hold every word of search_words (pg_trgm word similarity), best first.';

--
-- Name: audit_logs_id_seq; Type: SEQUENCE; Schema: audit; Owner: -
--

CREATE SEQUENCE audit.audit_logs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 100;

--
-- Name: audit_logs_id_seq; Type: SEQUENCE OWNED BY; Schema: audit; Owner: -
--

ALTER SEQUENCE audit.audit_logs_id_seq OWNED BY audit.audit_logs.id;

--
-- Name: SEQUENCE audit_logs_id_seq; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON SEQUENCE audit.audit_logs_id_seq IS 'Ids of audit rows: unique, and with occurred_at the order in which seals hash them (gaps are normal).';

SET default_table_access_method = heap;

--
-- Name: day_locks; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.day_locks (
    day date NOT NULL
);

--
-- Name: TABLE day_locks; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.day_locks IS 'One row per UTC day: audited writers hold it FOR KEY SHARE, audit.seal_days() FOR UPDATE. Owner only.';

--
-- Name: evidence_changes; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.evidence_changes (
    id bigint NOT NULL,
    table_name text NOT NULL,
    action text NOT NULL,
    old_row jsonb,
    new_row jsonb,
    db_user text DEFAULT SESSION_USER NOT NULL,
    role_name text DEFAULT CURRENT_USER NOT NULL,
    transaction_id xid8 DEFAULT pg_current_xact_id() NOT NULL,
    changed_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT evidence_changes_action_check CHECK ((action = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text])))
);

--
-- Name: TABLE evidence_changes; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.evidence_changes IS 'Every change to audit.settings and audit.seals: the row before and after, who, when. Append-only.';

--
-- Name: COLUMN evidence_changes.db_user; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.evidence_changes.db_user IS 'The database login (session_user) that made the change.';

--
-- Name: COLUMN evidence_changes.role_name; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.evidence_changes.role_name IS 'The role it acted as (current_user): rea_audit_owner for the sealer.';

--
-- Name: evidence_changes_id_seq; Type: SEQUENCE; Schema: audit; Owner: -
--

ALTER TABLE audit.evidence_changes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit.evidence_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: seals; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.seals (
    client_id uuid NOT NULL,
    day date NOT NULL,
    row_count bigint NOT NULL,
    rows_hash bytea NOT NULL,
    previous_hash bytea NOT NULL,
    seal_hash bytea NOT NULL,
    sealed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT seals_row_count_check CHECK ((row_count > 0))
);

ALTER TABLE ONLY audit.seals FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE seals; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.seals IS 'One row per tenant and UTC day sealed: the hash of the day''s audit rows, chained to the previous seal.';

--
-- Name: COLUMN seals.client_id; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.seals.client_id IS 'The tenant; the nil UUID for rows of shared reference tables.';

--
-- Name: COLUMN seals.previous_hash; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.seals.previous_hash IS 'seal_hash of the tenant''s previous seal; 32 zero bytes for the first.';

--
-- Name: settings; Type: TABLE; Schema: audit; Owner: -
--

CREATE TABLE audit.settings (
    singleton boolean DEFAULT true NOT NULL,
    retention_months integer DEFAULT 60 NOT NULL,
    sealed_through date,
    retained_from date,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT settings_retention_months_check CHECK ((retention_months >= 60)),
    CONSTRAINT settings_singleton_check CHECK (singleton)
);

--
-- Name: TABLE settings; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON TABLE audit.settings IS 'One row: how long the audit trail is kept, and how far it is sealed.';

--
-- Name: COLUMN settings.retention_months; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.settings.retention_months IS 'Months an audit partition is kept after it ends; at least 60 (5 years).';

--
-- Name: COLUMN settings.sealed_through; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.settings.sealed_through IS 'Last UTC day sealed by audit.seal_days(), for every tenant.';

--
-- Name: COLUMN settings.retained_from; Type: COMMENT; Schema: audit; Owner: -
--

COMMENT ON COLUMN audit.settings.retained_from IS 'First day still held; seals before it are of dropped partitions.';

--
-- Name: batches; Type: TABLE; Schema: migrations; Owner: -
--

CREATE TABLE migrations.batches (
    id bigint NOT NULL,
    migration text NOT NULL,
    client_id uuid NOT NULL,
    rows_changed bigint NOT NULL,
    transaction_id xid8 DEFAULT pg_current_xact_id() NOT NULL,
    finished_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT batches_rows_changed_check CHECK ((rows_changed >= 0))
);

--
-- Name: TABLE batches; Type: COMMENT; Schema: migrations; Owner: -
--

COMMENT ON TABLE migrations.batches IS 'One row per committed batch of migrations.each_tenant(): which migration, tenant, rows and transaction.';

--
-- Name: COLUMN batches.transaction_id; Type: COMMENT; Schema: migrations; Owner: -
--

COMMENT ON COLUMN migrations.batches.transaction_id IS 'The batch''s transaction: audit.audit_logs.transaction_id of the audit rows it wrote.';

--
-- Name: batches_id_seq; Type: SEQUENCE; Schema: migrations; Owner: -
--

ALTER TABLE migrations.batches ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME migrations.batches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_last_seals; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.audit_last_seals AS
 SELECT s.client_id,
    max(s.day) AS last_sealed_day,
    max(s.sealed_at) AS last_sealed_at,
    (((now() AT TIME ZONE 'UTC'::text))::date - max(s.day)) AS days_since_last_sealed_day,
    count(*) AS sealed_days
   FROM audit.seals s
  GROUP BY s.client_id
  ORDER BY (max(s.day)), s.client_id;

--
-- Name: VIEW audit_last_seals; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.audit_last_seals IS 'Per tenant (the nil UUID: shared tables), its latest sealed day and when it was sealed. A tenant is sealed only for days it had audited changes.';

--
-- Name: audit_partitions; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.audit_partitions AS
 SELECT c.relname AS partition_name,
    to_date("right"((c.relname)::text, 7), 'YYYY_MM'::text) AS month,
    (((EXTRACT(year FROM age((to_date("right"((c.relname)::text, 7), 'YYYY_MM'::text))::timestamp without time zone, date_trunc('month'::text, (now() AT TIME ZONE 'UTC'::text)))) * (12)::numeric) + EXTRACT(month FROM age((to_date("right"((c.relname)::text, 7), 'YYYY_MM'::text))::timestamp without time zone, date_trunc('month'::text, (now() AT TIME ZONE 'UTC'::text))))))::integer AS months_from_now,
    pg_total_relation_size((c.oid)::regclass) AS total_bytes
   FROM (pg_inherits i
     JOIN pg_class c ON ((i.inhrelid = c.oid)))
  WHERE ((i.inhparent = ('audit.audit_logs'::regclass)::oid) AND (c.relname ~ '^audit_logs_[0-9]{4}_[0-9]{2}$'::text))
  ORDER BY (to_date("right"((c.relname)::text, 7), 'YYYY_MM'::text));

--
-- Name: VIEW audit_partitions; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.audit_partitions IS 'The monthly partitions of audit.audit_logs (UTC months) and their sizes.';

--
-- Name: audit_partition_horizon; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.audit_partition_horizon AS
 WITH months AS (
         SELECT m.n,
            (EXISTS ( SELECT
                   FROM monitoring.audit_partitions p
                  WHERE (p.months_from_now = m.n))) AS present
           FROM generate_series(0, 120) m(n)
        )
 SELECT ( SELECT m.present
           FROM months m
          WHERE (m.n = 0)) AS current_month_exists,
    ( SELECT m.present
           FROM months m
          WHERE (m.n = 1)) AS next_month_exists,
    (COALESCE(( SELECT min(m.n) AS min
           FROM months m
          WHERE (NOT m.present)), 121) - 1) AS months_ahead,
    ( SELECT max(p.month) AS max
           FROM monitoring.audit_partitions p) AS last_month;

--
-- Name: VIEW audit_partition_horizon; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.audit_partition_horizon IS 'How far ahead audit partitions exist; with the current month missing every audited write fails.';

--
-- Name: audit_unsealed_days; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.audit_unsealed_days AS
 WITH bounds AS (
         SELECT s.sealed_through,
            COALESCE((s.sealed_through + 1), ( SELECT ((min(l.occurred_at) AT TIME ZONE 'UTC'::text))::date AS timezone
                   FROM audit.audit_logs l)) AS first_unsealed,
            (((now() AT TIME ZONE 'UTC'::text))::date - 1) AS last_closed
           FROM audit.settings s
        )
 SELECT b.sealed_through,
        CASE
            WHEN (b.first_unsealed <= b.last_closed) THEN b.first_unsealed
            ELSE NULL::date
        END AS first_unsealed_day,
    GREATEST(COALESCE(((b.last_closed - b.first_unsealed) + 1), 0), 0) AS unsealed_days
   FROM bounds b;

--
-- Name: VIEW audit_unsealed_days; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.audit_unsealed_days IS 'Closed UTC days not yet sealed by audit.seal_days() (from the first audited day when nothing was sealed).';

--
-- Name: autovacuum_lagging; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.autovacuum_lagging AS
 WITH tables AS (
         SELECT t_1.schemaname,
            t_1.relname,
            t_1.n_live_tup,
            t_1.n_dead_tup,
            t_1.last_autovacuum,
            t_1.last_vacuum,
            t_1.autovacuum_count,
            COALESCE(( SELECT (o.option_value)::boolean AS option_value
                   FROM pg_options_to_table(c.reloptions) o(option_name, option_value)
                  WHERE (o.option_name = 'autovacuum_enabled'::text)), (current_setting('autovacuum'::text))::boolean) AS autovacuum_enabled,
            ((COALESCE(( SELECT (o.option_value)::numeric AS option_value
                   FROM pg_options_to_table(c.reloptions) o(option_name, option_value)
                  WHERE (o.option_name = 'autovacuum_vacuum_threshold'::text)), (current_setting('autovacuum_vacuum_threshold'::text))::numeric))::double precision + ((COALESCE(( SELECT (o.option_value)::numeric AS option_value
                   FROM pg_options_to_table(c.reloptions) o(option_name, option_value)
                  WHERE (o.option_name = 'autovacuum_vacuum_scale_factor'::text)), (current_setting('autovacuum_vacuum_scale_factor'::text))::numeric))::double precision * GREATEST(c.reltuples, (0)::real))) AS vacuum_threshold
           FROM (pg_stat_user_tables t_1
             JOIN pg_class c ON ((t_1.relid = c.oid)))
        )
 SELECT t.schemaname AS schema_name,
    t.relname AS table_name,
    t.n_live_tup AS live_rows,
    t.n_dead_tup AS dead_rows,
    (round(t.vacuum_threshold))::bigint AS vacuum_threshold,
    t.autovacuum_enabled,
    t.last_autovacuum,
    t.last_vacuum
   FROM tables t
  WHERE ((t.n_dead_tup)::double precision > t.vacuum_threshold)
  ORDER BY t.n_dead_tup DESC;

--
-- Name: VIEW autovacuum_lagging; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.autovacuum_lagging IS 'Tables with more dead rows than their autovacuum threshold: autovacuum is behind, disabled or blocked.';

--
-- Name: bloat; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.bloat AS
 SELECT e.kind,
    e.schema_name,
    e.table_name,
    e.relation_name,
    e.pages,
    e.expected_pages,
    e.wasted_bytes,
    e.wasted_ratio
   FROM monitoring.bloat_estimates() e(kind, schema_name, relation_name, table_name, pages, expected_pages, wasted_bytes, wasted_ratio)
  WHERE ((e.wasted_ratio >= monitoring.threshold('bloat_ratio_min'::text)) AND ((e.wasted_bytes)::numeric >= monitoring.threshold('bloat_bytes_min'::text)))
  ORDER BY e.wasted_bytes DESC;

--
-- Name: VIEW bloat; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.bloat IS 'Tables and btree indexes estimated to be mostly empty space (an estimate). VACUUM reuses a table''s, VACUUM FULL or pg_repack returns it; reindex concurrently returns an index''s.';

--
-- Name: blocked_sessions; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.blocked_sessions AS
 SELECT w.pid AS blocked_pid,
    w.datname,
    w.usename AS blocked_user,
    (now() - w.query_start) AS waiting_for,
    w.query AS blocked_query,
    l.locktype,
    l.mode AS wanted_mode,
        CASE
            WHEN ((l.relation IS NOT NULL) AND (l.database = d.oid)) THEN monitoring.relation_name(l.relation)
            ELSE NULL::text
        END AS relation,
    b.pid AS blocking_pid,
    b.usename AS blocking_user,
    b.state AS blocking_state,
    (now() - b.xact_start) AS blocking_transaction_duration,
    b.query AS blocking_query
   FROM ((((pg_stat_activity w
     CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) blocker(pid))
     JOIN pg_stat_activity b ON ((blocker.pid = b.pid)))
     LEFT JOIN LATERAL ( SELECT lk.locktype,
            lk.mode,
            lk.relation,
            lk.database
           FROM pg_locks lk
          WHERE ((lk.pid = w.pid) AND (NOT lk.granted))
          ORDER BY lk.locktype
         LIMIT 1) l ON (true))
     LEFT JOIN pg_database d ON ((d.datname = current_database())))
  ORDER BY w.query_start;

--
-- Name: VIEW blocked_sessions; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.blocked_sessions IS 'Each session waiting for a lock, the lock it wants, and each session that blocks it.';

--
-- Name: cache_hit_rates; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.cache_hit_rates AS
 SELECT 'table'::text AS kind,
    (sum(t.heap_blks_hit))::bigint AS hits,
    (sum(t.heap_blks_read))::bigint AS reads,
    round((sum(t.heap_blks_hit) / NULLIF((sum(t.heap_blks_hit) + sum(t.heap_blks_read)), (0)::numeric)), 4) AS hit_rate
   FROM pg_statio_user_tables t
UNION ALL
 SELECT 'index'::text AS kind,
    (sum(i.idx_blks_hit))::bigint AS hits,
    (sum(i.idx_blks_read))::bigint AS reads,
    round((sum(i.idx_blks_hit) / NULLIF((sum(i.idx_blks_hit) + sum(i.idx_blks_read)), (0)::numeric)), 4) AS hit_rate
   FROM pg_statio_user_indexes i;

--
-- Name: VIEW cache_hit_rates; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.cache_hit_rates IS 'Share of table and index block reads served from shared buffers in this database.';

--
-- Name: cron_jobs; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.cron_jobs AS
 SELECT r.job_name,
    r.schedule,
    r.command,
    r.username,
    r.active,
    r.last_status,
    r.last_start,
    r.last_end,
    r.last_message,
    r.failed_runs
   FROM monitoring.cron_job_runs() r(job_name, schedule, command, username, active, last_status, last_start, last_end, last_message, failed_runs);

--
-- Name: VIEW cron_jobs; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.cron_jobs IS 'Scheduled maintenance jobs (pg_cron) with the status of their latest run and their failed runs.';

--
-- Name: duplicate_indexes; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.duplicate_indexes AS
 WITH indexes AS (
         SELECT i.indexrelid,
            i.indrelid,
            c.relam,
            ARRAY( SELECT unnest((i.indkey)::smallint[]) AS unnest) AS columns,
            ARRAY( SELECT unnest((i.indclass)::oid[]) AS unnest) AS opclasses,
            ARRAY( SELECT unnest((i.indcollation)::oid[]) AS unnest) AS collations,
            COALESCE(pg_get_expr(i.indexprs, i.indrelid), ''::text) AS expressions,
            COALESCE(pg_get_expr(i.indpred, i.indrelid), ''::text) AS predicate,
            i.indisunique,
            (EXISTS ( SELECT
                   FROM pg_constraint k
                  WHERE (k.conindid = i.indexrelid))) AS backs_constraint
           FROM ((pg_index i
             JOIN pg_class c ON ((i.indexrelid = c.oid)))
             JOIN pg_namespace n ON ((c.relnamespace = n.oid)))
          WHERE (i.indisvalid AND (n.nspname <> ALL (ARRAY['pg_catalog'::name, 'information_schema'::name])) AND (n.nspname !~ '^pg_toast'::text))
        )
 SELECT monitoring.relation_name(a.indrelid) AS table_name,
    monitoring.relation_name(a.indexrelid) AS index_name,
    monitoring.relation_name(b.indexrelid) AS duplicate_of,
        CASE
            WHEN (a.columns = b.columns) THEN 'identical'::text
            ELSE 'covered'::text
        END AS kind,
    pg_relation_size((a.indexrelid)::regclass) AS index_bytes
   FROM (indexes a
     JOIN indexes b ON (((a.indrelid = b.indrelid) AND (a.indexrelid <> b.indexrelid) AND (a.relam = b.relam) AND (a.expressions = b.expressions) AND (a.predicate = b.predicate) AND (cardinality(a.columns) <= cardinality(b.columns)) AND (a.columns = b.columns[1:cardinality(a.columns)]) AND (a.opclasses = b.opclasses[1:cardinality(a.opclasses)]) AND (a.collations = b.collations[1:cardinality(a.collations)]))))
  WHERE ((((NOT a.indisunique) AND (NOT a.backs_constraint)) OR ((a.columns = b.columns) AND b.indisunique)) AND ((a.columns <> b.columns) OR (a.indisunique < b.indisunique) OR (a.indexrelid > b.indexrelid)) AND ((a.relam = ( SELECT am.oid
           FROM pg_am am
          WHERE (am.amname = 'btree'::name))) OR (a.columns = b.columns)))
  ORDER BY (pg_relation_size((a.indexrelid)::regclass)) DESC, (monitoring.relation_name(a.indexrelid));

--
-- Name: VIEW duplicate_indexes; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.duplicate_indexes IS 'Indexes another index of the same table makes redundant: the same columns, or its leading columns (btree; same operator classes, expressions and predicate). Drop index_name, keep duplicate_of.';

--
-- Name: expected_role_settings; Type: TABLE; Schema: monitoring; Owner: -
--

CREATE TABLE monitoring.expected_role_settings (
    role_name text NOT NULL,
    setting_name text NOT NULL,
    setting_value text NOT NULL
);

--
-- Name: TABLE expected_role_settings; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON TABLE monitoring.expected_role_settings IS 'The settings roles are provisioned with (alter role ... set, in every database); role_settings_drift compares.';

--
-- Name: foreign_keys_without_index; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.foreign_keys_without_index AS
 SELECT monitoring.relation_name(k.conrelid) AS table_name,
    k.conname AS constraint_name,
    monitoring.relation_name(k.confrelid) AS referenced_table,
    ( SELECT string_agg((a.attname)::text, ', '::text ORDER BY u.ord) AS string_agg
           FROM (unnest(k.conkey) WITH ORDINALITY u(attnum, ord)
             JOIN pg_attribute a ON (((a.attrelid = k.conrelid) AND (u.attnum = a.attnum))))) AS columns
   FROM ((pg_constraint k
     JOIN pg_class c ON ((k.conrelid = c.oid)))
     JOIN pg_namespace n ON ((c.relnamespace = n.oid)))
  WHERE ((k.contype = 'f'::"char") AND (n.nspname <> ALL (ARRAY['pg_catalog'::name, 'information_schema'::name])) AND (c.relkind = ANY (ARRAY['r'::"char", 'p'::"char"])) AND (NOT (EXISTS ( SELECT
           FROM pg_index i
          WHERE ((i.indrelid = k.conrelid) AND i.indisvalid AND (i.indpred IS NULL) AND (((i.indkey)::smallint[])[0:(cardinality(k.conkey) - 1)] @> k.conkey) AND (((i.indkey)::smallint[])[0:(cardinality(k.conkey) - 1)] <@ k.conkey))))))
  ORDER BY (monitoring.relation_name(k.conrelid)), k.conname;

--
-- Name: VIEW foreign_keys_without_index; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.foreign_keys_without_index IS 'Foreign keys no index leads with: a delete or key update of the referenced row scans the whole table.';

--
-- Name: idle_in_transaction; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.idle_in_transaction AS
 SELECT a.pid,
    a.datname,
    a.usename AS user_name,
    a.application_name,
    a.client_addr,
    a.state,
    a.xact_start,
    (now() - a.state_change) AS idle_for,
    (now() - a.xact_start) AS transaction_duration,
    a.backend_xmin,
    a.query AS last_query
   FROM pg_stat_activity a
  WHERE (a.state = ANY (ARRAY['idle in transaction'::text, 'idle in transaction (aborted)'::text]))
  ORDER BY a.state_change;

--
-- Name: VIEW idle_in_transaction; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.idle_in_transaction IS 'Sessions inside a transaction and doing nothing: they hold locks and keep vacuum from removing rows.';

--
-- Name: index_usage; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.index_usage AS
 SELECT s.schemaname AS schema_name,
    s.relname AS table_name,
    s.indexrelname AS index_name,
    pg_relation_size((s.indexrelid)::regclass) AS index_bytes,
    s.idx_scan,
    s.idx_tup_read,
    i.indisunique AS is_unique,
    (EXISTS ( SELECT
           FROM pg_constraint k
          WHERE (k.conindid = s.indexrelid))) AS backs_constraint
   FROM (pg_stat_user_indexes s
     JOIN pg_index i ON ((s.indexrelid = i.indexrelid)))
  ORDER BY (pg_relation_size((s.indexrelid)::regclass)) DESC;

--
-- Name: VIEW index_usage; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.index_usage IS 'Every index with its size and the scans that used it since statistics were reset.';

--
-- Name: invalid_indexes; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.invalid_indexes AS
 SELECT monitoring.relation_name(i.indrelid) AS table_name,
    monitoring.relation_name(i.indexrelid) AS index_name,
    i.indisready AS is_ready,
    pg_relation_size((i.indexrelid)::regclass) AS index_bytes
   FROM pg_index i
  WHERE (NOT i.indisvalid)
  ORDER BY (monitoring.relation_name(i.indexrelid));

--
-- Name: VIEW invalid_indexes; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.invalid_indexes IS 'INVALID indexes (a failed create index concurrently): queries ignore them, writes still maintain them.';

--
-- Name: running_queries; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.running_queries AS
 SELECT a.pid,
    a.datname,
    a.usename AS user_name,
    a.application_name,
    a.client_addr,
    a.wait_event_type,
    a.wait_event,
    a.query_start,
    (now() - a.query_start) AS duration,
    (now() - a.xact_start) AS transaction_duration,
    a.query
   FROM pg_stat_activity a
  WHERE ((a.state = 'active'::text) AND (a.backend_type = 'client backend'::text) AND (a.pid <> pg_backend_pid()))
  ORDER BY a.query_start;

--
-- Name: VIEW running_queries; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.running_queries IS 'Statements running now in any database of the cluster, oldest first.';

--
-- Name: long_running_queries; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.long_running_queries AS
 SELECT q.pid,
    q.datname,
    q.user_name,
    q.application_name,
    q.client_addr,
    q.wait_event_type,
    q.wait_event,
    q.query_start,
    q.duration,
    q.transaction_duration,
    q.query
   FROM monitoring.running_queries q
  WHERE (q.duration > make_interval(secs => (monitoring.threshold('long_query_seconds'::text))::double precision));

--
-- Name: VIEW long_running_queries; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.long_running_queries IS 'Running statements older than thresholds.long_query_seconds.';

--
-- Name: refreshes; Type: TABLE; Schema: monitoring; Owner: -
--

CREATE TABLE monitoring.refreshes (
    matview text NOT NULL,
    refreshed_at timestamp with time zone NOT NULL,
    seconds numeric NOT NULL,
    refreshed_by text NOT NULL
);

--
-- Name: TABLE refreshes; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON TABLE monitoring.refreshes IS 'The last refresh of each materialized view, written by the event trigger monitoring_record_refresh.';

--
-- Name: COLUMN refreshes.matview; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON COLUMN monitoring.refreshes.matview IS 'schema.name of the materialized view.';

--
-- Name: COLUMN refreshes.seconds; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON COLUMN monitoring.refreshes.seconds IS 'Duration of the statement that refreshed it (of the whole query string when several ran in one).';

--
-- Name: replication; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.replication AS
 SELECT 'primary'::text AS side,
    r.application_name,
    (r.client_addr)::text AS client_addr,
    r.state,
    r.sync_state,
    r.replay_lsn,
    (pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn))::bigint AS lag_bytes,
    r.replay_lag AS lag
   FROM pg_stat_replication r
  WHERE (NOT pg_is_in_recovery())
UNION ALL
 SELECT 'standby'::text AS side,
    NULL::text AS application_name,
    w.sender_host AS client_addr,
    COALESCE(w.status, 'not connected'::text) AS state,
    NULL::text AS sync_state,
    pg_last_wal_replay_lsn() AS replay_lsn,
    (pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()))::bigint AS lag_bytes,
        CASE
            WHEN (pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()) THEN '00:00:00'::interval
            ELSE (now() - pg_last_xact_replay_timestamp())
        END AS lag
   FROM (( SELECT pg_is_in_recovery() AS in_recovery) here
     LEFT JOIN pg_stat_wal_receiver w ON (true))
  WHERE here.in_recovery;

--
-- Name: VIEW replication; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.replication IS 'On a primary, each replica (state, lag in bytes of WAL not replayed, and in time); on a standby, this server''s own receiver and lag.';

--
-- Name: replication_slots; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.replication_slots AS
 SELECT s.slot_name,
    s.slot_type,
    s.active,
    s.wal_status,
        CASE
            WHEN (NOT pg_is_in_recovery()) THEN (pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn))::bigint
            ELSE NULL::bigint
        END AS retained_bytes
   FROM pg_replication_slots s
  ORDER BY s.slot_name;

--
-- Name: VIEW replication_slots; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.replication_slots IS 'Replication slots and the WAL each holds back: an inactive slot keeps WAL until the disk fills.';

--
-- Name: reporting_freshness; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.reporting_freshness AS
 SELECT (((m.schemaname)::text || '.'::text) || (m.matviewname)::text) AS matview,
    m.ispopulated AS is_populated,
    r.refreshed_at,
    r.seconds AS refresh_seconds,
    (now() - r.refreshed_at) AS age,
    ((NOT m.ispopulated) OR (r.refreshed_at IS NULL) OR ((now() - r.refreshed_at) > make_interval(secs => (monitoring.threshold('reporting_stale_seconds'::text))::double precision))) AS is_stale
   FROM (pg_matviews m
     LEFT JOIN monitoring.refreshes r ON ((r.matview = (((m.schemaname)::text || '.'::text) || (m.matviewname)::text))))
  WHERE (m.schemaname = 'reporting'::name)
  ORDER BY (((m.schemaname)::text || '.'::text) || (m.matviewname)::text);

--
-- Name: VIEW reporting_freshness; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.reporting_freshness IS 'When each reporting materialized view was last refreshed; stale after thresholds.reporting_stale_seconds.';

--
-- Name: role_settings_drift; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.role_settings_drift AS
 WITH project_roles AS (
         SELECT r.oid,
            r.rolname
           FROM pg_roles r
          WHERE ((NOT r.rolsuper) AND ((r.rolname IN ( SELECT e_1.role_name
                   FROM monitoring.expected_role_settings e_1)) OR (EXISTS ( SELECT
                   FROM (unnest(ARRAY['rea_owner'::text, 'rea_app'::text, 'rea_reporting'::text, 'rea_auditor'::text, 'rea_monitor'::text]) g(name)
                     JOIN pg_roles gr ON ((g.name = gr.rolname)))
                  WHERE pg_has_role(r.oid, gr.oid, 'member'::text)))))
        ), actual AS (
         SELECT r.rolname AS role_name,
                CASE
                    WHEN (s.setdatabase = (0)::oid) THEN 'every database'::name
                    ELSE current_database()
                END AS scope,
            split_part(c.setting, '='::text, 1) AS setting_name,
            substr(c.setting, (strpos(c.setting, '='::text) + 1)) AS setting_value
           FROM ((pg_db_role_setting s
             JOIN project_roles r ON ((s.setrole = r.oid)))
             CROSS JOIN LATERAL unnest(s.setconfig) c(setting))
          WHERE (s.setdatabase = ANY (ARRAY[(0)::oid, ( SELECT d.oid
                   FROM pg_database d
                  WHERE (d.datname = current_database()))]))
        )
 SELECT COALESCE(a.role_name, (e.role_name)::name) AS role_name,
    COALESCE(a.setting_name, e.setting_name) AS setting_name,
    a.scope,
    e.setting_value AS expected,
    a.setting_value AS actual,
        CASE
            WHEN (a.setting_value IS NULL) THEN 'missing'::text
            WHEN (e.setting_value IS NULL) THEN 'not provisioned'::text
            ELSE 'differs'::text
        END AS problem
   FROM (actual a
     FULL JOIN monitoring.expected_role_settings e ON (((a.role_name = e.role_name) AND (a.setting_name = e.setting_name))))
  WHERE (a.setting_value IS DISTINCT FROM e.setting_value)
  ORDER BY COALESCE(a.role_name, (e.role_name)::name), COALESCE(a.setting_name, e.setting_name), a.scope;

--
-- Name: VIEW role_settings_drift; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.role_settings_drift IS 'Settings of the project''s roles and their members (pg_db_role_setting, for this database or all) that differ from monitoring.expected_role_settings: missing, set to another value, or set without being provisioned.';

--
-- Name: seq_scans_on_big_tables; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.seq_scans_on_big_tables AS
 SELECT t.schemaname AS schema_name,
    t.relname AS table_name,
    t.n_live_tup AS live_rows,
    t.seq_scan,
    t.seq_tup_read,
    COALESCE(t.idx_scan, (0)::bigint) AS idx_scan,
    round(((t.seq_scan)::numeric / (NULLIF((t.seq_scan + COALESCE(t.idx_scan, (0)::bigint)), 0))::numeric), 3) AS seq_scan_share
   FROM pg_stat_user_tables t
  WHERE (((t.n_live_tup)::numeric >= monitoring.threshold('big_table_rows'::text)) AND ((t.seq_scan)::numeric >= monitoring.threshold('seq_scan_min'::text)))
  ORDER BY t.seq_tup_read DESC;

--
-- Name: VIEW seq_scans_on_big_tables; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.seq_scans_on_big_tables IS 'Big tables read by sequential scans: a query that filters them may be missing an index.';

--
-- Name: unused_indexes; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.unused_indexes AS
 SELECT u.schema_name,
    u.table_name,
    u.index_name,
    u.index_bytes
   FROM monitoring.index_usage u
  WHERE ((u.idx_scan = 0) AND (NOT u.is_unique) AND (NOT u.backs_constraint))
  ORDER BY u.index_bytes DESC;

--
-- Name: VIEW unused_indexes; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.unused_indexes IS 'Indexes no query used since statistics were reset, unique and constraint indexes aside: each costs every write.';

--
-- Name: xid_age; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.xid_age AS
 SELECT d.datname,
    age(d.datfrozenxid) AS xid_age,
    mxid_age(d.datminmxid) AS multixact_age,
    round(((100.0 * (age(d.datfrozenxid))::numeric) / (current_setting('autovacuum_freeze_max_age'::text))::numeric), 1) AS percent_of_freeze_max_age,
    round(((100.0 * (age(d.datfrozenxid))::numeric) / (2147483647)::numeric), 2) AS percent_of_wraparound
   FROM pg_database d
  WHERE d.datallowconn
  ORDER BY (age(d.datfrozenxid)) DESC;

--
-- Name: VIEW xid_age; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.xid_age IS 'Transaction id age of each database: at 2^31 PostgreSQL stops writes until it is vacuumed.';

--
-- Name: health; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.health AS
 WITH checks(name, status, detail) AS (
         SELECT 'pg_stat_statements'::text AS name,
                CASE
                    WHEN (current_setting('shared_preload_libraries'::text) ~ 'pg_stat_statements'::text) THEN 'ok'::text
                    ELSE 'warn'::text
                END AS "case",
                CASE
                    WHEN (current_setting('shared_preload_libraries'::text) ~ 'pg_stat_statements'::text) THEN 'loaded: see monitoring.query_stats'::text
                    ELSE 'not in shared_preload_libraries: no query statistics'::text
                END AS "case"
        UNION ALL
         SELECT 'long_running_queries'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((((count(*) || ' running longer than '::text) || monitoring.threshold('long_query_seconds'::text)) || ' s'::text) || COALESCE(('; oldest pid '::text || (array_agg(q.pid ORDER BY q.duration DESC))[1]), ''::text))
           FROM monitoring.long_running_queries q
        UNION ALL
         SELECT 'idle_in_transaction'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((((count(*) || ' idle in a transaction longer than '::text) || monitoring.threshold('idle_in_transaction_seconds'::text)) || ' s'::text) || COALESCE(('; oldest pid '::text || (array_agg(i.pid ORDER BY i.idle_for DESC))[1]), ''::text))
           FROM monitoring.idle_in_transaction i
          WHERE (i.idle_for > make_interval(secs => (monitoring.threshold('idle_in_transaction_seconds'::text))::double precision))
        UNION ALL
         SELECT 'blocked_sessions'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((((count(DISTINCT b.blocked_pid) || ' waiting for a lock longer than '::text) || monitoring.threshold('blocked_seconds'::text)) || ' s'::text) || COALESCE(((('; e.g. pid '::text || min(b.blocked_pid)) || ' blocked by '::text) || min(b.blocking_pid)), ''::text))
           FROM monitoring.blocked_sessions b
          WHERE (b.waiting_for > make_interval(secs => (monitoring.threshold('blocked_seconds'::text))::double precision))
        UNION ALL
         SELECT 'cache_hit_rate'::text AS name,
                CASE
                    WHEN bool_or(((((c_1.hits + c_1.reads))::numeric >= monitoring.threshold('cache_reads_min'::text)) AND (c_1.hit_rate < monitoring.threshold('cache_hit_rate_min'::text)))) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            string_agg(((c_1.kind || ' '::text) || COALESCE((c_1.hit_rate)::text, 'n/a'::text)), ', '::text ORDER BY c_1.kind) AS string_agg
           FROM monitoring.cache_hit_rates c_1
        UNION ALL
         SELECT 'seq_scans_on_big_tables'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' big tables read by sequential scans'::text) || COALESCE((': '::text || string_agg((((s.schema_name)::text || '.'::text) || (s.table_name)::text), ', '::text)), ''::text))
           FROM monitoring.seq_scans_on_big_tables s
        UNION ALL
         SELECT 'unused_indexes'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            (((count(*) || ' unused ('::text) || pg_size_pretty(COALESCE(sum(u.index_bytes), (0)::numeric))) || ')'::text)
           FROM monitoring.unused_indexes u
        UNION ALL
         SELECT 'duplicate_indexes'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' redundant'::text) || COALESCE((': '::text || string_agg((((((d.index_name || ' ('::text) || d.kind) || ' by '::text) || d.duplicate_of) || ')'::text), ', '::text)), ''::text))
           FROM monitoring.duplicate_indexes d
        UNION ALL
         SELECT 'invalid_indexes'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' invalid'::text) || COALESCE((': '::text || string_agg(v.index_name, ', '::text)), ''::text))
           FROM monitoring.invalid_indexes v
        UNION ALL
         SELECT 'foreign_keys_without_index'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' without a supporting index'::text) || COALESCE((': '::text || string_agg(((f.table_name || '.'::text) || (f.constraint_name)::text), ', '::text)), ''::text))
           FROM monitoring.foreign_keys_without_index f
        UNION ALL
         SELECT 'bloat'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            (((count(*) || ' bloated tables or indexes ('::text) || pg_size_pretty((COALESCE(sum(b.wasted_bytes), (0)::numeric))::bigint)) || ' estimated wasted)'::text)
           FROM monitoring.bloat b
        UNION ALL
         SELECT 'autovacuum_lagging'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' tables past their autovacuum threshold'::text) || COALESCE((': '::text || string_agg((((a.schema_name)::text || '.'::text) || (a.table_name)::text), ', '::text)), ''::text))
           FROM monitoring.autovacuum_lagging a
        UNION ALL
         SELECT 'xid_age'::text AS name,
                CASE
                    WHEN ((max(x.xid_age))::numeric >= monitoring.threshold('xid_age_page'::text)) THEN 'page'::text
                    WHEN ((max(x.xid_age))::numeric >= monitoring.threshold('xid_age_warn'::text)) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            (((('oldest '::text || max(x.xid_age)) || ' ('::text) || ((array_agg(x.datname ORDER BY x.xid_age DESC))[1])::text) || ')'::text)
           FROM monitoring.xid_age x
        UNION ALL
         SELECT 'audit_partitions'::text AS name,
                CASE
                    WHEN ((NOT h.current_month_exists) OR (NOT h.next_month_exists)) THEN 'page'::text
                    WHEN ((h.months_ahead)::numeric < monitoring.threshold('audit_months_ahead_min'::text)) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            (
                CASE
                    WHEN (NOT h.current_month_exists) THEN 'the current month has no partition: audited writes fail'::text
                    WHEN (NOT h.next_month_exists) THEN 'next month has no partition: audited writes fail from its first day'::text
                    ELSE (((h.months_ahead || ' months ahead (through '::text) || to_char((h.last_month)::timestamp with time zone, 'YYYY-MM'::text)) || ')'::text)
                END ||
                CASE
                    WHEN ((h.months_ahead)::numeric < monitoring.threshold('audit_months_ahead_min'::text)) THEN '; run audit.create_partitions()'::text
                    ELSE ''::text
                END)
           FROM monitoring.audit_partition_horizon h
        UNION ALL
         SELECT 'audit_unsealed_days'::text AS name,
                CASE
                    WHEN ((u.unsealed_days)::numeric >= monitoring.threshold('unsealed_days_page'::text)) THEN 'page'::text
                    WHEN (u.unsealed_days > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            (((u.unsealed_days || ' closed days unsealed'::text) || COALESCE((' from '::text || u.first_unsealed_day), ''::text)) || COALESCE(('; sealed through '::text || u.sealed_through), ''::text))
           FROM monitoring.audit_unsealed_days u
        UNION ALL
         SELECT 'reporting_freshness'::text AS name,
                CASE
                    WHEN bool_or((NOT f.is_populated)) THEN 'page'::text
                    WHEN bool_or(f.is_stale) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            COALESCE(string_agg(((f.matview || ' '::text) ||
                CASE
                    WHEN (NOT f.is_populated) THEN 'not populated'::text
                    WHEN (f.refreshed_at IS NULL) THEN 'never refreshed since monitoring began'::text
                    ELSE (('refreshed '::text || date_trunc('second'::text, f.age)) || ' ago'::text)
                END), ', '::text) FILTER (WHERE f.is_stale), (count(*) || ' fresh'::text)) AS "coalesce"
           FROM monitoring.reporting_freshness f
        UNION ALL
         SELECT 'role_settings'::text AS name,
                CASE
                    WHEN (count(*) > 0) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' role settings differ from the provisioned ones'::text) || COALESCE((': '::text || string_agg((((((d.role_name)::text || ' '::text) || d.setting_name) || ' '::text) || d.problem), ', '::text)), ''::text))
           FROM monitoring.role_settings_drift d
        UNION ALL
         SELECT 'replication'::text AS name,
                CASE
                    WHEN bool_or(((r.state <> 'streaming'::text) OR ((r.lag_bytes)::numeric >= monitoring.threshold('replication_lag_bytes_page'::text)))) THEN 'page'::text
                    WHEN bool_or((r.lag > make_interval(secs => (monitoring.threshold('replication_lag_seconds_warn'::text))::double precision))) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
                CASE
                    WHEN (count(*) = 0) THEN 'no replicas'::text
                    ELSE string_agg(((((((((r.side || ' '::text) || COALESCE(r.application_name, r.client_addr, ''::text)) || ' '::text) || r.state) || ' lag '::text) || COALESCE(pg_size_pretty(r.lag_bytes), 'n/a'::text)) || ' / '::text) || COALESCE((r.lag)::text, 'n/a'::text)), ', '::text)
                END AS string_agg
           FROM monitoring.replication r
        UNION ALL
         SELECT 'replication_slots'::text AS name,
                CASE
                    WHEN bool_or(((NOT s.active) AND ((s.retained_bytes)::numeric >= monitoring.threshold('slot_retained_bytes_page'::text)))) THEN 'page'::text
                    WHEN bool_or((NOT s.active)) THEN 'warn'::text
                    ELSE 'ok'::text
                END AS "case",
            ((count(*) || ' slots'::text) || COALESCE((', inactive: '::text || string_agg((s.slot_name)::text, ', '::text) FILTER (WHERE (NOT s.active))), ''::text))
           FROM monitoring.replication_slots s
        UNION ALL
         SELECT 'scheduled_maintenance'::text AS name,
                CASE
                    WHEN (NOT (EXISTS ( SELECT
                       FROM pg_extension x
                      WHERE (x.extname = 'pg_cron'::name)))) THEN 'warn'::text
                    WHEN bool_or((j.last_status = 'failed'::text)) THEN 'page'::text
                    ELSE 'ok'::text
                END AS "case",
                CASE
                    WHEN (NOT (EXISTS ( SELECT
                       FROM pg_extension x
                      WHERE (x.extname = 'pg_cron'::name)))) THEN 'pg_cron is not set up in this database: run the maintenance by hand (README)'::text
                    ELSE ((count(j.job_name) || ' jobs'::text) || COALESCE((', last run failed: '::text || string_agg(j.job_name, ', '::text) FILTER (WHERE (j.last_status = 'failed'::text))), ''::text))
                END AS "case"
           FROM monitoring.cron_jobs j
        )
 SELECT c.name AS check_name,
    c.status,
    c.detail
   FROM checks c;

--
-- Name: VIEW health; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.health IS 'One row per check: ok, warn or page (someone should act now), with a line of detail. readb health prints it.';

--
-- Name: query_stats; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.query_stats AS
 SELECT s.queryid,
    r.rolname AS user_name,
    s.calls,
    round((s.total_exec_time)::numeric, 1) AS total_ms,
    round((s.mean_exec_time)::numeric, 3) AS mean_ms,
    round((s.max_exec_time)::numeric, 1) AS max_ms,
    round(((((100)::double precision * s.total_exec_time) / NULLIF(sum(s.total_exec_time) OVER (), (0)::double precision)))::numeric, 1) AS percent_of_total,
    s.rows,
    round(((s.shared_blks_hit)::numeric / (NULLIF((s.shared_blks_hit + s.shared_blks_read), 0))::numeric), 4) AS cache_hit_rate,
    s.query
   FROM ((extensions.pg_stat_statements s
     JOIN pg_database d ON ((s.dbid = d.oid)))
     LEFT JOIN pg_roles r ON ((s.userid = r.oid)))
  WHERE (d.datname = current_database())
  ORDER BY s.total_exec_time DESC;

--
-- Name: VIEW query_stats; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.query_stats IS 'Statements of this database by total execution time (pg_stat_statements; constants normalised to $n). Order by mean_ms for the slowest single calls.';

--
-- Name: readb_steps; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.readb_steps AS
 SELECT count(*) AS applied_steps,
    max(a.version) AS newest_version,
    ( SELECT b.name
           FROM readb.applied_steps b
          ORDER BY b.version DESC
         LIMIT 1) AS newest_step,
    max(a.applied_at) AS last_applied_at
   FROM readb.applied_steps a;

--
-- Name: VIEW readb_steps; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.readb_steps IS 'The runner''s bookkeeping: steps applied and the newest; readb health compares it with the step files.';

--
-- Name: table_sizes; Type: VIEW; Schema: monitoring; Owner: -
--

CREATE VIEW monitoring.table_sizes AS
 SELECT n.nspname AS schema_name,
    c.relname AS table_name,
    c.relkind,
    pg_total_relation_size((c.oid)::regclass) AS total_bytes,
    pg_relation_size((c.oid)::regclass) AS table_bytes,
    pg_indexes_size((c.oid)::regclass) AS index_bytes,
    COALESCE(pg_total_relation_size((NULLIF(c.reltoastrelid, (0)::oid))::regclass), (0)::bigint) AS toast_bytes,
    pg_size_pretty(pg_total_relation_size((c.oid)::regclass)) AS total_size,
    (GREATEST(c.reltuples, (0)::real))::bigint AS estimated_rows
   FROM (pg_class c
     JOIN pg_namespace n ON ((c.relnamespace = n.oid)))
  WHERE ((c.relkind = ANY (ARRAY['r'::"char", 'm'::"char"])) AND (n.nspname <> ALL (ARRAY['pg_catalog'::name, 'information_schema'::name])) AND (n.nspname !~ '^pg_toast'::text))
  ORDER BY (pg_total_relation_size((c.oid)::regclass)) DESC;

--
-- Name: VIEW table_sizes; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON VIEW monitoring.table_sizes IS 'Tables and materialized views by total size (heap, indexes, TOAST).';

--
-- Name: thresholds; Type: TABLE; Schema: monitoring; Owner: -
--

CREATE TABLE monitoring.thresholds (
    name text NOT NULL,
    value numeric NOT NULL,
    description text NOT NULL
);

--
-- Name: TABLE thresholds; Type: COMMENT; Schema: monitoring; Owner: -
--

COMMENT ON TABLE monitoring.thresholds IS 'Limits the monitoring views and monitoring.health compare with; update a row to tune a check.';

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

ALTER TABLE ONLY rea.approvals FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY rea.bookings FORCE ROW LEVEL SECURITY;

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
    CONSTRAINT branches_name_check CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200)))
);

ALTER TABLE ONLY rea.branches FORCE ROW LEVEL SECURITY;

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
    customer_retention interval DEFAULT '5 years'::interval NOT NULL,
    CONSTRAINT clients_customer_retention_check CHECK ((customer_retention >= '1 mon'::interval)),
    CONSTRAINT clients_expense_approval_threshold_check CHECK ((expense_approval_threshold >= (0)::numeric)),
    CONSTRAINT clients_name_check CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200))),
    CONSTRAINT clients_status_check CHECK ((status = ANY (ARRAY['active'::text, 'suspended'::text, 'closed'::text])))
);

ALTER TABLE ONLY rea.clients FORCE ROW LEVEL SECURITY;

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
-- Name: COLUMN clients.customer_retention; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.clients.customer_retention IS 'Customers inactive for longer are anonymised by rea.apply_customer_retention(), unless on legal hold.';

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

ALTER TABLE ONLY rea.commission_rules FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY rea.communications FORCE ROW LEVEL SECURITY;

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
    email text COLLATE rea.case_insensitive,
    phone text,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    national_id_encrypted bytea,
    national_id_hmac bytea,
    passport_number_encrypted bytea,
    passport_number_hmac bytea,
    marketing_consent boolean DEFAULT false NOT NULL,
    marketing_consent_at timestamp with time zone,
    legal_hold boolean DEFAULT false NOT NULL,
    legal_hold_reason text,
    erased_at timestamp with time zone,
    CONSTRAINT customers_email_check CHECK ((((email COLLATE "C") ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT customers_erased_check CHECK (((erased_at IS NULL) OR ((email IS NULL) AND (phone IS NULL) AND (legal_hold_reason IS NULL) AND (national_id_encrypted IS NULL) AND (passport_number_encrypted IS NULL) AND (NOT marketing_consent)))),
    CONSTRAINT customers_full_name_check CHECK (((btrim(full_name) <> ''::text) AND (length(full_name) <= 200))),
    CONSTRAINT customers_kind_check CHECK ((kind = ANY (ARRAY['individual'::text, 'company'::text]))),
    CONSTRAINT customers_legal_hold_check CHECK (((NOT legal_hold) OR (COALESCE(btrim(legal_hold_reason), ''::text) <> ''::text))),
    CONSTRAINT customers_marketing_consent_check CHECK (((NOT marketing_consent) OR (marketing_consent_at IS NOT NULL))),
    CONSTRAINT customers_national_id_check CHECK (((national_id_encrypted IS NULL) = (national_id_hmac IS NULL))),
    CONSTRAINT customers_passport_number_check CHECK (((passport_number_encrypted IS NULL) = (passport_number_hmac IS NULL))),
    CONSTRAINT customers_phone_check CHECK ((phone ~ '^\+?[0-9][0-9 ()-]{5,19}$'::text))
);

ALTER TABLE ONLY rea.customers FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE customers; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.customers IS 'Buyers, renters and owners an agency deals with. Holds personal data; soft-deleted only.';

--
-- Name: COLUMN customers.email; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.email IS 'E-mail address; compared ignoring letter case (collation rea.case_insensitive). LIKE needs email collate "C".';

--
-- Name: COLUMN customers.deleted_at; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.deleted_at IS 'Set instead of deleting: deals and bookings keep their customer.';

--
-- Name: COLUMN customers.national_id_encrypted; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.national_id_encrypted IS 'pgp_sym_encrypt of the normalised national id; written only by rea.set_customer_identifiers().';

--
-- Name: COLUMN customers.national_id_hmac; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.national_id_hmac IS 'Keyed HMAC-SHA256 of the normalised national id, for exact lookup (rea.find_customers_by_identifier()).';

--
-- Name: COLUMN customers.passport_number_encrypted; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.passport_number_encrypted IS 'pgp_sym_encrypt of the normalised passport number; written only by rea.set_customer_identifiers().';

--
-- Name: COLUMN customers.passport_number_hmac; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.passport_number_hmac IS 'Keyed HMAC-SHA256 of the normalised passport number, for exact lookup.';

--
-- Name: COLUMN customers.marketing_consent; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.marketing_consent IS 'The customer agreed to marketing contact; marketing_consent_at says when.';

--
-- Name: COLUMN customers.legal_hold; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.legal_hold IS 'Kept for a legal obligation (legal_hold_reason): retention does not anonymise it, erasure refuses.';

--
-- Name: COLUMN customers.erased_at; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.customers.erased_at IS 'Set by rea.erase_customer(): the row keeps its deals and bookings but no personal data.';

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

ALTER TABLE ONLY rea.deals FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY rea.expenses FORCE ROW LEVEL SECURITY;

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
    features jsonb DEFAULT '{}'::jsonb NOT NULL,
    deleted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    built_up_area_sqm numeric(10,2),
    CONSTRAINT properties_asking_price_check CHECK ((asking_price > (0)::numeric)),
    CONSTRAINT properties_branch_owned_check CHECK (((listing_type <> 'branch_owned'::text) OR (branch_id IS NOT NULL))),
    CONSTRAINT properties_brokerage_owner_check CHECK (((listing_type <> 'brokerage'::text) OR (owner_customer_id IS NOT NULL))),
    CONSTRAINT properties_built_up_area_sqm_check CHECK ((built_up_area_sqm > (0)::numeric)),
    CONSTRAINT properties_city_check CHECK (((btrim(city) <> ''::text) AND (length(city) <= 200))),
    CONSTRAINT properties_features_check CHECK (((jsonb_typeof(features) = 'object'::text) AND COALESCE((jsonb_typeof((features -> 'bedrooms'::text)) = 'number'::text), true) AND COALESCE((jsonb_typeof((features -> 'bathrooms'::text)) = 'number'::text), true) AND COALESCE((jsonb_typeof((features -> 'furnished'::text)) = 'boolean'::text), true) AND COALESCE((jsonb_typeof((features -> 'amenities'::text)) = 'array'::text), true))),
    CONSTRAINT properties_listing_type_check CHECK ((listing_type = ANY (ARRAY['agency_owned'::text, 'branch_owned'::text, 'brokerage'::text]))),
    CONSTRAINT properties_property_type_check CHECK ((property_type = ANY (ARRAY['apartment'::text, 'villa'::text, 'townhouse'::text, 'land'::text, 'office'::text, 'shop'::text, 'warehouse'::text]))),
    CONSTRAINT properties_status_check CHECK ((status = ANY (ARRAY['available'::text, 'reserved'::text, 'under_offer'::text, 'sold'::text, 'rented'::text, 'withdrawn'::text]))),
    CONSTRAINT properties_title_check CHECK ((btrim(title) <> ''::text))
);

ALTER TABLE ONLY rea.properties FORCE ROW LEVEL SECURITY;

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
-- Name: COLUMN properties.built_up_area_sqm; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.properties.built_up_area_sqm IS 'Built-up area in square metres (was area_sqm).';

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

ALTER TABLE ONLY rea.role_permissions FORCE ROW LEVEL SECURITY;

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
    CONSTRAINT roles_name_check CHECK (((btrim(name) <> ''::text) AND (length(name) <= 200)))
);

ALTER TABLE ONLY rea.roles FORCE ROW LEVEL SECURITY;

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

ALTER TABLE ONLY rea.user_roles FORCE ROW LEVEL SECURITY;

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
    email text NOT NULL COLLATE rea.case_insensitive,
    status text DEFAULT 'active'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT users_email_check CHECK ((((email COLLATE "C") ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'::text) AND (length(email) <= 254))),
    CONSTRAINT users_full_name_check CHECK ((btrim(full_name) <> ''::text)),
    CONSTRAINT users_status_check CHECK ((status = ANY (ARRAY['active'::text, 'disabled'::text])))
);

ALTER TABLE ONLY rea.users FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE users; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON TABLE rea.users IS 'People of an agency who use the system; app.user_id names one of them as the actor.';

--
-- Name: COLUMN users.email; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.users.email IS 'E-mail address, unique per tenant ignoring letter case (collation rea.case_insensitive).';

--
-- Name: COLUMN users.status; Type: COMMENT; Schema: rea; Owner: -
--

COMMENT ON COLUMN rea.users.status IS 'disabled users keep their history but may not act.';

--
-- Name: fact_bookings_mv; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_bookings_mv AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.property_id,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.status,
    f.duration_days,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
   FROM reporting.fact_bookings_rows() f(client_id, id, business_date, month, property_id, branch_id, agent_user_id, listing_type, status, duration_days, amount, currency, amount_base, base_currency)
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_bookings_mv; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_bookings_mv IS 'All tenants'' bookings for dashboards; roles read reporting.fact_bookings, its tenant-filtered view.';

--
-- Name: fact_bookings; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.fact_bookings WITH (security_barrier='true') AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.property_id,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.status,
    f.duration_days,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
   FROM reporting.fact_bookings_mv f
  WHERE (f.client_id = ( SELECT rea.current_client_id() AS current_client_id));

--
-- Name: VIEW fact_bookings; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON VIEW reporting.fact_bookings IS 'Bookings of the current tenant (app.client_id), with deposits as entered and in the base currency.';

--
-- Name: fact_deals_mv; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_deals_mv AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.deal_type,
    f.stage,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency,
    f.commission_amount,
    f.commission_currency,
    f.commission_base,
    f.closed_at
   FROM reporting.fact_deals_rows() f(client_id, id, business_date, month, branch_id, agent_user_id, listing_type, deal_type, stage, amount, currency, amount_base, base_currency, commission_amount, commission_currency, commission_base, closed_at)
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_deals_mv; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_deals_mv IS 'All tenants'' deals for dashboards; roles read reporting.fact_deals, its tenant-filtered view.';

--
-- Name: COLUMN fact_deals_mv.amount_base; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON COLUMN reporting.fact_deals_mv.amount_base IS 'amount converted into base_currency at the rate in force on business_date (the deal date).';

--
-- Name: fact_deals; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.fact_deals WITH (security_barrier='true') AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.agent_user_id,
    f.listing_type,
    f.deal_type,
    f.stage,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency,
    f.commission_amount,
    f.commission_currency,
    f.commission_base,
    f.closed_at
   FROM reporting.fact_deals_mv f
  WHERE (f.client_id = ( SELECT rea.current_client_id() AS current_client_id));

--
-- Name: VIEW fact_deals; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON VIEW reporting.fact_deals IS 'Deals of the current tenant (app.client_id), with amounts as entered and in the base currency.';

--
-- Name: fact_expenses_mv; Type: MATERIALIZED VIEW; Schema: reporting; Owner: -
--

CREATE MATERIALIZED VIEW reporting.fact_expenses_mv AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.property_id,
    f.recorded_by,
    f.category,
    f.status,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
   FROM reporting.fact_expenses_rows() f(client_id, id, business_date, month, branch_id, property_id, recorded_by, category, status, amount, currency, amount_base, base_currency)
  WITH NO DATA;

--
-- Name: MATERIALIZED VIEW fact_expenses_mv; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON MATERIALIZED VIEW reporting.fact_expenses_mv IS 'All tenants'' expenses for dashboards; roles read reporting.fact_expenses, its tenant-filtered view.';

--
-- Name: fact_expenses; Type: VIEW; Schema: reporting; Owner: -
--

CREATE VIEW reporting.fact_expenses WITH (security_barrier='true') AS
 SELECT f.client_id,
    f.id,
    f.business_date,
    f.month,
    f.branch_id,
    f.property_id,
    f.recorded_by,
    f.category,
    f.status,
    f.amount,
    f.currency,
    f.amount_base,
    f.base_currency
   FROM reporting.fact_expenses_mv f
  WHERE (f.client_id = ( SELECT rea.current_client_id() AS current_client_id));

--
-- Name: VIEW fact_expenses; Type: COMMENT; Schema: reporting; Owner: -
--

COMMENT ON VIEW reporting.fact_expenses IS 'Expenses of the current tenant (app.client_id), with amounts as entered and in the base currency.';

--
-- Name: audit_logs id; Type: DEFAULT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.audit_logs ALTER COLUMN id SET DEFAULT nextval('audit.audit_logs_id_seq'::regclass);

--
-- Name: day_locks day_locks_pkey; Type: CONSTRAINT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.day_locks
    ADD CONSTRAINT day_locks_pkey PRIMARY KEY (day);

--
-- Name: evidence_changes evidence_changes_pkey; Type: CONSTRAINT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.evidence_changes
    ADD CONSTRAINT evidence_changes_pkey PRIMARY KEY (id);

--
-- Name: seals seals_pkey; Type: CONSTRAINT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.seals
    ADD CONSTRAINT seals_pkey PRIMARY KEY (client_id, day);

--
-- Name: settings settings_pkey; Type: CONSTRAINT; Schema: audit; Owner: -
--

ALTER TABLE ONLY audit.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (singleton);

--
-- Name: batches batches_pkey; Type: CONSTRAINT; Schema: migrations; Owner: -
--

ALTER TABLE ONLY migrations.batches
    ADD CONSTRAINT batches_pkey PRIMARY KEY (client_id, id);

--
-- Name: expected_role_settings expected_role_settings_pkey; Type: CONSTRAINT; Schema: monitoring; Owner: -
--

ALTER TABLE ONLY monitoring.expected_role_settings
    ADD CONSTRAINT expected_role_settings_pkey PRIMARY KEY (role_name, setting_name);

--
-- Name: refreshes refreshes_pkey; Type: CONSTRAINT; Schema: monitoring; Owner: -
--

ALTER TABLE ONLY monitoring.refreshes
    ADD CONSTRAINT refreshes_pkey PRIMARY KEY (matview);

--
-- Name: thresholds thresholds_pkey; Type: CONSTRAINT; Schema: monitoring; Owner: -
--

ALTER TABLE ONLY monitoring.thresholds
    ADD CONSTRAINT thresholds_pkey PRIMARY KEY (name);

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
-- Name: audit_logs_client_time_idx; Type: INDEX; Schema: audit; Owner: -
--

CREATE INDEX audit_logs_client_time_idx ON ONLY audit.audit_logs USING btree (client_id, occurred_at);

--
-- Name: audit_logs_record_idx; Type: INDEX; Schema: audit; Owner: -
--

CREATE INDEX audit_logs_record_idx ON ONLY audit.audit_logs USING btree (client_id, record_id);

--
-- Name: batches_migration_idx; Type: INDEX; Schema: migrations; Owner: -
--

CREATE INDEX batches_migration_idx ON migrations.batches USING btree (migration, finished_at);

--
-- Name: approvals_approver_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX approvals_approver_idx ON rea.approvals USING btree (client_id, approver_id);

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
-- Name: approvals_requested_by_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX approvals_requested_by_idx ON rea.approvals USING btree (client_id, requested_by, status, requested_at);

--
-- Name: bookings_agent_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX bookings_agent_idx ON rea.bookings USING btree (client_id, agent_user_id);

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
-- Name: communications_user_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX communications_user_idx ON rea.communications USING btree (client_id, user_id);

--
-- Name: customers_email_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_email_idx ON rea.customers USING btree (client_id, email);

--
-- Name: customers_full_name_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_full_name_idx ON rea.customers USING btree (client_id, lower(full_name));

--
-- Name: customers_national_id_key; Type: INDEX; Schema: rea; Owner: -
--

CREATE UNIQUE INDEX customers_national_id_key ON rea.customers USING btree (client_id, national_id_hmac) WHERE (national_id_hmac IS NOT NULL);

--
-- Name: customers_passport_number_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_passport_number_idx ON rea.customers USING btree (client_id, passport_number_hmac) WHERE (passport_number_hmac IS NOT NULL);

--
-- Name: customers_phone_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX customers_phone_idx ON rea.customers USING btree (client_id, phone);

--
-- Name: deals_agent_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_agent_idx ON rea.deals USING btree (client_id, agent_user_id);

--
-- Name: deals_commission_rule_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX deals_commission_rule_idx ON rea.deals USING btree (client_id, commission_rule_id);

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
-- Name: expenses_branch_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_branch_idx ON rea.expenses USING btree (client_id, branch_id);

--
-- Name: expenses_expense_date_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_expense_date_idx ON rea.expenses USING btree (client_id, expense_date);

--
-- Name: expenses_pending_approval_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_pending_approval_idx ON rea.expenses USING btree (client_id, expense_date, id) WHERE (status = 'pending_approval'::text);

--
-- Name: expenses_property_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_property_idx ON rea.expenses USING btree (client_id, property_id);

--
-- Name: expenses_recorded_by_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX expenses_recorded_by_idx ON rea.expenses USING btree (client_id, recorded_by);

--
-- Name: properties_available_by_price_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_available_by_price_idx ON rea.properties USING btree (client_id, city, asking_price, id) WHERE ((status = 'available'::text) AND (deleted_at IS NULL));

--
-- Name: properties_branch_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_branch_idx ON rea.properties USING btree (client_id, branch_id);

--
-- Name: properties_city_status_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_city_status_idx ON rea.properties USING btree (client_id, city, status);

--
-- Name: properties_features_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_features_idx ON rea.properties USING gin (client_id, features jsonb_path_ops);

--
-- Name: properties_owner_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_owner_idx ON rea.properties USING btree (client_id, owner_customer_id);

--
-- Name: properties_words_idx; Type: INDEX; Schema: rea; Owner: -
--

CREATE INDEX properties_words_idx ON rea.properties USING gin (client_id, (((title || ' '::text) || COALESCE(district, ''::text))) extensions.gin_trgm_ops);

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
-- Name: fact_bookings_mv_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_bookings_mv_client_id_key ON reporting.fact_bookings_mv USING btree (client_id, id);

--
-- Name: fact_bookings_mv_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_bookings_mv_month_idx ON reporting.fact_bookings_mv USING btree (client_id, month);

--
-- Name: fact_deals_mv_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_deals_mv_client_id_key ON reporting.fact_deals_mv USING btree (client_id, id);

--
-- Name: fact_deals_mv_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_deals_mv_month_idx ON reporting.fact_deals_mv USING btree (client_id, month);

--
-- Name: fact_expenses_mv_client_id_key; Type: INDEX; Schema: reporting; Owner: -
--

CREATE UNIQUE INDEX fact_expenses_mv_client_id_key ON reporting.fact_expenses_mv USING btree (client_id, id);

--
-- Name: fact_expenses_mv_month_idx; Type: INDEX; Schema: reporting; Owner: -
--

CREATE INDEX fact_expenses_mv_month_idx ON reporting.fact_expenses_mv USING btree (client_id, month);

--
-- Name: audit_logs audit_logs_append_only; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER audit_logs_append_only BEFORE DELETE OR UPDATE ON audit.audit_logs FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

--
-- Name: audit_logs audit_logs_no_truncate; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER audit_logs_no_truncate BEFORE TRUNCATE ON audit.audit_logs FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: evidence_changes evidence_changes_append_only; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER evidence_changes_append_only BEFORE DELETE OR UPDATE ON audit.evidence_changes FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

--
-- Name: evidence_changes evidence_changes_no_truncate; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER evidence_changes_no_truncate BEFORE TRUNCATE ON audit.evidence_changes FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: seals seals_append_only; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER seals_append_only BEFORE DELETE OR UPDATE ON audit.seals FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();

--
-- Name: seals seals_evidence; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER seals_evidence AFTER INSERT OR DELETE OR UPDATE ON audit.seals FOR EACH ROW EXECUTE FUNCTION audit.record_evidence_change();

--
-- Name: seals seals_no_truncate; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER seals_no_truncate BEFORE TRUNCATE ON audit.seals FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: settings settings_evidence; Type: TRIGGER; Schema: audit; Owner: -
--

CREATE TRIGGER settings_evidence AFTER INSERT OR DELETE OR UPDATE ON audit.settings FOR EACH ROW EXECUTE FUNCTION audit.record_evidence_change();

--
-- Name: approvals approvals_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_audit_delete AFTER DELETE ON rea.approvals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: approvals approvals_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_audit_insert AFTER INSERT ON rea.approvals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: approvals approvals_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_audit_update AFTER UPDATE ON rea.approvals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: approvals approvals_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_no_truncate BEFORE TRUNCATE ON rea.approvals FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: approvals approvals_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_skip_unchanged BEFORE UPDATE ON rea.approvals FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: approvals approvals_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_touch_updated_at BEFORE UPDATE ON rea.approvals FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: approvals approvals_workflow; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER approvals_workflow BEFORE INSERT OR UPDATE ON rea.approvals FOR EACH ROW EXECUTE FUNCTION rea.approvals_enforce_workflow();

--
-- Name: bookings bookings_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_audit_delete AFTER DELETE ON rea.bookings REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'notes');

--
-- Name: bookings bookings_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_audit_insert AFTER INSERT ON rea.bookings REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'notes');

--
-- Name: bookings bookings_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_audit_update AFTER UPDATE ON rea.bookings REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'notes');

--
-- Name: bookings bookings_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_minor_units BEFORE INSERT OR UPDATE OF deposit_amount, deposit_currency ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('deposit_amount', 'deposit_currency');

--
-- Name: bookings bookings_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_no_truncate BEFORE TRUNCATE ON rea.bookings FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: bookings bookings_property_status_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_property_status_insert AFTER INSERT ON rea.bookings REFERENCING NEW TABLE AS new_bookings FOR EACH STATEMENT EXECUTE FUNCTION rea.bookings_sync_property_status();

--
-- Name: bookings bookings_property_status_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_property_status_update AFTER UPDATE ON rea.bookings REFERENCING OLD TABLE AS old_bookings NEW TABLE AS new_bookings FOR EACH STATEMENT EXECUTE FUNCTION rea.bookings_sync_property_status();

--
-- Name: bookings bookings_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_skip_unchanged BEFORE UPDATE ON rea.bookings FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: bookings bookings_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_touch_updated_at BEFORE UPDATE ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: bookings bookings_workflow; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER bookings_workflow BEFORE INSERT OR UPDATE ON rea.bookings FOR EACH ROW EXECUTE FUNCTION rea.bookings_enforce_workflow();

--
-- Name: branches branches_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_audit_delete AFTER DELETE ON rea.branches REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: branches branches_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_audit_insert AFTER INSERT ON rea.branches REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: branches branches_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_audit_update AFTER UPDATE ON rea.branches REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: branches branches_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_no_truncate BEFORE TRUNCATE ON rea.branches FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: branches branches_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_skip_unchanged BEFORE UPDATE ON rea.branches FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: branches branches_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER branches_touch_updated_at BEFORE UPDATE ON rea.branches FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: clients clients_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_audit_delete AFTER DELETE ON rea.clients REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('id', 'id');

--
-- Name: clients clients_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_audit_insert AFTER INSERT ON rea.clients REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('id', 'id');

--
-- Name: clients clients_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_audit_update AFTER UPDATE ON rea.clients REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('id', 'id');

--
-- Name: clients clients_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_no_truncate BEFORE TRUNCATE ON rea.clients FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: clients clients_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_skip_unchanged BEFORE UPDATE ON rea.clients FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: clients clients_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER clients_touch_updated_at BEFORE UPDATE ON rea.clients FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: commission_rules commission_rules_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_audit_delete AFTER DELETE ON rea.commission_rules REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: commission_rules commission_rules_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_audit_insert AFTER INSERT ON rea.commission_rules REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: commission_rules commission_rules_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_audit_update AFTER UPDATE ON rea.commission_rules REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: commission_rules commission_rules_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_minor_units BEFORE INSERT OR UPDATE OF fixed_amount, currency ON rea.commission_rules FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('fixed_amount', 'currency');

--
-- Name: commission_rules commission_rules_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_no_truncate BEFORE TRUNCATE ON rea.commission_rules FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: commission_rules commission_rules_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_skip_unchanged BEFORE UPDATE ON rea.commission_rules FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: commission_rules commission_rules_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER commission_rules_touch_updated_at BEFORE UPDATE ON rea.commission_rules FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: communications communications_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_audit_delete AFTER DELETE ON rea.communications REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'subject', 'body', 'metadata');

--
-- Name: communications communications_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_audit_insert AFTER INSERT ON rea.communications REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'subject', 'body', 'metadata');

--
-- Name: communications communications_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_audit_update AFTER UPDATE ON rea.communications REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'subject', 'body', 'metadata');

--
-- Name: communications communications_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_no_truncate BEFORE TRUNCATE ON rea.communications FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: communications communications_occurred_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_occurred_at BEFORE INSERT OR UPDATE OF occurred_at ON rea.communications FOR EACH ROW EXECUTE FUNCTION rea.communications_check_occurred_at();

--
-- Name: communications communications_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_skip_unchanged BEFORE UPDATE ON rea.communications FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: communications communications_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER communications_touch_updated_at BEFORE UPDATE ON rea.communications FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: currencies currencies_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_audit_delete AFTER DELETE ON rea.currencies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: currencies currencies_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_audit_insert AFTER INSERT ON rea.currencies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: currencies currencies_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_audit_update AFTER UPDATE ON rea.currencies REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: currencies currencies_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_no_truncate BEFORE TRUNCATE ON rea.currencies FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: currencies currencies_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_skip_unchanged BEFORE UPDATE ON rea.currencies FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: currencies currencies_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER currencies_touch_updated_at BEFORE UPDATE ON rea.currencies FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: customers customers_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_audit_delete AFTER DELETE ON rea.customers REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email', 'phone', 'national_id_encrypted', 'national_id_hmac', 'passport_number_encrypted', 'passport_number_hmac', 'legal_hold_reason');

--
-- Name: customers customers_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_audit_insert AFTER INSERT ON rea.customers REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email', 'phone', 'national_id_encrypted', 'national_id_hmac', 'passport_number_encrypted', 'passport_number_hmac', 'legal_hold_reason');

--
-- Name: customers customers_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_audit_update AFTER UPDATE ON rea.customers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email', 'phone', 'national_id_encrypted', 'national_id_hmac', 'passport_number_encrypted', 'passport_number_hmac', 'legal_hold_reason');

--
-- Name: customers customers_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_no_truncate BEFORE TRUNCATE ON rea.customers FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: customers customers_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_skip_unchanged BEFORE UPDATE ON rea.customers FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: customers customers_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER customers_touch_updated_at BEFORE UPDATE ON rea.customers FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: deal_stage_transitions deal_stage_transitions_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_audit_delete AFTER DELETE ON rea.deal_stage_transitions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'from_stage,to_stage');

--
-- Name: deal_stage_transitions deal_stage_transitions_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_audit_insert AFTER INSERT ON rea.deal_stage_transitions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'from_stage,to_stage');

--
-- Name: deal_stage_transitions deal_stage_transitions_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_audit_update AFTER UPDATE ON rea.deal_stage_transitions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'from_stage,to_stage');

--
-- Name: deal_stage_transitions deal_stage_transitions_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_no_truncate BEFORE TRUNCATE ON rea.deal_stage_transitions FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: deal_stage_transitions deal_stage_transitions_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_skip_unchanged BEFORE UPDATE ON rea.deal_stage_transitions FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: deal_stage_transitions deal_stage_transitions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deal_stage_transitions_touch_updated_at BEFORE UPDATE ON rea.deal_stage_transitions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: deals deals_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_audit_delete AFTER DELETE ON rea.deals REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: deals deals_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_audit_insert AFTER INSERT ON rea.deals REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: deals deals_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_audit_update AFTER UPDATE ON rea.deals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: deals deals_cancel_open_approvals; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_cancel_open_approvals AFTER UPDATE ON rea.deals REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rea.cancel_pending_approvals('deal_id', 'stage', 'won', 'lost');

--
-- Name: deals deals_close_property; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_close_property AFTER UPDATE ON rea.deals REFERENCING OLD TABLE AS old_deals NEW TABLE AS new_deals FOR EACH STATEMENT EXECUTE FUNCTION rea.deals_close_property();

--
-- Name: deals deals_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_minor_units BEFORE INSERT OR UPDATE OF amount, currency ON rea.deals FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('amount', 'currency');

--
-- Name: deals deals_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_no_truncate BEFORE TRUNCATE ON rea.deals FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: deals deals_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER deals_skip_unchanged BEFORE UPDATE ON rea.deals FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

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
-- Name: expenses expenses_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_audit_delete AFTER DELETE ON rea.expenses REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: expenses expenses_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_audit_insert AFTER INSERT ON rea.expenses REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: expenses expenses_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_audit_update AFTER UPDATE ON rea.expenses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: expenses expenses_cancel_open_approvals; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_cancel_open_approvals AFTER UPDATE ON rea.expenses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rea.cancel_pending_approvals('expense_id', 'status', 'approved', 'rejected');

--
-- Name: expenses expenses_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_minor_units BEFORE INSERT OR UPDATE OF amount, currency ON rea.expenses FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('amount', 'currency');

--
-- Name: expenses expenses_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_no_truncate BEFORE TRUNCATE ON rea.expenses FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: expenses expenses_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_skip_unchanged BEFORE UPDATE ON rea.expenses FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: expenses expenses_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER expenses_touch_updated_at BEFORE UPDATE ON rea.expenses FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: fx_rates fx_rates_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_audit_delete AFTER DELETE ON rea.fx_rates REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'base_currency,quote_currency,rate_date');

--
-- Name: fx_rates fx_rates_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_audit_insert AFTER INSERT ON rea.fx_rates REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'base_currency,quote_currency,rate_date');

--
-- Name: fx_rates fx_rates_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_audit_update AFTER UPDATE ON rea.fx_rates REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'base_currency,quote_currency,rate_date');

--
-- Name: fx_rates fx_rates_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_no_truncate BEFORE TRUNCATE ON rea.fx_rates FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: fx_rates fx_rates_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_skip_unchanged BEFORE UPDATE ON rea.fx_rates FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: fx_rates fx_rates_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER fx_rates_touch_updated_at BEFORE UPDATE ON rea.fx_rates FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: permissions permissions_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_audit_delete AFTER DELETE ON rea.permissions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: permissions permissions_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_audit_insert AFTER INSERT ON rea.permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: permissions permissions_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_audit_update AFTER UPDATE ON rea.permissions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('', 'code');

--
-- Name: permissions permissions_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_no_truncate BEFORE TRUNCATE ON rea.permissions FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: permissions permissions_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_skip_unchanged BEFORE UPDATE ON rea.permissions FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: permissions permissions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER permissions_touch_updated_at BEFORE UPDATE ON rea.permissions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: properties properties_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_audit_delete AFTER DELETE ON rea.properties REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: properties properties_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_audit_insert AFTER INSERT ON rea.properties REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: properties properties_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_audit_update AFTER UPDATE ON rea.properties REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: properties properties_minor_units; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_minor_units BEFORE INSERT OR UPDATE OF asking_price, currency ON rea.properties FOR EACH ROW EXECUTE FUNCTION rea.check_minor_units('asking_price', 'currency');

--
-- Name: properties properties_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_no_truncate BEFORE TRUNCATE ON rea.properties FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: properties properties_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_skip_unchanged BEFORE UPDATE ON rea.properties FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: properties properties_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER properties_touch_updated_at BEFORE UPDATE ON rea.properties FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: role_permissions role_permissions_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_audit_delete AFTER DELETE ON rea.role_permissions REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: role_permissions role_permissions_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_audit_insert AFTER INSERT ON rea.role_permissions REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: role_permissions role_permissions_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_audit_update AFTER UPDATE ON rea.role_permissions REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: role_permissions role_permissions_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_no_truncate BEFORE TRUNCATE ON rea.role_permissions FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: role_permissions role_permissions_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_skip_unchanged BEFORE UPDATE ON rea.role_permissions FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: role_permissions role_permissions_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER role_permissions_touch_updated_at BEFORE UPDATE ON rea.role_permissions FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: roles roles_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_audit_delete AFTER DELETE ON rea.roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: roles roles_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_audit_insert AFTER INSERT ON rea.roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: roles roles_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_audit_update AFTER UPDATE ON rea.roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: roles roles_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_no_truncate BEFORE TRUNCATE ON rea.roles FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: roles roles_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_skip_unchanged BEFORE UPDATE ON rea.roles FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: roles roles_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER roles_touch_updated_at BEFORE UPDATE ON rea.roles FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: user_roles user_roles_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_audit_delete AFTER DELETE ON rea.user_roles REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: user_roles user_roles_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_audit_insert AFTER INSERT ON rea.user_roles REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: user_roles user_roles_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_audit_update AFTER UPDATE ON rea.user_roles REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id');

--
-- Name: user_roles user_roles_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_no_truncate BEFORE TRUNCATE ON rea.user_roles FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: user_roles user_roles_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_skip_unchanged BEFORE UPDATE ON rea.user_roles FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

--
-- Name: user_roles user_roles_touch_updated_at; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER user_roles_touch_updated_at BEFORE UPDATE ON rea.user_roles FOR EACH ROW EXECUTE FUNCTION rea.touch_updated_at();

--
-- Name: users users_audit_delete; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_audit_delete AFTER DELETE ON rea.users REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email');

--
-- Name: users users_audit_insert; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_audit_insert AFTER INSERT ON rea.users REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email');

--
-- Name: users users_audit_update; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_audit_update AFTER UPDATE ON rea.users REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION audit.log_changes('client_id', 'id', 'full_name', 'email');

--
-- Name: users users_no_truncate; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_no_truncate BEFORE TRUNCATE ON rea.users FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

--
-- Name: users users_skip_unchanged; Type: TRIGGER; Schema: rea; Owner: -
--

CREATE TRIGGER users_skip_unchanged BEFORE UPDATE ON rea.users FOR EACH ROW WHEN (((pg_trigger_depth() > 0) AND (old.* *= new.*))) EXECUTE FUNCTION rea.skip_unchanged_update();

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
-- Name: audit_logs; Type: ROW SECURITY; Schema: audit; Owner: -
--

ALTER TABLE audit.audit_logs ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_logs audit_logs_audit_owner_insert; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY audit_logs_audit_owner_insert ON audit.audit_logs FOR INSERT TO rea_audit_owner WITH CHECK (true);

--
-- Name: audit_logs audit_logs_audit_owner_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY audit_logs_audit_owner_select ON audit.audit_logs FOR SELECT TO rea_audit_owner USING (true);

--
-- Name: audit_logs audit_logs_auditor_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY audit_logs_auditor_select ON audit.audit_logs FOR SELECT TO rea_auditor USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: audit_logs audit_logs_owner_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY audit_logs_owner_select ON audit.audit_logs FOR SELECT TO rea_owner USING (true);

--
-- Name: seals; Type: ROW SECURITY; Schema: audit; Owner: -
--

ALTER TABLE audit.seals ENABLE ROW LEVEL SECURITY;

--
-- Name: seals seals_audit_owner_insert; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY seals_audit_owner_insert ON audit.seals FOR INSERT TO rea_audit_owner WITH CHECK (true);

--
-- Name: seals seals_audit_owner_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY seals_audit_owner_select ON audit.seals FOR SELECT TO rea_audit_owner USING (true);

--
-- Name: seals seals_auditor_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY seals_auditor_select ON audit.seals FOR SELECT TO rea_auditor USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: seals seals_owner_select; Type: POLICY; Schema: audit; Owner: -
--

CREATE POLICY seals_owner_select ON audit.seals FOR SELECT TO rea_owner USING (true);

--
-- Name: approvals; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.approvals ENABLE ROW LEVEL SECURITY;

--
-- Name: approvals approvals_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_app_insert ON rea.approvals FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: approvals approvals_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_app_select ON rea.approvals FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: approvals approvals_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_app_update ON rea.approvals FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: approvals approvals_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_owner_delete ON rea.approvals FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: approvals approvals_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_owner_insert ON rea.approvals FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: approvals approvals_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_owner_select ON rea.approvals FOR SELECT TO rea_owner USING (true);

--
-- Name: approvals approvals_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY approvals_owner_update ON rea.approvals FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.bookings ENABLE ROW LEVEL SECURITY;

--
-- Name: bookings bookings_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_app_insert ON rea.bookings FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings bookings_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_app_select ON rea.bookings FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings bookings_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_app_update ON rea.bookings FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings bookings_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_owner_delete ON rea.bookings FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings bookings_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_owner_insert ON rea.bookings FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: bookings bookings_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_owner_select ON rea.bookings FOR SELECT TO rea_owner USING (true);

--
-- Name: bookings bookings_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY bookings_owner_update ON rea.bookings FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.branches ENABLE ROW LEVEL SECURITY;

--
-- Name: branches branches_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_app_insert ON rea.branches FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches branches_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_app_select ON rea.branches FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches branches_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_app_update ON rea.branches FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches branches_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_owner_delete ON rea.branches FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches branches_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_owner_insert ON rea.branches FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: branches branches_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_owner_select ON rea.branches FOR SELECT TO rea_owner USING (true);

--
-- Name: branches branches_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY branches_owner_update ON rea.branches FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: clients; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.clients ENABLE ROW LEVEL SECURITY;

--
-- Name: clients clients_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY clients_app_select ON rea.clients FOR SELECT TO rea_app USING ((id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: clients clients_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY clients_app_update ON rea.clients FOR UPDATE TO rea_app USING ((id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: clients clients_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY clients_owner_insert ON rea.clients FOR INSERT TO rea_owner WITH CHECK ((id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: clients clients_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY clients_owner_select ON rea.clients FOR SELECT TO rea_owner USING (true);

--
-- Name: clients clients_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY clients_owner_update ON rea.clients FOR UPDATE TO rea_owner USING ((id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.commission_rules ENABLE ROW LEVEL SECURITY;

--
-- Name: commission_rules commission_rules_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_app_insert ON rea.commission_rules FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules commission_rules_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_app_select ON rea.commission_rules FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules commission_rules_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_app_update ON rea.commission_rules FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules commission_rules_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_owner_delete ON rea.commission_rules FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules commission_rules_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_owner_insert ON rea.commission_rules FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: commission_rules commission_rules_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_owner_select ON rea.commission_rules FOR SELECT TO rea_owner USING (true);

--
-- Name: commission_rules commission_rules_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY commission_rules_owner_update ON rea.commission_rules FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.communications ENABLE ROW LEVEL SECURITY;

--
-- Name: communications communications_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_app_insert ON rea.communications FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications communications_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_app_select ON rea.communications FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications communications_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_app_update ON rea.communications FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications communications_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_owner_delete ON rea.communications FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications communications_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_owner_insert ON rea.communications FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: communications communications_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_owner_select ON rea.communications FOR SELECT TO rea_owner USING (true);

--
-- Name: communications communications_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY communications_owner_update ON rea.communications FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.customers ENABLE ROW LEVEL SECURITY;

--
-- Name: customers customers_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_app_insert ON rea.customers FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers customers_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_app_select ON rea.customers FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers customers_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_app_update ON rea.customers FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers customers_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_owner_delete ON rea.customers FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers customers_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_owner_insert ON rea.customers FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: customers customers_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_owner_select ON rea.customers FOR SELECT TO rea_owner USING (true);

--
-- Name: customers customers_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY customers_owner_update ON rea.customers FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.deals ENABLE ROW LEVEL SECURITY;

--
-- Name: deals deals_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_app_insert ON rea.deals FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals deals_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_app_select ON rea.deals FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals deals_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_app_update ON rea.deals FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals deals_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_owner_delete ON rea.deals FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals deals_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_owner_insert ON rea.deals FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: deals deals_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_owner_select ON rea.deals FOR SELECT TO rea_owner USING (true);

--
-- Name: deals deals_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY deals_owner_update ON rea.deals FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.expenses ENABLE ROW LEVEL SECURITY;

--
-- Name: expenses expenses_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_app_insert ON rea.expenses FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses expenses_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_app_select ON rea.expenses FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses expenses_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_app_update ON rea.expenses FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses expenses_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_owner_delete ON rea.expenses FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses expenses_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_owner_insert ON rea.expenses FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: expenses expenses_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_owner_select ON rea.expenses FOR SELECT TO rea_owner USING (true);

--
-- Name: expenses expenses_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY expenses_owner_update ON rea.expenses FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.properties ENABLE ROW LEVEL SECURITY;

--
-- Name: properties properties_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_app_insert ON rea.properties FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties properties_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_app_select ON rea.properties FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties properties_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_app_update ON rea.properties FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties properties_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_owner_delete ON rea.properties FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties properties_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_owner_insert ON rea.properties FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: properties properties_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_owner_select ON rea.properties FOR SELECT TO rea_owner USING (true);

--
-- Name: properties properties_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY properties_owner_update ON rea.properties FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.role_permissions ENABLE ROW LEVEL SECURITY;

--
-- Name: role_permissions role_permissions_app_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_app_delete ON rea.role_permissions FOR DELETE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions role_permissions_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_app_insert ON rea.role_permissions FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions role_permissions_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_app_select ON rea.role_permissions FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions role_permissions_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_owner_delete ON rea.role_permissions FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions role_permissions_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_owner_insert ON rea.role_permissions FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: role_permissions role_permissions_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_owner_select ON rea.role_permissions FOR SELECT TO rea_owner USING (true);

--
-- Name: role_permissions role_permissions_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY role_permissions_owner_update ON rea.role_permissions FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.roles ENABLE ROW LEVEL SECURITY;

--
-- Name: roles roles_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_app_insert ON rea.roles FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles roles_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_app_select ON rea.roles FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles roles_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_app_update ON rea.roles FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles roles_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_owner_delete ON rea.roles FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles roles_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_owner_insert ON rea.roles FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: roles roles_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_owner_select ON rea.roles FOR SELECT TO rea_owner USING (true);

--
-- Name: roles roles_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY roles_owner_update ON rea.roles FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.user_roles ENABLE ROW LEVEL SECURITY;

--
-- Name: user_roles user_roles_app_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_app_delete ON rea.user_roles FOR DELETE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles user_roles_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_app_insert ON rea.user_roles FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles user_roles_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_app_select ON rea.user_roles FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles user_roles_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_owner_delete ON rea.user_roles FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles user_roles_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_owner_insert ON rea.user_roles FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: user_roles user_roles_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_owner_select ON rea.user_roles FOR SELECT TO rea_owner USING (true);

--
-- Name: user_roles user_roles_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY user_roles_owner_update ON rea.user_roles FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users; Type: ROW SECURITY; Schema: rea; Owner: -
--

ALTER TABLE rea.users ENABLE ROW LEVEL SECURITY;

--
-- Name: users users_app_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_app_insert ON rea.users FOR INSERT TO rea_app WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_app_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_app_select ON rea.users FOR SELECT TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_app_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_app_update ON rea.users FOR UPDATE TO rea_app USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_audit_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_audit_owner_select ON rea.users FOR SELECT TO rea_audit_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_owner_delete; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_owner_delete ON rea.users FOR DELETE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_owner_insert; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_owner_insert ON rea.users FOR INSERT TO rea_owner WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: users users_owner_select; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_owner_select ON rea.users FOR SELECT TO rea_owner USING (true);

--
-- Name: users users_owner_update; Type: POLICY; Schema: rea; Owner: -
--

CREATE POLICY users_owner_update ON rea.users FOR UPDATE TO rea_owner USING ((client_id = ( SELECT rea.current_client_id() AS current_client_id))) WITH CHECK ((client_id = ( SELECT rea.current_client_id() AS current_client_id)));

--
-- Name: SCHEMA audit; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA audit TO rea_auditor;
GRANT USAGE ON SCHEMA audit TO rea_owner;

--
-- Name: SCHEMA extensions; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA extensions TO rea_owner;
GRANT USAGE ON SCHEMA extensions TO rea_app;
GRANT USAGE ON SCHEMA extensions TO rea_search;

--
-- Name: SCHEMA monitoring; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA monitoring TO rea_monitor;

--
-- Name: SCHEMA rea; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA rea TO rea_app;
GRANT USAGE ON SCHEMA rea TO rea_search;
GRANT USAGE ON SCHEMA rea TO rea_operator;
GRANT USAGE ON SCHEMA rea TO rea_audit_owner;

--
-- Name: SCHEMA reporting; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA reporting TO rea_app;
GRANT USAGE ON SCHEMA reporting TO rea_reporting;

--
-- Name: SCHEMA search; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA search TO rea_app;

--
-- Name: FUNCTION analyze_partitioned(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.analyze_partitioned() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.analyze_partitioned() TO rea_owner;

--
-- Name: PROCEDURE audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[]); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON PROCEDURE audit.audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[]) FROM PUBLIC;
GRANT ALL ON PROCEDURE audit.audit_table(IN target regclass, IN tenant_column text, IN key_columns text[], IN personal_columns text[]) TO rea_owner;

--
-- Name: FUNCTION create_partitions(months_ahead integer); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.create_partitions(months_ahead integer) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.create_partitions(months_ahead integer) TO rea_owner;

--
-- Name: FUNCTION day_hashes(first_day date, last_day date); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.day_hashes(first_day date, last_day date) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.day_hashes(first_day date, last_day date) TO rea_auditor;
GRANT ALL ON FUNCTION audit.day_hashes(first_day date, last_day date) TO rea_owner;

--
-- Name: FUNCTION drop_expired_partitions(as_of timestamp with time zone); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.drop_expired_partitions(as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.drop_expired_partitions(as_of timestamp with time zone) TO rea_owner;

--
-- Name: FUNCTION guard_audit_triggers(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.guard_audit_triggers() FROM PUBLIC;

--
-- Name: FUNCTION heads(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.heads() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.heads() TO rea_owner;
GRANT ALL ON FUNCTION audit.heads() TO rea_auditor;

--
-- Name: FUNCTION log_changes(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.log_changes() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.log_changes() TO rea_owner;

--
-- Name: FUNCTION open_day_head(tenant uuid, on_day date, before_xid xid8); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.open_day_head(tenant uuid, on_day date, before_xid xid8) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.open_day_head(tenant uuid, on_day date, before_xid xid8) TO rea_owner;
GRANT ALL ON FUNCTION audit.open_day_head(tenant uuid, on_day date, before_xid xid8) TO rea_auditor;

--
-- Name: FUNCTION record_evidence_change(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.record_evidence_change() FROM PUBLIC;

--
-- Name: FUNCTION refuse_change(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.refuse_change() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.refuse_change() TO rea_owner;

--
-- Name: TABLE audit_logs; Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON TABLE audit.audit_logs FROM rea_audit_owner;
GRANT SELECT,INSERT,REFERENCES,TRIGGER ON TABLE audit.audit_logs TO rea_audit_owner;
GRANT SELECT ON TABLE audit.audit_logs TO rea_auditor;
GRANT SELECT ON TABLE audit.audit_logs TO rea_owner;

--
-- Name: FUNCTION row_hash(r audit.audit_logs); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.row_hash(r audit.audit_logs) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.row_hash(r audit.audit_logs) TO rea_auditor;
GRANT ALL ON FUNCTION audit.row_hash(r audit.audit_logs) TO rea_owner;

--
-- Name: FUNCTION seal_days(through date); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.seal_days(through date) FROM PUBLIC;
GRANT ALL ON FUNCTION audit.seal_days(through date) TO rea_owner;

--
-- Name: FUNCTION stamp(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.stamp() FROM PUBLIC;

--
-- Name: FUNCTION verify_seals(); Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON FUNCTION audit.verify_seals() FROM PUBLIC;
GRANT ALL ON FUNCTION audit.verify_seals() TO rea_auditor;
GRANT ALL ON FUNCTION audit.verify_seals() TO rea_owner;

--
-- Name: PROCEDURE each_tenant(IN migration text, IN statement text, IN batch_size integer, IN expect_rows boolean); Type: ACL; Schema: migrations; Owner: -
--

REVOKE ALL ON PROCEDURE migrations.each_tenant(IN migration text, IN statement text, IN batch_size integer, IN expect_rows boolean) FROM PUBLIC;

--
-- Name: FUNCTION bloat_estimates(); Type: ACL; Schema: monitoring; Owner: -
--

REVOKE ALL ON FUNCTION monitoring.bloat_estimates() FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.bloat_estimates() TO rea_monitor;

--
-- Name: FUNCTION cron_job_runs(); Type: ACL; Schema: monitoring; Owner: -
--

REVOKE ALL ON FUNCTION monitoring.cron_job_runs() FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.cron_job_runs() TO rea_monitor;

--
-- Name: FUNCTION record_refresh(); Type: ACL; Schema: monitoring; Owner: -
--

REVOKE ALL ON FUNCTION monitoring.record_refresh() FROM PUBLIC;

--
-- Name: FUNCTION relation_name(relation oid); Type: ACL; Schema: monitoring; Owner: -
--

REVOKE ALL ON FUNCTION monitoring.relation_name(relation oid) FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.relation_name(relation oid) TO rea_monitor;

--
-- Name: FUNCTION threshold(threshold_name text); Type: ACL; Schema: monitoring; Owner: -
--

REVOKE ALL ON FUNCTION monitoring.threshold(threshold_name text) FROM PUBLIC;
GRANT ALL ON FUNCTION monitoring.threshold(threshold_name text) TO rea_monitor;

--
-- Name: FUNCTION analyze_partitioned_tables(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.analyze_partitioned_tables() FROM PUBLIC;

--
-- Name: FUNCTION apply_customer_retention(as_of timestamp with time zone); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.apply_customer_retention(as_of timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.apply_customer_retention(as_of timestamp with time zone) TO rea_app;

--
-- Name: FUNCTION apply_customer_retention_all(as_of timestamp with time zone); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.apply_customer_retention_all(as_of timestamp with time zone) FROM PUBLIC;

--
-- Name: FUNCTION approvals_enforce_workflow(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.approvals_enforce_workflow() FROM PUBLIC;

--
-- Name: FUNCTION bookings_enforce_workflow(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.bookings_enforce_workflow() FROM PUBLIC;

--
-- Name: FUNCTION bookings_sync_property_status(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.bookings_sync_property_status() FROM PUBLIC;

--
-- Name: FUNCTION cancel_pending_approvals(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.cancel_pending_approvals() FROM PUBLIC;

--
-- Name: FUNCTION check_identifier_key(key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.check_identifier_key(key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.check_identifier_key(key text) TO rea_app;

--
-- Name: FUNCTION check_minor_units(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.check_minor_units() FROM PUBLIC;

--
-- Name: FUNCTION communications_check_occurred_at(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.communications_check_occurred_at() FROM PUBLIC;

--
-- Name: FUNCTION convert_amount(amount numeric, from_currency text, to_currency text, on_date date); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.convert_amount(amount numeric, from_currency text, to_currency text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.convert_amount(amount numeric, from_currency text, to_currency text, on_date date) TO rea_app;

--
-- Name: FUNCTION current_actor_id(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.current_actor_id() FROM PUBLIC;
GRANT ALL ON FUNCTION rea.current_actor_id() TO rea_app;
GRANT ALL ON FUNCTION rea.current_actor_id() TO rea_audit_owner;

--
-- Name: FUNCTION current_client_id(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.current_client_id() FROM PUBLIC;
GRANT ALL ON FUNCTION rea.current_client_id() TO rea_app;
GRANT ALL ON FUNCTION rea.current_client_id() TO rea_reporting;
GRANT ALL ON FUNCTION rea.current_client_id() TO rea_auditor;
GRANT ALL ON FUNCTION rea.current_client_id() TO rea_search;
GRANT ALL ON FUNCTION rea.current_client_id() TO rea_audit_owner;

--
-- Name: FUNCTION customer_identifiers(customer_id uuid, key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.customer_identifiers(customer_id uuid, key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.customer_identifiers(customer_id uuid, key text) TO rea_app;

--
-- Name: FUNCTION deals_close_property(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.deals_close_property() FROM PUBLIC;

--
-- Name: FUNCTION deals_enforce_workflow(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.deals_enforce_workflow() FROM PUBLIC;

--
-- Name: FUNCTION erase_customer(customer_id uuid); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.erase_customer(customer_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.erase_customer(customer_id uuid) TO rea_app;

--
-- Name: FUNCTION expenses_enforce_approval(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.expenses_enforce_approval() FROM PUBLIC;

--
-- Name: FUNCTION export_customer(customer_id uuid); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.export_customer(customer_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.export_customer(customer_id uuid) TO rea_app;

--
-- Name: FUNCTION find_customers_by_identifier(kind text, value text, key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.find_customers_by_identifier(kind text, value text, key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.find_customers_by_identifier(kind text, value text, key text) TO rea_app;

--
-- Name: FUNCTION fx_rate(from_currency text, to_currency text, on_date date); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.fx_rate(from_currency text, to_currency text, on_date date) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.fx_rate(from_currency text, to_currency text, on_date date) TO rea_app;

--
-- Name: FUNCTION identifier_hmac(value text, key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.identifier_hmac(value text, key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.identifier_hmac(value text, key text) TO rea_app;

--
-- Name: FUNCTION normalise_identifier(value text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.normalise_identifier(value text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.normalise_identifier(value text) TO rea_app;

--
-- Name: FUNCTION provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.provision_agency(agency_name text, base_currency text, admin_full_name text, admin_email text) TO rea_operator;

--
-- Name: FUNCTION require_client_id(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.require_client_id() FROM PUBLIC;
GRANT ALL ON FUNCTION rea.require_client_id() TO rea_app;
GRANT ALL ON FUNCTION rea.require_client_id() TO rea_search;

--
-- Name: FUNCTION rotate_identifier_key(old_key text, new_key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.rotate_identifier_key(old_key text, new_key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.rotate_identifier_key(old_key text, new_key text) TO rea_app;

--
-- Name: FUNCTION set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text) FROM PUBLIC;
GRANT ALL ON FUNCTION rea.set_customer_identifiers(customer_id uuid, national_id text, passport_number text, key text) TO rea_app;

--
-- Name: FUNCTION skip_unchanged_update(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.skip_unchanged_update() FROM PUBLIC;

--
-- Name: FUNCTION touch_updated_at(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.touch_updated_at() FROM PUBLIC;

--
-- Name: FUNCTION uuid_v7(); Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON FUNCTION rea.uuid_v7() FROM PUBLIC;
GRANT ALL ON FUNCTION rea.uuid_v7() TO rea_app;

--
-- Name: FUNCTION fact_bookings_rows(); Type: ACL; Schema: reporting; Owner: -
--

REVOKE ALL ON FUNCTION reporting.fact_bookings_rows() FROM PUBLIC;

--
-- Name: FUNCTION fact_deals_rows(); Type: ACL; Schema: reporting; Owner: -
--

REVOKE ALL ON FUNCTION reporting.fact_deals_rows() FROM PUBLIC;

--
-- Name: FUNCTION fact_expenses_rows(); Type: ACL; Schema: reporting; Owner: -
--

REVOKE ALL ON FUNCTION reporting.fact_expenses_rows() FROM PUBLIC;

--
-- Name: FUNCTION refresh_facts(); Type: ACL; Schema: reporting; Owner: -
--

REVOKE ALL ON FUNCTION reporting.refresh_facts() FROM PUBLIC;

--
-- Name: FUNCTION properties(wanted_features jsonb, search_words text, max_rows integer); Type: ACL; Schema: search; Owner: -
--

REVOKE ALL ON FUNCTION search.properties(wanted_features jsonb, search_words text, max_rows integer) FROM PUBLIC;
GRANT ALL ON FUNCTION search.properties(wanted_features jsonb, search_words text, max_rows integer) TO rea_app;

--
-- Name: TABLE evidence_changes; Type: ACL; Schema: audit; Owner: -
--

GRANT SELECT ON TABLE audit.evidence_changes TO rea_owner;

--
-- Name: TABLE seals; Type: ACL; Schema: audit; Owner: -
--

REVOKE ALL ON TABLE audit.seals FROM rea_audit_owner;
GRANT SELECT,INSERT,REFERENCES,TRIGGER ON TABLE audit.seals TO rea_audit_owner;
GRANT SELECT ON TABLE audit.seals TO rea_auditor;
GRANT SELECT ON TABLE audit.seals TO rea_owner;

--
-- Name: TABLE settings; Type: ACL; Schema: audit; Owner: -
--

GRANT SELECT ON TABLE audit.settings TO rea_auditor;
GRANT SELECT ON TABLE audit.settings TO rea_owner;

--
-- Name: TABLE audit_last_seals; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.audit_last_seals TO rea_monitor;

--
-- Name: TABLE audit_partitions; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.audit_partitions TO rea_monitor;

--
-- Name: TABLE audit_partition_horizon; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.audit_partition_horizon TO rea_monitor;

--
-- Name: TABLE audit_unsealed_days; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.audit_unsealed_days TO rea_monitor;

--
-- Name: TABLE autovacuum_lagging; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.autovacuum_lagging TO rea_monitor;

--
-- Name: TABLE bloat; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.bloat TO rea_monitor;

--
-- Name: TABLE blocked_sessions; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.blocked_sessions TO rea_monitor;

--
-- Name: TABLE cache_hit_rates; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.cache_hit_rates TO rea_monitor;

--
-- Name: TABLE cron_jobs; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.cron_jobs TO rea_monitor;

--
-- Name: TABLE duplicate_indexes; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.duplicate_indexes TO rea_monitor;

--
-- Name: TABLE expected_role_settings; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.expected_role_settings TO rea_monitor;

--
-- Name: TABLE foreign_keys_without_index; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.foreign_keys_without_index TO rea_monitor;

--
-- Name: TABLE idle_in_transaction; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.idle_in_transaction TO rea_monitor;

--
-- Name: TABLE index_usage; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.index_usage TO rea_monitor;

--
-- Name: TABLE invalid_indexes; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.invalid_indexes TO rea_monitor;

--
-- Name: TABLE running_queries; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.running_queries TO rea_monitor;

--
-- Name: TABLE long_running_queries; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.long_running_queries TO rea_monitor;

--
-- Name: TABLE refreshes; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.refreshes TO rea_monitor;

--
-- Name: TABLE replication; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.replication TO rea_monitor;

--
-- Name: TABLE replication_slots; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.replication_slots TO rea_monitor;

--
-- Name: TABLE reporting_freshness; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.reporting_freshness TO rea_monitor;

--
-- Name: TABLE role_settings_drift; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.role_settings_drift TO rea_monitor;

--
-- Name: TABLE seq_scans_on_big_tables; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.seq_scans_on_big_tables TO rea_monitor;

--
-- Name: TABLE unused_indexes; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.unused_indexes TO rea_monitor;

--
-- Name: TABLE xid_age; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.xid_age TO rea_monitor;

--
-- Name: TABLE health; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.health TO rea_monitor;

--
-- Name: TABLE query_stats; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.query_stats TO rea_monitor;

--
-- Name: TABLE readb_steps; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.readb_steps TO rea_monitor;

--
-- Name: TABLE table_sizes; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.table_sizes TO rea_monitor;

--
-- Name: TABLE thresholds; Type: ACL; Schema: monitoring; Owner: -
--

GRANT SELECT ON TABLE monitoring.thresholds TO rea_monitor;

--
-- Name: TABLE approvals; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.subject_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(subject_type),UPDATE(subject_type) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.deal_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deal_id),UPDATE(deal_id) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.expense_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(expense_id),UPDATE(expense_id) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.requested_by; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(requested_by),UPDATE(requested_by) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.approver_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(approver_id),UPDATE(approver_id) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.status; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.reason; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(reason),UPDATE(reason) ON TABLE rea.approvals TO rea_app;

--
-- Name: COLUMN approvals.decision_note; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(decision_note),UPDATE(decision_note) ON TABLE rea.approvals TO rea_app;

--
-- Name: TABLE bookings; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.property_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(property_id),UPDATE(property_id) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.customer_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(customer_id),UPDATE(customer_id) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.agent_user_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(agent_user_id),UPDATE(agent_user_id) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.status; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.starts_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(starts_at),UPDATE(starts_at) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.ends_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(ends_at),UPDATE(ends_at) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.deposit_amount; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deposit_amount),UPDATE(deposit_amount) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.deposit_currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deposit_currency),UPDATE(deposit_currency) ON TABLE rea.bookings TO rea_app;

--
-- Name: COLUMN bookings.notes; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(notes),UPDATE(notes) ON TABLE rea.bookings TO rea_app;

--
-- Name: TABLE branches; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.branches TO rea_app;

--
-- Name: COLUMN branches.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.branches TO rea_app;

--
-- Name: COLUMN branches.name; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(name),UPDATE(name) ON TABLE rea.branches TO rea_app;

--
-- Name: COLUMN branches.city; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(city),UPDATE(city) ON TABLE rea.branches TO rea_app;

--
-- Name: TABLE clients; Type: ACL; Schema: rea; Owner: -
--

REVOKE ALL ON TABLE rea.clients FROM rea_owner;
GRANT SELECT,REFERENCES,TRIGGER,UPDATE ON TABLE rea.clients TO rea_owner;
GRANT SELECT ON TABLE rea.clients TO rea_app;

--
-- Name: COLUMN clients.id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(id) ON TABLE rea.clients TO rea_owner;

--
-- Name: COLUMN clients.name; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(name) ON TABLE rea.clients TO rea_owner;

--
-- Name: COLUMN clients.base_currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(base_currency) ON TABLE rea.clients TO rea_owner;

--
-- Name: COLUMN clients.expense_approval_threshold; Type: ACL; Schema: rea; Owner: -
--

GRANT UPDATE(expense_approval_threshold) ON TABLE rea.clients TO rea_app;

--
-- Name: COLUMN clients.customer_retention; Type: ACL; Schema: rea; Owner: -
--

GRANT UPDATE(customer_retention) ON TABLE rea.clients TO rea_app;

--
-- Name: TABLE commission_rules; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.listing_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(listing_type),UPDATE(listing_type) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.deal_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deal_type),UPDATE(deal_type) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.percentage; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(percentage),UPDATE(percentage) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.fixed_amount; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(fixed_amount),UPDATE(fixed_amount) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: COLUMN commission_rules.effective; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(effective),UPDATE(effective) ON TABLE rea.commission_rules TO rea_app;

--
-- Name: TABLE communications; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.customer_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(customer_id),UPDATE(customer_id) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.user_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(user_id),UPDATE(user_id) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.channel; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(channel),UPDATE(channel) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.direction; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(direction),UPDATE(direction) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.subject; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(subject),UPDATE(subject) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.body; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(body),UPDATE(body) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.metadata; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(metadata),UPDATE(metadata) ON TABLE rea.communications TO rea_app;

--
-- Name: COLUMN communications.occurred_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(occurred_at),UPDATE(occurred_at) ON TABLE rea.communications TO rea_app;

--
-- Name: TABLE currencies; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.currencies TO rea_app;

--
-- Name: TABLE customers; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.kind; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(kind),UPDATE(kind) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.full_name; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(full_name),UPDATE(full_name) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.email; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(email),UPDATE(email) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.phone; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(phone),UPDATE(phone) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.deleted_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deleted_at),UPDATE(deleted_at) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.marketing_consent; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(marketing_consent),UPDATE(marketing_consent) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.marketing_consent_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(marketing_consent_at),UPDATE(marketing_consent_at) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.legal_hold; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(legal_hold),UPDATE(legal_hold) ON TABLE rea.customers TO rea_app;

--
-- Name: COLUMN customers.legal_hold_reason; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(legal_hold_reason),UPDATE(legal_hold_reason) ON TABLE rea.customers TO rea_app;

--
-- Name: TABLE deal_stage_transitions; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.deal_stage_transitions TO rea_app;

--
-- Name: TABLE deals; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.property_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(property_id),UPDATE(property_id) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.customer_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(customer_id),UPDATE(customer_id) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.agent_user_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(agent_user_id),UPDATE(agent_user_id) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.deal_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deal_type),UPDATE(deal_type) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.stage; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(stage),UPDATE(stage) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.amount; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(amount),UPDATE(amount) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.deal_date; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deal_date),UPDATE(deal_date) ON TABLE rea.deals TO rea_app;

--
-- Name: COLUMN deals.deleted_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deleted_at),UPDATE(deleted_at) ON TABLE rea.deals TO rea_app;

--
-- Name: TABLE expenses; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.property_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(property_id),UPDATE(property_id) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.branch_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(branch_id),UPDATE(branch_id) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.recorded_by; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(recorded_by),UPDATE(recorded_by) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.category; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(category),UPDATE(category) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.amount; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(amount),UPDATE(amount) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.expense_date; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(expense_date),UPDATE(expense_date) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.description; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE rea.expenses TO rea_app;

--
-- Name: COLUMN expenses.status; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE rea.expenses TO rea_app;

--
-- Name: TABLE fx_rates; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.fx_rates TO rea_app;

--
-- Name: TABLE permissions; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.permissions TO rea_app;

--
-- Name: TABLE properties; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.properties TO rea_app;

--
-- Name: COLUMN properties.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.properties TO rea_app;
GRANT SELECT(client_id) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.id; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT(id) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.listing_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(listing_type),UPDATE(listing_type) ON TABLE rea.properties TO rea_app;
GRANT SELECT(listing_type) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.branch_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(branch_id),UPDATE(branch_id) ON TABLE rea.properties TO rea_app;

--
-- Name: COLUMN properties.owner_customer_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(owner_customer_id),UPDATE(owner_customer_id) ON TABLE rea.properties TO rea_app;

--
-- Name: COLUMN properties.property_type; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(property_type),UPDATE(property_type) ON TABLE rea.properties TO rea_app;
GRANT SELECT(property_type) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.title; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(title),UPDATE(title) ON TABLE rea.properties TO rea_app;
GRANT SELECT(title) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.city; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(city),UPDATE(city) ON TABLE rea.properties TO rea_app;
GRANT SELECT(city) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.district; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(district),UPDATE(district) ON TABLE rea.properties TO rea_app;
GRANT SELECT(district) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.status; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE rea.properties TO rea_app;
GRANT SELECT(status) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.asking_price; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(asking_price),UPDATE(asking_price) ON TABLE rea.properties TO rea_app;
GRANT SELECT(asking_price) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.currency; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(currency),UPDATE(currency) ON TABLE rea.properties TO rea_app;
GRANT SELECT(currency) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.features; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(features),UPDATE(features) ON TABLE rea.properties TO rea_app;
GRANT SELECT(features) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.deleted_at; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(deleted_at),UPDATE(deleted_at) ON TABLE rea.properties TO rea_app;
GRANT SELECT(deleted_at) ON TABLE rea.properties TO rea_search;

--
-- Name: COLUMN properties.built_up_area_sqm; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(built_up_area_sqm),UPDATE(built_up_area_sqm) ON TABLE rea.properties TO rea_app;

--
-- Name: TABLE role_permissions; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT,DELETE ON TABLE rea.role_permissions TO rea_app;

--
-- Name: COLUMN role_permissions.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.role_permissions TO rea_app;

--
-- Name: COLUMN role_permissions.role_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(role_id) ON TABLE rea.role_permissions TO rea_app;

--
-- Name: COLUMN role_permissions.permission_code; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(permission_code) ON TABLE rea.role_permissions TO rea_app;

--
-- Name: TABLE roles; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.roles TO rea_app;

--
-- Name: COLUMN roles.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.roles TO rea_app;

--
-- Name: COLUMN roles.name; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(name),UPDATE(name) ON TABLE rea.roles TO rea_app;

--
-- Name: COLUMN roles.description; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(description),UPDATE(description) ON TABLE rea.roles TO rea_app;

--
-- Name: TABLE user_roles; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT,DELETE ON TABLE rea.user_roles TO rea_app;

--
-- Name: COLUMN user_roles.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.user_roles TO rea_app;

--
-- Name: COLUMN user_roles.user_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(user_id) ON TABLE rea.user_roles TO rea_app;

--
-- Name: COLUMN user_roles.role_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(role_id) ON TABLE rea.user_roles TO rea_app;

--
-- Name: TABLE users; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT ON TABLE rea.users TO rea_app;

--
-- Name: COLUMN users.client_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(client_id) ON TABLE rea.users TO rea_app;
GRANT SELECT(client_id) ON TABLE rea.users TO rea_audit_owner;

--
-- Name: COLUMN users.id; Type: ACL; Schema: rea; Owner: -
--

GRANT SELECT(id) ON TABLE rea.users TO rea_audit_owner;

--
-- Name: COLUMN users.branch_id; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(branch_id),UPDATE(branch_id) ON TABLE rea.users TO rea_app;

--
-- Name: COLUMN users.full_name; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(full_name),UPDATE(full_name) ON TABLE rea.users TO rea_app;

--
-- Name: COLUMN users.email; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(email),UPDATE(email) ON TABLE rea.users TO rea_app;

--
-- Name: COLUMN users.status; Type: ACL; Schema: rea; Owner: -
--

GRANT INSERT(status),UPDATE(status) ON TABLE rea.users TO rea_app;

--
-- Name: TABLE fact_bookings; Type: ACL; Schema: reporting; Owner: -
--

GRANT SELECT ON TABLE reporting.fact_bookings TO rea_app;
GRANT SELECT ON TABLE reporting.fact_bookings TO rea_reporting;

--
-- Name: TABLE fact_deals; Type: ACL; Schema: reporting; Owner: -
--

GRANT SELECT ON TABLE reporting.fact_deals TO rea_app;
GRANT SELECT ON TABLE reporting.fact_deals TO rea_reporting;

--
-- Name: TABLE fact_expenses; Type: ACL; Schema: reporting; Owner: -
--

GRANT SELECT ON TABLE reporting.fact_expenses TO rea_app;
GRANT SELECT ON TABLE reporting.fact_expenses TO rea_reporting;

--
-- Name: DEFAULT PRIVILEGES FOR TYPES; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE rea_audit_owner REVOKE ALL ON TYPES  FROM PUBLIC;

--
-- Name: DEFAULT PRIVILEGES FOR TYPES; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE rea_owner REVOKE ALL ON TYPES  FROM PUBLIC;

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE rea_audit_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- Name: DEFAULT PRIVILEGES FOR FUNCTIONS; Type: DEFAULT ACL; Schema: -; Owner: -
--

ALTER DEFAULT PRIVILEGES FOR ROLE rea_owner REVOKE ALL ON FUNCTIONS  FROM PUBLIC;

--
-- Name: audit_triggers_kept; Type: EVENT TRIGGER; Schema: -; Owner: -
--

CREATE EVENT TRIGGER audit_triggers_kept ON ddl_command_end
         WHEN TAG IN ('ALTER TABLE', 'CREATE TRIGGER', 'ALTER TRIGGER')
   EXECUTE FUNCTION audit.guard_audit_triggers();

--
-- Name: audit_triggers_not_dropped; Type: EVENT TRIGGER; Schema: -; Owner: -
--

CREATE EVENT TRIGGER audit_triggers_not_dropped ON sql_drop
   EXECUTE FUNCTION audit.guard_audit_triggers();

--
-- Name: monitoring_record_refresh; Type: EVENT TRIGGER; Schema: -; Owner: -
--

CREATE EVENT TRIGGER monitoring_record_refresh ON ddl_command_end
         WHEN TAG IN ('REFRESH MATERIALIZED VIEW')
   EXECUTE FUNCTION monitoring.record_refresh();

--
-- PostgreSQL database dump complete
--
