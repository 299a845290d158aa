"""The OCR job under failure: a worker killed mid-job, a job that times out, an image with no text."""

from __future__ import annotations

import asyncio
from dataclasses import replace

from components.receipts.tables import Receipt, StoredFile
from tests.helpers import HX, post
from web.settings import UploadSettings

from .conftest import render_receipt, sample, upload, wait_status


def _use(app, **upload_settings):  # type: ignore[no-untyped-def]
    """Job options for this test (timeouts, heartbeat, retries) on the running app."""
    app.state.settings = replace(app.state.settings, upload=UploadSettings(**upload_settings))


async def test_worker_killed_mid_job_finishes_after_restart(owner, running_app, make_worker):
    client, org, event = owner["client"], owner["org"], owner["event"]
    _use(running_app, ocr_heartbeat_s=2, ocr_retries=3, ocr_retry_delay_s=0.5, ocr_timeout_s=60)
    slow = make_worker("killed", CHONGMU_OCR_FAULT="sleep:30").start()
    photo = render_receipt(["김밥천국", "합계 8,000원"])
    await upload(client, org, event, [("k.jpg", photo, "image/jpeg")])
    rid = (await Receipt.select(Receipt.id).first())["id"]
    assert await wait_status(rid, {"processing"}, timeout=30, worker=slow) == "processing"
    slow.kill()  # SIGKILL: no clean-up, the SAQ job stays `active`
    page = await client.get(f"/o/{org}/receipts/{rid}/row", headers={**HX, "HX-Target": f"receipt-{rid}"})
    assert "읽는 중" in page.text and "hx-trigger" in page.text  # still visibly in progress
    await asyncio.sleep(3)  # past the heartbeat: the job counts as stuck
    fresh = make_worker("restarted").start()  # sweeps stuck jobs on start, retries ours
    assert await wait_status(rid, {"needs_review", "failed"}, timeout=90, worker=fresh) == "needs_review"
    row = await Receipt.select(Receipt.attempts, Receipt.error).where(Receipt.id == rid).first()
    assert row["attempts"] >= 2 and row["error"] == ""
    assert await Receipt.count() == 1  # nothing created twice
    assert await StoredFile.count() == 3  # original, image, thumbnail: the original is still there


async def test_job_that_times_out_is_failed_and_retryable(owner, running_app, make_worker):
    client, org, event = owner["client"], owner["org"], owner["event"]
    _use(running_app, ocr_timeout_s=2, ocr_retries=1, ocr_heartbeat_s=0)
    worker = make_worker("slow", CHONGMU_OCR_FAULT="sleep:20").start()
    photo = render_receipt(["느린 가게", "합계 5,000원"])
    await upload(client, org, event, [("t.jpg", photo, "image/jpeg")])
    rid = (await Receipt.select(Receipt.id).first())["id"]
    assert await wait_status(rid, {"failed"}, timeout=40, worker=worker) == "failed"
    row = await client.get(f"/o/{org}/receipts/{rid}/row", headers={**HX, "HX-Target": f"receipt-{rid}"})
    assert "실패" in row.text and "시간 초과" in row.text and "다시 읽기" in row.text
    assert "hx-trigger" not in row.text  # stops polling
    review = await client.get(f"/o/{org}/receipts/{rid}")
    assert "시간 초과" in review.text and "직접 입력" in review.text
    # The retry button puts it back in the queue; the original is untouched.
    response = await post(
        client, f"/o/{org}/receipts/{rid}/retry", htmx=True, headers={"HX-Target": f"receipt-{rid}"}
    )
    assert response.status_code == 200 and "대기 중" in response.text and "hx-trigger" in response.text
    job = await running_app.state.queue.job(f"ocr:{rid}")
    assert job is not None and job.status.value in ("queued", "active"), job
    assert (await Receipt.select(Receipt.status).where(Receipt.id == rid).first())["status"] in (
        "queued",
        "processing",
    )
    original = (
        await StoredFile.select()
        .where(StoredFile.id == (await Receipt.select(Receipt.original).first())["original"])
        .first()
    )
    assert bytes(original["content"]) == photo


async def test_image_without_text_asks_for_manual_entry(owner, worker):
    client, org, event = owner["client"], owner["org"], owner["event"]
    await upload(client, org, event, [("blank.jpg", sample("special/no_text.jpg"), "image/jpeg")])
    rid = (await Receipt.select(Receipt.id).first())["id"]
    assert await wait_status(rid, {"needs_review", "failed"}, worker=worker) == "needs_review"
    page = await client.get(f"/o/{org}/receipts/{rid}")
    assert "글자를 찾지 못했습니다" in page.text
    # Manual entry: everything typed by hand.
    response = await post(
        client,
        f"/o/{org}/receipts/{rid}/confirm",
        {
            "occurred_on": "2026-03-02",
            "amount": "12000",
            "counterparty": "동네 문구점",
            "budget_line": str(owner["lines"]["간식"]),
            "evidence_type": "simple_receipt",
            "payment_method": "cash",
        },
    )
    assert response.status_code == 303, response.text
    assert (await Receipt.select(Receipt.status).where(Receipt.id == rid).first())["status"] == "confirmed"
