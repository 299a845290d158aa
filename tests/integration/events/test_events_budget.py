"""The budget editor through HTTP: HTMX rows with out-of-band totals, and the same actions as plain forms."""

from __future__ import annotations

import re

from components.audit.tables import AuditEntry
from components.events.tables import BudgetLine, Transaction
from tests.helpers import HX, post
from tests.integration.events.support import add_line, add_tx


def url(o, path=""):
    return f"/o/{o['org']}/events/{o['event']}{path}"


async def test_budget_page_full_and_sections(owner):
    c = owner["client"]
    await add_line(
        c,
        owner["org"],
        owner["event"],
        section="income",
        category="회비",
        name="참가비",
        unit_price="10,000",
        quantity="30",
        planned_amount="",
    )
    await add_line(c, owner["org"], owner["event"], name="저녁", planned_amount="1.2만")
    page = await c.get(url(owner, "/budget"))
    assert page.status_code == 200 and "<html" in page.text
    assert 'id="lines-income"' in page.text and 'id="lines-expense"' in page.text
    assert "10,000원 × 30" in page.text  # 산출근거 shown
    assert 'id="total-income">300,000원' in page.text
    assert 'id="total-expense">12,000원' in page.text
    assert 'id="total-balance">338,000원' in page.text  # 50,000 carried in + 300,000 − 12,000
    assert 'class="table responsive budget"' in page.text and 'data-label="예산액"' in page.text


async def test_htmx_add_returns_the_row_and_oob_totals(owner):
    c = owner["client"]
    response = await post(
        c,
        url(owner, "/budget/lines"),
        {
            "section": "expense",
            "category": "식비",
            "name": "간식",
            "unit_price": "1,500",
            "quantity": "20",
            "times": "2",
        },
        htmx=True,
    )
    assert response.status_code == 200
    line = await BudgetLine.select().first()
    assert line["planned_amount"] == 60_000 and line["position"] == 1
    html = response.text
    assert "<html" not in html
    # The section comes back (the row joins its category group), totals out of band.
    assert html.lstrip().startswith('<tbody id="lines-expense">')
    assert f'<tr id="line-{line["id"]}"' in html and 'class="group-head"' in html and "식비" in html
    assert "60,000원" in html and "1,500원 × 20 × 2회" in html
    assert 'id="budget-totals" hx-swap-oob="true"' in html and 'id="total-expense">60,000원' in html
    assert 'id="subtotal-expense" hx-swap-oob="true">60,000원' in html
    # A fresh, empty add form replaces the one that was submitted.
    assert re.search(r'<div id="add-expense" class="add-line" hx-swap-oob="true">', html)
    assert 'value="간식"' not in html


async def test_htmx_add_invalid_is_retargeted_to_the_form_with_reasons(owner):
    response = await post(
        owner["client"],
        url(owner, "/budget/lines"),
        {"section": "income", "name": "", "planned_amount": "13,5000"},
        htmx=True,
    )
    assert response.status_code == 422
    assert response.headers["hx-retarget"] == "#add-income"
    assert response.headers["hx-reswap"] == "outerHTML"
    assert 'id="add-income"' in response.text and "<html" not in response.text
    assert "항목을(를) 입력하세요" in response.text and "쉼표 위치가 올바르지 않습니다" in response.text
    assert 'value="13,5000"' in response.text  # what was typed is kept
    assert await BudgetLine.count() == 0


