-- Demo and benchmark data for `readb seed`: N agencies, every entity and every state.
-- Deterministic: every id and value comes from md5 of (random seed, tenant, table, row),
-- never from random() or the clock, so the same arguments give the same rows. (Columns
-- the database stamps itself, updated_at, decided_at and closed_at, carry the load time.)
-- Set-based: one insert per table over generate_series, no row-by-row loop. The data
-- goes through the rules, not around them: deals start as leads and walk the stage
-- machine, approvals are requested and decided before deals and expenses depend on
-- them, bookings are activated in waves so a property never has two ACTIVE ones.
-- Expects the temp table seed_args(seed, tenants, scale, as_of) (readb seed makes it), and
-- runs in one transaction with TimeZone UTC, so timestamps do not depend on the session.

-- Deterministic randomness: a number in [0, 1) and a uuid from a key.
create or replace function pg_temp.rnd(k text) returns double precision
language sql immutable
as $$ select ('x' || substr(md5(k), 1, 12))::bit(48)::bigint / 281474976710656.0 $$;

create or replace function pg_temp.uid(k text) returns uuid
language sql immutable
as $$ select md5(k)::uuid $$;

create or replace function pg_temp.pick(k text, choices text[]) returns text
language sql immutable
as $$ select choices[1 + floor(pg_temp.rnd(k) * cardinality(choices))::int] $$;

-- How many rows of each kind per tenant, from the scale (see the README's table).
create temp table seed_sizes on commit drop as
select
    a.seed,
    a.tenants,
    a.as_of,
    a.as_of - interval '3 years' as since,
    2 + a.scale as branches,
    8 * a.scale as users,
    150 * a.scale as customers,
    100 * a.scale as properties,
    80 * a.scale as deals,
    100 * a.scale as bookings,
    200 * a.scale as expenses,
    400 * a.scale as communications
from seed_args as a;

-- Daily rates over the period, for six pairs (the other directions come by inverse).
insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate, source)
select
    p.base_currency,
    p.quote_currency,
    d::date,
    round(p.mid * (1 + p.swing * sin((d::date - date '2000-01-01') / 45.0))::numeric, 6),
    'readb seed'
from seed_sizes as z
cross join generate_series(z.since - interval '7 days', z.as_of, interval '1 day') as d
cross join (
    values
    ('USD', 'SAR', 3.75, 0.0005),
    ('AED', 'SAR', 1.0211, 0.0005),
    ('EUR', 'SAR', 4.10, 0.04),
    ('USD', 'AED', 3.6725, 0.0005),
    ('EUR', 'USD', 1.093, 0.04),
    ('EUR', 'AED', 4.015, 0.04)
) as p (base_currency, quote_currency, mid, swing)
on conflict do nothing;

-- Tenants.
insert into rea.clients (id, name, base_currency, expense_approval_threshold, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    format(
        '%s %s %s',
        pg_temp.pick(
            z.seed || ':client-name:' || t,
            array['Al Noor', 'Gulf', 'Najd', 'Red Sea', 'Oasis', 'Falcon', 'Desert Rose', 'Palm']
        ),
        pg_temp.pick(z.seed || ':client-kind:' || t, array['Realty', 'Properties', 'Estates', 'Homes']),
        t
    ),
    case when t % 5 = 0 then 'AED' when t % 7 = 0 then 'USD' else 'SAR' end,
    case when t % 7 = 0 then 3000 else 10000 end,
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t;

-- Branches, users and their roles.
insert into rea.branches (client_id, id, name, city, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':branch:' || t || ':' || b),
    format('Branch %s', b),
    pg_temp.pick(
        z.seed || ':branch-city:' || t || ':' || b,
        array['Riyadh', 'Jeddah', 'Dammam', 'Khobar', 'Mecca', 'Medina', 'Dubai', 'Abu Dhabi']
    ),
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.branches) as b;

