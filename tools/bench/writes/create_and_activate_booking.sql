-- Create a booking of an available property, then activate it (which reserves the property).
insert into rea.bookings (client_id, property_id, customer_id, agent_user_id, starts_at, ends_at)
values (
    %(client_id)s, %(free_property_id)s, %(customer_id)s, %(user_id)s,
    now() + interval '400 days', now() + interval '430 days'
);
update rea.bookings set status = 'ACTIVE'
where
    client_id = %(client_id)s
    and property_id = %(free_property_id)s
    and status = 'PENDING'
    and starts_at > now() + interval '399 days';
