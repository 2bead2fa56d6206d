-- readb:no-transaction
-- Agents search properties by their features (`features @> '{"bedrooms": 3,
-- "furnished": true}'`): a GIN index over the tenant and the jsonb_path_ops of
-- features, which serves containment (@>) and is smaller than the default jsonb_ops.
-- Built concurrently: rea.properties takes writes all day, and a plain CREATE INDEX
-- would block them for the whole build. If the build fails, readb drops the INVALID
-- index it left (see sql/migrations/README.md) and the step can simply run again.
-- Under row-level security the planner cannot use it for rea_app (@> is not
-- leakproof): the application searches through search.properties() (7460).
-- Requires: 7430_search_extensions (btree_gin for client_id), 2050_properties.
-- No `if not exists`: it would take an INVALID index left by a failed build for done;
-- readb drops that one instead, so the rerun builds it again.
-- squawk-ignore prefer-robust-stmts
create index concurrently properties_features_idx
on rea.properties using gin (client_id, features jsonb_path_ops);
