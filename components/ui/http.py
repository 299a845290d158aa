"""Small helpers for controllers: form values, the current user, the client's address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from litestar import Request

from components.accounts.services import CurrentUser


async def form_data(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The submitted form as plain strings (first value of each field; files are left out)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def current_user(request: Request[Any, Any, Any]) -> CurrentUser:
    user = request.scope.get("state", {}).get("user")
    assert user is not None, "route must be guarded by requires_login"
    return user


def address(request: Request[Any, Any, Any]) -> str:
    return str(request.scope.get("state", {}).get("address", ""))


def safe_next(url: str | None, default: str = "/") -> str:
    """Only same-site relative paths, so a login link cannot send people elsewhere."""
    if not url:
        return default
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc or not url.startswith("/") or url.startswith("//"):
        return default
    return url


def int_param(value: str | None, default: int = 1) -> int:
    try:
        return max(int(value or default), 1)
    except ValueError:
        return default
