-- Back to the conditions without length bounds.

alter table rea.properties
drop constraint properties_city_check,
add constraint properties_city_check check (btrim(city) <> '');

alter table rea.customers
drop constraint customers_email_check,
add constraint customers_email_check check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
drop constraint customers_full_name_check,
add constraint customers_full_name_check check (btrim(full_name) <> '');

alter table rea.roles
drop constraint roles_name_check,
add constraint roles_name_check check (btrim(name) <> '');

alter table rea.users
drop constraint users_email_check,
add constraint users_email_check check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');

alter table rea.branches
drop constraint branches_name_check,
add constraint branches_name_check check (btrim(name) <> '');
