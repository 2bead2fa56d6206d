"""A deal moves lead -> negotiation | lost, negotiation -> pending_approval | lost,
pending_approval -> approved | negotiation | lost, approved -> won | lost, and nowhere else
(deals_stage_transition_check); it becomes approved or won only once an approval for it was
approved (deals_approval_required_check); won and lost deals are closed: stamped with
closed_at, and their stage and amount never change again (deals_closed_check).

An approval starts pending and is then approved, rejected or cancelled for good
(approvals_workflow_check), never by the user who asked for it (approvals_four_eyes_check);
a deal has at most one pending approval (approvals_one_pending_deal_key). The database sets
decided_at when the approval is decided: null while pending, and unchanged afterwards.
A deal that is won or lost cancels its pending approval.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import errors
from psycopg.rows import dict_row

from conftest import insert, make_tenant, violates

STAGES = ("lead", "negotiation", "pending_approval", "approved", "won", "lost")
STAGE_MOVES = {
    "lead": {"negotiation", "lost"},
    "negotiation": {"pending_approval", "lost"},
    "pending_approval": {"approved", "negotiation", "lost"},
    "approved": {"won", "lost"},
}
CLOSED = {"won", "lost"}
DECISIONS = ("approved", "rejected", "cancelled")
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def _deal(db, tenant, deal_type="sale", **values):
    return insert(
        db,
        "deals",
        client_id=tenant.client_id,
        property_id=tenant.property(db)["id"],
        customer_id=tenant.customer_id,
        agent_user_id=tenant.agent_id,
        deal_type=deal_type,
        amount=Decimal("850000"),
        currency="SAR",
        **values,
    )


def _request_approval(db, tenant, deal):
    return insert(
        db,
        "approvals",
        client_id=tenant.client_id,
        subject_type="deal",
        deal_id=deal["id"],
        requested_by=tenant.agent_id,
        reason="Discount of 2% for a cash buyer",
    )


def _update(db, table, row_id, **changes):
    assignments = ", ".join(f"{column} = %s" for column in changes)
    with db.cursor(row_factory=dict_row) as cur:
        return cur.execute(
            f"update rea.{table} set {assignments} where id = %s returning *",
            (*changes.values(), row_id),
        ).fetchone()


def _move_deal(db, deal_id, stage):
    _update(db, "deals", deal_id, stage=stage)


def _decide(db, approval_id, status, approver_id, note="Within the branch's discount policy"):
    return _update(
        db, "approvals", approval_id, status=status, approver_id=approver_id, decision_note=note
    )


def _redecide(db, approval_id, status, approver_id):
    _decide(db, approval_id, status, approver_id, note="On second thought")


def _forge_decided_at(db, approval_id):
    _update(db, "approvals", approval_id, decided_at=LONG_AGO)


def _refused(db, exc_type, constraint, action, *args, **kwargs):
    violates(db, constraint, exc_type, lambda: action(*args, **kwargs))


# --- The model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoveDeal:
    stage: str


@dataclass(frozen=True)
class RequestApproval:
    pass


@dataclass(frozen=True)
class DecidePending:
    status: str
    by: str  # "manager", or "requester": the four-eyes violation


@dataclass(frozen=True)
class ChangeDecided:
    approval: int  # which decided approval (modulo how many there are)
    status: str


@dataclass(frozen=True)
class ForgeDecidedAt:
    approval: int  # which approval (modulo how many there are)


@dataclass
class Model:
    """The rules in a few lines: each method answers None if the operation is allowed (and
    applies it), else the name of the rule that refuses it."""

    stage: str = "lead"
    approvals: list[str] = field(default_factory=list)  # statuses, in request order

    def move_deal(self, stage: str) -> str | None:
        if stage == self.stage:  # not a move: the row is merely updated
            return None
        if self.stage in CLOSED:
            return "deals_closed_check"
        if stage not in STAGE_MOVES[self.stage]:
            return "deals_stage_transition_check"
        if stage in ("approved", "won") and "approved" not in self.approvals:
            return "deals_approval_required_check"
        self.stage = stage
        if stage in CLOSED:  # a closed deal cancels its pending approval
            self.approvals = ["cancelled" if s == "pending" else s for s in self.approvals]
        return None

    def request_approval(self) -> str | None:
        if "pending" in self.approvals:
            return "approvals_one_pending_deal_key"
        self.approvals.append("pending")
        return None

    def decide_pending(self, status: str, by: str) -> str | None:
        if by == "requester":
            return "approvals_four_eyes_check"
        self.approvals[self.approvals.index("pending")] = status
        return None

    def change_decided(self) -> str | None:
        return "approvals_workflow_check"

    def forge_decided_at(self) -> str | None:
        return None  # accepted, and ignored


def _attempt(db, action, *args):
    """Run one operation in a savepoint: (its result, None) or (None, the refusing rule)."""
    try:
        with db.transaction():
            return action(*args), None
    except (errors.CheckViolation, errors.UniqueViolation) as refused:
        return None, refused.diag.constraint_name


any_operation = st.one_of(
    st.builds(MoveDeal, st.sampled_from(STAGES)),
    st.just(RequestApproval()),
    st.builds(DecidePending, st.sampled_from(DECISIONS), st.sampled_from(["manager", "requester"])),
    st.builds(ChangeDecided, st.integers(0, 3), st.sampled_from(("pending", *DECISIONS))),
    st.builds(ForgeDecidedAt, st.integers(0, 3)),
)
ROAD_TO_WON = (
    MoveDeal("negotiation"),
    MoveDeal("pending_approval"),
    RequestApproval(),
    DecidePending("approved", "manager"),
    MoveDeal("approved"),
    MoveDeal("won"),
)


@st.composite
def operations(draw):
    """Random operations, in half the examples mixed into the road to won, which random ones
    alone rarely walk."""
    ops = list(ROAD_TO_WON) if draw(st.booleans()) else []
    for op in draw(st.lists(any_operation, min_size=5, max_size=25)):
        ops.insert(draw(st.integers(0, len(ops))), op)
    return ops


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=operations())
def test_the_database_accepts_exactly_the_moves_the_model_accepts(db, operations):
    with db.transaction(force_rollback=True):
        tenant = make_tenant(db)
        deal = _deal(db, tenant)
        now = db.execute("select now()").fetchone()[0]  # what the database stamps, here
        model, approval_ids = Model(), []
        for op in operations:
            decided = [i for i, s in enumerate(model.approvals) if s != "pending"]
            match op:
                case MoveDeal(stage):
                    expected = model.move_deal(stage)
                    _, refused = _attempt(db, _move_deal, db, deal["id"], stage)
                case RequestApproval():
                    expected = model.request_approval()
                    approval, refused = _attempt(db, _request_approval, db, tenant, deal)
                    if approval is not None:
                        approval_ids.append(approval["id"])
                case DecidePending(status, by) if "pending" in model.approvals:
                    approval_id = approval_ids[model.approvals.index("pending")]
                    approver = tenant.manager_id if by == "manager" else tenant.agent_id
                    expected = model.decide_pending(status, by)
                    _, refused = _attempt(db, _decide, db, approval_id, status, approver)
                case ChangeDecided(index, status) if decided:
                    approval_id = approval_ids[decided[index % len(decided)]]
                    expected = model.change_decided()
                    _, refused = _attempt(db, _redecide, db, approval_id, status, tenant.manager_id)
                case ForgeDecidedAt(index) if approval_ids:
                    approval_id = approval_ids[index % len(approval_ids)]
                    expected = model.forge_decided_at()
                    _, refused = _attempt(db, _forge_decided_at, db, approval_id)
                case _:
                    continue
            assert refused == expected, op

            stage, closed_at = db.execute(
                "select stage, closed_at from rea.deals where id = %s", (deal["id"],)
            ).fetchone()
            assert (stage, closed_at) == (model.stage, now if model.stage in CLOSED else None)
            approvals = {
                row[0]: row[1:]
                for row in db.execute("select id, status, decided_at from rea.approvals")
            }
            assert [approvals.pop(i) for i in approval_ids] == [
                (s, None if s == "pending" else now) for s in model.approvals
            ]
            assert approvals == {}


# --- The rules one by one -------------------------------------------------------------------


def _close(db, tenant, deal, stage):
    """Take a lead to won (through an approval by the manager) or to lost."""
    if stage == "won":
        for step in ("negotiation", "pending_approval"):
            _move_deal(db, deal["id"], step)
        approval = _request_approval(db, tenant, deal)
        _decide(db, approval["id"], "approved", tenant.manager_id)
        _move_deal(db, deal["id"], "approved")
    return _update(db, "deals", deal["id"], stage=stage)


@pytest.mark.parametrize("stage", STAGES[1:])
def test_a_deal_starts_as_a_lead(db, tenant, stage):
    _refused(
        db, errors.CheckViolation, "deals_stage_transition_check", _deal, db, tenant, stage=stage
    )


@pytest.mark.parametrize("stage", sorted(CLOSED))
def test_a_closed_deal_is_stamped_once_and_its_substance_never_changes(db, stage):
    db.autocommit = True  # each statement its own transaction, so now() moves between them
    tenant = make_tenant(db)
    deal = _deal(db, tenant, closed_at=LONG_AGO)
    assert deal["closed_at"] is None

    closed = _close(db, tenant, deal, stage)
    assert closed["closed_at"] > deal["created_at"]
    later = _update(db, "deals", deal["id"], closed_at=LONG_AGO, deleted_at=datetime.now(UTC))
    assert later["closed_at"] == closed["closed_at"]

    rule = "deals_closed_check"
    _refused(db, errors.CheckViolation, rule, _update, db, "deals", deal["id"], amount=1)
    _refused(db, errors.CheckViolation, rule, _move_deal, db, deal["id"], "negotiation")


def test_an_approval_starts_pending(db, tenant):
    deal = _deal(db, tenant)
    _refused(
        db,
        errors.CheckViolation,
        "approvals_workflow_check",
        insert,
        db,
        "approvals",
        client_id=tenant.client_id,
        subject_type="deal",
        deal_id=deal["id"],
        requested_by=tenant.agent_id,
        approver_id=tenant.manager_id,
        status="approved",
    )


def test_decided_at_is_stamped_when_decided_and_kept_by_later_transactions(db):
    db.autocommit = True  # each statement its own transaction, so now() moves between them
    tenant = make_tenant(db)
    approval = _request_approval(db, tenant, _deal(db, tenant))
    assert approval["decided_at"] is None

    decided_at = _decide(db, approval["id"], "rejected", tenant.manager_id)["decided_at"]
    assert decided_at > approval["requested_at"]
    for later in ({"status": "rejected"}, {"decided_at": datetime.now(UTC)}):
        assert _update(db, "approvals", approval["id"], **later)["decided_at"] == decided_at


def test_a_decided_approval_keeps_the_reason_it_was_decided_on(db, tenant):
    approval = _request_approval(db, tenant, _deal(db, tenant))
    _decide(db, approval["id"], "approved", tenant.manager_id)
    _refused(
        db,
        errors.CheckViolation,
        "approvals_workflow_check",
        _update,
        db,
        "approvals",
        approval["id"],
        reason="Discount of 20% for a cash buyer",
    )


@pytest.mark.parametrize(
    "under_approval",
    ["pending_approval stage", "approved stage", "pending approval in negotiation"],
)
@pytest.mark.parametrize(
    "change",
    [{"amount": Decimal("1")}, {"currency": "USD"}, {"deal_type": "rental"}],
    ids=["amount", "currency", "deal_type"],
)
def test_the_terms_are_frozen_under_approval(db, tenant, under_approval, change):
    deal = _deal(db, tenant)
    _move_deal(db, deal["id"], "negotiation")
    approval = _request_approval(db, tenant, deal)
    if under_approval != "pending approval in negotiation":
        _move_deal(db, deal["id"], "pending_approval")
    if under_approval == "approved stage":
        _decide(db, approval["id"], "approved", tenant.manager_id)
        _move_deal(db, deal["id"], "approved")
    _refused(
        db,
        errors.CheckViolation,
        "deals_terms_frozen_check",
        _update,
        db,
        "deals",
        deal["id"],
        **change,
    )


def test_after_a_rejection_the_terms_open_again(db, tenant):
    deal = _deal(db, tenant)
    _move_deal(db, deal["id"], "negotiation")
    _move_deal(db, deal["id"], "pending_approval")
    approval = _request_approval(db, tenant, deal)
    _decide(db, approval["id"], "rejected", tenant.manager_id)
    _move_deal(db, deal["id"], "negotiation")
    assert _update(db, "deals", deal["id"], amount=Decimal("800000"))["amount"] == 800000
