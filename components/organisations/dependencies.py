"""The organisation context every `/o/{org_id}/…` route receives; membership is checked here."""

from __future__ import annotations

from typing import Any

from litestar import Request

from components.organisations.services import OrgContext, membership_of
from components.ui.http import address, current_user


async def provide_org(request: Request[Any, Any, Any], org_id: int) -> OrgContext:
    ctx = await membership_of(current_user(request), org_id, address(request))
    request.scope["state"]["current_org"] = ctx
    return ctx
