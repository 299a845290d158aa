"""Events, the budget editor (HTMX inline rows with out-of-band totals), transactions and budget vs actual.

Every POST works as a plain form (303 + flash) and as an HTMX request (fragment + OOB swaps).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide

from components.accounts.guards import requires_login
from components.events import checks, services
from components.events.tables import EventStatus, EvidenceType, PaymentMethod, Section, TransactionStatus
from components.organisations.dependencies import provide_org
from components.organisations.services import OrgContext
from components.ui.forms import Conflict, ValidationFailed
from components.ui.http import form_data, int_param
from components.ui.rendering import base_context, flash_now, is_partial, redirect, render, render_string

STATUS_CHOICES = [("", "모든 상태")] + [(s.value, services.STATUS_LABELS[s]) for s in EventStatus]
SECTION_CHOICES = [(s.value, services.SECTION_LABELS[s]) for s in Section]
PAYMENT_CHOICES = [(p.value, services.PAYMENT_LABELS[p]) for p in PaymentMethod]
EVIDENCE_CHOICES = [(e.value, services.EVIDENCE_LABELS[e]) for e in EvidenceType]
TX_STATUS_CHOICES = [(s.value, services.TX_STATUS_LABELS[s]) for s in TransactionStatus]
BUDGET = "events/budget.html"

Req = Request[Any, Any, Any]


def _params(request: Req) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if isinstance(v, str)}


def _with_oob(
    request: Req,
    response: Response[str],
    template: str,
    context: dict[str, Any],
    blocks: list[tuple[str, dict[str, Any]]],
) -> Response[str]:
    """Append out-of-band fragments (each block rendered with `oob=True`) to an HTMX fragment response.

    Each is wrapped in <template>: the main fragment may be a table row, and the HTML parser would otherwise
    foster-parent the fragments and close their <form>s early; htmx 2 swaps OOB elements out of templates."""
    if is_partial(request):
        base = {**base_context(request), **context, "oob": True}
        extra = "".join(
            f"<template>{render_string(template, {**base, **more}, block=name)}</template>"
            for name, more in blocks
        )
        response.content = f"{response.content}{extra}"
    return response


class EventController(Controller):
    path = "/o/{org_id:int}/events"
    guards = [requires_login]
    dependencies = {"ctx": Provide(provide_org)}

    def _base(self, ctx: OrgContext) -> str:
        return f"/o/{ctx.organisation_id}/events"

    # ---- events -------------------------------------------------------------------------------------

    @get("/", name="event_list")
    async def list_events(self, request: Req, ctx: OrgContext) -> Response[str]:
        params = _params(request)
        year = params.get("year", "")
        filters = services.EventFilters(
            status=params.get("status", ""),
            year=int(year) if year.isdigit() else None,
            q=params.get("q", "")[:100],
            archived=params.get("archived") == "1",
            page=int_param(params.get("page")),
        )
        events, total = await services.list_events(ctx, filters)
        query = "&".join(f"{k}={v}" for k, v in params.items() if k != "page" and v)
        return render(
            request,
            "events/list.html",
            {
                "ctx": ctx,
                "events": events,
                "total": total,
                "filters": filters,
                "params": params,
                "status_choices": STATUS_CHOICES,
                "years": await services.event_years(ctx),
                "page_size": services.PAGE_SIZE,
                "pager_base": f"?{query}&" if query else "?",
            },
            block="event_list",
            target="event-list",
        )

    async def _form_page(
        self,
        request: Req,
        ctx: OrgContext,
        *,
        event: dict[str, Any] | None,
        form: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Response[str]:
        return render(
            request,
            "events/form.html",
            {
                "ctx": ctx,
                "event": event,
                "form": form,
                "errors": errors,
                "past_events": await services.past_events(ctx, exclude=event["id"] if event else None),
            },
            status_code=status,
            block="event_form",
            target="event-form",
        )

    @get("/new", name="event_new")
    async def new(self, request: Req, ctx: OrgContext) -> Response[str]:
        ctx.require("money.edit")
        form = services.event_form()
        form["copy_from"] = _params(request).get("copy_from", "")
        return await self._form_page(request, ctx, event=None, form=form, errors={})

    @post("/", name="event_create")
    async def create(self, request: Req, ctx: OrgContext) -> Response[str]:
        data = await form_data(request)
        try:
            event_id = await services.create_event(ctx, data)
        except ValidationFailed as exc:
            return await self._form_page(request, ctx, event=None, form=data, errors=exc.errors, status=422)
        message = "행사를 만들었습니다." + (
            " 지난 행사의 예산 항목을 가져왔습니다." if data.get("copy_from") else ""
        )
        return redirect(request, f"{self._base(ctx)}/{event_id}", message)

    @get("/{event_id:int}", name="event_show")
    async def show(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        summary = await services.event_summary(ctx, event)
        return render(
            request,
            "events/show.html",
            {
                "ctx": ctx,
                "event": event,
                "summary": summary,
                "tab": "show",
                "transitions": services.allowed_transitions(ctx, event),
            },
        )

    @get("/{event_id:int}/edit", name="event_edit")
    async def edit(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        ctx.require("money.edit")
        if event["locked"]:
            raise Conflict(services.LOCKED_MESSAGE)
        return await self._form_page(request, ctx, event=event, form=services.event_form(event), errors={})

    @post("/{event_id:int}", name="event_update")
    async def update(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            await services.update_event(ctx, event_id, data)
        except ValidationFailed as exc:
            event = await services.get_event(ctx, event_id)
            return await self._form_page(request, ctx, event=event, form=data, errors=exc.errors, status=422)
        except Conflict as exc:
            if exc.current is None:
                raise
            flash_now(request, exc.message)
            return await self._form_page(
                request,
                ctx,
                event=exc.current,
                form={**data, "version": str(exc.current["version"])},
                errors={},
                status=409,
            )
        return redirect(request, f"{self._base(ctx)}/{event_id}", "행사 정보를 저장했습니다.")

    @post("/{event_id:int}/status", name="event_status")
    async def status(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        label = await services.change_status(ctx, event_id, data.get("to", ""))
        return redirect(request, f"{self._base(ctx)}/{event_id}", f"행사 상태를 '{label}'(으)로 바꿨습니다.")

    @post("/{event_id:int}/reopen", name="event_reopen")
    async def reopen(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            await services.reopen_event(ctx, event_id, data.get("reason", ""))
        except ValidationFailed as exc:
            return redirect(request, f"{self._base(ctx)}/{event_id}", " ".join(exc.errors.values()), "error")
        return redirect(
            request, f"{self._base(ctx)}/{event_id}", "마감을 해제했습니다. 상태는 '결산 중'입니다."
        )

    @post("/{event_id:int}/archive", name="event_archive")
    async def archive(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        archived = data.get("archived", "1") == "1"
        await services.set_archived(ctx, event_id, archived)
        return redirect(
            request,
            self._base(ctx) if archived else f"{self._base(ctx)}/{event_id}",
            "행사를 보관함으로 옮겼습니다." if archived else "행사를 보관함에서 꺼냈습니다.",
        )

    # ---- budget editor ------------------------------------------------------------------------------

    async def _budget_context(self, ctx: OrgContext, event: dict[str, Any], **extra: Any) -> dict[str, Any]:
        sections = await services.budget_sections(ctx, event["id"])
        return {
            "ctx": ctx,
            "event": event,
            "tab": "budget",
            "sections": sections,
            "totals": await services.budget_totals(event),
            "editing_id": None,
            "editing_form": {},
            "line_errors": {},
            "conflict": None,
            "add_forms": {s["key"]: services.line_form(section=s["key"]) for s in sections},
            "add_errors": {},
            "can_edit": ctx.can("money.edit") and not event["locked"],
            "past_events": await services.past_events(ctx, exclude=event["id"]),
            **extra,
        }

    def _line_ctx(
        self, ctx: OrgContext, event: dict[str, Any], line: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        return {
            "ctx": ctx,
            "event": event,
            "line": line,
            "can_edit": ctx.can("money.edit") and not event["locked"],
            "editing_form": services.line_form(line),
            "line_errors": {},
            "conflict": None,
            **extra,
        }

    async def _totals_blocks(
        self, ctx: OrgContext, event: dict[str, Any], section: str, category: str | None = None
    ) -> list[tuple[str, dict[str, Any]]]:
        """OOB fragments after a change in `section`: grand totals, the section's subtotal and, when given,
        the header row (with its subtotal) of the category group."""
        sections = await services.budget_sections(ctx, event["id"], only=section)
        blocks: list[tuple[str, dict[str, Any]]] = [
            ("totals", {"totals": await services.budget_totals(event)}),
            ("subtotal", {"section": sections[0]}),
        ]
        for group in sections[0]["groups"]:
            if group["category"] == category:
                blocks.append(("group_head", {"section": sections[0], "group": group}))
        return blocks

    async def _section_response(
        self,
        request: Req,
        ctx: OrgContext,
        event: dict[str, Any],
        section: str,
        *,
        retarget: bool = False,
        extra_oob: list[tuple[str, dict[str, Any]]] | None = None,
    ) -> Response[str]:
        """The section's <tbody> (groups, rows) with the totals out of band."""
        context = await self._budget_context(ctx, event)
        context["section"] = next(s for s in context["sections"] if s["key"] == section)
        headers = {"HX-Retarget": f"#lines-{section}", "HX-Reswap": "outerHTML"} if retarget else None
        response = render(request, BUDGET, context, block="section_body", headers=headers)
        return _with_oob(
            request,
            response,
            BUDGET,
            {"ctx": ctx, "event": event},
            [
                ("totals", {"totals": context["totals"]}),
                ("subtotal", {"section": context["section"]}),
                *(extra_oob or []),
            ],
        )

    @get("/{event_id:int}/budget", name="budget_page")
    async def budget(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        context = await self._budget_context(ctx, event)
        edit = _params(request).get("edit", "")
        if edit.isdigit() and context["can_edit"]:
            line = await services.get_line(ctx, event_id, int(edit))
            context.update(editing_id=line["id"], editing_form=services.line_form(line))
        return render(request, BUDGET, context)

    @post("/{event_id:int}/budget/lines", name="budget_line_add")
    async def add_line(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        section = data.get("section", "")
        if section not in {"income", "expense"}:
            section = "expense"
        try:
            line = await services.add_line(ctx, event_id, data)
        except ValidationFailed as exc:
            event = await services.get_event(ctx, event_id)
            context = await self._budget_context(ctx, event)
            context["add_forms"][section] = data
            context["add_errors"] = {section: exc.errors}
            for s in context["sections"]:
                if s["key"] == section:
                    context["section"] = s
            return render(
                request,
                BUDGET,
                context,
                block="add_form",
                status_code=422,
                headers={"HX-Retarget": f"#add-{section}", "HX-Reswap": "outerHTML"},
            )
        if not is_partial(request):
            return redirect(
                request,
                f"{self._base(ctx)}/{event_id}/budget#line-{line['id']}",
                f"'{line['name']}' 항목을 추가했습니다.",
            )
        event = await services.get_event(ctx, event_id)
        label = services.SECTION_LABELS[Section(section)]
        fresh = {
            "section": {"key": section, "label": label},
            "add_forms": {section: services.line_form(section=section)},
            "add_errors": {},
            "can_edit": True,
        }
        # The whole section comes back: the new row joins its category group.
        return await self._section_response(request, ctx, event, section, extra_oob=[("add_form", fresh)])

    @get("/{event_id:int}/budget/lines/{line_id:int}", name="budget_line_row")
    async def line_row(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        line = await services.get_line(ctx, event_id, line_id)
        if not is_partial(request):
            return redirect(request, f"{self._base(ctx)}/{event_id}/budget#line-{line_id}")
        return render(request, BUDGET, self._line_ctx(ctx, event, line), block="line_row")

    @get("/{event_id:int}/budget/lines/{line_id:int}/edit", name="budget_line_edit")
    async def line_edit(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        ctx.require("money.edit")
        if event["locked"]:
            raise Conflict(services.LOCKED_MESSAGE)
        line = await services.get_line(ctx, event_id, line_id)
        if not is_partial(request):
            return redirect(request, f"{self._base(ctx)}/{event_id}/budget?edit={line_id}#line-{line_id}")
        return render(request, BUDGET, self._line_ctx(ctx, event, line), block="line_edit")

    @post("/{event_id:int}/budget/lines/{line_id:int}", name="budget_line_update")
    async def line_update(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            line = await services.update_line(ctx, event_id, line_id, data)
        except (ValidationFailed, Conflict) as exc:
            if isinstance(exc, Conflict) and exc.current is None:
                raise
            event = await services.get_event(ctx, event_id)
            current = await services.get_line(ctx, event_id, line_id)
            extra: dict[str, Any] = {"editing_form": data, "line_errors": {}, "conflict": None}
            status = 422
            if isinstance(exc, ValidationFailed):
                extra["line_errors"] = exc.errors
            else:
                status = 409
                extra["conflict"] = exc.message
                extra["editing_form"] = {**data, "version": str(current["version"])}
            if is_partial(request):
                return render(
                    request,
                    BUDGET,
                    self._line_ctx(ctx, event, current, **extra),
                    block="line_edit",
                    status_code=status,
                )
            context = await self._budget_context(ctx, event, editing_id=line_id, **extra)
            if extra["conflict"]:
                flash_now(request, extra["conflict"])
            return render(request, BUDGET, context, status_code=status)
        if not is_partial(request):
            return redirect(
                request,
                f"{self._base(ctx)}/{event_id}/budget#line-{line_id}",
                f"'{line['name']}' 항목을 저장했습니다.",
            )
        event = await services.get_event(ctx, event_id)
        if line["category"] != data.get("previous_category", line["category"]):
            # Moved to another category group: redraw the section instead of the row.
            return await self._section_response(request, ctx, event, line["section"], retarget=True)
        response = render(request, BUDGET, self._line_ctx(ctx, event, line), block="line_row")
        return _with_oob(
            request,
            response,
            BUDGET,
            {"ctx": ctx, "event": event},
            await self._totals_blocks(ctx, event, line["section"], line["category"]),
        )

    @post("/{event_id:int}/budget/lines/{line_id:int}/delete", name="budget_line_delete")
    async def line_delete(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        line = await services.delete_line(ctx, event_id, line_id)
        if not is_partial(request):
            return redirect(
                request, f"{self._base(ctx)}/{event_id}/budget", f"'{line['name']}' 항목을 지웠습니다."
            )
        event = await services.get_event(ctx, event_id)
        return await self._section_response(request, ctx, event, line["section"], retarget=True)

    @post("/{event_id:int}/budget/lines/{line_id:int}/move", name="budget_line_move")
    async def line_move(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        data = await form_data(request)
        section = await services.move_line(
            ctx, event_id, line_id, "up" if data.get("direction") == "up" else "down"
        )
        if not is_partial(request):
            return redirect(request, f"{self._base(ctx)}/{event_id}/budget#line-{line_id}")
        event = await services.get_event(ctx, event_id)
        sections = await services.budget_sections(ctx, event_id, only=section)
        context = await self._budget_context(ctx, event)
        context["section"] = sections[0]
        return render(request, BUDGET, context, block="section_body")

    @post("/{event_id:int}/budget/copy", name="budget_copy")
    async def copy(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            count = await services.copy_lines(ctx, event_id, data.get("copy_from", ""))
        except ValidationFailed as exc:
            return redirect(
                request, f"{self._base(ctx)}/{event_id}/budget", " ".join(exc.errors.values()), "error"
            )
        return redirect(
            request, f"{self._base(ctx)}/{event_id}/budget", f"예산 항목 {count}개를 가져왔습니다."
        )

    # ---- budget vs actual ---------------------------------------------------------------------------

    @get("/{event_id:int}/actual", name="budget_vs_actual")
    async def actual(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        report = await services.budget_vs_actual(ctx, event)
        warnings = await services.evidence_warnings(event)
        comment = _params(request).get("comment", "")
        return render(
            request,
            "events/actual.html",
            {
                "ctx": ctx,
                "event": event,
                "tab": "actual",
                "report": report,
                "warnings": warnings,
                "warning_kinds": [(checks.CHECK_LABELS[k], n) for k, n in checks.summarise(warnings).items()],
                "can_edit": ctx.can("money.edit") and not event["locked"],
                "can_comment": ctx.can("audit.comment"),
                "comment_edit": int(comment) if comment.isdigit() else None,
            },
        )

    async def _actual_cell(
        self, request: Req, ctx: OrgContext, event_id: int, line: dict[str, Any], block: str, message: str
    ) -> Response[str]:
        if not is_partial(request):
            return redirect(request, f"{self._base(ctx)}/{event_id}/actual#actual-{line['id']}", message)
        event = await services.get_event(ctx, event_id)
        line = await services.annotate_actual(event, line)
        return render(
            request,
            "events/actual.html",
            {
                "ctx": ctx,
                "event": event,
                "line": line,
                "can_edit": ctx.can("money.edit") and not event["locked"],
                "can_comment": ctx.can("audit.comment"),
                "saved": True,
            },
            block=block,
        )

    @post("/{event_id:int}/budget/lines/{line_id:int}/reason", name="budget_line_reason")
    async def reason(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        data = await form_data(request)
        line = await services.set_variance_reason(ctx, event_id, line_id, data.get("variance_reason", ""))
        return await self._actual_cell(request, ctx, event_id, line, "reason_cell", "사유를 저장했습니다.")

    @get("/{event_id:int}/budget/lines/{line_id:int}/comment", name="budget_line_comment_form")
    async def comment_form(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        ctx.require("audit.comment")
        line = await services.get_line(ctx, event_id, line_id)
        if not is_partial(request):
            return redirect(
                request, f"{self._base(ctx)}/{event_id}/actual?comment={line_id}#actual-{line_id}"
            )
        return render(
            request,
            "events/actual.html",
            {"ctx": ctx, "event": event, "line": line, "can_comment": True, "comment_edit": line_id},
            block="comment_cell",
        )

    @post("/{event_id:int}/budget/lines/{line_id:int}/comment", name="budget_line_comment")
    async def comment(self, request: Req, ctx: OrgContext, event_id: int, line_id: int) -> Response[str]:
        data = await form_data(request)
        line = await services.comment_line(ctx, event_id, line_id, data.get("auditor_comment", ""))
        return await self._actual_cell(
            request, ctx, event_id, line, "comment_cell", "감사 의견을 저장했습니다."
        )

    # ---- transactions -------------------------------------------------------------------------------

    @get("/{event_id:int}/transactions", name="tx_list")
    async def transactions(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        filters = services.parse_tx_filters(_params(request))
        result = await services.list_transactions(ctx, event_id, filters)
        query = filters.query_string()
        return render(
            request,
            "events/transactions.html",
            {
                "ctx": ctx,
                "event": event,
                "tab": "transactions",
                "result": result,
                "filters": filters,
                "lines": await services.line_choices(event_id),
                "section_choices": SECTION_CHOICES,
                "evidence_choices": EVIDENCE_CHOICES,
                "tx_status_choices": TX_STATUS_CHOICES,
                "can_edit": ctx.can("money.edit") and not event["locked"],
                "page_size": services.PAGE_SIZE,
                "pager_base": f"?{query}&" if query else "?",
            },
            block="tx_list",
            target="tx-list",
        )

    async def _tx_form(
        self,
        request: Req,
        ctx: OrgContext,
        event: dict[str, Any],
        *,
        tx: dict[str, Any] | None,
        form: dict[str, str],
        errors: dict[str, str],
        status: int = 200,
    ) -> Response[str]:
        return render(
            request,
            "events/tx_form.html",
            {
                "ctx": ctx,
                "event": event,
                "tab": "transactions",
                "tx": tx,
                "form": form,
                "errors": errors,
                "lines": await services.line_choices(event["id"]),
                "section_choices": SECTION_CHOICES,
                "payment_choices": PAYMENT_CHOICES,
                "evidence_choices": EVIDENCE_CHOICES,
                "tx_status_choices": TX_STATUS_CHOICES,
            },
            status_code=status,
            block="tx_form",
            target="tx-form",
        )

    @get("/{event_id:int}/transactions/new", name="tx_new")
    async def tx_new(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        ctx.require("money.edit")
        if event["locked"]:
            raise Conflict(services.LOCKED_MESSAGE)
        form = services.tx_form()
        line = _params(request).get("line", "")
        if line.isdigit():
            form["budget_line"] = line
        return await self._tx_form(request, ctx, event, tx=None, form=form, errors={})

    @post("/{event_id:int}/transactions", name="tx_create")
    async def tx_create(self, request: Req, ctx: OrgContext, event_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            await services.create_transaction(ctx, event_id, data)
        except ValidationFailed as exc:
            event = await services.get_event(ctx, event_id)
            return await self._tx_form(request, ctx, event, tx=None, form=data, errors=exc.errors, status=422)
        if data.get("again"):
            return redirect(
                request, f"{self._base(ctx)}/{event_id}/transactions/new", "집행 내역을 기록했습니다."
            )
        return redirect(request, f"{self._base(ctx)}/{event_id}/transactions", "집행 내역을 기록했습니다.")

    @get("/{event_id:int}/transactions/{tx_id:int}/edit", name="tx_edit")
    async def tx_edit(self, request: Req, ctx: OrgContext, event_id: int, tx_id: int) -> Response[str]:
        event = await services.get_event(ctx, event_id)
        ctx.require("money.edit")
        tx = await services.get_transaction(ctx, event_id, tx_id)
        if event["locked"]:
            raise Conflict(services.LOCKED_MESSAGE)
        return await self._tx_form(request, ctx, event, tx=tx, form=services.tx_form(tx), errors={})

    @post("/{event_id:int}/transactions/{tx_id:int}", name="tx_update")
    async def tx_update(self, request: Req, ctx: OrgContext, event_id: int, tx_id: int) -> Response[str]:
        data = await form_data(request)
        try:
            await services.update_transaction(ctx, event_id, tx_id, data)
        except (ValidationFailed, Conflict) as exc:
            if isinstance(exc, Conflict) and exc.current is None:
                raise
            event = await services.get_event(ctx, event_id)
            tx = await services.get_transaction(ctx, event_id, tx_id)
            if isinstance(exc, Conflict):
                flash_now(request, exc.message)
                return await self._tx_form(
                    request,
                    ctx,
                    event,
                    tx=tx,
                    form={**data, "version": str(tx["version"])},
                    errors={},
                    status=409,
                )
            return await self._tx_form(request, ctx, event, tx=tx, form=data, errors=exc.errors, status=422)
        return redirect(request, f"{self._base(ctx)}/{event_id}/transactions", "집행 내역을 저장했습니다.")

    @post("/{event_id:int}/transactions/{tx_id:int}/delete", name="tx_delete")
    async def tx_delete(self, request: Req, ctx: OrgContext, event_id: int, tx_id: int) -> Response[str]:
        await services.delete_transaction(ctx, event_id, tx_id)
        return redirect(request, f"{self._base(ctx)}/{event_id}/transactions", "집행 내역을 지웠습니다.")
