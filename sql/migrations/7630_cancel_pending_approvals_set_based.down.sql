-- Reverts 7630_cancel_pending_approvals_set_based: the row triggers of 2100 and 2110,
-- and the function's body of 2090, again.

set local role rea_owner;

drop trigger deals_cancel_open_approvals on rea.deals;
drop trigger expenses_cancel_open_approvals on rea.expenses;

create or replace function rea.cancel_pending_approvals()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    -- tg_argv[0]: the approvals column that names the subject (deal_id, expense_id);
    -- tg_argv[1]: the subject's column whose new value closed it (stage, status)
    execute pg_catalog.format(
        'update rea.approvals set status = ''cancelled'', decision_note = $3'
        ' where client_id = $1 and %I = $2 and status = ''pending''',
        tg_argv[0]
    )
    using new.client_id, new.id,
        pg_catalog.format('%s %s', tg_table_name, pg_catalog.to_jsonb(new) ->> tg_argv[1]);
    return null;
end;
$$;

comment on function rea.cancel_pending_approvals() is
'AFTER UPDATE trigger on a subject of approvals; arguments (approvals column, closing column): '
'a subject that is closed cancels its pending approval.';

create trigger deals_cancel_open_approvals
after update of stage on rea.deals
for each row when (new.stage in ('won', 'lost') and old.stage is distinct from new.stage)
execute function rea.cancel_pending_approvals('deal_id', 'stage');

create trigger expenses_cancel_open_approvals
after update of status on rea.expenses
for each row when (new.status in ('approved', 'rejected') and old.status is distinct from new.status)
execute function rea.cancel_pending_approvals('expense_id', 'status');
