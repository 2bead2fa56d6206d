-- rea.expenses: money an agency spends, in any currency, by category, optionally on a
-- property or a branch. An expense above the tenant's approval threshold (converted to
-- its base currency on the expense date) can only become approved once an approval for
-- it is approved: the rule is enforced in 2110_expense_workflow, once approvals exist.
-- Requires: 2050_properties, 2010_branches, 2020_users, 1030_money.

create table rea.expenses (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    property_id uuid,
    branch_id uuid,
    recorded_by uuid,
    category text not null,
    amount numeric(19, 4) not null,
    currency text not null,
    expense_date date not null default current_date,
    description text,
    status text not null default 'pending_approval',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint expenses_pkey primary key (client_id, id),
    constraint expenses_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint expenses_property_fkey foreign key (client_id, property_id)
    references rea.properties (client_id, id) on delete restrict,
    constraint expenses_branch_fkey foreign key (client_id, branch_id)
    references rea.branches (client_id, id) on delete restrict,
    constraint expenses_recorded_by_fkey foreign key (client_id, recorded_by)
    references rea.users (client_id, id) on delete restrict,
    constraint expenses_currency_fkey foreign key (currency)
    references rea.currencies (code) on delete restrict,
    constraint expenses_category_check check (
        category in (
            'maintenance', 'marketing', 'utilities', 'salaries', 'legal', 'travel', 'office', 'other'
        )
    ),
    constraint expenses_amount_check check (amount > 0),
    constraint expenses_status_check check (status in ('pending_approval', 'approved', 'rejected'))
);

create index expenses_property_idx on rea.expenses (client_id, property_id);
create index expenses_expense_date_idx on rea.expenses (client_id, expense_date);

comment on table rea.expenses is
'Money spent, in any currency, by category; above the tenant''s threshold it needs an approved approval.';
comment on column rea.expenses.status is
'pending_approval, approved or rejected; approved and rejected are final.';

create trigger expenses_touch_updated_at
before update on rea.expenses
for each row execute function rea.touch_updated_at();

create trigger expenses_minor_units
before insert or update of amount, currency on rea.expenses
for each row execute function rea.check_minor_units('amount', 'currency');
