-- Every function of the project pins search_path to `pg_catalog, pg_temp`, with pg_temp
-- last, or names nothing that a temporary object could shadow (hardening issue,
-- finding 1).
--
-- Why: `set search_path = ''` is not enough. PostgreSQL still searches the session's
-- temporary schema first for relation and type names unless pg_temp is named in the
-- path, so a caller could `create domain pg_temp.uuid as pg_catalog.uuid check
-- (pg_temp.f(value))` and have f run inside a security definer function, a trigger or a
-- policy with their rights (manual: "Writing SECURITY DEFINER Functions Safely").
-- Functions and operators are never looked up in pg_temp unless it is named, so naming it
-- last closes the class for every name the body does not qualify.
--
-- 1. Every function that set `search_path = ''` gets `pg_catalog, pg_temp` instead
--    (alter function: the bodies, grants and owners stay as they are; they already
--    qualify the project's names).
-- 2. The SQL functions that must stay inlinable cannot carry a `set` clause (it stops
--    inlining, and rea.current_client_id() is inlined into every row-level security
--    policy, uuid_v7() into every insert's default). They are recreated with every type
--    qualified (`::pg_catalog.uuid`); they name no relation. The policy plans are
--    unchanged (tests/test_temp_shadowing.py reads one).
-- 3. migrations.each_tenant() commits, so it cannot carry a `set` clause either: it is
--    recreated with its declared types and casts qualified. It runs as its caller.
--
-- rea.current_actor_id() is redefined in 7520_actor_of_current_tenant (with a pinned
-- search_path); here it only gets its cast qualified, like current_client_id().
-- tests/test_catalog_conventions.py holds the rule for every function, later ones too.
-- Requires: every step before it that creates a function.

set local role rea_owner;

-- Each function that set search_path = '' (all security definer ones among them).
do $$
declare
    routine regprocedure;
begin
    foreach routine in array array[
        'rea.apply_customer_retention(timestamp with time zone)',
        'rea.approvals_enforce_workflow()',
        'rea.bookings_enforce_workflow()',
        'rea.bookings_sync_property_status()',
        'rea.cancel_pending_approvals()',
        'rea.check_identifier_key(text)',
        'rea.check_minor_units()',
        'rea.communications_check_occurred_at()',
        'rea.convert_amount(numeric,text,text,date)',
        'rea.customer_identifiers(uuid,text)',
        'rea.deals_enforce_workflow()',
        'rea.erase_customer(uuid)',
        'rea.expenses_enforce_approval()',
        'rea.export_customer(uuid)',
        'rea.find_customers_by_identifier(text,text,text)',
        'rea.fx_rate(text,text,date)',
        'rea.identifier_hmac(text,text)',
        'rea.normalise_identifier(text)',
        'rea.require_client_id()',
        'rea.rotate_identifier_key(text,text)',
        'rea.set_customer_identifiers(uuid,text,text,text)',
        'rea.touch_updated_at()',
        'audit.audit_table(regclass,text,text[],text[])',
        'audit.create_partitions(integer)',
        'audit.day_hashes(date,date)',
        'audit.drop_expired_partitions(timestamp with time zone)',
        'audit.log_changes()',
        'audit.refuse_change()',
        'audit.row_hash(audit.audit_logs)',
        'audit.seal_days(date)',
        'audit.stamp()',
        'audit.verify_seals()'
    ]::regprocedure[] loop
        execute pg_catalog.format('alter routine %s set search_path = pg_catalog, pg_temp', routine);
    end loop;
end;
$$;

create or replace function rea.current_client_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.client_id', true), '')::pg_catalog.uuid
$$;

create or replace function rea.current_actor_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.user_id', true), '')::pg_catalog.uuid
$$;

create or replace function rea.uuid_v7()
returns uuid
language sql
volatile
parallel safe
as $$
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

create or replace procedure migrations.each_tenant(
    migration text,
    statement text,
    batch_size integer default 1000,
    expect_rows boolean default true
)
language plpgsql
as $$
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
