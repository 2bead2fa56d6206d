-- monitoring: views of the database's health, for rea_monitor (7300_monitor_role) and
-- nobody else; `readb health` prints monitoring.health and exits 1 when a check pages.
--
-- What is covered (PgHero's checks, pg-index-health's, and the project's own):
--   queries      query_stats (pg_stat_statements: total and mean time, text normalised)
--   sessions     running_queries, long_running_queries, idle_in_transaction,
--                blocked_sessions (with the lock waited for and who holds it)
--   space        table_sizes, index_usage, cache_hit_rates, seq_scans_on_big_tables
--   indexes      unused_indexes, duplicate_indexes (identical, or covered by another),
--                invalid_indexes, foreign_keys_without_index
--   vacuum       bloat (tables and indexes), autovacuum_lagging, xid_age
--   the project  audit_partition_horizon, audit_unsealed_days, audit_last_seals,
--                reporting_freshness, role_settings_drift, readb_steps, cron_jobs
--   replication  replication (each replica, or this standby), replication_slots
-- Thresholds live in monitoring.thresholds, so an operator tunes them with an update and
-- a test can create a condition without waiting for a clock.
--
-- Who sees what. The views belong to rea_owner, so they read the project's tables
-- (audit seals, the runner's bookkeeping) with rea_owner's rights; the statistics
-- functions behind pg_stat_activity and pg_stat_statements check the caller, so a
-- member of pg_monitor sees every session's text and everyone's statements. Only
-- rea_monitor gets usage on the schema: the application roles get nothing. The bloat
-- estimates need pg_stats, which shows only the columns the caller may read: they come
-- from a security definer function running as rea_owner, so they cover its tables.
-- No tenant data: counts, sizes, names, ids of tenants (audit_last_seals), never rows.
--
-- The refresh times of materialized views come from an event trigger on REFRESH
-- MATERIALIZED VIEW (monitoring.refreshes), so a refresh is recorded whoever runs it:
-- readb refresh, pg_cron, an operator in psql. Creating an event trigger needs a
-- superuser: the step resets the role for that one statement at its end. The schema is
-- created by the rollout user too (rea_owner may not create schemas), for rea_owner.
-- Requires: 7300_monitor_role, 6120_audit_seals, 6200_tenant_fact_views.

create schema monitoring authorization rea_owner;

set local role rea_owner;

comment on schema monitoring is
'Health of the database: sessions, queries, space, indexes, vacuum, replication, maintenance.';

-- Thresholds ------------------------------------------------------------------------------

create table monitoring.thresholds (
    name text not null,
    value numeric not null,
    description text not null,
    constraint thresholds_pkey primary key (name)
);

comment on table monitoring.thresholds is
'Limits the monitoring views and monitoring.health compare with; update a row to tune a check.';

insert into monitoring.thresholds (name, value, description) values
('long_query_seconds', 60, 'a query running longer is long-running (warn)'),
('idle_in_transaction_seconds', 60, 'a session idle in a transaction for longer holds locks and snapshots (warn)'),
('blocked_seconds', 10, 'a session waiting for a lock for longer is blocked (warn)'),
('big_table_rows', 10000, 'tables with at least this many rows are big, for seq_scans_on_big_tables'),
('seq_scan_min', 10, 'sequential scans of a big table before it is listed'),
('cache_hit_rate_min', 0.99, 'table or index cache hit rate below this warns (after cache_reads_min reads)'),
('cache_reads_min', 10000, 'blocks read or hit before the cache hit rate is judged'),
('bloat_ratio_min', 0.5, 'share of a relation''s pages estimated wasted before it is listed as bloated'),
('bloat_bytes_min', 10485760, 'bytes estimated wasted before a relation is listed as bloated'),
('xid_age_warn', 500000000, 'transaction id age of a database that warns'),
('xid_age_page', 1500000000, 'transaction id age of a database that pages (writes stop near 2^31)'),
('audit_months_ahead_min', 3, 'audit partitions that must exist after the current month (warn below)'),
('unsealed_days_page', 2, 'closed UTC days not sealed that page (one is the daily job not yet run: warn)'),
('reporting_stale_seconds', 3600, 'a reporting materialized view refreshed longer ago is stale (warn)'),
('replication_lag_bytes_page', 1073741824, 'replay lag of a replica, in bytes of WAL, that pages'),
('replication_lag_seconds_warn', 300, 'replay lag of a replica, in seconds, that warns'),
('slot_retained_bytes_page', 1073741824, 'WAL an inactive replication slot holds back that pages');

create function monitoring.threshold(threshold_name text)
returns numeric
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
    select t.value from monitoring.thresholds as t where t.name = threshold_name
$$;

comment on function monitoring.threshold(text) is 'The value of one monitoring.thresholds row.';

create function monitoring.relation_name(relation oid)
returns text
language sql
stable
set search_path = pg_catalog, pg_temp
as $$
    -- schema-qualified whatever the caller's search_path (regclass::text is not)
    select pg_catalog.format('%I.%I', n.nspname, c.relname)
    from pg_catalog.pg_class as c
    inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
    where c.oid = relation
$$;

comment on function monitoring.relation_name(oid) is 'schema.name of a relation, quoted where needed.';

-- Queries ---------------------------------------------------------------------------------

create view monitoring.query_stats as
select
    s.queryid,
    r.rolname as user_name,
    s.calls,
    round(s.total_exec_time::numeric, 1) as total_ms,
    round(s.mean_exec_time::numeric, 3) as mean_ms,
    round(s.max_exec_time::numeric, 1) as max_ms,
    round((100 * s.total_exec_time / nullif(sum(s.total_exec_time) over (), 0))::numeric, 1) as percent_of_total,
    s.rows,
    round(s.shared_blks_hit::numeric / nullif(s.shared_blks_hit + s.shared_blks_read, 0), 4) as cache_hit_rate,
    s.query
from extensions.pg_stat_statements as s
inner join pg_catalog.pg_database as d on s.dbid = d.oid
left join pg_catalog.pg_roles as r on s.userid = r.oid
where d.datname = current_database()
order by s.total_exec_time desc;

comment on view monitoring.query_stats is
'Statements of this database by total execution time (pg_stat_statements; constants normalised to $n).'
' Order by mean_ms for the slowest single calls.';

-- Sessions --------------------------------------------------------------------------------

create view monitoring.running_queries as
select
    a.pid,
    a.datname,
    a.usename as user_name,
    a.application_name,
    a.client_addr,
    a.wait_event_type,
    a.wait_event,
    a.query_start,
    now() - a.query_start as duration,
    now() - a.xact_start as transaction_duration,
    a.query
from pg_catalog.pg_stat_activity as a
where a.state = 'active' and a.backend_type = 'client backend' and a.pid <> pg_backend_pid()
order by a.query_start;

comment on view monitoring.running_queries is 'Statements running now in any database of the cluster, oldest first.';

create view monitoring.long_running_queries as
select
    q.pid,
    q.datname,
    q.user_name,
    q.application_name,
    q.client_addr,
    q.wait_event_type,
    q.wait_event,
    q.query_start,
    q.duration,
    q.transaction_duration,
    q.query
from monitoring.running_queries as q
where q.duration > make_interval(secs => monitoring.threshold('long_query_seconds')::float8);

comment on view monitoring.long_running_queries is
'Running statements older than thresholds.long_query_seconds.';

create view monitoring.idle_in_transaction as
select
    a.pid,
    a.datname,
    a.usename as user_name,
    a.application_name,
    a.client_addr,
    a.state,
    a.xact_start,
    now() - a.state_change as idle_for,
    now() - a.xact_start as transaction_duration,
    a.backend_xmin,
    a.query as last_query
from pg_catalog.pg_stat_activity as a
where a.state in ('idle in transaction', 'idle in transaction (aborted)')
order by a.state_change;

comment on view monitoring.idle_in_transaction is
'Sessions inside a transaction and doing nothing: they hold locks and keep vacuum from removing rows.';

create view monitoring.blocked_sessions as
select
    w.pid as blocked_pid,
    w.datname,
    w.usename as blocked_user,
    now() - w.query_start as waiting_for,
    w.query as blocked_query,
    l.locktype,
    l.mode as wanted_mode,
    case when l.relation is not null and l.database = d.oid then monitoring.relation_name(l.relation) end as relation,
    b.pid as blocking_pid,
    b.usename as blocking_user,
    b.state as blocking_state,
    now() - b.xact_start as blocking_transaction_duration,
    b.query as blocking_query
from pg_catalog.pg_stat_activity as w
cross join lateral unnest(pg_blocking_pids(w.pid)) as blocker (pid)
inner join pg_catalog.pg_stat_activity as b on blocker.pid = b.pid
left join lateral (
    select
        lk.locktype,
        lk.mode,
        lk.relation,
        lk.database
    from pg_catalog.pg_locks as lk
    where lk.pid = w.pid and not lk.granted
    order by lk.locktype
    limit 1
) as l on true
left join pg_catalog.pg_database as d on d.datname = current_database()
order by w.query_start;

comment on view monitoring.blocked_sessions is
'Each session waiting for a lock, the lock it wants, and each session that blocks it.';

-- Space and caching -----------------------------------------------------------------------

create view monitoring.table_sizes as
select
    n.nspname as schema_name,
    c.relname as table_name,
    c.relkind,
    pg_total_relation_size(c.oid) as total_bytes,
    pg_relation_size(c.oid) as table_bytes,
    pg_indexes_size(c.oid) as index_bytes,
    coalesce(pg_total_relation_size(nullif(c.reltoastrelid, 0)), 0) as toast_bytes,
    pg_size_pretty(pg_total_relation_size(c.oid)) as total_size,
    greatest(c.reltuples, 0)::bigint as estimated_rows
from pg_catalog.pg_class as c
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
order by pg_total_relation_size(c.oid) desc;

comment on view monitoring.table_sizes is 'Tables and materialized views by total size (heap, indexes, TOAST).';

create view monitoring.index_usage as
select
    s.schemaname as schema_name,
    s.relname as table_name,
    s.indexrelname as index_name,
    pg_relation_size(s.indexrelid) as index_bytes,
    s.idx_scan,
    s.idx_tup_read,
    i.indisunique as is_unique,
    exists(
        select from pg_catalog.pg_constraint as k
        where k.conindid = s.indexrelid
    ) as backs_constraint
from pg_catalog.pg_stat_user_indexes as s
inner join pg_catalog.pg_index as i on s.indexrelid = i.indexrelid
order by pg_relation_size(s.indexrelid) desc;

comment on view monitoring.index_usage is
'Every index with its size and the scans that used it since statistics were reset.';

create view monitoring.cache_hit_rates as
select
    'table' as kind,
    sum(t.heap_blks_hit)::bigint as hits,
    sum(t.heap_blks_read)::bigint as reads,
    round(sum(t.heap_blks_hit) / nullif(sum(t.heap_blks_hit) + sum(t.heap_blks_read), 0), 4) as hit_rate
from pg_catalog.pg_statio_user_tables as t
union all
select
    'index' as kind,
    sum(i.idx_blks_hit)::bigint as hits,
    sum(i.idx_blks_read)::bigint as reads,
    round(sum(i.idx_blks_hit) / nullif(sum(i.idx_blks_hit) + sum(i.idx_blks_read), 0), 4) as hit_rate
from pg_catalog.pg_statio_user_indexes as i;

comment on view monitoring.cache_hit_rates is
'Share of table and index block reads served from shared buffers in this database.';

create view monitoring.seq_scans_on_big_tables as
select
    t.schemaname as schema_name,
    t.relname as table_name,
    t.n_live_tup as live_rows,
    t.seq_scan,
    t.seq_tup_read,
    coalesce(t.idx_scan, 0) as idx_scan,
    round(t.seq_scan::numeric / nullif(t.seq_scan + coalesce(t.idx_scan, 0), 0), 3) as seq_scan_share
from pg_catalog.pg_stat_user_tables as t
where
    t.n_live_tup >= monitoring.threshold('big_table_rows')
    and t.seq_scan >= monitoring.threshold('seq_scan_min')
order by t.seq_tup_read desc;

comment on view monitoring.seq_scans_on_big_tables is
'Big tables read by sequential scans: a query that filters them may be missing an index.';

-- Indexes ---------------------------------------------------------------------------------

create view monitoring.unused_indexes as
select
    u.schema_name,
    u.table_name,
    u.index_name,
    u.index_bytes
from monitoring.index_usage as u
where u.idx_scan = 0 and not u.is_unique and not u.backs_constraint
order by u.index_bytes desc;

comment on view monitoring.unused_indexes is
'Indexes no query used since statistics were reset, unique and constraint indexes aside: each costs every write.';

create view monitoring.duplicate_indexes as
with
indexes as (
    select
        i.indexrelid,
        i.indrelid,
        c.relam,
        -- the vectors are 0-based: make them ordinary arrays, so they slice from 1
        array(select unnest(i.indkey::int2[])) as columns,
        array(select unnest(i.indclass::oid[])) as opclasses,
        array(select unnest(i.indcollation::oid[])) as collations,
        coalesce(pg_get_expr(i.indexprs, i.indrelid), '') as expressions,
        coalesce(pg_get_expr(i.indpred, i.indrelid), '') as predicate,
        i.indisunique,
        exists(
            select from pg_catalog.pg_constraint as k
            where k.conindid = i.indexrelid
        ) as backs_constraint
    from pg_catalog.pg_index as i
    inner join pg_catalog.pg_class as c on i.indexrelid = c.oid
    inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
    where i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
)

select
    monitoring.relation_name(a.indrelid) as table_name,
    monitoring.relation_name(a.indexrelid) as index_name,
    monitoring.relation_name(b.indexrelid) as duplicate_of,
    case when a.columns = b.columns then 'identical' else 'covered' end as kind,
    pg_relation_size(a.indexrelid) as index_bytes
from indexes as a
inner join indexes as b
    on
        a.indrelid = b.indrelid
        and a.indexrelid <> b.indexrelid
        and a.relam = b.relam
        and a.expressions = b.expressions
        and a.predicate = b.predicate
        -- a's columns (operator classes, collations) are the leading ones of b's
        and cardinality(a.columns) <= cardinality(b.columns)
        and a.columns = b.columns[1:cardinality(a.columns)]
        and a.opclasses = b.opclasses[1:cardinality(a.opclasses)]
        and a.collations = b.collations[1:cardinality(a.collations)]
where
    -- a unique or constraint index is never the redundant one, unless b enforces the same
    (not a.indisunique and not a.backs_constraint or a.columns = b.columns and b.indisunique)
    -- of two identical indexes, list one
    and (a.columns <> b.columns or a.indisunique < b.indisunique or a.indexrelid > b.indexrelid)
    and (a.relam = (
        select am.oid from pg_catalog.pg_am as am
        where am.amname = 'btree'
    ) or a.columns = b.columns)
order by index_bytes desc, index_name asc;

comment on view monitoring.duplicate_indexes is
'Indexes another index of the same table makes redundant: the same columns, or its leading columns'
' (btree; same operator classes, expressions and predicate). Drop index_name, keep duplicate_of.';

create view monitoring.invalid_indexes as
select
    monitoring.relation_name(i.indrelid) as table_name,
    monitoring.relation_name(i.indexrelid) as index_name,
    i.indisready as is_ready,
    pg_relation_size(i.indexrelid) as index_bytes
from pg_catalog.pg_index as i
where not i.indisvalid
order by index_name;

comment on view monitoring.invalid_indexes is
'INVALID indexes (a failed create index concurrently): queries ignore them, writes still maintain them.';

create view monitoring.foreign_keys_without_index as
select
    monitoring.relation_name(k.conrelid) as table_name,
    k.conname as constraint_name,
    monitoring.relation_name(k.confrelid) as referenced_table,
    (
        select string_agg(a.attname, ', ' order by u.ord)
        from unnest(k.conkey) with ordinality as u (attnum, ord)
        inner join pg_catalog.pg_attribute as a on a.attrelid = k.conrelid and u.attnum = a.attnum
    ) as columns
from pg_catalog.pg_constraint as k
inner join pg_catalog.pg_class as c on k.conrelid = c.oid
inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
where
    k.contype = 'f'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and c.relkind in ('r', 'p')
    and not exists (
        -- an index whose leading columns are the key's columns, in any order
        select
        from pg_catalog.pg_index as i
        where
            i.indrelid = k.conrelid
            and i.indisvalid
            and i.indpred is null
            and (i.indkey::int2[])[0:cardinality(k.conkey) - 1] @> k.conkey
            and (i.indkey::int2[])[0:cardinality(k.conkey) - 1] <@ k.conkey
    )
order by table_name, constraint_name;

comment on view monitoring.foreign_keys_without_index is
'Foreign keys no index leads with: a delete or key update of the referenced row scans the whole table.';

-- Bloat and vacuum ------------------------------------------------------------------------

create function monitoring.bloat_estimates()
returns table (
    kind text, schema_name text, relation_name text, table_name text,
    pages bigint, expected_pages bigint, wasted_bytes bigint, wasted_ratio numeric
)
language sql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
    -- The estimate PgHero and pg-index-health make, simplified: the pages the live rows
    -- need (their average width from pg_stats, plus tuple header and line pointer, at the
    -- fill factor) against the pages the relation has. Needs ANALYZE; reads the
    -- statistics of what rea_owner may read (the project's tables).
    with
    block as (select current_setting('block_size')::numeric as size),

    heap as (
        select
            c.oid, n.nspname, c.relname, c.relpages, c.reltuples,
            coalesce((
                select o.option_value::numeric
                from pg_options_to_table(c.reloptions) as o where o.option_name = 'fillfactor'
            ), 100) as fillfactor,
            -- row width: header (23 bytes and the null bitmap, aligned to 8), data, line pointer
            24 + ceil(sum(s.avg_width) / 8.0) * 8 + 4 as row_bytes
        from pg_class as c
        inner join pg_namespace as n on c.relnamespace = n.oid
        inner join pg_stats as s on s.schemaname = n.nspname and s.tablename = c.relname
        where c.relkind in ('r', 'm') and c.reltuples > 0 and n.nspname not in ('pg_catalog', 'information_schema')
        group by c.oid, n.nspname, c.relname, c.relpages, c.reltuples, c.reloptions
    ),

    btree as (
        select
            ic.oid, n.nspname, ic.relname, t.relname as table_name, ic.relpages, ic.reltuples,
            coalesce((
                select o.option_value::numeric
                from pg_options_to_table(ic.reloptions) as o where o.option_name = 'fillfactor'
            ), 90) as fillfactor,
            -- index tuple: 8-byte header, the keys (8 bytes for an expression), aligned, line pointer
            8 + ceil(sum(coalesce(s.avg_width, 8)) / 8.0) * 8 + 4 as row_bytes
        from pg_index as i
        inner join pg_class as ic on i.indexrelid = ic.oid
        inner join pg_class as t on i.indrelid = t.oid
        inner join pg_namespace as n on ic.relnamespace = n.oid
        inner join pg_am as am on ic.relam = am.oid and am.amname = 'btree'
        cross join lateral unnest(i.indkey::int2[]) as k (attnum)
        left join pg_attribute as a on a.attrelid = t.oid and k.attnum = a.attnum and k.attnum > 0
        left join pg_stats as s on s.schemaname = n.nspname and s.tablename = t.relname and s.attname = a.attname
        where ic.reltuples > 0 and n.nspname not in ('pg_catalog', 'information_schema')
        group by ic.oid, n.nspname, ic.relname, t.relname, ic.relpages, ic.reltuples, ic.reloptions
        -- only when every key column has statistics (or is an expression)
        having bool_and(k.attnum = 0 or s.avg_width is not null)
    ),

    estimated as (
        select
            'table' as kind, h.nspname, h.relname, h.relname as table_name, h.relpages,
            ceil(h.reltuples * h.row_bytes / ((b.size - 24) * h.fillfactor / 100))::bigint as expected
        from heap as h, block as b
        union all
        select
            'index', x.nspname, x.relname, x.table_name, x.relpages,
            -- plus the metapage
            ceil(x.reltuples * x.row_bytes / ((b.size - 24 - 16) * x.fillfactor / 100))::bigint + 1
        from btree as x, block as b
    )

    select
        e.kind, e.nspname::text, e.relname::text, e.table_name::text, e.relpages::bigint, e.expected,
        (greatest(e.relpages - e.expected, 0) * b.size)::bigint,
        round(greatest(e.relpages - e.expected, 0)::numeric / nullif(e.relpages, 0), 3)
    from estimated as e, block as b
$$;

comment on function monitoring.bloat_estimates() is
'Estimated wasted space of every analyzed table and btree index rea_owner may read (pg_stats based).';

create view monitoring.bloat as
select
    e.kind,
    e.schema_name,
    e.table_name,
    e.relation_name,
    e.pages,
    e.expected_pages,
    e.wasted_bytes,
    e.wasted_ratio
from monitoring.bloat_estimates() as e
where
    e.wasted_ratio >= monitoring.threshold('bloat_ratio_min')
    and e.wasted_bytes >= monitoring.threshold('bloat_bytes_min')
order by e.wasted_bytes desc;

comment on view monitoring.bloat is
'Tables and btree indexes estimated to be mostly empty space (an estimate). VACUUM reuses a table''s,'
' VACUUM FULL or pg_repack returns it; reindex concurrently returns an index''s.';

create view monitoring.autovacuum_lagging as
with
tables as (
    select
        t.schemaname,
        t.relname,
        t.n_live_tup,
        t.n_dead_tup,
        t.last_autovacuum,
        t.last_vacuum,
        t.autovacuum_count,
        coalesce((
            select o.option_value::boolean
            from pg_options_to_table(c.reloptions) as o
            where o.option_name = 'autovacuum_enabled'
        ), current_setting('autovacuum')::boolean) as autovacuum_enabled,
        coalesce((
            select o.option_value::numeric
            from pg_options_to_table(c.reloptions) as o
            where o.option_name = 'autovacuum_vacuum_threshold'
        ), current_setting('autovacuum_vacuum_threshold')::numeric)
        + coalesce((
            select o.option_value::numeric
            from pg_options_to_table(c.reloptions) as o
            where o.option_name = 'autovacuum_vacuum_scale_factor'
        ), current_setting('autovacuum_vacuum_scale_factor')::numeric)
        * greatest(c.reltuples, 0) as vacuum_threshold
    from pg_catalog.pg_stat_user_tables as t
    inner join pg_catalog.pg_class as c on t.relid = c.oid
)

select
    t.schemaname as schema_name,
    t.relname as table_name,
    t.n_live_tup as live_rows,
    t.n_dead_tup as dead_rows,
    round(t.vacuum_threshold)::bigint as vacuum_threshold,
    t.autovacuum_enabled,
    t.last_autovacuum,
    t.last_vacuum
from tables as t
where t.n_dead_tup > t.vacuum_threshold
order by t.n_dead_tup desc;

comment on view monitoring.autovacuum_lagging is
'Tables with more dead rows than their autovacuum threshold: autovacuum is behind, disabled or blocked.';

create view monitoring.xid_age as
select
    d.datname,
    age(d.datfrozenxid) as xid_age,
    mxid_age(d.datminmxid) as multixact_age,
    round(100.0 * age(d.datfrozenxid) / current_setting('autovacuum_freeze_max_age')::numeric, 1)
        as percent_of_freeze_max_age,
    round(100.0 * age(d.datfrozenxid) / 2147483647, 2) as percent_of_wraparound
from pg_catalog.pg_database as d
where d.datallowconn
order by xid_age desc;

comment on view monitoring.xid_age is
'Transaction id age of each database: at 2^31 PostgreSQL stops writes until it is vacuumed.';

-- The project's own -----------------------------------------------------------------------

create view monitoring.audit_partitions as
select
    c.relname as partition_name,
    to_date(right(c.relname, 7), 'YYYY_MM') as month,
    (
        extract(year from age(to_date(right(c.relname, 7), 'YYYY_MM'), date_trunc('month', now() at time zone 'UTC')))
        * 12
        + extract(
            month from age(to_date(right(c.relname, 7), 'YYYY_MM'), date_trunc('month', now() at time zone 'UTC'))
        )
    )::integer as months_from_now,
    pg_total_relation_size(c.oid) as total_bytes
from pg_catalog.pg_inherits as i
inner join pg_catalog.pg_class as c on i.inhrelid = c.oid
where i.inhparent = 'audit.audit_logs'::regclass and c.relname ~ '^audit_logs_[0-9]{4}_[0-9]{2}$'
order by month;

comment on view monitoring.audit_partitions is
'The monthly partitions of audit.audit_logs (UTC months) and their sizes.';

create view monitoring.audit_partition_horizon as
with
months as (
    select
        m.n,
        exists(
            select from monitoring.audit_partitions as p
            where p.months_from_now = m.n
        ) as present
    from generate_series(0, 120) as m (n)
)

select
    (
        select m.present from months as m
        where m.n = 0
    ) as current_month_exists,
    (
        select m.present from months as m
        where m.n = 1
    ) as next_month_exists,
    -- consecutive months after this one that exist
    coalesce((
        select min(m.n) from months as m
        where not m.present
    ), 121) - 1 as months_ahead,
    (select max(p.month) from monitoring.audit_partitions as p) as last_month;

comment on view monitoring.audit_partition_horizon is
'How far ahead audit partitions exist; with the current month missing every audited write fails.';

create view monitoring.audit_unsealed_days as
with
bounds as (
    select
        s.sealed_through,
        coalesce(
            s.sealed_through + 1,
            (select (min(l.occurred_at) at time zone 'UTC')::date from audit.audit_logs as l)
        ) as first_unsealed,
        (now() at time zone 'UTC')::date - 1 as last_closed
    from audit.settings as s
)

select
    b.sealed_through,
    case when b.first_unsealed <= b.last_closed then b.first_unsealed end as first_unsealed_day,
    greatest(coalesce(b.last_closed - b.first_unsealed + 1, 0), 0) as unsealed_days
from bounds as b;

comment on view monitoring.audit_unsealed_days is
'Closed UTC days not yet sealed by audit.seal_days() (from the first audited day when nothing was sealed).';

create view monitoring.audit_last_seals as
select
    s.client_id,
    max(s.day) as last_sealed_day,
    max(s.sealed_at) as last_sealed_at,
    (now() at time zone 'UTC')::date - max(s.day) as days_since_last_sealed_day,
    count(*) as sealed_days
from audit.seals as s
group by s.client_id
order by last_sealed_day, s.client_id;

comment on view monitoring.audit_last_seals is
'Per tenant (the nil UUID: shared tables), its latest sealed day and when it was sealed.'
' A tenant is sealed only for days it had audited changes.';

create table monitoring.refreshes (
    matview text not null,
    refreshed_at timestamptz not null,
    seconds numeric not null,
    refreshed_by text not null,
    constraint refreshes_pkey primary key (matview)
);

comment on table monitoring.refreshes is
'The last refresh of each materialized view, written by the event trigger monitoring_record_refresh.';
comment on column monitoring.refreshes.matview is 'schema.name of the materialized view.';
comment on column monitoring.refreshes.seconds is
'Duration of the statement that refreshed it (of the whole query string when several ran in one).';

create function monitoring.record_refresh()
returns event_trigger
language plpgsql
volatile
security definer
set search_path = pg_catalog, pg_temp
as $$
declare
    command record;
begin
    for command in select c.object_identity from pg_catalog.pg_event_trigger_ddl_commands() as c loop
        insert into monitoring.refreshes as r (matview, refreshed_at, seconds, refreshed_by)
        values (
            command.object_identity,
            pg_catalog.clock_timestamp(),
            extract(epoch from pg_catalog.clock_timestamp() - pg_catalog.statement_timestamp()),
            session_user
        )
        on conflict on constraint refreshes_pkey do update
        set refreshed_at = excluded.refreshed_at, seconds = excluded.seconds, refreshed_by = excluded.refreshed_by;
    end loop;
end;
$$;

comment on function monitoring.record_refresh() is
'Event trigger function: records each REFRESH MATERIALIZED VIEW in monitoring.refreshes.';

create view monitoring.reporting_freshness as
select
    m.schemaname || '.' || m.matviewname as matview,
    m.ispopulated as is_populated,
    r.refreshed_at,
    r.seconds as refresh_seconds,
    now() - r.refreshed_at as age,
    not m.ispopulated
    or r.refreshed_at is null
    or now() - r.refreshed_at > make_interval(secs => monitoring.threshold('reporting_stale_seconds')::float8)
        as is_stale
from pg_catalog.pg_matviews as m
left join monitoring.refreshes as r on r.matview = m.schemaname || '.' || m.matviewname
where m.schemaname = 'reporting'
order by matview;

comment on view monitoring.reporting_freshness is
'When each reporting materialized view was last refreshed; stale after thresholds.reporting_stale_seconds.';

create table monitoring.expected_role_settings (
    role_name text not null,
    setting_name text not null,
    setting_value text not null,
    constraint expected_role_settings_pkey primary key (role_name, setting_name)
);

comment on table monitoring.expected_role_settings is
'The settings roles are provisioned with (alter role ... set, in every database); role_settings_drift compares.';

create view monitoring.role_settings_drift as
with
project_roles as (
    select
        r.oid,
        r.rolname
    from pg_catalog.pg_roles as r
    where
        not r.rolsuper
        and (
            r.rolname in (select e.role_name from monitoring.expected_role_settings as e)
            or exists (
                select
                from unnest(array['rea_owner', 'rea_app', 'rea_reporting', 'rea_auditor', 'rea_monitor']) as g (name)
                inner join pg_catalog.pg_roles as gr on g.name = gr.rolname
                where pg_has_role(r.oid, gr.oid, 'member')
            )
        )
),

actual as (
    select
        r.rolname as role_name,
        case when s.setdatabase = 0 then 'every database' else current_database() end as scope,
        split_part(c.setting, '=', 1) as setting_name,
        substr(c.setting, strpos(c.setting, '=') + 1) as setting_value
    from pg_catalog.pg_db_role_setting as s
    inner join project_roles as r on s.setrole = r.oid
    cross join lateral unnest(s.setconfig) as c (setting)
    where s.setdatabase in (0, (
        select d.oid from pg_catalog.pg_database as d
        where d.datname = current_database()
    ))
)

select
    coalesce(a.role_name, e.role_name) as role_name,
    coalesce(a.setting_name, e.setting_name) as setting_name,
    a.scope,
    e.setting_value as expected,
    a.setting_value as actual,
    case
        when a.setting_value is null then 'missing'
        when e.setting_value is null then 'not provisioned'
        else 'differs'
    end as problem
from actual as a
full join monitoring.expected_role_settings as e on a.role_name = e.role_name and a.setting_name = e.setting_name
where a.setting_value is distinct from e.setting_value
order by role_name, setting_name, a.scope;

comment on view monitoring.role_settings_drift is
'Settings of the project''s roles and their members (pg_db_role_setting, for this database or all) that differ'
' from monitoring.expected_role_settings: missing, set to another value, or set without being provisioned.';

create view monitoring.readb_steps as
select
    count(*) as applied_steps,
    max(a.version) as newest_version,
    (
        select b.name from readb.applied_steps as b
        order by b.version desc limit 1
    ) as newest_step,
    max(a.applied_at) as last_applied_at
from readb.applied_steps as a;

comment on view monitoring.readb_steps is
'The runner''s bookkeeping: steps applied and the newest; readb health compares it with the step files.';

-- Replication -----------------------------------------------------------------------------

create view monitoring.replication as
select
    'primary' as side,
    r.application_name,
    r.client_addr::text as client_addr,
    r.state,
    r.sync_state,
    r.replay_lsn,
    pg_wal_lsn_diff(pg_current_wal_lsn(), r.replay_lsn)::bigint as lag_bytes,
    r.replay_lag as lag
from pg_catalog.pg_stat_replication as r
where not pg_is_in_recovery()
union all
select
    'standby' as side,
    null as application_name,
    w.sender_host as client_addr,
    coalesce(w.status, 'not connected') as state,
    null as sync_state,
    pg_last_wal_replay_lsn() as replay_lsn,
    pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint as lag_bytes,
    -- time since the last replayed transaction committed on the primary, while behind
    case
        when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then interval '0'
        else now() - pg_last_xact_replay_timestamp()
    end as lag
from (select pg_is_in_recovery() as in_recovery) as here
left join pg_catalog.pg_stat_wal_receiver as w on true
where here.in_recovery;

comment on view monitoring.replication is
'On a primary, each replica (state, lag in bytes of WAL not replayed, and in time); on a standby, this'
' server''s own receiver and lag.';

create view monitoring.replication_slots as
select
    s.slot_name,
    s.slot_type,
    s.active,
    s.wal_status,
    case when not pg_is_in_recovery() then pg_wal_lsn_diff(pg_current_wal_lsn(), s.restart_lsn)::bigint end
        as retained_bytes
from pg_catalog.pg_replication_slots as s
order by s.slot_name;

comment on view monitoring.replication_slots is
'Replication slots and the WAL each holds back: an inactive slot keeps WAL until the disk fills.';

-- Scheduled jobs (pg_cron, when installed: 7320_scheduled_maintenance) --------------------

create function monitoring.cron_job_runs()
returns table (
    job_name text, schedule text, command text, username text, active boolean,
    last_status text, last_start timestamptz, last_end timestamptz, last_message text, failed_runs bigint
)
language plpgsql
stable
security definer
set search_path = pg_catalog, pg_temp
as $$
begin
    -- pg_cron's tables exist only where it is installed; its rows are visible to the user
    -- a job runs as (its row-level security), and the maintenance jobs run as members of
    -- rea_owner: this function runs as rea_owner and reads them through membership.
    if pg_catalog.to_regclass('cron.job_run_details') is null then
        return;
    end if;
    return query execute $sql$
        select
            j.jobname::text, j.schedule, j.command, j.username::text, j.active,
            l.status, l.start_time, l.end_time, l.return_message,
            (select pg_catalog.count(*) from cron.job_run_details as f
                where f.jobid = j.jobid and f.status = 'failed')
        from cron.job as j
        left join lateral (
            select d.status, d.start_time, d.end_time, d.return_message
            from cron.job_run_details as d
            where d.jobid = j.jobid
            order by d.runid desc
            limit 1
        ) as l on true
        order by j.jobname
    $sql$;
end;
$$;

comment on function monitoring.cron_job_runs() is
'Each pg_cron job and its latest run (none when pg_cron is not installed).';

create view monitoring.cron_jobs as
select
    r.job_name,
    r.schedule,
    r.command,
    r.username,
    r.active,
    r.last_status,
    r.last_start,
    r.last_end,
    r.last_message,
    r.failed_runs
from monitoring.cron_job_runs() as r;

comment on view monitoring.cron_jobs is
'Scheduled maintenance jobs (pg_cron) with the status of their latest run and their failed runs.';

-- The checks ------------------------------------------------------------------------------

create view monitoring.health as
with
checks (name, status, detail) as (
    select
        'pg_stat_statements' as name,
        case when current_setting('shared_preload_libraries') ~ 'pg_stat_statements' then 'ok' else 'warn' end,
        case
            when current_setting('shared_preload_libraries') ~ 'pg_stat_statements'
                then 'loaded: see monitoring.query_stats'
            else 'not in shared_preload_libraries: no query statistics'
        end
    union all
    select
        'long_running_queries' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' running longer than ' || monitoring.threshold('long_query_seconds') || ' s'
        || coalesce('; oldest pid ' || (array_agg(q.pid order by q.duration desc))[1], '')
    from monitoring.long_running_queries as q
    union all
    select
        'idle_in_transaction' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' idle in a transaction longer than ' || monitoring.threshold('idle_in_transaction_seconds') || ' s'
        || coalesce('; oldest pid ' || (array_agg(i.pid order by i.idle_for desc))[1], '')
    from monitoring.idle_in_transaction as i
    where i.idle_for > make_interval(secs => monitoring.threshold('idle_in_transaction_seconds')::float8)
    union all
    select
        'blocked_sessions' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(distinct b.blocked_pid) || ' waiting for a lock longer than '
        || monitoring.threshold('blocked_seconds') || ' s'
        || coalesce('; e.g. pid ' || min(b.blocked_pid) || ' blocked by ' || min(b.blocking_pid), '')
    from monitoring.blocked_sessions as b
    where b.waiting_for > make_interval(secs => monitoring.threshold('blocked_seconds')::float8)
    union all
    select
        'cache_hit_rate' as name,
        case
            when
                bool_or(
                    c.hits + c.reads >= monitoring.threshold('cache_reads_min')
                    and c.hit_rate < monitoring.threshold('cache_hit_rate_min')
                )
                then 'warn'
            else 'ok'
        end,
        string_agg(c.kind || ' ' || coalesce(c.hit_rate::text, 'n/a'), ', ' order by c.kind)
    from monitoring.cache_hit_rates as c
    union all
    select
        'seq_scans_on_big_tables' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' big tables read by sequential scans'
        || coalesce(': ' || string_agg(s.schema_name || '.' || s.table_name, ', '), '')
    from monitoring.seq_scans_on_big_tables as s
    union all
    select
        'unused_indexes' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' unused (' || pg_size_pretty(coalesce(sum(u.index_bytes), 0)) || ')'
    from monitoring.unused_indexes as u
    union all
    select
        'duplicate_indexes' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' redundant' || coalesce(': ' || string_agg(
            d.index_name || ' (' || d.kind || ' by '
            || d.duplicate_of || ')', ', '
        ), '')
    from monitoring.duplicate_indexes as d
    union all
    select
        'invalid_indexes' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' invalid' || coalesce(': ' || string_agg(v.index_name, ', '), '')
    from monitoring.invalid_indexes as v
    union all
    select
        'foreign_keys_without_index' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' without a supporting index'
        || coalesce(': ' || string_agg(f.table_name || '.' || f.constraint_name, ', '), '')
    from monitoring.foreign_keys_without_index as f
    union all
    select
        'bloat' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' bloated tables or indexes (' || pg_size_pretty(coalesce(sum(b.wasted_bytes), 0)::bigint)
        || ' estimated wasted)'
    from monitoring.bloat as b
    union all
    select
        'autovacuum_lagging' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' tables past their autovacuum threshold'
        || coalesce(': ' || string_agg(a.schema_name || '.' || a.table_name, ', '), '')
    from monitoring.autovacuum_lagging as a
    union all
    select
        'xid_age' as name,
        case
            when max(x.xid_age) >= monitoring.threshold('xid_age_page') then 'page'
            when max(x.xid_age) >= monitoring.threshold('xid_age_warn') then 'warn'
            else 'ok'
        end,
        'oldest ' || max(x.xid_age) || ' (' || (array_agg(x.datname order by x.xid_age desc))[1] || ')'
    from monitoring.xid_age as x
    union all
    select
        'audit_partitions' as name,
        case
            when not h.current_month_exists or not h.next_month_exists then 'page'
            when h.months_ahead < monitoring.threshold('audit_months_ahead_min') then 'warn'
            else 'ok'
        end,
        case
            when not h.current_month_exists then 'the current month has no partition: audited writes fail'
            when not h.next_month_exists then 'next month has no partition: audited writes fail from its first day'
            else h.months_ahead || ' months ahead (through ' || to_char(h.last_month, 'YYYY-MM') || ')'
        end
        || case
            when h.months_ahead < monitoring.threshold('audit_months_ahead_min') then '; run audit.create_partitions()'
            else ''
        end
    from monitoring.audit_partition_horizon as h
    union all
    select
        'audit_unsealed_days' as name,
        case
            when u.unsealed_days >= monitoring.threshold('unsealed_days_page') then 'page'
            when u.unsealed_days > 0 then 'warn'
            else 'ok'
        end,
        u.unsealed_days || ' closed days unsealed'
        || coalesce(' from ' || u.first_unsealed_day, '') || coalesce('; sealed through ' || u.sealed_through, '')
    from monitoring.audit_unsealed_days as u
    union all
    select
        'reporting_freshness' as name,
        case
            when bool_or(not f.is_populated) then 'page'
            when bool_or(f.is_stale) then 'warn'
            else 'ok'
        end,
        coalesce(
            string_agg(
                f.matview || ' ' || case
                    when not f.is_populated then 'not populated'
                    when f.refreshed_at is null then 'never refreshed since monitoring began'
                    else 'refreshed ' || date_trunc('second', f.age) || ' ago'
                end,
                ', '
            ) filter (where f.is_stale),
            count(*) || ' fresh'
        )
    from monitoring.reporting_freshness as f
    union all
    select
        'role_settings' as name,
        case when count(*) > 0 then 'warn' else 'ok' end,
        count(*) || ' role settings differ from the provisioned ones'
        || coalesce(': ' || string_agg(d.role_name || ' ' || d.setting_name || ' ' || d.problem, ', '), '')
    from monitoring.role_settings_drift as d
    union all
    select
        'replication' as name,
        case
            when
                bool_or(r.state <> 'streaming' or r.lag_bytes >= monitoring.threshold('replication_lag_bytes_page'))
                then 'page'
            when bool_or(r.lag > make_interval(secs => monitoring.threshold('replication_lag_seconds_warn')::float8))
                then 'warn'
            else 'ok'
        end,
        case
            when count(*) = 0 then 'no replicas' else
                string_agg(
                    r.side || ' ' || coalesce(r.application_name, r.client_addr, '') || ' ' || r.state
                    || ' lag ' || coalesce(pg_size_pretty(r.lag_bytes), 'n/a') || ' / ' || coalesce(r.lag::text, 'n/a'),
                    ', '
                )
        end
    from monitoring.replication as r
    union all
    select
        'replication_slots' as name,
        case
            when bool_or(not s.active and s.retained_bytes >= monitoring.threshold('slot_retained_bytes_page'))
                then 'page'
            when bool_or(not s.active) then 'warn'
            else 'ok'
        end,
        count(*)
        || ' slots'
        || coalesce(', inactive: ' || string_agg(s.slot_name, ', ') filter (where not s.active), '')
    from monitoring.replication_slots as s
    union all
    select
        'scheduled_maintenance' as name,
        case
            when not exists (
                select from pg_catalog.pg_extension as x
                where x.extname = 'pg_cron'
            ) then 'warn'
            when bool_or(j.last_status = 'failed') then 'page'
            else 'ok'
        end,
        case
            when
                not exists (
                    select from pg_catalog.pg_extension as x
                    where x.extname = 'pg_cron'
                )
                then 'pg_cron is not set up in this database: run the maintenance by hand (README)'
            else
                count(j.job_name) || ' jobs'
                || coalesce(
                    ', last run failed: ' || string_agg(j.job_name, ', ') filter (where j.last_status = 'failed'), ''
                )
        end
    from monitoring.cron_jobs as j
)

select
    c.name as check_name,
    c.status,
    c.detail
from checks as c;

comment on view monitoring.health is
'One row per check: ok, warn or page (someone should act now), with a line of detail. readb health prints it.';

-- Privileges: rea_monitor only ------------------------------------------------------------

grant usage on schema monitoring to rea_monitor;
grant select on all tables in schema monitoring to rea_monitor;
-- the functions the views call (the caller needs execute on them)
grant execute on function
monitoring.threshold(text),
monitoring.relation_name(oid),
monitoring.bloat_estimates(),
monitoring.cron_job_runs()
to rea_monitor;

-- Needs a superuser: an event trigger fires for every role's commands.
reset role;

-- (sqlfluff cannot parse create event trigger: hence the execute)
do $$
begin
    execute 'create event trigger monitoring_record_refresh on ddl_command_end'
        ' when tag in (''REFRESH MATERIALIZED VIEW'') execute function monitoring.record_refresh()';
end;
$$;
