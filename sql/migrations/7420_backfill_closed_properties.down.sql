-- 7420_backfill_closed_properties changed data, not schema: there is nothing to revert.
-- (Which property was "available" before it was marked sold is in the audit trail.)
select 1;
