-- Ownership: rea_owner owns the three schemas of the contract and everything in them.
-- The steps before this one ran as the rollout user (creating roles and extensions needs
-- more than rea_owner may do); this step hands their objects over, and every later step
-- begins with `set local role rea_owner;`, so what it creates is rea_owner's from the
-- start. A catalog test fails for any object in rea, audit or reporting that another
-- role owns.
-- Nothing here is granted: 6300_grants revokes PUBLIC's defaults and grants each role
-- what it needs.
-- Requires: 0100_roles, and every step before this one (it takes what exists).

do $$
declare
    target record;
begin
    for target in
        select format('alter schema %I owner to rea_owner', nspname) as ddl
        from pg_catalog.pg_namespace
        where nspname in ('rea', 'audit', 'reporting')
        union all
        select format(
            'alter %s %I.%I owner to rea_owner',
            case c.relkind
                when 'v' then 'view'
                when 'm' then 'materialized view'
                when 'S' then 'sequence'
                else 'table'
            end,
            n.nspname,
            c.relname
        )
        from pg_catalog.pg_class as c
        inner join pg_catalog.pg_namespace as n on c.relnamespace = n.oid
        where n.nspname in ('rea', 'audit', 'reporting') and c.relkind in ('r', 'p', 'v', 'm', 'S')
        union all
        select format('alter routine %s owner to rea_owner', p.oid::regprocedure)
        from pg_catalog.pg_proc as p
        inner join pg_catalog.pg_namespace as n on p.pronamespace = n.oid
        where n.nspname in ('rea', 'audit', 'reporting')
        union all
        select format('alter type %s owner to rea_owner', t.oid::regtype)
        from pg_catalog.pg_type as t
        inner join pg_catalog.pg_namespace as n on t.typnamespace = n.oid
        where
            n.nspname in ('rea', 'audit', 'reporting')
            and t.typtype in ('d', 'e', 'r')  -- composite row types go with their tables
    loop
        execute target.ddl;
    end loop;
end;
$$;

-- The extensions' schema stays the rollout user's. rea_owner's functions call pgcrypto
-- there (schema-qualified, under search_path ''), and so does rea_app through
-- rea.customer_identifiers(); nobody else needs it.
grant usage on schema extensions to rea_owner, rea_app;
