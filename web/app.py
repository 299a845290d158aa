"""create_app(): the Litestar application shell that wires the components together."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, NotAuthorizedException, PermissionDeniedException
from litestar.middleware import DefineMiddleware
from litestar.static_files import create_static_files_router
from loguru import logger
from piccolo.querystring import QueryString
from prometheus_client import generate_latest

from components.accounts.controllers import AccountController
from components.admin.controllers import AdminController
from components.events.controllers import EventController
from components.organisations.controllers import (
    InvitationController,
    OrganisationController,
    OrganisationListController,
)
from components.platform import metrics as observability
from components.platform.db import close_pool, open_pool
from components.platform.db import engine as db_engine
from components.platform.logging import configure_logging
from components.platform.queue import make_queue
from components.receipts.controllers import ReceiptController
from components.ui.forms import Conflict, NotAllowed, NotFound, ValidationFailed
from components.ui.rendering import is_htmx, redirect, render
from web.security import RequestContextMiddleware
from web.settings import Settings

STATIC = Path(__file__).parent / "static"

ERROR_TITLES = {
    400: "잘못된 요청입니다",
    401: "로그인이 필요합니다",
    403: "권한이 없습니다",
    404: "페이지를 찾을 수 없습니다",
    405: "허용되지 않는 요청입니다",
    409: "다른 변경과 충돌했습니다",
    410: "더 이상 사용할 수 없습니다",
    413: "보낸 내용이 너무 큽니다",
    422: "입력을 확인하세요",
    429: "요청이 너무 많습니다",
    500: "서버에 문제가 생겼습니다",
    503: "잠시 후 다시 시도하세요",
}
ERROR_MESSAGES = {
    403: "이 작업을 할 권한이 없습니다. 보안 토큰이 만료되었다면 페이지를 새로 고친 뒤 다시 시도하세요.",
    404: "주소가 바뀌었거나 볼 수 없는 페이지입니다.",
    405: "이 주소에서는 그런 요청을 받지 않습니다.",
    413: (
        "파일이나 입력이 허용된 크기를 넘었습니다. 크기를 줄여 다시 보내 주세요. "
        "입력하신 내용은 저장되지 않았습니다."
    ),
    500: "잠시 후 다시 시도하세요. 문제가 계속되면 관리자에게 요청 번호를 알려 주세요.",
}


def error_response(request: Request[Any, Any, Any], status: int, message: str | None = None) -> Response[str]:
    context = {
        "status": status,
        "title": ERROR_TITLES.get(status, "문제가 생겼습니다"),
        "message": message or ERROR_MESSAGES.get(status, ""),
        "request_id": request.scope.get("state", {}).get("request_id", ""),
    }
    if is_htmx(request):
        # Swap the message into the flash area rather than blanking the target.
        context["flash_messages"] = [{"level": "error", "text": f"{context['title']}: {context['message']}"}]
        return render(
            request,
            "ui/flash.html",
            {**context, "oob": False},
            status_code=status,
            headers={"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"},
        )
    return render(request, "errors/error.html", context, status_code=status)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[str]:
    status = exc.status_code
    if isinstance(exc, NotAuthorizedException):
        next_url = request.url.path
        return redirect(request, f"/login?next={next_url}", "로그인이 필요합니다.", "error")
    detail = exc.detail if isinstance(exc, PermissionDeniedException) and exc.detail != "Forbidden" else None
    if detail and "CSRF" in detail:
        detail = (
            "보안 토큰이 없거나 맞지 않습니다. 페이지를 새로 고친 뒤 다시 시도하세요. "
            "(입력한 내용은 저장되지 않았습니다)"
        )
    return error_response(request, status, detail)


def handle_not_found(request: Request[Any, Any, Any], exc: NotFound) -> Response[str]:
    return error_response(request, 404, exc.message)


def handle_not_allowed(request: Request[Any, Any, Any], exc: NotAllowed) -> Response[str]:
    return error_response(request, 403, exc.message)


def handle_conflict(request: Request[Any, Any, Any], exc: Conflict) -> Response[str]:
    return error_response(request, 409, exc.message)


def handle_validation(request: Request[Any, Any, Any], exc: ValidationFailed) -> Response[str]:
    return error_response(request, 422, " ".join(exc.errors.values()))


def handle_server_error(request: Request[Any, Any, Any], exc: Exception) -> Response[str]:
    logger.opt(exception=exc).error("unhandled error on {}", request.url.path)
    return error_response(request, 500)


@get("/", name="home")
async def home(request: Request[Any, Any, Any]) -> Response[str]:
    user = request.scope["state"].get("user")
    if user is not None:
        target = f"/o/{user.current_organisation_id}" if user.current_organisation_id else "/orgs"
        return Response("", status_code=303, headers={"Location": target})
    return render(request, "home.html")


@get("/health/live", name="health_live", sync_to_thread=False)
def health_live() -> dict[str, str]:
    return {"status": "ok"}


@get("/health/ready", name="health_ready")
async def health_ready(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    checks: dict[str, str] = {}
    if request.app.state.get("shutting_down"):
        return Response({"status": "shutting_down"}, status_code=503)
    try:
        await db_engine().run_querystring(QueryString("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        depth = await request.app.state.queue.count("queued")
        observability.QUEUE_DEPTH.set(depth)
        checks["queue"] = "ok"
    except Exception as exc:
        checks["queue"] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    return Response(
        {"status": "ok" if healthy else "unavailable", **checks}, status_code=200 if healthy else 503
    )


@get("/metrics", name="metrics")
async def metrics() -> Response[bytes]:
    await observability.refresh_all()
    return Response(generate_latest(observability.REGISTRY), media_type="text/plain; version=0.0.4")


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(json=settings.app.log_json, level=settings.app.log_level)

    async def on_startup(app: Litestar) -> None:
        await open_pool(1, 10)
        app.state.queue = make_queue(settings.database.url)
        await app.state.queue.connect()
        app.state.shutting_down = False
        # Objects alive after start-up (routes, templates, modules) never die: keep the collector from
        # rescanning them on every full collection (measured: budget-vs-actual p95 180 → 107 ms).
        gc.collect()
        gc.freeze()

    async def on_shutdown(app: Litestar) -> None:
        app.state.shutting_down = True
        await app.state.queue.disconnect()
        await close_pool()

    csrf = CSRFConfig(
        secret=settings.app.secret_key,
        cookie_secure=settings.app.secure_cookies,
        cookie_samesite="lax",
        exclude=["/health", "/metrics"],
    )
    app = Litestar(
        route_handlers=[
            home,
            health_live,
            health_ready,
            metrics,
            AccountController,
            OrganisationListController,
            InvitationController,
            OrganisationController,
            AdminController,
            ReceiptController,
            EventController,
            create_static_files_router(
                path="/static", directories=[STATIC], name="static", include_in_schema=False
            ),
        ],
        middleware=[DefineMiddleware(RequestContextMiddleware, secure=settings.app.secure_cookies)],
        csrf_config=csrf,
        exception_handlers={
            HTTPException: handle_http_exception,
            NotFound: handle_not_found,
            NotAllowed: handle_not_allowed,
            Conflict: handle_conflict,
            ValidationFailed: handle_validation,
            Exception: handle_server_error,
        },
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        request_max_body_size=settings.app.max_body_bytes,
        openapi_config=None,
        debug=settings.app.debug,
    )
    app.state.settings = settings
    app.state.metrics = observability
    return app
