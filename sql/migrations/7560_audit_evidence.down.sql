-- readb:superuser
-- Revert 7560_audit_evidence: audit.verify_seals() as 6120 wrote it, without the heads
-- and the record of changes to the evidence.

set local role rea_audit_owner;

create or replace function audit.verify_seals()
returns table (client_id uuid, day date, problem text, sealed_rows bigint, found_rows bigint)
language sql
stable
set jit = off  -- default row estimates make every call JIT-compile for ~0.5 s
set search_path = pg_catalog, pg_temp
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

drop function audit.heads();
drop function audit.open_day_head(uuid, date, xid8);
drop trigger seals_evidence on audit.seals;
drop trigger settings_evidence on audit.settings;
drop function audit.record_evidence_change();
drop table audit.evidence_changes;
