-- rea.approvals: a request that another user approve a sensitive decision: moving a
-- deal to approved (and so to won), or an expense above the tenant's threshold.
-- Workflow: pending -> approved | rejected | cancelled, and those three are final (with
-- the approver, the reason and the decision note they were decided on).
-- Four eyes: the approver is never the requester (a check constraint).
-- decided_at is set by the database exactly when the status leaves pending, and is
-- null exactly while pending (a check constraint keeps the two in step).
-- At most one pending approval per subject (partial unique indexes); a subject that is
-- closed (a deal won or lost, an expense decided) cancels its pending approval, through
-- rea.cancel_pending_approvals(), attached by the subjects' workflow steps.
-- Requires: 2070_deals, 2080_expenses, 2020_users.

create table rea.approvals (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    subject_type text not null,
    deal_id uuid,
    expense_id uuid,
    requested_by uuid not null,
    approver_id uuid,
    status text not null default 'pending',
    reason text,
    decision_note text,
    requested_at timestamptz not null default now(),
    decided_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint approvals_pkey primary key (client_id, id),
    constraint approvals_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint approvals_deal_fkey foreign key (client_id, deal_id)
    references rea.deals (client_id, id) on delete restrict,
    constraint approvals_expense_fkey foreign key (client_id, expense_id)
    references rea.expenses (client_id, id) on delete restrict,
    constraint approvals_requested_by_fkey foreign key (client_id, requested_by)
    references rea.users (client_id, id) on delete restrict,
    constraint approvals_approver_fkey foreign key (client_id, approver_id)
    references rea.users (client_id, id) on delete restrict,
    constraint approvals_subject_check check (
        (subject_type = 'deal' and deal_id is not null and expense_id is null)
        or (subject_type = 'expense' and expense_id is not null and deal_id is null)
    ),
    constraint approvals_status_check
    check (status in ('pending', 'approved', 'rejected', 'cancelled')),
    constraint approvals_four_eyes_check check (approver_id <> requested_by),
    constraint approvals_approver_check
    check (status not in ('approved', 'rejected') or approver_id is not null),
    constraint approvals_decided_at_check check ((status = 'pending') = (decided_at is null))
);

create unique index approvals_one_pending_deal_key on rea.approvals (client_id, deal_id)
where status = 'pending' and deal_id is not null;
create unique index approvals_one_pending_expense_key on rea.approvals (client_id, expense_id)
where status = 'pending' and expense_id is not null;
create index approvals_deal_idx on rea.approvals (client_id, deal_id, status);
create index approvals_expense_idx on rea.approvals (client_id, expense_id, status);

comment on table rea.approvals is
'Four-eyes approvals of deals and large expenses: pending, then approved, rejected or cancelled for good.';
comment on column rea.approvals.decided_at is 'Set by the database when status leaves pending.';

create trigger approvals_touch_updated_at
before update on rea.approvals
for each row execute function rea.touch_updated_at();

create function rea.approvals_enforce_workflow()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    if tg_op = 'INSERT' then
        if new.status <> 'pending' then
            raise exception 'an approval starts pending, not %', new.status
                using errcode = 'check_violation', constraint = 'approvals_workflow_check';
        end if;
        new.decided_at := null;
        return new;
    end if;
    if (new.subject_type, new.deal_id, new.expense_id, new.requested_by, new.requested_at)
        is distinct from
        (old.subject_type, old.deal_id, old.expense_id, old.requested_by, old.requested_at) then
        raise exception 'the subject and requester of an approval never change'
            using errcode = 'check_violation', constraint = 'approvals_workflow_check';
    end if;
    if old.status <> 'pending' then
        if (new.status, new.approver_id, new.reason, new.decision_note)
            is distinct from (old.status, old.approver_id, old.reason, old.decision_note) then
            raise exception 'approval % is % and final', old.id, old.status
                using errcode = 'check_violation', constraint = 'approvals_workflow_check';
        end if;
        new.decided_at := old.decided_at;
    elsif new.status <> 'pending' then
        new.decided_at := pg_catalog.now();
    else
        new.decided_at := null;
    end if;
    return new;
end;
$$;

comment on function rea.approvals_enforce_workflow() is
'BEFORE INSERT OR UPDATE on rea.approvals: starts pending, final once decided, stamps decided_at.';

create trigger approvals_workflow
before insert or update on rea.approvals
for each row execute function rea.approvals_enforce_workflow();

create function rea.cancel_pending_approvals()
returns trigger
language plpgsql
volatile
set search_path = ''
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
