"""Litestar guards: who may reach a route at all (organisation roles are checked in OrgContext)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if connection.scope.get("state", {}).get("user") is None:
        raise NotAuthorizedException("로그인이 필요합니다.")


def requires_admin(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    requires_login(connection, handler)
    if not connection.scope["state"]["user"].is_admin:
        raise PermissionDeniedException("관리자만 볼 수 있는 페이지입니다.")