-- Users 1..branches are branch managers, the next one the accountant, the rest agents;
-- the last agent (and a few others) has left: disabled.
insert into rea.users (client_id, id, branch_id, full_name, email, status, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':user:' || t || ':' || u),
    pg_temp.uid(z.seed || ':branch:' || t || ':' || (1 + (u - 1) % z.branches)),
    pg_temp.pick(
        z.seed || ':first:' || t || ':' || u,
        array['Sara', 'Omar', 'Noura', 'Khalid', 'Fatimah', 'Faisal', 'Huda', 'Yousef', 'Reem', 'Abdullah']
    )
    || ' '
    || pg_temp.pick(
        z.seed || ':last:' || t || ':' || u,
        array['Al-Harbi', 'Al-Otaibi', 'Al-Qahtani', 'Al-Ghamdi', 'Al-Shehri', 'Al-Dosari', 'Al-Mutairi', 'Al-Zahrani']
    ),
    format('user%s@tenant%s.example', u, t),
    case
        when
            u = z.users or (u > z.branches + 1 and pg_temp.rnd(z.seed || ':user-status:' || t || ':' || u) < 0.05)
            then 'disabled'
        else 'active'
    end,
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.users) as u;

insert into rea.roles (client_id, id, name, description, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':role:' || t || ':' || r.name),
    r.name,
    r.description,
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join (
    values
    ('Agent', 'Lists properties, works deals and bookings'),
    ('Branch manager', 'Decides approvals for a branch'),
    ('Accountant', 'Records expenses'),
    ('Administrator', 'Manages users and roles')
) as r (name, description);

insert into rea.role_permissions (client_id, id, role_id, permission_code, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':role-permission:' || t || ':' || g.role_name || ':' || g.code),
    pg_temp.uid(z.seed || ':role:' || t || ':' || g.role_name),
    g.code,
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join (
    values
    ('Agent', 'properties.write'), ('Agent', 'customers.write'), ('Agent', 'customers.read_personal'),
    ('Agent', 'deals.write'), ('Agent', 'bookings.write'),
    ('Branch manager', 'approvals.decide'), ('Branch manager', 'reports.read'),
    ('Branch manager', 'customers.read_personal'),
    ('Accountant', 'expenses.write'), ('Accountant', 'reports.read'),
    ('Administrator', 'users.admin')
) as g (role_name, code);

insert into rea.user_roles (client_id, id, user_id, role_id, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':user-role:' || t || ':' || u),
    pg_temp.uid(z.seed || ':user:' || t || ':' || u),
    pg_temp.uid(
        z.seed || ':role:' || t || ':'
        || case
            when u <= z.branches then 'Branch manager'
            when u = z.branches + 1 then 'Accountant'
            else 'Agent'
        end
    ),
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.users) as u;

insert into rea.user_roles (client_id, id, user_id, role_id, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':user-role-admin:' || t),
    pg_temp.uid(z.seed || ':user:' || t || ':1'),
    pg_temp.uid(z.seed || ':role:' || t || ':Administrator'),
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t;

-- Customers: mostly individuals, a few companies, every fiftieth soft-deleted.
insert into rea.customers (client_id, id, kind, full_name, email, phone, deleted_at, created_at)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':customer:' || t || ':' || c),
    case when pg_temp.rnd(z.seed || ':customer-kind:' || t || ':' || c) < 0.1 then 'company' else 'individual' end,
    pg_temp.pick(
        z.seed || ':customer-first:' || t || ':' || c,
        array['Ahmed', 'Mona', 'Saleh', 'Lama', 'Turki', 'Dana', 'Majed', 'Rana', 'Nasser', 'Hessa']
    )
    || ' '
    || pg_temp.pick(
        z.seed || ':customer-last:' || t || ':' || c,
        array['Al-Rashid', 'Al-Saud', 'Al-Amri', 'Al-Juhani', 'Al-Malki', 'Al-Anazi', 'Al-Shammari', 'Al-Subaie']
    )
    || ' ' || c,
    format('customer%s.%s@mail.example', c, t),
    format(
        '+966 5%s', lpad((floor(pg_temp.rnd(z.seed || ':phone:' || t || ':' || c) * 100000000))::bigint::text, 8, '0')
    ),
    case when c % 50 = 0 then z.as_of - interval '30 days' end,
    z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':customer-since:' || t || ':' || c) * 0.5
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.customers) as c;

