-- Reverts 7400_data_migrations: the procedure, its record of batches and the schema.
set local role rea_owner;

drop procedure migrations.each_tenant(text, text, integer, boolean);
drop table migrations.batches;
drop schema migrations;
