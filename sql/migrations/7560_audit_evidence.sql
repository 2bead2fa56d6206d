-- readb:superuser
-- Evidence that leaves the database, and evidence of changes to the evidence
-- (hardening issue, finding 3).
--
-- audit.evidence_changes records every insert, update and delete on audit.settings and
-- audit.seals (row triggers), with the login, the role and the transaction: who moved
-- retained_from or sealed_through, who added a seal. Append-only like the trail.
--
-- audit.heads() is what `readb audit heads` prints for an operator to keep outside the
-- database (write-once storage): per tenant, the latest seal (day, row_count,
-- seal_hash), and for every day not sealed yet (today, and days a lagging sealer left)
-- a provisional head over the rows of the transactions that had ended when it was read:
-- those with transaction_id below the snapshot's xmin (before_xid). No transaction can
-- add rows below that xid any more, so audit.open_day_head(), recomputed later, gives
-- the same count and hash unless rows were forged into that part of the day, changed or
-- removed. `readb audit verify --heads FILE` checks every head of FILE.
--
-- audit.verify_seals() no longer trusts audit.settings to say which seals to check: a
-- sealed day is checked back to 60 months (the retention's floor) whatever retained_from
-- says, up to the last seal whatever sealed_through says; a missing settings row, a
-- retention below 60 months and a retained_from past the floor are problems of their own.
-- Needs a superuser: the audit schema's objects are rea_audit_owner's.
-- Requires: 7550_audit_day_locks.

set local role rea_audit_owner;

create table audit.evidence_changes (
    id bigint generated always as identity,
    table_name text not null,
    action text not null,
    old_row jsonb,
    new_row jsonb,
    db_user text not null default session_user,
    role_name text not null default current_user,
    transaction_id xid8 not null default pg_current_xact_id(),
    changed_at timestamptz not null default clock_timestamp(),
    constraint evidence_changes_pkey primary key (id),
    constraint evidence_changes_action_check check (action in ('INSERT', 'UPDATE', 'DELETE'))
);

comment on table audit.evidence_changes is
'Every change to audit.settings and audit.seals: the row before and after, who, when. Append-only.';
comment on column audit.evidence_changes.db_user is 'The database login (session_user) that made the change.';
comment on column audit.evidence_changes.role_name is
'The role it acted as (current_user): rea_audit_owner for the sealer.';

create trigger evidence_changes_append_only
before update or delete on audit.evidence_changes
for each row execute function audit.refuse_change();

create trigger evidence_changes_no_truncate
before truncate on audit.evidence_changes
for each statement execute function audit.refuse_change();

create function audit.record_evidence_change()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.record_evidence_change() is
'AFTER row trigger on audit.settings and audit.seals: records the change in audit.evidence_changes.';

create trigger settings_evidence
after insert or update or delete on audit.settings
for each row execute function audit.record_evidence_change();

create trigger seals_evidence
after insert or update or delete on audit.seals
for each row execute function audit.record_evidence_change();

create function audit.open_day_head(tenant uuid, on_day date, before_xid xid8)
returns table (row_count bigint, seal_hash bytea)
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.open_day_head(uuid, date, xid8) is
'A provisional head of a day not sealed yet: the count and chained hash of its rows written by'
' transactions below before_xid (ended when the head was read). For readb audit verify.';

create function audit.heads()
returns table (client_id uuid, day date, row_count bigint, seal_hash bytea, before_xid xid8)
language sql
stable
set jit = off
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.heads() is
'What readb audit heads prints: per tenant the latest seal, and a provisional head (before_xid) of'
' each day not sealed yet. Keep them outside the database; readb audit verify --heads checks them.';

create or replace function audit.verify_seals()
returns table (client_id uuid, day date, problem text, sealed_rows bigint, found_rows bigint)
language sql
stable
set jit = off  -- default row estimates make every call JIT-compile for ~0.5 s
set search_path = pg_catalog, pg_temp
as $$
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

comment on function audit.verify_seals() is
'Every sealed day (back to the 60-month retention floor) whose audit rows no longer match their seal,'
' every broken chain link, and a missing or loosened audit.settings. No rows: the sealed trail is'
' intact. Reads only what the caller may see (auditors: their tenant).';

revoke all on function
audit.record_evidence_change(), audit.open_day_head(uuid, date, xid8), audit.heads()
from public;
grant execute on function audit.open_day_head(uuid, date, xid8), audit.heads() to rea_owner, rea_auditor;
grant select on audit.evidence_changes to rea_owner;
