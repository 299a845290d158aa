"""Receipts: upload (phone camera, several files, drag and drop), status polling, images, review."""

from __future__ import annotations

import contextlib
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.exceptions import HTTPException

from components.accounts.guards import requires_login
from components.organisations.dependencies import provide_org
from components.organisations.services import OrgContext
from components.platform import metrics as observability
from components.receipts import metrics, services
from components.receipts.images import Limits
from components.receipts.services import EVIDENCE_LABELS, FIELD_LABELS, LOW_CONFIDENCE, PAYMENT_LABELS
from components.receipts.tables import ReceiptStatus
from components.ui.forms import ValidationFailed
from components.ui.http import form_data
from components.ui.rendering import (
    base_context,
    flash,
    flash_now,
    is_partial,
    redirect,
    render,
    render_string,
)
from web.settings import UploadSettings

Req = Request[Any, Any, Any]
# The upload route's own body limit, read when the app module is imported (the rest use the app's 2 MB).
UPLOAD_BODY_LIMIT = UploadSettings().max_body_bytes
FILE_KINDS = ("original", "image", "thumb")
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "heif": "heic", "pdf": "pdf"}

metrics.install(observability.REGISTRY, observability.QUEUE_DEPTH)


def _register_with_events() -> None:
    """Tell the events slice how many receipts wait for review and what their totals are (if it asks)."""
    with contextlib.suppress(ImportError):
        from components.events import services as events

        if hasattr(events, "register_pending_review_counter"):
            events.register_pending_review_counter(services.waiting_for_review)
        if hasattr(events, "register_receipt_totals_provider"):
            events.register_receipt_totals_provider(services.receipt_totals)


_register_with_events()


def _upload_settings(request: Req) -> UploadSettings:
    return getattr(request.app.state.settings, "upload", None) or UploadSettings()


def _limits(s: UploadSettings) -> Limits:
    return Limits(
        max_file_bytes=s.max_file_bytes,
        max_pixels=s.max_pixels,
        max_pdf_pages=s.max_pdf_pages,
        image_max_side=s.image_max_side,
        thumb_max_side=s.thumb_max_side,
        jpeg_quality=s.jpeg_quality,
    )


def _job_options(s: UploadSettings) -> services.JobOptions:
    return services.JobOptions(
        timeout_s=s.ocr_timeout_s,
        retries=s.ocr_retries,
        retry_delay_s=s.ocr_retry_delay_s,
        heartbeat_s=s.ocr_heartbeat_s,
    )


def poll_delay(n: int) -> float:
    """Seconds before the n-th status poll: 2, 3, 4.5 … growing to 15."""
    return round(min(2.0 * 1.5 ** max(n, 0), 15.0), 1)


def _choices(lines: list[dict[str, Any]]) -> list[tuple[str, str]]:
    out = [("", "미분류")]
    for line in lines:
        section = "수입" if line["section"] == "income" else "지출"
        label = f"[{section}] {line['category'] + ' · ' if line['category'] else ''}{line['name']}"
        out.append((str(line["id"]), label))
    return out


def _ocr_boxes(receipt: dict[str, Any]) -> list[dict[str, Any]]:
    boxes = []
    for line in receipt.get("ocr_lines") or []:
        box = line.get("box") if isinstance(line, dict) else None
        if not box or len(box) < 3:
            continue
        try:
            points = " ".join(f"{float(x):.1f},{float(y):.1f}" for x, y in box)
        except (TypeError, ValueError):
            continue
        boxes.append(
            {
                "points": points,
                "text": str(line.get("text") or ""),
                "low": float(line.get("confidence") or 0) < LOW_CONFIDENCE,
            }
        )
    return boxes


FORM_SOURCES = {"occurred_on": "datetime", "amount": "total", "counterparty": "store_name"}


def _low_inputs(receipt: dict[str, Any]) -> set[str]:
    """Form inputs whose suggested value came from a low-confidence OCR field."""
    fields = receipt.get("fields") or {}
    low = set()
    for name, source in FORM_SOURCES.items():
        item = fields.get(source)
        if isinstance(item, dict) and item.get("value") not in (None, ""):
            if float(item.get("confidence") or 0) < LOW_CONFIDENCE:
                low.add(name)
    return low


def _field_rows(receipt: dict[str, Any]) -> list[dict[str, Any]]:
    fields = receipt.get("fields") or {}
    rows = []
    for name, label in FIELD_LABELS.items():
        item = fields.get(name)
        if not isinstance(item, dict) or item.get("value") in (None, ""):
            continue
        confidence = float(item.get("confidence") or 0)
        rows.append(
            {
                "name": name,
                "label": label,
                "value": item["value"],
                "confidence": confidence,
                "low": confidence < LOW_CONFIDENCE,
            }
        )
    return rows


