-- readb:no-transaction
-- Agents search properties by words of the title and the district, in Arabic and
-- English ("Malqa villa", "فيلا الملقا"): a trigram GIN index over the tenant and
-- `title || ' ' || coalesce(district, '')`, which serves pg_trgm's word similarity
-- (`words <% text`), ILIKE and regular expressions. An expression, so the search
-- function must write exactly the same one (search.properties, 7460). Built
-- concurrently, like 7440.
-- Requires: 7430_search_extensions (pg_trgm, btree_gin), 2050_properties.
-- No `if not exists`: it would take an INVALID index left by a failed build for done;
-- readb drops that one instead, so the rerun builds it again.
-- squawk-ignore prefer-robust-stmts
create index concurrently properties_words_idx
on rea.properties using gin (
    client_id, (title || ' ' || coalesce(district, '')) extensions.gin_trgm_ops
);
