-- readb:no-transaction
-- Backfill for 7470: built_up_area_sqm of the properties that existed before it, from
-- area_sqm. Tenant by tenant, in batches of 1000 committed separately
-- (migrations.each_tenant, 7400): each batch holds its rows' locks for one short
-- transaction, RLS and the audit trail apply, and a rerun resumes, because a batch
-- takes only rows not yet copied. The explicit tenant filter keeps a batch to the
-- current tenant's rows (rea_owner reads every tenant). Properties without an area
-- have nothing to copy, so a tenant may change no row: expect_rows => false.
-- Requires: 7470_properties_built_up_area_expand.
call migrations.each_tenant(
    '7475_properties_built_up_area_backfill',
    $$
    update rea.properties as p
    set built_up_area_sqm = p.area_sqm
    from (
        select t.client_id, t.id
        from rea.properties as t
        where
            t.client_id = rea.current_client_id()
            and t.built_up_area_sqm is null
            and t.area_sqm is not null
        limit $1
    ) as todo
    where p.client_id = todo.client_id and p.id = todo.id
    $$,
    1000,
    expect_rows => false
);
