"""Every INSERT, UPDATE and DELETE on a table in `rea` is recorded in audit.audit_logs, by
the statement triggers of 6110_audit_triggers, and TRUNCATE (which would change rows
unrecorded) is refused.

- The catalog: every table in rea carries the three AFTER ... FOR EACH STATEMENT triggers
  executing audit.log_changes() with transition tables, and a BEFORE TRUNCATE trigger
  executing audit.refuse_change(); their arguments name the tenant column, the primary
  key, and every column that holds personal data (a rule over column names, so a new
  `phone` column anywhere is caught).
- One audit row per changed row: client_id (the tenant; NULL for shared reference
  tables; a client's own id for rea.clients), table_name, record_id (the id, or the key
  columns joined by commas), action; INSERT keeps the row in new_data, DELETE in old_data,
  UPDATE only the changed columns in both, named (sorted) in changed_columns. actor_id
  is app.user_id (NULL when unset; a value that is not a UUID fails the write, 22P02),
  db_user is session_user (the login, not the role set with SET ROLE: a pooled
  application login acting as rea_app is recorded as that login), transaction_id is the
  writing transaction's pg_current_xact_id(), occurred_at the clock time of the statement.
- Personal data never reaches the log: its columns are left out of old_data and new_data,
  and an UPDATE only names them in changed_columns.
- The application role cannot read or write the log, yet its changes are logged (the
  trigger function is security definer).
"""

import re

import psycopg
import psycopg.sql
import psycopg.types.json
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.rows import dict_row

from conftest import acting_as, insert, violates

# tgtype bits (pg_trigger.h): ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32
AFTER_INSERT_STATEMENT, AFTER_DELETE_STATEMENT, AFTER_UPDATE_STATEMENT = 4, 8, 16
BEFORE_TRUNCATE_STATEMENT = 2 | 32

# Column names that hold personal data wherever they appear. Free text about a person
# (notes, a message's subject, body and metadata, a legal-hold reason) counts as well.
PERSONAL_COLUMN = re.compile(
    r"^(full_name|first_name|last_name|email|phone|mobile|address|date_of_birth|birth_date"
    r"|notes|subject|body|metadata|legal_hold_reason)$"
    r"|^(national_id|passport_number)(_|$)"
)

# What the brief of each table requires at least.
REQUIRED_PERSONAL = {
    "customers": {
        "full_name",
        "email",
        "phone",
        "national_id_encrypted",
        "national_id_hmac",
        "passport_number_encrypted",
        "passport_number_hmac",
    },
    "communications": {"subject", "body", "metadata"},
    "users": {"full_name", "email"},
    "bookings": {"notes"},
}

KEY = "0123456789abcdef-identifier-key"


def audit_trigger_problems(db) -> list[str]:
    """Every table in rea (not a partition) and what is wrong with its audit triggers."""
    tables = db.execute(
        """
        select c.oid, c.relname,
               array(select a.attname::text from pg_attribute a
                     where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped),
               array(select a.attname::text
                     from pg_constraint k
                     cross join unnest(k.conkey) with ordinality as u (attnum, n)
                     join pg_attribute a on a.attrelid = c.oid and a.attnum = u.attnum
                     where k.conrelid = c.oid and k.contype = 'p' order by u.n)
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'rea' and c.relkind in ('r', 'p') and not c.relispartition
        order by c.relname
        """
    ).fetchall()
    problems = []
    for oid, name, columns, pkey in tables:
        triggers = db.execute(
            """
            select t.tgtype, t.tgfoid::regprocedure::text, t.tgoldtable, t.tgnewtable,
                   t.tgenabled, t.tgnargs,
                   string_to_array(encode(t.tgargs, 'escape'), '\\000')
            from pg_trigger t
            where t.tgrelid = %s and not t.tgisinternal
            """,
            (oid,),
        ).fetchall()

        def find(tgtype, function, old, new, triggers=triggers):
            return [
                t
                for t in triggers
                if t[0] == tgtype
                and t[1] == function
                and (t[2] is not None) == old
                and (t[3] is not None) == new
                and t[4] in ("O", "A")  # enabled, also under session_replication_role
            ]

        audit_triggers = {
            "insert": find(AFTER_INSERT_STATEMENT, "audit.log_changes()", False, True),
            "update": find(AFTER_UPDATE_STATEMENT, "audit.log_changes()", True, True),
            "delete": find(AFTER_DELETE_STATEMENT, "audit.log_changes()", True, False),
        }
        for event, found in audit_triggers.items():
            if len(found) != 1:
                problems.append(f"rea.{name}: {len(found)} audit {event} triggers")
        truncate = find(BEFORE_TRUNCATE_STATEMENT, "audit.refuse_change()", False, False)
        if len(truncate) != 1:
            problems.append(f"rea.{name}: no BEFORE TRUNCATE trigger refusing it")
        if any(len(found) != 1 for found in audit_triggers.values()):
            continue

        # tgargs ends with a NUL, so the split leaves an empty last element
        arguments = {tuple(found[0][6][: found[0][5]]) for found in audit_triggers.values()}
        if len(arguments) != 1:
            problems.append(f"rea.{name}: its audit triggers have different arguments")
            continue
        (args,) = arguments
        if len(args) < 2:
            problems.append(f"rea.{name}: audit triggers without tenant and key arguments")
            continue
        tenant = "id" if name == "clients" else "client_id" if "client_id" in columns else ""
        if args[0] != tenant:
            problems.append(f"rea.{name}: tenant column {args[0]!r}, expected {tenant!r}")
        key = [c for c in pkey if c != "client_id"]
        if args[1].split(",") != key:
            problems.append(f"rea.{name}: key columns {args[1]!r}, primary key {pkey}")
        personal = set(args[2:])
        if missing := personal - set(columns):
            problems.append(f"rea.{name}: redacts columns it does not have: {sorted(missing)}")
        expected = {c for c in columns if PERSONAL_COLUMN.search(c)}
        expected |= REQUIRED_PERSONAL.get(name, set())
        if leaked := expected - personal:
            problems.append(f"rea.{name}: personal columns not redacted: {sorted(leaked)}")
    return problems


