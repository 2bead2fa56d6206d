-- readb:no-transaction
-- Reverts 7615_communications_user_idx.
drop index concurrently if exists rea.communications_user_idx;
