"""Upload → real SAQ worker reads it → review → confirm onto a budget line (through HTTP)."""

from __future__ import annotations

import asyncio
import json
import re
import urllib.request

from components.events.tables import Transaction
from components.receipts.tables import Receipt, StoredFile
from tests.helpers import HX, post

from .conftest import sample, upload, wait_status


async def test_upload_read_review_confirm(owner, worker):
    client, org, event = owner["client"], owner["org"], owner["event"]
    photo = sample("receipts/002_card_slip.jpg")
    truth = json.loads(sample("receipts/002_card_slip.json"))

    # Upload as HTMX: the list fragment comes back with a row that polls itself.
    response = await upload(client, org, event, [("영수증.jpg", photo, "image/jpeg")])
    assert response.status_code == 200, response.text
    assert 'id="receipt-list"' in response.text and "<html" not in response.text
    assert "영수증 1장을 올렸습니다" in response.text
    receipt = await Receipt.select().where(Receipt.event == event).first()
    rid = receipt["id"]
    assert f'hx-get="/o/{org}/receipts/{rid}/row?n=0"' in response.text
    assert 'hx-trigger="load delay:2.0s"' in response.text
    # Original, normalised image and thumbnail were stored with the row; the original is byte-identical.
    original = await StoredFile.select().where(StoredFile.id == receipt["original"]).first()
    assert bytes(original["content"]) == photo and original["content_type"] == "image/jpeg"
    assert (
        receipt["image"]
        and receipt["thumbnail"]
        and receipt["status"] in ("queued", "processing", "needs_review")
    )

    status = await wait_status(rid, {"needs_review", "failed"}, worker=worker)
    assert status == "needs_review", worker.log_tail()

    # The polled row now says 검토 필요, stops polling and links to the review.
    row = await client.get(f"/o/{org}/receipts/{rid}/row?n=3", headers={**HX, "HX-Target": f"receipt-{rid}"})
    assert row.status_code == 200 and "검토 필요" in row.text and "hx-trigger" not in row.text
    assert f'href="/o/{org}/receipts/{rid}"' in row.text
    # Without JavaScript the refresh link lands on the list page.
    plain = await client.get(f"/o/{org}/receipts/{rid}/row", follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"].endswith(f"/events/{event}/receipts")

    # Review page: image, OCR boxes as SVG, suggestions in the form, raw text one click away.
    page = await client.get(f"/o/{org}/receipts/{rid}")
    assert page.status_code == 200
    assert f'src="/o/{org}/receipts/{rid}/file/image"' in page.text
    assert '<svg class="ocr-boxes"' in page.text and "<polygon" in page.text
    assert "인식된 글자 전체 보기" in page.text
    stored = (
        await Receipt.select(Receipt.fields, Receipt.suggestion, Receipt.ocr_seconds)
        .where(Receipt.id == rid)
        .first()
    )
    fields = json.loads(stored["fields"])
    suggestion = json.loads(stored["suggestion"])
    assert fields["total"]["value"] == truth["total"]  # OCR accuracy is the OCR slice's; the total is solid
    assert suggestion["amount"] == fields["total"]["value"]
    assert suggestion["occurred_on"] == ((fields["datetime"]["value"] or "")[:10] or None)
    assert f'value="{truth["total"]}"' in page.text
    # HTMX fragment of the same page is only the review block.
    fragment = await client.get(f"/o/{org}/receipts/{rid}", headers={**HX, "HX-Target": "review"})
    assert fragment.status_code == 200 and 'id="review"' in fragment.text and "<html" not in fragment.text

    # Confirm onto a budget line: a transaction is created and linked, the receipt is confirmed.
    line = owner["lines"]["식사"]
    response = await post(
        client,
        f"/o/{org}/receipts/{rid}/confirm",
        {
            "occurred_on": truth["datetime"][:10],
            "amount": f"{truth['total']:,}",
            "counterparty": "중앙컨벤션",
            "budget_line": str(line),
            "evidence_type": "card_slip",
            "payment_method": "card",
            "memo": "",
        },
    )
    assert response.status_code == 303, response.text
    txn = await Transaction.select().where(Transaction.event == event).first()
    assert (
        txn["amount"] == truth["total"] and txn["budget_line"] == line and txn["evidence_type"] == "card_slip"
    )
    done = await Receipt.select(Receipt.status, Receipt.transaction).where(Receipt.id == rid).first()
    assert done == {"status": "confirmed", "transaction": txn["id"]}

    # Running the job again changes nothing and creates nothing (idempotent).
    before = await Receipt.select(Receipt.updated_at).where(Receipt.id == rid).first()
    queue = client._transport.app.state.queue  # type: ignore[attr-defined]
    job = await queue.enqueue("ocr_receipt", receipt_id=rid, key=f"ocr:{rid}", timeout=60)
    assert job is not None
    for _ in range(100):
        await job.refresh()
        if job.status in ("complete", "failed"):
            break
        await asyncio.sleep(0.2)
    assert job.status == "complete" and job.result["outcome"] == "skipped"
    assert await Transaction.count().where(Transaction.event == event) == 1
    assert await Receipt.select(Receipt.updated_at).where(Receipt.id == rid).first() == before

    # The worker's Prometheus endpoint counts jobs by outcome.
    with urllib.request.urlopen(f"http://127.0.0.1:{worker.metrics_port}/metrics", timeout=5) as r:
        text = r.read().decode()
    assert re.search(r'chongmu_ocr_jobs_total\{outcome="success"\} 1\.0', text), text[-2000:]
    assert "chongmu_ocr_job_duration_seconds_bucket" in text


async def test_same_photo_twice_warns_and_links(owner, worker):
    client, org, event = owner["client"], owner["org"], owner["event"]
    photo = sample("receipts/015_cafe.jpg")
    await upload(client, org, event, [("a.jpg", photo, "image/jpeg")])
    response = await upload(client, org, event, [("b.jpg", photo, "image/jpeg")])
    assert response.status_code == 200
    first, second = [r["id"] for r in await Receipt.select(Receipt.id).order_by(Receipt.id)]
    assert f"이미 올린 영수증 #{first}과 같은 파일입니다" in response.text
    assert f'같은 파일: <a href="/o/{org}/receipts/{first}">#{first}</a>' in response.text
    # Both are kept (warn, never drop) and both are read.
    for rid in (first, second):
        assert await wait_status(rid, {"needs_review", "failed"}, worker=worker) == "needs_review"
    page = await client.get(f"/o/{org}/receipts/{second}")
    assert "같은 파일을 이미 올렸습니다" in page.text
    row = (
        await Receipt.select(Receipt.duplicate_of, Receipt.possible_duplicate_of)
        .where(Receipt.id == second)
        .first()
    )
    assert row["duplicate_of"] == first
    fields = json.loads((await Receipt.select(Receipt.fields).where(Receipt.id == second).first())["fields"])
    if fields["biz_no"]["value"] and fields["total"]["value"] and fields["datetime"]["value"]:
        assert row["possible_duplicate_of"] == first
        assert "중복 의심" in page.text
