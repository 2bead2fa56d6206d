-- readb:superuser
-- Revert 7550_audit_day_locks: audit.stamp() and audit.seal_days() as 6110, 6120 and
-- 7540 left them (advisory locks), without audit.day_locks.

set local role rea_audit_owner;

create or replace function audit.stamp()
returns timestamptz
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
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

create or replace function audit.seal_days(through date default ((now() at time zone 'UTC')::date - 1))
returns integer
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
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

drop table audit.day_locks;
