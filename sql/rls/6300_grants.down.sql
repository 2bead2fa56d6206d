-- Takes back every grant of 6300_grants and restores PostgreSQL's defaults (PUBLIC
-- may execute functions and use the schemas' types; the owner holds every privilege).

set local role rea_owner;

revoke all on all routines in schema rea, audit, reporting from rea_app, rea_reporting, rea_auditor;
revoke all on all tables in schema rea, audit, reporting from rea_app, rea_reporting, rea_auditor;
revoke all on schema rea, audit, reporting from rea_app, rea_reporting, rea_auditor;

grant update, delete, truncate on audit.audit_logs, audit.seals to rea_owner;
grant insert, delete, truncate on rea.clients to rea_owner;

alter default privileges for role rea_owner grant usage on types to public;
alter default privileges for role rea_owner grant execute on functions to public;

grant execute on all routines in schema rea, audit, reporting to public;
