"""Service rules without HTTP: lifecycle, locking, totals, version conflicts, scoping."""

from __future__ import annotations

import pytest

from components.accounts.services import CurrentUser
from components.accounts.tables import User
from components.events import services
from components.events.tables import EventStatus
from components.organisations.services import OrgContext
from components.organisations.tables import Role
from components.ui.forms import Conflict, NotAllowed, NotFound, ValidationFailed


async def _ctx(org: int, role: Role = Role.owner) -> OrgContext:
    user = await User.select().first()
    current = CurrentUser(user["id"], user["email"], user["display_name"], False, org, 0)
    return OrgContext(current, org, "테스트 학생회", role, "127.0.0.1")


async def test_lifecycle_transitions_and_roles(owner):
    owner_ctx = await _ctx(owner["org"])
    treasurer = await _ctx(owner["org"], Role.treasurer)
    member = await _ctx(owner["org"], Role.member)
    ev = owner["event"]
    event = await services.get_event(owner_ctx, ev)
    assert [t["to"] for t in services.allowed_transitions(owner_ctx, event)] == ["budget_approved"]
    assert services.allowed_transitions(treasurer, event) == []
    with pytest.raises(NotAllowed):
        await services.change_status(treasurer, ev, "budget_approved")
    with pytest.raises(NotAllowed):
        await services.change_status(member, ev, "budget_approved")
    with pytest.raises(Conflict):
        await services.change_status(owner_ctx, ev, "in_progress")
    with pytest.raises(ValidationFailed):
        await services.change_status(owner_ctx, ev, "party")
    await services.change_status(owner_ctx, ev, "budget_approved")
    await services.change_status(treasurer, ev, "planning")  # one step back
    for to in ("budget_approved", "in_progress", "settling", "closed"):
        await services.change_status(owner_ctx, ev, to)
    event = await services.get_event(owner_ctx, ev)
    assert event["locked"] and services.allowed_transitions(owner_ctx, event) == []
    with pytest.raises(Conflict) as info:
        await services.change_status(owner_ctx, ev, "settling")
    assert info.value.message == services.LOCKED_MESSAGE
    with pytest.raises(NotAllowed):
        await services.reopen_event(treasurer, ev, "이유")
    with pytest.raises(ValidationFailed):
        await services.reopen_event(owner_ctx, ev, "")
    await services.reopen_event(owner_ctx, ev, "영수증 누락")
    assert (await services.get_event(owner_ctx, ev))["status"] == EventStatus.settling
    with pytest.raises(Conflict):
        await services.reopen_event(owner_ctx, ev, "다시")


async def test_locking_covers_every_money_service(owner):
    ctx = await _ctx(owner["org"])
    ev = owner["event"]
    line = await services.add_line(ctx, ev, {"section": "expense", "name": "식비", "planned_amount": "1000"})
    tx = await services.create_transaction(
        ctx,
        ev,
        {
            "section": "expense",
            "occurred_on": "2026-03-02",
            "amount": "1000",
            "payment_method": "card",
            "evidence_type": "card_slip",
            "status": "confirmed",
        },
    )
    for to in ("budget_approved", "in_progress", "settling", "closed"):
        await services.change_status(ctx, ev, to)
    calls = [
        services.update_event(ctx, ev, {"title": "x"}),
        services.add_line(ctx, ev, {"section": "expense", "name": "x"}),
        services.update_line(ctx, ev, line["id"], {"name": "x"}),
        services.delete_line(ctx, ev, line["id"]),
        services.move_line(ctx, ev, line["id"], "up"),
        services.set_variance_reason(ctx, ev, line["id"], "x"),
        services.copy_lines(ctx, ev, str(ev)),
        services.create_transaction(ctx, ev, {}),
        services.update_transaction(ctx, ev, tx, {}),
        services.delete_transaction(ctx, ev, tx),
    ]
    for call in calls:
        with pytest.raises(Conflict):
            await call
    # An auditor's comment is still possible on a closed event.
    auditor = await _ctx(owner["org"], Role.auditor)
    assert (await services.comment_line(auditor, ev, line["id"], "확인함"))["auditor_comment"] == "확인함"


async def test_totals_basis_and_version_conflict(owner):
    ctx = await _ctx(owner["org"])
    ev = owner["event"]
    await services.add_line(
        ctx, ev, {"section": "income", "name": "회비", "unit_price": "15,000", "quantity": "20"}
    )
    line = await services.add_line(
        ctx, ev, {"section": "expense", "name": "식비", "unit_price": "8,000", "quantity": "20", "times": "2"}
    )
    assert line["planned_amount"] == 320_000 and line["basis_text"] == "8,000원 × 20 × 2회"
    with pytest.raises(ValidationFailed) as info:
        await services.add_line(ctx, ev, {"section": "expense", "name": "x", "quantity": "3"})
    assert "단가도 입력하세요" in info.value.errors["unit_price"]
    event = await services.get_event(ctx, ev)
    totals = await services.budget_totals(event)
    assert (totals.carry_in, totals.income, totals.expense, totals.balance) == (
        50_000,
        300_000,
        320_000,
        30_000,
    )
    updated = await services.update_line(
        ctx, ev, line["id"], {"name": "식비", "planned_amount": "200,000", "version": "1"}
    )
    assert updated["version"] == 2 and updated["unit_price"] is None and updated["planned_amount"] == 200_000
    with pytest.raises(Conflict) as conflict:
        await services.update_line(
            ctx, ev, line["id"], {"name": "식비", "planned_amount": "1", "version": "1"}
        )
    assert conflict.value.current["planned_amount"] == 200_000
    assert "200,000원" in conflict.value.message


async def test_scoping_by_organisation(owner, stranger):
    ctx = await _ctx(owner["org"])
    with pytest.raises(NotFound):
        await services.get_event(ctx, stranger["event"])
    with pytest.raises(NotFound):
        await services.add_line(ctx, stranger["event"], {"section": "expense", "name": "x"})
    events, total = await services.list_events(ctx, services.EventFilters())
    assert total == 1 and events[0]["id"] == owner["event"]


async def test_receipt_totals_provider_feeds_warnings(owner):
    ctx = await _ctx(owner["org"])
    ev = owner["event"]
    tx = await services.create_transaction(
        ctx,
        ev,
        {
            "section": "expense",
            "occurred_on": "2026-03-02",
            "amount": "10000",
            "payment_method": "card",
            "evidence_type": "none",
            "status": "confirmed",
        },
    )

    async def provider(event_id: int) -> dict[int, int]:
        return {tx: 9_000} if event_id == ev else {}

    event = await services.get_event(ctx, ev)
    assert [w.code for w in await services.evidence_warnings(event)] == ["expense_without_evidence"]
    services.register_receipt_totals_provider(provider)
    try:
        assert [w.code for w in await services.evidence_warnings(event)] == ["receipt_total_mismatch"]
    finally:
        services._receipt_totals_providers.remove(provider)