def _audit_rows(db, after_id: int, table: str | None = None) -> list[dict]:
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            """
            select * from audit.audit_logs
            where id > %s and (%s::text is null or table_name = %s)
            order by id
            """,
            (after_id, table, table),
        ).fetchall()


def _mark(db) -> int:
    """The newest audit id so far: rows written after it have larger ids (one session)."""
    return db.execute("select coalesce(max(id), 0) from audit.audit_logs").fetchone()[0]


def _clock(db):
    return db.execute("select clock_timestamp()").fetchone()[0]


def _xact(db) -> str:
    return db.execute("select pg_current_xact_id()::text").fetchone()[0]


def _as_json(db, table: str, where: str, params: tuple) -> dict:
    """record_id -> the row as to_jsonb() has it."""
    return dict(
        db.execute(
            f"select r.id::text, to_jsonb(r) from rea.{table} r where {where}", params
        ).fetchall()
    )


# --- The catalog -------------------------------------------------------------------------


def test_every_rea_table_is_audited_and_refuses_truncate(db):
    """The catalog walk finds nothing wrong in the built schema."""
    assert audit_trigger_problems(db) == []


def test_the_catalog_check_catches_an_unaudited_table(db):
    """A new table without triggers, with unredacted personal data, or with a disabled
    audit trigger is named: the walk above proves something."""
    with db.transaction(force_rollback=True):
        db.execute(
            "create table rea.leads (client_id uuid, id uuid, phone text,"
            " primary key (client_id, id))"
        )
        assert sorted(audit_trigger_problems(db)) == [
            "rea.leads: 0 audit delete triggers",
            "rea.leads: 0 audit insert triggers",
            "rea.leads: 0 audit update triggers",
            "rea.leads: no BEFORE TRUNCATE trigger refusing it",
        ]
        db.execute("call audit.audit_table('rea.leads', 'client_id', '{id}')")
        assert audit_trigger_problems(db) == ["rea.leads: personal columns not redacted: ['phone']"]
        db.execute("alter table rea.leads disable trigger leads_audit_update")
        assert audit_trigger_problems(db) == ["rea.leads: 0 audit update triggers"]


def test_the_personal_columns_the_brief_names_are_redacted(db):
    """Read straight from the triggers' arguments, independent of the name rule above."""
    rows = db.execute(
        """
        select c.relname, t.tgname,
               (string_to_array(encode(t.tgargs, 'escape'), '\\000'))[3:t.tgnargs]
        from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where c.relnamespace = 'rea'::regnamespace and t.tgfoid = 'audit.log_changes'::regproc
        """
    ).fetchall()
    for table, required in REQUIRED_PERSONAL.items():
        triggers = [(name, set(args)) for t, name, args in rows if t == table]
        assert len(triggers) == 3, table
        for name, personal in triggers:
            assert required <= personal, (name, required - personal)


