-- audit.audit_logs: the append-only record of every change to the rea schema (the
-- triggers that write it come in 6110_audit_triggers, the seals in 6120_audit_seals).
--
-- Partitioned by month of occurred_at. audit.create_partitions() makes the months ahead
-- (this step makes the current month and the next twelve; schedule it monthly, for
-- example with pg_cron). There is no default partition on purpose: a row outside every
-- partition fails loudly instead of landing where retention cannot drop it whole.
-- Retention removes only whole months that ended more than audit.settings.retention_months
-- ago, and that setting cannot go below 60 months (5 years).
--
-- Append-only, for every role, rea_owner included: audit_logs_append_only refuses
-- UPDATE and DELETE row by row (the row trigger is cloned onto every partition), a
-- TRUNCATE trigger sits on the parent and on each partition, and 6300_grants revokes
-- those privileges from rea_owner too. That stops every mistake and every ordinary
-- role, not a determined owner: rea_owner owns the table, so it could grant itself the
-- privileges back and disable the trigger, and a superuser can do anything. The seals
-- (6120) are there to show it if either does.
--
-- No personal data is stored in clear: see 6110_audit_triggers.
-- Requires: 0120_schemas, 6000_ownership.

set local role rea_owner;

create sequence audit.audit_logs_id_seq as bigint cache 100;

comment on sequence audit.audit_logs_id_seq is
'Ids of audit rows: unique, and with occurred_at the order in which seals hash them (gaps are normal).';

create table audit.audit_logs (
    id bigint not null default nextval('audit.audit_logs_id_seq'),
    client_id uuid,
    table_name text not null,
    record_id text not null,
    action text not null,
    old_data jsonb,
    new_data jsonb,
    changed_columns text[],
    actor_id uuid,
    db_user text not null default session_user,
    transaction_id xid8 not null default pg_current_xact_id(),
    occurred_at timestamptz not null,
    constraint audit_logs_action_check check (action in ('INSERT', 'UPDATE', 'DELETE'))
) partition by range (occurred_at);

alter sequence audit.audit_logs_id_seq owned by audit.audit_logs.id;

create index audit_logs_client_time_idx on audit.audit_logs (client_id, occurred_at);
create index audit_logs_record_idx on audit.audit_logs (client_id, record_id);

comment on table audit.audit_logs is
'Every INSERT, UPDATE and DELETE on rea tables. Append-only; partitioned by month; personal data redacted.';
comment on column audit.audit_logs.client_id is 'The tenant of the changed row; NULL for shared reference tables.';
comment on column audit.audit_logs.record_id is
'Primary key of the changed row: its id, or the key columns joined by commas for reference tables.';
comment on column audit.audit_logs.old_data is
'DELETE: the row; UPDATE: the changed columns'' old values. Personal-data columns are never included.';
comment on column audit.audit_logs.new_data is
'INSERT: the row; UPDATE: the changed columns'' new values. Personal-data columns are never included.';
comment on column audit.audit_logs.changed_columns is
'UPDATE: every column whose value changed, personal-data columns included (by name only).';
comment on column audit.audit_logs.actor_id is 'app.user_id of the transaction (rea.current_actor_id()).';
comment on column audit.audit_logs.db_user is 'The database login (session_user) that made the change.';
comment on column audit.audit_logs.occurred_at is
'Clock time of the statement. Seals group rows by its UTC day.';

create table audit.settings (
    singleton boolean not null default true,
    retention_months integer not null default 60,
    sealed_through date,
    retained_from date,
    updated_at timestamptz not null default now(),
    constraint settings_pkey primary key (singleton),
    constraint settings_singleton_check check (singleton),
    constraint settings_retention_months_check check (retention_months >= 60)
);

insert into audit.settings default values;

comment on table audit.settings is 'One row: how long the audit trail is kept, and how far it is sealed.';
comment on column audit.settings.retention_months is
'Months an audit partition is kept after it ends; at least 60 (5 years).';
comment on column audit.settings.sealed_through is 'Last UTC day sealed by audit.seal_days(), for every tenant.';
comment on column audit.settings.retained_from is 'First day still held; seals before it are of dropped partitions.';

create function audit.refuse_change()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    raise exception 'the audit trail is append-only: % on %.% is refused', tg_op, tg_table_schema, tg_table_name
        using errcode = 'insufficient_privilege';
end;
$$;

comment on function audit.refuse_change() is
'BEFORE UPDATE, DELETE or TRUNCATE trigger: refuses the change (42501). Keeps audit tables append-only.';

create trigger audit_logs_append_only
before update or delete on audit.audit_logs
for each row execute function audit.refuse_change();

create trigger audit_logs_no_truncate
before truncate on audit.audit_logs
for each statement execute function audit.refuse_change();

create function audit.create_partitions(months_ahead integer default 12)
returns setof text
language plpgsql
volatile
security definer
set search_path = ''
as $$
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

comment on function audit.create_partitions(integer) is
'Makes the monthly partitions of audit.audit_logs (UTC months) from this month to months_ahead; returns the new ones.';

create function audit.drop_expired_partitions(as_of timestamptz default now())
returns setof text
language plpgsql
volatile
security definer
set search_path = ''
as $$
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
$$;

comment on function audit.drop_expired_partitions(timestamptz) is
'Drops whole audit partitions whose month ended more than retention_months before as_of; returns their names.';

do $$ begin perform audit.create_partitions(12); end $$;
