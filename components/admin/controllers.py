"""System admin: users (search, deactivate, reactivate, reset link) and the audit log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post

from components.accounts import services as accounts
from components.accounts.controllers import policy
from components.accounts.guards import requires_admin
from components.audit import services as audit
from components.platform.mail import MailConfig, send_mail
from components.ui.forms import Conflict
from components.ui.http import address, current_user, int_param
from components.ui.rendering import redirect, render


class AdminController(Controller):
    path = "/admin"
    guards = [requires_admin]

    @get("/", name="admin_home")
    async def home(self, request: Request[Any, Any, Any]) -> Response[str]:
        return redirect(request, "/admin/users")

    @get("/users", name="admin_users")
    async def users(self, request: Request[Any, Any, Any]) -> Response[str]:
        search = request.query_params.get("q", "")
        page = int_param(request.query_params.get("page"))
        rows, total = await accounts.list_users(search, page)
        return render(
            request,
            "admin/users.html",
            {
                "users": rows,
                "total": total,
                "q": search,
                "page": page,
                "page_size": accounts.PAGE_SIZE,
                "reset_link": None,
            },
            block="results",
        )

    @post("/users/{user_id:int}/deactivate", name="admin_deactivate")
    async def deactivate(self, request: Request[Any, Any, Any], user_id: int) -> Response[str]:
        try:
            await accounts.set_active(current_user(request), user_id, False, address(request))
        except Conflict as exc:
            return redirect(request, "/admin/users", exc.message, "error")
        return redirect(
            request, "/admin/users", "계정을 비활성화했습니다. 그 사용자의 로그인은 모두 종료되었습니다."
        )

    @post("/users/{user_id:int}/reactivate", name="admin_reactivate")
    async def reactivate(self, request: Request[Any, Any, Any], user_id: int) -> Response[str]:
        await accounts.set_active(current_user(request), user_id, True, address(request))
        return redirect(request, "/admin/users", "계정을 다시 활성화했습니다.")

    @post("/users/{user_id:int}/reset-link", name="admin_reset_link")
    async def reset_link(self, request: Request[Any, Any, Any], user_id: int) -> Response[str]:
        token = await accounts.create_reset_token(
            current_user(request), user_id, policy(request), address(request)
        )
        user = await accounts.get_user(user_id)
        link = f"{request.app.state.settings.app.base_url.rstrip('/')}/reset/{token}"
        mail = request.app.state.settings.mail
        mailed = await send_mail(
            MailConfig(mail.smtp_host, mail.smtp_port, mail.smtp_user, mail.smtp_password, mail.sender),
            user["email"],
            "[총무] 비밀번호 재설정 링크",
            f"{user['display_name']}님,\n\n아래 링크에서 새 비밀번호를 설정하세요 "
            f"({request.app.state.settings.auth.reset_hours}시간 동안 한 번만 쓸 수 있습니다).\n\n{link}\n",
        )
        rows, total = await accounts.list_users("", 1)
        return render(
            request,
            "admin/users.html",
            {
                "users": rows,
                "total": total,
                "q": "",
                "page": 1,
                "page_size": accounts.PAGE_SIZE,
                "reset_link": {
                    "email": user["email"],
                    "url": link,
                    "hours": request.app.state.settings.auth.reset_hours,
                    "mailed": mailed,
                },
            },
        )

    @get("/audit", name="admin_audit")
    async def audit_log(self, request: Request[Any, Any, Any]) -> Response[str]:
        entries = await audit.recent_entries(200)
        report = await audit.verify_chain()
        return render(request, "admin/audit.html", {"entries": entries, "report": report})
