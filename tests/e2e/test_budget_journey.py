"""The treasurer's journey in a real browser: create an event → add five budget lines inline (HTMX, totals
update in place) → record three transactions → see budget vs actual."""

from __future__ import annotations

import re

from playwright.async_api import expect

PASSWORD = "correct-horse-battery"

LINES = [
    # section, category, name, unit price, quantity, amount
    ("income", "회비", "참가비", "10,000", "30", ""),
    ("income", "지원금", "학과 지원금", "", "", "20만"),
    ("expense", "대관", "강당 대관료", "", "", "150,000"),
    ("expense", "식비", "저녁 식사", "8,000", "30", ""),
    ("expense", "인쇄", "현수막", "", "", "35000원"),
]


async def _add_line(page, section, category, name, unit_price, quantity, amount):  # type: ignore[no-untyped-def]
    prefix = f"#add-{section}-"
    await page.fill(prefix + "category", category)
    await page.fill(prefix + "name", name)
    await page.fill(prefix + "unit_price", unit_price)
    await page.fill(prefix + "quantity", quantity)
    await page.fill(prefix + "planned_amount", amount)
    rows = page.locator(f"#lines-{section} tr[id^=line-]")
    count = await rows.count()
    await page.click(f"#add-{section} button[type=submit]")
    await expect(rows).to_have_count(count + 1)
    # The fresh add form replaced the submitted one (out-of-band): empty again.
    await expect(page.locator(prefix + "name")).to_have_value("")


async def _record(page, line_label, amount, counterparty, evidence, again):  # type: ignore[no-untyped-def]
    await page.select_option("#tx-section", "expense")
    await page.select_option("#tx-budget_line", label=line_label)
    await page.fill("#tx-occurred_on", "2026-03-02")
    await page.fill("#tx-counterparty", counterparty)
    await page.fill("#tx-amount", amount)
    await page.select_option("#tx-evidence_type", evidence)
    await page.click(
        "button:has-text('저장하고 하나 더')" if again else "#tx-form button[type=submit] >> nth=0"
    )


