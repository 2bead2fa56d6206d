"""The page of a city's available properties, cheapest first, is read from
properties_available_by_price_idx (7650) under RLS, in order: no sort of the tenant's
whole city, and only the listable rows."""

from conftest import as_app, plan_nodes

PAGE = """
select p.id, p.asking_price
from rea.properties as p
where p.city = %s and p.status = 'available' and p.deleted_at is null
order by p.asking_price, p.id
limit 20 offset 20
"""


def test_a_page_of_a_citys_listing_reads_the_index_in_order_under_rls(db, tenant, other_tenant):
    for who, count in ((tenant, 600), (other_tenant, 600)):
        db.execute(
            "insert into rea.properties"
            " (client_id, listing_type, property_type, title, city, asking_price, currency)"
            " select %s, 'agency_owned', 'apartment', 'Flat ' || i,"
            "  case when i %% 3 = 0 then 'Jeddah' else 'Riyadh' end, 100000 + i * 7 %% 5000, 'SAR'"
            " from generate_series(1, %s) as i",
            (who.client_id, count),
        )
    db.execute("update rea.properties set status = 'withdrawn' where title like 'Flat 1%%'")
    db.execute("analyze rea.properties")
    with as_app(db, tenant):
        rows = db.execute(PAGE, ("Riyadh",)).fetchall()
        nodes = plan_nodes(db, PAGE, ("Riyadh",))
        expected = db.execute(
            "select id, asking_price from rea.properties"
            " where city = 'Riyadh' and status = 'available' and deleted_at is null"
            " order by asking_price, id",
        ).fetchall()[20:40]
    assert rows == expected and len(rows) == 20
    scans = [n for n in nodes if n.get("Index Name") == "properties_available_by_price_idx"]
    assert scans, [n["Node Type"] for n in nodes]
    assert "city" in scans[0].get("Index Cond", ""), scans[0]
    assert not [n for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")], nodes
