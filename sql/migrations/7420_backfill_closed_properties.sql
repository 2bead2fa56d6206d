-- readb:no-transaction
-- Backfill for 7410_won_deal_closes_property: the properties of deals won before that
-- step get the status their latest won deal gives them (sold or rented). Tenant by
-- tenant, in batches of 500 committed separately (migrations.each_tenant, 7400), so the
-- rules, RLS and the audit trail apply and a rerun resumes: each batch takes only
-- properties whose status is still not the one their latest won deal gives. The
-- explicit tenant filter matters: rea_owner reads every tenant, and a batch full of
-- another tenant's rows, which its update policy skips, would end the tenant early.
call migrations.each_tenant(
    '7420_backfill_closed_properties',
    $$
    with latest as (
        select distinct on (d.property_id)
            d.client_id,
            d.property_id,
            case d.deal_type when 'sale' then 'sold' else 'rented' end as closed_status
        from rea.deals as d
        where d.stage = 'won' and d.client_id = rea.current_client_id()
        order by d.property_id, d.closed_at desc, d.id desc
    ),

    todo as (
        select l.client_id, l.property_id, l.closed_status
        from latest as l
        inner join rea.properties as p on l.client_id = p.client_id and l.property_id = p.id
        where p.status <> l.closed_status
        limit $1
    )

    update rea.properties as p
    set status = t.closed_status
    from todo as t
    where p.client_id = t.client_id and p.id = t.property_id
    $$,
    500,
    expect_rows => false
);
