-- Revert 7470_properties_built_up_area_expand: the trigger, its function, the column
-- (its check and grants go with it) and the deprecation note.

set local role rea_owner;

drop trigger properties_sync_built_up_area on rea.properties;
drop function rea.properties_sync_built_up_area();
alter table rea.properties drop column built_up_area_sqm;
comment on column rea.properties.area_sqm is null;
