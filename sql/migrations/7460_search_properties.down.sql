-- readb:superuser
-- Revert 7460_search_properties. The role rea_search is cluster-wide and other
-- databases of the cluster may use it: it stays, holding nothing in this database.

drop function search.properties(jsonb, text, integer);
drop schema search;
revoke execute on function rea.current_client_id(), rea.require_client_id() from rea_search;
revoke select (
    client_id, id, title, city, district, property_type, listing_type, status, asking_price,
    currency, features, deleted_at
) on rea.properties from rea_search;
revoke usage on schema rea, extensions from rea_search;
