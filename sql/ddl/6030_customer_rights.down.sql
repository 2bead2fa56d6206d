-- Revert 6030_customer_rights.

drop function rea.apply_customer_retention(timestamptz);
drop function rea.export_customer(uuid);
drop function rea.erase_customer(uuid);
