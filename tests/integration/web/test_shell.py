"""The application shell: errors, limits, headers, health and metrics."""

from __future__ import annotations

from tests.helpers import HX, csrf, register


async def test_home_page_is_korean(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="ko">' in response.text
    assert "총무" in response.text
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_unknown_route_gets_korean_404_page_and_htmx_flash(client):
    response = await client.get("/no/such/page")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.text and "<html" in response.text
    htmx = await client.get("/no/such/page", headers=HX)
    assert htmx.status_code == 404
    assert htmx.headers["hx-retarget"] == "#flash"
    assert "<html" not in htmx.text and "페이지를 찾을 수 없습니다" in htmx.text


async def test_request_body_over_the_limit_is_refused_in_korean(client):
    token = await csrf(client)
    response = await client.post(
        "/register",
        content=b"a=" + b"x" * (3 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded", "x-csrftoken": token},
    )
    assert response.status_code == 413
    assert "허용된 크기" in response.text


async def test_logged_in_pages_are_not_cached(client):
    await register(client, "cache@example.com")
    response = await client.get("/orgs")
    assert response.headers["cache-control"] == "no-store"


async def test_health_endpoints(client):
    live = await client.get("/health/live")
    assert live.status_code == 200 and live.json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "queue": "ok"}


async def test_readiness_fails_while_shutting_down(client, app):
    app.state.shutting_down = True
    response = await client.get("/health/ready")
    assert response.status_code == 503
    app.state.shutting_down = False


async def test_metrics_count_requests_by_route_template(client):
    await register(client, "metrics@example.com")
    await client.get("/o/999999/members")
    body = (await client.get("/metrics")).text
    assert 'chongmu_http_requests_total{method="GET",route="/o/{org_id}/members",status="404"}' in body
    assert "chongmu_http_request_duration_seconds_bucket" in body
    assert "chongmu_logins_total" in body


async def test_unexpected_error_gets_korean_500_without_traceback(client, monkeypatch):
    from components.organisations import services

    await register(client, "boom@example.com")

    async def broken(user_id: int) -> list[dict[str, object]]:
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr(services, "my_organisations", broken)
    page = await client.get("/orgs")
    assert page.status_code == 500
    assert "서버에 문제가 생겼습니다" in page.text and "요청 번호" in page.text
    assert "secret detail" not in page.text and "Traceback" not in page.text
    fragment = await client.get("/orgs", headers=HX)
    assert fragment.status_code == 500 and fragment.headers["hx-retarget"] == "#flash"
