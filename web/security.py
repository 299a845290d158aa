"""Request plumbing: request id, session → user, security headers, access log and metrics.

One pure-ASGI middleware so every response (errors included) gets the same headers and log line.
"""

from __future__ import annotations

import time
import uuid

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from loguru import logger

from components.accounts import services as accounts
from components.platform.metrics import HTTP_LATENCY, HTTP_REQUESTS

SESSION_COOKIE = "chongmu_session"

SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(self), geolocation=(), microphone=()",
    "cross-origin-opener-policy": "same-origin",
    # Inline scripts are not used; htmx evaluates no inline handlers (hx-on is not used).
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
}


def client_address(scope: Scope) -> str:
    # Behind Caddy the real address comes in X-Forwarded-For (Granian is told to trust the proxy).
    for name, value in scope.get("headers", []):
        if name == b"x-forwarded-for":
            return value.decode("latin-1").split(",")[0].strip()[:64]
    client = scope.get("client")
    return client[0] if client else ""


def _cookie(scope: Scope, name: str) -> str:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == name:
                    return val
    return ""


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = uuid.uuid4().hex[:16]
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["address"] = client_address(scope)
        path: str = scope["path"]
        user = None
        if not path.startswith(("/static/", "/health/", "/metrics")):
            token = _cookie(scope, SESSION_COOKIE)
            user = await accounts.resolve_session(token) if token else None
        state["user"] = user
        status_holder = {"status": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = MutableScopeHeaders.from_message(message)
                for key, value in SECURITY_HEADERS.items():
                    if key not in headers:
                        headers[key] = value
                if self.secure:
                    headers["strict-transport-security"] = "max-age=31536000; includeSubDomains"
                headers["x-request-id"] = request_id
                if user is not None and "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("path_template") or ("static" if path.startswith("/static/") else "unmatched")
            method = scope.get("method", "GET")
            status = status_holder["status"]
            HTTP_REQUESTS.labels(route, method, str(status)).inc()
            HTTP_LATENCY.labels(route, method).observe(elapsed)
            if route not in ("static", "/metrics", "/health/live", "/health/ready"):
                logger.bind(
                    request_id=request_id,
                    user_id=user.id if user else None,
                    route=route,
                    method=method,
                    status=status,
                    duration_ms=round(elapsed * 1000, 1),
                    address=state["address"],
                ).info(f"{method} {path} {status} {elapsed * 1000:.0f}ms")
