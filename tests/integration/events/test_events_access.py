"""Route by route: another organisation's ids are 404, members and auditors read but do not edit."""

from __future__ import annotations

import pytest

from components.events.tables import BudgetLine, Event, Transaction
from tests.helpers import post
from tests.integration.events.support import add_line, add_tx

READ_ROUTES = [
    "/o/{org}/events",
    "/o/{org}/events/{event}",
    "/o/{org}/events/{event}/budget",
    "/o/{org}/events/{event}/budget/lines/{line}",
    "/o/{org}/events/{event}/actual",
    "/o/{org}/events/{event}/transactions",
]
EDIT_PAGES = [
    "/o/{org}/events/new",
    "/o/{org}/events/{event}/edit",
    "/o/{org}/events/{event}/budget/lines/{line}/edit",
    "/o/{org}/events/{event}/transactions/new",
    "/o/{org}/events/{event}/transactions/{tx}/edit",
    "/o/{org}/events/{event}/budget/lines/{line}/comment",
]
LINE = {"section": "expense", "name": "탈취", "planned_amount": "1", "version": "1"}
TX = {
    "section": "expense",
    "occurred_on": "2026-03-02",
    "amount": "1",
    "payment_method": "card",
    "evidence_type": "card_slip",
    "status": "confirmed",
    "version": "1",
}
EDIT_POSTS = [
    ("/o/{org}/events", {"title": "탈취"}),
    ("/o/{org}/events/{event}", {"title": "탈취", "version": "1"}),
    ("/o/{org}/events/{event}/status", {"to": "budget_approved"}),
    ("/o/{org}/events/{event}/archive", {"archived": "1"}),
    ("/o/{org}/events/{event}/budget/lines", LINE),
    ("/o/{org}/events/{event}/budget/lines/{line}", LINE),
    ("/o/{org}/events/{event}/budget/lines/{line}/move", {"direction": "up"}),
    ("/o/{org}/events/{event}/budget/lines/{line}/reason", {"variance_reason": "탈취"}),
    ("/o/{org}/events/{event}/budget/copy", {"copy_from": "{event}"}),
    ("/o/{org}/events/{event}/transactions", TX),
    ("/o/{org}/events/{event}/transactions/{tx}", TX),
    ("/o/{org}/events/{event}/transactions/{tx}/delete", {}),
    ("/o/{org}/events/{event}/budget/lines/{line}/delete", {}),
]
OTHER_POSTS = [
    ("/o/{org}/events/{event}/reopen", {"reason": "탈취"}),
    ("/o/{org}/events/{event}/budget/lines/{line}/comment", {"auditor_comment": "탈취"}),
]


def _fill(template: str, ids: dict[str, int]) -> str:
    return template.format(**ids)


async def _ids(client, org: int, event: int) -> dict[str, int]:
    line = await add_line(client, org, event)
    tx = await add_tx(client, org, event, budget_line=str(line))
    return {"org": org, "event": event, "line": line, "tx": tx}


async def _snapshot() -> tuple:
    return (
        await Event.select().order_by(Event.id),
        await BudgetLine.select().order_by(BudgetLine.id),
        await Transaction.select().order_by(Transaction.id),
    )


async def test_another_organisations_ids_are_404_everywhere(owner, stranger):
    mine = await _ids(owner["client"], owner["org"], owner["event"])
    theirs = await _ids(stranger["client"], stranger["org"], stranger["event"])
    before = await _snapshot()
    c = owner["client"]
    # Their organisation in the URL: not a member.
    for route in READ_ROUTES + EDIT_PAGES:
        assert (await c.get(_fill(route, theirs))).status_code == 404, route
    for route, data in EDIT_POSTS + OTHER_POSTS:
        filled = {k: _fill(v, theirs) for k, v in data.items()}
        assert (await post(c, _fill(route, theirs), filled)).status_code == 404, route
    # My organisation in the URL, their event / line / transaction ids.
    mixes = [
        {**mine, "event": theirs["event"]},
        {**mine, "line": theirs["line"]},
        {**mine, "tx": theirs["tx"]},
    ]
    for ids in mixes:
        for route in READ_ROUTES + EDIT_PAGES:
            if route.format(**ids) == route.format(**mine):
                continue
            assert (await c.get(_fill(route, ids))).status_code == 404, (route, ids)
        for route, data in EDIT_POSTS + OTHER_POSTS:
            if route.format(**ids) == route.format(**mine) or route == "/o/{org}/events":
                continue
            response = await post(c, _fill(route, ids), {k: _fill(v, mine) for k, v in data.items()})
            assert response.status_code == 404, (route, ids, response.status_code)
    # Copying their budget into my event, and a transaction on their line, are refused too.
    copy = await post(
        c, _fill("/o/{org}/events/{event}/budget/copy", mine), {"copy_from": str(theirs["event"])}
    )
    assert copy.status_code == 404
    assert (
        await post(c, f"/o/{mine['org']}/events", {"title": "x", "copy_from": str(theirs["event"])})
    ).status_code == 404
    tx = await post(
        c, _fill("/o/{org}/events/{event}/transactions", mine), {**TX, "budget_line": str(theirs["line"])}
    )
    assert tx.status_code == 422
    after = await _snapshot()
    assert [r for r in after[2] if r["event"] == theirs["event"]] == [
        r for r in before[2] if r["event"] == theirs["event"]
    ]
    assert [r for r in after[1] if r["event"] == theirs["event"]] == [
        r for r in before[1] if r["event"] == theirs["event"]
    ]
    assert [r for r in after[0] if r["id"] == theirs["event"]] == [
        r for r in before[0] if r["id"] == theirs["event"]
    ]
    assert "다른 행사" not in (await c.get(f"/o/{mine['org']}/events")).text


@pytest.mark.parametrize("role", ["member", "auditor"])
async def test_members_and_auditors_read_but_cannot_edit(owner, roles, role):
    ids = await _ids(owner["client"], owner["org"], owner["event"])
    browser = roles[role]
    before = await _snapshot()
    for route in READ_ROUTES:
        response = await browser.get(_fill(route, ids))
        assert response.status_code in (200, 303), route
    page = await browser.get(_fill("/o/{org}/events/{event}/budget", ids))
    assert "항목 추가" not in page.text and "/delete" not in page.text
    for route in EDIT_PAGES:
        expected = 303 if role == "auditor" and route.endswith("/comment") else 403  # auditors comment
        assert (await browser.get(_fill(route, ids))).status_code == expected, route
    for route, data in [*EDIT_POSTS, OTHER_POSTS[0]]:
        for htmx in (False, True):
            response = await post(
                browser, _fill(route, ids), {k: _fill(v, ids) for k, v in data.items()}, htmx=htmx
            )
            assert response.status_code == 403, (route, htmx, response.status_code)
            assert "권한" in response.text or "회장만" in response.text
    assert await _snapshot() == before


async def test_treasurer_edits(owner, roles):
    ids = await _ids(owner["client"], owner["org"], owner["event"])
    treasurer = roles["treasurer"]
    for route in EDIT_PAGES[:-1]:  # the last is the auditor's comment form
        assert (await treasurer.get(_fill(route, ids), follow_redirects=True)).status_code == 200, route
    response = await post(
        treasurer,
        _fill("/o/{org}/events/{event}/budget/lines/{line}", ids),
        {"name": "총무가 고침", "planned_amount": "7,000", "version": "1"},
        htmx=True,
    )
    assert response.status_code == 200 and "총무가 고침" in response.text