# --- One audit row per changed row -------------------------------------------------------


def test_insert_and_update_of_a_tenant_table_record_each_row(db, tenant):
    """As the application: one audit row per row of a multi-row statement, stamped with
    the tenant, the actor, the login, the transaction and the statement's time."""
    (login,) = db.execute("select session_user").fetchone()
    mark, xact = _mark(db), _xact(db)
    before = _clock(db)
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        ids = [
            r[0]
            for r in db.execute(
                """
                insert into rea.properties
                    (client_id, listing_type, property_type, title, city, asking_price, currency)
                select %s, 'agency_owned', 'villa', 'Villa ' || n, 'Jeddah', 1000000 * n, 'SAR'
                from generate_series(1, 3) as n
                returning id
                """,
                (tenant.client_id,),
            ).fetchall()
        ]
    after = _clock(db)
    rows = _audit_rows(db, mark)
    assert [r["table_name"] for r in rows] == ["properties"] * 3
    stored = _as_json(db, "properties", "id = any(%s)", (ids,))
    assert {r["record_id"] for r in rows} == {str(i) for i in ids}
    for r in rows:
        assert r["client_id"] == tenant.client_id
        assert r["action"] == "INSERT"
        assert r["new_data"] == stored[r["record_id"]]
        assert r["old_data"] is None and r["changed_columns"] is None
        assert r["actor_id"] == tenant.agent_id
        assert r["db_user"] == login  # session_user: the login, not rea_app
        assert str(r["transaction_id"]) == xact
        assert before <= r["occurred_at"] <= after
    assert len({r["occurred_at"] for r in rows}) == 1  # one statement, one stamp

    # UPDATE: only what changed, old and new; every changed column named, sorted
    mark = _mark(db)
    with acting_as(db, "rea_app", tenant.client_id, tenant.manager_id):
        db.execute(
            "update rea.properties set title = 'Renamed', status = case when asking_price > 2e6"
            " then 'withdrawn' else status end where id = any(%s)",
            (ids,),
        )
    old = stored
    stored = _as_json(db, "properties", "id = any(%s)", (ids,))
    rows = _audit_rows(db, mark)
    assert len(rows) == 3
    for r in rows:
        before_row, after_row = old[r["record_id"]], stored[r["record_id"]]
        changed = sorted(k for k in after_row if after_row[k] != before_row[k])
        assert changed in (["title"], ["status", "title"])
        assert r["action"] == "UPDATE"
        assert r["changed_columns"] == changed
        assert r["old_data"] == {k: before_row[k] for k in changed}
        assert r["new_data"] == {k: after_row[k] for k in changed}
        assert r["actor_id"] == tenant.manager_id

    # an UPDATE that changes nothing is still recorded, with nothing changed (updated_at
    # stays: the touch trigger sets it to now(), constant within this transaction)
    mark = _mark(db)
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        db.execute("update rea.properties set title = title where id = any(%s)", (ids,))
    rows = _audit_rows(db, mark)
    assert [(r["action"], r["changed_columns"]) for r in rows] == [("UPDATE", [])] * 3
    assert all(r["old_data"] == {} and r["new_data"] == {} for r in rows)


def test_delete_keeps_the_row_in_old_data(db, tenant):
    """user_roles is one of the two tables the application may delete from."""
    role = insert(db, "roles", client_id=tenant.client_id, name="Viewer")
    grants = [
        insert(db, "user_roles", client_id=tenant.client_id, user_id=u, role_id=role["id"])
        for u in (tenant.agent_id, tenant.manager_id)
    ]
    stored = _as_json(db, "user_roles", "role_id = %s", (role["id"],))
    mark, xact = _mark(db), _xact(db)
    with acting_as(db, "rea_app", tenant.client_id, tenant.manager_id):
        deleted = db.execute(
            "delete from rea.user_roles where role_id = %s", (role["id"],)
        ).rowcount
    assert deleted == 2
    rows = _audit_rows(db, mark)
    assert {r["record_id"] for r in rows} == {str(g["id"]) for g in grants}
    for r in rows:
        assert (r["table_name"], r["action"], r["client_id"]) == (
            "user_roles",
            "DELETE",
            tenant.client_id,
        )
        assert r["old_data"] == stored[r["record_id"]]
        assert r["new_data"] is None and r["changed_columns"] is None
        assert (r["actor_id"], str(r["transaction_id"])) == (tenant.manager_id, xact)


