-- Record a small expense of a property (under the approval threshold).
insert into rea.expenses (client_id, property_id, branch_id, recorded_by, category, amount, currency, description)
values (%(client_id)s, %(free_property_id)s, %(branch_id)s, %(user_id)s, 'maintenance', 50, %(base_currency)s, 'Bench repair');
