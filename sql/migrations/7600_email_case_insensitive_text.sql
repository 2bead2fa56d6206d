-- E-mail addresses (rea.customers.email, rea.users.email) become text under a
-- case-insensitive, nondeterministic ICU collation instead of citext; the columns keep
-- their names, their values, their grants and their case-insensitive equality and
-- uniqueness.
--
-- Why: row-level security only pushes a condition below its policy, into an index
-- scan, when the condition's operator is LEAKPROOF; citext's = (citext_eq) is not, so
-- under RLS "customers by e-mail" scanned every customer of the tenant instead of
-- using customers_email_idx (22x slower than the same query with client_id written in,
-- issue 13). text's comparison functions (texteq, bttextcmp, ...) are LEAKPROOF, and
-- under a nondeterministic collation they compare 'A@X.SA' = 'a@x.sa' as true, so the
-- policies and the lookup share one index scan. tests/test_rls_catalog.py now forbids
-- any index on a tenant table whose operators RLS cannot push down.
--
-- A collation needs only CREATE on its schema (rea_owner owns rea), not a superuser.
-- Regular expressions and LIKE refuse nondeterministic collations, so the shape checks
-- compare under "C"; a LIKE on these columns must say `email collate "C"` (or use
-- lower()); docs/contract.md says so. ICU records the collation's version: after an
-- ICU upgrade PostgreSQL warns and the two e-mail indexes must be reindexed.
--
-- Locking: ACCESS EXCLUSIVE on each table until the commit. citext is binary coercible
-- to text, so the table is not rewritten; the e-mail index is rebuilt and the check
-- scans the rows (about a second for 300,000 customers). Views: none reads these
-- columns. The blind index (customers' national_id_hmac) is untouched.
-- Requires: 2040_customers, 2020_users, 6040_text_lengths; the citext extension stays
-- (0110_extensions), for the revert.

set local role rea_owner;

create collation rea.case_insensitive (
    provider = icu, locale = 'und-u-ks-level2', deterministic = false
);

comment on collation rea.case_insensitive is
'ICU, strength 2: equal when only the letter case differs. E-mail addresses: leakproof text operators.';

-- The check is dropped first, its regular expression would fail under the new
-- collation, and added again in the same transaction. The type change holds ACCESS
-- EXCLUSIVE until the commit anyway (see the header), so a NOT VALID check validated
-- later would shorten no lock.
-- squawk-ignore ban-drop-constraint
alter table rea.customers drop constraint customers_email_check;
-- squawk-ignore changing-column-type
alter table rea.customers alter column email type text collate rea.case_insensitive;
-- squawk-ignore constraint-missing-not-valid
alter table rea.customers add constraint customers_email_check
check (email collate "C" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254);

-- squawk-ignore ban-drop-constraint
alter table rea.users drop constraint users_email_check;
-- squawk-ignore changing-column-type
alter table rea.users alter column email type text collate rea.case_insensitive;
-- squawk-ignore constraint-missing-not-valid
alter table rea.users add constraint users_email_check
check (email collate "C" ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 254);

comment on column rea.customers.email is
'E-mail address; compared ignoring letter case (collation rea.case_insensitive). LIKE needs email collate "C".';
comment on column rea.users.email is
'E-mail address, unique per tenant ignoring letter case (collation rea.case_insensitive).';
