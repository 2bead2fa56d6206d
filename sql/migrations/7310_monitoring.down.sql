-- Revert 7310_monitoring: the event trigger (as the superuser that created it), then the
-- schema with everything in it.

do $$ begin execute 'drop event trigger monitoring_record_refresh'; end $$;  -- sqlfluff cannot parse it

set local role rea_owner;

drop schema monitoring cascade;
