-- readb:no-transaction
-- Reverts 7614_bookings_agent_idx.
drop index concurrently if exists rea.bookings_agent_idx;
