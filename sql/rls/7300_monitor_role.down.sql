-- Revert 7300_monitor_role: drops pg_stat_statements and the grants on the runner's
-- bookkeeping. The role stays, like the roles of 0100_roles: roles are cluster-wide and
-- another database of the cluster may use it.

revoke select on readb.applied_steps from rea_owner, rea_monitor;
revoke usage on schema readb from rea_owner, rea_monitor;

drop extension if exists pg_stat_statements;
