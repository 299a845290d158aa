"""One Jinja environment for every component; full pages or, for HTMX, only the targeted block.

`render()` returns the whole page for normal and hx-boosted requests, and only `block` for other HTMX
requests, with pending flash messages swapped out-of-band into #flash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.utils.scope.state import ScopeState

from components.ui import formatting

ROOT = Path(__file__).resolve().parent.parent.parent
FLASH_COOKIE = "chongmu_flash"


def template_dirs() -> list[str]:
    dirs = [str(ROOT / "web" / "templates")]
    dirs += sorted(str(p) for p in (ROOT / "components").glob("*/templates") if p.is_dir())
    return dirs


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(template_dirs()),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        won=formatting.won,
        number=formatting.number,
        local_datetime=formatting.local_datetime,
        local_date=formatting.local_date,
    )
    # Macros as a global module, so blocks rendered alone (HTMX fragments) can use them too.
    env.globals["ui"] = env.get_template("ui/macros.html").module
    return env


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def is_partial(request: Request[Any, Any, Any]) -> bool:
    """HTMX asked for a fragment to swap into an element.

    Boosted navigation wants the whole page, and so does the GET that follows an HX-Location redirect
    (it targets <body>, which has no id, so it carries no HX-Target).
    """
    return (
        is_htmx(request)
        and request.headers.get("hx-boosted") != "true"
        and bool(request.headers.get("hx-target"))
    )


def csrf_token(request: Request[Any, Any, Any]) -> str:
    state = ScopeState.from_scope(request.scope)
    token = state.csrf_token if isinstance(state.csrf_token, str) else None
    return token or request.cookies.get("csrftoken", "")


# ---- flash messages: a signed cookie that survives one redirect ------------------------------------


def _secret(request: Request[Any, Any, Any]) -> bytes:
    return str(request.app.state.settings.app.secret_key).encode()


def _sign(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()[:32]


def flash(
    request: Request[Any, Any, Any], response: Response[Any], message: str, level: str = "success"
) -> None:
    messages = [*request.scope.get("state", {}).get("flash_out", []), {"level": level, "text": message}]
    request.scope.setdefault("state", {})["flash_out"] = messages
    payload = base64.urlsafe_b64encode(json.dumps(messages, ensure_ascii=False).encode()).decode()
    value = f"{payload}.{_sign(_secret(request), payload)}"
    response.set_cookie(
        Cookie(
            key=FLASH_COOKIE,
            value=value,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.app.secure_cookies,
            max_age=120,
        )
    )


def pending_flash(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    raw = request.cookies.get(FLASH_COOKIE, "")
    if "." not in raw:
        return []
    payload, signature = raw.rsplit(".", 1)
    if not hmac.compare_digest(signature, _sign(_secret(request), payload)):
        return []
    try:
        messages = json.loads(base64.urlsafe_b64decode(payload.encode()))
    except ValueError:
        return []
    return [m for m in messages if isinstance(m, dict)][:5]


def base_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    state = request.scope.get("state", {})
    return {
        "request": request,
        "current_user": state.get("user"),
        "csrf_token": csrf_token(request),
        "htmx_src": "/static/vendor/htmx-2.0.11.min.js",
        "nav_orgs": state.get("nav_orgs", []),
        "current_org": state.get("current_org"),
    }


def render_string(template: str, context: dict[str, Any], *, block: str | None = None) -> str:
    tmpl = environment().get_template(template)
    if block is None:
        return tmpl.render(context)
    return "".join(tmpl.blocks[block](tmpl.new_context(context)))


def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    target: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    ctx = {**base_context(request), **(context or {})}
    messages = pending_flash(request) + request.scope.get("state", {}).get("flash_now", [])
    ctx["flash_messages"] = [*(context or {}).get("flash_messages", []), *messages]
    # With `target`, the block only when HTMX swaps into that very element (a filter form aimed at a list);
    # any other HTMX request to the same URL (a boosted link, an HX-Location redirect) gets the page.
    partial = (
        block is not None
        and is_partial(request)
        and (target is None or request.headers.get("hx-target") == target)
    )
    html = render_string(template, ctx, block=block if partial else None)
    if partial and messages:
        html += render_string("ui/flash.html", {**ctx, "oob": True})
    response: Response[str] = Response(
        html, status_code=status_code, media_type="text/html", headers=headers or {}
    )
    if request.cookies.get(FLASH_COOKIE):
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def link_unusable(request: Request[Any, Any, Any], title: str, message: str) -> Response[str]:
    """410 page for a one-time link (invitation, password reset) that is forged, used, revoked or expired."""
    return render(
        request, "errors/error.html", {"status": 410, "title": title, "message": message}, status_code=410
    )


def flash_now(request: Request[Any, Any, Any], message: str, level: str = "error") -> None:
    """A message shown in this very response (form re-rendered with errors)."""
    request.scope.setdefault("state", {}).setdefault("flash_now", []).append(
        {"level": level, "text": message}
    )


def redirect(
    request: Request[Any, Any, Any], url: str, message: str | None = None, level: str = "success"
) -> Response[str]:
    """After a POST: 303 to the next page; for HTMX an HX-Redirect/HX-Location so the page follows."""
    if is_htmx(request):
        response: Response[str] = Response(
            "", status_code=200, headers={"HX-Location": json.dumps({"path": url, "target": "body"})}
        )
    else:
        response = Response("", status_code=303, headers={"Location": url})
    if message:
        flash(request, response, message, level)
    return response
