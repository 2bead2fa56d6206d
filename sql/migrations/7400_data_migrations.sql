-- migrations.each_tenant(): how a step changes rows of every tenant, under the rules.
--
-- Steps run as rea_owner, and row-level security is forced on every tenant table for
-- rea_owner too: it reads every tenant but updates only the current one, so a plain
-- `update` in a step without a tenant set changes no row and succeeds. A data migration
-- instead calls, from a `-- readb:no-transaction` step,
--
--     call migrations.each_tenant('7420_name', $$update ... limit $1 ...$$, 1000);
--
-- which, tenant by tenant, sets the tenant (app.client_id; no actor: app.user_id empty)
-- and the role rea_owner for one transaction, runs the statement with $1 = batch_size,
-- records the batch in migrations.batches and commits, until a batch changes fewer rows
-- than batch_size. So the policies, the triggers' rules and the audit trail apply as
-- they do for the application; no lock is held longer than one batch; and a rerun
-- resumes where the last run stopped, because the statement changes only rows not yet
-- migrated (it must: that is the contract of the statement). Each batch's transaction
-- id is recorded, so the audit rows it wrote can be told apart from the application's
-- (audit.audit_logs.transaction_id). readb prints the rows each step changed from
-- migrations.batches; a call that changed no row at all raises a WARNING, which readb
-- shows (expect_rows => false silences it for a migration that may find nothing).
--
-- A procedure that commits may not carry a `set` clause (no pinned search_path), so
-- every name in it is schema-qualified, pg_catalog's included. It is not security
-- definer (that too forbids commit): it runs as its caller, a member of rea_owner.
-- Requires: 6000_ownership, 1010_clients.

create schema migrations authorization rea_owner;

set local role rea_owner;

comment on schema migrations is
'Tools for steps that change rows: migrations.each_tenant() and its record of batches.';

create table migrations.batches (
    id bigint generated always as identity,
    migration text not null,
    client_id uuid not null,
    rows_changed bigint not null,
    transaction_id xid8 not null default pg_current_xact_id(),
    finished_at timestamptz not null default clock_timestamp(),
    constraint batches_pkey primary key (id),
    constraint batches_rows_changed_check check (rows_changed >= 0)
);

create index batches_migration_idx on migrations.batches (migration, finished_at);

comment on table migrations.batches is
'One row per committed batch of migrations.each_tenant(): which migration, tenant, rows and transaction.';
comment on column migrations.batches.transaction_id is
'The batch''s transaction: audit.audit_logs.transaction_id of the audit rows it wrote.';

create procedure migrations.each_tenant(
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

comment on procedure migrations.each_tenant(text, text, integer, boolean) is  -- noqa: LT01
'Runs statement ($1 = batch_size) per tenant, with its context, in committed batches until one changes fewer rows.';

revoke all on procedure migrations.each_tenant(text, text, integer, boolean) from public;
