-- Reverts 7620_skip_unchanged_updates: the triggers and their function go.

set local role rea_owner;

do $$
declare
    t record;
begin
    for t in
        select g.tgname, g.tgrelid::regclass as target
        from pg_catalog.pg_trigger as g
        where g.tgfoid = 'rea.skip_unchanged_update()'::regprocedure
    loop
        execute pg_catalog.format('drop trigger %I on %s', t.tgname, t.target);
    end loop;
end;
$$;

drop function rea.skip_unchanged_update();
