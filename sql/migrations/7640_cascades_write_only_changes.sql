-- The two other cascades that wrote from triggers issue their UPDATE only when it
-- changes a row:
--
-- - rea.bookings_sync_property_status() (2120: an ACTIVE booking reserves its property,
--   and releases it when it ends) was a row trigger running one UPDATE of
--   rea.properties per booking inserted or updated into or out of ACTIVE, even when the
--   property already had that status. It becomes two statement-level triggers with
--   transition tables (bookings_property_status_insert, _update): one query finds the
--   properties the statement's bookings move, the one UPDATE runs only when some
--   property's status differs.
-- - rea.deals_close_property() (7410: a won deal closes its property) ran its UPDATE of
--   rea.properties after every UPDATE of rea.deals, won or not; it now returns at once
--   when the statement moved no deal to won.
--
-- Why: an UPDATE that matches no row still fires the properties' statement-level audit
-- trigger (audit.log_changes()); in issue 13's seed profile such empty cascades were
-- most of the audit trigger's 314,000 calls. Row-level security and the grants apply as
-- before: both run as the caller. A statement that both releases and activates bookings
-- of one property (never, with one ACTIVE booking per property) would set it once.
-- Requires: 2120_bookings, 7410_won_deal_closes_property.

set local role rea_owner;

create or replace function rea.bookings_sync_property_status()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
declare
    moves text;
    to_change boolean;
begin
    -- the properties this statement's bookings move: from_status -> to_status
    if tg_op = 'INSERT' then
        moves := 'select n.client_id, n.property_id, ''available'' as from_status, ''reserved'' as to_status'
            ' from new_bookings as n where n.status = ''ACTIVE''';
    else
        moves := 'select n.client_id, n.property_id,'
            ' case when n.status = ''ACTIVE'' then ''available'' else ''reserved'' end as from_status,'
            ' case when n.status = ''ACTIVE'' then ''reserved'' else ''available'' end as to_status'
            ' from new_bookings as n'
            ' inner join old_bookings as o on n.client_id = o.client_id and n.id = o.id'
            ' where (n.status = ''ACTIVE'') <> (o.status = ''ACTIVE'')';
    end if;
    execute 'select exists (select from (' || moves || ') as m inner join rea.properties as p'
        ' on p.client_id = m.client_id and p.id = m.property_id and p.status = m.from_status)'
    into to_change;
    if to_change then
        execute 'update rea.properties as p set status = m.to_status from (' || moves || ') as m'
            ' where p.client_id = m.client_id and p.id = m.property_id and p.status = m.from_status';
    end if;
    return null;
end;
$$;

comment on function rea.bookings_sync_property_status() is
'AFTER INSERT / UPDATE statement triggers on rea.bookings (new_bookings, old_bookings): an ACTIVE booking '
'reserves its property, and releases it when it ends; one UPDATE, only when a status changes.';

drop trigger bookings_property_status on rea.bookings;

create trigger bookings_property_status_insert
after insert on rea.bookings
referencing new table as new_bookings
for each statement execute function rea.bookings_sync_property_status();

create trigger bookings_property_status_update
after update on rea.bookings
referencing old table as old_bookings new table as new_bookings
for each statement execute function rea.bookings_sync_property_status();

create or replace function rea.deals_close_property()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if not exists (
        select from new_deals as n
        inner join old_deals as o on n.client_id = o.client_id and n.id = o.id
        where n.stage = 'won' and o.stage <> 'won'
    ) then
        return null;  -- no deal won: no UPDATE, so no audit trigger fires on rea.properties
    end if;
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
