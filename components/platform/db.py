"""The Piccolo engine's connection pool, opened once per process (web app, worker, commands)."""

from __future__ import annotations

from typing import cast

from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine


def engine() -> PostgresEngine:
    found = engine_finder()
    assert found is not None, "piccolo_conf.DB is not configured"
    return cast(PostgresEngine, found)


async def open_pool(min_size: int = 1, max_size: int = 10) -> None:
    await engine().start_connection_pool(min_size=min_size, max_size=max_size)


async def close_pool() -> None:
    await engine().close_connection_pool()
