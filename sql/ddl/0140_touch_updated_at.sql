-- rea.touch_updated_at(): the trigger function behind every table's updated_at.
-- The database, not the application, keeps the two timestamps honest: on update,
-- updated_at becomes the transaction's time and created_at keeps its old value
-- whatever the statement tried to write.

create function rea.touch_updated_at()
returns trigger
language plpgsql
volatile
set search_path = ''
as $$
begin
    new.created_at := old.created_at;
    new.updated_at := pg_catalog.now();
    return new;
end;
$$;

comment on function rea.touch_updated_at() is
'BEFORE UPDATE trigger: keeps created_at, sets updated_at to now().';
