"""Organisations: create, invitations, roles, the last owner, leaving, switching."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from components.organisations.tables import Invitation, Membership
from tests.helpers import HX, create_org, invite_link, member_of, post, register


async def test_creator_becomes_owner_and_org_becomes_current(client):
    await register(client, "owner@example.com")
    org_id = await create_org(client, "새벽교회 청년부")
    home = await client.get(f"/o/{org_id}/")
    assert home.status_code == 200 and "새벽교회 청년부" in home.text and "내 역할: 회장" in home.text
    assert (await client.get("/", follow_redirects=False)).headers["location"] == f"/o/{org_id}"


async def test_create_organisation_requires_a_name_htmx_and_plain(client):
    await register(client, "owner@example.com")
    plain = await post(client, "/orgs", {"name": "  "})
    assert plain.status_code == 422 and "단체 이름을(를) 입력하세요" in plain.text and "<html" in plain.text
    fragment = await post(client, "/orgs", {"name": "가" * 101}, htmx=True)
    assert fragment.status_code == 422 and "100자 이하" in fragment.text
    assert "<html" not in fragment.text and 'id="org-create-form"' in fragment.text


async def test_invitation_accept_once_then_used(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    link = await invite_link(client, org_id, "treasurer")
    friend = await make_client()
    await register(friend, "friend@example.com")
    view = await friend.get(link)
    assert view.status_code == 200 and "초대받았습니다" in view.text and "총무" in view.text
    accepted = await post(friend, link)
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/o/{org_id}"
    row = (
        await Membership.select(Membership.role).where(Membership.user.email == "friend@example.com").first()
    )
    assert row == {"role": "treasurer"}
    third = await make_client()
    await register(third, "third@example.com")
    again = await post(third, link)
    assert again.status_code == 410 and "이미 사용된 초대 링크" in again.text
    assert await Membership.count().where(Membership.user.email == "third@example.com") == 0


async def test_forged_expired_and_revoked_invitations(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    anonymous = await make_client()
    forged = await anonymous.get("/invite/not-a-real-token")
    assert forged.status_code == 410 and "유효하지 않은 초대 링크" in forged.text
    link = await invite_link(client, org_id)
    await Invitation.update({Invitation.expires_at: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Invitation.organisation == org_id
    )
    expired = await anonymous.get(link)
    assert expired.status_code == 410 and "만료된 초대 링크" in expired.text
    link2 = await invite_link(client, org_id)
    invitation = (
        await Invitation.select(Invitation.id).where(Invitation.expires_at > datetime.now(UTC)).first()
    )
    assert (await post(client, f"/o/{org_id}/invitations/{invitation['id']}/revoke")).status_code == 303
    revoked = await anonymous.get(link2)
    assert revoked.status_code == 410 and "취소된 초대 링크" in revoked.text


async def test_anonymous_visitor_is_asked_to_register_then_accepts(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    link = await invite_link(client, org_id)
    visitor = await make_client()
    page = await visitor.get(link)
    assert f'href="/register?next={link}"' in page.text
    accept_without_login = await post(visitor, link)
    assert accept_without_login.status_code == 303
    assert accept_without_login.headers["location"].startswith("/login?next=")


async def test_last_owner_cannot_be_demoted_removed_or_leave(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    own = await Membership.select(Membership.id).where(Membership.organisation == org_id).first()
    demote = await post(client, f"/o/{org_id}/members/{own['id']}/role", {"role": "member"})
    assert demote.status_code == 303
    members = await client.get(f"/o/{org_id}/members")
    assert "마지막 회장의 역할은 바꿀 수 없습니다" in members.text
    leave = await post(client, f"/o/{org_id}/leave")
    assert leave.status_code == 303 and leave.headers["location"].endswith("/members")
    assert await Membership.count().where(Membership.organisation == org_id) == 1
    # With a second owner the first may step down.
    other = await make_client()
    await member_of(client, other, org_id, "second@example.com", "owner")
    assert (
        await post(client, f"/o/{org_id}/members/{own['id']}/role", {"role": "member"})
    ).status_code == 303
    row = await Membership.select(Membership.role).where(Membership.id == own["id"]).first()
    assert row == {"role": "member"}


async def test_owner_changes_roles_and_removes_member(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    member = await make_client()
    await member_of(client, member, org_id, "member@example.com")
    membership = (
        await Membership.select(Membership.id).where(Membership.user.email == "member@example.com").first()
    )
    bad = await post(client, f"/o/{org_id}/members/{membership['id']}/role", {"role": "emperor"})
    assert bad.status_code == 303
    assert "올바른 역할을 선택하세요" in (await client.get(f"/o/{org_id}/members")).text
    ok = await post(client, f"/o/{org_id}/members/{membership['id']}/role", {"role": "auditor"})
    assert ok.status_code == 303
    assert (await Membership.select(Membership.role).where(Membership.id == membership["id"]).first()) == {
        "role": "auditor"
    }
    removed = await post(client, f"/o/{org_id}/members/{membership['id']}/remove")
    assert removed.status_code == 303
    assert (await member.get(f"/o/{org_id}/")).status_code == 404


async def test_member_leaves(client, make_client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    member = await make_client()
    await member_of(client, member, org_id, "member@example.com")
    response = await post(member, f"/o/{org_id}/leave")
    assert response.status_code == 303 and response.headers["location"] == "/orgs"
    assert (await member.get(f"/o/{org_id}/")).status_code == 404


async def test_switching_between_organisations(client):
    await register(client, "multi@example.com")
    first = await create_org(client, "첫 단체")
    second = await create_org(client, "둘째 단체")
    assert (await client.get("/", follow_redirects=False)).headers["location"] == f"/o/{second}"
    assert (await post(client, f"/o/{first}/switch")).status_code == 303
    assert (await client.get("/", follow_redirects=False)).headers["location"] == f"/o/{first}"
    listing = await client.get("/orgs")
    assert "첫 단체" in listing.text and "둘째 단체" in listing.text


async def test_htmx_invite_returns_fragment_with_link(client):
    await register(client, "owner@example.com")
    org_id = await create_org(client)
    response = await post(client, f"/o/{org_id}/invitations", {"role": "member"}, htmx=True)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="invite"' in response.text and "/invite/" in response.text
    assert "hx-swap-oob" in response.text  # the flash message travels out-of-band
    assert HX  # the header constant is what the helper sent
