"""Budget vs actual (예산 대비 결산): A, B, B − A, 집행률, 사유 beyond the threshold, unclassified,
차기이월."""

from __future__ import annotations

import re

from components.audit.tables import AuditEntry
from components.events.tables import BudgetLine
from tests.helpers import HX, post
from tests.integration.events.support import add_line, add_tx


def _row(html: str, line_id: int) -> str:
    match = re.search(rf'<tr id="actual-{line_id}".*?</tr>', html, re.S)
    assert match, line_id
    return match.group(0)


async def test_budget_vs_actual_numbers(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    fee = await add_line(c, org, ev, section="income", name="회비", planned_amount="300,000")
    food = await add_line(c, org, ev, name="식비", planned_amount="100,000")
    venue = await add_line(c, org, ev, name="대관료", planned_amount="200,000")
    print_ = await add_line(c, org, ev, name="인쇄비", planned_amount="50,000")
    await add_tx(c, org, ev, section="income", budget_line=str(fee), amount="280,000", evidence_type="none")
    await add_tx(c, org, ev, budget_line=str(food), amount="80,000")
    await add_tx(c, org, ev, budget_line=str(food), amount="25,000")  # 105,000: +5%, no reason needed
    await add_tx(c, org, ev, budget_line=str(venue), amount="150,000")  # −25%: reason needed
    await add_tx(c, org, ev, budget_line=str(print_), amount="10,000", status="draft")  # not counted
    await add_tx(c, org, ev, amount="7,000", counterparty="편의점")  # unclassified expense
    page = await c.get(f"/o/{org}/events/{ev}/actual")
    assert page.status_code == 200 and "<html" in page.text
    food_row = _row(page.text, food)
    assert (
        "100,000원" in food_row
        and "105,000원" in food_row
        and "+5,000원" in food_row
        and "105.0%" in food_row
    )
    assert "사유 필요" not in food_row
    venue_row = _row(page.text, venue)
    assert "-50,000원" in venue_row and "75.0%" in venue_row and "사유 필요" in venue_row
    assert 'class="over"' in venue_row
    assert "0.0%" in _row(page.text, print_)
    assert 'id="sum-income">280,000원' in page.text
    assert 'id="sum-expense">262,000원' in page.text  # 105,000 + 150,000 + 7,000 unclassified
    assert 'id="carry-out">68,000원' in page.text  # 50,000 + 280,000 − 262,000
    assert "예산상 잔액 0원" in page.text  # 50,000 + 300,000 − 350,000
    assert 'id="unclassified"' in page.text and "편의점" in page.text
    assert (
        'id="missing-reasons"' in page.text and "사유가 없습니다" in page.text
    )  # 대관료, 인쇄비, 회비? (−6.7% no)


async def test_reason_inline_and_threshold_per_event(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    venue = await add_line(c, org, ev, name="대관료", planned_amount="200,000")
    await add_tx(c, org, ev, budget_line=str(venue), amount="150,000")
    response = await post(
        c,
        f"/o/{org}/events/{ev}/budget/lines/{venue}/reason",
        {"variance_reason": "학교 지원으로 할인"},
        htmx=True,
    )
    assert response.status_code == 200 and "<html" not in response.text
    assert response.text.lstrip().startswith(f'<td data-label="사유" id="reason-{venue}">')
    assert 'value="학교 지원으로 할인"' in response.text and "저장됨" in response.text
    assert "사유 필요" not in response.text
    line = await BudgetLine.select().where(BudgetLine.id == venue).first()
    assert line["variance_reason"] == "학교 지원으로 할인"
    assert await AuditEntry.count().where(AuditEntry.action == "budget_line.reason") == 1
    page = await c.get(f"/o/{org}/events/{ev}/actual")
    assert 'id="missing-reasons"' not in page.text
    # With a 30% threshold the same −25% needs no reason.
    edit = {"title": "신입생 환영회", "variance_threshold_pct": "30", "carry_in": "50,000", "version": "1"}
    assert (await post(c, f"/o/{org}/events/{ev}", edit)).status_code == 303
    await post(c, f"/o/{org}/events/{ev}/budget/lines/{venue}/reason", {"variance_reason": ""})
    page = await c.get(f"/o/{org}/events/{ev}/actual")
    assert "사유 필요" not in _row(page.text, venue)


async def test_auditor_comments_on_a_line(owner, roles):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    line = await add_line(c, org, ev, name="식비")
    auditor = roles["auditor"]
    page = await auditor.get(f"/o/{org}/events/{ev}/actual")
    assert f'hx-get="/o/{org}/events/{ev}/budget/lines/{line}/comment"' in page.text
    assert 'name="variance_reason"' not in page.text
    target = {**HX, "HX-Target": f"comment-{line}"}
    form = await auditor.get(f"/o/{org}/events/{ev}/budget/lines/{line}/comment", headers=target)
    assert form.status_code == 200 and "<html" not in form.text
    assert form.text.lstrip().startswith(f'<td data-label="감사 의견" id="comment-{line}">')
    assert 'name="auditor_comment"' in form.text
    plain = await auditor.get(f"/o/{org}/events/{ev}/budget/lines/{line}/comment", follow_redirects=True)
    assert 'name="auditor_comment"' in plain.text and "<html" in plain.text
    member = await roles["member"].get(f"/o/{org}/events/{ev}/budget/lines/{line}/comment", headers=target)
    assert member.status_code == 403
    response = await post(
        auditor,
        f"/o/{org}/events/{ev}/budget/lines/{line}/comment",
        {"auditor_comment": "영수증 원본 확인 필요"},
        htmx=True,
        headers={"HX-Target": f"comment-{line}"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<td data-label="감사 의견" id="comment-{line}">')
    assert "영수증 원본 확인 필요" in response.text
    budget = await c.get(f"/o/{org}/events/{ev}/budget")
    assert "감사 의견: 영수증 원본 확인 필요" in budget.text
    entry = await AuditEntry.select().where(AuditEntry.action == "budget_line.comment").first()
    assert "영수증 원본 확인 필요" in entry["after"]
    for role in ("treasurer", "member"):
        refused = await post(
            roles[role],
            f"/o/{org}/events/{ev}/budget/lines/{line}/comment",
            {"auditor_comment": "x"},
            htmx=True,
        )
        assert refused.status_code == 403, role


async def test_evidence_warnings_on_the_screen(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    await add_tx(c, org, ev, amount="5,000", evidence_type="none", counterparty="노점")
    await add_tx(c, org, ev, amount="35,000", evidence_type="simple_receipt", counterparty="식당")
    await add_tx(c, org, ev, amount="8,000", occurred_on="2026-02-20", counterparty="문구점")
    page = await c.get(f"/o/{org}/events/{ev}/actual")
    assert "경고 3건" in page.text
    assert (
        "증빙 없는 지출" in page.text
        and "간이영수증 한도 초과" in page.text
        and "행사 기간 밖 거래" in page.text
    )
    fragment = await c.get(f"/o/{org}/events/{ev}", headers=HX)
    assert 'id="warning-count">3건' in fragment.text
