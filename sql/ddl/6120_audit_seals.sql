-- Seals: tamper evidence for the audit trail beyond "nobody may update it".
--
-- audit.seal_days() seals each closed UTC day, per tenant: the SHA-256 over the day's
-- audit rows (each row hashed from its columns, in (occurred_at, id) order), chained to
-- the tenant's previous seal: seal_hash = sha256(previous_hash || rows_hash). Rows of
-- shared reference tables are sealed under the nil UUID. audit.verify_seals() recomputes
-- every sealed day still held and reports any day whose rows were altered, removed or
-- added, any seal whose link to the previous one is broken, and rows that appeared in a
-- day that was sealed with none.
--
-- Sealing does not serialise writers: each audit write holds a shared advisory lock on
-- its UTC day until its transaction ends (audit.stamp()), and the sealer takes that
-- day's lock exclusively, so it waits only for the last transactions that wrote into
-- the day it seals, never for today's writers. A row cannot be stamped into a day after
-- it is sealed. Run audit.seal_days() daily (for example with pg_cron), as rea_owner.
-- Requires: 6110_audit_triggers.

set local role rea_owner;

create table audit.seals (
    client_id uuid not null,
    day date not null,
    row_count bigint not null,
    rows_hash bytea not null,
    previous_hash bytea not null,
    seal_hash bytea not null,
    sealed_at timestamptz not null default now(),
    constraint seals_pkey primary key (client_id, day),
    constraint seals_row_count_check check (row_count > 0)
);

comment on table audit.seals is
'One row per tenant and UTC day sealed: the hash of the day''s audit rows, chained to the previous seal.';
comment on column audit.seals.client_id is 'The tenant; the nil UUID for rows of shared reference tables.';
comment on column audit.seals.previous_hash is 'seal_hash of the tenant''s previous seal; 32 zero bytes for the first.';

create trigger seals_append_only
before update or delete on audit.seals
for each row execute function audit.refuse_change();

create trigger seals_no_truncate
before truncate on audit.seals
for each statement execute function audit.refuse_change();

create function audit.row_hash(r audit.audit_logs)
returns bytea
language sql
immutable
parallel safe
set search_path = ''
as $$
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

comment on function audit.row_hash(audit.audit_logs) is 'SHA-256 of one audit row, as sealed.';

create function audit.day_hashes(first_day date, last_day date)
returns table (client_id uuid, day date, row_count bigint, rows_hash bytea)
language sql
stable
set search_path = ''
as $$
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

comment on function audit.day_hashes(date, date) is
'Per tenant and UTC day between first_day and last_day: the number of audit rows and the hash over them.';

create function audit.seal_days(through date default ((now() at time zone 'UTC')::date - 1))
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
    first_day date;
    day date;
    sealed integer := 0;
begin
    -- Under repeatable read the snapshot predates the wait for a day's lock below, and
    -- the rows of the writers waited for would be missing from the seal.
    if pg_catalog.current_setting('transaction_isolation') <> 'read committed' then
        raise exception 'audit.seal_days() must run in a read committed transaction'
            using errcode = 'invalid_transaction_state';
    end if;
    if through is null or through >= (pg_catalog.now() at time zone 'UTC')::date then
        raise exception 'only days that have ended (UTC) can be sealed' using errcode = 'invalid_parameter_value';
    end if;
    -- one sealer at a time
    perform pg_catalog.pg_advisory_xact_lock(1635083380, -1);
    select s.sealed_through + 1 into first_day from audit.settings as s;
    if first_day is null then
        select (pg_catalog.min(l.occurred_at) at time zone 'UTC')::date into first_day from audit.audit_logs as l;
    end if;
    if first_day is null or first_day > through then
        return 0;
    end if;

    for day in select pg_catalog.generate_series(first_day, through, interval '1 day')::date loop
        -- waits for the transactions that wrote into this day, if any are still open
        perform pg_catalog.pg_advisory_xact_lock(1635083380, day - date '2000-01-01');
        insert into audit.seals (client_id, day, row_count, rows_hash, previous_hash, seal_hash)
        select
            h.client_id, h.day, h.row_count, h.rows_hash, p.previous_hash,
            pg_catalog.sha256(p.previous_hash || h.rows_hash)
        from audit.day_hashes(day, day) as h
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

comment on function audit.seal_days(date) is
'Seals every UTC day after the last sealed one up to through (yesterday by default); returns the days sealed.';

create function audit.verify_seals()
returns table (client_id uuid, day date, problem text, sealed_rows bigint, found_rows bigint)
language sql
stable
set jit = off  -- default row estimates make every call JIT-compile for ~0.5 s
set search_path = ''
as $$
    with
    bounds as (
        select
            coalesce(s.retained_from, '-infinity'::date) as first_day,
            s.sealed_through as last_day
        from audit.settings as s
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
    order by 1, 2, 3
$$;

comment on function audit.verify_seals() is
'Every sealed day (still held) whose audit rows no longer match their seal, and every broken chain link.'
' No rows: the sealed trail is intact. Reads only what the caller may see (auditors: their tenant).';
