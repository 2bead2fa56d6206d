-- Revert 2130_communications.

drop table rea.communications;
drop function rea.communications_check_occurred_at();
