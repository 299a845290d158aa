"""Roles and organisation isolation, escaping of OCR text, the review queue, suggestions, /metrics.

No worker here: OCR results are written the way the job writes them (services.save_ocr_result).
"""

from __future__ import annotations

import asyncio
import json

from components.events.tables import Transaction
from components.receipts import services
from components.receipts.tables import Receipt
from tests.helpers import HX, create_org, member_of, post, register

from .conftest import make_event, render_receipt, upload

PHOTO = render_receipt(["맛있는 김밥", "합계 8,000원"])


def _result(
    store: str,
    total: int,
    *,
    biz: str = "212-81-25544",
    when: str = "2026-03-02T12:30",
    approval: str = "12345678",
    text: str | None = None,
) -> dict:
    def f(value, confidence=0.9):  # type: ignore[no-untyped-def]
        return {"value": value, "confidence": confidence, "box": [[10, 10], [200, 10], [200, 40], [10, 40]]}

    fields = {name: f(None, 0) for name in services.FIELD_LABELS}
    fields.update(
        store_name=f(store),
        total=f(total),
        biz_no=f(biz, 0.4),
        datetime=f(when),
        approval_no=f(approval),
        evidence_type=f("card_slip"),
    )
    fields["items"], fields["warnings"] = [], []
    line = text or store
    return {
        "engine": "test",
        "seconds": 0.1,
        "warnings": [],
        "lines": [{"text": line, "box": [[10, 10], [200, 10], [200, 40], [10, 40]], "confidence": 0.42}],
        "fields": fields,
    }


async def _read(receipt_id: int, result: dict) -> None:
    """What the job does after OCR."""
    assert await services.start_processing(receipt_id, 1) is not None
    assert await services.save_ocr_result(receipt_id, result)


async def _uploaded(owner, data: bytes = PHOTO) -> int:  # type: ignore[no-untyped-def]
    response = await upload(owner["client"], owner["org"], owner["event"], [("r.jpg", data, "image/jpeg")])
    assert response.status_code == 200, response.text
    return int((await Receipt.select(Receipt.id).order_by(Receipt.id, ascending=False).first())["id"])


async def test_other_organisation_gets_404_everywhere(owner, make_client):
    rid = await _uploaded(owner)
    await _read(rid, _result("김밥천국", 8000))
    org, event = owner["org"], owner["event"]
    stranger = await make_client()
    await register(stranger, "stranger@example.com", "남")
    own_org = await create_org(stranger, "다른 동아리")
    for url in (
        f"/o/{org}/receipts/{rid}",
        f"/o/{org}/receipts/{rid}/row",
        f"/o/{org}/receipts/{rid}/file/image",
        f"/o/{org}/receipts/{rid}/file/original",
        f"/o/{org}/receipts/{rid}/file/thumb",
        f"/o/{org}/events/{event}/receipts",
    ):
        assert (await stranger.get(url)).status_code == 404, url
    for url in (
        f"/o/{org}/receipts/{rid}/confirm",
        f"/o/{org}/receipts/{rid}/reject",
        f"/o/{org}/receipts/{rid}/retry",
    ):
        assert (await post(stranger, url, {"amount": "1"})).status_code == 404, url
    assert (await upload(stranger, org, event, [("x.jpg", PHOTO, "image/jpeg")])).status_code == 404
    # Even through the stranger's own organisation id, the receipt id of another organisation is 404.
    assert (await stranger.get(f"/o/{own_org}/receipts/{rid}/file/image")).status_code == 404
    assert (await stranger.get(f"/o/{own_org}/receipts/{rid}")).status_code == 404
    assert await Receipt.count() == 1


async def test_member_uploads_auditor_does_not_member_cannot_confirm(owner, make_client):
    client, org, event = owner["client"], owner["org"], owner["event"]
    member = await make_client()
    await member_of(client, member, org, "member@example.com", "member")
    auditor = await make_client()
    await member_of(client, auditor, org, "auditor@example.com", "auditor")
    response = await upload(member, org, event, [("m.jpg", PHOTO, "image/jpeg")])
    assert response.status_code == 200 and "영수증 1장을 올렸습니다" in response.text
    rid = int((await Receipt.select(Receipt.id).first())["id"])
    await _read(rid, _result("김밥천국", 8000))
    assert (await member.get(f"/o/{org}/receipts/{rid}/file/image")).status_code == 200
    response = await upload(auditor, org, event, [("a.jpg", PHOTO, "image/jpeg")])
    assert response.status_code == 403
    response = await post(
        member, f"/o/{org}/receipts/{rid}/confirm", {"occurred_on": "2026-03-02", "amount": "8000"}
    )
    assert response.status_code == 403
    assert await Transaction.count() == 0
    # The member sees the review page without the confirm form.
    page = await member.get(f"/o/{org}/receipts/{rid}")
    assert page.status_code == 200 and "/confirm" not in page.text


async def test_ocr_text_with_script_is_escaped(owner):
    rid = await _uploaded(owner)
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    await _read(rid, _result(evil, 8000, text=evil))
    org = owner["org"]
    for response in (
        await owner["client"].get(f"/o/{org}/receipts/{rid}"),
        await owner["client"].get(f"/o/{org}/events/{owner['event']}/receipts"),
        await owner["client"].get(
            f"/o/{org}/receipts/{rid}/row", headers={**HX, "HX-Target": f"receipt-{rid}"}
        ),
    ):
        assert response.status_code == 200
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert "&lt;script&gt;alert" in response.text


