"""Events: list with filters and search, create/edit, the page at a glance, lifecycle, lock, reopen,
archive."""

from __future__ import annotations

from components.audit.tables import AuditEntry
from components.events.tables import Event
from tests.helpers import HX, post
from tests.integration.events.support import add_line, add_tx, make_event


async def test_create_event_validation_full_page_and_fragment(owner):
    c, org = owner["client"], owner["org"]
    page = await c.get(f"/o/{org}/events/new")
    assert page.status_code == 200 and 'id="event-form"' in page.text and "<html" in page.text
    bad = {"title": "", "starts_on": "2026-03-05", "ends_on": "2026-03-01", "carry_in": "1.5만원쯤"}
    plain = await post(c, f"/o/{org}/events", bad)
    assert plain.status_code == 422 and "<html" in plain.text
    for message in (
        "행사 이름을(를) 입력하세요",
        "종료일이 시작일보다 앞설 수 없습니다",
        "금액으로 읽을 수 없습니다",
    ):
        assert message in plain.text
    fragment = await post(c, f"/o/{org}/events", bad, htmx=True, headers={"HX-Target": "event-form"})
    assert fragment.status_code == 422 and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith('<form id="event-form"')
    ok = await post(c, f"/o/{org}/events", {"title": "MT", "carry_in": "12만"}, htmx=True)
    assert ok.status_code == 200 and "/events/" in ok.headers["hx-location"]
    event = await Event.select().where(Event.title == "MT").first()
    assert event["carry_in"] == 120_000 and event["status"] == "planning" and event["organisation"] == org
    assert await AuditEntry.count().where(AuditEntry.action == "event.create") == 2


async def test_list_filters_search_and_fragment(owner):
    c, org = owner["client"], owner["org"]
    await make_event(c, org, title="2025 체육대회", starts_on="2025-05-01", ends_on="2025-05-01")
    await make_event(c, org, title="2026 체육대회", starts_on="2026-05-01", ends_on="2026-05-01")
    page = await c.get(f"/o/{org}/events")
    assert page.status_code == 200 and "3개 행사" in page.text and 'class="table responsive"' in page.text
    search = await c.get(f"/o/{org}/events?q=체육", headers={**HX, "HX-Target": "event-list"})
    assert search.status_code == 200 and "<html" not in search.text
    assert search.text.lstrip().startswith('<section id="event-list">')
    # An HX-Location redirect loads the list into <body> (no HX-Target): the whole page.
    whole = await c.get(f"/o/{org}/events", headers=HX)
    assert "<html" in whole.text
    assert "2개 행사" in search.text and "신입생 환영회" not in search.text
    year = await c.get(f"/o/{org}/events?year=2025")
    assert "2025 체육대회" in year.text and "2026 체육대회" not in year.text
    status = await c.get(f"/o/{org}/events?status=closed")
    assert "0개 행사" in status.text
    odd = await c.get(f"/o/{org}/events?q=%25_&year=abc&status=nonsense")
    assert odd.status_code == 200 and "0개 행사" in odd.text


async def test_edit_event_and_version_conflict(owner, roles):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    form = await c.get(f"/o/{org}/events/{ev}/edit")
    assert 'name="version" value="1"' in form.text and 'value="신입생 환영회"' in form.text
    data = {
        "title": "신입생 환영회 (수정)",
        "starts_on": "2026-03-02",
        "ends_on": "2026-03-03",
        "carry_in": "0",
        "version": "1",
    }
    saved = await post(c, f"/o/{org}/events/{ev}", data)
    assert saved.status_code == 303
    stale = await post(roles["treasurer"], f"/o/{org}/events/{ev}", {**data, "title": "다른 제목"})
    assert stale.status_code == 409 and "다른 사람이 먼저 행사 정보를 고쳤습니다" in stale.text
    assert 'name="version" value="2"' in stale.text
    assert (await Event.select(Event.title).where(Event.id == ev).first())["title"] == "신입생 환영회 (수정)"


