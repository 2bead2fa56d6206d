-- Privileges: least privilege for the contract's roles, nothing for PUBLIC.
--   rea_app        the application: reads reference tables; reads, inserts and updates
--                  tenant tables under RLS (6310_policies); deletes only the two join
--                  tables, where a hard delete is the right way to take a permission or
--                  role away; calls the functions meant for it. No TRUNCATE, no DDL.
--   rea_reporting  the tenant-filtered reporting views, nothing else.
--   rea_auditor    the audit trail and its seals, nothing else.
-- Column grants keep columns the application must not write out of its reach: ids
-- (generated), client_id after insert (RLS checks it on insert), created_at and
-- updated_at (stamped), computed and workflow-stamped columns, encrypted identifiers
-- and the erasure mark (only through their functions).
-- The audit trail is append-only for rea_owner as well: its UPDATE, DELETE and TRUNCATE
-- are revoked (and refused by triggers, 6100).
-- Default privileges: nothing rea_owner creates later is granted to PUBLIC or to any
-- role until a step grants it. Tables and sequences are private by default already;
-- functions and types are not, so their PUBLIC defaults are revoked.
-- Requires: every step before it.

set local role rea_owner;

revoke all on schema rea, audit, reporting from public;
revoke all on all tables in schema rea, audit, reporting from public;
revoke all on all sequences in schema rea, audit, reporting from public;
revoke all on all routines in schema rea, audit, reporting from public;  -- procedures too

alter default privileges for role rea_owner revoke execute on functions from public;
alter default privileges for role rea_owner revoke usage on types from public;

-- Tenants are provisioned by the operator's login, not by functions running as the owner,
-- and closed (status), never deleted: their rows must outlive them for retention.
revoke insert, delete, truncate on rea.clients from rea_owner;

-- The trail stays as written, even for its owner.
revoke update, delete, truncate on audit.audit_logs, audit.seals from rea_owner;

-- rea_app ------------------------------------------------------------------------------

grant usage on schema rea, reporting to rea_app;

-- Reference data shared by all tenants: read-only.
grant select on rea.currencies, rea.fx_rates, rea.permissions, rea.deal_stage_transitions to rea_app;

-- rea.clients: its own tenant row (RLS); the tenant's settings, not its identity or
-- status. Not its name either: clients_name_key is unique across tenants, so a rename
-- refused as a duplicate would tell one agency that another is a client.
grant select on rea.clients to rea_app;
grant update (expense_approval_threshold, customer_retention) on rea.clients to rea_app;

-- rea.branches
grant select on rea.branches to rea_app;
grant insert (client_id, name, city) on rea.branches to rea_app;
grant update (name, city) on rea.branches to rea_app;

-- rea.users
grant select on rea.users to rea_app;
grant insert (client_id, branch_id, full_name, email, status) on rea.users to rea_app;
grant update (branch_id, full_name, email, status) on rea.users to rea_app;

-- rea.roles
grant select on rea.roles to rea_app;
grant insert (client_id, name, description) on rea.roles to rea_app;
grant update (name, description) on rea.roles to rea_app;

-- rea.customers: identifiers only through rea.set_customer_identifiers(), erased_at only by rea.erase_customer()
grant select on rea.customers to rea_app;
grant insert (
    client_id, kind, full_name, email, phone, deleted_at, marketing_consent, marketing_consent_at,
    legal_hold, legal_hold_reason
) on rea.customers to rea_app;
grant update (
    kind, full_name, email, phone, deleted_at, marketing_consent, marketing_consent_at, legal_hold,
    legal_hold_reason
) on rea.customers to rea_app;

-- rea.properties
grant select on rea.properties to rea_app;
grant insert (
    client_id, listing_type, branch_id, owner_customer_id, property_type, title, city, district,
    status, asking_price, currency, area_sqm, features, deleted_at
) on rea.properties to rea_app;
grant update (
    listing_type, branch_id, owner_customer_id, property_type, title, city, district, status,
    asking_price, currency, area_sqm, features, deleted_at
) on rea.properties to rea_app;