-- Properties. Properties 1..deals each get one deal; bookings go to the others too.
insert into rea.properties (
    client_id, id, listing_type, branch_id, owner_customer_id, property_type, title, city,
    district, asking_price, currency, built_up_area_sqm, features, created_at
)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':property:' || t || ':' || p),
    g.listing_type,
    case
        when g.listing_type = 'branch_owned' or pg_temp.rnd(z.seed || ':property-branch:' || t || ':' || p) < 0.7
            then pg_temp.uid(z.seed || ':branch:' || t || ':' || (1 + p % z.branches))
    end,
    case
        when g.listing_type = 'brokerage'
            then pg_temp.uid(z.seed || ':customer:' || t || ':' || (1 + (p * 7) % z.customers))
    end,
    g.property_type,
    initcap(replace(g.property_type, '_', ' ')) || ' ' || p,
    pg_temp.pick(z.seed || ':property-city:' || t || ':' || p, array['Riyadh', 'Jeddah', 'Dammam', 'Khobar', 'Dubai']),
    pg_temp.pick(
        z.seed || ':district:' || t || ':' || p,
        array['Al Olaya', 'Al Malqa', 'Al Rawdah', 'Al Shati', 'Al Nakheel', 'Marina']
    ),
    round((200000 + 4800000 * power(pg_temp.rnd(z.seed || ':price:' || t || ':' || p), 2))::numeric, -3),
    case when pg_temp.rnd(z.seed || ':property-currency:' || t || ':' || p) < 0.1 then 'USD' else c.base_currency end,
    round((60 + 900 * pg_temp.rnd(z.seed || ':area:' || t || ':' || p))::numeric, 1),
    case
        when g.property_type = 'land' then '{}'::jsonb
        else jsonb_build_object(
            'bedrooms', 1 + floor(pg_temp.rnd(z.seed || ':bedrooms:' || t || ':' || p) * 5)::int,
            'bathrooms', 1 + floor(pg_temp.rnd(z.seed || ':bathrooms:' || t || ':' || p) * 4)::int,
            'furnished', pg_temp.rnd(z.seed || ':furnished:' || t || ':' || p) < 0.4,
            'amenities', '["parking"]'::jsonb
        )
    end,
    z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':property-since:' || t || ':' || p) * 0.5
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
inner join rea.clients as c on c.id = pg_temp.uid(z.seed || ':client:' || t)
cross join generate_series(1, z.properties) as p
cross join lateral (
    select
        pg_temp.pick(
            z.seed || ':listing:' || t || ':' || p, array['agency_owned', 'branch_owned', 'brokerage', 'brokerage']
        ) as listing_type,
        pg_temp.pick(
            z.seed || ':ptype:' || t || ':' || p,
            array['apartment', 'apartment', 'villa', 'townhouse', 'land', 'office', 'shop', 'warehouse']
        ) as property_type
) as g;

-- Commission rules: per listing type and deal type, one period before the midpoint of
-- the history and one open-ended after it; brokerage rentals pay a fixed amount.
insert into rea.commission_rules (
    client_id, id, listing_type, deal_type, percentage, fixed_amount, currency, effective, created_at
)
select
    c.id,
    pg_temp.uid(z.seed || ':rule:' || t || ':' || l.listing_type || ':' || d.deal_type || ':' || period),
    l.listing_type,
    d.deal_type,
    case when not (l.listing_type = 'brokerage' and d.deal_type = 'rental') then d.percentage + period * 0.5 end,
    case when l.listing_type = 'brokerage' and d.deal_type = 'rental' then 4000 + period * 1000 end,
    case when l.listing_type = 'brokerage' and d.deal_type = 'rental' then c.base_currency end,
    case
        when period = 0 then daterange(z.since::date - 7, (z.since + (z.as_of - z.since) / 2)::date)
        else daterange((z.since + (z.as_of - z.since) / 2)::date, null)
    end,
    z.since
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
inner join rea.clients as c on c.id = pg_temp.uid(z.seed || ':client:' || t)
cross join (values ('agency_owned'), ('branch_owned'), ('brokerage')) as l (listing_type)
cross join (values ('sale', 2.0), ('rental', 5.0)) as d (deal_type, percentage)
cross join generate_series(0, 1) as period;

