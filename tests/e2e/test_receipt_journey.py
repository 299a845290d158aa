"""Done means (issue 4): on a phone, upload two receipt photos → both reach 검토 필요 by themselves →
review one, confirm it onto a budget line → the budget-vs-actual screen shows the amount."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "receipts"
PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.e2e


async def _event_with_lines(org_id: int) -> tuple[int, dict[str, int]]:
    from components.events.tables import BudgetLine, Event

    stamp = datetime.now(UTC)
    event = Event(
        organisation=org_id,
        title="봄 MT",
        starts_on=date(2026, 4, 3),
        ends_on=date(2026, 4, 4),
        status="in_progress",
        created_at=stamp,
        updated_at=stamp,
    )
    await event.save()
    lines = {}
    for position, (category, name) in enumerate([("식비", "식사"), ("물품", "간식"), ("장소", "대관")]):
        line = BudgetLine(
            event=event.id,
            section="expense",
            category=category,
            name=name,
            planned_amount=300000,
            position=position,
            created_at=stamp,
            updated_at=stamp,
        )
        await line.save()
        lines[name] = int(line.id)
    return int(event.id), lines


async def test_phone_upload_review_confirm_budget_vs_actual(phone_page):
    tab = phone_page
    await tab.goto("/register")
    await tab.fill("#f-email", "treasurer@example.com")
    await tab.fill("#f-display_name", "박총무")
    await tab.fill("#f-password", PASSWORD)
    await tab.fill("#f-password_confirm", PASSWORD)
    await tab.click("button:has-text('가입하기')")
    await tab.wait_for_url(re.compile(r"/orgs$"))
    await tab.fill("#f-name", "경영학과 학생회")
    await tab.click("button:has-text('만들기')")
    await tab.wait_for_url(re.compile(r"/o/\d+$"))
    org_id = int(tab.url.rstrip("/").rsplit("/", 1)[-1])
    event_id, lines = await _event_with_lines(org_id)

    # The event page: "영수증 찍기" is one tap away, near the top of the phone screen.
    await tab.goto(f"/o/{org_id}/events/{event_id}")
    camera = tab.locator("label.capture-button:has-text('영수증 찍기')")
    await camera.wait_for()
    box = await camera.bounding_box()
    assert box is not None and box["y"] < 844, box
    camera_input = tab.locator(f"#receipt-camera-{event_id}")
    assert await camera_input.get_attribute("capture") == "environment"
    assert await camera_input.get_attribute("accept") == "image/*,application/pdf"

    # Two photos at once; the upload submits itself and lands on the receipt list.
    photos = [SAMPLES / "002_card_slip.jpg", SAMPLES / "015_cafe.jpg"]
    truth = json.loads((SAMPLES / "002_card_slip.json").read_text())
    await camera_input.set_input_files([str(p) for p in photos])
    await tab.wait_for_url(re.compile(rf"/events/{event_id}/receipts$"), timeout=30_000)
    await tab.wait_for_selector("text=영수증 2장을 올렸습니다")

    # Both reach 검토 필요 by themselves (the rows poll; no reload).
    from playwright.async_api import expect

    waiting = tab.locator("li.receipt-row[data-status='needs_review']")
    await expect(waiting).to_have_count(2, timeout=120_000)

    # Review the card slip: the first waiting receipt.
    await tab.click("a:has-text('검토 시작')")
    await tab.wait_for_url(re.compile(r"/receipts/\d+$"))
    await tab.wait_for_selector("svg.ocr-boxes polygon")
    assert await tab.input_value("#f-amount")  # the total was suggested from the OCR
    # A retake with the camera is offered (right under the warning when the OCR flags a poor photo).
    retake = tab.locator("form.replace-form input[type=file]").first
    assert await retake.get_attribute("capture") == "environment"
    # Clicking an OCR box fills the focused field.
    await tab.focus("#f-counterparty")
    await tab.fill("#f-counterparty", "")
    await tab.locator("polygon.ocr-box").first.click()
    assert await tab.input_value("#f-counterparty") != ""
    await tab.fill("#f-counterparty", "중앙컨벤션")
    await tab.fill("#f-amount", str(truth["total"]))
    await tab.fill("#f-occurred_on", truth["datetime"][:10])
    await tab.select_option("#f-budget_line", str(lines["대관"]))
    await tab.click("button:has-text('저장하고 다음')")
    # Save and next: on to the other waiting receipt.
    await tab.wait_for_selector("text=영수증을 확인하고 집행 내역에 연결했습니다")

    # Budget vs actual shows the confirmed amount on that line.
    await tab.goto(f"/o/{org_id}/events/{event_id}/actual")
    row = tab.locator(f"#actual-{lines['대관']}")
    await row.wait_for()
    assert f"{truth['total']:,}원" in await row.inner_text()