async def _uploaded_files(request: Req, s: UploadSettings, field: str) -> list[tuple[str, bytes]]:
    """(file name, bytes) of a multipart field; 413 before reading a body over the limit."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > s.max_body_bytes:
        raise HTTPException(status_code=413)
    form = await request.form()
    files: list[tuple[str, bytes]] = []
    for item in form.getall(field) if field in form else []:
        if isinstance(item, UploadFile):
            files.append((item.filename or "", await item.read()))
            await item.close()
    return files


class ReceiptController(Controller):
    path = "/o/{org_id:int}"
    guards = [requires_login]
    dependencies = {"ctx": Provide(provide_org)}

    # ------------------------------------------------------------------ list + upload

    async def _list_page(
        self, request: Req, ctx: OrgContext, event_id: int, *, status: int = 200
    ) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        receipts = await services.event_receipts(ctx, event_id)
        s = _upload_settings(request)
        return render(
            request,
            "receipts/list.html",
            {
                "ctx": ctx,
                "event": event,
                "receipts": receipts,
                "counts": await services.status_counts(ctx, event_id),
                "max_files": s.max_files,
                "max_mb": s.max_file_bytes // (1024 * 1024),
                "poll_delay": poll_delay(0),
                "review_next": await services.next_for_review(ctx, event_id),
            },
            block="receipt_list",
            target="receipt-list",
            status_code=status,
        )

    @get("/events/{event_id:int}/receipts", name="receipt_list")
    async def list(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        return await self._list_page(request, ctx, event_id)

    @get("/events/{event_id:int}/receipts/panel", name="receipt_panel")
    async def panel(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        """Counts and the camera button for the event's overview page (loaded by the events slice)."""
        event = await services.get_event(ctx, event_id)
        s = _upload_settings(request)
        return render(
            request,
            "receipts/panel.html",
            {
                "ctx": ctx,
                "event": event,
                "counts": await services.status_counts(ctx, event_id),
                "max_files": s.max_files,
                "max_mb": s.max_file_bytes // (1024 * 1024),
            },
        )

    @post("/events/{event_id:int}/receipts", name="receipt_upload", request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        s = _upload_settings(request)
        files = await _uploaded_files(request, s, "files")
        try:
            outcome = await services.upload(
                ctx,
                event_id,
                files,
                _limits(s),
                max_files=s.max_files,
                max_per_window=s.rate_max_files,
                window_minutes=s.rate_window_minutes,
            )
        except ValidationFailed as exc:
            flash_now(request, exc.errors.get("files", "파일을 확인하세요."), "error")
            return await self._list_page(request, ctx, event_id, status=422)
        await services.enqueue_ocr(request.app.state.queue, outcome.created, _job_options(s))
        messages: list[tuple[str, str]] = []
        if outcome.created:
            messages.append(
                (f"영수증 {len(outcome.created)}장을 올렸습니다. 글자를 읽는 중입니다.", "success")
            )
        for new_id, earlier in outcome.duplicates:
            messages.append(
                (
                    f"영수증 #{new_id}은(는) 이미 올린 영수증 #{earlier}과 같은 파일입니다. "
                    "중복이면 반려하세요.",
                    "warning",
                )
            )
        for name, message in outcome.errors:
            messages.append((f"{name}: {message} (이 파일은 저장하지 않았습니다)", "error"))
        status = 200 if outcome.created else 422
        if is_partial(request) and request.headers.get("hx-target") == "receipt-list":
            for text, level in messages:
                flash_now(request, text, level)
            return await self._list_page(request, ctx, event_id, status=status)
        response = redirect(request, f"/o/{ctx.organisation_id}/events/{event_id}/receipts")
        for text, level in messages:
            flash(request, response, text, level)
        return response

    # ------------------------------------------------------------------ status polling

    @get("/receipts/{receipt_id:int}/row", name="receipt_row")
    async def row(self, request: Req, ctx: OrgContext, receipt_id: int, n: int = 0) -> Response[str]:
        receipt = await services.get_receipt(ctx, receipt_id)
        if await services.reconcile(ctx, receipt, request.app.state.queue):
            receipt = await services.get_receipt(ctx, receipt_id)
        if not is_partial(request):  # without JavaScript: the refresh link lands on the list
            return redirect(request, f"/o/{ctx.organisation_id}/events/{receipt['event']}/receipts")
        response = render(
            request,
            "receipts/_row.html",
            {"ctx": ctx, "r": receipt, "n": n + 1, "poll_delay": poll_delay(n + 1)},
        )
        if not receipt["pending"]:
            # Finished: refresh the list heading (count, "검토 시작") out of band as well.
            event_id = int(receipt["event"])
            head = render_string(
                "receipts/_list_head.html",
                {
                    **base_context(request),
                    "ctx": ctx,
                    "event": {"id": event_id},
                    "counts": await services.status_counts(ctx, event_id),
                    "review_next": await services.next_for_review(ctx, event_id),
                    "oob": True,
                },
            )
            response.content = f"{response.content}{head}"
        return response

    # ------------------------------------------------------------------ files

    @get("/receipts/{receipt_id:int}/file/{kind:str}", name="receipt_file")
    async def file(self, request: Req, ctx: OrgContext, receipt_id: int, kind: str) -> Response[bytes]:
        if kind not in FILE_KINDS:
            raise HTTPException(status_code=404)
        blob, receipt = await services.file_for(ctx, receipt_id, kind)
        if kind == "original":
            # The evidence as uploaded: always a download with its validated type, never rendered inline.
            ext = EXTENSIONS.get(receipt["original_type"], "bin")
            name = receipt["filename"] or f"receipt-{receipt_id}.{ext}"
            disposition = (
                f"attachment; filename=\"receipt-{receipt_id}.{ext}\"; filename*=UTF-8''{quote(name)}"
            )
            media_type = blob.content_type
        else:
            disposition = f'inline; filename="receipt-{receipt_id}-{kind}.jpg"'
            media_type = "image/jpeg"
        return Response(
            blob.content,
            media_type=media_type,
            headers={
                "Content-Disposition": disposition,
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; sandbox",
                "Cache-Control": "private, max-age=3600",
            },
        )

    # ------------------------------------------------------------------ review

    async def _review_page(
        self,
        request: Req,
        ctx: OrgContext,
        receipt_id: int,
        *,
        form: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response[str]:
        receipt = await services.get_receipt(ctx, receipt_id, full=True)
        if await services.reconcile(ctx, receipt, request.app.state.queue):
            receipt = await services.get_receipt(ctx, receipt_id, full=True)
        event = await services.get_event(ctx, int(receipt["event"]))
        lines = await services.budget_lines(int(receipt["event"]))
        defaults = (
            await services.transaction_form(int(receipt["transaction"]))
            if receipt.get("transaction")
            else services.review_form(receipt)
        )
        form = {**defaults, **(form or {})}
        raw_text = "\n".join(
            str(line.get("text") or "") for line in receipt.get("ocr_lines") or [] if isinstance(line, dict)
        )
        suggestion = receipt.get("suggestion") or {}
        return render(
            request,
            "receipts/review.html",
            {
                "ctx": ctx,
                "event": event,
                "r": receipt,
                "form": form,
                "errors": errors or {},
                "line_choices": _choices(lines),
                "boxes": _ocr_boxes(receipt),
                "field_rows": _field_rows(receipt),
                "low_inputs": _low_inputs(receipt) if not receipt.get("transaction") else set(),
                "raw_text": raw_text,
                "suggestion": suggestion,
                "evidence_choices": [(k.value, v) for k, v in EVIDENCE_LABELS.items()],
                "payment_choices": [(k.value, v) for k, v in PAYMENT_LABELS.items()],
                "transactions": await services.event_transactions(int(receipt["event"])),
                "queue_left": await services.count_waiting(ctx, int(receipt["event"])),
                "can_edit": ctx.can("money.edit"),
                "poll_delay": poll_delay(0),
                "n": 0,
                "ocr_warnings": [w for w in receipt.get("warnings") or [] if isinstance(w, str)],
                "can_replace": receipt["status"] not in ("confirmed", "rejected")
                and ctx.can("receipt.submit")
                and services.uploader_or_treasurer(ctx, receipt)
                and event.get("status") != "closed",
                "poor_photo": any(
                    isinstance(w, str) and w.startswith(services.POOR_PHOTO_PREFIX)
                    for w in receipt.get("warnings") or []
                ),
            },
            block="review",
            target="review",
            status_code=status,
        )

    @get("/receipts/{receipt_id:int}", name="receipt_review")
    async def review(self, request: Req, ctx: OrgContext, receipt_id: int) -> Response[str]:
        return await self._review_page(request, ctx, receipt_id)

    @get("/events/{event_id:int}/receipts/review", name="receipt_review_next")
    async def review_next(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        await services.get_event(ctx, event_id)
        next_id = await services.next_for_review(ctx, event_id)
        if next_id is None:
            return redirect(
                request, f"/o/{ctx.organisation_id}/events/{event_id}/receipts", "검토할 영수증이 없습니다."
            )
        return redirect(request, f"/o/{ctx.organisation_id}/receipts/{next_id}")

    @post("/receipts/{receipt_id:int}/confirm", name="receipt_confirm")
    async def confirm(self, request: Req, ctx: OrgContext, receipt_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            result = await services.confirm(ctx, receipt_id, data)
        except ValidationFailed as exc:
            flash_now(request, "입력을 확인하세요.", "error")
            return await self._review_page(request, ctx, receipt_id, form=data, errors=exc.errors, status=422)
        receipt = await services.get_receipt(ctx, receipt_id)
        event_id = int(receipt["event"])
        message = "영수증을 확인하고 집행 내역에 연결했습니다."
        if result["warnings"]:
            message += " " + " ".join(result["warnings"])
        if data.get("next"):
            next_id = await services.next_for_review(ctx, event_id, after_id=receipt_id)
            if next_id is not None:
                return redirect(
                    request,
                    f"/o/{ctx.organisation_id}/receipts/{next_id}",
                    message,
                    "warning" if result["warnings"] else "success",
                )
            message += " 검토할 영수증을 모두 처리했습니다."
        return redirect(
            request,
            f"/o/{ctx.organisation_id}/events/{event_id}/receipts",
            message,
            "warning" if result["warnings"] else "success",
        )

    @post("/receipts/{receipt_id:int}/reject", name="receipt_reject")
    async def reject(self, request: Req, ctx: OrgContext, receipt_id: int) -> Response[str]:
        data = await form_data(request)
        await services.reject(ctx, receipt_id, data.get("reason", ""))
        receipt = await services.get_receipt(ctx, receipt_id)
        event_id = int(receipt["event"])
        if data.get("next"):
            next_id = await services.next_for_review(ctx, event_id, after_id=receipt_id)
            if next_id is not None:
                return redirect(
                    request, f"/o/{ctx.organisation_id}/receipts/{next_id}", "영수증을 반려했습니다."
                )
        return redirect(
            request, f"/o/{ctx.organisation_id}/events/{event_id}/receipts", "영수증을 반려했습니다."
        )

    @post(
        "/receipts/{receipt_id:int}/replace", name="receipt_replace", request_max_body_size=UPLOAD_BODY_LIMIT
    )
    async def replace(self, request: Req, ctx: OrgContext, receipt_id: int) -> Response[str]:
        s = _upload_settings(request)
        files = await _uploaded_files(request, s, "photo")
        file = files[0] if files else ("", b"")
        try:
            outcome = await services.replace_photo(
                ctx,
                receipt_id,
                file,
                _limits(s),
                max_per_window=s.rate_max_files,
                window_minutes=s.rate_window_minutes,
            )
        except ValidationFailed as exc:
            # beside the form, where the member is looking on a phone (the flash area is screens above)
            message = exc.errors.get("photo") or exc.errors.get("files") or "파일을 확인하세요."
            return await self._review_page(request, ctx, receipt_id, errors={"photo": message}, status=422)
        await services.enqueue_ocr(request.app.state.queue, outcome.created, _job_options(s))
        return redirect(
            request,
            f"/o/{ctx.organisation_id}/receipts/{outcome.created[0]}",
            "새 사진을 올렸습니다. 글자를 읽는 중입니다. 먼저 올린 사진은 반려해 두었습니다.",
        )

    @post("/receipts/{receipt_id:int}/retry", name="receipt_retry")
    async def retry(self, request: Req, ctx: OrgContext, receipt_id: int) -> Response[str]:
        receipt = await services.requeue(ctx, receipt_id)
        await services.enqueue_ocr(
            request.app.state.queue, [receipt_id], _job_options(_upload_settings(request))
        )
        if is_partial(request) and request.headers.get("hx-target", "").startswith("receipt-"):
            fresh = await services.get_receipt(ctx, receipt_id)
            return render(
                request, "receipts/_row.html", {"ctx": ctx, "r": fresh, "n": 0, "poll_delay": poll_delay(0)}
            )
        return redirect(
            request,
            f"/o/{ctx.organisation_id}/events/{receipt['event']}/receipts",
            "영수증을 다시 읽도록 맡겼습니다.",
        )


__all__ = ["ReceiptController", "ReceiptStatus"]
