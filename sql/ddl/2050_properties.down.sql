-- Revert 2050_properties.

drop table rea.properties;
