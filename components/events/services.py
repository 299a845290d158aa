"""Events, budget lines (예산) and transactions (집행 내역): rules, totals, lifecycle, audit.

No Litestar here. Every query is scoped by `ctx.organisation_id` (a foreign id is NotFound), every money
change writes an audit entry in the same database transaction, and a closed event refuses every edit.

Extension points for the receipts slice (register at import time of its services module):
- `register_pending_review_counter(fn)`: `async fn(event_id) -> int` — receipts waiting for review.
- `register_receipt_totals_provider(fn)`: `async fn(event_id) -> {transaction_id: receipts' total}`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from piccolo.query.functions.aggregate import Sum

from components.audit import services as audit
from components.events import checks
from components.events.money import (
    AmountError,
    basis_amount,
    format_quantity,
    parse_amount,
    parse_optional_amount,
    parse_quantity,
    parse_times,
)
from components.events.tables import (
    BudgetLine,
    Event,
    EventStatus,
    EvidenceType,
    PaymentMethod,
    Section,
    Transaction,
    TransactionStatus,
)
from components.organisations.services import OrgContext
from components.organisations.tables import Role
from components.ui.forms import Conflict, NotAllowed, NotFound, ValidationFailed, clean_text

STATUS_LABELS = {
    EventStatus.planning: "계획",
    EventStatus.budget_approved: "예산 승인",
    EventStatus.in_progress: "진행 중",
    EventStatus.settling: "결산 중",
    EventStatus.closed: "마감",
}
STATUS_BADGES = {
    EventStatus.planning: "neutral",
    EventStatus.budget_approved: "ok",
    EventStatus.in_progress: "ok",
    EventStatus.settling: "warn",
    EventStatus.closed: "err",
}
SECTION_LABELS = {Section.income: "수입", Section.expense: "지출"}
PAYMENT_LABELS = {
    PaymentMethod.card: "카드",
    PaymentMethod.cash: "현금",
    PaymentMethod.transfer: "계좌이체",
    PaymentMethod.other: "기타",
}
EVIDENCE_LABELS = {
    EvidenceType.card_slip: "카드매출전표",
    EvidenceType.cash_receipt: "현금영수증",
    EvidenceType.tax_invoice: "세금계산서",
    EvidenceType.simple_receipt: "간이영수증",
    EvidenceType.statement: "거래명세서",
    EvidenceType.receipt: "영수증",
    EvidenceType.other: "기타",
    EvidenceType.none: "없음",
}
TX_STATUS_LABELS = {TransactionStatus.draft: "임시", TransactionStatus.confirmed: "확정"}

# Allowed status changes: (from, to) → who may do it. "owner" = 회장 only, "edit" = money.edit.
# Reopening a closed event is not a transition: it is `reopen_event` (owner, with a reason).
TRANSITIONS: dict[tuple[EventStatus, EventStatus], str] = {
    (EventStatus.planning, EventStatus.budget_approved): "owner",
    (EventStatus.budget_approved, EventStatus.planning): "edit",
    (EventStatus.budget_approved, EventStatus.in_progress): "edit",
    (EventStatus.in_progress, EventStatus.budget_approved): "edit",
    (EventStatus.in_progress, EventStatus.settling): "edit",
    (EventStatus.settling, EventStatus.in_progress): "edit",
    (EventStatus.settling, EventStatus.closed): "edit",
}
TRANSITION_LABELS = {
    (EventStatus.planning, EventStatus.budget_approved): "예산 승인",
    (EventStatus.budget_approved, EventStatus.planning): "계획으로 되돌리기",
    (EventStatus.budget_approved, EventStatus.in_progress): "행사 시작",
    (EventStatus.in_progress, EventStatus.budget_approved): "예산 승인 상태로 되돌리기",
    (EventStatus.in_progress, EventStatus.settling): "결산 시작",
    (EventStatus.settling, EventStatus.in_progress): "진행 중으로 되돌리기",
    (EventStatus.settling, EventStatus.closed): "마감",
}
LOCKED_MESSAGE = "마감된 행사는 수정할 수 없습니다. 고쳐야 한다면 회장이 사유를 적고 마감을 해제하세요."
PAGE_SIZE = 50

ReviewCounter = Callable[[int], Awaitable[int]]
ReceiptTotalsProvider = Callable[[int], Awaitable[dict[int, int]]]
_review_counters: list[ReviewCounter] = []
_receipt_totals_providers: list[ReceiptTotalsProvider] = []


def register_pending_review_counter(fn: ReviewCounter) -> None:
    """The receipts slice tells how many of an event's receipts wait for review."""
    if fn not in _review_counters:
        _review_counters.append(fn)


def register_receipt_totals_provider(fn: ReceiptTotalsProvider) -> None:
    """The receipts slice gives {transaction_id: total of its receipts} for an event's evidence checks."""
    if fn not in _receipt_totals_providers:
        _receipt_totals_providers.append(fn)


async def receipts_waiting_for_review(event_id: int) -> int:
    return sum([await fn(event_id) for fn in _review_counters])


async def receipt_totals(event_id: int) -> dict[int, int]:
    totals: dict[int, int] = {}
    for fn in _receipt_totals_providers:
        for tx_id, total in (await fn(event_id)).items():
            totals[tx_id] = totals.get(tx_id, 0) + total
    return totals


def now() -> datetime:
    return datetime.now(UTC)


def _cols(values: dict[str, Any]) -> dict[Any, Any]:
    """Field names → values, typed for Piccolo's update()."""
    return dict(values)


def _is_owner(ctx: OrgContext) -> bool:
    return ctx.role == Role.owner


def _parse_date(
    value: str | None, field_name: str, label: str, errors: dict[str, str], required: bool = False
) -> date | None:
    raw = (value or "").strip()
    if not raw:
        if required:
            errors[field_name] = f"{label}를 입력하세요."
        return None
    try:
        return date.fromisoformat(raw.replace(".", "-").replace("/", "-"))
    except ValueError:
        errors[field_name] = f"{label} '{raw}'은(는) 날짜가 아닙니다. 예: 2026-11-26"
        return None


