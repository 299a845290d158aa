"""Accounts: registration, login with throttling, server-side sessions, profile, admin actions.

No Litestar imports: controllers translate HTTP to these calls.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from components.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    password_problems,
    verify_password,
)
from components.accounts.tables import LoginAttempt, PasswordReset, User, UserSession
from components.audit import services as audit
from components.audit.services import Actor
from components.ui.forms import Conflict, NotFound, ValidationFailed, clean_text

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
GENERIC_LOGIN_ERROR = "이메일 또는 비밀번호가 올바르지 않습니다."


@dataclass(frozen=True)
class AuthPolicy:
    password_min_length: int = 10
    session_days: int = 14
    login_max_failures: int = 5
    login_window_minutes: int = 15
    reset_hours: int = 24


@dataclass(frozen=True)
class CurrentUser:
    id: int
    email: str
    display_name: str
    is_admin: bool
    current_organisation_id: int | None
    session_id: int

    @property
    def actor_label(self) -> str:
        return f"{self.display_name} <{self.email}>"


def now() -> datetime:
    return datetime.now(UTC)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email(email: str, errors: dict[str, str]) -> str:
    email = normalise_email(email)
    if not email:
        errors["email"] = "이메일을 입력하세요."
    elif len(email) > 254 or not EMAIL_RE.match(email):
        errors["email"] = "올바른 이메일 주소가 아닙니다. (예: name@example.com)"
    return email


def _check_new_password(
    password: str,
    confirm: str,
    policy: AuthPolicy,
    email: str,
    name: str,
    errors: dict[str, str],
    field: str = "password",
) -> None:
    problems = password_problems(password, min_length=policy.password_min_length, email=email, name=name)
    if problems:
        errors[field] = " ".join(problems)
    elif password != confirm:
        errors["password_confirm"] = "비밀번호 확인이 일치하지 않습니다."


async def register(
    email: str, display_name: str, password: str, confirm: str, policy: AuthPolicy, actor_address: str = ""
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    email = _check_email(email, errors)
    name = clean_text(display_name, field="display_name", label="이름", max_length=80, errors=errors)
    _check_new_password(password, confirm, policy, email, name, errors)
    if "email" not in errors and await User.exists().where(User.email == email):
        errors["email"] = "이미 가입된 이메일입니다. 로그인하거나 비밀번호 재설정을 요청하세요."
    if errors:
        raise ValidationFailed(errors)
    user = User(email=email, display_name=name, password_hash=hash_password(password), created_at=now())
    try:
        await user.save()
    except Exception as exc:  # the unique index decides under a race
        if "unique" in str(exc).lower():
            raise ValidationFailed({"email": "이미 가입된 이메일입니다."}) from exc
        raise
    await audit.record(
        Actor(user.id, f"{name} <{email}>", actor_address),
        "user.register",
        "user",
        user.id,
        after={"email": email, "display_name": name},
    )
    return {"id": user.id, "email": email, "display_name": name}


async def create_admin(email: str, display_name: str, password: str, policy: AuthPolicy) -> dict[str, Any]:
    """`make createadmin`: a new system admin, or promote an existing account."""
    email = normalise_email(email)
    existing = await User.select().where(User.email == email).first()
    if existing:
        await User.update({User.is_admin: True, User.is_active: True}).where(User.id == existing["id"])
        await audit.record(Actor.system(), "user.promote_admin", "user", existing["id"])
        return existing
    created = await register(email, display_name, password, password, policy)
    await User.update({User.is_admin: True}).where(User.id == created["id"])
    await audit.record(Actor.system(), "user.promote_admin", "user", created["id"])
    return created


class LoginRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def _recent_failures(
    policy: AuthPolicy, *, email: str | None = None, address: str | None = None
) -> int:
    since = now() - timedelta(minutes=policy.login_window_minutes)
    query = LoginAttempt.count().where(LoginAttempt.created_at >= since)
    if email is not None:
        query = query.where(LoginAttempt.email == email)
    if address is not None:
        query = query.where(LoginAttempt.address == address)
    return await query


async def authenticate(email: str, password: str, address: str, policy: AuthPolicy) -> dict[str, Any]:
    """Check the credentials; refuse while the account or the address is throttled."""
    email = normalise_email(email)[:254]
    throttled = (
        await _recent_failures(policy, email=email) >= policy.login_max_failures
        # An address may be shared (NAT at a school): allow it more before refusing.
        or await _recent_failures(policy, address=address) >= policy.login_max_failures * 4
    )
    if throttled:
        raise LoginRefused(
            f"로그인 시도가 너무 많습니다. {policy.login_window_minutes}분 후에 다시 시도하세요."
        )
    user = await User.select().where(User.email == email).first() if email else None
    if user is None:
        verify_password(DUMMY_HASH, password)  # same work as a real check
        await _failed(email, address, None)
        raise LoginRefused(GENERIC_LOGIN_ERROR)
    if not verify_password(user["password_hash"], password):
        await _failed(email, address, user["id"])
        raise LoginRefused(GENERIC_LOGIN_ERROR)
    if not user["is_active"]:
        raise LoginRefused("비활성화된 계정입니다. 관리자에게 문의하세요.")
    updates: dict[Any, Any] = {User.last_login_at: now(), User.failed_logins: 0}
    if needs_rehash(user["password_hash"]):
        updates[User.password_hash] = hash_password(password)
    await User.update(updates).where(User.id == user["id"])
    await LoginAttempt.delete().where(LoginAttempt.email == email)
    return user


async def _failed(email: str, address: str, user_id: int | None) -> None:
    await LoginAttempt.insert(LoginAttempt(email=email, address=address[:64], created_at=now()))
    if user_id is not None:
        await User.update({User.failed_logins: User.failed_logins + 1}).where(User.id == user_id)


async def create_session(user_id: int, address: str, user_agent: str, policy: AuthPolicy) -> str:
    """A fresh random token per login (never reuse an earlier session id)."""
    token = secrets.token_urlsafe(32)
    moment = now()
    await UserSession.insert(
        UserSession(
            token_hash=token_digest(token),
            user=user_id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + timedelta(days=policy.session_days),
            address=address[:64],
            user_agent=user_agent[:300],
        )
    )
    return token


async def resolve_session(token: str) -> CurrentUser | None:
    if not token or len(token) > 100:
        return None
    row = await (
        UserSession.select(
            UserSession.id,
            UserSession.expires_at,
            UserSession.last_seen_at,
            UserSession.user.id,
            UserSession.user.email,
            UserSession.user.display_name,
            UserSession.user.is_admin,
            UserSession.user.is_active,
            UserSession.user.current_organisation_id,
        )
        .where(UserSession.token_hash == token_digest(token))
        .first()
    )
    if row is None or row["expires_at"] <= now() or not row["user.is_active"]:
        return None
    if now() - row["last_seen_at"] > timedelta(minutes=5):  # cheap sliding activity marker
        await UserSession.update({UserSession.last_seen_at: now()}).where(UserSession.id == row["id"])
    return CurrentUser(
        id=row["user.id"],
        email=row["user.email"],
        display_name=row["user.display_name"],
        is_admin=row["user.is_admin"],
        current_organisation_id=row["user.current_organisation_id"],
        session_id=row["id"],
    )


async def end_session(token: str) -> None:
    await UserSession.delete().where(UserSession.token_hash == token_digest(token))


async def end_all_sessions(user_id: int, *, except_session_id: int | None = None) -> None:
    query = UserSession.delete().where(UserSession.user == user_id)
    if except_session_id is not None:
        query = query.where(UserSession.id != except_session_id)
    await query


async def change_password(
    user: CurrentUser, current: str, new: str, confirm: str, policy: AuthPolicy, address: str
) -> None:
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    errors: dict[str, str] = {}
    if row is None or not verify_password(row["password_hash"], current):
        errors["current_password"] = "현재 비밀번호가 올바르지 않습니다."
    _check_new_password(new, confirm, policy, user.email, user.display_name, errors)
    if errors:
        raise ValidationFailed(errors)
    await User.update({User.password_hash: hash_password(new)}).where(User.id == user.id)
    # Other devices are signed out; this one stays.
    await end_all_sessions(user.id, except_session_id=user.session_id)
    await audit.record(Actor(user.id, user.actor_label, address), "user.change_password", "user", user.id)


async def update_profile(user: CurrentUser, display_name: str, address: str) -> None:
    errors: dict[str, str] = {}
    name = clean_text(display_name, field="display_name", label="이름", max_length=80, errors=errors)
    if errors:
        raise ValidationFailed(errors)
    await User.update({User.display_name: name}).where(User.id == user.id)
    await audit.record(
        Actor(user.id, user.actor_label, address),
        "user.update_profile",
        "user",
        user.id,
        before={"display_name": user.display_name},
        after={"display_name": name},
    )


async def set_current_organisation(user_id: int, organisation_id: int | None) -> None:
    await User.update({User.current_organisation_id: organisation_id}).where(User.id == user_id)


# ---- admin ---------------------------------------------------------------------------------------

PAGE_SIZE = 25


async def list_users(search: str = "", page: int = 1) -> tuple[list[dict[str, Any]], int]:
    query = User.select(
        User.id,
        User.email,
        User.display_name,
        User.is_active,
        User.is_admin,
        User.created_at,
        User.last_login_at,
    )
    count = User.count()
    term = search.strip()[:100]
    if term:
        condition = (User.email.ilike(f"%{term}%")) | (User.display_name.ilike(f"%{term}%"))
        query = query.where(condition)
        count = count.where(condition)
    page = max(page, 1)
    rows = await query.order_by(User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return rows, await count


async def get_user(user_id: int) -> dict[str, Any]:
    row = await User.select().where(User.id == user_id).first()
    if row is None:
        raise NotFound("사용자를 찾을 수 없습니다.")
    return row


async def set_active(admin: CurrentUser, user_id: int, active: bool, address: str) -> None:
    target = await get_user(user_id)
    if target["id"] == admin.id and not active:
        raise Conflict("자기 자신은 비활성화할 수 없습니다.")
    await User.update({User.is_active: active}).where(User.id == user_id)
    if not active:
        await end_all_sessions(user_id)  # their sessions end at once
    await audit.record(
        Actor(admin.id, admin.actor_label, address),
        "user.reactivate" if active else "user.deactivate",
        "user",
        user_id,
        before={"is_active": target["is_active"]},
        after={"is_active": active},
    )


async def create_reset_token(admin: CurrentUser, user_id: int, policy: AuthPolicy, address: str) -> str:
    await get_user(user_id)
    token = secrets.token_urlsafe(32)
    # Only the newest link works.
    await PasswordReset.update({PasswordReset.used_at: now()}).where(
        (PasswordReset.user == user_id) & (PasswordReset.used_at.is_null())
    )
    await PasswordReset.insert(
        PasswordReset(
            token_hash=token_digest(token),
            user=user_id,
            created_by=admin.id,
            created_at=now(),
            expires_at=now() + timedelta(hours=policy.reset_hours),
        )
    )
    await audit.record(Actor(admin.id, admin.actor_label, address), "user.reset_link", "user", user_id)
    return token


async def check_reset_token(token: str) -> dict[str, Any]:
    row = (
        await PasswordReset.select(
            PasswordReset.id,
            PasswordReset.expires_at,
            PasswordReset.used_at,
            PasswordReset.user.id,
            PasswordReset.user.email,
            PasswordReset.user.display_name,
        )
        .where(PasswordReset.token_hash == token_digest(token or ""))
        .first()
    )
    if row is None:
        raise NotFound("유효하지 않은 비밀번호 재설정 링크입니다.")
    if row["used_at"] is not None:
        raise Conflict("이미 사용된 비밀번호 재설정 링크입니다. 관리자에게 새 링크를 요청하세요.")
    if row["expires_at"] <= now():
        raise Conflict("만료된 비밀번호 재설정 링크입니다. 관리자에게 새 링크를 요청하세요.")
    return row


async def reset_password(token: str, new: str, confirm: str, policy: AuthPolicy, address: str) -> None:
    row = await check_reset_token(token)
    errors: dict[str, str] = {}
    _check_new_password(new, confirm, policy, row["user.email"], row["user.display_name"], errors)
    if errors:
        raise ValidationFailed(errors)
    user_id = row["user.id"]
    async with User._meta.db.transaction():
        claimed = (
            await PasswordReset.update({PasswordReset.used_at: now()})
            .where((PasswordReset.id == row["id"]) & PasswordReset.used_at.is_null())
            .returning(PasswordReset.id)
        )
        if not claimed:
            raise Conflict("이미 사용된 비밀번호 재설정 링크입니다.")
        await User.update({User.password_hash: hash_password(new), User.failed_logins: 0}).where(
            User.id == user_id
        )
        await end_all_sessions(user_id)
        await LoginAttempt.delete().where(LoginAttempt.email == row["user.email"])
        await audit.record(Actor(user_id, row["user.email"], address), "user.reset_password", "user", user_id)


async def purge_expired() -> dict[str, int]:
    """Cron: drop expired sessions, stale login attempts and dead reset links."""
    moment = now()
    sessions = await UserSession.delete().where(UserSession.expires_at < moment).returning(UserSession.id)
    attempts = (
        await LoginAttempt.delete()
        .where(LoginAttempt.created_at < moment - timedelta(days=1))
        .returning(LoginAttempt.id)
    )
    resets = (
        await PasswordReset.delete()
        .where(PasswordReset.expires_at < moment - timedelta(days=7))
        .returning(PasswordReset.id)
    )
    return {"sessions": len(sessions), "login_attempts": len(attempts), "password_resets": len(resets)}
