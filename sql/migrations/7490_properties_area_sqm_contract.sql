-- Rename rea.properties.area_sqm to built_up_area_sqm, contract step (the expand step
-- is 7470; the pattern is in sql/migrations/README.md). Applied once every
-- application instance runs the code that writes and reads built_up_area_sqm only
-- (the release after the one that shipped with 7470): nothing writes area_sqm any
-- more, so the column, its check (properties_area_sqm_check goes with it), its grants
-- and the trigger that kept it in sync are dropped. DROP COLUMN takes an ACCESS
-- EXCLUSIVE lock for an instant (no rewrite; the space is reclaimed as rows are
-- rewritten). An application statement that still names area_sqm fails from here on
-- with 42703: that is why this is a separate, later migration.
-- Requires: 7480_properties_built_up_area_validate.

set local role rea_owner;

drop trigger properties_sync_built_up_area on rea.properties;
-- squawk-ignore ban-drop-function
drop function rea.properties_sync_built_up_area();  -- only the trigger above called it
-- squawk-ignore ban-drop-column
alter table rea.properties drop column area_sqm;  -- the contract step: no code uses it now
