-- readb:no-transaction
-- Backs communications_user_fkey (see 7613) and a user's communications. Requires:
-- 2130_communications.
create index concurrently if not exists communications_user_idx on rea.communications
(client_id, user_id);