def test_shared_reference_tables_have_no_tenant_and_a_composite_record_id(db):
    """fx_rates' key is three columns; the record_id joins them with commas."""
    mark = _mark(db)
    db.execute(
        """
        insert into rea.fx_rates (base_currency, quote_currency, rate_date, rate)
        values ('USD', 'SAR', '2019-03-01', 3.75), ('EUR', 'SAR', '2019-03-01', 4.2)
        """
    )
    db.execute(
        "update rea.fx_rates set rate = 3.7502 where rate_date = '2019-03-01'"
        " and base_currency = 'USD'"
    )
    db.execute("delete from rea.fx_rates where rate_date = '2019-03-01' and base_currency = 'EUR'")
    rows = _audit_rows(db, mark)
    assert [(r["record_id"], r["action"], r["client_id"]) for r in rows] == [
        ("USD,SAR,2019-03-01", "INSERT", None),
        ("EUR,SAR,2019-03-01", "INSERT", None),
        ("USD,SAR,2019-03-01", "UPDATE", None),
        ("EUR,SAR,2019-03-01", "DELETE", None),
    ]
    assert rows[0]["new_data"]["rate"] == 3.75
    assert rows[2]["old_data"] == {"rate": 3.75} and rows[2]["new_data"] == {"rate": 3.7502}
    assert rows[2]["changed_columns"] == ["rate"]
    assert rows[3]["old_data"]["base_currency"] == "EUR"
    assert all(r["actor_id"] is None for r in rows)  # app.user_id unset: no actor


def test_a_client_row_is_its_own_tenant(db):
    """rea.clients has no client_id: its rows are audited under their own id."""
    mark = _mark(db)
    ids = [
        r[0]
        for r in db.execute(
            "insert into rea.clients (name, base_currency) values ('Dar One', 'SAR'),"
            " ('Dar Two', 'AED') returning id"
        ).fetchall()
    ]
    rows = _audit_rows(db, mark)
    assert [(r["client_id"], r["record_id"], r["action"]) for r in rows] == [
        (i, str(i), "INSERT") for i in ids
    ]
    mark = _mark(db)
    with acting_as(db, "rea_app", ids[0], None):
        db.execute("update rea.clients set expense_approval_threshold = 25000")
    (row,) = _audit_rows(db, mark)
    assert (row["client_id"], row["changed_columns"], row["actor_id"]) == (
        ids[0],
        ["expense_approval_threshold"],
        None,
    )


def test_an_update_of_the_primary_key_still_records_every_row(db):
    """Old and new images are paired by key, so a row whose key changed shows up twice:
    its old key with the old values, its new key with the new ones (a full join)."""
    db.execute(
        "insert into rea.currencies (code, name, minor_units)"
        " values ('XTA', 'Test A', 2), ('XTB', 'Test B', 3)"
    )
    mark = _mark(db)
    db.execute(
        "update rea.currencies set code = case code when 'XTA' then 'XTC' else 'XTD' end"
        " where code in ('XTA', 'XTB')"
    )
    rows = {r["record_id"]: r for r in _audit_rows(db, mark)}
    assert sorted(rows) == ["XTA", "XTB", "XTC", "XTD"]
    assert {r["action"] for r in rows.values()} == {"UPDATE"}
    assert rows["XTA"]["old_data"]["name"] == "Test A" and rows["XTA"]["new_data"] == {}
    assert rows["XTC"]["new_data"]["name"] == "Test A" and rows["XTC"]["old_data"] == {}
    assert rows["XTD"]["new_data"]["minor_units"] == 3
    assert all("code" in r["changed_columns"] for r in rows.values())