def _amount(
    value: str | None, field_name: str, label: str, errors: dict[str, str], *, optional: bool = False
) -> int | None:
    try:
        return parse_optional_amount(value, label=label) if optional else parse_amount(value, label=label)
    except AmountError as exc:
        errors[field_name] = exc.reason
        return None


# ---- events -----------------------------------------------------------------------------------------


def _event_view(row: dict[str, Any]) -> dict[str, Any]:
    status = EventStatus(row["status"])
    row["status_label"] = STATUS_LABELS[status]
    row["status_badge"] = STATUS_BADGES[status]
    row["locked"] = status == EventStatus.closed
    return row


async def get_event(ctx: OrgContext, event_id: int) -> dict[str, Any]:
    ctx.require("money.read")
    row = (
        await Event.select()
        .where((Event.id == event_id) & (Event.organisation == ctx.organisation_id))
        .first()
    )
    if row is None:
        raise NotFound("행사를 찾을 수 없습니다.")
    return _event_view(row)


async def _event_for_edit(ctx: OrgContext, event_id: int) -> dict[str, Any]:
    event = await get_event(ctx, event_id)
    ctx.require("money.edit")
    if event["locked"]:
        raise Conflict(LOCKED_MESSAGE)
    return event


@dataclass
class EventFilters:
    status: str = ""
    year: int | None = None
    q: str = ""
    archived: bool = False
    page: int = 1


async def list_events(ctx: OrgContext, filters: EventFilters) -> tuple[list[dict[str, Any]], int]:
    ctx.require("money.read")
    where = (Event.organisation == ctx.organisation_id) & (Event.archived == filters.archived)
    if filters.status in {s.value for s in EventStatus}:
        where &= Event.status == filters.status
    if filters.year:
        where &= (Event.starts_on >= date(filters.year, 1, 1)) & (
            Event.starts_on <= date(filters.year, 12, 31)
        )
    if filters.q.strip():
        pattern = filters.q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where &= Event.title.ilike(f"%{pattern}%")
    total = await Event.count().where(where)
    rows = await (
        Event.select()
        .where(where)
        .order_by(Event.starts_on, ascending=False)
        .order_by(Event.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((max(filters.page, 1) - 1) * PAGE_SIZE)
    )
    return [_event_view(r) for r in rows], total


async def event_years(ctx: OrgContext) -> list[int]:
    rows = await Event.select(Event.starts_on).where(
        (Event.organisation == ctx.organisation_id) & Event.starts_on.is_not_null()
    )
    return sorted({r["starts_on"].year for r in rows}, reverse=True)


async def past_events(ctx: OrgContext, exclude: int | None = None) -> list[dict[str, Any]]:
    """Events whose budget lines can be copied (this organisation's, newest first)."""
    where: Any = Event.organisation == ctx.organisation_id
    if exclude is not None:
        where &= Event.id != exclude
    return (
        await Event.select(Event.id, Event.title, Event.starts_on)
        .where(where)
        .order_by(Event.id, ascending=False)
        .limit(200)
    )


EVENT_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "place",
    "description",
    "carry_in",
    "variance_threshold_pct",
    "simple_receipt_limit",
)


def _clean_event(data: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "title": clean_text(
            data.get("title"), field="title", label="행사 이름", max_length=120, errors=errors
        ),
        "place": clean_text(
            data.get("place"), field="place", label="장소", max_length=200, required=False, errors=errors
        ),
        "description": clean_text(
            data.get("description"),
            field="description",
            label="설명",
            max_length=4000,
            required=False,
            errors=errors,
        ),
        "starts_on": _parse_date(data.get("starts_on"), "starts_on", "시작일", errors),
        "ends_on": _parse_date(data.get("ends_on"), "ends_on", "종료일", errors),
        "carry_in": _amount(data.get("carry_in") or "0", "carry_in", "전기이월금", errors),
        "simple_receipt_limit": _amount(
            data.get("simple_receipt_limit") or "30000",
            "simple_receipt_limit",
            "간이영수증 기준 금액",
            errors,
        ),
    }
    raw_pct = (data.get("variance_threshold_pct") or "10").strip().rstrip("%").strip()
    if not raw_pct.isdigit() or not 0 <= int(raw_pct) <= 1000:
        errors["variance_threshold_pct"] = "사유 기준은 0에서 1000 사이의 정수(%)로 입력하세요."
    else:
        values["variance_threshold_pct"] = int(raw_pct)
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = "종료일이 시작일보다 앞설 수 없습니다."
    if errors:
        raise ValidationFailed(errors)
    return values


def event_form(event: dict[str, Any] | None = None) -> dict[str, str]:
    if event is None:
        return {"carry_in": "0", "variance_threshold_pct": "10", "simple_receipt_limit": "30000"}
    form = {k: "" if event.get(k) is None else str(event[k]) for k in EVENT_FIELDS}
    form["version"] = str(event["version"])
    return form


async def create_event(ctx: OrgContext, data: dict[str, str]) -> int:
    ctx.require("money.edit")
    values = _clean_event(data)
    source_id = (data.get("copy_from") or "").strip()
    source: dict[str, Any] | None = None
    if source_id:
        if not source_id.isdigit():
            raise ValidationFailed({"copy_from": "가져올 행사를 다시 선택하세요."})
        source = await get_event(ctx, int(source_id))
    async with Event._meta.db.transaction():
        event = Event(
            organisation=ctx.organisation_id,
            created_by=ctx.user.id,
            created_at=now(),
            updated_at=now(),
            **values,
        )
        await event.save()
        await audit.record(
            ctx.actor, "event.create", "event", event.id, organisation_id=ctx.organisation_id, after=values
        )
        if source is not None:
            await _copy_lines(ctx, source, int(event.id))
    return int(event.id)


