-- Reverts 7640_cascades_write_only_changes: the row trigger of 2120_bookings and the
-- function bodies of 2120 and 7410 again.

set local role rea_owner;

drop trigger bookings_property_status_insert on rea.bookings;
drop trigger bookings_property_status_update on rea.bookings;

create or replace function rea.bookings_sync_property_status()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if new.status = 'ACTIVE' and (tg_op = 'INSERT' or old.status <> 'ACTIVE') then
        update rea.properties set status = 'reserved'
        where client_id = new.client_id and id = new.property_id and status = 'available';
    elsif tg_op = 'UPDATE' and old.status = 'ACTIVE' and new.status <> 'ACTIVE' then
        update rea.properties set status = 'available'
        where client_id = new.client_id and id = new.property_id and status = 'reserved';
    end if;
    return null;
end;
$$;

comment on function rea.bookings_sync_property_status() is
'AFTER INSERT OR UPDATE on rea.bookings: an ACTIVE booking reserves its property, and releases it when it ends.';

create trigger bookings_property_status
after insert or update of status on rea.bookings
for each row execute function rea.bookings_sync_property_status();

create or replace function rea.deals_close_property()
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
