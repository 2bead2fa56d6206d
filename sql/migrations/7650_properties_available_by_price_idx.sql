-- readb:no-transaction
-- The listing an agent opens most: a city's available properties, cheapest first, a page
-- at a time (tools/bench/queries/available_properties_in_city.sql). With only
-- properties_city_status_idx the tenant's available properties of the city were all read
-- and sorted for every page (7.3 ms p95 for issue 13's big tenant). This partial index
-- holds only listable rows, in the order of the page, so a page reads its 20 rows and
-- stops. Its columns compare with leakproof operators (text, numeric, uuid), so the
-- lookup stays in the index scan under RLS (tests/test_rls_catalog.py).
-- Built concurrently, so properties stay writable. Requires: 2050_properties.
create index concurrently if not exists properties_available_by_price_idx on rea.properties
(client_id, city, asking_price, id)
where status = 'available' and deleted_at is null;
