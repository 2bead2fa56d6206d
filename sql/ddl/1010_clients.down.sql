-- Revert 1010_clients.

drop table rea.clients;
