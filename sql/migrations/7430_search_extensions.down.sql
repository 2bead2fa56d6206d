-- readb:superuser
-- Revert 7430_search_extensions (7440 and 7450, whose indexes use them, are reverted
-- before it).

drop extension if exists btree_gin;
drop extension if exists pg_trgm;
