-- An UPDATE issued by a trigger that changes nothing in a row leaves the row alone:
-- every table in rea gets a BEFORE UPDATE row trigger `<table>_skip_unchanged` that,
-- inside a trigger cascade (pg_trigger_depth() > 0), drops a row from the update when
-- its new image is byte for byte the old one (`old *= new`, the record image operator).
-- Nothing is written, updated_at stays, and the row never reaches the transition
-- tables, so audit.log_changes() (6110, statement-level) records nothing for it.
--
-- Why: a trigger that changes nothing must write nothing, audit included (issue 13:
-- cascades' updates that changed nothing were most of the audit trigger's calls).
-- 7630 and 7640 make the cascades themselves update only rows they change; this is the
-- guard for every cascade, today's and tomorrow's. A WHEN clause on the audit triggers
-- themselves cannot do it: they are statement-level (transition tables), and
-- PostgreSQL allows WHEN only on row-level triggers; audit.log_changes() is left as it
-- is (another change redefines the audit functions).
--
-- Not for the application's own statements (depth 0): skipping a row there changes
-- what the UPDATE reports (its row count, and RETURNING returns no row), which callers
-- use to read the row back or to tell a missing row from an updated one. An unchanged
-- row updated by the application is written as before, with updated_at and an audit
-- row naming updated_at.
--
-- Order: BEFORE row triggers fire by name, so `_skip_unchanged` runs before
-- `_touch_updated_at` (it would otherwise always see updated_at changed) and before the
-- workflow triggers (`_workflow`, `_approval`): an update that changes nothing has no
-- transition to check. `*=` compares the stored images, not equality: an e-mail whose
-- letter case changed ('A@x.sa' to 'a@x.sa', equal under rea.case_insensitive) is a
-- change. A new table in rea gets the trigger too (tests/test_unchanged_updates.py
-- fails otherwise).
-- Requires: every table in rea, 6110_audit_triggers.

set local role rea_owner;

create function rea.skip_unchanged_update()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    -- The trigger's WHEN (in a cascade, old *= new) picked the row: keep it as it is.
    return null;
end;
$$;

comment on function rea.skip_unchanged_update() is
'BEFORE UPDATE row trigger, WHEN (pg_trigger_depth() > 0 and old *= new): a cascade skips a row it leaves unchanged.';

do $$
declare
    t record;
begin
    for t in
        select c.oid::regclass as target, c.relname
        from pg_catalog.pg_class as c
        where c.relnamespace = 'rea'::regnamespace and c.relkind = 'r'
        order by c.relname
    loop
        execute pg_catalog.format(
            'create trigger %I before update on %s'
            ' for each row when (pg_catalog.pg_trigger_depth() > 0 and old *= new)'
            ' execute function rea.skip_unchanged_update()',
            t.relname || '_skip_unchanged', t.target
        );
    end loop;
end;
$$;
