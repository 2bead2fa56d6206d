-- readb:no-transaction
-- Customers by phone number (the caller id of an incoming call): without an index the
-- lookup read every customer of the tenant (3.2 ms p95 in issue 13's benchmark). Built
-- concurrently, so customers stay writable. Requires: 2040_customers.
create index concurrently if not exists customers_phone_idx on rea.customers
(client_id, phone);
