-- rea.deals: sales and rentals of a property to a customer, moved through stages.
-- The stage machine is data: rea.deal_stage_transitions lists the allowed moves,
--   lead -> negotiation | lost
--   negotiation -> pending_approval | lost
--   pending_approval -> approved | negotiation | lost
--   approved -> won | lost
-- won and lost are terminal. The trigger that enforces it, and the commission the
-- database computes, come in 2100_deal_workflow, once approvals exist.
-- Soft delete (deleted_at): history is kept.
-- Requires: 2050_properties, 2060_commission_rules, 2020_users, 1030_money.

create table rea.deal_stage_transitions (
    from_stage text not null,
    to_stage text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint deal_stage_transitions_pkey primary key (from_stage, to_stage)
);

comment on table rea.deal_stage_transitions is
'The allowed moves of a deal between stages. Reference data shared by all tenants.';

create trigger deal_stage_transitions_touch_updated_at
before update on rea.deal_stage_transitions
for each row execute function rea.touch_updated_at();

insert into rea.deal_stage_transitions (from_stage, to_stage) values
('lead', 'negotiation'),
('lead', 'lost'),
('negotiation', 'pending_approval'),
('negotiation', 'lost'),
('pending_approval', 'approved'),
('pending_approval', 'negotiation'),
('pending_approval', 'lost'),
('approved', 'won'),
('approved', 'lost');

create table rea.deals (
    client_id uuid not null,
    id uuid not null default rea.uuid_v7(),
    property_id uuid not null,
    customer_id uuid not null,
    agent_user_id uuid,
    deal_type text not null,
    stage text not null default 'lead',
    amount numeric(19, 4) not null,
    currency text not null,
    deal_date date not null default current_date,
    commission_rule_id uuid,
    commission_amount numeric(19, 4),
    commission_currency text,
    closed_at timestamptz,
    deleted_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint deals_pkey primary key (client_id, id),
    constraint deals_client_fkey foreign key (client_id)
    references rea.clients (id) on delete restrict,
    constraint deals_property_fkey foreign key (client_id, property_id)
    references rea.properties (client_id, id) on delete restrict,
    constraint deals_customer_fkey foreign key (client_id, customer_id)
    references rea.customers (client_id, id) on delete restrict,
    constraint deals_agent_fkey foreign key (client_id, agent_user_id)
    references rea.users (client_id, id) on delete restrict,
    constraint deals_commission_rule_fkey foreign key (client_id, commission_rule_id)
    references rea.commission_rules (client_id, id) on delete restrict,
    constraint deals_currency_fkey foreign key (currency)
    references rea.currencies (code) on delete restrict,
    constraint deals_commission_currency_fkey foreign key (commission_currency)
    references rea.currencies (code) on delete restrict,
    constraint deals_deal_type_check check (deal_type in ('sale', 'rental')),
    constraint deals_stage_check check (
        stage in ('lead', 'negotiation', 'pending_approval', 'approved', 'won', 'lost')
    ),
    constraint deals_amount_check check (amount > 0),
    constraint deals_commission_check check (
        (commission_rule_id is null) = (commission_amount is null)
        and (commission_amount is null) = (commission_currency is null)
    ),
    constraint deals_closed_at_check check ((stage in ('won', 'lost')) = (closed_at is not null))
);

create index deals_property_idx on rea.deals (client_id, property_id);
create index deals_customer_idx on rea.deals (client_id, customer_id);
create index deals_agent_idx on rea.deals (client_id, agent_user_id);
create index deals_deal_date_idx on rea.deals (client_id, deal_date);

comment on table rea.deals is
'Sales and rentals, moved through stages by rea.deal_stage_transitions; commission computed by the database.';
comment on column rea.deals.commission_amount is
'Computed from the commission rule in force on deal_date; never written by the application.';
comment on column rea.deals.closed_at is 'When the deal reached won or lost.';

create trigger deals_touch_updated_at
before update on rea.deals
for each row execute function rea.touch_updated_at();

create trigger deals_minor_units
before insert or update of amount, currency on rea.deals
for each row execute function rea.check_minor_units('amount', 'currency');
