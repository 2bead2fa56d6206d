-- Validate properties_built_up_area_sqm_check (added `not valid` by 7470) now that
-- 7475 has filled the column: VALIDATE CONSTRAINT scans the table under a SHARE UPDATE
-- EXCLUSIVE lock, which lets reads and writes go on (adding the check valid in 7470
-- would have scanned under ACCESS EXCLUSIVE and blocked them for the whole scan). From
-- here on the planner and pg_dump know the rule holds for every row.
-- Requires: 7475_properties_built_up_area_backfill.

set local role rea_owner;

alter table rea.properties validate constraint properties_built_up_area_sqm_check;
