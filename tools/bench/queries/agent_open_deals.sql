-- An agent's open deals with their property, newest first.
select d.id, d.stage, d.amount, d.currency, d.deal_date, p.title
from rea.deals as d
inner join rea.properties as p on d.client_id = p.client_id and d.property_id = p.id
where
    d.agent_user_id = %(agent_id)s
    and d.stage not in ('won', 'lost')
    and d.deleted_at is null
    and d.client_id = %(client_id)s -- explicit
order by d.deal_date desc, d.id
limit 50
