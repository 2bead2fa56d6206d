-- Reverts 7700_distributable_keys: migrations.batches is keyed by id alone again.
set local role rea_owner;

alter table migrations.batches
drop constraint batches_pkey,
add constraint batches_pkey primary key (id);
