"""Registration, login, throttling, sessions, profile and password — through HTTP."""

from __future__ import annotations

from components.accounts.tables import User, UserSession
from tests.helpers import HX, PASSWORD, csrf, login, post, register


async def test_register_logs_in_and_lands_on_organisations(client):
    response = await register(client, "Treasurer@Example.com", "김총무")
    assert response.headers["location"] == "/orgs"
    assert client.cookies.get("chongmu_session")
    page = await client.get("/orgs")
    assert page.status_code == 200
    assert "김총무" in page.text
    user = await User.select().where(User.email == "treasurer@example.com").first()
    assert user is not None and user["password_hash"].startswith("$argon2id$")


async def test_register_rejects_bad_input_with_korean_messages(client):
    await register(client, "taken@example.com")
    client.cookies.delete("chongmu_session")
    cases = [
        ({"email": "not-an-email"}, "올바른 이메일 주소가 아닙니다"),
        ({"email": "TAKEN@example.com"}, "이미 가입된 이메일입니다"),
        ({"password": "short", "password_confirm": "short"}, "10자 이상"),
        ({"password": "1q2w3e4r5t", "password_confirm": "1q2w3e4r5t"}, "너무 흔한 비밀번호"),
        ({"password_confirm": "something-else-entirely"}, "비밀번호 확인이 일치하지 않습니다"),
        ({"display_name": "가" * 81}, "80자 이하"),
        ({"display_name": "   "}, "이름을(를) 입력하세요"),
    ]
    for overrides, message in cases:
        data = {
            "email": "new@example.com",
            "display_name": "새 사람",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            **overrides,
        }
        response = await post(client, "/register", data)
        assert response.status_code == 422, overrides
        assert message in response.text, (overrides, response.text[:2000])
        assert "<html" in response.text  # plain POST: the whole page again
        # What was typed is kept (never the password).
        assert f'value="{data["email"]}"' in response.text
        assert PASSWORD not in response.text
    assert await User.count() == 1


async def test_register_htmx_gets_only_the_form_fragment(client):
    response = await post(
        client,
        "/register",
        {"email": "x", "display_name": "a", "password": "p", "password_confirm": "p"},
        htmx=True,
    )
    assert response.status_code == 422
    assert "<html" not in response.text
    assert 'id="register-form"' in response.text
    assert "올바른 이메일 주소가 아닙니다" in response.text


async def test_register_htmx_success_redirects_with_hx_location(client):
    response = await post(
        client,
        "/register",
        {
            "email": "hx@example.com",
            "display_name": "에이치",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
        htmx=True,
    )
    assert response.status_code == 200
    assert '"/orgs"' in response.headers["hx-location"]


async def test_login_failure_never_reveals_whether_the_email_exists(client, make_client):
    await register(client, "known@example.com")
    other = await make_client()
    wrong_password = await login(other, "known@example.com", "wrong-password-123")
    unknown_email = await login(other, "unknown@example.com", "wrong-password-123")
    assert wrong_password.status_code == unknown_email.status_code == 400
    for response in (wrong_password, unknown_email):
        assert "이메일 또는 비밀번호가 올바르지 않습니다" in response.text


async def test_login_is_throttled_after_repeated_failures(client, make_client):
    await register(client, "victim@example.com")
    attacker = await make_client()
    for _ in range(5):
        response = await login(attacker, "victim@example.com", "guess-password-00")
        assert response.status_code == 400
    refused = await login(attacker, "victim@example.com", PASSWORD)  # even the right password
    assert refused.status_code == 429
    assert "로그인 시도가 너무 많습니다" in refused.text
    assert not attacker.cookies.get("chongmu_session")


async def test_login_gives_a_new_session_and_logout_ends_it(client, make_client):
    await register(client, "me@example.com")
    first_token = client.cookies.get("chongmu_session")
    response = await login(client, "me@example.com")
    assert response.status_code == 303
    second_token = client.cookies.get("chongmu_session")
    assert second_token and second_token != first_token
    assert await UserSession.count() == 1  # the old session was replaced
    response = await post(client, "/logout")
    assert response.status_code == 303
    assert await UserSession.count() == 0
    stolen = await make_client()
    stolen.cookies.set("chongmu_session", second_token)
    page = await stolen.get("/account", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


async def test_login_redirects_only_to_local_paths(client):
    await register(client, "next@example.com")
    client.cookies.delete("chongmu_session")
    response = await post(
        client, "/login", {"email": "next@example.com", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.headers["location"] == "/"


async def test_change_password_checks_current_and_signs_out_other_devices(client, make_client):
    await register(client, "pw@example.com")
    phone = await make_client()
    assert (await login(phone, "pw@example.com")).status_code == 303
    wrong = await post(
        client,
        "/account/password",
        {"current_password": "nope", "password": "new-password-42", "password_confirm": "new-password-42"},
    )
    assert wrong.status_code == 422 and "현재 비밀번호가 올바르지 않습니다" in wrong.text
    ok = await post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": "new-password-42", "password_confirm": "new-password-42"},
    )
    assert ok.status_code == 303
    assert (await phone.get("/account", follow_redirects=False)).status_code == 303  # signed out
    assert (await client.get("/account")).status_code == 200  # this device stays
    client.cookies.delete("chongmu_session")
    assert (await login(client, "pw@example.com", "new-password-42")).status_code == 303


async def test_profile_edit_full_page_and_fragment(client):
    await register(client, "profile@example.com", "옛이름")
    response = await post(client, "/account/profile", {"display_name": "새이름"})
    assert response.status_code == 303
    assert "새이름" in (await client.get("/account")).text
    bad = await post(client, "/account/profile", {"display_name": ""}, htmx=True)
    assert bad.status_code == 422
    assert 'id="profile-form"' in bad.text and "<html" not in bad.text


async def test_account_requires_login(client):
    response = await client.get("/account", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


async def test_missing_or_wrong_csrf_token_gives_korean_403(client):
    await csrf(client)
    missing = await client.post("/register", data={"email": "a@example.com"}, follow_redirects=False)
    assert missing.status_code == 403
    assert "보안 토큰" in missing.text and "Traceback" not in missing.text
    wrong = await client.post("/register", data={"_csrf_token": "forged", "email": "a@example.com"})
    assert wrong.status_code == 403
    htmx = await client.post("/register", data={"email": "a@example.com"}, headers=HX)
    assert htmx.status_code == 403
    assert htmx.headers["hx-retarget"] == "#flash"
    assert "<html" not in htmx.text and "보안 토큰" in htmx.text
    assert await User.count() == 0
