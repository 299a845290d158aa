"""System admin: users list and search, deactivate (sessions end at once), reactivate, reset links."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from components.accounts.tables import User, UserSession
from tests.helpers import PASSWORD, login, post, register


async def _make_admin(client, email: str = "admin@example.com") -> None:  # type: ignore[no-untyped-def]
    await register(client, email, "관리자")
    await User.update({User.is_admin: True}).where(User.email == email)


async def test_non_admin_gets_korean_403(client):
    await register(client, "plain@example.com")
    response = await client.get("/admin/users")
    assert response.status_code == 403 and "관리자만" in response.text


async def test_admin_lists_and_searches_users_full_and_fragment(client, make_client):
    await _make_admin(client)
    other = await make_client()
    await register(other, "kim@example.com", "김철수")
    page = await client.get("/admin/users")
    assert page.status_code == 200 and "kim@example.com" in page.text and "2명" in page.text
    fragment = await client.get("/admin/users?q=철수", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in fragment.text and 'id="results"' in fragment.text
    assert "kim@example.com" in fragment.text and "admin@example.com" not in fragment.text


async def test_deactivation_ends_sessions_at_once_and_blocks_login(client, make_client):
    await _make_admin(client)
    victim = await make_client()
    await register(victim, "leaver@example.com")
    user = await User.select(User.id).where(User.email == "leaver@example.com").first()
    assert (await post(client, f"/admin/users/{user['id']}/deactivate")).status_code == 303
    assert await UserSession.count().where(UserSession.user == user["id"]) == 0
    assert (await victim.get("/orgs", follow_redirects=False)).status_code == 303
    refused = await login(victim, "leaver@example.com")
    assert refused.status_code == 400 and "비활성화된 계정" in refused.text
    assert (await post(client, f"/admin/users/{user['id']}/reactivate")).status_code == 303
    assert (await login(victim, "leaver@example.com")).status_code == 303


async def test_admin_cannot_deactivate_self(client):
    await _make_admin(client)
    me = await User.select(User.id).where(User.email == "admin@example.com").first()
    await post(client, f"/admin/users/{me['id']}/deactivate")
    assert (await User.select(User.is_active).where(User.id == me["id"]).first()) == {"is_active": True}


async def test_one_time_reset_link(client, make_client):
    await _make_admin(client)
    forgetful = await make_client()
    await register(forgetful, "forgot@example.com")
    user = await User.select(User.id).where(User.email == "forgot@example.com").first()
    response = await post(client, f"/admin/users/{user['id']}/reset-link")
    assert response.status_code == 200
    match = re.search(r"/reset/([A-Za-z0-9_\-]+)", response.text)
    assert match, response.text
    path = match.group(0)
    anonymous = await make_client()
    form = await anonymous.get(path)
    assert form.status_code == 200 and "forgot@example.com" in form.text
    weak = await post(anonymous, path, {"password": "123456", "password_confirm": "123456"})
    assert weak.status_code == 422 and "10자 이상" in weak.text
    ok = await post(anonymous, path, {"password": "brand-new-pass-7", "password_confirm": "brand-new-pass-7"})
    assert ok.status_code == 303
    assert await UserSession.count().where(UserSession.user == user["id"]) == 0  # old sessions ended
    used = await anonymous.get(path)
    assert used.status_code == 410 and "이미 사용된" in used.text
    assert (await login(anonymous, "forgot@example.com", "brand-new-pass-7")).status_code == 303
    assert (await login(anonymous, "forgot@example.com", PASSWORD)).status_code == 400
    forged = await anonymous.get("/reset/forged-token")
    assert forged.status_code == 410 and "유효하지 않은" in forged.text


def test_createadmin_command(database_url):
    env = {
        **os.environ,
        "CHONGMU_ADMIN_EMAIL": "Root@Example.com",
        "CHONGMU_ADMIN_NAME": "운영자",
        "CHONGMU_ADMIN_PASSWORD": "a-long-admin-password",
    }
    result = subprocess.run(
        [sys.executable, "-m", "components.accounts", "createadmin"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "root@example.com" in result.stdout
