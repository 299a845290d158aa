"""Receipts: upload and storage, the OCR job's state changes, suggestions, review and confirmation.

No Litestar imports. Every read through an OrgContext is scoped by the event's organisation, so a
receipt of another organisation is NotFound. The original upload is never thrown away.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from loguru import logger
from piccolo.query.functions.aggregate import Count
from piccolo.querystring import QueryString

from components.audit import services as audit
from components.events import services as events_services
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
from components.receipts.files import FileStore, default_store
from components.receipts.images import Limits, PreparedUpload, UnreadableFile, prepare
from components.receipts.tables import Receipt, ReceiptStatus
from components.ui.forms import Conflict, NotAllowed, NotFound, ValidationFailed

STATUS_LABELS = {
    ReceiptStatus.queued: "대기 중",
    ReceiptStatus.processing: "읽는 중",
    ReceiptStatus.needs_review: "검토 필요",
    ReceiptStatus.confirmed: "확인됨",
    ReceiptStatus.failed: "실패",
    ReceiptStatus.rejected: "반려",
}
STATUS_BADGES = {
    ReceiptStatus.queued: "neutral",
    ReceiptStatus.processing: "neutral",
    ReceiptStatus.needs_review: "warn",
    ReceiptStatus.confirmed: "ok",
    ReceiptStatus.failed: "err",
    ReceiptStatus.rejected: "neutral",
}
PENDING = (ReceiptStatus.queued, ReceiptStatus.processing)
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
PAYMENT_LABELS = {
    PaymentMethod.card: "카드",
    PaymentMethod.cash: "현금",
    PaymentMethod.transfer: "계좌이체",
    PaymentMethod.other: "기타",
}
FIELD_LABELS = {
    "store_name": "상호",
    "branch": "지점",
    "biz_no": "사업자등록번호",
    "representative": "대표자",
    "phone": "전화",
    "address": "주소",
    "datetime": "거래일시",
    "total": "합계",
    "supply_amount": "공급가액",
    "vat": "부가세",
    "service_charge": "봉사료",
    "discount": "할인",
    "card_company": "카드사",
    "card_number": "카드번호",
    "installment": "할부",
    "approval_no": "승인번호",
}
LOW_CONFIDENCE = 0.6
READ_COLUMNS = (
    Receipt.id,
    Receipt.event,
    Receipt.status,
    Receipt.filename,
    Receipt.original,
    Receipt.image,
    Receipt.thumbnail,
    Receipt.original_type,
    Receipt.content_hash,
    Receipt.page_no,
    Receipt.page_count,
    Receipt.image_width,
    Receipt.image_height,
    Receipt.engine,
    Receipt.error,
    Receipt.attempts,
    Receipt.ocr_seconds,
    Receipt.queued_at,
    Receipt.started_at,
    Receipt.finished_at,
    Receipt.duplicate_of,
    Receipt.possible_duplicate_of,
    Receipt.transaction,
    Receipt.suggested_budget_line,
    Receipt.uploader,
    Receipt.version,
    Receipt.created_at,
    Receipt.updated_at,
)


def now() -> datetime:
    return datetime.now(UTC)


def _db() -> Any:
    return Receipt._meta.db


def _json(value: Any) -> Any:
    """JSONB comes back from asyncpg as text; give Python values either way."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


# ---------------------------------------------------------------------------------- view models


def view(row: dict[str, Any]) -> dict[str, Any]:
    """What templates need about a receipt (status label and badge, links)."""
    status = ReceiptStatus(row["status"])
    out = dict(row)
    out["status_label"] = STATUS_LABELS[status]
    out["badge"] = STATUS_BADGES[status]
    out["pending"] = status in PENDING
    out["reviewable"] = status in (ReceiptStatus.needs_review, ReceiptStatus.failed, ReceiptStatus.confirmed)
    for key in ("fields", "ocr_lines", "suggestion", "warnings"):
        if key in out:
            out[key] = _json(out[key]) or ({} if key in ("fields", "suggestion") else [])
    fields = out.get("fields") or {}
    out["total"] = _value(fields, "total")
    out["store_name"] = _value(fields, "store_name")
    return out


# ---------------------------------------------------------------------------------- events


async def get_event(ctx: OrgContext, event_id: int) -> dict[str, Any]:
    row = await (
        Event.select(Event.id, Event.title, Event.status, Event.starts_on, Event.ends_on)
        .where((Event.id == event_id) & (Event.organisation == ctx.organisation_id))
        .first()
    )
    if row is None:
        raise NotFound("행사를 찾을 수 없습니다.")
    return dict(row)


