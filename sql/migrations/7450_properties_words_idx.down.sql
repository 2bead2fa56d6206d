-- readb:no-transaction
-- Revert 7450_properties_words_idx, without blocking writes.
drop index concurrently if exists rea.properties_words_idx;