async def test_event_page_at_a_glance(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    line = await add_line(c, org, ev, planned_amount="100,000")
    await add_line(c, org, ev, section="income", name="회비", planned_amount="200,000")
    await add_tx(c, org, ev, budget_line=str(line), amount="40,000")
    await add_tx(c, org, ev, budget_line=str(line), amount="10,000", evidence_type="none")
    await add_tx(c, org, ev, section="income", amount="150,000", evidence_type="none")
    await add_tx(c, org, ev, amount="99,000", status="draft")  # drafts are not actual spending
    page = await c.get(f"/o/{org}/events/{ev}")
    assert page.status_code == 200
    assert 'id="balance">150,000원' in page.text  # 50,000 + 150,000 − 50,000
    assert 'id="execution-rate">50.0%' in page.text
    assert 'id="waiting-review">0건' in page.text
    assert 'id="warning-count">1건' in page.text and "증빙이 없는 지출입니다" in page.text


async def test_pending_review_counter_is_extensible(owner):
    from components.events import services

    async def counter(event_id: int) -> int:
        return 3 if event_id == owner["event"] else 0

    services.register_pending_review_counter(counter)
    try:
        page = await owner["client"].get(f"/o/{owner['org']}/events/{owner['event']}")
        assert 'id="waiting-review">3건' in page.text
    finally:
        services._review_counters.remove(counter)


async def test_lifecycle_buttons_and_transitions(owner, roles):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    treasurer = roles["treasurer"]
    # Budget approval is the owner's: a treasurer neither sees the button nor may post it.
    page = await treasurer.get(f"/o/{org}/events/{ev}")
    assert 'value="budget_approved"' not in page.text
    refused = await post(treasurer, f"/o/{org}/events/{ev}/status", {"to": "budget_approved"})
    assert refused.status_code == 403 and "회장만" in refused.text
    assert (await post(c, f"/o/{org}/events/{ev}/status", {"to": "budget_approved"})).status_code == 303
    # Skipping a step is refused.
    skip = await post(treasurer, f"/o/{org}/events/{ev}/status", {"to": "closed"}, htmx=True)
    assert skip.status_code == 409 and skip.headers["hx-retarget"] == "#flash"
    assert "바꿀 수 없습니다" in skip.text
    for to in ("in_progress", "settling", "closed"):
        assert (await post(treasurer, f"/o/{org}/events/{ev}/status", {"to": to})).status_code == 303
    entries = await AuditEntry.select(AuditEntry.after).where(AuditEntry.action == "event.status")
    assert len(entries) == 4


async def _close(client, org, ev):
    for to in ("budget_approved", "in_progress", "settling", "closed"):
        response = await post(client, f"/o/{org}/events/{ev}/status", {"to": to})
        assert response.status_code == 303, response.text


async def test_closed_event_refuses_every_edit_with_a_clear_message(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    line = await add_line(c, org, ev)
    tx = await add_tx(c, org, ev)
    await _close(c, org, ev)
    page = await c.get(f"/o/{org}/events/{ev}/budget")
    assert "마감된 행사입니다" in page.text and "항목 추가" not in page.text and "수정</a>" not in page.text
    base = f"/o/{org}/events/{ev}"
    edits = [
        (f"{base}", {"title": "x", "version": "5"}),
        (f"{base}/status", {"to": "settling"}),
        (f"{base}/budget/lines", {"section": "expense", "name": "x", "planned_amount": "1"}),
        (f"{base}/budget/lines/{line}", {"name": "x", "planned_amount": "1"}),
        (f"{base}/budget/lines/{line}/delete", {}),
        (f"{base}/budget/lines/{line}/move", {"direction": "up"}),
        (f"{base}/budget/lines/{line}/reason", {"variance_reason": "x"}),
        (f"{base}/budget/copy", {"copy_from": "1"}),
        (f"{base}/transactions", {"section": "expense", "occurred_on": "2026-03-02", "amount": "1"}),
        (f"{base}/transactions/{tx}", {"amount": "1"}),
        (f"{base}/transactions/{tx}/delete", {}),
    ]
    for route, data in edits:
        for htmx in (False, True):
            response = await post(c, route, data, htmx=htmx)
            assert response.status_code == 409, (route, response.status_code)
            assert "마감된 행사는 수정할 수 없습니다" in response.text, route
    for route in (
        f"{base}/edit",
        f"{base}/transactions/new",
        f"{base}/transactions/{tx}/edit",
        f"{base}/budget/lines/{line}/edit",
    ):
        response = await c.get(route)
        assert response.status_code == 409 and "마감된 행사는" in response.text, route


async def test_reopen_is_the_owners_with_a_reason_and_audited(owner, roles):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    await _close(c, org, ev)
    page = await c.get(f"/o/{org}/events/{ev}")
    assert f'action="/o/{org}/events/{ev}/reopen"' in page.text
    treasurer_page = await roles["treasurer"].get(f"/o/{org}/events/{ev}")
    assert "/reopen" not in treasurer_page.text
    refused = await post(roles["treasurer"], f"/o/{org}/events/{ev}/reopen", {"reason": "실수"})
    assert refused.status_code == 403
    no_reason = await post(c, f"/o/{org}/events/{ev}/reopen", {"reason": "  "})
    assert no_reason.status_code == 303
    assert (await Event.select(Event.status).where(Event.id == ev).first())["status"] == "closed"
    done = await post(c, f"/o/{org}/events/{ev}/reopen", {"reason": "누락된 영수증 추가"})
    assert done.status_code == 303
    assert (await Event.select(Event.status).where(Event.id == ev).first())["status"] == "settling"
    entry = await AuditEntry.select().where(AuditEntry.action == "event.reopen").first()
    assert entry["note"] == "누락된 영수증 추가" and "closed" in entry["before"]
    assert (
        await post(
            c,
            f"/o/{org}/events/{ev}/budget/lines",
            {"section": "expense", "name": "추가", "planned_amount": "1"},
        )
    ).status_code == 303


async def test_archive_hides_from_the_list(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    response = await post(c, f"/o/{org}/events/{ev}/archive", {"archived": "1"})
    assert response.status_code == 303 and response.headers["location"] == f"/o/{org}/events"
    assert "신입생 환영회" not in (await c.get(f"/o/{org}/events")).text
    assert "신입생 환영회" in (await c.get(f"/o/{org}/events?archived=1")).text
    await post(c, f"/o/{org}/events/{ev}/archive", {"archived": "0"})
    assert "신입생 환영회" in (await c.get(f"/o/{org}/events")).text
    assert await AuditEntry.count().where(AuditEntry.action.like("event.%archive")) == 2