def _require_open(event: dict[str, Any]) -> None:
    if event["status"] == EventStatus.closed:
        raise Conflict("마감된 행사입니다. 영수증을 올리거나 고치려면 회장이 행사를 다시 열어야 합니다.")


# ---------------------------------------------------------------------------------- upload


@dataclass
class UploadOutcome:
    created: list[int] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file name, Korean message)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (new receipt, earlier receipt)


def _clean_filename(name: str) -> str:
    name = re.sub(r"[\x00-\x1f\x7f]", "", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name[:200] or "이름 없는 파일"


async def upload(
    ctx: OrgContext,
    event_id: int,
    files: list[tuple[str, bytes]],
    limits: Limits,
    *,
    max_files: int,
    store: FileStore | None = None,
    max_per_window: int = 200,
    window_minutes: int = 10,
) -> UploadOutcome:
    """Validate each file by content and store it with its Receipt rows (one transaction per file).

    Bad files are reported (Korean message per file) without stopping the good ones.
    """
    ctx.require("receipt.submit")
    event = await get_event(ctx, event_id)
    _require_open(event)
    files = [(name, data) for name, data in files if data or name]
    if not files:
        raise ValidationFailed({"files": "올릴 파일을 골라 주세요."})
    if len(files) > max_files:
        raise ValidationFailed(
            {"files": f"한 번에 {max_files}개까지 올릴 수 있습니다. (지금 {len(files)}개)"}
        )
    await _check_upload_rate(ctx, len(files), max_per_window, window_minutes)
    store = store or default_store()
    outcome = UploadOutcome()
    for raw_name, data in files:
        name = _clean_filename(raw_name)
        try:
            prepared = await asyncio.to_thread(prepare, data, limits)
        except UnreadableFile as exc:
            outcome.errors.append((name, exc.message_ko))
            continue
        except Exception as exc:  # a decoder bug must not take the other files down
            logger.opt(exception=exc).warning("upload {} could not be prepared", name)
            outcome.errors.append(
                (name, "파일을 처리하지 못했습니다. 다른 형식(JPEG, PNG, PDF)으로 다시 올려 주세요.")
            )
            continue
        ids, dups = await _store_upload(ctx, event_id, name, data, prepared, store)
        outcome.created += ids
        outcome.duplicates += dups
    return outcome


async def _check_upload_rate(
    ctx: OrgContext, incoming: int, max_per_window: int, window_minutes: int
) -> None:
    """Per-user upload rate limit: a runaway script or a stolen session cannot fill the database."""
    since = now() - timedelta(minutes=window_minutes)
    recent = await Receipt.count().where((Receipt.uploader == ctx.user.id) & (Receipt.created_at >= since))
    if recent + incoming > max_per_window:
        raise ValidationFailed(
            {
                "files": f"업로드가 너무 많습니다. {window_minutes}분에 {max_per_window}장까지 "
                "올릴 수 있습니다. 잠시 후 다시 올려 주세요."
            }
        )


async def _store_upload(
    ctx: OrgContext, event_id: int, name: str, data: bytes, prepared: PreparedUpload, store: FileStore
) -> tuple[list[int], list[tuple[int, int]]]:
    ids: list[int] = []
    dups: list[tuple[int, int]] = []
    async with _db().transaction():
        earlier = await (
            Receipt.select(Receipt.id, Receipt.page_no)
            .where(
                (Receipt.content_hash == prepared.sha256)
                & (Receipt.event.organisation == ctx.organisation_id)
            )
            .order_by(Receipt.id)
        )
        original_id = await store.put(data, prepared.content_type)
        stamp = now()
        pdf = prepared.kind == "pdf"
        for number, page in enumerate(prepared.pages, start=1):
            image_id = await store.put(page.jpeg, "image/jpeg")
            thumb_id = await store.put(page.thumbnail, "image/jpeg")
            page_no = number if pdf else None
            duplicate = next((r["id"] for r in earlier if r["page_no"] == page_no), None)
            receipt = Receipt(
                event=event_id,
                uploader=ctx.user.id,
                status=ReceiptStatus.queued,
                filename=name,
                original=original_id,
                image=image_id,
                thumbnail=thumb_id,
                original_type=prepared.kind,
                content_hash=prepared.sha256,
                page_no=page_no,
                page_count=len(prepared.pages),
                image_width=page.width,
                image_height=page.height,
                duplicate_of=duplicate,
                queued_at=stamp,
                created_at=stamp,
                updated_at=stamp,
            )
            await receipt.save()
            ids.append(int(receipt.id))
            if duplicate is not None:
                dups.append((int(receipt.id), int(duplicate)))
        await audit.record(
            ctx.actor,
            "receipt.upload",
            "receipt",
            ",".join(map(str, ids)),
            organisation_id=ctx.organisation_id,
            after={
                "event": event_id,
                "filename": name,
                "sha256": prepared.sha256,
                "pages": len(prepared.pages),
                "duplicate_of": [d for _, d in dups],
            },
        )
    return ids, dups


@dataclass(frozen=True)
class JobOptions:
    timeout_s: int = 120
    retries: int = 3
    retry_delay_s: float = 5.0
    heartbeat_s: int = 30


def _job_status(job: Any) -> str:
    """A SAQ job's status as its plain value ("queued", "active", "failed"…); "" for no job."""
    status = getattr(job, "status", "") if job is not None else ""
    return str(getattr(status, "value", status))


def job_key(receipt_id: int) -> str:
    return f"ocr:{receipt_id}"


async def enqueue_ocr(queue: Any, receipt_ids: list[int], options: JobOptions) -> None:
    """One SAQ job per receipt; the key makes a second enqueue of a waiting job a no-op.

    SAQ replaces a finished job of the same key only when the new one is scheduled later (whole
    seconds), so a retry right after a failure is scheduled one second after the old job.
    """
    for receipt_id in receipt_ids:
        key = job_key(receipt_id)
        params: dict[str, Any] = {
            "receipt_id": receipt_id,
            "key": key,
            "timeout": options.timeout_s,
            "retries": options.retries,
            "retry_delay": options.retry_delay_s,
            "retry_backoff": True,
            "heartbeat": options.heartbeat_s,
        }
        if await queue.enqueue("ocr_receipt", **params) is not None:
            continue
        old = await queue.job(key)
        if old is not None and _job_status(old) in ("failed", "aborted", "complete"):
            await queue.enqueue("ocr_receipt", **params, scheduled=int(old.scheduled or 0) + 1)


# ---------------------------------------------------------------------------------- reading


def _scoped(ctx: OrgContext) -> Any:
    return Receipt.event.organisation == ctx.organisation_id


async def get_receipt(ctx: OrgContext, receipt_id: int, *, full: bool = False) -> dict[str, Any]:
    columns = [
        *READ_COLUMNS,
        Receipt.fields,
        Receipt.event.title,
        Receipt.event.status,
        Receipt.uploader.display_name,
    ]
    if full:
        columns += [Receipt.ocr_lines, Receipt.suggestion, Receipt.warnings]
    row = await Receipt.select(*columns).where((Receipt.id == receipt_id) & _scoped(ctx)).first()
    if row is None:
        raise NotFound("영수증을 찾을 수 없습니다.")
    return view(row)


async def event_receipts(ctx: OrgContext, event_id: int) -> list[dict[str, Any]]:
    rows = await (
        Receipt.select(*READ_COLUMNS, Receipt.fields, Receipt.uploader.display_name)
        .where((Receipt.event == event_id) & _scoped(ctx))
        .order_by(Receipt.id, ascending=False)
    )
    return [view(row) for row in rows]


async def status_counts(ctx: OrgContext, event_id: int) -> dict[str, int]:
    rows = await (
        Receipt.select(Receipt.status, Count(Receipt.id, alias="n"))
        .where((Receipt.event == event_id) & _scoped(ctx))
        .group_by(Receipt.status)
    )
    return {r["status"]: int(r["n"]) for r in rows}


async def file_for(ctx: OrgContext, receipt_id: int, kind: str, store: FileStore | None = None) -> Any:
    """The stored file behind a receipt (original, image or thumb), only for members of its organisation."""
    row = await get_receipt(ctx, receipt_id)
    column = {"original": "original", "image": "image", "thumb": "thumbnail"}.get(kind)
    if column is None or row.get(column) is None:
        raise NotFound("파일을 찾을 수 없습니다.")
    blob = await (store or default_store()).get(int(row[column]))
    if blob is None:
        raise NotFound("파일을 찾을 수 없습니다.")
    return blob, row


async def next_for_review(ctx: OrgContext, event_id: int, after_id: int | None = None) -> int | None:
    """The next receipt waiting for review in the event (after `after_id`, wrapping round)."""
    base = (Receipt.event == event_id) & _scoped(ctx) & (Receipt.status == ReceiptStatus.needs_review)
    if after_id is not None:
        row = (
            await Receipt.select(Receipt.id)
            .where(base & (Receipt.id > after_id))
            .order_by(Receipt.id)
            .first()
        )
        if row:
            return int(row["id"])
        base = base & (Receipt.id != after_id)
    row = await Receipt.select(Receipt.id).where(base).order_by(Receipt.id).first()
    return int(row["id"]) if row else None


async def reconcile(ctx: OrgContext, receipt: dict[str, Any], queue: Any, stale_after_s: float = 30) -> bool:
    """A receipt waiting for a job that no longer exists or has given up becomes `failed` (retryable).

    Covers the gap SAQ cannot see: a crash between commit and enqueue, or a job that failed or was
    aborted before it could write the receipt's status. Returns True when the receipt changed.
    """
    if ReceiptStatus(receipt["status"]) not in PENDING:
        return False
    changed_at = receipt.get("updated_at") or receipt.get("created_at")
    if changed_at and (now() - changed_at).total_seconds() < stale_after_s:
        return False
    job = await queue.job(job_key(int(receipt["id"])))
    status = _job_status(job)
    if job is not None and status not in ("failed", "aborted", "complete"):
        return False
    if status == "complete":
        return False  # the job finished; its own update decides (it may have skipped a reviewed receipt)
    reason = "작업이 중단되었습니다. '다시 읽기'를 누르거나 직접 입력하세요."
    if job is not None and "timeout" in (job.error or "").lower():
        reason = "시간 초과: 영수증을 읽는 데 너무 오래 걸렸습니다. '다시 읽기'를 누르거나 직접 입력하세요."
    result = (
        await Receipt.update(
            {Receipt.status: ReceiptStatus.failed, Receipt.error: reason, Receipt.updated_at: now()}
        )
        .where((Receipt.id == receipt["id"]) & Receipt.status.is_in(list(PENDING)))
        .returning(Receipt.id)
    )
    return bool(result)


# ---------------------------------------------------------------------------------- the OCR job's steps


async def start_processing(receipt_id: int, attempt: int) -> dict[str, Any] | None:
    """Mark a waiting receipt as being read; None when there is nothing to do (idempotent re-runs)."""
    rows = (
        await Receipt.update(
            {
                Receipt.status: ReceiptStatus.processing,
                Receipt.started_at: now(),
                Receipt.updated_at: now(),
                Receipt.attempts: attempt,
                Receipt.error: "",
            }
        )
        .where((Receipt.id == receipt_id) & Receipt.status.is_in(list(PENDING)))
        .returning(
            Receipt.id,
            Receipt.image,
            Receipt.event,
            Receipt.original,
            Receipt.original_type,
        )
    )
    return dict(rows[0]) if rows else None


async def mark_failed(receipt_id: int, message: str) -> None:
    await Receipt.update(
        {
            Receipt.status: ReceiptStatus.failed,
            Receipt.error: message,
            Receipt.finished_at: now(),
            Receipt.updated_at: now(),
        }
    ).where((Receipt.id == receipt_id) & Receipt.status.is_in(list(PENDING)))


async def mark_retrying(receipt_id: int, message: str) -> None:
    await Receipt.update(
        {Receipt.status: ReceiptStatus.queued, Receipt.error: message, Receipt.updated_at: now()}
    ).where((Receipt.id == receipt_id) & Receipt.status.is_in(list(PENDING)))


def _value(fields: dict[str, Any], name: str) -> Any:
    item = fields.get(name)
    return item.get("value") if isinstance(item, dict) else None


async def save_ocr_result(receipt_id: int, result: dict[str, Any]) -> bool:
    """Store lines, fields and suggestions; the receipt waits for review. False when it moved on meanwhile."""
    fields = result.get("fields") or {}
    async with _db().transaction():
        row = await (
            Receipt.select(Receipt.id, Receipt.event, Receipt.event.organisation, Receipt.status)
            .where(Receipt.id == receipt_id)
            .first()
        )
        if row is None or row["status"] != ReceiptStatus.processing:
            return False
        organisation_id = int(row["event.organisation"])
        suggestion = await suggest(int(row["event"]), organisation_id, fields)
        possible = await possible_duplicate(organisation_id, receipt_id, fields)
        warnings = [w for w in (result.get("warnings") or []) if isinstance(w, str)]
        await Receipt.update(
            {
                Receipt.status: ReceiptStatus.needs_review,
                Receipt.ocr_lines: json.dumps(result.get("lines") or [], ensure_ascii=False),
                Receipt.fields: json.dumps(fields, ensure_ascii=False),
                Receipt.suggestion: json.dumps(suggestion, ensure_ascii=False),
                Receipt.warnings: json.dumps(warnings, ensure_ascii=False),
                Receipt.engine: str(result.get("engine") or "")[:40],
                Receipt.ocr_seconds: float(result.get("seconds") or 0),
                Receipt.suggested_budget_line: suggestion.get("budget_line_id"),
                Receipt.possible_duplicate_of: possible,
                Receipt.error: "",
                Receipt.finished_at: now(),
                Receipt.updated_at: now(),
            }
        ).where(Receipt.id == receipt_id)
    return True


async def possible_duplicate(organisation_id: int, receipt_id: int, fields: dict[str, Any]) -> int | None:
    """An earlier receipt of the organisation with the same 사업자번호 + date + total + 승인번호."""
    biz, total = _value(fields, "biz_no"), _value(fields, "total")
    when, approval = str(_value(fields, "datetime") or "")[:10], _value(fields, "approval_no")
    if not biz or total is None or not when:
        return None
    rows = await _db().run_querystring(
        QueryString(
            "SELECT r.id, r.fields FROM receipt r JOIN event e ON e.id = r.event "
            "WHERE e.organisation = {} AND r.id <> {} AND r.status <> 'rejected' "
            "AND r.fields -> 'biz_no' ->> 'value' = {} ORDER BY r.id",
            organisation_id,
            receipt_id,
            str(biz),
        )
    )
    for other in rows:
        f = _json(other["fields"]) or {}
        if (
            _value(f, "total") == total
            and str(_value(f, "datetime") or "")[:10] == when
            and _value(f, "approval_no") == approval
        ):
            return int(other["id"])
    return None


# ---------------------------------------------------------------------------------- suggestions

# (words on the receipt, words in a budget line's name or category)
KEYWORDS: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
    (
        (
            "식당",
            "한식",
            "분식",
            "치킨",
            "피자",
            "고기",
            "국밥",
            "김밥",
            "레스토랑",
            "반점",
            "횟집",
            "식사",
            "푸드",
            "갈비",
            "삼겹",
            "찌개",
            "칼국수",
            "중화",
            "뷔페",
        ),
        ("식비", "식사", "식대", "회식", "음식", "저녁", "점심"),
    ),
    (
        ("카페", "커피", "베이커리", "제과", "빵", "스타벅스", "이디야", "투썸", "음료", "디저트"),
        ("다과", "간식", "커피", "음료", "식비"),
    ),
    (
        (
            "마트",
            "편의점",
            "GS25",
            "CU",
            "세븐일레븐",
            "이마트",
            "홈플러스",
            "롯데마트",
            "다이소",
            "슈퍼",
            "상회",
        ),
        ("물품", "간식", "다과", "소모품", "비품", "재료", "용품"),
    ),
    (
        ("인쇄", "출력", "복사", "현수막", "플랜카드", "디자인", "프린트"),
        ("인쇄", "홍보", "현수막", "자료집", "자료"),
    ),
    (
        ("택시", "버스", "고속", "철도", "코레일", "주유", "주차", "렌터카", "교통", "SRT", "KTX"),
        ("교통", "차량", "이동", "주유", "버스"),
    ),
    (("호텔", "모텔", "펜션", "리조트", "숙박", "게스트하우스", "콘도", "수련원"), ("숙박", "숙소")),
    (("컨벤션", "대관", "홀", "강당", "웨딩"), ("대관", "장소")),
    (("꽃", "플라워", "화원"), ("꽃", "장식", "선물")),
    (("문구", "오피스", "사무", "알파"), ("문구", "사무", "소모품", "비품")),
    (("약국", "의원"), ("의약", "상비약", "구급", "보건")),
]


