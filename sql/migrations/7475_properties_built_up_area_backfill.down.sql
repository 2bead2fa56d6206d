-- 7475_properties_built_up_area_backfill changed data, not schema: nothing in the
-- schema to revert (7470's revert drops the column it filled). Its record of batches
-- goes, so that a rerun reports what it changes then, not what this run changed.

set local role rea_owner;

delete from migrations.batches
where migration = '7475_properties_built_up_area_backfill';
