"""Register, log in/out, account settings and password reset by one-time link."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie

from components.accounts import services
from components.accounts.guards import requires_login
from components.accounts.services import AuthPolicy, LoginRefused
from components.ui.forms import Conflict, NotFound, ValidationFailed
from components.ui.http import address, current_user, form_data, safe_next
from components.ui.rendering import link_unusable, redirect, render

SESSION_COOKIE = "chongmu_session"


def policy(request: Request[Any, Any, Any]) -> AuthPolicy:
    auth = request.app.state.settings.auth
    return AuthPolicy(
        password_min_length=auth.password_min_length,
        session_days=auth.session_days,
        login_max_failures=auth.login_max_failures,
        login_window_minutes=auth.login_window_minutes,
        reset_hours=auth.reset_hours,
    )


def _metrics(request: Request[Any, Any, Any]) -> Any:
    return request.app.state.metrics


async def _start_session(
    request: Request[Any, Any, Any], user_id: int, next_url: str, message: str
) -> Response[str]:
    token = await services.create_session(
        user_id, address(request), request.headers.get("user-agent", ""), policy(request)
    )
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        await services.end_session(old)  # a new session id at every login
    response = redirect(request, next_url, message)
    response.set_cookie(
        Cookie(
            key=SESSION_COOKIE,
            value=token,
            path="/",
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.app.secure_cookies,
            max_age=policy(request).session_days * 86400,
        )
    )
    return response


class AccountController(Controller):
    path = ""

    @get("/register", name="register_form")
    async def register_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return render(
            request,
            "accounts/register.html",
            {"form": {}, "errors": {}, "next": safe_next(request.query_params.get("next"))},
        )

    @post("/register", name="register")
    async def register(self, request: Request[Any, Any, Any]) -> Response[str]:
        data = await form_data(request)
        next_url = safe_next(data.get("next"), "/orgs")
        try:
            user = await services.register(
                data.get("email", ""),
                data.get("display_name", ""),
                data.get("password", ""),
                data.get("password_confirm", ""),
                policy(request),
                address(request),
            )
        except ValidationFailed as exc:
            form = {k: v for k, v in data.items() if "password" not in k}
            return render(
                request,
                "accounts/register.html",
                {"form": form, "errors": exc.errors, "next": next_url},
                block="form",
                status_code=422,
            )
        _metrics(request).REGISTRATIONS.inc()
        return await _start_session(request, user["id"], next_url, "가입을 환영합니다!")

    @get("/login", name="login_form")
    async def login_form(self, request: Request[Any, Any, Any]) -> Response[str]:
        return render(
            request,
            "accounts/login.html",
            {"form": {}, "error": None, "next": safe_next(request.query_params.get("next"))},
        )

    @post("/login", name="login")
    async def login(self, request: Request[Any, Any, Any]) -> Response[str]:
        data = await form_data(request)
        next_url = safe_next(data.get("next"), "/")
        try:
            user = await services.authenticate(
                data.get("email", ""), data.get("password", ""), address(request), policy(request)
            )
        except LoginRefused as exc:
            _metrics(request).LOGINS.labels("refused").inc()
            return render(
                request,
                "accounts/login.html",
                {"form": {"email": data.get("email", "")[:254]}, "error": exc.message, "next": next_url},
                block="form",
                status_code=429 if "너무 많습니다" in exc.message else 400,
            )
        _metrics(request).LOGINS.labels("success").inc()
        return await _start_session(request, user["id"], next_url, f"{user['display_name']}님, 어서 오세요.")

    @post("/logout", name="logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Response[str]:
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            await services.end_session(token)
        response = redirect(request, "/login", "로그아웃했습니다.")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @get("/account", guards=[requires_login], name="account")
    async def account(self, request: Request[Any, Any, Any]) -> Response[str]:
        user = current_user(request)
        return render(
            request,
            "accounts/account.html",
            {
                "profile_form": {"display_name": user.display_name},
                "profile_errors": {},
                "password_errors": {},
            },
        )

    @post("/account/profile", guards=[requires_login], name="account_profile")
    async def update_profile(self, request: Request[Any, Any, Any]) -> Response[str]:
        data = await form_data(request)
        try:
            await services.update_profile(
                current_user(request), data.get("display_name", ""), address(request)
            )
        except ValidationFailed as exc:
            return render(
                request,
                "accounts/account.html",
                {"profile_form": data, "profile_errors": exc.errors, "password_errors": {}},
                block="profile_form",
                status_code=422,
            )
        return redirect(request, "/account", "프로필을 저장했습니다.")

    @post("/account/password", guards=[requires_login], name="account_password")
    async def change_password(self, request: Request[Any, Any, Any]) -> Response[str]:
        data = await form_data(request)
        user = current_user(request)
        try:
            await services.change_password(
                user,
                data.get("current_password", ""),
                data.get("password", ""),
                data.get("password_confirm", ""),
                policy(request),
                address(request),
            )
        except ValidationFailed as exc:
            return render(
                request,
                "accounts/account.html",
                {
                    "profile_form": {"display_name": user.display_name},
                    "profile_errors": {},
                    "password_errors": exc.errors,
                },
                block="password_form",
                status_code=422,
            )
        return redirect(
            request, "/account", "비밀번호를 바꿨습니다. 다른 기기의 로그인은 모두 종료되었습니다."
        )

    @get("/reset/{token:str}", name="reset_form")
    async def reset_form(self, request: Request[Any, Any, Any], token: str) -> Response[str]:
        try:
            row = await services.check_reset_token(token)
        except (NotFound, Conflict) as exc:
            return link_unusable(request, "링크를 사용할 수 없습니다", exc.message)
        return render(
            request, "accounts/reset.html", {"token": token, "email": row["user.email"], "errors": {}}
        )

    @post("/reset/{token:str}", name="reset")
    async def reset(self, request: Request[Any, Any, Any], token: str) -> Response[str]:
        data = await form_data(request)
        try:
            await services.reset_password(
                token,
                data.get("password", ""),
                data.get("password_confirm", ""),
                policy(request),
                address(request),
            )
        except ValidationFailed as exc:
            row = await services.check_reset_token(token)
            return render(
                request,
                "accounts/reset.html",
                {"token": token, "email": row["user.email"], "errors": exc.errors},
                block="form",
                status_code=422,
            )
        except (NotFound, Conflict) as exc:
            return link_unusable(request, "링크를 사용할 수 없습니다", exc.message)
        return redirect(request, "/login", "새 비밀번호로 로그인하세요.")
