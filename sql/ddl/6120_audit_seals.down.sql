-- Revert 6120_audit_seals.

drop function audit.verify_seals();
drop function audit.seal_days(date);
drop function audit.day_hashes(date, date);
drop function audit.row_hash(audit.audit_logs);
drop table audit.seals;
