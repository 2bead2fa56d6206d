-- readb:no-transaction
-- Reverts 7610_customers_phone_idx.
drop index concurrently if exists rea.customers_phone_idx;
