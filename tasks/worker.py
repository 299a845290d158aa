"""SAQ worker settings: `saq tasks.worker.settings` (a callable, so the environment is read at start).

Jobs take ids, never objects; every job is safe to run twice.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import Any

from loguru import logger
from saq import CronJob

from components.accounts import services as accounts
from components.organisations import services as organisations
from components.platform.db import close_pool, open_pool
from components.platform.logging import configure_logging
from components.platform.queue import make_queue

# Functions other slices register; tasks/ocr etc. append theirs through `register`.
FUNCTIONS: list[Any] = []


def register(function: Any) -> Any:
    FUNCTIONS.append(function)
    return function


@register
async def purge_expired(ctx: dict[str, Any]) -> dict[str, int]:
    """Cron: expired sessions, old login attempts, dead reset links and invitations."""
    result = await accounts.purge_expired()
    result["invitations"] = await organisations.purge_expired_invitations()
    logger.bind(job="purge_expired", **result).info("purged expired rows")
    return result


def _warm_ocr_engine() -> None:
    """Load the default OCR engine before the first job (models take seconds and ~0.5 GB to load)."""
    from PIL import Image

    from tasks.ocr.engines import get_engine

    started = time.perf_counter()
    get_engine().read(Image.new("RGB", (320, 120), "white"))
    logger.info(f"OCR engine ready in {time.perf_counter() - started:.1f}s")


async def startup(ctx: dict[str, Any]) -> None:
    await open_pool(1, 4)
    from tasks import jobs

    jobs.start_metrics_server()
    if os.environ.get("CHONGMU_OCR_WARM", "1") == "1":
        try:
            await asyncio.to_thread(_warm_ocr_engine)
        except Exception as exc:  # a broken engine must not stop the other jobs; OCR jobs will report it
            logger.opt(exception=exc).error("OCR engine failed to load")
    logger.info("worker started")


async def shutdown(ctx: dict[str, Any]) -> None:
    await close_pool()


async def before_process(ctx: dict[str, Any]) -> None:
    ctx["started"] = time.perf_counter()


async def after_process(ctx: dict[str, Any]) -> None:
    job = ctx.get("job")
    if job is None:
        return
    elapsed = time.perf_counter() - ctx.get("started", time.perf_counter())
    logger.bind(
        job=job.function,
        job_key=job.key,
        status=str(job.status),
        attempts=job.attempts,
        duration_ms=round(elapsed * 1000, 1),
    ).info(f"job {job.function} {job.status}")


def settings() -> dict[str, Any]:
    configure_logging(
        json=os.environ.get("CHONGMU_LOG_JSON", "1") != "0", level=os.environ.get("CHONGMU_LOG_LEVEL", "INFO")
    )
    _load_job_modules()
    return {
        "queue": make_queue(min_size=1, max_size=int(os.environ.get("CHONGMU_WORKER_POOL", "4"))),
        "functions": FUNCTIONS,
        "concurrency": int(os.environ.get("CHONGMU_WORKER_CONCURRENCY", "2")),
        "cron_jobs": [CronJob(purge_expired, cron="*/15 * * * *", timeout=300)],
        "startup": startup,
        "shutdown": shutdown,
        "before_process": before_process,
        "after_process": after_process,
        "shutdown_grace_period_s": int(os.environ.get("CHONGMU_WORKER_GRACE_S", "20")),
    }


def _load_job_modules() -> None:
    """Import the modules whose jobs call `register` (added by the slices that own them)."""
    import importlib

    for name in ("tasks.jobs",):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
