-- Revert 7500_pin_search_path: the functions' `search_path = ''` again, and the
-- inlinable functions and migrations.each_tenant() as their steps made them.

set local role rea_owner;

-- The functions 7500 pinned, back on search_path = ''.
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
        execute pg_catalog.format('alter routine %s set search_path = ''''', routine);
    end loop;
end;
$$;

create or replace function rea.current_client_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.client_id', true), '')::uuid
$$;

create or replace function rea.current_actor_id()
returns uuid
language sql
stable
parallel safe
as $$
    select nullif(pg_catalog.current_setting('app.user_id', true), '')::uuid
$$;

create or replace function rea.uuid_v7()
returns uuid
language sql
volatile
parallel safe
as $$
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

create or replace procedure migrations.each_tenant(
    migration text,
    statement text,
    batch_size integer default 1000,
    expect_rows boolean default true
)
language plpgsql
as $$
declare
    tenant uuid;
    changed bigint;
    total bigint := 0;
begin
    if migration is null or statement is null or batch_size is null or batch_size < 1 then
        raise exception 'migration, statement and a batch_size of at least 1 are required'
            using errcode = 'invalid_parameter_value';
    end if;
    for tenant in select c.id from rea.clients as c order by c.id loop
        loop
            perform pg_catalog.set_config('role', 'rea_owner', true);
            perform pg_catalog.set_config('app.client_id', tenant::text, true);
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
