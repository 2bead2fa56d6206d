-- The three schemas of the public contract:
--   rea        domain tables and functions
--   audit      the audit trail
--   reporting  what the application and reporting roles read for dashboards
-- Owners, grants and default privileges come with the security steps.

create schema rea;
comment on schema rea is 'REA INVEST domain: tenants, properties, customers, deals and the rest.';

create schema audit;
comment on schema audit is 'Append-only audit trail of every change to the rea schema.';

create schema reporting;
comment on schema reporting is 'Reporting views over the rea schema, per tenant.';
