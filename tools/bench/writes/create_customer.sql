-- Create a customer.
insert into rea.customers (client_id, full_name, email, phone)
values (%(client_id)s, 'Bench Customer', %(new_email)s, '+966 50 000 0000');