-- rea.commission_rules
grant select on rea.commission_rules to rea_app;
grant insert (
    client_id, listing_type, deal_type, percentage, fixed_amount, currency, effective
) on rea.commission_rules to rea_app;
grant update (
    listing_type, deal_type, percentage, fixed_amount, currency, effective
) on rea.commission_rules to rea_app;

-- rea.deals: commission_* and closed_at are computed by the deal workflow
grant select on rea.deals to rea_app;
grant insert (
    client_id, property_id, customer_id, agent_user_id, deal_type, stage, amount, currency,
    deal_date, deleted_at
) on rea.deals to rea_app;
grant update (
    property_id, customer_id, agent_user_id, deal_type, stage, amount, currency, deal_date,
    deleted_at
) on rea.deals to rea_app;

-- rea.expenses
grant select on rea.expenses to rea_app;
grant insert (
    client_id, property_id, branch_id, recorded_by, category, amount, currency, expense_date,
    description, status
) on rea.expenses to rea_app;
grant update (
    property_id, branch_id, recorded_by, category, amount, currency, expense_date, description,
    status
) on rea.expenses to rea_app;

-- rea.approvals: requested_at and decided_at are stamped by the database
grant select on rea.approvals to rea_app;
grant insert (
    client_id, subject_type, deal_id, expense_id, requested_by, approver_id, status, reason,
    decision_note
) on rea.approvals to rea_app;
grant update (
    subject_type, deal_id, expense_id, requested_by, approver_id, status, reason, decision_note
) on rea.approvals to rea_app;

-- rea.bookings
grant select on rea.bookings to rea_app;
grant insert (
    client_id, property_id, customer_id, agent_user_id, status, starts_at, ends_at, deposit_amount,
    deposit_currency, notes
) on rea.bookings to rea_app;
grant update (
    property_id, customer_id, agent_user_id, status, starts_at, ends_at, deposit_amount,
    deposit_currency, notes
) on rea.bookings to rea_app;

-- rea.communications
grant select on rea.communications to rea_app;
grant insert (
    client_id, customer_id, user_id, channel, direction, subject, body, metadata, occurred_at
) on rea.communications to rea_app;
grant update (
    customer_id, user_id, channel, direction, subject, body, metadata, occurred_at
) on rea.communications to rea_app;

-- join tables: granted or taken away, never edited
grant select, delete on rea.role_permissions, rea.user_roles to rea_app;
grant insert (client_id, role_id, permission_code) on rea.role_permissions to rea_app;
grant insert (client_id, user_id, role_id) on rea.user_roles to rea_app;

grant select on reporting.fact_deals, reporting.fact_expenses, reporting.fact_bookings to rea_app;

-- Called by the application (directly, in column defaults, or by invoker-rights
-- trigger functions running as rea_app). Trigger functions need no grant.
grant execute on function
rea.uuid_v7(),
rea.current_client_id(),
rea.current_actor_id(),
rea.require_client_id(),
rea.fx_rate(text, text, date),
rea.convert_amount(numeric, text, text, date),
rea.normalise_identifier(text),
rea.identifier_hmac(text, text),
rea.check_identifier_key(text),
rea.set_customer_identifiers(uuid, text, text, text),
rea.customer_identifiers(uuid, text),
rea.find_customers_by_identifier(text, text, text),
rea.rotate_identifier_key(text, text),
rea.erase_customer(uuid),
rea.export_customer(uuid),
rea.apply_customer_retention(timestamptz)
to rea_app;

-- rea_reporting -------------------------------------------------------------------------

grant usage on schema reporting to rea_reporting;
grant select on reporting.fact_deals, reporting.fact_expenses, reporting.fact_bookings to rea_reporting;
grant execute on function rea.current_client_id() to rea_reporting;

-- rea_auditor ---------------------------------------------------------------------------

grant usage on schema audit to rea_auditor;
grant select on audit.audit_logs, audit.seals, audit.settings to rea_auditor;
grant execute on function
rea.current_client_id(),
audit.row_hash(audit.audit_logs),
audit.day_hashes(date, date),
audit.verify_seals()
to rea_auditor;
