"""Test set-up: a real PostgreSQL database of its own per test run, with the migrations applied.

Runs before anything imports piccolo_conf (which reads DATABASE_URL at import): pytest_configure
creates the database and points DATABASE_URL at it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scripts.devdb import create_scratch_database, drop_scratch_database

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
_created: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput") or os.environ.get("CHONGMU_TEST_DB_READY"):
        return
    try:
        url, base, name = create_scratch_database("chongmu_test")
    except RuntimeError as exc:
        raise pytest.UsageError(str(exc)) from exc
    _created["url"], _created["base"], _created["name"] = url, base, name
    os.environ["DATABASE_URL"] = url
    os.environ["CHONGMU_TEST_DB_READY"] = "1"
    os.environ.setdefault("CHONGMU_SECRET_KEY", "test-secret-key-not-for-production")
    os.environ.setdefault("CHONGMU_LOG_JSON", "0")
    os.environ.setdefault("CHONGMU_LOG_LEVEL", "WARNING")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _created and not os.environ.get("CHONGMU_KEEP_TEST_DB"):
        try:
            drop_scratch_database(_created["base"], _created["name"])
        except subprocess.CalledProcessError:
            pass


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
    # Browser tests last: their live workers must not overlap the integration tests' own workers.
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))


@pytest.fixture(scope="session")
def database_url() -> str:
    return os.environ["DATABASE_URL"]


async def _truncate_all() -> None:
    from piccolo.engine import engine_finder

    engine = engine_finder()
    assert engine is not None
    rows = await engine.run_querystring(
        __import__("piccolo.querystring").querystring.QueryString(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN "
            "('migration', 'saq_versions')"
        )
    )
    names = ", ".join(f'"{r["tablename"]}"' for r in rows)
    if names:
        await engine.run_querystring(
            __import__("piccolo.querystring").querystring.QueryString(
                f"TRUNCATE {names} RESTART IDENTITY CASCADE"
            )
        )


@pytest.fixture
async def db() -> AsyncIterator[None]:
    """A clean database for this test (tables emptied before it runs)."""
    await _truncate_all()
    yield


@pytest.fixture
def settings(db: None):  # type: ignore[no-untyped-def]
    from web.settings import Settings

    return Settings.from_env()


@pytest.fixture
async def app(settings):  # type: ignore[no-untyped-def]
    from web.app import create_app

    return create_app(settings)


@pytest.fixture
async def running_app(app):  # type: ignore[no-untyped-def]
    """The app with its lifespan run in the test's own event loop (shared DB pool with the test code)."""
    # Calls the hooks directly: Litestar's lifespan() task group cannot span pytest-asyncio's tasks.
    for hook in app.on_startup:
        await hook(app)
    yield app
    for hook in app.on_shutdown:
        await hook(app)


def _browser(app):  # type: ignore[no-untyped-def]
    import httpx

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
        base_url="http://testserver.local",
    )


@pytest.fixture
async def client(running_app):  # type: ignore[no-untyped-def]
    async with _browser(running_app) as browser:
        yield browser


@pytest.fixture
async def make_client(running_app):  # type: ignore[no-untyped-def]
    """More browsers for the same app (a second user, an attacker…)."""
    from contextlib import AsyncExitStack

    async with AsyncExitStack() as stack:

        async def factory():  # type: ignore[no-untyped-def]
            return await stack.enter_async_context(_browser(running_app))

        yield factory
