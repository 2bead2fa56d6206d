-- A closed subject cancels its pending approvals set-based, and only when there are
-- any: rea.cancel_pending_approvals() becomes an AFTER UPDATE ... FOR EACH STATEMENT
-- trigger with transition tables on rea.deals and rea.expenses, instead of a row
-- trigger that ran one UPDATE of rea.approvals per closed deal or expense.
--
-- Why: in issue 13's seed profile the row trigger ran 221,000 times and changed no row
-- in any of them, yet each UPDATE, matching nothing, still fired the approvals' audit
-- trigger (audit.log_changes(), statement-level, which fires for an UPDATE of no row).
-- Now one query per statement finds the pending approvals of the subjects the
-- statement closed (moved into a closing value from another), and the one UPDATE runs
-- only when it found some: a statement that closes nothing pending writes nothing and
-- fires nothing on rea.approvals.
--
-- Arguments: the approvals column naming the subject (deal_id, expense_id), the
-- subject's column whose new value closes it (stage, status), then the closing values.
-- The note on a cancelled approval is as before ('deals won', 'expenses rejected').
-- Statement triggers with transition tables cannot name columns (`update of stage`),
-- so they fire on every UPDATE of the two tables; the closing test is in the query.
-- Not security definer: the UPDATE runs as the caller, under its RLS, as before.
-- Requires: 2090_approvals, 2100_deal_workflow, 2110_expense_workflow.

set local role rea_owner;

create or replace function rea.cancel_pending_approvals()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    closed_subjects text;
    pending_exist boolean;
begin
    if tg_level <> 'STATEMENT' or tg_when <> 'AFTER' or tg_op <> 'UPDATE' or tg_nargs < 3 then
        raise exception 'rea.cancel_pending_approvals() must be an AFTER UPDATE ... FOR EACH STATEMENT'
            ' trigger with transition tables old_rows, new_rows and arguments'
            ' (approvals column, closing column, closing values...)'
            using errcode = 'invalid_parameter_value';
    end if;
    -- the subjects this statement moved into a closing value
    closed_subjects := pg_catalog.format(
        'select n.client_id, n.id, n.%1$I::text as closed_as'
        ' from new_rows as n inner join old_rows as o on n.client_id = o.client_id and n.id = o.id'
        ' where n.%1$I::text = any($1) and o.%1$I is distinct from n.%1$I',
        tg_argv[1]
    );
    execute pg_catalog.format(
        'select exists (select from (%s) as c inner join rea.approvals as a'
        ' on a.client_id = c.client_id and a.%I = c.id and a.status = ''pending'')',
        closed_subjects, tg_argv[0]
    )
    into pending_exist
    using tg_argv[2:];
    if pending_exist then
        execute pg_catalog.format(
            'update rea.approvals as a set status = ''cancelled'', decision_note = $2 || '' '' || c.closed_as'
            ' from (%s) as c'
            ' where a.client_id = c.client_id and a.%I = c.id and a.status = ''pending''',
            closed_subjects, tg_argv[0]
        )
        using tg_argv[2:], tg_table_name;
    end if;
    return null;
end;
$$;

comment on function rea.cancel_pending_approvals() is
'AFTER UPDATE statement trigger (old_rows, new_rows) on a subject of approvals; arguments (approvals column, '
'closing column, closing values...): subjects the statement closed cancel their pending approvals, in one UPDATE.';

drop trigger deals_cancel_open_approvals on rea.deals;
create trigger deals_cancel_open_approvals
after update on rea.deals
referencing old table as old_rows new table as new_rows
for each statement execute function rea.cancel_pending_approvals('deal_id', 'stage', 'won', 'lost');

drop trigger expenses_cancel_open_approvals on rea.expenses;
create trigger expenses_cancel_open_approvals
after update on rea.expenses
referencing old table as old_rows new table as new_rows
for each statement execute function rea.cancel_pending_approvals('expense_id', 'status', 'approved', 'rejected');
