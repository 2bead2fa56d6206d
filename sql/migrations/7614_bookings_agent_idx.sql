-- readb:no-transaction
-- Backs bookings_agent_fkey (see 7613) and an agent's bookings. Requires: 2120_bookings.
create index concurrently if not exists bookings_agent_idx on rea.bookings
(client_id, agent_user_id);
