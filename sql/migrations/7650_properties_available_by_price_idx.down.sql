-- readb:no-transaction
-- Reverts 7650_properties_available_by_price_idx.
drop index concurrently if exists rea.properties_available_by_price_idx;
