-- Revert 0130_uuid_v7.

drop function rea.uuid_v7();
