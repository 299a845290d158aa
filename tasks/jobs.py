"""SAQ jobs of the receipts slice: `ocr_receipt(receipt_id=…)`.

The job is idempotent: it only acts on a receipt that is still waiting (queued/processing), writes
the same row each time and creates nothing. OCR runs in a thread so the event loop keeps the job's
heartbeat going; a worker killed mid-job leaves an `active` job that SAQ's sweep retries after the
heartbeat expires. The engine is loaded once per worker process (tasks.ocr.engines caches it).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import time
from typing import Any

from loguru import logger
from PIL import Image
from prometheus_client import Counter, Gauge, Histogram, start_http_server

from components.receipts import services
from components.receipts.files import default_store
from tasks.worker import register

JOBS = Counter("chongmu_ocr_jobs_total", "OCR jobs by outcome (success, failed, retry, skipped)", ["outcome"])
DURATION = Histogram(
    "chongmu_ocr_job_duration_seconds",
    "Time to read one receipt (OCR + extraction + save)",
    buckets=(0.25, 0.5, 1, 1.5, 2, 3, 5, 8, 13, 20, 40, 80),
)
QUEUE_DEPTH = Gauge("chongmu_ocr_queue_depth", "Jobs waiting in the SAQ queue, seen by this worker")
FAILURE_RATIO = Gauge("chongmu_ocr_failure_ratio", "Failed / finished OCR jobs since this worker started")
_counts = {"success": 0, "failed": 0}
_metrics_started = False


def start_metrics_server() -> None:
    """Serve this worker's Prometheus metrics on CHONGMU_WORKER_METRICS_PORT (default 9101; 0 = off)."""
    global _metrics_started
    if _metrics_started:
        return
    _metrics_started = True
    port = int(os.environ.get("CHONGMU_WORKER_METRICS_PORT", "9101") or 0)
    if port <= 0:
        return
    try:
        start_http_server(port, addr=os.environ.get("CHONGMU_WORKER_METRICS_ADDR", "127.0.0.1"))
    except OSError as exc:  # another worker on this host has the port: keep working without it
        logger.warning("worker metrics port {} unavailable: {}", port, exc)


def _count(outcome: str) -> None:
    JOBS.labels(outcome).inc()
    if outcome in _counts:
        _counts[outcome] += 1
        finished = _counts["success"] + _counts["failed"]
        FAILURE_RATIO.set(_counts["failed"] / finished if finished else 0)


