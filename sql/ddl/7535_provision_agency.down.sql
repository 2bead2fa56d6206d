-- Revert 7535_provision_agency.

set local role rea_owner;

revoke usage on schema rea from rea_operator;
drop function rea.provision_agency(text, text, text, text);
drop policy clients_owner_insert on rea.clients;
revoke insert (id, name, base_currency) on rea.clients from rea_owner;
