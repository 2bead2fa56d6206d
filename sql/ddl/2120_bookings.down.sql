-- Revert 2120_bookings.

drop table rea.bookings;
drop function rea.bookings_sync_property_status();
drop function rea.bookings_enforce_workflow();