async def _heartbeat(job: Any, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        with contextlib.suppress(Exception):
            await job.update()


async def _fault(receipt_id: int) -> None:
    """Fault injection for tests and drills: CHONGMU_OCR_FAULT=sleep:SECONDS or error."""
    fault = os.environ.get("CHONGMU_OCR_FAULT", "")
    if fault.startswith("sleep:"):
        await asyncio.sleep(float(fault.split(":", 1)[1]))
    elif fault == "error":
        raise RuntimeError(f"injected fault for receipt {receipt_id}")


RAW_PHOTO_KINDS = ("jpeg", "png", "webp")  # originals the worker may read instead of the normalised copy


def page_for_ocr(image_bytes: bytes, original: bytes | None, kind: str) -> Image.Image:
    """The page the OCR reads. Where the normalised copy kept the photo's size, that copy is only a second
    JPEG encode of an already compressed photo, and reading it cost the bench's fields 1–6 points
    (approval numbers, dates, 할부): the original is decoded afresh instead. A photo the copy scaled down
    is read from the copy: the OCR scales it down further (which averages the encode away), and a full
    12 MP decode would cost the worker ~100 ms and peak memory. PDF pages, HEIC photos and an
    original that will not decode are read from the copy too."""
    with Image.open(io.BytesIO(image_bytes)) as img:
        img.load()
        copy = img.convert("RGB")
    if original is None or kind not in RAW_PHOTO_KINDS:
        return copy
    from tasks.ocr.pages import load_pages

    try:
        with Image.open(io.BytesIO(original)) as probe:  # the header only
            if max(probe.size) > max(copy.size):
                return copy
        page = load_pages(original)[0]  # upright RGB
    except Exception as exc:  # the copy was made from it, so this should not happen; read the copy
        logger.warning("original would not decode for OCR, reading the normalised copy: {}", exc)
        return copy
    return page if page.size == copy.size else copy


def _read(image_bytes: bytes, original: bytes | None = None, kind: str = "") -> dict[str, Any]:
    from tasks.ocr.pipeline import read_receipt

    return read_receipt(page_for_ocr(image_bytes, original, kind)).as_dict()


def _retryable(job: Any) -> bool:
    return bool(job is not None and job.retries > job.attempts)


@register
async def ocr_receipt(ctx: dict[str, Any], *, receipt_id: int) -> dict[str, Any]:
    """Read one receipt image: OCR lines, fields, suggestions; the receipt then waits for review."""
    start_metrics_server()
    job = ctx.get("job")
    started = time.perf_counter()
    queue = getattr(job, "queue", None)
    if queue is not None:
        with contextlib.suppress(Exception):
            QUEUE_DEPTH.set(await queue.count("queued"))
    attempt = int(getattr(job, "attempts", 1) or 1)
    row = await services.start_processing(receipt_id, attempt)
    if row is None:
        _count("skipped")
        return {"receipt_id": receipt_id, "outcome": "skipped"}
    beat = None
    heartbeat = float(getattr(job, "heartbeat", 0) or 0)
    if job is not None and heartbeat > 0:
        beat = asyncio.create_task(_heartbeat(job, max(1.0, heartbeat / 3)))
    try:
        blob = await default_store().get(int(row["image"])) if row.get("image") else None
        if blob is None:
            await services.mark_failed(
                receipt_id, "저장된 이미지를 찾을 수 없습니다. 원본을 다시 올려 주세요."
            )
            _count("failed")
            return {"receipt_id": receipt_id, "outcome": "failed"}
        await _fault(receipt_id)
        original = None
        if row.get("original") and row.get("original_type") in RAW_PHOTO_KINDS:
            stored = await default_store().get(int(row["original"]))
            original = stored.content if stored is not None else None
        result = await asyncio.to_thread(_read, blob.content, original, str(row.get("original_type") or ""))
        saved = await services.save_ocr_result(receipt_id, result)
        elapsed = time.perf_counter() - started
        DURATION.observe(elapsed)
        _count("success" if saved else "skipped")
        logger.bind(
            job="ocr_receipt",
            receipt_id=receipt_id,
            engine=result.get("engine"),
            ocr_seconds=result.get("seconds"),
            seconds=round(elapsed, 3),
            lines=len(result.get("lines") or []),
        ).info("receipt read")
        return {
            "receipt_id": receipt_id,
            "outcome": "needs_review" if saved else "skipped",
            "seconds": round(elapsed, 3),
        }
    except asyncio.CancelledError:
        # A timeout (or the worker shutting down): say so on the receipt, then let SAQ decide.
        timeout = getattr(job, "timeout", 0)
        if _retryable(job):
            await services.mark_retrying(
                receipt_id, f"시간이 초과되었거나 작업이 중단되어 다시 시도합니다 ({attempt}번째 시도)."
            )
            _count("retry")
        else:
            await services.mark_failed(
                receipt_id,
                f"시간 초과: 영수증을 {timeout}초 안에 읽지 못했습니다. "
                "'다시 읽기'를 누르거나 직접 입력하세요.",
            )
            _count("failed")
        raise
    except Exception as exc:
        logger.opt(exception=exc).warning("ocr_receipt {} failed (attempt {})", receipt_id, attempt)
        if _retryable(job):
            await services.mark_retrying(receipt_id, f"읽기에 실패해 다시 시도합니다 ({attempt}번째 시도).")
            _count("retry")
        else:
            await services.mark_failed(
                receipt_id,
                f"영수증을 읽지 못했습니다 ({type(exc).__name__}). '다시 읽기'를 누르거나 직접 입력하세요.",
            )
            _count("failed")
        raise
    finally:
        if beat is not None:
            beat.cancel()
