"""Receipts tests: a REAL SAQ worker subprocess on the test database, events made straight in the tables,
and small helpers for uploads and waiting on the worker."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "tests" / "samples"
LOGS = ROOT / "var" / "test-logs"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Worker:
    """`python -m saq tasks.worker.settings` in its own process group (so a kill takes its threads too)."""

    env: dict[str, str]
    name: str = "worker"
    proc: subprocess.Popen[bytes] | None = None
    metrics_port: int = 0
    logs: list[Path] = field(default_factory=list)

    def start(self, **extra_env: str) -> Worker:
        self.metrics_port = free_port()
        env = {
            **os.environ,
            "CHONGMU_LOG_JSON": "0",
            "CHONGMU_LOG_LEVEL": "INFO",
            "OMP_THREAD_LIMIT": "1",
            "CHONGMU_WORKER_CONCURRENCY": "1",
            "CHONGMU_WORKER_GRACE_S": "2",
            "CHONGMU_WORKER_METRICS_PORT": str(self.metrics_port),
            **self.env,
            **extra_env,
        }
        LOGS.mkdir(parents=True, exist_ok=True)
        log = LOGS / f"{self.name}-{len(self.logs)}.log"
        self.logs.append(log)
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(
                ["nice", sys.executable, "-m", "saq", "tasks.worker.settings"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no cleanup, the job stays `active` in the queue (a crashed machine)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log_tail(self, chars: int = 3000) -> str:
        return "".join(p.read_text(errors="replace") for p in self.logs if p.exists())[-chars:]


@pytest.fixture
def make_worker(database_url: str) -> Iterator[Any]:
    workers: list[Worker] = []

    def factory(name: str = "worker", **env: str) -> Worker:
        worker = Worker(env={"DATABASE_URL": database_url, **env}, name=name)
        workers.append(worker)
        return worker

    yield factory
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(make_worker: Any) -> Worker:
    return make_worker().start()  # type: ignore[no-any-return]


async def wait_status(
    receipt_id: int, statuses: set[str], timeout: float = 90, worker: Worker | None = None
) -> str:
    from components.receipts.tables import Receipt

    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        row = await Receipt.select(Receipt.status).where(Receipt.id == receipt_id).first()
        status = row["status"] if row else ""
        if status in statuses:
            return str(status)
        await asyncio.sleep(0.3)
    tail = worker.log_tail() if worker else ""
    raise AssertionError(f"receipt {receipt_id} stayed {status!r}, wanted {statuses}\n{tail}")


async def make_event(
    org_id: int,
    title: str = "신입생 환영회",
    lines: list[tuple[str, str, str]] | None = None,
    status: str = "in_progress",
) -> dict[str, Any]:
    """An event with budget lines [(section, category, name)] straight in the tables."""
    from components.events.tables import BudgetLine, Event

    stamp = datetime.now(UTC)
    event = Event(
        organisation=org_id,
        title=title,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 3),
        status=status,
        created_at=stamp,
        updated_at=stamp,
    )
    await event.save()
    ids = {}
    for position, (section, category, name) in enumerate(
        lines or [("expense", "식비", "식사"), ("expense", "물품", "간식"), ("expense", "인쇄", "현수막")]
    ):
        line = BudgetLine(
            event=event.id,
            section=section,
            category=category,
            name=name,
            planned_amount=100000,
            position=position,
            created_at=stamp,
            updated_at=stamp,
        )
        await line.save()
        ids[name] = int(line.id)
    return {"id": int(event.id), "lines": ids}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def render_receipt(lines: list[str], size: tuple[int, int] = (700, 900)) -> bytes:
    """A simple receipt photo drawn with Pillow and NanumGothic."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype("/usr/share/fonts/truetype/nanum/NanumGothic.ttf", 30)
    for i, text in enumerate(lines):
        draw.text((40, 40 + i * 48), text, fill="black", font=font)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


async def upload(
    client: Any, org_id: int, event_id: int, files: list[tuple[str, bytes, str]], *, htmx: bool = True
) -> Any:
    from tests.helpers import HX, csrf

    token = await csrf(client)
    headers = {**({**HX, "HX-Target": "receipt-list"} if htmx else {}), "x-csrftoken": token}
    return await client.post(
        f"/o/{org_id}/events/{event_id}/receipts",
        headers=headers,
        follow_redirects=False,
        files=[("files", (name, data, ctype)) for name, data, ctype in files],
    )


@pytest.fixture
async def owner(client: Any) -> AsyncIterator[dict[str, Any]]:
    """A logged-in treasurer-owner with an organisation and an event with three expense lines."""
    from tests.helpers import create_org, register

    await register(client, "owner@example.com", "김총무")
    org_id = await create_org(client, "테스트 학생회")
    event = await make_event(org_id)
    yield {"client": client, "org": org_id, "event": event["id"], "lines": event["lines"]}
