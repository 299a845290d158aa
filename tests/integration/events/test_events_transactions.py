"""Transactions (집행 내역): create, validate, filter with totals, edit with a version check, soft delete."""

from __future__ import annotations

from components.audit.tables import AuditEntry
from components.events.tables import Transaction
from tests.helpers import HX, post
from tests.integration.events.support import add_line, add_tx


async def test_create_with_korean_amount_and_validation(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    line = await add_line(c, org, ev, section="income", name="회비")
    form = await c.get(f"/o/{org}/events/{ev}/transactions/new?line={line}")
    assert form.status_code == 200 and f'<option value="{line}" selected>' in form.text
    bad = {
        "section": "expense",
        "budget_line": str(line),
        "occurred_on": "2026-13-01",
        "amount": "0",
        "payment_method": "bitcoin",
        "evidence_type": "card_slip",
        "status": "confirmed",
    }
    response = await post(
        c, f"/o/{org}/events/{ev}/transactions", bad, htmx=True, headers={"HX-Target": "tx-form"}
    )
    assert response.status_code == 422 and "<html" not in response.text
    assert response.text.lstrip().startswith('<form id="tx-form"')
    for message in (
        "날짜가 아닙니다",
        "0원 거래는 기록할 수 없습니다",
        "결제 수단을(를) 선택하세요",
        "수입 항목입니다",
    ):
        assert message in response.text
    tx_id = await add_tx(
        c,
        org,
        ev,
        section="income",
        budget_line=str(line),
        amount="1.2만원",
        evidence_type="none",
        payment_method="transfer",
        counterparty="홍길동",
    )
    tx = await Transaction.select().where(Transaction.id == tx_id).first()
    assert tx["amount"] == 12_000 and tx["budget_line"] == line and tx["author"] is not None
    entry = await AuditEntry.select().where(AuditEntry.action == "transaction.create").first()
    assert '"amount": 12000' in entry["after"]
    new_form = await c.get(f"/o/{org}/events/{ev}/transactions/new", headers=HX)  # after HX-Location
    assert "<html" in new_form.text
    again = await post(
        c,
        f"/o/{org}/events/{ev}/transactions",
        {
            "section": "expense",
            "occurred_on": "2026-03-02",
            "amount": "5000",
            "payment_method": "cash",
            "evidence_type": "receipt",
            "status": "confirmed",
            "again": "1",
        },
    )
    assert again.headers["location"].endswith("/transactions/new")


async def test_line_of_another_event_is_refused(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    other = await post(c, f"/o/{org}/events", {"title": "다른 행사"})
    other_id = int(other.headers["location"].rsplit("/", 1)[1])
    foreign_line = await add_line(c, org, other_id)
    response = await post(
        c,
        f"/o/{org}/events/{ev}/transactions",
        {
            "section": "expense",
            "budget_line": str(foreign_line),
            "occurred_on": "2026-03-02",
            "amount": "1000",
            "payment_method": "card",
            "evidence_type": "card_slip",
            "status": "confirmed",
        },
    )
    assert response.status_code == 422 and "이 행사의 예산 항목을 선택하세요" in response.text


async def test_list_filters_and_totals(owner):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    food = await add_line(c, org, ev, name="식비")
    await add_tx(c, org, ev, budget_line=str(food), amount="10,000", occurred_on="2026-03-02")
    await add_tx(
        c,
        org,
        ev,
        budget_line=str(food),
        amount="20,000",
        occurred_on="2026-03-03",
        evidence_type="simple_receipt",
    )
    await add_tx(c, org, ev, amount="5,000", occurred_on="2026-03-04", evidence_type="none", status="draft")
    await add_tx(
        c, org, ev, section="income", amount="100,000", evidence_type="none", occurred_on="2026-03-01"
    )
    base = f"/o/{org}/events/{ev}/transactions"
    page = await c.get(base)
    assert page.status_code == 200 and "<html" in page.text
    assert 'id="tx-count">4건' in page.text and 'id="tx-income">100,000원' in page.text
    assert 'id="tx-expense">35,000원' in page.text and "미분류" in page.text
    cases = {
        "?section=expense": ("3건", "0원", "35,000원"),
        f"?line={food}": ("2건", "0원", "30,000원"),
        "?line=none": ("2건", "100,000원", "5,000원"),
        "?from=2026-03-03&to=2026-03-04": ("2건", "0원", "25,000원"),
        "?evidence=simple_receipt": ("1건", "0원", "20,000원"),
        "?status=draft": ("1건", "0원", "5,000원"),
    }
    for query, (count, income, expense) in cases.items():
        fragment = await c.get(base + query, headers={**HX, "HX-Target": "tx-list"})
        assert fragment.status_code == 200 and "<html" not in fragment.text, query
        assert fragment.text.lstrip().startswith('<section id="tx-list">'), query
        assert f'id="tx-count">{count}' in fragment.text, query
        assert f'id="tx-income">{income}' in fragment.text, query
        assert f'id="tx-expense">{expense}' in fragment.text, query
    bad_date = await c.get(base + "?from=어제")
    assert bad_date.status_code == 200 and "날짜가 아닙니다" in bad_date.text


async def test_edit_with_version_check_and_soft_delete(owner, roles):
    c, org, ev = owner["client"], owner["org"], owner["event"]
    tx_id = await add_tx(c, org, ev, amount="13,500")
    base = f"/o/{org}/events/{ev}/transactions/{tx_id}"
    form = await c.get(f"{base}/edit")
    assert 'value="13,500"' in form.text and 'name="version" value="1"' in form.text
    data = {
        "section": "expense",
        "occurred_on": "2026-03-02",
        "counterparty": "김밥천국",
        "amount": "14,000",
        "payment_method": "card",
        "evidence_type": "card_slip",
        "status": "confirmed",
        "budget_line": "",
        "version": "1",
    }
    assert (await post(c, base, data)).status_code == 303
    stale = await post(roles["treasurer"], base, {**data, "amount": "99,000"})
    assert stale.status_code == 409 and "김밥천국 14,000원" in stale.text
    assert (await Transaction.select(Transaction.amount).where(Transaction.id == tx_id).first())[
        "amount"
    ] == 14_000
    audit = await AuditEntry.select().where(AuditEntry.action == "transaction.update").first()
    assert '"amount": 13500' in audit["before"] and '"amount": 14000' in audit["after"]

    deleted = await post(c, f"{base}/delete", htmx=True)
    assert deleted.status_code == 200 and deleted.headers["hx-location"]
    row = await Transaction.select().where(Transaction.id == tx_id).first()
    assert row is not None and row["deleted_at"] is not None  # soft: the row stays
    listing = await c.get(f"/o/{org}/events/{ev}/transactions")
    assert 'id="tx-count">0건' in listing.text
    assert (await c.get(f"{base}/edit")).status_code == 404
    assert (await post(c, f"{base}/delete")).status_code == 404
    entry = await AuditEntry.select().where(AuditEntry.action == "transaction.delete").first()
    assert '"amount": 14000' in entry["before"]
