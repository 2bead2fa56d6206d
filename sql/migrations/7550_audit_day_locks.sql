-- readb:superuser
-- Writers and the sealer coordinate with row locks on audit.day_locks, a table only
-- rea_audit_owner can touch, instead of advisory locks (hardening issue, finding 5):
-- any role may take any advisory lock, so a rea_app session holding the day's key
-- exclusively stalled every tenant's audited writes, and a shared hold on yesterday
-- stalled audit.seal_days(). Nobody but the trail's owner may lock a row of day_locks
-- (row locks need UPDATE on the table; rea_app, rea_owner and everyone else hold
-- nothing on it), so the old advisory keys mean nothing any more.
--
-- The protocol is 6110's and 6120's, with row locks: audit.stamp() takes FOR KEY SHARE
-- on its UTC day's row (writers never wait for each other), audit.seal_days() takes FOR
-- UPDATE on the row of each day it seals (it waits only for transactions still open on
-- that day, never for today's writers) and FOR UPDATE on audit.settings' row (one sealer
-- at a time). A day's row is made ahead of time (this step: today and the next week;
-- each seal_days() run: the next week), and by the first writer of a day that has none.
-- Needs a superuser: the audit schema's objects are rea_audit_owner's, whom only a
-- superuser may become.
-- Requires: 7540_audit_owner.

set local role rea_audit_owner;

create table audit.day_locks (
    day date not null,
    constraint day_locks_pkey primary key (day)
);

comment on table audit.day_locks is
'One row per UTC day: audited writers hold it FOR KEY SHARE, audit.seal_days() FOR UPDATE. Owner only.';

insert into audit.day_locks (day)
select pg_catalog.generate_series(
    (pg_catalog.now() at time zone 'UTC')::date, (pg_catalog.now() at time zone 'UTC')::date + 7, interval '1 day'
)::date;

create or replace function audit.stamp()
returns timestamptz
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.stamp() is
'The time audit rows are stamped with, after locking its UTC day''s row of audit.day_locks FOR KEY SHARE.';

create or replace function audit.seal_days(through date default ((now() at time zone 'UTC')::date - 1))
returns integer
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.seal_days(date) is
'Seals every UTC day after the last sealed one up to through (yesterday by default); returns the days sealed.'
' Security definer (runs as rea_audit_owner); rea_owner may call it.';