async def test_plain_form_add_redirects_with_flash(owner):
    response = await post(
        owner["client"],
        url(owner, "/budget/lines"),
        {"section": "expense", "name": "대관료", "planned_amount": "200000원"},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(url(owner, "/budget#line-"))
    page = await owner["client"].get(url(owner, "/budget"))
    assert "대관료&#39; 항목을 추가했습니다" in page.text
    bad = await post(
        owner["client"],
        url(owner, "/budget/lines"),
        {"section": "expense", "name": "x", "planned_amount": "-1"},
    )
    assert bad.status_code == 422 and "<html" in bad.text and "0원 이상" in bad.text


async def test_edit_row_then_save_updates_totals_and_audits(owner):
    c = owner["client"]
    line_id = await add_line(c, owner["org"], owner["event"], name="저녁", planned_amount="100,000")
    edit = await c.get(
        url(owner, f"/budget/lines/{line_id}/edit"), headers={**HX, "HX-Target": f"line-{line_id}"}
    )
    assert edit.status_code == 200 and "<html" not in edit.text
    assert f'<tr id="line-{line_id}" class="editing">' in edit.text
    assert 'name="version" value="1"' in edit.text and 'value="100,000"' in edit.text
    saved = await post(
        c,
        url(owner, f"/budget/lines/{line_id}"),
        {"section": "expense", "name": "저녁 식사", "planned_amount": "1.5만", "version": "1"},
        htmx=True,
    )
    assert saved.status_code == 200
    assert saved.text.lstrip().startswith(f'<tr id="line-{line_id}" data-version="2">')
    assert "저녁 식사" in saved.text and 'id="total-expense">15,000원' in saved.text
    entry = await AuditEntry.select().where(AuditEntry.action == "budget_line.update").first()
    assert entry is not None and entry["object_id"] == str(line_id)
    assert '"planned_amount": 100000' in entry["before"] and '"planned_amount": 15000' in entry["after"]
    # Cancel returns the plain row; without HTMX the edit link opens the page in edit mode.
    row = await c.get(url(owner, f"/budget/lines/{line_id}"), headers={**HX, "HX-Target": f"line-{line_id}"})
    assert row.text.lstrip().startswith(f'<tr id="line-{line_id}"') and "editing" not in row.text
    plain = await c.get(url(owner, f"/budget/lines/{line_id}/edit"), follow_redirects=True)
    assert plain.status_code == 200 and 'class="editing"' in plain.text and "<html" in plain.text


async def test_second_save_of_the_same_version_is_a_conflict_showing_the_current_value(owner, roles):
    c, treasurer = owner["client"], roles["treasurer"]
    line_id = await add_line(c, owner["org"], owner["event"], name="현수막", planned_amount="50,000")
    first = await post(
        c,
        url(owner, f"/budget/lines/{line_id}"),
        {"name": "현수막", "planned_amount": "60,000", "version": "1"},
        htmx=True,
    )
    assert first.status_code == 200
    second = await post(
        treasurer,
        url(owner, f"/budget/lines/{line_id}"),
        {"name": "현수막 2개", "planned_amount": "90,000", "version": "1"},
        htmx=True,
    )
    assert second.status_code == 409
    assert "다른 사람이 먼저 이 항목을 고쳤습니다" in second.text and "현수막 · 60,000원" in second.text
    assert 'value="90,000"' in second.text  # the second person's input is kept…
    assert 'name="version" value="2"' in second.text  # …and can be saved deliberately now
    line = await BudgetLine.select().where(BudgetLine.id == line_id).first()
    assert line["planned_amount"] == 60_000  # nothing silently overwritten
    # Plain form: the whole page with the message and the row in edit mode.
    plain = await post(
        treasurer,
        url(owner, f"/budget/lines/{line_id}"),
        {"name": "현수막 2개", "planned_amount": "90,000", "version": "1"},
    )
    assert plain.status_code == 409 and "<html" in plain.text and "60,000원" in plain.text
    retry = await post(
        treasurer,
        url(owner, f"/budget/lines/{line_id}"),
        {"name": "현수막 2개", "planned_amount": "90,000", "version": "2"},
        htmx=True,
    )
    assert retry.status_code == 200 and "90,000원" in retry.text


async def test_delete_line_oob_totals_and_transactions_become_unclassified(owner):
    c = owner["client"]
    line_id = await add_line(c, owner["org"], owner["event"], planned_amount="100,000")
    await add_line(c, owner["org"], owner["event"], name="다과", planned_amount="30,000")
    tx_id = await add_tx(c, owner["org"], owner["event"], budget_line=str(line_id))
    response = await post(c, url(owner, f"/budget/lines/{line_id}/delete"), htmx=True)
    assert response.status_code == 200
    assert response.headers["hx-retarget"] == "#lines-expense"
    assert response.text.lstrip().startswith('<tbody id="lines-expense">')
    assert f'id="line-{line_id}"' not in response.text and "다과" in response.text
    assert 'id="total-expense">30,000원' in response.text and 'hx-swap-oob="true"' in response.text
    assert await BudgetLine.count().where(BudgetLine.id == line_id) == 0
    tx = await Transaction.select().where(Transaction.id == tx_id).first()
    assert tx["budget_line"] is None
    assert await AuditEntry.count().where(AuditEntry.action == "budget_line.delete") == 1
    plain = await post(c, url(owner, f"/budget/lines/{line_id + 1}/delete"))
    assert plain.status_code == 303 and plain.headers["location"] == url(owner, "/budget")


async def test_lines_are_grouped_by_category_and_a_category_change_redraws_the_section(owner):
    c = owner["client"]
    a = await add_line(c, owner["org"], owner["event"], category="식비", name="점심", planned_amount="10,000")
    await add_line(c, owner["org"], owner["event"], category="대관", name="강당", planned_amount="50,000")
    await add_line(c, owner["org"], owner["event"], category="식비", name="저녁", planned_amount="20,000")
    page = await c.get(url(owner, "/budget"))
    body = page.text[page.text.index('<tbody id="lines-expense">') :]
    order = re.findall(
        r'scope="rowgroup">([^<]+)<span class="subtotal">([^<]+)<|class="line-name">([^<]+)<', body
    )
    flat = [x[0].strip() or x[2] for x in order][:5]
    assert flat == ["식비", "점심", "저녁", "대관", "강당"]
    assert "30,000원" in order[0][1]
    # Same category: the row and its group's subtotal come back (OOB, in a <template>).
    saved = await post(
        c,
        url(owner, f"/budget/lines/{a}"),
        {
            "category": "식비",
            "previous_category": "식비",
            "name": "점심",
            "planned_amount": "15,000",
            "version": "1",
        },
        htmx=True,
    )
    assert saved.text.lstrip().startswith(f'<tr id="line-{a}"')
    assert re.search(
        r'<template>\s*<tr id="group-expense-\w+" class="group-head" hx-swap-oob="true">', saved.text
    )
    assert "35,000원" in saved.text
    # Another category: the whole section is redrawn in place of the row.
    moved = await post(
        c,
        url(owner, f"/budget/lines/{a}"),
        {
            "category": "대관",
            "previous_category": "식비",
            "name": "점심",
            "planned_amount": "15,000",
            "version": "2",
        },
        htmx=True,
    )
    assert moved.headers["hx-retarget"] == "#lines-expense"
    assert moved.text.lstrip().startswith('<tbody id="lines-expense">')


async def test_reorder_rows(owner):
    c = owner["client"]
    ids = [await add_line(c, owner["org"], owner["event"], name=n) for n in ("가", "나", "다")]
    response = await post(c, url(owner, f"/budget/lines/{ids[2]}/move"), {"direction": "up"}, htmx=True)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<tbody id="lines-expense">')
    order = re.findall(r'<tr id="line-(\d+)"', response.text)
    assert order == [str(ids[0]), str(ids[2]), str(ids[1])]
    # The top row cannot go further up; plain form redirects.
    plain = await post(c, url(owner, f"/budget/lines/{ids[0]}/move"), {"direction": "up"})
    assert plain.status_code == 303
    rows = await BudgetLine.select(BudgetLine.id).order_by(BudgetLine.position)
    assert [r["id"] for r in rows] == [ids[0], ids[2], ids[1]]


async def test_copy_lines_from_a_past_event(owner):
    c = owner["client"]
    await add_line(c, owner["org"], owner["event"], section="income", name="회비", planned_amount="300,000")
    await add_line(
        c, owner["org"], owner["event"], name="저녁", unit_price="10,000", quantity="30", planned_amount=""
    )
    # When creating a new event…
    response = await post(
        c, f"/o/{owner['org']}/events", {"title": "2027 환영회", "copy_from": str(owner["event"])}
    )
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    copied = await BudgetLine.select().where(BudgetLine.event == new_id).order_by(BudgetLine.id)
    assert sorted((r["section"], r["name"], r["planned_amount"], r["unit_price"]) for r in copied) == [
        ("expense", "저녁", 300_000, 10_000),
        ("income", "회비", 300_000, None),
    ]
    # …or into an existing one from the budget page.
    again = await post(
        c, f"/o/{owner['org']}/events/{new_id}/budget/copy", {"copy_from": str(owner["event"])}
    )
    assert again.status_code == 303
    assert await BudgetLine.count().where(BudgetLine.event == new_id) == 4
    assert await AuditEntry.count().where(AuditEntry.action == "budget_line.copy") == 2
