-- Drops every policy of 6310_policies and turns row-level security off again.

do $$
declare
    doomed record;
begin
    for doomed in
        select p.policyname, format('%I.%I', p.schemaname, p.tablename) as target
        from pg_catalog.pg_policies as p
        where p.schemaname in ('rea', 'audit')
    loop
        execute format('drop policy %I on %s', doomed.policyname, doomed.target);
    end loop;
end;
$$;

alter table audit.seals no force row level security, disable row level security;
alter table audit.audit_logs no force row level security, disable row level security;
alter table rea.communications no force row level security, disable row level security;
alter table rea.bookings no force row level security, disable row level security;
alter table rea.approvals no force row level security, disable row level security;
alter table rea.expenses no force row level security, disable row level security;
alter table rea.deals no force row level security, disable row level security;
alter table rea.commission_rules no force row level security, disable row level security;
alter table rea.properties no force row level security, disable row level security;
alter table rea.customers no force row level security, disable row level security;
alter table rea.user_roles no force row level security, disable row level security;
alter table rea.role_permissions no force row level security, disable row level security;
alter table rea.roles no force row level security, disable row level security;
alter table rea.users no force row level security, disable row level security;
alter table rea.branches no force row level security, disable row level security;
alter table rea.clients no force row level security, disable row level security;
