-- Log a phone call with a customer.
insert into rea.communications (client_id, customer_id, user_id, channel, direction, body, metadata, occurred_at)
values (
    %(client_id)s, %(customer_id)s, %(user_id)s, 'phone', 'outbound',
    'Called about a viewing.', '{"duration_seconds": 120}', now()
);
