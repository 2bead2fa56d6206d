-- Revert 6100_audit_log.

drop function audit.drop_expired_partitions(timestamptz);
drop function audit.create_partitions(integer);
drop table audit.audit_logs;
drop function audit.refuse_change();
drop table audit.settings;
