-- The audit triggers: every INSERT, UPDATE and DELETE on every table in rea writes
-- audit.audit_logs, and TRUNCATE on them is refused (it would change rows unaudited).
--
-- Design: AFTER ... FOR EACH STATEMENT triggers with transition tables, one per event
-- (PostgreSQL allows transition tables only on single-event triggers). Each statement
-- writes all its audit rows with one INSERT ... SELECT, so a bulk load pays one trigger
-- call, not one per row. For UPDATE, old and new rows are paired by primary key (a
-- full join, so a row whose key changed is still recorded) and only the changed
-- columns are kept; changed_columns names them all.
--
-- Personal data is never stored in clear. Each table's personal-data columns are named
-- in its triggers' arguments; their values are left out of old_data and new_data, and an
-- UPDATE records only that they changed (changed_columns). So the audit trail can stay
-- append-only for five years and more, and still hold nothing that rea.erase_customer()
-- would have to remove. The alternative, storing the values encrypted under a
-- per-customer key that erasure destroys ("crypto-shredding"), keeps more history but
-- costs a pgp_sym_encrypt per row and puts a key store in the database; we chose not
-- to record values that the business does not need to reconstruct.
--
-- Requires: 6100_audit_log, 6010_tenant_context, and every rea table (a catalog test
-- fails for a table without these triggers: new tables call audit.audit_table()).

set local role rea_owner;

create function audit.stamp()
returns timestamptz
language plpgsql
volatile
set search_path = ''
as $$
declare
    utc_day integer := (pg_catalog.clock_timestamp() at time zone 'UTC')::date - date '2000-01-01';
    stamp timestamptz;
begin
    -- A shared lock on the UTC day, held to the end of the transaction: writers never
    -- wait for each other, and audit.seal_days() takes it exclusively, so it seals a day
    -- only once every transaction that wrote rows into that day has ended. Taken before
    -- reading the clock, so a row can never be stamped into a day already sealed.
    perform pg_catalog.pg_advisory_xact_lock_shared(1635083380, utc_day);  -- 'audt'
    stamp := pg_catalog.clock_timestamp();
    if (stamp at time zone 'UTC')::date - date '2000-01-01' <> utc_day then
        perform pg_catalog.pg_advisory_xact_lock_shared(1635083380, utc_day + 1);
    end if;
    return stamp;
end;
$$;

comment on function audit.stamp() is
'The time audit rows are stamped with, after taking the shared seal lock of its UTC day.';

create function audit.log_changes()
returns trigger
language plpgsql
volatile
security definer
set search_path = ''
as $$
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

comment on function audit.log_changes() is
'AFTER statement trigger with transition tables old_rows/new_rows: writes one audit row per changed row.'
' Arguments: tenant column ('''' for shared tables), key columns (comma-separated), personal-data columns.';

create procedure audit.audit_table(
    target regclass, tenant_column text, key_columns text[], personal_columns text[] default '{}'
)
language plpgsql
set search_path = ''
as $$
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

comment on procedure audit.audit_table (regclass, text, text [], text []) is
'Puts the audit triggers on a table: tenant column, primary key columns, personal-data columns (redacted).';

-- Shared reference tables: no tenant.
call audit.audit_table('rea.currencies', '', '{code}');
call audit.audit_table('rea.fx_rates', '', '{base_currency,quote_currency,rate_date}');
call audit.audit_table('rea.permissions', '', '{code}');
call audit.audit_table('rea.deal_stage_transitions', '', '{from_stage,to_stage}');

-- The tenants themselves: a client row is its own tenant.
call audit.audit_table('rea.clients', 'id', '{id}');

-- Tenant tables, with their personal-data columns.
call audit.audit_table('rea.branches', 'client_id', '{id}');
call audit.audit_table('rea.users', 'client_id', '{id}', '{full_name,email}');
call audit.audit_table('rea.roles', 'client_id', '{id}');
call audit.audit_table('rea.role_permissions', 'client_id', '{id}');
call audit.audit_table('rea.user_roles', 'client_id', '{id}');
call audit.audit_table(
    'rea.customers', 'client_id', '{id}',
    '{full_name,email,phone,national_id_encrypted,national_id_hmac,passport_number_encrypted,'
    'passport_number_hmac,legal_hold_reason}'
);
call audit.audit_table('rea.properties', 'client_id', '{id}');
call audit.audit_table('rea.commission_rules', 'client_id', '{id}');
call audit.audit_table('rea.deals', 'client_id', '{id}');
call audit.audit_table('rea.expenses', 'client_id', '{id}');
call audit.audit_table('rea.approvals', 'client_id', '{id}');
call audit.audit_table('rea.bookings', 'client_id', '{id}', '{notes}');
call audit.audit_table('rea.communications', 'client_id', '{id}', '{subject,body,metadata}');
