-- Revert 2020_users.

drop table rea.users;
