-- readb:superuser
-- Revert 7570_audit_trigger_guard.

do $$  -- sqlfluff cannot parse drop event trigger
begin
    execute 'drop event trigger audit_triggers_not_dropped';
    execute 'drop event trigger audit_triggers_kept';
end;
$$;
drop function audit.guard_audit_triggers();
