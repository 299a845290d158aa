"""Fixtures for the events slice: an owner's organisation with an event, and browsers for each role."""

from __future__ import annotations

import pytest

from tests.helpers import create_org, member_of, register
from tests.integration.events.support import make_event


@pytest.fixture
async def owner(client):  # type: ignore[no-untyped-def]
    await register(client, "owner@example.com", "김회장")
    org = await create_org(client, "테스트 학생회")
    event = await make_event(client, org)
    return {"client": client, "org": org, "event": event}


@pytest.fixture
async def roles(owner, make_client):  # type: ignore[no-untyped-def]
    """Browsers for a treasurer, a member and an auditor of the owner's organisation."""
    out = {"owner": owner["client"]}
    for role in ("treasurer", "member", "auditor"):
        browser = await make_client()
        await member_of(owner["client"], browser, owner["org"], f"{role}@example.com", role)
        out[role] = browser
    return out


@pytest.fixture
async def stranger(make_client):  # type: ignore[no-untyped-def]
    """The owner of another organisation, with an event of their own."""
    browser = await make_client()
    await register(browser, "stranger@example.com", "남남")
    org = await create_org(browser, "다른 동아리")
    event = await make_event(browser, org, title="다른 행사")
    return {"client": browser, "org": org, "event": event}
