"""Organisations, memberships and invitations. Every read of organisation data goes through
`membership_of`, which is how a user of organisation A is kept out of B."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from components.accounts import services as accounts
from components.accounts.services import CurrentUser, token_digest
from components.accounts.tables import User
from components.audit import services as audit
from components.audit.services import Actor
from components.organisations.tables import Invitation, Membership, Organisation, Role
from components.ui.forms import Conflict, NotAllowed, NotFound, ValidationFailed, clean_text

ROLE_LABELS = {Role.owner: "회장", Role.treasurer: "총무", Role.member: "회원", Role.auditor: "감사"}
# What each role may do; controllers ask `can(role, action)`.
PERMISSIONS: dict[str, set[Role]] = {
    "org.manage": {Role.owner},
    "org.invite": {Role.owner, Role.treasurer},
    "money.edit": {Role.owner, Role.treasurer},
    "money.read": {Role.owner, Role.treasurer, Role.member, Role.auditor},
    "audit.comment": {Role.auditor, Role.owner},
    "audit.read": {Role.owner, Role.treasurer, Role.auditor},
    "event.reopen": {Role.owner},
    "receipt.submit": {Role.owner, Role.treasurer, Role.member},
}


def now() -> datetime:
    return datetime.now(UTC)


def can(role: str | Role, action: str) -> bool:
    return Role(role) in PERMISSIONS[action]


@dataclass(frozen=True)
class OrgContext:
    """The current user inside one organisation: what every organisation route works with."""

    user: CurrentUser
    organisation_id: int
    organisation_name: str
    role: Role
    address: str = ""

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def actor(self) -> Actor:
        return Actor(self.user.id, self.user.actor_label, self.address)

    def can(self, action: str) -> bool:
        return can(self.role, action)

    def require(self, action: str) -> None:
        if not self.can(action):
            raise NotAllowed(f"{self.role_label} 권한으로는 할 수 없는 작업입니다.")


async def membership_of(user: CurrentUser, organisation_id: int, address: str = "") -> OrgContext:
    """The user's context in the organisation, or NotFound (never reveal other organisations)."""
    row = await (
        Membership.select(Membership.role, Membership.organisation.name)
        .where((Membership.user == user.id) & (Membership.organisation == organisation_id))
        .first()
    )
    if row is None:
        raise NotFound("단체를 찾을 수 없습니다.")
    return OrgContext(user, organisation_id, row["organisation.name"], Role(row["role"]), address)


async def my_organisations(user_id: int) -> list[dict[str, Any]]:
    rows = await (
        Membership.select(Membership.organisation.id, Membership.organisation.name, Membership.role)
        .where(Membership.user == user_id)
        .order_by(Membership.organisation.name)
    )
    return [
        {
            "id": r["organisation.id"],
            "name": r["organisation.name"],
            "role": r["role"],
            "role_label": ROLE_LABELS[Role(r["role"])],
        }
        for r in rows
    ]


