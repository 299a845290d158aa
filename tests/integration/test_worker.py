"""A real SAQ worker process on the PostgreSQL queue runs the purge cron job's function."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from components.accounts.tables import User, UserSession
from components.platform.queue import make_queue

ROOT = Path(__file__).resolve().parent.parent.parent


async def test_worker_purges_expired_sessions(db):
    user = User(email="w@example.com", display_name="w", password_hash="x")
    await user.save()
    moment = datetime.now(UTC)
    await UserSession.insert(
        UserSession(
            token_hash="a" * 64,
            user=user.id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment - timedelta(hours=1),
        ),
        UserSession(
            token_hash="b" * 64,
            user=user.id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + timedelta(days=1),
        ),
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "saq", "tasks.worker.settings", "--quiet"],
        cwd=ROOT,
        env={
            **os.environ,
            "CHONGMU_LOG_JSON": "0",
            "CHONGMU_OCR_WARM": "0",
            "CHONGMU_WORKER_METRICS_PORT": "0",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    queue = make_queue()
    await queue.connect()
    try:
        job = await queue.enqueue("purge_expired", timeout=60)
        assert job is not None
        await job.refresh(until_complete=60)
        assert job.status == "complete", job.error
        assert job.result["sessions"] == 1
        assert await UserSession.count() == 1
    finally:
        await queue.disconnect()
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    await asyncio.sleep(0)
