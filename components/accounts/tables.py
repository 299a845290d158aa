from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class User(Table, tablename="app_user"):
    id = Serial(primary_key=True)
    email = Varchar(length=254, unique=True)  # stored lower-cased: unique case-insensitively
    display_name = Varchar(length=80)
    password_hash = Text()
    is_active = Boolean(default=True)
    is_admin = Boolean(default=False)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    failed_logins = Integer(default=0)
    current_organisation_id = BigInt(null=True, default=None)


class UserSession(Table, tablename="user_session"):
    """Server-side session; the cookie holds a random token, the table only its SHA-256."""

    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=False)
    created_at = Timestamptz()
    last_seen_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    address = Varchar(length=64, default="")
    user_agent = Varchar(length=300, default="")


class LoginAttempt(Table, tablename="login_attempt"):
    """Failed logins, for throttling by account and by address."""

    id = Serial(primary_key=True)
    email = Varchar(length=254, index=True)
    address = Varchar(length=64, index=True)
    created_at = Timestamptz(index=True)


class PasswordReset(Table, tablename="password_reset"):
    id = Serial(primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=False)
    created_by = BigInt(null=True, default=None)
    created_at = Timestamptz()
    expires_at = Timestamptz(index=True)
    used_at = Timestamptz(null=True, default=None)
