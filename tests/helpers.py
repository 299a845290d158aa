"""Shared helpers for HTTP tests: CSRF-aware form posts, users and organisations."""

from __future__ import annotations

import re
from typing import Any

PASSWORD = "correct-horse-battery"
HX = {"HX-Request": "true"}


async def csrf(client: Any) -> str:
    token = client.cookies.get("csrftoken")
    if not token:
        await client.get("/login")
        token = client.cookies.get("csrftoken")
    assert token, "CSRF cookie not set"
    return str(token)


async def post(
    client: Any, url: str, data: dict[str, Any] | None = None, *, htmx: bool = False, **kwargs: Any
) -> Any:
    form = {"_csrf_token": await csrf(client), **(data or {})}
    # Real htmx names the element it will swap into; "main" stands in when a test doesn't care which.
    headers = {**({**HX, "HX-Target": "main"} if htmx else {}), **kwargs.pop("headers", {})}
    return await client.post(url, data=form, headers=headers, follow_redirects=False, **kwargs)


async def register(client: Any, email: str, name: str = "홍길동", password: str = PASSWORD) -> Any:
    response = await post(
        client,
        "/register",
        {"email": email, "display_name": name, "password": password, "password_confirm": password},
    )
    assert response.status_code == 303, response.text
    return response


async def login(client: Any, email: str, password: str = PASSWORD) -> Any:
    return await post(client, "/login", {"email": email, "password": password})


async def create_org(client: Any, name: str = "테스트 학생회") -> int:
    response = await post(client, "/orgs", {"name": name})
    assert response.status_code == 303, response.text
    match = re.search(r"/o/(\d+)", response.headers["location"])
    assert match
    return int(match.group(1))


async def invite_link(client: Any, org_id: int, role: str = "member") -> str:
    response = await post(client, f"/o/{org_id}/invitations", {"role": role, "note": "test"})
    assert response.status_code == 200, response.text
    match = re.search(r'value="https?://[^/"]+(/invite/[A-Za-z0-9_\-]+)"', response.text)
    assert match, response.text
    return match.group(1)


async def member_of(owner: Any, other: Any, org_id: int, email: str, role: str = "member") -> None:
    """Register `other` and make them a member of the owner's organisation with the given role."""
    await register(other, email)
    link = await invite_link(owner, org_id, role)
    response = await post(other, link)
    assert response.status_code == 303, response.text
