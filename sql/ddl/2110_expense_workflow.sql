-- The approval rule of rea.expenses: an expense becomes approved (on insert or later)
-- only if its amount, converted into the tenant's base currency at the rate in force
-- on the expense date, is at most the tenant's expense_approval_threshold, or an
-- approval for it was approved. While an approval for it is pending or approved, its
-- amount, currency and date are frozen: what was approved is what is paid. Approved
-- and rejected expenses are final: their status, amount, currency and date no longer
-- change, and a pending approval for them is cancelled (an AFTER trigger running
-- rea.cancel_pending_approvals() from 2090_approvals).
-- A missing exchange rate makes the conversion raise (P0002): an expense in a currency
-- without a rate is never waved through.
-- Violations raise SQLSTATE 23514 (check_violation) naming the rule as the constraint.
-- Requires: 2080_expenses, 2090_approvals, 1020_fx_rates, 2000_clients_settings.

create function rea.expenses_enforce_approval()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    tenant record;
    amount_base numeric;
begin
    if tg_op = 'UPDATE' and old.status in ('approved', 'rejected')
        and (new.status, new.amount, new.currency, new.expense_date)
        is distinct from (old.status, old.amount, old.currency, old.expense_date) then
        raise exception 'expense % is % and final', old.id, old.status
            using errcode = 'check_violation', constraint = 'expenses_decided_check';
    end if;
    if tg_op = 'UPDATE' and old.status = 'pending_approval'
        and (new.amount, new.currency, new.expense_date)
        is distinct from (old.amount, old.currency, old.expense_date)
        and exists (
            select from rea.approvals as a
            where a.client_id = old.client_id and a.expense_id = old.id
                and a.status in ('pending', 'approved')
        ) then
        raise exception 'the amount, currency and date of expense % are frozen under approval', old.id
            using errcode = 'check_violation', constraint = 'expenses_terms_frozen_check';
    end if;
    if new.status = 'approved' and (tg_op = 'INSERT' or old.status <> 'approved') then
        select c.base_currency, c.expense_approval_threshold into tenant
        from rea.clients as c where c.id = new.client_id;
        amount_base := rea.convert_amount(
            new.amount, new.currency, tenant.base_currency, new.expense_date
        );
        if amount_base > tenant.expense_approval_threshold and not exists (
            select from rea.approvals as a
            where a.client_id = new.client_id and a.expense_id = new.id and a.status = 'approved'
        ) then
            raise exception
                'expense % (% %) is above the approval threshold of % % and has no approved approval',
                new.id, amount_base, tenant.base_currency,
                tenant.expense_approval_threshold, tenant.base_currency
                using errcode = 'check_violation', constraint = 'expenses_approval_required_check';
        end if;
    end if;
    return new;
end;
$$;

comment on function rea.expenses_enforce_approval() is
'BEFORE INSERT OR UPDATE on rea.expenses: above the tenant threshold, approved needs an approved approval.';

create trigger expenses_approval
before insert or update on rea.expenses
for each row execute function rea.expenses_enforce_approval();

create trigger expenses_cancel_open_approvals
after update of status on rea.expenses
for each row when (new.status in ('approved', 'rejected') and old.status is distinct from new.status)
execute function rea.cancel_pending_approvals('expense_id', 'status');