async def test_create_event_budget_inline_transactions_and_budget_vs_actual(page):
    await page.goto("/register")
    await page.fill("#f-email", "treasurer@example.com")
    await page.fill("#f-display_name", "김총무")
    await page.fill("#f-password", PASSWORD)
    await page.fill("#f-password_confirm", PASSWORD)
    await page.click("button:has-text('가입하기')")
    await page.wait_for_url(re.compile(r"/orgs$"))
    await page.fill("#f-name", "경영학과 학생회")
    await page.click("button:has-text('만들기')")
    await page.wait_for_url(re.compile(r"/o/\d+$"))

    # Create the event.
    await page.click("a.tile:has-text('행사')")
    await page.wait_for_url(re.compile(r"/o/\d+/events$"))
    await page.click("a:has-text('새 행사')")
    await page.fill("#ev-title", "2026 신입생 환영회")
    await page.fill("#ev-starts_on", "2026-03-02")
    await page.fill("#ev-ends_on", "2026-03-03")
    await page.fill("#ev-carry_in", "5만")
    await page.click("button:has-text('행사 만들기')")
    await page.wait_for_url(re.compile(r"/o/\d+/events/\d+$"))
    await expect(page.locator("h1")).to_contain_text("2026 신입생 환영회")
    event_url = page.url

    # Five budget lines, added inline; the totals follow without a reload.
    await page.click("nav.tabs a:has-text('예산')")
    await page.wait_for_url(re.compile(r"/budget$"))
    for line in LINES:
        await _add_line(page, *line)
    assert page.url.endswith("/budget")  # never left the page
    await expect(page.locator("#total-income")).to_have_text("500,000원")
    await expect(page.locator("#total-expense")).to_have_text("425,000원")
    await expect(page.locator("#total-balance")).to_have_text("125,000원")
    await expect(page.locator("#subtotal-expense")).to_have_text("425,000원")
    await expect(page.locator("#lines-income")).to_contain_text("10,000원 × 30")

    # Lines are grouped by category; reorder within a group, in place.
    await _add_line(page, "expense", "식비", "간식", "", "", "9,999")
    await expect(page.locator("#total-expense")).to_have_text("434,999원")
    rows = page.locator("#lines-expense tr[id^=line-]")
    await expect(rows.nth(2)).to_contain_text("간식")  # 대관: 강당 · 식비: 저녁 식사, 간식 · 인쇄: 현수막
    await page.locator("#lines-expense tr", has_text="간식").locator("button[title='위로']").click()
    await expect(rows.nth(1)).to_contain_text("간식")
    # Delete in place (after the confirmation): the row goes, the totals follow.
    page.once("dialog", lambda dialog: dialog.accept())
    await page.locator("#lines-expense tr", has_text="간식").locator("button:has-text('삭제')").click()
    await expect(page.locator("#lines-expense tr", has_text="간식")).to_have_count(0)
    await expect(page.locator("#total-expense")).to_have_text("425,000원")

    # A wrong amount is refused in place, with the reason.
    await page.fill("#add-expense-name", "간식")
    await page.fill("#add-expense-planned_amount", "1.23456만")
    await page.click("#add-expense button[type=submit]")
    await expect(page.locator("#add-expense")).to_contain_text("원 단위 정수")
    await expect(page.locator("#add-expense-planned_amount")).to_have_value("1.23456만")

    # Inline edit of one row: the row and the totals change in place.
    row = page.locator("#lines-expense tr[id^=line-]", has_text="현수막")
    await row.locator("a:has-text('수정')").click()
    editing = page.locator("#lines-expense tr.editing")
    await expect(editing).to_have_count(1)
    await editing.locator("input[name=planned_amount]").fill("40,000")
    await editing.locator("button:has-text('저장')").click()
    await expect(page.locator("#lines-expense tr.editing")).to_have_count(0)
    await expect(page.locator("#lines-expense")).to_contain_text("40,000원")
    await expect(page.locator("#total-expense")).to_have_text("430,000원")

    # Three transactions.
    await page.goto(event_url + "/transactions/new")
    await _record(page, "[지출] 대관 · 강당 대관료", "150,000", "학생회관", "tax_invoice", again=True)
    await expect(page.locator("#tx-amount")).to_have_value("")  # a fresh form for the next one
    await expect(page.locator("#flash")).to_contain_text("집행 내역을 기록했습니다")
    await _record(page, "[지출] 식비 · 저녁 식사", "26만 5천", "치킨집", "card_slip", again=True)
    await expect(page.locator("#tx-amount")).to_have_value("")
    await _record(page, "[지출] 인쇄 · 현수막", "42,000", "인쇄소", "simple_receipt", again=False)
    await page.wait_for_url(re.compile(r"/transactions$"))
    await expect(page.locator("#tx-count")).to_have_text("3건")
    await expect(page.locator("#tx-expense")).to_have_text("457,000원")

    # Budget vs actual.
    await page.click("nav.tabs a:has-text('예산 대비 결산')")
    await page.wait_for_url(re.compile(r"/actual$"))
    dinner = page.locator("tr", has_text="저녁 식사").first
    await expect(dinner).to_contain_text("240,000원")
    await expect(dinner).to_contain_text("265,000원")
    await expect(dinner).to_contain_text("+25,000원")
    await expect(dinner).to_contain_text("110.4%")
    await expect(dinner).to_contain_text("사유 필요")
    venue = page.locator("tr", has_text="강당 대관료").first
    await expect(venue).to_contain_text("100.0%")
    await expect(page.locator("#sum-expense")).to_have_text("457,000원")
    await expect(page.locator("#carry-out")).to_have_text("-407,000원")  # nothing received yet
    await expect(page.locator("#warnings")).to_contain_text("간이영수증 한도 초과")

    # The treasurer writes the reason in place.
    reason = dinner.locator("td[data-label='사유']")
    await reason.locator("input[name=variance_reason]").fill("참석 인원 증가")
    await reason.locator("button:has-text('저장')").click()
    await expect(reason).to_contain_text("저장됨")
    await expect(dinner).not_to_contain_text("사유 필요")