async def update_event(ctx: OrgContext, event_id: int, data: dict[str, str]) -> None:
    event = await _event_for_edit(ctx, event_id)
    values = _clean_event(data)
    version = _version(data)
    before = {k: event[k] for k in values}
    async with Event._meta.db.transaction():
        done = (
            await Event.update({**_cols(values), Event.updated_at: now(), Event.version: Event.version + 1})
            .where((Event.id == event_id) & (Event.version == (version or event["version"])))
            .returning(Event.id)
        )
        if not done:
            current = await get_event(ctx, event_id)
            raise Conflict(
                "다른 사람이 먼저 행사 정보를 고쳤습니다. 지금 값을 확인한 뒤 다시 저장하세요.", current
            )
        await audit.record(
            ctx.actor,
            "event.update",
            "event",
            event_id,
            organisation_id=ctx.organisation_id,
            before=before,
            after=values,
        )


def allowed_transitions(ctx: OrgContext, event: dict[str, Any]) -> list[dict[str, str]]:
    status = EventStatus(event["status"])
    out = []
    for (src, dst), who in TRANSITIONS.items():
        if src != status:
            continue
        if (who == "owner" and _is_owner(ctx)) or (who == "edit" and ctx.can("money.edit")):
            out.append({"to": dst.value, "label": TRANSITION_LABELS[(src, dst)]})
    return out


async def change_status(ctx: OrgContext, event_id: int, to: str) -> str:
    event = await get_event(ctx, event_id)
    ctx.require("money.edit")
    src = EventStatus(event["status"])
    try:
        dst = EventStatus(to)
    except ValueError as exc:
        raise ValidationFailed({"to": "알 수 없는 상태입니다."}) from exc
    if src == EventStatus.closed:
        raise Conflict(LOCKED_MESSAGE)
    who = TRANSITIONS.get((src, dst))
    if who is None:
        raise Conflict(f"'{STATUS_LABELS[src]}' 상태에서 '{STATUS_LABELS[dst]}'(으)로 바꿀 수 없습니다.")
    if who == "owner" and not _is_owner(ctx):
        raise NotAllowed(f"'{TRANSITION_LABELS[(src, dst)]}'은(는) 회장만 할 수 있습니다.")
    async with Event._meta.db.transaction():
        done = (
            await Event.update({Event.status: dst, Event.updated_at: now(), Event.version: Event.version + 1})
            .where((Event.id == event_id) & (Event.status == src))
            .returning(Event.id)
        )
        if not done:
            raise Conflict("그 사이 다른 사람이 행사 상태를 바꿨습니다. 새로 고친 뒤 다시 시도하세요.")
        await audit.record(
            ctx.actor,
            "event.status",
            "event",
            event_id,
            organisation_id=ctx.organisation_id,
            before={"status": src.value},
            after={"status": dst.value},
        )
    return STATUS_LABELS[dst]