-- Deals, staged with their target stage (by position, so every stage occurs for every
-- tenant whatever the seed) and, for lost deals, the stage they were lost from.
create temp table seed_deals on commit drop as
select
    pg_temp.uid(z.seed || ':client:' || t) as client_id,
    pg_temp.uid(z.seed || ':deal:' || t || ':' || d) as id,
    p.id as property_id,
    pg_temp.uid(z.seed || ':customer:' || t || ':' || (1 + (d * 13) % z.customers)) as customer_id,
    pg_temp.uid(z.seed || ':user:' || t || ':' || (z.branches + 2 + d % (z.users - z.branches - 1))) as agent_user_id,
    pg_temp.uid(z.seed || ':user:' || t || ':' || (1 + d % z.branches)) as manager_id,
    case when pg_temp.rnd(z.seed || ':deal-type:' || t || ':' || d) < 0.7 then 'sale' else 'rental' end as deal_type,
    p.asking_price,
    p.currency,
    (z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':deal-date:' || t || ':' || d))::date as deal_date,
    s.target,
    s.lost_from
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.deals) as d
inner join rea.properties as p on p.id = pg_temp.uid(z.seed || ':property:' || t || ':' || d)
cross join lateral (
    select
        (array[
            'lead',
            'negotiation',
            'negotiation',
            'pending_approval',
            'approved',
            'won',
            'won',
            'won',
            'won',
            'lost',
            'lost'
        ])[1 + d % 11] as target,
        pg_temp.pick(z.seed || ':deal-lost-from:' || t || ':' || d, array['lead', 'negotiation', 'pending_approval'])
            as lost_from
) as s;

insert into rea.deals (
    client_id, id, property_id, customer_id, agent_user_id, deal_type, amount, currency, deal_date, created_at
)
select
    s.client_id,
    s.id,
    s.property_id,
    s.customer_id,
    s.agent_user_id,
    s.deal_type,
    case when s.deal_type = 'sale' then round(s.asking_price * 0.95, 2) else round(s.asking_price / 20, 2) end,
    s.currency,
    s.deal_date,
    s.deal_date
from seed_deals as s;

update rea.deals as d set stage = 'negotiation'
from seed_deals as s
where
    d.client_id = s.client_id and d.id = s.id
    and (s.target not in ('lead', 'lost') or (s.target = 'lost' and s.lost_from <> 'lead'));

update rea.deals as d set stage = 'pending_approval'
from seed_deals as s
where
    d.client_id = s.client_id and d.id = s.id
    and (
        s.target in ('pending_approval', 'approved', 'won')
        or (s.target = 'lost' and s.lost_from = 'pending_approval')
    );

-- Approval requests for every deal that reached pending_approval; decided for all but
-- those still pending: approved for approved and won deals, rejected for lost ones.
insert into rea.approvals (
    client_id, id, subject_type, deal_id, requested_by, reason, requested_at, created_at
)
select
    s.client_id,
    pg_temp.uid(s.id || ':approval'),
    'deal',
    s.id,
    s.agent_user_id,
    'Price and terms agreed with the customer',
    s.deal_date,
    s.deal_date
from seed_deals as s
where
    s.target in ('pending_approval', 'approved', 'won')
    or (s.target = 'lost' and s.lost_from = 'pending_approval');

