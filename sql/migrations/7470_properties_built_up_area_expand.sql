-- Rename rea.properties.area_sqm to built_up_area_sqm, expand step (expand/contract,
-- as pgroll does it; the pattern is in sql/migrations/README.md).
-- Why the rename: REGA's advertising rules ask a listing for the built-up area and, for
-- land and villas, the plot area apart; "area_sqm" has been filled with either, and the
-- plot area comes as its own column next. The column says what it holds from now on.
-- Why not `rename column`: the running application (old code) writes area_sqm, and a
-- rename would break every one of its statements at once. Instead, while old and new
-- code both run:
--   - this step adds built_up_area_sqm (nullable, no default: no rewrite, a brief lock),
--     with the old column's rule as a check `not valid` (validated by 7480 once the
--     backfill is done), and its grants: rea.properties has column-list grants, so
--     without them rea_app could not write it (select is granted on the whole table);
--   - a BEFORE trigger keeps both columns equal: a write to either name reaches the
--     other, so old code and new code see each other's writes;
--   - 7475 backfills the rows that exist, tenant by tenant, in committed batches;
--   - 7490, a later migration, is the contract step: once no code writes area_sqm, it
--     drops the old column and the trigger.
-- Requires: 2050_properties, 6300_grants, 7400_data_migrations (for 7475).

set local role rea_owner;

alter table rea.properties add column built_up_area_sqm numeric(10, 2);

alter table rea.properties
add constraint properties_built_up_area_sqm_check check (built_up_area_sqm > 0) not valid;

comment on column rea.properties.built_up_area_sqm is
'Built-up area in square metres (was area_sqm).';
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

grant insert (built_up_area_sqm), update (built_up_area_sqm) on rea.properties to rea_app;
