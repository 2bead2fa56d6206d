-- readb:superuser
-- Extensions for property search (7440, 7450, 7460), in schema `extensions` beside
-- pgcrypto and btree_gist (0110):
--   pg_trgm    trigram matching of words in title and district, in Arabic and English
--              (the database's ctype, C.UTF-8 or a UTF-8 locale, classes Arabic letters
--              as letters; in ctype "C" pg_trgm would see no Arabic word at all);
--   btree_gin  plain columns (client_id) in a GIN index, so the search indexes lead with
--              the tenant like every index on a tenant table (tests/test_rls_catalog.py).
-- Why a superuser: CREATE EXTENSION needs CREATE on the database, which the rollout
-- login may lack and rea_owner does not hold (both are trusted extensions, so a
-- database owner could do it too). It is its own step so the superuser part stays this
-- small.
-- Requires: 0110_extensions.

create extension if not exists pg_trgm with schema extensions;
create extension if not exists btree_gin with schema extensions;