update rea.approvals as a
set
    status = case when s.target = 'lost' then 'rejected' else 'approved' end,
    approver_id = s.manager_id,
    decision_note = case when s.target = 'lost' then 'Below the floor price' else 'Approved' end
from seed_deals as s
where a.client_id = s.client_id and a.deal_id = s.id and s.target in ('approved', 'won', 'lost');

update rea.deals as d set stage = 'approved'
from seed_deals as s
where d.client_id = s.client_id and d.id = s.id and s.target in ('approved', 'won');

-- Bookings, staged: each property's bookings numbered in time order (seq). Past ones
-- are completed (through ACTIVE), cancelled or expired; the newest may be PENDING or, on
-- a property without a deal, ACTIVE.
create temp table seed_bookings on commit drop as
select
    b.*,
    row_number() over (partition by b.client_id, b.property_id order by b.starts_at, b.id) as seq,
    count(*) over (partition by b.client_id, b.property_id) as of_property
from (
    select
        pg_temp.uid(z.seed || ':client:' || t) as client_id,
        pg_temp.uid(z.seed || ':booking:' || t || ':' || k) as id,
        n.property_no,
        pg_temp.uid(z.seed || ':property:' || t || ':' || n.property_no) as property_id,
        pg_temp.uid(z.seed || ':customer:' || t || ':' || (1 + (k * 11) % z.customers)) as customer_id,
        pg_temp.uid(z.seed || ':user:' || t || ':' || (z.branches + 2 + k % (z.users - z.branches - 1)))
            as agent_user_id,
        z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':booking-start:' || t || ':' || k) as starts_at,
        1 + floor(pg_temp.rnd(z.seed || ':booking-days:' || t || ':' || k) * 14)::int as days,
        pg_temp.rnd(z.seed || ':booking-status:' || t || ':' || k) as roll,
        pg_temp.rnd(z.seed || ':booking-deposit:' || t || ':' || k) < 0.6 as with_deposit,
        z.deals,
        c.base_currency
    from seed_sizes as z
    cross join generate_series(1, z.tenants) as t
    inner join rea.clients as c on c.id = pg_temp.uid(z.seed || ':client:' || t)
    cross join generate_series(1, z.bookings) as k
    cross join lateral (
        select 1 + floor(pg_temp.rnd(z.seed || ':booking-property:' || t || ':' || k) * z.properties)::int
            as property_no
    ) as n
) as b;

analyze seed_deals;

alter table seed_bookings add column target text;
update seed_bookings set target = case
    when seq = of_property and property_no > deals and property_no % 20 <> 0 and roll < 0.5 then 'ACTIVE'
    when seq = of_property and roll < 0.6 then 'PENDING'
    when roll < 0.55 then 'COMPLETED'
    when roll < 0.8 then 'CANCELLED'
    else 'EXPIRED'
end;

analyze seed_bookings;

insert into rea.bookings (
    client_id, id, property_id, customer_id, agent_user_id, starts_at, ends_at,
    deposit_amount, deposit_currency, created_at
)
select
    b.client_id,
    b.id,
    b.property_id,
    b.customer_id,
    b.agent_user_id,
    b.starts_at,
    b.starts_at + make_interval(days => b.days),
    case when b.with_deposit then 5000 end,
    case when b.with_deposit then b.base_currency end,
    b.starts_at - interval '3 days'
from seed_bookings as b;

-- One wave per position in a property's history: never two ACTIVE at once.
do $$
declare
    wave int;
begin
    for wave in 1..(select coalesce(max(seq), 0) from seed_bookings) loop
        update rea.bookings as x set status = 'ACTIVE'
        from seed_bookings as b
        where x.client_id = b.client_id and x.id = b.id and b.seq = wave and b.target = 'COMPLETED';
        update rea.bookings as x set status = 'COMPLETED'
        from seed_bookings as b
        where x.client_id = b.client_id and x.id = b.id and b.seq = wave and b.target = 'COMPLETED';
    end loop;
