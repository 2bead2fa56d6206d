-- Extensions, kept in their own schema so that `rea` holds only our objects:
--   pgcrypto    gen_random_bytes(), pgp_sym_encrypt() and hmac() for personal data
--   btree_gist  plain columns in exclusion constraints (non-overlapping periods per key)
--   citext      case-insensitive text (e-mail addresses)
-- All three are trusted extensions. Functions that set search_path to '' call them
-- schema-qualified, as extensions.gen_random_bytes(...).

create schema if not exists extensions;
comment on schema extensions is 'Extensions used by the REA INVEST schema.';

create extension if not exists pgcrypto with schema extensions;
create extension if not exists btree_gist with schema extensions;
create extension if not exists citext with schema extensions;