PROPERTY_VALUES = {
    "title": st.sampled_from(["Two-bedroom flat, Al Olaya", "Penthouse", "Shop on Tahlia"]),
    "city": st.sampled_from(["Riyadh", "Jeddah"]),
    "district": st.sampled_from([None, "Al Olaya", "Al Hamra"]),
    "asking_price": st.sampled_from([850000, 900000, 1250000.5]),
    "built_up_area_sqm": st.sampled_from([None, 120, 120.5]),
    "status": st.sampled_from(["available", "withdrawn"]),
    "features": st.sampled_from([{}, {"bedrooms": 2}, {"bedrooms": 2, "furnished": True}]),
}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.fixed_dictionaries({}, optional=PROPERTY_VALUES),
    second=st.fixed_dictionaries({}, optional=PROPERTY_VALUES),
    change=st.fixed_dictionaries({}, optional=PROPERTY_VALUES),
)
def test_an_update_records_exactly_the_changed_columns(db, tenant, first, second, change):
    """Whatever an UPDATE sets, on rows that differ: old_data and new_data hold exactly
    the columns whose value changed, changed_columns names them, sorted."""

    def adapt(values):
        return {k: psycopg.types.json.Jsonb(v) if k == "features" else v for k, v in values.items()}

    with db.transaction(force_rollback=True):
        props = [tenant.property(db, **adapt(first)), tenant.property(db, **adapt(second))]
        ids = [p["id"] for p in props]
        old = _as_json(db, "properties", "id = any(%s)", (ids,))
        mark = _mark(db)
        assignments = change or {"title": props[0]["title"]}
        values = adapt(assignments)
        db.execute(
            psycopg.sql.SQL("update rea.properties set {} where id = any(%s)").format(
                psycopg.sql.SQL(", ").join(
                    psycopg.sql.SQL("{} = %s").format(psycopg.sql.Identifier(k)) for k in values
                )
            ),
            [*values.values(), ids],
        )
        new = _as_json(db, "properties", "id = any(%s)", (ids,))
        rows = _audit_rows(db, mark)
        assert sorted(r["record_id"] for r in rows) == sorted(str(i) for i in ids)
        for r in rows:
            before, after = old[r["record_id"]], new[r["record_id"]]
            changed = sorted(k for k in after if after[k] != before[k])
            assert set(changed) <= set(assignments)
            assert r["changed_columns"] == changed
            assert r["old_data"] == {k: before[k] for k in changed}
            assert r["new_data"] == {k: after[k] for k in changed}


# --- Personal data -----------------------------------------------------------------------

# Letters and digits only (Arabic and Latin): nothing that JSON or a record's text form
# would escape, so a leaked value would appear verbatim in the audit row's text.
LETTERS = st.characters(categories=["Lu", "Ll", "Lo", "Nd"], exclude_characters="\x00")
DISTINCT = st.text(LETTERS, min_size=6, max_size=24)
DIGITS = st.text(st.sampled_from("0123456789"), min_size=9, max_size=14)
IDENTIFIER = st.text(st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"), min_size=8, max_size=20)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.tuples(DISTINCT, DISTINCT),
    local=st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789"), min_size=8),
    phones=st.tuples(DIGITS, DIGITS),
    national_id=IDENTIFIER,
    passport=IDENTIFIER,
    texts=st.tuples(DISTINCT, DISTINCT, DISTINCT, DISTINCT),
)
def test_personal_data_never_reaches_the_audit_log(
    db, tenant, names, local, phones, national_id, passport, texts
):
    first_name, second_name = (f"عميل {n}" for n in names)
    first_phone, second_phone = (f"+9665{p}" for p in phones)
    email = f"pii.{local}@example.sa"
    subject, body, message_id, note = (f"سري{t}" for t in texts)
    with db.transaction(force_rollback=True):
        mark = _mark(db)
        with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
            customer = insert(
                db,
                "customers",
                client_id=tenant.client_id,
                full_name=first_name,
                email=email,
                phone=first_phone,
                legal_hold=True,
                legal_hold_reason=note,
            )
            cid = customer["id"]
            db.execute(
                "update rea.customers set full_name = %s, phone = %s where id = %s",
                (second_name, second_phone, cid),
            )
            db.execute(
                "select rea.set_customer_identifiers(%s, %s, %s, %s)",
                (cid, national_id, passport, KEY),
            )
            message = insert(
                db,
                "communications",
                client_id=tenant.client_id,
                customer_id=cid,
                channel="email",
                direction="outbound",
                subject=subject,
                body=body,
                metadata=psycopg.types.json.Jsonb({"message_id": message_id}),
            )
            db.execute(
                "update rea.communications set body = %s, subject = null where id = %s",
                (note + body, message["id"]),
            )
        stored = db.execute(
            """
            select encode(national_id_encrypted, 'hex'), encode(national_id_hmac, 'hex'),
                   encode(passport_number_encrypted, 'hex'), encode(passport_number_hmac, 'hex')
            from rea.customers where id = %s
            """,
            (cid,),
        ).fetchone()
        secrets = [
            first_name,
            second_name,
            email,
            first_phone,
            second_phone,
            national_id,
            passport,
            subject,
            body,
            message_id,
            note,
            *stored,
        ]
        rows = db.execute(
            "select a::text, a.table_name, a.action, a.changed_columns"
            " from audit.audit_logs a where id > %s order by id",
            (mark,),
        ).fetchall()
        assert [(t, a) for _, t, a, _ in rows] == [
            ("customers", "INSERT"),
            ("customers", "UPDATE"),
            ("customers", "UPDATE"),
            ("communications", "INSERT"),
            ("communications", "UPDATE"),
        ]
        for text, *_ in rows:
            for secret in secrets:
                assert secret not in text, (secret, text)
        assert rows[1][3] == [
            column
            for column, (old, new) in {
                "full_name": (first_name, second_name),
                "phone": (first_phone, second_phone),
            }.items()
            if old != new
        ]
        assert rows[2][3] == [
            "national_id_encrypted",
            "national_id_hmac",
            "passport_number_encrypted",
            "passport_number_hmac",
        ]
        assert rows[4][3] == ["body", "subject"]


