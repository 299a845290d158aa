"""Route by route: a user of organisation A gets 404 for B, and a member cannot do a treasurer's or an
owner's action."""

from __future__ import annotations

import pytest

from components.organisations.tables import Invitation, Membership
from tests.helpers import create_org, invite_link, member_of, post, register

ORG_GET_ROUTES = ["/o/{org}/", "/o/{org}/members"]
ORG_POST_ROUTES = [
    ("/o/{org}/switch", {}),
    ("/o/{org}/settings", {"name": "탈취"}),
    ("/o/{org}/invitations", {"role": "owner"}),
    ("/o/{org}/invitations/{invitation}/revoke", {}),
    ("/o/{org}/members/{membership}/role", {"role": "member"}),
    ("/o/{org}/members/{membership}/remove", {}),
    ("/o/{org}/leave", {}),
]


@pytest.fixture
async def two_orgs(client, make_client):  # type: ignore[no-untyped-def]
    await register(client, "a@example.com")
    org_a = await create_org(client, "A 단체")
    other = await make_client()
    await register(other, "b@example.com")
    org_b = await create_org(other, "B 단체")
    await invite_link(other, org_b)
    invitation = await Invitation.select(Invitation.id).where(Invitation.organisation == org_b).first()
    membership = await Membership.select(Membership.id).where(Membership.organisation == org_b).first()
    return {
        "a": org_a,
        "b": org_b,
        "invitation": invitation["id"],
        "membership": membership["id"],
        "owner_b": other,
    }


async def test_other_organisation_gets_404_on_every_route(client, two_orgs):
    ids = {"org": two_orgs["b"], "invitation": two_orgs["invitation"], "membership": two_orgs["membership"]}
    for route in ORG_GET_ROUTES:
        response = await client.get(route.format(**ids))
        assert response.status_code == 404, route
        assert "B 단체" not in response.text
    for route, data in ORG_POST_ROUTES:
        response = await post(client, route.format(**ids), data)
        assert response.status_code == 404, route
    # Nothing of B changed.
    assert await Membership.count().where(Membership.organisation == two_orgs["b"]) == 1
    assert (
        await Invitation.select(Invitation.revoked_at).where(Invitation.id == two_orgs["invitation"]).first()
    ) == {"revoked_at": None}


async def test_member_cannot_do_owner_or_treasurer_actions(client, make_client, two_orgs):
    owner_b = two_orgs["owner_b"]
    member = await make_client()
    await member_of(owner_b, member, two_orgs["b"], "member@example.com", "member")
    ids = {"org": two_orgs["b"], "invitation": two_orgs["invitation"], "membership": two_orgs["membership"]}
    forbidden = [
        ("/o/{org}/settings", {"name": "바꿈"}),
        ("/o/{org}/invitations", {"role": "member"}),
        ("/o/{org}/invitations/{invitation}/revoke", {}),
        ("/o/{org}/members/{membership}/role", {"role": "member"}),
        ("/o/{org}/members/{membership}/remove", {}),
    ]
    for route, data in forbidden:
        response = await post(member, route.format(**ids), data)
        assert response.status_code == 403, route
        assert "권한" in response.text
    # Reading is allowed.
    assert (await member.get(f"/o/{two_orgs['b']}/members")).status_code == 200


async def test_treasurer_may_invite_but_not_as_owner(client, make_client, two_orgs):
    owner_b = two_orgs["owner_b"]
    treasurer = await make_client()
    await member_of(owner_b, treasurer, two_orgs["b"], "treasurer@example.com", "treasurer")
    ok = await post(treasurer, f"/o/{two_orgs['b']}/invitations", {"role": "member"})
    assert ok.status_code == 200 and "/invite/" in ok.text
    owner_invite = await post(treasurer, f"/o/{two_orgs['b']}/invitations", {"role": "owner"})
    assert owner_invite.status_code == 403
