"""Append-only audit log with a hash chain: each entry's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.querystring import QueryString

from components.audit.tables import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 7_246_001  # advisory lock that serialises appends so the chain has no forks


@dataclass(frozen=True)
class Actor:
    """Who did something, and from where."""

    user_id: int | None
    label: str = ""
    address: str = ""

    @classmethod
    def system(cls) -> Actor:
        return cls(user_id=None, label="system")


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(row: dict[str, Any], prev_hash: str) -> str:
    content = {
        "created_at": _as_utc_iso(row["created_at"]),
        "actor_id": row["actor_id"],
        "actor_label": row["actor_label"],
        "organisation_id": row["organisation_id"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "before": _normalise(row["before"]),
        "after": _normalise(row["after"]),
        "address": row["address"],
        "note": row["note"],
    }
    return hashlib.sha256((prev_hash + _canonical(content)).encode()).hexdigest()


def _normalise(value: Any) -> Any:
    # JSONB comes back as a string from asyncpg; compare the parsed value either way.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return json.loads(_canonical(value)) if value is not None else None


def _as_utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


async def record(
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    organisation_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Append one entry. Runs inside the caller's transaction when there is one."""
    db = AuditEntry._meta.db
    async with db.transaction(allow_nested=True):
        await db.run_querystring(_lock_query())
        last = await AuditEntry.select(AuditEntry.hash).order_by(AuditEntry.id, ascending=False).first()
        prev = last["hash"] if last else GENESIS
        row: dict[str, Any] = {
            "created_at": datetime.now(UTC),
            "actor_id": actor.user_id,
            "actor_label": actor.label[:320],
            "organisation_id": organisation_id,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "before": json.loads(_canonical(before)) if before is not None else None,
            "after": json.loads(_canonical(after)) if after is not None else None,
            "address": actor.address[:64],
            "note": note,
        }
        row["prev_hash"] = prev
        row["hash"] = entry_hash(row, prev)
        await AuditEntry.insert(
            AuditEntry(
                **{
                    **row,
                    "before": _canonical(row["before"]) if before is not None else None,
                    "after": _canonical(row["after"]) if after is not None else None,
                }
            )
        )


def _lock_query() -> QueryString:
    return QueryString("SELECT pg_advisory_xact_lock({})", _LOCK_KEY)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


async def verify_chain() -> ChainReport:
    """Walk the whole log in order and recompute every hash."""
    prev = GENESIS
    checked = 0
    rows = await AuditEntry.select().order_by(AuditEntry.id)
    for row in rows:
        if row["prev_hash"] != prev:
            return ChainReport(checked, row["id"], "이전 항목의 해시와 연결되지 않습니다 (삭제 또는 삽입)")
        if entry_hash(row, prev) != row["hash"]:
            return ChainReport(checked, row["id"], "내용이 기록 후 변경되었습니다")
        prev = row["hash"]
        checked += 1
    return ChainReport(checked, None)


async def entries_for_organisation(organisation_id: int, limit: int = 100) -> list[dict[str, Any]]:
    return await (
        AuditEntry.select()
        .where(AuditEntry.organisation_id == organisation_id)
        .order_by(AuditEntry.id, ascending=False)
        .limit(limit)
    )


async def recent_entries(limit: int = 100) -> list[dict[str, Any]]:
    return await AuditEntry.select().order_by(AuditEntry.id, ascending=False).limit(limit)
