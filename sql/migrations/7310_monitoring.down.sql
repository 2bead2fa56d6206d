-- Revert 7310_monitoring: the event trigger (as the superuser that created it), then the
-- schema with everything in it.

do $$ begin execute 'drop event trigger monitoring_record_refresh'; end $$;  -- sqlfluff cannot parse it

set local role rea_owner;

-- reverting drops what the step created; only monitoring's readers use it
-- squawk-ignore ban-drop-schema
drop schema monitoring cascade;
