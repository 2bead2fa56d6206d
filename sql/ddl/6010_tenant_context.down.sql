-- Revert 6010_tenant_context.

drop function rea.current_actor_id();
drop function rea.current_client_id();