end;
$$;

update rea.bookings as x set status = b.target
from seed_bookings as b
where x.client_id = b.client_id and x.id = b.id and b.target in ('CANCELLED', 'EXPIRED', 'ACTIVE');

-- Deals close after the bookings: a won deal closes its property (sold or rented,
-- 7410_won_deal_closes_property), and a closed property takes no booking.
update rea.deals as d set stage = s.target
from seed_deals as s
where d.client_id = s.client_id and d.id = s.id and s.target in ('won', 'lost');

-- The properties that deals closed or hold; every twentieth of those without a deal
-- (which never get an ACTIVE booking) withdrawn from the market.
update rea.properties as p
set
    status = case
        when d.stage = 'won' and d.deal_type = 'sale' then 'sold'
        when d.stage = 'won' then 'rented'
        else 'under_offer'
    end
from rea.deals as d, seed_deals as s
where
    d.client_id = s.client_id and d.id = s.id
    and p.client_id = d.client_id and p.id = d.property_id
    and d.stage in ('won', 'pending_approval', 'approved');

update rea.properties as p set status = 'withdrawn'
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(z.deals + 1, z.properties) as n
where
    p.client_id = pg_temp.uid(z.seed || ':client:' || t)
    and p.id = pg_temp.uid(z.seed || ':property:' || t || ':' || n)
    and n % 20 = 0;

-- Expenses in four currencies; those above the tenant's threshold go through approval.
create temp table seed_expenses on commit drop as
select
    pg_temp.uid(z.seed || ':client:' || t) as client_id,
    pg_temp.uid(z.seed || ':expense:' || t || ':' || e) as id,
    case
        when pg_temp.rnd(z.seed || ':expense-on-property:' || t || ':' || e) < 0.5
            then pg_temp.uid(z.seed || ':property:' || t || ':' || (1 + (e * 3) % z.properties))
    end as property_id,
    pg_temp.uid(z.seed || ':branch:' || t || ':' || (1 + e % z.branches)) as branch_id,
    pg_temp.uid(z.seed || ':user:' || t || ':' || (z.branches + 1)) as recorded_by,
    pg_temp.uid(z.seed || ':user:' || t || ':' || (1 + e % z.branches)) as manager_id,
    pg_temp.pick(
        z.seed || ':category:' || t || ':' || e,
        array[
            'maintenance',
            'maintenance',
            'marketing',
            'marketing',
            'utilities',
            'salaries',
            'legal',
            'travel',
            'office',
            'other'
        ]
    ) as category,
    round((50 + 30000 * power(pg_temp.rnd(z.seed || ':expense-amount:' || t || ':' || e), 3))::numeric, 2) as amount,
    pg_temp.pick(
        z.seed || ':expense-currency:' || t || ':' || e,
        array[
            c.base_currency,
            c.base_currency,
            c.base_currency,
            c.base_currency,
            c.base_currency,
            c.base_currency,
            c.base_currency,
            'USD',
            'EUR',
            'AED'
        ]
    ) as currency,
    (z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':expense-date:' || t || ':' || e))::date as expense_date,
    pg_temp.rnd(z.seed || ':expense-outcome:' || t || ':' || e) as roll,
    c.base_currency,
    c.expense_approval_threshold
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
inner join rea.clients as c on c.id = pg_temp.uid(z.seed || ':client:' || t)
cross join generate_series(1, z.expenses) as e;

alter table seed_expenses add column needs_approval boolean;
update seed_expenses
set needs_approval = rea.convert_amount(amount, currency, base_currency, expense_date) > expense_approval_threshold;