async def create_organisation(user: CurrentUser, name: str, description: str, address: str) -> int:
    errors: dict[str, str] = {}
    name = clean_text(name, field="name", label="단체 이름", max_length=100, errors=errors)
    description = clean_text(
        description, field="description", label="설명", max_length=2000, required=False, errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    async with Organisation._meta.db.transaction():
        org = Organisation(name=name, description=description, created_at=now(), created_by=user.id)
        await org.save()
        await Membership.insert(
            Membership(organisation=org.id, user=user.id, role=Role.owner, created_at=now())
        )
        await accounts.set_current_organisation(user.id, org.id)
        await audit.record(
            Actor(user.id, user.actor_label, address),
            "organisation.create",
            "organisation",
            org.id,
            organisation_id=org.id,
            after={"name": name, "owner": user.email},
        )
    return int(org.id)


async def update_organisation(ctx: OrgContext, name: str, description: str) -> None:
    ctx.require("org.manage")
    errors: dict[str, str] = {}
    name = clean_text(name, field="name", label="단체 이름", max_length=100, errors=errors)
    description = clean_text(
        description, field="description", label="설명", max_length=2000, required=False, errors=errors
    )
    if errors:
        raise ValidationFailed(errors)
    before = (
        await Organisation.select(Organisation.name, Organisation.description)
        .where(Organisation.id == ctx.organisation_id)
        .first()
    )
    await Organisation.update({Organisation.name: name, Organisation.description: description}).where(
        Organisation.id == ctx.organisation_id
    )
    await audit.record(
        ctx.actor,
        "organisation.update",
        "organisation",
        ctx.organisation_id,
        organisation_id=ctx.organisation_id,
        before=before,
        after={"name": name, "description": description},
    )


async def get_organisation(ctx: OrgContext) -> dict[str, Any]:
    row = await Organisation.select().where(Organisation.id == ctx.organisation_id).first()
    if row is None:
        raise NotFound("단체를 찾을 수 없습니다.")
    return row


async def members(ctx: OrgContext) -> list[dict[str, Any]]:
    rows = await (
        Membership.select(
            Membership.id,
            Membership.role,
            Membership.created_at,
            Membership.user.id,
            Membership.user.email,
            Membership.user.display_name,
        )
        .where(Membership.organisation == ctx.organisation_id)
        .order_by(Membership.created_at)
    )
    for r in rows:
        r["role_label"] = ROLE_LABELS[Role(r["role"])]
    return rows


def _parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError as exc:
        raise ValidationFailed({"role": "올바른 역할을 선택하세요."}) from exc


async def create_invitation(ctx: OrgContext, role: str, note: str, days: int) -> str:
    ctx.require("org.invite")
    parsed = _parse_role(role)
    if parsed == Role.owner and not ctx.can("org.manage"):
        raise NotAllowed("회장 초대는 회장만 할 수 있습니다.")
    errors: dict[str, str] = {}
    note = clean_text(note, field="note", label="메모", max_length=200, required=False, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        organisation=ctx.organisation_id,
        token_hash=token_digest(token),
        role=parsed,
        note=note,
        created_by=ctx.user.id,
        created_at=now(),
        expires_at=now() + timedelta(days=days),
    )
    await invitation.save()
    await audit.record(
        ctx.actor,
        "invitation.create",
        "invitation",
        invitation.id,
        organisation_id=ctx.organisation_id,
        after={"role": parsed.value, "note": note},
    )
    return token


async def open_invitations(ctx: OrgContext) -> list[dict[str, Any]]:
    rows = await (
        Invitation.select(
            Invitation.id, Invitation.role, Invitation.note, Invitation.created_at, Invitation.expires_at
        )
        .where(
            (Invitation.organisation == ctx.organisation_id)
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
            & (Invitation.expires_at > now())
        )
        .order_by(Invitation.created_at, ascending=False)
    )
    for r in rows:
        r["role_label"] = ROLE_LABELS[Role(r["role"])]
    return rows


async def revoke_invitation(ctx: OrgContext, invitation_id: int) -> None:
    ctx.require("org.invite")
    done = (
        await Invitation.update({Invitation.revoked_at: now()})
        .where(
            (Invitation.id == invitation_id)
            & (Invitation.organisation == ctx.organisation_id)
            & Invitation.accepted_at.is_null()
        )
        .returning(Invitation.id)
    )
    if not done:
        raise NotFound("초대를 찾을 수 없습니다.")
    await audit.record(
        ctx.actor, "invitation.revoke", "invitation", invitation_id, organisation_id=ctx.organisation_id
    )


async def find_invitation(token: str) -> dict[str, Any]:
    """The invitation behind a link, or a Korean reason why it cannot be used."""
    row = await (
        Invitation.select(
            Invitation.id,
            Invitation.role,
            Invitation.expires_at,
            Invitation.accepted_at,
            Invitation.revoked_at,
            Invitation.organisation.id,
            Invitation.organisation.name,
        )
        .where(Invitation.token_hash == token_digest(token or ""))
        .first()
    )
    if row is None:
        raise NotFound("유효하지 않은 초대 링크입니다. 링크를 다시 확인하세요.")
    if row["accepted_at"] is not None:
        raise Conflict("이미 사용된 초대 링크입니다. 초대한 분에게 새 링크를 요청하세요.")
    if row["revoked_at"] is not None:
        raise Conflict("취소된 초대 링크입니다.")
    if row["expires_at"] <= now():
        raise Conflict("만료된 초대 링크입니다. 초대한 분에게 새 링크를 요청하세요.")
    row["role_label"] = ROLE_LABELS[Role(row["role"])]
    return row


async def accept_invitation(user: CurrentUser, token: str, address: str) -> int:
    invitation = await find_invitation(token)
    org_id = invitation["organisation.id"]
    async with Invitation._meta.db.transaction():
        claimed = (
            await Invitation.update({Invitation.accepted_at: now(), Invitation.accepted_by: user.id})
            .where((Invitation.id == invitation["id"]) & Invitation.accepted_at.is_null())
            .returning(Invitation.id)
        )
        if not claimed:
            raise Conflict("이미 사용된 초대 링크입니다.")
        existing = (
            await Membership.select(Membership.id)
            .where((Membership.user == user.id) & (Membership.organisation == org_id))
            .first()
        )
        if existing is None:
            await Membership.insert(
                Membership(organisation=org_id, user=user.id, role=invitation["role"], created_at=now())
            )
        await accounts.set_current_organisation(user.id, org_id)
        await audit.record(
            Actor(user.id, user.actor_label, address),
            "invitation.accept",
            "invitation",
            invitation["id"],
            organisation_id=org_id,
            after={"user": user.email, "role": invitation["role"]},
        )
    return int(org_id)


async def _owner_count(organisation_id: int) -> int:
    return await Membership.count().where(
        (Membership.organisation == organisation_id) & (Membership.role == Role.owner)
    )


async def _membership(ctx: OrgContext, membership_id: int) -> dict[str, Any]:
    row = (
        await Membership.select(Membership.id, Membership.role, Membership.user.id, Membership.user.email)
        .where((Membership.id == membership_id) & (Membership.organisation == ctx.organisation_id))
        .first()
    )
    if row is None:
        raise NotFound("구성원을 찾을 수 없습니다.")
    return row


async def change_role(ctx: OrgContext, membership_id: int, role: str) -> None:
    ctx.require("org.manage")
    parsed = _parse_role(role)
    async with Membership._meta.db.transaction():
        target = await _membership(ctx, membership_id)
        if (
            target["role"] == Role.owner
            and parsed != Role.owner
            and await _owner_count(ctx.organisation_id) <= 1
        ):
            raise Conflict("마지막 회장의 역할은 바꿀 수 없습니다. 먼저 다른 구성원을 회장으로 지정하세요.")
        await Membership.update({Membership.role: parsed}).where(Membership.id == membership_id)
        await audit.record(
            ctx.actor,
            "membership.change_role",
            "membership",
            membership_id,
            organisation_id=ctx.organisation_id,
            before={"user": target["user.email"], "role": target["role"]},
            after={"user": target["user.email"], "role": parsed.value},
        )


async def remove_member(ctx: OrgContext, membership_id: int) -> None:
    ctx.require("org.manage")
    async with Membership._meta.db.transaction():
        target = await _membership(ctx, membership_id)
        await _delete_membership(ctx, target, "membership.remove")


async def leave(ctx: OrgContext) -> None:
    row = (
        await Membership.select(Membership.id, Membership.role, Membership.user.id, Membership.user.email)
        .where((Membership.user == ctx.user.id) & (Membership.organisation == ctx.organisation_id))
        .first()
    )
    if row is None:
        raise NotFound("단체를 찾을 수 없습니다.")
    async with Membership._meta.db.transaction():
        await _delete_membership(ctx, row, "membership.leave")


async def _delete_membership(ctx: OrgContext, target: dict[str, Any], action: str) -> None:
    if target["role"] == Role.owner and await _owner_count(ctx.organisation_id) <= 1:
        raise Conflict("마지막 회장은 단체에서 나갈 수 없습니다. 먼저 다른 구성원을 회장으로 지정하세요.")
    await Membership.delete().where(Membership.id == target["id"])
    await User.update({User.current_organisation_id: None}).where(
        (User.id == target["user.id"]) & (User.current_organisation_id == ctx.organisation_id)
    )
    await audit.record(
        ctx.actor,
        action,
        "membership",
        target["id"],
        organisation_id=ctx.organisation_id,
        before={"user": target["user.email"], "role": target["role"]},
    )


async def switch_organisation(user: CurrentUser, organisation_id: int) -> None:
    await membership_of(user, organisation_id)
    await accounts.set_current_organisation(user.id, organisation_id)


async def purge_expired_invitations() -> int:
    gone = (
        await Invitation.delete()
        .where((Invitation.expires_at < now() - timedelta(days=30)) & Invitation.accepted_at.is_null())
        .returning(Invitation.id)
    )
    return len(gone)
