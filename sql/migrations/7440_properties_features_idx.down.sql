-- readb:no-transaction
-- Revert 7440_properties_features_idx, without blocking writes.
drop index concurrently if exists rea.properties_features_idx;
