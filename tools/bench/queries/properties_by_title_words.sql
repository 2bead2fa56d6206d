-- Properties whose title holds a word the agent typed.
select p.id, p.title, p.city, p.status
from rea.properties as p
where
    p.title ilike %(title_pattern)s
    and p.deleted_at is null
    and p.client_id = %(client_id)s -- explicit
order by p.id
limit 20
