-- The rules of rea.deals that need other tables, in one BEFORE INSERT OR UPDATE trigger:
-- - a deal starts as a lead and moves only along rea.deal_stage_transitions;
-- - it reaches approved, and so won, only if an approval for it was approved;
-- - while it is up for approval or approved, or an approval for it is pending or was
--   approved, its terms (property, customer, type, amount, currency, date) are frozen:
--   what was approved is what is won. After a rejection they open again;
-- - a deal that is won or lost cancels its pending approval (an AFTER trigger running
--   rea.cancel_pending_approvals() from 2090_approvals);
-- - won and lost deals are closed: closed_at is stamped, and their substance (stage,
--   parties, amount, dates) no longer changes;
-- - the commission is computed here from the commission rule in force on deal_date for
--   the property's listing type and the deal type: a percentage of the amount (rounded
--   to the currency's minor units) or the rule's fixed amount. It is computed on insert
--   and whenever those inputs change, and otherwise kept: the application cannot
--   write it. No rule in force: no commission (all three columns null).
-- Violations raise SQLSTATE 23514 (check_violation) naming the rule as the constraint.
-- Requires: 2070_deals, 2090_approvals, 2060_commission_rules.

create function rea.deals_enforce_workflow()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
declare
    rule record;
begin
    if tg_op = 'INSERT' then
        if new.stage <> 'lead' then
            raise exception 'a deal starts as a lead, not %', new.stage
                using errcode = 'check_violation', constraint = 'deals_stage_transition_check';
        end if;
        new.closed_at := null;
    else
        if old.stage in ('won', 'lost') and (
            new.stage, new.property_id, new.customer_id, new.agent_user_id, new.deal_type,
            new.amount, new.currency, new.deal_date
        ) is distinct from (
            old.stage, old.property_id, old.customer_id, old.agent_user_id, old.deal_type,
            old.amount, old.currency, old.deal_date
        ) then
            raise exception 'deal % is % and closed', old.id, old.stage
                using errcode = 'check_violation', constraint = 'deals_closed_check';
        end if;
        if (
                old.stage in ('pending_approval', 'approved')
                and new.stage in ('pending_approval', 'approved', 'won')
                or exists (
                    select from rea.approvals as a
                    where a.client_id = old.client_id and a.deal_id = old.id
                        and a.status in ('pending', 'approved')
                )
            )
            and (
                new.property_id, new.customer_id, new.deal_type, new.amount, new.currency,
                new.deal_date
            ) is distinct from (
                old.property_id, old.customer_id, old.deal_type, old.amount, old.currency,
                old.deal_date
            ) then
            raise exception 'the terms of deal % are frozen under approval', old.id
                using errcode = 'check_violation', constraint = 'deals_terms_frozen_check',
                hint = 'a rejected or cancelled approval opens them again';
        end if;
        if new.stage <> old.stage then
            if not exists (
                select from rea.deal_stage_transitions as t
                where t.from_stage = old.stage and t.to_stage = new.stage
            ) then
                raise exception 'a deal cannot move from % to %', old.stage, new.stage
                    using errcode = 'check_violation',
                    constraint = 'deals_stage_transition_check';
            end if;
            if new.stage in ('approved', 'won') and not exists (
                select from rea.approvals as a
                where a.client_id = new.client_id and a.deal_id = new.id
                    and a.status = 'approved'
            ) then
                raise exception 'deal % needs an approved approval to become %', new.id, new.stage
                    using errcode = 'check_violation',
                    constraint = 'deals_approval_required_check';
            end if;
        end if;
        new.closed_at := case
            when new.stage not in ('won', 'lost') then null
            when old.stage in ('won', 'lost') then old.closed_at
            else pg_catalog.now()
        end;
        if (new.property_id, new.deal_type, new.amount, new.currency, new.deal_date)
            is not distinct from
            (old.property_id, old.deal_type, old.amount, old.currency, old.deal_date) then
            new.commission_rule_id := old.commission_rule_id;
            new.commission_amount := old.commission_amount;
            new.commission_currency := old.commission_currency;
            return new;
        end if;
    end if;

    select r.id, r.percentage, r.fixed_amount, r.currency into rule
    from rea.commission_rules as r
    inner join rea.properties as p on p.client_id = r.client_id and p.listing_type = r.listing_type
    where r.client_id = new.client_id and p.id = new.property_id
        and r.deal_type = new.deal_type and r.effective @> new.deal_date;
    if rule.id is null then
        new.commission_rule_id := null;
        new.commission_amount := null;
        new.commission_currency := null;
    elsif rule.percentage is not null then
        new.commission_rule_id := rule.id;
        new.commission_amount := pg_catalog.round(
            new.amount * rule.percentage * 0.01,  -- exact: a division would round first
            (select c.minor_units from rea.currencies as c where c.code = new.currency)
        );
        new.commission_currency := new.currency;
    else
        new.commission_rule_id := rule.id;
        new.commission_amount := rule.fixed_amount;
        new.commission_currency := rule.currency;
    end if;
    return new;
end;
$$;

comment on function rea.deals_enforce_workflow() is
'BEFORE INSERT OR UPDATE on rea.deals: stage machine, approval before approved/won, closed deals, commission.';

create trigger deals_workflow
before insert or update on rea.deals
for each row execute function rea.deals_enforce_workflow();

create trigger deals_cancel_open_approvals
after update of stage on rea.deals
for each row when (new.stage in ('won', 'lost') and old.stage is distinct from new.stage)
execute function rea.cancel_pending_approvals('deal_id', 'stage');
