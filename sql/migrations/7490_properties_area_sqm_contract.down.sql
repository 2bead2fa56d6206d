-- Revert 7490_properties_area_sqm_contract: area_sqm comes back, filled from
-- built_up_area_sqm, with its check, grants, deprecation note and the sync trigger of
-- 7470, so old code could run again.
-- stairway: column order of rea.properties
-- (PostgreSQL adds a column at the end of the table: area_sqm comes back after
-- built_up_area_sqm, not where it was. tests/test_stairway.py compares that table's
-- columns as a set for this step, everything else exactly.)
-- The copy runs tenant by tenant with the tenant set: RLS is forced for rea_owner too.

set local role rea_owner;

alter table rea.properties add column area_sqm numeric(10, 2);

do $$
declare
    tenant uuid;
begin
    for tenant in select c.id from rea.clients as c order by c.id loop
        perform pg_catalog.set_config('app.client_id', tenant::text, true);
        update rea.properties as p set area_sqm = p.built_up_area_sqm
        where p.client_id = tenant and p.built_up_area_sqm is not null;
    end loop;
    perform pg_catalog.set_config('app.client_id', '', true);
end;
$$;

alter table rea.properties
add constraint properties_area_sqm_check check (area_sqm > 0) not valid;
-- A revert restores the rule as it was, validated; the table is scanned once.
-- squawk-ignore constraint-missing-not-valid
alter table rea.properties validate constraint properties_area_sqm_check;

comment on column rea.properties.area_sqm is
'Deprecated: the old name of built_up_area_sqm, kept equal to it by a trigger until 7490 drops it.';

create function rea.properties_sync_built_up_area()
returns trigger
language plpgsql
volatile
set search_path = pg_catalog, pg_temp
as $$
begin
    if tg_op = 'INSERT' then
        if new.built_up_area_sqm is null then
            new.built_up_area_sqm := new.area_sqm;                -- old code
        elsif new.area_sqm is null then
            new.area_sqm := new.built_up_area_sqm;                -- new code
        elsif new.area_sqm <> new.built_up_area_sqm then
            raise exception 'area_sqm and built_up_area_sqm differ: write one of them'
                using errcode = 'check_violation', constraint = 'properties_built_up_area_sqm_check';
        end if;
    elsif new.built_up_area_sqm is distinct from old.built_up_area_sqm then
        new.area_sqm := new.built_up_area_sqm;                    -- new code wrote it
    elsif new.area_sqm is distinct from old.area_sqm then
        new.built_up_area_sqm := new.area_sqm;                    -- old code wrote it
    elsif new.built_up_area_sqm is null then
        new.built_up_area_sqm := new.area_sqm;                    -- not backfilled yet
    end if;
    return new;
end;
$$;

comment on function rea.properties_sync_built_up_area() is
'BEFORE INSERT OR UPDATE on rea.properties while area_sqm is renamed: a write to either name reaches the other.';

create trigger properties_sync_built_up_area
before insert or update on rea.properties
for each row execute function rea.properties_sync_built_up_area();

grant insert (area_sqm), update (area_sqm) on rea.properties to rea_app;