-- What becomes of each expense: at or below the threshold mostly approved at once;
-- above it, by position among the tenant's large expenses, so every outcome occurs:
-- left pending, approval cancelled (still pending), rejected, or (mostly) approved.
alter table seed_expenses add column outcome text;
update seed_expenses as e
set
    outcome = case
        when not e.needs_approval and e.roll < 0.9 then 'approved'
        when not e.needs_approval and e.roll < 0.95 then 'pending'
        when not e.needs_approval then 'rejected'
        when r.n % 10 = 0 then 'pending'
        when r.n % 10 = 1 then 'cancelled'
        when r.n % 10 = 2 then 'rejected'
        else 'approved'
    end
from (
    select
        id,
        row_number() over (partition by client_id, needs_approval order by id) as n
    from seed_expenses
) as r
where r.id = e.id;

analyze seed_expenses;

insert into rea.expenses (
    client_id, id, property_id, branch_id, recorded_by, category, amount, currency,
    expense_date, description, status, created_at
)
select
    e.client_id,
    e.id,
    e.property_id,
    e.branch_id,
    e.recorded_by,
    e.category,
    e.amount,
    e.currency,
    e.expense_date,
    initcap(e.category) || ' expense',
    case when e.outcome = 'approved' and not e.needs_approval then 'approved' else 'pending_approval' end,
    e.expense_date
from seed_expenses as e;

insert into rea.approvals (
    client_id, id, subject_type, expense_id, requested_by, reason, requested_at, created_at
)
select
    e.client_id,
    pg_temp.uid(e.id || ':approval'),
    'expense',
    e.id,
    e.recorded_by,
    'Above the approval threshold',
    e.expense_date,
    e.expense_date
from seed_expenses as e
where e.needs_approval;

update rea.approvals as a
set
    status = case e.outcome when 'approved' then 'approved' when 'rejected' then 'rejected' else 'cancelled' end,
    approver_id = case when e.outcome in ('approved', 'rejected') then e.manager_id end,
    decision_note = case e.outcome when 'approved' then 'Approved' when 'rejected' then 'Not budgeted' end
from seed_expenses as e
where a.client_id = e.client_id and a.expense_id = e.id and e.needs_approval and e.outcome <> 'pending';

update rea.expenses as x set status = e.outcome
from seed_expenses as e
where
    x.client_id = e.client_id and x.id = e.id
    and (e.outcome = 'rejected' or (e.needs_approval and e.outcome = 'approved'));

-- Communications over every channel, with the metadata each channel requires.
insert into rea.communications (
    client_id, id, customer_id, user_id, channel, direction, subject, body, metadata, occurred_at, created_at
)
select
    pg_temp.uid(z.seed || ':client:' || t),
    pg_temp.uid(z.seed || ':communication:' || t || ':' || m),
    pg_temp.uid(z.seed || ':customer:' || t || ':' || (1 + (m * 17) % z.customers)),
    pg_temp.uid(z.seed || ':user:' || t || ':' || (z.branches + 2 + m % (z.users - z.branches - 1))),
    g.channel,
    case when pg_temp.rnd(z.seed || ':direction:' || t || ':' || m) < 0.6 then 'outbound' else 'inbound' end,
    case when g.channel = 'email' then 'Viewing arrangements' end,
    'Discussed viewing times and financing options.',
    case g.channel
        when
            'phone'
            then
                jsonb_build_object(
                    'duration_seconds', 30 + floor(pg_temp.rnd(z.seed || ':duration:' || t || ':' || m) * 900)::int
                )
        when 'email' then jsonb_build_object('message_id', format('<%s.%s@mail.example>', t, m))
        else '{}'::jsonb
    end,
    g.occurred_at,
    g.occurred_at
from seed_sizes as z
cross join generate_series(1, z.tenants) as t
cross join generate_series(1, z.communications) as m
cross join lateral (
    select
        pg_temp.pick(
            z.seed || ':channel:' || t || ':' || m,
            array['phone', 'phone', 'email', 'email', 'sms', 'whatsapp', 'whatsapp', 'meeting', 'portal']
        ) as channel,
        z.since + (z.as_of - z.since) * pg_temp.rnd(z.seed || ':occurred:' || t || ':' || m) as occurred_at
) as g;
