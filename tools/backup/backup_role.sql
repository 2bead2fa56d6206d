-- rea_backup: the least-privileged group role for logical backups, set up once per
-- cluster by a superuser (it is not a step: roles are cluster-wide, steps from 6000 on
-- run as rea_owner, and only a superuser may give the two privileges below):
--   psql -X -v ON_ERROR_STOP=1 -d postgres -f tools/backup/backup_role.sql
--   create role backup_login login password '...' in role rea_backup;
--   pg_dump -Fc --role=rea_backup -U backup_login -d DB -f DB.dump
--   pg_dumpall --roles-only --no-role-passwords --role=rea_backup -U backup_login > roles.sql
-- --role matters: BYPASSRLS is a role attribute, and attributes are not inherited through
-- membership. pg_dump's --role runs `set role rea_backup` first, so the login itself
-- holds nothing and stays a plain member.
-- What pg_dump -Fc of a readb database and pg_dumpall --roles-only --no-role-passwords
-- need, and nothing more:
--   pg_read_all_data  select on every table and sequence and usage on every schema, the
--                     runner's readb schema included (without it: "permission denied for
--                     schema readb");
--   bypassrls         pg_dump reads with row_security = off and stops at the first FORCE
--                     RLS table (audit.seals) otherwise; with --enable-row-security it
--                     would dump only the rows some policy shows it: an incomplete backup
--                     that looks complete.
-- It cannot write, create, log in or grant; it reads every tenant, which a backup must.
-- Idempotent: run it again after a restore of the roles, or to repair the attributes.

do $$
begin
    if not exists (select from pg_catalog.pg_roles where rolname = 'rea_backup') then
        create role rea_backup nologin;
    end if;
end;
$$;

alter role rea_backup nologin nosuperuser nocreatedb nocreaterole noreplication bypassrls;
grant pg_read_all_data to rea_backup;
comment on role rea_backup is 'Logical backups: pg_read_all_data and BYPASSRLS, nothing else.';