# --- What is refused ---------------------------------------------------------------------


def test_truncate_of_any_rea_table_is_refused(db, tenant):
    """TRUNCATE fires no row triggers, so it would change rows unaudited: refused (42501)."""
    tables = [
        r[0]
        for r in db.execute(
            "select c.oid::regclass::text from pg_class c"
            " where c.relnamespace = 'rea'::regnamespace"
            " and c.relkind in ('r', 'p') and not c.relispartition order by 1"
        ).fetchall()
    ]
    assert "rea.customers" in tables
    for table in tables:
        with pytest.raises(errors.InsufficientPrivilege) as caught, db.transaction():
            db.execute(f"truncate {table} cascade")  # as superuser: only the trigger refuses
        assert "append-only: TRUNCATE on rea." in str(caught.value)


def test_the_application_cannot_touch_the_log_yet_is_logged(db, tenant):
    """rea_app has no privilege on schema audit; the security definer trigger writes."""
    with acting_as(db, "rea_app", tenant.client_id, tenant.agent_id):
        for statement in (
            "select count(*) from audit.audit_logs",
            "insert into audit.audit_logs (table_name, record_id, action, occurred_at)"
            " values ('properties', 'x', 'INSERT', now())",
            "update audit.audit_logs set actor_id = null",
            "delete from audit.audit_logs",
        ):
            with pytest.raises(errors.InsufficientPrivilege), db.transaction():
                db.execute(statement)
        prop = tenant.property(db)
    (row,) = db.execute(
        "select action, actor_id, client_id from audit.audit_logs where record_id = %s",
        (str(prop["id"]),),
    ).fetchall()
    assert row == ("INSERT", tenant.agent_id, tenant.client_id)


def test_a_malformed_actor_fails_the_write(db, tenant):
    """app.user_id that is not a UUID is the caller's bug: 22P02, not a NULL actor."""
    with (
        pytest.raises(errors.InvalidTextRepresentation),
        acting_as(db, "rea_app", tenant.client_id, "x"),
    ):
        tenant.property(db, title="Never written")
    assert db.execute(
        "select count(*) from rea.properties where title = 'Never written'"
    ).fetchone() == (0,)
    # and for a shared table written by the owner, too
    with pytest.raises(errors.InvalidTextRepresentation), db.transaction():
        db.execute("select set_config('app.user_id', %s, true)", ("not-a-uuid",))
        db.execute("update rea.currencies set name = name where code = 'SAR'")


@pytest.mark.parametrize(
    ("constraint", "statement"),
    [
        (
            "audit_logs_action_check",
            "insert into audit.audit_logs (table_name, record_id, action, occurred_at)"
            " values ('customers', 'x', 'TRUNCATE', now())",
        ),
        ("settings_singleton_check", "insert into audit.settings (singleton) values (false)"),
        (
            "seals_row_count_check",
            "insert into audit.seals (client_id, day, row_count, rows_hash, previous_hash,"
            " seal_hash) values (gen_random_uuid(), '2020-01-01', 0, '', '', '')",
        ),
    ],
)
def test_the_audit_tables_own_rules(db, constraint, statement):
    """An audit row's action is INSERT, UPDATE or DELETE; audit.settings has one row; a
    seal covers at least one row (days without rows are not sealed). Checked as the
    superuser, the only one who may write these tables directly."""
    violates(db, constraint, errors.CheckViolation, lambda: db.execute(statement))
