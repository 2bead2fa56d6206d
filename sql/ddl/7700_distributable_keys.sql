-- The key of migrations.batches includes client_id, so the table can be distributed by
-- tenant on Citus (a distributed table's primary key and unique constraints must include
-- its distribution column; tests/test_distributable.py lists the rules). Ids stay unique
-- (they come from one sequence); the key is now (client_id, id), client_id first as in
-- every tenant table.
-- Requires: 7400_data_migrations.

set local role rea_owner;

alter table migrations.batches
drop constraint batches_pkey,
add constraint batches_pkey primary key (client_id, id);
