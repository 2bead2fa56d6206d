-- Reverts 7600_email_case_insensitive_text: the e-mail columns are citext again, with
-- the checks of 6040_text_lengths, and the collation goes.

set local role rea_owner;

comment on column rea.customers.email is null;
comment on column rea.users.email is null;

-- As in the forward step (see there), in one transaction.
-- squawk-ignore ban-drop-constraint
alter table rea.customers drop constraint customers_email_check;
-- squawk-ignore changing-column-type
alter table rea.customers alter column email type public.citext collate "default";
-- squawk-ignore constraint-missing-not-valid
alter table rea.customers add constraint customers_email_check
check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email::text) <= 254);

-- squawk-ignore ban-drop-constraint
alter table rea.users drop constraint users_email_check;
-- squawk-ignore changing-column-type
alter table rea.users alter column email type public.citext collate "default";
-- squawk-ignore constraint-missing-not-valid
alter table rea.users add constraint users_email_check
check (email::text ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email::text) <= 254);

drop collation rea.case_insensitive;
