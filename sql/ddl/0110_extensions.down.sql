-- Revert 0110_extensions. An extension that was already installed elsewhere before
-- 0110 ran (so `if not exists` skipped it) is dropped all the same.

drop extension if exists citext;
drop extension if exists btree_gist;
drop extension if exists pgcrypto;
drop schema if exists extensions;
