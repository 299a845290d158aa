"""Where uploaded bytes live: a small file-store interface, PostgreSQL by default (DESIGN §4).

The PostgreSQL store writes inside the caller's transaction, so a receipt row and its files are
committed together or not at all. An S3-compatible store can implement the same protocol later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from components.receipts.tables import StoredFile


@dataclass(frozen=True)
class Blob:
    id: int
    content_type: str
    size: int
    sha256: str
    content: bytes


class FileStore(Protocol):
    async def put(self, data: bytes, content_type: str) -> int:
        """Store bytes; returns the file id (inside the caller's transaction where there is one)."""
        ...

    async def get(self, file_id: int) -> Blob | None: ...


class PostgresFileStore:
    """Files as bytea rows in `stored_file`."""

    async def put(self, data: bytes, content_type: str) -> int:
        row = StoredFile(
            sha256=hashlib.sha256(data).hexdigest(),
            content_type=content_type,
            size=len(data),
            content=data,
            created_at=datetime.now(UTC),
        )
        await row.save()
        return int(row.id)

    async def get(self, file_id: int) -> Blob | None:
        row = await StoredFile.select().where(StoredFile.id == file_id).first()
        if row is None:
            return None
        return Blob(
            int(row["id"]),
            str(row["content_type"]),
            int(row["size"]),
            str(row["sha256"]),
            bytes(row["content"]),
        )


def default_store() -> FileStore:
    return PostgresFileStore()
