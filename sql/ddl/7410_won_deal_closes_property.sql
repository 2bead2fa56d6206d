-- A won deal closes its property: a won sale marks it sold, a won rental rented.
-- Until now agents had to change the status by hand, and often did not, so a sold
-- property stayed "available" to book and to list. Set-based: one statement-level
-- AFTER UPDATE trigger with transition tables updates, in one statement, the property of
-- every deal that the statement moved to won (a property whose status is already right
-- is left alone, so it writes, and audits, nothing). It runs as the caller, so the
-- application's grants and row-level security apply to the property's update too.
-- The deals won before this step are backfilled by 7420_backfill_closed_properties.
-- Requires: 2050_properties, 2070_deals, 2100_deal_workflow.

set local role rea_owner;

create function rea.deals_close_property()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    update rea.properties as p
    set status = w.closed_status
    from (
        select distinct on (n.client_id, n.property_id)
            n.client_id,
            n.property_id,
            case n.deal_type when 'sale' then 'sold' else 'rented' end as closed_status
        from new_deals as n
        inner join old_deals as o on n.client_id = o.client_id and n.id = o.id
        where n.stage = 'won' and o.stage <> 'won'
        order by n.client_id, n.property_id, n.closed_at desc, n.id desc
    ) as w
    where
        p.client_id = w.client_id
        and p.id = w.property_id
        and p.status <> w.closed_status;
    return null;
end;
$$;

comment on function rea.deals_close_property() is
'AFTER UPDATE on rea.deals, per statement: the property of a deal moved to won becomes sold (sale) or rented (rental).';

create trigger deals_close_property
after update on rea.deals
referencing old table as old_deals new table as new_deals
for each statement execute function rea.deals_close_property();
