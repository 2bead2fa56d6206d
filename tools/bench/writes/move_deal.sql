-- Move a lead to negotiation.
update rea.deals set stage = 'negotiation'
where client_id = %(client_id)s and id = %(lead_deal_id)s;
