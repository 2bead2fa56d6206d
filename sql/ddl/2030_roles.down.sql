-- Revert 2030_roles.

drop table rea.user_roles;
drop table rea.role_permissions;
drop table rea.roles;
drop table rea.permissions;
