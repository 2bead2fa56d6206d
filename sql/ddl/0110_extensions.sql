-- Extensions, kept out of `rea` so that it holds only our objects:
--   pgcrypto    gen_random_bytes(), pgp_sym_encrypt() and hmac() for personal data
--   btree_gist  plain columns in exclusion constraints (non-overlapping periods per key)
--   citext      case-insensitive text (e-mail addresses)
-- pgcrypto and btree_gist live in schema `extensions`: functions that set search_path
-- to '' call them schema-qualified (extensions.gen_random_bytes(...)), and operator
-- classes are found by type, whatever the search_path. citext goes to `public`
-- instead: its comparison operators must be visible on the default search_path, or
-- `email = 'A@X'` silently resolves to text = text and compares case-sensitively.
-- All three are trusted extensions.

create schema if not exists extensions;
comment on schema extensions is 'Extensions used by the REA INVEST schema.';

create extension if not exists pgcrypto with schema extensions;
create extension if not exists btree_gist with schema extensions;
create extension if not exists citext with schema public;