async def test_review_queue_suggestions_and_confirm(owner):
    client, org, event = owner["client"], owner["org"], owner["event"]
    first = await _uploaded(owner, render_receipt(["하나"]))
    second = await _uploaded(owner, render_receipt(["둘"]))
    third = await _uploaded(owner, render_receipt(["셋"]))
    await _read(first, _result("김밥천국 신촌점", 8000, biz="214-86-00001"))
    await _read(second, _result("GS25 편의점", 4500, biz="220-81-00002"))
    await _read(third, _result("김밥천국 신촌점", 8000, biz="214-86-00001"))
    # Keywords: 김밥 → 식비/식사 line; 편의점 → 물품/간식 line.
    lines = owner["lines"]
    s1 = json.loads(
        (await Receipt.select(Receipt.suggestion).where(Receipt.id == first).first())["suggestion"]
    )
    s2 = json.loads(
        (await Receipt.select(Receipt.suggestion).where(Receipt.id == second).first())["suggestion"]
    )
    assert (
        s1["budget_line_id"] == lines["식사"] and s1["amount"] == 8000 and s1["occurred_on"] == "2026-03-02"
    )
    assert s1["evidence_type"] == "card_slip" and s1["counterparty"] == "김밥천국 신촌점"
    assert s2["budget_line_id"] == lines["간식"]
    # Same 사업자번호 + date + total + 승인번호 → possible duplicate of the first.
    dup = await Receipt.select(Receipt.possible_duplicate_of).where(Receipt.id == third).first()
    assert dup["possible_duplicate_of"] == first

    # "검토 시작" opens the first waiting receipt; low-confidence fields are marked.
    start = await client.get(f"/o/{org}/events/{event}/receipts/review", follow_redirects=False)
    assert start.headers["location"] == f"/o/{org}/receipts/{first}"
    page = await client.get(f"/o/{org}/receipts/{first}")
    assert "확인 필요" in page.text and 'class="ocr-box low"' in page.text
    assert "검토 대기 3장" in page.text and "중복 의심" not in page.text

    # Bad input re-renders the form (422) with Korean messages and keeps what was typed.
    response = await post(
        client,
        f"/o/{org}/receipts/{first}/confirm",
        {"occurred_on": "어제", "amount": "팔천", "counterparty": "김밥천국"},
    )
    assert response.status_code == 422
    assert "거래일" in response.text and 'value="김밥천국"' in response.text

    # Save and next: walks to the next waiting receipt; the amount differs from the receipt total → warning.
    response = await post(
        client,
        f"/o/{org}/receipts/{first}/confirm",
        {
            "occurred_on": "2026-03-02",
            "amount": "7,500",
            "counterparty": "김밥천국",
            "budget_line": str(lines["식사"]),
            "evidence_type": "card_slip",
            "payment_method": "card",
            "next": "1",
        },
    )
    assert response.status_code == 303 and response.headers["location"] == f"/o/{org}/receipts/{second}"
    page = await client.get(response.headers["location"])
    assert "영수증 합계(8,000원)와 집행 금액(7,500원)이 다릅니다" in page.text
    totals = await services.receipt_totals(event)
    txn = await Transaction.select().first()
    assert totals == {txn["id"]: 8000} and txn["amount"] == 7500
    # A later receipt of the same merchant is suggested the line it was classified under before.
    assert (
        await services.suggest(event, org, _result("김밥천국 신촌점", 9000, biz="214-86-00001")["fields"])
    )["budget_line_reason"].startswith("이전에 같은 가게를")

    # Reject with next: on to the third; the third (possible duplicate) shows the warning.
    response = await post(client, f"/o/{org}/receipts/{second}/reject", {"reason": "개인 지출", "next": "1"})
    assert response.headers["location"] == f"/o/{org}/receipts/{third}"
    page = await client.get(f"/o/{org}/receipts/{third}")
    assert "중복 의심" in page.text
    # Link the third to the existing transaction (one transaction ↔ several receipts).
    response = await post(
        client,
        f"/o/{org}/receipts/{third}/confirm",
        {
            "occurred_on": "2026-03-02",
            "amount": "7500",
            "budget_line": str(lines["식사"]),
            "evidence_type": "card_slip",
            "payment_method": "card",
            "transaction": str(txn["id"]),
        },
    )
    assert response.status_code == 303
    assert await Transaction.count() == 1
    linked = await Receipt.select(Receipt.id).where(Receipt.transaction == txn["id"]).order_by(Receipt.id)
    assert [r["id"] for r in linked] == [first, third]
    nothing = await client.get(f"/o/{org}/events/{event}/receipts/review", follow_redirects=False)
    assert nothing.headers["location"] == f"/o/{org}/events/{event}/receipts"


async def test_closed_event_refuses_uploads(owner):
    event = await make_event(owner["org"], "지난 행사", status="closed")
    response = await upload(owner["client"], owner["org"], event["id"], [("r.jpg", PHOTO, "image/jpeg")])
    assert response.status_code == 409 and "마감된 행사" in response.text


async def test_web_metrics_show_receipts_by_status(owner, client):
    await _uploaded(owner)
    await client.get("/metrics")
    for _ in range(20):
        await asyncio.sleep(0.1)
        text = (await client.get("/metrics")).text
        if 'chongmu_receipts{status="queued"} 1.0' in text:
            break
    assert 'chongmu_receipts{status="queued"} 1.0' in text
    assert "chongmu_queue_depth 1.0" in text
