-- Removes the audit triggers from every rea table, then the functions.

do $$
declare
    doomed record;
begin
    for doomed in
        select t.tgname, t.tgrelid::regclass as target
        from pg_catalog.pg_trigger as t
        inner join pg_catalog.pg_class as c on t.tgrelid = c.oid
        where
            c.relnamespace = 'rea'::regnamespace
            and (
                t.tgfoid = 'audit.log_changes()'::regprocedure
                or (t.tgfoid = 'audit.refuse_change()'::regprocedure and t.tgname like '%\_no\_truncate')
            )
    loop
        execute format('drop trigger %I on %s', doomed.tgname, doomed.target);
    end loop;
end;
$$;

drop procedure audit.audit_table(regclass, text, text[], text[]);
drop function audit.log_changes();
drop function audit.stamp();