def _receipt_text(fields: dict[str, Any]) -> str:
    parts = [str(_value(fields, k) or "") for k in ("store_name", "branch", "address")]
    parts += [str(item.get("name") or "") for item in fields.get("items") or [] if isinstance(item, dict)]
    return " ".join(parts)


async def suggest(event_id: int, organisation_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Evidence type, budget line, date, amount and counterparty for the review form."""
    store = _value(fields, "store_name")
    branch = _value(fields, "branch")
    evidence = _value(fields, "evidence_type")
    out: dict[str, Any] = {
        "evidence_type": evidence
        if evidence in EvidenceType._value2member_map_
        else EvidenceType.receipt.value,
        "occurred_on": str(_value(fields, "datetime") or "")[:10] or None,
        "amount": _value(fields, "total"),
        "counterparty": " ".join(str(p) for p in (store, branch) if p)[:120] or None,
        "payment_method": PaymentMethod.card.value
        if evidence == "card_slip" or _value(fields, "card_company")
        else (PaymentMethod.cash.value if evidence == "cash_receipt" else None),
        "budget_line_id": None,
        "budget_line_reason": None,
    }
    lines = await (
        BudgetLine.select(BudgetLine.id, BudgetLine.name, BudgetLine.category)
        .where((BudgetLine.event == event_id) & (BudgetLine.section == Section.expense))
        .order_by(BudgetLine.position)
    )
    if not lines:
        return out
    scores: dict[int, tuple[float, str]] = {}

    def bump(line_id: int, points: float, reason: str) -> None:
        old = scores.get(line_id, (0.0, reason))
        scores[line_id] = (old[0] + points, old[1] if old[0] >= points else reason)

    # How this organisation classified the same 사업자번호 or merchant before.
    biz = _value(fields, "biz_no")
    history = await _db().run_querystring(
        QueryString(
            "SELECT bl.name, bl.category FROM receipt r JOIN event e ON e.id = r.event "
            "JOIN money_transaction t ON t.id = r.transaction JOIN budget_line bl ON bl.id = t.budget_line "
            "WHERE e.organisation = {} AND r.status = 'confirmed' AND ("
            "  (r.fields -> 'biz_no' ->> 'value') = {} OR (r.fields -> 'store_name' ->> 'value') = {}) "
            "ORDER BY r.id DESC LIMIT 20",
            organisation_id,
            str(biz or "-"),
            str(store or "-"),
        )
    )
    for past in history:
        for line in lines:
            if line["name"] == past["name"]:
                bump(line["id"], 3, f"이전에 같은 가게를 '{line['name']}'(으)로 분류했습니다")
            elif line["category"] and line["category"] == past["category"]:
                bump(line["id"], 1.5, f"이전에 같은 가게를 '{line['category']}' 분류로 처리했습니다")
    text = _receipt_text(fields)
    for receipt_words, line_words in KEYWORDS:
        hit = next((w for w in receipt_words if w in text), None)
        if not hit:
            continue
        for line in lines:
            label = f"{line['category']} {line['name']}"
            if any(w in label for w in line_words):
                bump(line["id"], 1, f"'{hit}' 글자로 보아 '{line['name']}' 항목 같습니다")
    if scores:
        best = max(scores.items(), key=lambda kv: kv[1][0])
        out["budget_line_id"], out["budget_line_reason"] = best[0], best[1][1]
    return out


# ---------------------------------------------------------------------------------- review


async def budget_lines(event_id: int) -> list[dict[str, Any]]:
    rows = await (
        BudgetLine.select(
            BudgetLine.id, BudgetLine.name, BudgetLine.category, BudgetLine.section, BudgetLine.planned_amount
        )
        .where(BudgetLine.event == event_id)
        .order_by(BudgetLine.section)
        .order_by(BudgetLine.position)
        .order_by(BudgetLine.id)
    )
    return [dict(r) for r in rows]


async def event_transactions(event_id: int) -> list[dict[str, Any]]:
    rows = await (
        Transaction.select(
            Transaction.id, Transaction.occurred_on, Transaction.counterparty, Transaction.amount
        )
        .where((Transaction.event == event_id) & Transaction.deleted_at.is_null())
        .order_by(Transaction.occurred_on, ascending=False)
        .limit(200)
    )
    return [dict(r) for r in rows]


def _parse_amount(raw: str) -> int | None:
    digits = re.sub(r"[\s,원₩]", "", raw or "")
    if not re.fullmatch(r"-?\d{1,13}", digits):
        return None
    return int(digits)


def _parse_date(raw: str) -> date | None:
    raw = (raw or "").strip().replace(".", "-").replace("/", "-")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def review_form(receipt: dict[str, Any]) -> dict[str, Any]:
    """Initial form values: what was confirmed before, else the suggestions."""
    s = receipt.get("suggestion") or {}
    return {
        "occurred_on": s.get("occurred_on") or "",
        "amount": s.get("amount") if s.get("amount") is not None else "",
        "counterparty": s.get("counterparty") or "",
        "budget_line": str(s.get("budget_line_id") or ""),
        "evidence_type": s.get("evidence_type") or EvidenceType.receipt.value,
        "payment_method": s.get("payment_method") or PaymentMethod.card.value,
        "memo": "",
        "transaction": "",
    }


async def transaction_form(transaction_id: int) -> dict[str, Any]:
    row = await Transaction.select().where(Transaction.id == transaction_id).first()
    if row is None:
        return {}
    return {
        "occurred_on": row["occurred_on"].isoformat() if row["occurred_on"] else "",
        "amount": row["amount"],
        "counterparty": row["counterparty"],
        "budget_line": str(row["budget_line"] or ""),
        "evidence_type": row["evidence_type"],
        "payment_method": row["payment_method"],
        "memo": row["memo"],
        "transaction": str(row["id"]),
    }


async def confirm(ctx: OrgContext, receipt_id: int, data: dict[str, str]) -> dict[str, Any]:
    """Create (or update, or link to an existing) transaction from the review form; the receipt is confirmed.

    Returns {"transaction": id, "warnings": [...]}; the receipt total ≠ amount is a warning, not a refusal.
    """
    ctx.require("money.edit")
    receipt = await get_receipt(ctx, receipt_id, full=True)
    event = await get_event(ctx, int(receipt["event"]))
    _require_open(event)
    if receipt["status"] == ReceiptStatus.rejected:
        raise Conflict("반려된 영수증입니다. 먼저 '다시 읽기'로 되살리세요.")
    errors: dict[str, str] = {}
    occurred_on = _parse_date(data.get("occurred_on", ""))
    if occurred_on is None:
        errors["occurred_on"] = "거래일을 2026-11-26 형식으로 입력하세요."
    amount = _parse_amount(data.get("amount", ""))
    if amount is None or amount <= 0:
        errors["amount"] = "금액을 원 단위 숫자로 입력하세요. (예: 13500)"
    counterparty = (data.get("counterparty") or "").strip()
    if len(counterparty) > 120:
        errors["counterparty"] = "거래처는 120자 이하로 입력하세요."
    evidence = data.get("evidence_type") or EvidenceType.receipt.value
    if evidence not in EvidenceType._value2member_map_:
        errors["evidence_type"] = "증빙 종류를 고르세요."
    method = data.get("payment_method") or PaymentMethod.card.value
    if method not in PaymentMethod._value2member_map_:
        errors["payment_method"] = "결제 수단을 고르세요."
    memo = (data.get("memo") or "").strip()[:2000]
    line_id: int | None = None
    section = Section.expense.value
    if data.get("budget_line"):
        try:
            line_id = int(data["budget_line"])
        except ValueError:
            line_id = -1
        line = await (
            BudgetLine.select(BudgetLine.id, BudgetLine.section)
            .where((BudgetLine.id == line_id) & (BudgetLine.event == receipt["event"]))
            .first()
        )
        if line is None:
            errors["budget_line"] = "이 행사의 예산 항목을 고르세요."
        else:
            section = line["section"]
    link_id: int | None = None
    if data.get("transaction"):
        try:
            link_id = int(data["transaction"])
        except ValueError:
            link_id = -1
        found = await (
            Transaction.select(Transaction.id)
            .where(
                (Transaction.id == link_id)
                & (Transaction.event == receipt["event"])
                & Transaction.deleted_at.is_null()
            )
            .first()
        )
        if found is None:
            errors["transaction"] = "이 행사의 집행 내역을 고르세요."
    if errors:
        raise ValidationFailed(errors)
    assert occurred_on is not None and amount is not None
    values: dict[str, Any] = {
        "section": section,
        "budget_line": line_id,
        "occurred_on": occurred_on,
        "counterparty": counterparty,
        "amount": amount,
        "payment_method": method,
        "evidence_type": evidence,
        "memo": memo,
        "status": TransactionStatus.confirmed.value,
    }
    target = link_id or (int(receipt["transaction"]) if receipt.get("transaction") else None)
    event_id = int(receipt["event"])
    # The events slice owns transactions (validation, version, audit); this runs inside our transaction.
    form = {
        k: (v.isoformat() if isinstance(v, date) else ("" if v is None else str(v)))
        for k, v in values.items()
    }
    async with _db().transaction():
        if link_id is not None:
            pass  # attach to an existing transaction as it is (one transaction ↔ several receipts)
        elif target is None:
            target = await events_services.create_transaction(ctx, event_id, form)
        else:
            await events_services.update_transaction(ctx, event_id, target, form)
        await Receipt.update(
            {
                Receipt.status: ReceiptStatus.confirmed,
                Receipt.transaction: target,
                Receipt.error: "",
                Receipt.reviewed_by: ctx.user.id,
                Receipt.reviewed_at: now(),
                Receipt.updated_at: now(),
                Receipt.version: Receipt.version + 1,
            }
        ).where(Receipt.id == receipt_id)
        await audit.record(
            ctx.actor,
            "receipt.confirm",
            "receipt",
            receipt_id,
            organisation_id=ctx.organisation_id,
            before={"status": receipt["status"], "transaction": receipt.get("transaction")},
            after={"status": "confirmed", "transaction": target},
        )
    warnings = []
    total = _value(receipt.get("fields") or {}, "total")
    if isinstance(total, int) and total != amount:
        warnings.append(f"영수증 합계({total:,}원)와 집행 금액({amount:,}원)이 다릅니다.")
    return {"transaction": target, "warnings": warnings}


def uploader_or_treasurer(ctx: OrgContext, receipt: dict[str, Any]) -> bool:
    """Who may reject a receipt or replace its photo: whoever uploaded it, or someone who edits money."""
    return ctx.can("money.edit") or receipt.get("uploader") == ctx.user.id


async def reject(ctx: OrgContext, receipt_id: int, reason: str) -> None:
    receipt = await get_receipt(ctx, receipt_id)
    if not uploader_or_treasurer(ctx, receipt):
        raise NotAllowed("올린 사람이나 총무·회장만 반려할 수 있습니다.")
    _require_open(await get_event(ctx, int(receipt["event"])))
    if receipt["status"] == ReceiptStatus.confirmed:
        raise Conflict("확인된 영수증은 반려할 수 없습니다. 집행 내역에서 먼저 연결을 끊으세요.")
    reason = (reason or "").strip()[:500]
    await Receipt.update(
        {
            Receipt.status: ReceiptStatus.rejected,
            Receipt.error: reason,
            Receipt.reviewed_by: ctx.user.id,
            Receipt.reviewed_at: now(),
            Receipt.updated_at: now(),
        }
    ).where(Receipt.id == receipt_id)
    await audit.record(
        ctx.actor,
        "receipt.reject",
        "receipt",
        receipt_id,
        organisation_id=ctx.organisation_id,
        before={"status": receipt["status"]},
        after={"status": "rejected", "reason": reason},
    )


# tasks.ocr.extract.POOR_PHOTO_WARNING starts so (the web does not import the OCR engines)
POOR_PHOTO_PREFIX = "사진이 흐리거나"


async def replace_photo(
    ctx: OrgContext,
    receipt_id: int,
    file: tuple[str, bytes],
    limits: Limits,
    *,
    max_per_window: int = 200,
    window_minutes: int = 10,
) -> UploadOutcome:
    """A new photo of the same receipt (the first one was blurred, cut off or dark): it becomes a new
    receipt and the old one is rejected with a link to it, so both originals stay as evidence."""
    receipt = await get_receipt(ctx, receipt_id)
    if not uploader_or_treasurer(ctx, receipt):
        raise NotAllowed("올린 사람이나 총무·회장만 사진을 바꿀 수 있습니다.")
    if receipt["status"] in (ReceiptStatus.confirmed, ReceiptStatus.rejected):
        raise Conflict("확인되었거나 반려된 영수증의 사진은 바꿀 수 없습니다. 새 영수증으로 올리세요.")
    outcome = await upload(
        ctx,
        int(receipt["event"]),
        [file],
        limits,
        max_files=1,
        max_per_window=max_per_window,
        window_minutes=window_minutes,
    )
    if not outcome.created:
        message = outcome.errors[0][1] if outcome.errors else "파일을 확인하세요."
        raise ValidationFailed({"photo": f"{message} (기존 사진은 그대로 있습니다)"})
    await reject(ctx, receipt_id, f"다시 찍은 사진으로 바꿈: 영수증 #{outcome.created[0]}")
    return outcome


async def requeue(ctx: OrgContext, receipt_id: int) -> dict[str, Any]:
    """Back to the queue for a fresh OCR read (failed, rejected, or a review that wants another try)."""
    ctx.require("receipt.submit")
    receipt = await get_receipt(ctx, receipt_id)
    _require_open(await get_event(ctx, int(receipt["event"])))
    if receipt["status"] == ReceiptStatus.confirmed:
        raise Conflict("확인된 영수증은 다시 읽지 않습니다.")
    await Receipt.update(
        {
            Receipt.status: ReceiptStatus.queued,
            Receipt.error: "",
            Receipt.queued_at: now(),
            Receipt.updated_at: now(),
        }
    ).where(Receipt.id == receipt_id)
    return receipt


async def receipt_totals(event_id: int) -> dict[int, int]:
    """Per transaction, the sum of its confirmed receipts' OCR totals (for the events slice's checks)."""
    rows = await Receipt.select(Receipt.transaction, Receipt.fields).where(
        (Receipt.event == event_id)
        & (Receipt.status == ReceiptStatus.confirmed)
        & Receipt.transaction.is_not_null()
    )
    out: dict[int, int] = {}
    for row in rows:
        total = _value(_json(row["fields"]) or {}, "total")
        if isinstance(total, int):
            out[int(row["transaction"])] = out.get(int(row["transaction"]), 0) + total
    return out


async def waiting_for_review(event_id: int) -> int:
    """Receipts of the event waiting for review (the events slice shows the count)."""
    return int(
        await Receipt.count().where(
            (Receipt.event == event_id) & (Receipt.status == ReceiptStatus.needs_review)
        )
    )


async def count_waiting(ctx: OrgContext, event_id: int) -> int:
    return int(
        await Receipt.count().where(
            (Receipt.event == event_id) & _scoped(ctx) & (Receipt.status == ReceiptStatus.needs_review)
        )
    )


async def global_status_counts() -> dict[str, int]:
    """Receipts by status over all organisations (the web's /metrics)."""
    rows = await Receipt.select(Receipt.status, Count(Receipt.id, alias="n")).group_by(Receipt.status)
    return {r["status"]: int(r["n"]) for r in rows}
