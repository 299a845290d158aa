"""Organisations: create, switch, members and roles, invitations by one-time link."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide

from components.accounts.guards import requires_login
from components.organisations import services
from components.organisations.dependencies import provide_org
from components.organisations.services import ROLE_LABELS, OrgContext
from components.organisations.tables import Role
from components.ui.forms import Conflict, NotFound, ValidationFailed
from components.ui.http import address, current_user, form_data
from components.ui.rendering import flash_now, link_unusable, redirect, render

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]


class OrganisationListController(Controller):
    path = ""
    guards = [requires_login]

    @get("/orgs", name="org_list")
    async def list_orgs(self, request: Request[Any, Any, Any]) -> Response[str]:
        orgs = await services.my_organisations(current_user(request).id)
        return render(request, "organisations/list.html", {"orgs": orgs, "form": {}, "errors": {}})

    @post("/orgs", name="org_create")
    async def create(self, request: Request[Any, Any, Any]) -> Response[str]:
        data = await form_data(request)
        try:
            org_id = await services.create_organisation(
                current_user(request), data.get("name", ""), data.get("description", ""), address(request)
            )
        except ValidationFailed as exc:
            orgs = await services.my_organisations(current_user(request).id)
            return render(
                request,
                "organisations/list.html",
                {"orgs": orgs, "form": data, "errors": exc.errors},
                block="create_form",
                status_code=422,
            )
        return redirect(request, f"/o/{org_id}", "단체를 만들었습니다. 이제 구성원을 초대하세요.")


class InvitationController(Controller):
    """The invitation link itself is public: it asks a visitor to register or log in first."""

    path = ""

    @get("/invite/{token:str}", name="invitation_view")
    async def view_invitation(self, request: Request[Any, Any, Any], token: str) -> Response[str]:
        try:
            invitation = await services.find_invitation(token)
        except (NotFound, Conflict) as exc:
            return link_unusable(request, "초대 링크를 사용할 수 없습니다", exc.message)
        return render(request, "organisations/invitation.html", {"invitation": invitation, "token": token})

    @post("/invite/{token:str}", name="invitation_accept", guards=[requires_login])
    async def accept(self, request: Request[Any, Any, Any], token: str) -> Response[str]:
        try:
            org_id = await services.accept_invitation(current_user(request), token, address(request))
        except (NotFound, Conflict) as exc:
            return link_unusable(request, "초대 링크를 사용할 수 없습니다", exc.message)
        return redirect(request, f"/o/{org_id}", "단체에 가입했습니다.")


class OrganisationController(Controller):
    """Routes inside one organisation; `ctx` proves membership (404 for anybody else)."""

    path = "/o/{org_id:int}"
    guards = [requires_login]
    dependencies = {"ctx": Provide(provide_org)}

    @get("/", name="org_home")
    async def home(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        await services.switch_organisation(ctx.user, ctx.organisation_id)
        org = await services.get_organisation(ctx)
        return render(request, "organisations/home.html", {"ctx": ctx, "org": org})

    @post("/switch", name="org_switch")
    async def switch(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        await services.switch_organisation(ctx.user, ctx.organisation_id)
        return redirect(request, f"/o/{ctx.organisation_id}", f"{ctx.organisation_name}(으)로 전환했습니다.")

    @post("/settings", name="org_update")
    async def update(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        data = await form_data(request)
        try:
            await services.update_organisation(ctx, data.get("name", ""), data.get("description", ""))
        except ValidationFailed as exc:
            return await self._members_page(request, ctx, org_errors=exc.errors, org_form=data, status=422)
        return redirect(request, f"/o/{ctx.organisation_id}/members", "단체 정보를 저장했습니다.")

    async def _members_page(
        self,
        request: Request[Any, Any, Any],
        ctx: OrgContext,
        *,
        invite_link: str | None = None,
        org_errors: dict[str, str] | None = None,
        org_form: dict[str, str] | None = None,
        invite_errors: dict[str, str] | None = None,
        status: int = 200,
        block: str | None = None,
    ) -> Response[str]:
        org = await services.get_organisation(ctx)
        return render(
            request,
            "organisations/members.html",
            {
                "ctx": ctx,
                "org": org,
                "members": await services.members(ctx),
                "invitations": await services.open_invitations(ctx) if ctx.can("org.invite") else [],
                "role_choices": ROLE_CHOICES,
                "invite_link": invite_link,
                "org_form": org_form or {"name": org["name"], "description": org["description"]},
                "org_errors": org_errors or {},
                "invite_errors": invite_errors or {},
            },
            status_code=status,
            block=block,
        )

    @get("/members", name="org_members")
    async def members(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        return await self._members_page(request, ctx)

    @post("/invitations", name="org_invite")
    async def invite(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        data = await form_data(request)
        try:
            token = await services.create_invitation(
                ctx,
                data.get("role", ""),
                data.get("note", ""),
                request.app.state.settings.auth.invitation_days,
            )
        except ValidationFailed as exc:
            return await self._members_page(
                request, ctx, invite_errors=exc.errors, status=422, block="invite"
            )
        link = f"{request.app.state.settings.app.base_url.rstrip('/')}/invite/{token}"
        flash_now(request, "초대 링크를 만들었습니다. 한 번만 보여 드리니 지금 복사해 전달하세요.", "success")
        # The link is shown once, in this response only (the table keeps just its hash).
        return await self._members_page(request, ctx, invite_link=link, block="invite")

    @post("/invitations/{invitation_id:int}/revoke", name="org_invite_revoke")
    async def revoke(
        self, request: Request[Any, Any, Any], ctx: OrgContext, invitation_id: int
    ) -> Response[str]:
        await services.revoke_invitation(ctx, invitation_id)
        return redirect(request, f"/o/{ctx.organisation_id}/members", "초대를 취소했습니다.")

    @post("/members/{membership_id:int}/role", name="org_member_role")
    async def change_role(
        self, request: Request[Any, Any, Any], ctx: OrgContext, membership_id: int
    ) -> Response[str]:
        data = await form_data(request)
        try:
            await services.change_role(ctx, membership_id, data.get("role", ""))
        except (Conflict, ValidationFailed) as exc:
            message = exc.message if isinstance(exc, Conflict) else " ".join(exc.errors.values())
            return redirect(request, f"/o/{ctx.organisation_id}/members", message, "error")
        return redirect(request, f"/o/{ctx.organisation_id}/members", "역할을 바꿨습니다.")

    @post("/members/{membership_id:int}/remove", name="org_member_remove")
    async def remove(
        self, request: Request[Any, Any, Any], ctx: OrgContext, membership_id: int
    ) -> Response[str]:
        try:
            await services.remove_member(ctx, membership_id)
        except Conflict as exc:
            return redirect(request, f"/o/{ctx.organisation_id}/members", exc.message, "error")
        return redirect(request, f"/o/{ctx.organisation_id}/members", "구성원을 내보냈습니다.")

    @post("/leave", name="org_leave")
    async def leave(self, request: Request[Any, Any, Any], ctx: OrgContext) -> Response[str]:
        try:
            await services.leave(ctx)
        except Conflict as exc:
            return redirect(request, f"/o/{ctx.organisation_id}/members", exc.message, "error")
        return redirect(request, "/orgs", f"{ctx.organisation_name}에서 나왔습니다.")
