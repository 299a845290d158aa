"""Browser tests: a real Granian server and SAQ worker on the test database, driven by Playwright with
Debian's chromium (`playwright install` cannot download browsers here)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chromium() -> str:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("Debian chromium is required for browser tests: apt-get install chromium")


@pytest.fixture(scope="module")
def live_server() -> Iterator[str]:
    """Base URL of Granian + a SAQ worker serving the test database, for one test module.

    Stopped after the module: a worker left running would take other tests' jobs from the shared queue.
    """
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "CHONGMU_BASE_URL": base,
        "CHONGMU_LOG_JSON": "0",
        "CHONGMU_LOG_LEVEL": "WARNING",
        "OMP_THREAD_LIMIT": "1",
    }
    logs = ROOT / "var" / "e2e"
    logs.mkdir(parents=True, exist_ok=True)
    web_log = open(logs / "web.log", "w")
    worker_log = open(logs / "worker.log", "w")
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "web.asgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=web_log,
        stderr=subprocess.STDOUT,
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "saq", "tasks.worker.settings", "--quiet"],
        cwd=ROOT,
        env=env,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or web.poll() is not None:
            web.kill()
            worker.kill()
            raise RuntimeError(f"live server did not start:\n{(logs / 'web.log').read_text()[-3000:]}")
        time.sleep(0.3)
    yield base
    for proc in (web, worker):
        proc.terminate()
    for proc in (web, worker):
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    web_log.close()
    worker_log.close()


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        await instance.close()


@pytest.fixture
async def page(browser, live_server, db):  # type: ignore[no-untyped-def]
    """A desktop browser tab (fresh cookies) on a clean database."""
    context = await browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="ko-KR", base_url=live_server
    )
    tab = await context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    await context.close()


@pytest.fixture
async def new_page(browser, live_server, db):  # type: ignore[no-untyped-def]
    """Open more independent browsers (another user): `tab = await new_page(phone=True)`."""
    contexts = []

    async def factory(phone: bool = False):  # type: ignore[no-untyped-def]
        options: dict[str, object] = {"locale": "ko-KR", "base_url": live_server}
        if phone:
            options.update(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
            )
        else:
            options.update(viewport={"width": 1280, "height": 800})
        context = await browser.new_context(**options)
        contexts.append(context)
        tab = await context.new_page()
        tab.set_default_timeout(15_000)
        return tab

    yield factory
    for context in contexts:
        await context.close()


@pytest.fixture
async def phone_page(new_page):  # type: ignore[no-untyped-def]
    """A phone-sized browser tab (390×844, touch) on a clean database."""
    return await new_page(phone=True)
