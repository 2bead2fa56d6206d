-- Revert 7480_properties_built_up_area_validate: the check becomes `not valid` again.
-- PostgreSQL has no "invalidate constraint", so it is dropped and added back at once,
-- not valid (a brief lock, no scan).

set local role rea_owner;

-- squawk-ignore ban-drop-constraint
alter table rea.properties drop constraint properties_built_up_area_sqm_check;
alter table rea.properties
add constraint properties_built_up_area_sqm_check check (built_up_area_sqm > 0) not valid;