async def reopen_event(ctx: OrgContext, event_id: int, reason: str) -> None:
    event = await get_event(ctx, event_id)
    if not _is_owner(ctx):
        raise NotAllowed("마감 해제는 회장만 할 수 있습니다.")
    if event["status"] != EventStatus.closed:
        raise Conflict("마감된 행사가 아닙니다.")
    errors: dict[str, str] = {}
    reason = clean_text(reason, field="reason", label="마감 해제 사유", max_length=500, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    async with Event._meta.db.transaction():
        await Event.update(
            {Event.status: EventStatus.settling, Event.updated_at: now(), Event.version: Event.version + 1}
        ).where(Event.id == event_id)
        await audit.record(
            ctx.actor,
            "event.reopen",
            "event",
            event_id,
            organisation_id=ctx.organisation_id,
            before={"status": "closed"},
            after={"status": "settling", "reason": reason},
            note=reason,
        )


async def set_archived(ctx: OrgContext, event_id: int, archived: bool) -> None:
    await get_event(ctx, event_id)
    ctx.require("money.edit")
    async with Event._meta.db.transaction():
        await Event.update({Event.archived: archived, Event.updated_at: now()}).where(Event.id == event_id)
        await audit.record(
            ctx.actor,
            "event.archive" if archived else "event.unarchive",
            "event",
            event_id,
            organisation_id=ctx.organisation_id,
            after={"archived": archived},
        )


# ---- budget lines -----------------------------------------------------------------------------------

LINE_FIELDS = ("section", "category", "name", "unit_price", "quantity", "times", "planned_amount", "note")


def _version(data: dict[str, str]) -> int | None:
    raw = (data.get("version") or "").strip()
    return int(raw) if raw.isdigit() else None


def _line_view(row: dict[str, Any]) -> dict[str, Any]:
    row["section_label"] = SECTION_LABELS[Section(row["section"])]
    row["quantity_text"] = format_quantity(row.get("quantity"))
    parts = []
    if row.get("unit_price") is not None:
        parts.append(f"{row['unit_price']:,}원")
        if row.get("quantity") is not None:
            parts.append(f"{row['quantity_text']}")
        if row.get("times"):
            parts.append(f"{row['times']}회")
    row["basis_text"] = " × ".join(parts)
    return row


def line_form(line: dict[str, Any] | None = None, section: str = "expense") -> dict[str, str]:
    if line is None:
        return {"section": section}
    form = {
        "section": line["section"],
        "category": line["category"],
        "name": line["name"],
        "unit_price": "" if line["unit_price"] is None else f"{line['unit_price']:,}",
        "quantity": format_quantity(line["quantity"]),
        "times": "" if line["times"] is None else str(line["times"]),
        "planned_amount": f"{line['planned_amount']:,}",
        "note": line["note"],
        "version": str(line["version"]),
    }
    return form


def _clean_line(data: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    section = data.get("section", "")
    if section not in {s.value for s in Section}:
        errors["section"] = "수입 또는 지출을 선택하세요."
    values: dict[str, Any] = {
        "section": section,
        "category": clean_text(
            data.get("category"), field="category", label="분류", max_length=60, required=False, errors=errors
        ),
        "name": clean_text(data.get("name"), field="name", label="항목", max_length=120, errors=errors),
        "note": clean_text(
            data.get("note"), field="note", label="비고", max_length=1000, required=False, errors=errors
        ),
        "unit_price": _amount(data.get("unit_price"), "unit_price", "단가", errors, optional=True),
    }
    quantity: Decimal | None = None
    times: int | None = None
    try:
        quantity = parse_quantity(data.get("quantity"))
    except AmountError as exc:
        errors["quantity"] = exc.reason
    try:
        times = parse_times(data.get("times"))
    except AmountError as exc:
        errors["times"] = exc.reason
    values["quantity"], values["times"] = quantity, times
    if values["unit_price"] is not None and "quantity" not in errors and "times" not in errors:
        amount = basis_amount(values["unit_price"], quantity, times)
        if amount > 10**12:
            errors["unit_price"] = "단가 × 수량 × 횟수가 1조 원을 넘습니다."
        values["planned_amount"] = amount
    elif values["unit_price"] is None:
        if quantity is not None or times is not None:
            errors.setdefault("unit_price", "수량이나 횟수를 쓰려면 단가도 입력하세요.")
        values["planned_amount"] = _amount(
            data.get("planned_amount") or "0", "planned_amount", "예산액", errors
        )
    if errors:
        raise ValidationFailed(errors)
    return values


async def _line_row(ctx: OrgContext, event_id: int, line_id: int) -> dict[str, Any]:
    row = (
        await BudgetLine.select()
        .where(
            (BudgetLine.id == line_id)
            & (BudgetLine.event == event_id)
            & (BudgetLine.event.organisation == ctx.organisation_id)
        )
        .first()
    )
    if row is None:
        raise NotFound("예산 항목을 찾을 수 없습니다.")
    return row


async def get_line(ctx: OrgContext, event_id: int, line_id: int) -> dict[str, Any]:
    ctx.require("money.read")
    return _line_view(await _line_row(ctx, event_id, line_id))


def _audit_line(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}


async def add_line(ctx: OrgContext, event_id: int, data: dict[str, str]) -> dict[str, Any]:
    await _event_for_edit(ctx, event_id)
    values = _clean_line(data)
    async with BudgetLine._meta.db.transaction():
        last = (
            await BudgetLine.select(BudgetLine.position)
            .where((BudgetLine.event == event_id) & (BudgetLine.section == values["section"]))
            .order_by(BudgetLine.position, ascending=False)
            .first()
        )
        line = BudgetLine(
            event=event_id,
            position=(last["position"] + 1) if last else 1,
            created_at=now(),
            updated_at=now(),
            **values,
        )
        await line.save()
        await audit.record(
            ctx.actor,
            "budget_line.create",
            "budget_line",
            line.id,
            organisation_id=ctx.organisation_id,
            after={"event": event_id, **_audit_line(values)},
        )
    return await get_line(ctx, event_id, int(line.id))


async def update_line(ctx: OrgContext, event_id: int, line_id: int, data: dict[str, str]) -> dict[str, Any]:
    """Save a line if nobody changed it since `version` was read; else Conflict with the current line."""
    await _event_for_edit(ctx, event_id)
    current = await _line_row(ctx, event_id, line_id)
    values = _clean_line({**data, "section": data.get("section") or current["section"]})
    version = _version(data)
    if version is not None and version != current["version"]:
        raise Conflict(_conflict_message(current), _line_view(current))
    async with BudgetLine._meta.db.transaction():
        done = (
            await BudgetLine.update(
                {**_cols(values), BudgetLine.updated_at: now(), BudgetLine.version: BudgetLine.version + 1}
            )
            .where((BudgetLine.id == line_id) & (BudgetLine.version == current["version"]))
            .returning(BudgetLine.id)
        )
        if not done:
            fresh = await _line_row(ctx, event_id, line_id)
            raise Conflict(_conflict_message(fresh), _line_view(fresh))
        before = {k: current[k] for k in values}
        await audit.record(
            ctx.actor,
            "budget_line.update",
            "budget_line",
            line_id,
            organisation_id=ctx.organisation_id,
            before=_audit_line(before),
            after=_audit_line(values),
        )
    return await get_line(ctx, event_id, line_id)


def _conflict_message(current: dict[str, Any]) -> str:
    return (
        "다른 사람이 먼저 이 항목을 고쳤습니다. "
        f"지금 값: {current['name']} · {current['planned_amount']:,}원. "
        "덮어쓰려면 확인 후 다시 저장하세요."
    )


async def delete_line(ctx: OrgContext, event_id: int, line_id: int) -> dict[str, Any]:
    await _event_for_edit(ctx, event_id)
    current = await _line_row(ctx, event_id, line_id)
    async with BudgetLine._meta.db.transaction():
        used = await Transaction.count().where(
            (Transaction.budget_line == line_id) & Transaction.deleted_at.is_null()
        )
        await BudgetLine.delete().where(BudgetLine.id == line_id)
        await audit.record(
            ctx.actor,
            "budget_line.delete",
            "budget_line",
            line_id,
            organisation_id=ctx.organisation_id,
            before=_audit_line({k: current[k] for k in (*LINE_FIELDS, "position")}),
            note=f"연결된 집행 {used}건은 미분류가 됩니다." if used else "",
        )
    return current


async def move_line(ctx: OrgContext, event_id: int, line_id: int, direction: str) -> str:
    """Swap the line with its neighbour in the same section and category; returns the section."""
    await _event_for_edit(ctx, event_id)
    current = await _line_row(ctx, event_id, line_id)
    async with BudgetLine._meta.db.transaction():
        rows = (
            await BudgetLine.select(BudgetLine.id, BudgetLine.position)
            .where(
                (BudgetLine.event == event_id)
                & (BudgetLine.section == current["section"])
                & (BudgetLine.category == current["category"])
            )
            .order_by(BudgetLine.position)
            .order_by(BudgetLine.id)
        )
        ids = [r["id"] for r in rows]
        i = ids.index(line_id)
        j = i - 1 if direction == "up" else i + 1
        if 0 <= j < len(ids):
            a, b = rows[i], rows[j]
            if a["position"] != b["position"]:
                await BudgetLine.update({BudgetLine.position: b["position"]}).where(BudgetLine.id == a["id"])
                await BudgetLine.update({BudgetLine.position: a["position"]}).where(BudgetLine.id == b["id"])
            else:  # equal positions (should not happen): renumber the section once
                await _renumber(event_id, current["section"], a["id"], b["id"])
    return str(current["section"])


async def _renumber(event_id: int, section: str, first: int, second: int) -> None:
    rows = (
        await BudgetLine.select(BudgetLine.id)
        .where((BudgetLine.event == event_id) & (BudgetLine.section == section))
        .order_by(BudgetLine.position)
        .order_by(BudgetLine.id)
    )
    ids = [r["id"] for r in rows]
    i, j = ids.index(first), ids.index(second)
    ids[i], ids[j] = ids[j], ids[i]
    for pos, lid in enumerate(ids, start=1):
        await BudgetLine.update({BudgetLine.position: pos}).where(BudgetLine.id == lid)


async def set_variance_reason(ctx: OrgContext, event_id: int, line_id: int, reason: str) -> dict[str, Any]:
    await _event_for_edit(ctx, event_id)
    current = await _line_row(ctx, event_id, line_id)
    errors: dict[str, str] = {}
    reason = clean_text(
        reason, field="variance_reason", label="사유", max_length=1000, required=False, errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    async with BudgetLine._meta.db.transaction():
        await BudgetLine.update({BudgetLine.variance_reason: reason, BudgetLine.updated_at: now()}).where(
            BudgetLine.id == line_id
        )
        await audit.record(
            ctx.actor,
            "budget_line.reason",
            "budget_line",
            line_id,
            organisation_id=ctx.organisation_id,
            before={"variance_reason": current["variance_reason"]},
            after={"variance_reason": reason},
        )
    return await get_line(ctx, event_id, line_id)


async def comment_line(ctx: OrgContext, event_id: int, line_id: int, comment: str) -> dict[str, Any]:
    """An auditor's (or the owner's) comment on a line.

    Allowed on closed events too: that is when audits happen."""
    await get_event(ctx, event_id)
    ctx.require("audit.comment")
    current = await _line_row(ctx, event_id, line_id)
    errors: dict[str, str] = {}
    comment = clean_text(
        comment, field="auditor_comment", label="감사 의견", max_length=1000, required=False, errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    async with BudgetLine._meta.db.transaction():
        await BudgetLine.update({BudgetLine.auditor_comment: comment}).where(BudgetLine.id == line_id)
        await audit.record(
            ctx.actor,
            "budget_line.comment",
            "budget_line",
            line_id,
            organisation_id=ctx.organisation_id,
            before={"auditor_comment": current["auditor_comment"]},
            after={"auditor_comment": comment},
        )
    return await get_line(ctx, event_id, line_id)


async def _copy_lines(ctx: OrgContext, source: dict[str, Any], target_id: int) -> int:
    rows = (
        await BudgetLine.select()
        .where(BudgetLine.event == source["id"])
        .order_by(BudgetLine.section)
        .order_by(BudgetLine.position)
        .order_by(BudgetLine.id)
    )
    if not rows:
        return 0
    start = (
        await BudgetLine.select(BudgetLine.position)
        .where(BudgetLine.event == target_id)
        .order_by(BudgetLine.position, ascending=False)
        .first()
    )
    base = start["position"] if start else 0
    await BudgetLine.insert(
        *[
            BudgetLine(
                event=target_id,
                section=r["section"],
                category=r["category"],
                name=r["name"],
                unit_price=r["unit_price"],
                quantity=r["quantity"],
                times=r["times"],
                planned_amount=r["planned_amount"],
                note=r["note"],
                position=base + i,
                created_at=now(),
                updated_at=now(),
            )
            for i, r in enumerate(rows, start=1)
        ]
    )
    await audit.record(
        ctx.actor,
        "budget_line.copy",
        "event",
        target_id,
        organisation_id=ctx.organisation_id,
        after={
            "from_event": source["id"],
            "from_title": source["title"],
            "lines": len(rows),
            "planned_total": sum(r["planned_amount"] for r in rows),
        },
    )
    return len(rows)


async def copy_lines(ctx: OrgContext, event_id: int, source_event_id: str) -> int:
    await _event_for_edit(ctx, event_id)
    if not source_event_id.strip().isdigit() or int(source_event_id) == event_id:
        raise ValidationFailed({"copy_from": "가져올 행사를 선택하세요."})
    source = await get_event(ctx, int(source_event_id))
    async with BudgetLine._meta.db.transaction():
        return await _copy_lines(ctx, source, event_id)


@dataclass
class BudgetTotals:
    carry_in: int = 0
    income: int = 0
    expense: int = 0

    @property
    def balance(self) -> int:
        """전기이월 + 수입 − 지출."""
        return self.carry_in + self.income - self.expense


async def budget_totals(event: dict[str, Any]) -> BudgetTotals:
    rows = (
        await BudgetLine.select(BudgetLine.section, Sum(BudgetLine.planned_amount).as_alias("total"))
        .where(BudgetLine.event == event["id"])
        .group_by(BudgetLine.section)
    )
    sums = {r["section"]: int(r["total"] or 0) for r in rows}
    return BudgetTotals(event["carry_in"], sums.get("income", 0), sums.get("expense", 0))


def group_lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Lines (in position order) grouped by category, categories in the order they first appear:
    [{key, category, lines, total}]. `key` is a stable id fragment for the category."""
    groups: dict[str, dict[str, Any]] = {}
    for line in lines:
        category = line["category"]
        if category not in groups:
            key = hashlib.md5(category.encode(), usedforsecurity=False).hexdigest()[:8]
            groups[category] = {"key": key, "category": category, "lines": [], "total": 0}
        groups[category]["lines"].append(line)
        groups[category]["total"] += line["planned_amount"]
    return list(groups.values())


async def budget_sections(ctx: OrgContext, event_id: int, only: str | None = None) -> list[dict[str, Any]]:
    """[{key, label, groups, lines, total}] for 수입 and 지출; lines grouped by category, in their order."""
    ctx.require("money.read")
    where: Any = BudgetLine.event == event_id
    if only:
        where &= BudgetLine.section == only
    rows = await BudgetLine.select().where(where).order_by(BudgetLine.position).order_by(BudgetLine.id)
    sections = []
    for section in Section:
        if only and section.value != only:
            continue
        groups = group_lines([_line_view(r) for r in rows if r["section"] == section.value])
        lines = [line for group in groups for line in group["lines"]]
        sections.append(
            {
                "key": section.value,
                "label": SECTION_LABELS[section],
                "groups": groups,
                "lines": lines,
                "total": sum(r["planned_amount"] for r in lines),
            }
        )
    return sections


# ---- transactions -----------------------------------------------------------------------------------

TX_FIELDS = (
    "section",
    "budget_line",
    "occurred_on",
    "counterparty",
    "amount",
    "payment_method",
    "evidence_type",
    "memo",
    "status",
)


def _tx_view(row: dict[str, Any]) -> dict[str, Any]:
    row["section_label"] = SECTION_LABELS[Section(row["section"])]
    row["payment_label"] = PAYMENT_LABELS[PaymentMethod(row["payment_method"])]
    row["evidence_label"] = EVIDENCE_LABELS[EvidenceType(row["evidence_type"])]
    row["status_label"] = TX_STATUS_LABELS[TransactionStatus(row["status"])]
    return row


@dataclass
class TxFilters:
    section: str = ""
    line: str = ""  # a line id, "none" for 미분류, "" for all
    date_from: str = ""
    date_to: str = ""
    evidence_type: str = ""
    status: str = ""
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    def query_string(self) -> str:
        from urllib.parse import urlencode

        params = {
            k: v
            for k, v in (
                ("section", self.section),
                ("line", self.line),
                ("from", self.date_from),
                ("to", self.date_to),
                ("evidence", self.evidence_type),
                ("status", self.status),
            )
            if v
        }
        return urlencode(params)


def tx_form(tx: dict[str, Any] | None = None, *, today: date | None = None) -> dict[str, str]:
    if tx is None:
        return {
            "section": "expense",
            "occurred_on": (today or date.today()).isoformat(),
            "payment_method": "card",
            "evidence_type": "card_slip",
            "status": "confirmed",
            "budget_line": "",
        }
    return {
        "section": tx["section"],
        "budget_line": "" if tx["budget_line"] is None else str(tx["budget_line"]),
        "occurred_on": tx["occurred_on"].isoformat(),
        "counterparty": tx["counterparty"],
        "amount": f"{tx['amount']:,}",
        "payment_method": tx["payment_method"],
        "evidence_type": tx["evidence_type"],
        "memo": tx["memo"],
        "status": tx["status"],
        "version": str(tx["version"]),
    }


async def _clean_tx(event_id: int, data: dict[str, str]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "occurred_on": _parse_date(data.get("occurred_on"), "occurred_on", "거래일", errors, required=True),
        "counterparty": clean_text(
            data.get("counterparty"),
            field="counterparty",
            label="거래처",
            max_length=120,
            required=False,
            errors=errors,
        ),
        "amount": _amount(data.get("amount"), "amount", "금액", errors),
        "memo": clean_text(
            data.get("memo"), field="memo", label="메모", max_length=2000, required=False, errors=errors
        ),
    }
    if values["amount"] == 0:
        errors["amount"] = "0원 거래는 기록할 수 없습니다."
    for name, enum, label in (
        ("section", Section, "수입/지출"),
        ("payment_method", PaymentMethod, "결제 수단"),
        ("evidence_type", EvidenceType, "증빙 종류"),
        ("status", TransactionStatus, "상태"),
    ):
        value = data.get(name) or ""
        if value not in {e.value for e in enum}:
            errors[name] = f"{label}을(를) 선택하세요."
        values[name] = value
    raw_line = (data.get("budget_line") or "").strip()
    values["budget_line"] = None
    if raw_line:
        line = None
        if raw_line.isdigit():
            line = (
                await BudgetLine.select(BudgetLine.id, BudgetLine.section, BudgetLine.name)
                .where((BudgetLine.id == int(raw_line)) & (BudgetLine.event == event_id))
                .first()
            )
        if line is None:
            errors["budget_line"] = "이 행사의 예산 항목을 선택하세요."
        elif values["section"] and line["section"] != values["section"]:
            errors["budget_line"] = (
                f"'{line['name']}'은(는) {SECTION_LABELS[Section(line['section'])]} 항목입니다. "
                "수입/지출 구분을 맞추세요."
            )
        else:
            values["budget_line"] = line["id"]
    if errors:
        raise ValidationFailed(errors)
    return values


def _audit_tx(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()}


async def _tx_row(ctx: OrgContext, event_id: int, tx_id: int) -> dict[str, Any]:
    row = (
        await Transaction.select()
        .where(
            (Transaction.id == tx_id)
            & (Transaction.event == event_id)
            & (Transaction.event.organisation == ctx.organisation_id)
            & Transaction.deleted_at.is_null()
        )
        .first()
    )
    if row is None:
        raise NotFound("집행 내역을 찾을 수 없습니다.")
    return row


async def get_transaction(ctx: OrgContext, event_id: int, tx_id: int) -> dict[str, Any]:
    ctx.require("money.read")
    return _tx_view(await _tx_row(ctx, event_id, tx_id))


async def create_transaction(ctx: OrgContext, event_id: int, data: dict[str, str]) -> int:
    await _event_for_edit(ctx, event_id)
    values = await _clean_tx(event_id, data)
    async with Transaction._meta.db.transaction():
        tx = Transaction(event=event_id, author=ctx.user.id, created_at=now(), updated_at=now(), **values)
        await tx.save()
        await audit.record(
            ctx.actor,
            "transaction.create",
            "transaction",
            tx.id,
            organisation_id=ctx.organisation_id,
            after={"event": event_id, **_audit_tx(values)},
        )
    return int(tx.id)


async def update_transaction(ctx: OrgContext, event_id: int, tx_id: int, data: dict[str, str]) -> None:
    await _event_for_edit(ctx, event_id)
    current = await _tx_row(ctx, event_id, tx_id)
    values = await _clean_tx(event_id, data)
    version = _version(data)
    message = "다른 사람이 먼저 이 집행 내역을 고쳤습니다. 지금 값: {} {:,}원. 확인 후 다시 저장하세요."
    if version is not None and version != current["version"]:
        raise Conflict(message.format(current["counterparty"], current["amount"]), _tx_view(current))
    async with Transaction._meta.db.transaction():
        done = (
            await Transaction.update(
                {**_cols(values), Transaction.updated_at: now(), Transaction.version: Transaction.version + 1}
            )
            .where((Transaction.id == tx_id) & (Transaction.version == current["version"]))
            .returning(Transaction.id)
        )
        if not done:
            fresh = await _tx_row(ctx, event_id, tx_id)
            raise Conflict(message.format(fresh["counterparty"], fresh["amount"]), _tx_view(fresh))
        await audit.record(
            ctx.actor,
            "transaction.update",
            "transaction",
            tx_id,
            organisation_id=ctx.organisation_id,
            before=_audit_tx({k: current[k] for k in values}),
            after=_audit_tx(values),
        )


async def delete_transaction(ctx: OrgContext, event_id: int, tx_id: int) -> None:
    """Soft delete: the row stays (receipts may point at it), hidden everywhere, audited."""
    await _event_for_edit(ctx, event_id)
    current = await _tx_row(ctx, event_id, tx_id)
    async with Transaction._meta.db.transaction():
        await Transaction.update(
            {Transaction.deleted_at: now(), Transaction.version: Transaction.version + 1}
        ).where(Transaction.id == tx_id)
        await audit.record(
            ctx.actor,
            "transaction.delete",
            "transaction",
            tx_id,
            organisation_id=ctx.organisation_id,
            before=_audit_tx({k: current[k] for k in TX_FIELDS}),
        )


def parse_tx_filters(params: dict[str, str]) -> TxFilters:
    f = TxFilters(
        section=params.get("section", ""),
        line=params.get("line", ""),
        date_from=params.get("from", ""),
        date_to=params.get("to", ""),
        evidence_type=params.get("evidence", ""),
        status=params.get("status", ""),
    )
    try:
        f.page = max(int(params.get("page") or 1), 1)
    except ValueError:
        f.page = 1
    return f


async def list_transactions(ctx: OrgContext, event_id: int, f: TxFilters) -> dict[str, Any]:
    """The filtered, paged transactions and the totals of everything that matches the filter."""
    ctx.require("money.read")
    where = (Transaction.event == event_id) & Transaction.deleted_at.is_null()
    if f.section in {s.value for s in Section}:
        where &= Transaction.section == f.section
    if f.line == "none":
        where &= Transaction.budget_line.is_null()
    elif f.line.isdigit():
        where &= Transaction.budget_line == int(f.line)
    start = _parse_date(f.date_from, "from", "시작일", f.errors)
    end = _parse_date(f.date_to, "to", "종료일", f.errors)
    if start:
        where &= Transaction.occurred_on >= start
    if end:
        where &= Transaction.occurred_on <= end
    if f.evidence_type in {e.value for e in EvidenceType}:
        where &= Transaction.evidence_type == f.evidence_type
    if f.status in {s.value for s in TransactionStatus}:
        where &= Transaction.status == f.status
    sums = (
        await Transaction.select(Transaction.section, Sum(Transaction.amount).as_alias("total"))
        .where(where)
        .group_by(Transaction.section)
    )
    totals = {r["section"]: int(r["total"] or 0) for r in sums}
    count = await Transaction.count().where(where)
    rows = await (
        Transaction.select(*Transaction.all_columns(), Transaction.budget_line.name.as_alias("line_name"))
        .where(where)
        .order_by(Transaction.occurred_on, ascending=False)
        .order_by(Transaction.id, ascending=False)
        .limit(PAGE_SIZE)
        .offset((f.page - 1) * PAGE_SIZE)
    )
    return {
        "rows": [_tx_view(r) for r in rows],
        "count": count,
        "income": totals.get("income", 0),
        "expense": totals.get("expense", 0),
    }


async def line_choices(event_id: int) -> list[dict[str, Any]]:
    rows = (
        await BudgetLine.select(BudgetLine.id, BudgetLine.section, BudgetLine.category, BudgetLine.name)
        .where(BudgetLine.event == event_id)
        .order_by(BudgetLine.section, ascending=False)
        .order_by(BudgetLine.position)
        .order_by(BudgetLine.id)
    )
    for r in rows:
        category = f"{r['category']} · " if r["category"] else ""
        r["label"] = f"[{SECTION_LABELS[Section(r['section'])]}] {category}{r['name']}"
    return rows


# ---- budget vs actual (결산) and evidence checks ------------------------------------------------------


def execution_rate(planned: int, actual: int) -> float | None:
    """집행률 in percent (B / A × 100); None when nothing was planned."""
    return None if planned == 0 else actual * 100 / planned


def needs_reason(planned: int, actual: int, threshold_pct: int) -> bool:
    """Over or under the plan by more than the threshold (a line with no plan but spending counts)."""
    if planned == 0:
        return actual != 0
    return abs(actual - planned) * 100 > threshold_pct * planned


async def _actuals(event_id: int) -> dict[int | None, int]:
    rows = (
        await Transaction.select(Transaction.budget_line, Sum(Transaction.amount).as_alias("total"))
        .where(
            (Transaction.event == event_id)
            & Transaction.deleted_at.is_null()
            & (Transaction.status == TransactionStatus.confirmed)
        )
        .group_by(Transaction.budget_line)
    )
    return {r["budget_line"]: int(r["total"] or 0) for r in rows}


async def annotate_actual(event: dict[str, Any], line: dict[str, Any]) -> dict[str, Any]:
    """One line's 결산액, 증감, 집행률 and whether a 사유 is needed."""
    row = (
        await Transaction.select(Sum(Transaction.amount).as_alias("total"))
        .where(
            (Transaction.budget_line == line["id"])
            & Transaction.deleted_at.is_null()
            & (Transaction.status == TransactionStatus.confirmed)
        )
        .first()
    )
    a, b = line["planned_amount"], int((row or {}).get("total") or 0)
    line.update(
        actual=b,
        diff=b - a,
        rate=execution_rate(a, b),
        needs_reason=needs_reason(a, b, event["variance_threshold_pct"]),
    )
    return line


async def budget_vs_actual(ctx: OrgContext, event: dict[str, Any]) -> dict[str, Any]:
    """Per line 예산액 (A), 결산액 (B), 증감 (B − A), 집행률, whether a 사유 is needed.

    Plus unclassified transactions, section totals, balance and 차기이월."""
    sections = await budget_sections(ctx, event["id"])
    actuals = await _actuals(event["id"])
    unclassified_rows = (
        await Transaction.select()
        .where(
            (Transaction.event == event["id"])
            & Transaction.deleted_at.is_null()
            & (Transaction.status == TransactionStatus.confirmed)
            & Transaction.budget_line.is_null()
        )
        .order_by(Transaction.occurred_on)
    )
    unclassified = [_tx_view(r) for r in unclassified_rows]
    threshold = event["variance_threshold_pct"]
    out_sections = []
    for section in sections:
        for line in section["lines"]:
            a, b = line["planned_amount"], actuals.get(line["id"], 0)
            line.update(
                actual=b, diff=b - a, rate=execution_rate(a, b), needs_reason=needs_reason(a, b, threshold)
            )
        extra = sum(t["amount"] for t in unclassified if t["section"] == section["key"])
        planned = section["total"]
        actual = sum(line["actual"] for line in section["lines"]) + extra
        out_sections.append(
            {
                **section,
                "unclassified": extra,
                "planned": planned,
                "actual": actual,
                "diff": actual - planned,
                "rate": execution_rate(planned, actual),
            }
        )
    by_key = {s["key"]: s for s in out_sections}
    carry_in = event["carry_in"]
    planned_balance = carry_in + by_key["income"]["planned"] - by_key["expense"]["planned"]
    actual_balance = carry_in + by_key["income"]["actual"] - by_key["expense"]["actual"]
    return {
        "sections": out_sections,
        "unclassified": unclassified,
        "carry_in": carry_in,
        "planned_balance": planned_balance,
        "actual_balance": actual_balance,
        "carry_out": actual_balance,
        "threshold": threshold,
        "missing_reasons": sum(
            1
            for s in out_sections
            for ln in s["lines"]
            if ln["needs_reason"] and not ln["variance_reason"].strip()
        ),
    }


async def evidence_warnings(event: dict[str, Any]) -> list[checks.EvidenceWarning]:
    """The checks of `checks.py` over the event's transactions.

    Only rows that can trip a check are loaded (no evidence, 간이영수증, outside the dates, receipts
    attached): keep this filter in step with `checks.check_transaction`."""
    totals = await receipt_totals(event["id"])
    may_warn: Any = Transaction.evidence_type.is_in(["none", "simple_receipt"])
    if event["starts_on"]:
        may_warn |= Transaction.occurred_on < event["starts_on"]
    if event["ends_on"]:
        may_warn |= Transaction.occurred_on > event["ends_on"]
    if totals:
        may_warn |= Transaction.id.is_in(list(totals))
    rows = (
        await Transaction.select(
            Transaction.id,
            Transaction.section,
            Transaction.occurred_on,
            Transaction.amount,
            Transaction.evidence_type,
            Transaction.counterparty,
        )
        .where((Transaction.event == event["id"]) & Transaction.deleted_at.is_null() & may_warn)
        .order_by(Transaction.occurred_on)
        .order_by(Transaction.id)
    )
    facts = [checks.TxFacts(**r) for r in rows]
    return checks.check_transactions(
        facts,
        starts_on=event["starts_on"],
        ends_on=event["ends_on"],
        simple_receipt_limit=event["simple_receipt_limit"],
        receipt_totals=totals,
    )


async def event_summary(ctx: OrgContext, event: dict[str, Any]) -> dict[str, Any]:
    """The event page at a glance: budget and actual totals, balance, execution rate, reviews, warnings."""
    planned = await budget_totals(event)
    actuals = (
        await Transaction.select(Transaction.section, Sum(Transaction.amount).as_alias("total"))
        .where(
            (Transaction.event == event["id"])
            & Transaction.deleted_at.is_null()
            & (Transaction.status == TransactionStatus.confirmed)
        )
        .group_by(Transaction.section)
    )
    sums = {r["section"]: int(r["total"] or 0) for r in actuals}
    actual = BudgetTotals(event["carry_in"], sums.get("income", 0), sums.get("expense", 0))
    warnings = await evidence_warnings(event)
    return {
        "planned": planned,
        "actual": actual,
        "rate": execution_rate(planned.expense, actual.expense),
        "waiting_review": await receipts_waiting_for_review(event["id"]),
        "warnings": warnings,
        "warning_counts": checks.summarise(warnings),
        "transactions": await Transaction.count().where(
            (Transaction.event == event["id"]) & Transaction.deleted_at.is_null()
        ),
        "lines": await BudgetLine.count().where(BudgetLine.event == event["id"]),
    }
