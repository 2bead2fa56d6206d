-- Upper bounds on the indexed text columns that had none. A value whose index entry is
-- larger than a B-tree page allows (about 2,700 bytes, less once compression fails on
-- Arabic or CJK text) used to fail with 54000 (program_limit_exceeded) from the index,
-- not with the named rule the application maps to a message. The bounds are generous:
-- 200 characters for a name or a city (as clients_name_check has), 254 for an e-mail
-- address (RFC 5321's limit on a path). The constraints keep their names; each gains
-- the length bound beside its old condition.
-- Requires: 2010_branches, 2020_users, 2030_roles, 2040_customers, 2050_properties.

set local role rea_owner;

alter table rea.branches
drop constraint branches_name_check,
add constraint branches_name_check check (btrim(name) <> '' and length(name) <= 200);

alter table rea.users
drop constraint users_email_check,
add constraint users_email_check
check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email::text) <= 254);

alter table rea.roles
drop constraint roles_name_check,
add constraint roles_name_check check (btrim(name) <> '' and length(name) <= 200);

alter table rea.customers
drop constraint customers_full_name_check,
add constraint customers_full_name_check check (btrim(full_name) <> '' and length(full_name) <= 200),
drop constraint customers_email_check,
add constraint customers_email_check
check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email::text) <= 254);

alter table rea.properties
drop constraint properties_city_check,
add constraint properties_city_check check (btrim(city) <> '' and length(city) <= 200);
