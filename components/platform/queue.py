"""The SAQ queue on PostgreSQL (one stateful service: data, files and jobs in one database)."""

from __future__ import annotations

from saq.queue.postgres import PostgresQueue

from piccolo_conf import database_url

QUEUE_NAME = "chongmu"


def make_queue(url: str | None = None, *, min_size: int = 1, max_size: int = 4) -> PostgresQueue:
    """A queue object; call `await queue.connect()` before use and `disconnect()` after."""
    return PostgresQueue.from_url(
        url or database_url(), name=QUEUE_NAME, min_size=min_size, max_size=max_size
    )
