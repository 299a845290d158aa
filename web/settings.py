"""Typed settings read from environment variables, one dataclass per concern.

Read when `create_app()` runs (never at import time) so tests can build apps with their own values.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from piccolo_conf import database_url

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    key = os.environ.get("CHONGMU_SECRET_KEY")
    if key:
        return key
    # Development: a key kept under var/ so sessions survive restarts; production must set the variable.
    path = ROOT / "var" / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = field(default_factory=database_url)


@dataclass(frozen=True)
class AppSettings:
    secret_key: str = field(default_factory=_secret_key)
    debug: bool = field(default_factory=lambda: _bool("CHONGMU_DEBUG", False))
    base_url: str = field(default_factory=lambda: _env("CHONGMU_BASE_URL", "http://127.0.0.1:8000"))
    # Secure cookies when served over TLS (behind Caddy); defaults from the base URL.
    secure_cookies: bool = field(
        default_factory=lambda: _bool(
            "CHONGMU_SECURE_COOKIES", _env("CHONGMU_BASE_URL", "").startswith("https")
        )
    )
    max_body_bytes: int = field(default_factory=lambda: _int("CHONGMU_MAX_BODY_BYTES", 2 * 1024 * 1024))
    log_json: bool = field(default_factory=lambda: _bool("CHONGMU_LOG_JSON", True))
    log_level: str = field(default_factory=lambda: _env("CHONGMU_LOG_LEVEL", "INFO"))


@dataclass(frozen=True)
class AuthSettings:
    session_days: int = field(default_factory=lambda: _int("CHONGMU_SESSION_DAYS", 14))
    password_min_length: int = field(default_factory=lambda: _int("CHONGMU_PASSWORD_MIN_LENGTH", 10))
    # Throttling: this many failures inside the window locks the account/address for the window.
    login_max_failures: int = field(default_factory=lambda: _int("CHONGMU_LOGIN_MAX_FAILURES", 5))
    login_window_minutes: int = field(default_factory=lambda: _int("CHONGMU_LOGIN_WINDOW_MINUTES", 15))
    invitation_days: int = field(default_factory=lambda: _int("CHONGMU_INVITATION_DAYS", 7))
    reset_hours: int = field(default_factory=lambda: _int("CHONGMU_RESET_HOURS", 24))


@dataclass(frozen=True)
class MailSettings:
    """Optional SMTP; without a host, links are shown to the admin instead of mailed."""

    smtp_host: str = field(default_factory=lambda: _env("CHONGMU_SMTP_HOST", ""))
    smtp_port: int = field(default_factory=lambda: _int("CHONGMU_SMTP_PORT", 587))
    smtp_user: str = field(default_factory=lambda: _env("CHONGMU_SMTP_USER", ""))
    smtp_password: str = field(default_factory=lambda: _env("CHONGMU_SMTP_PASSWORD", ""))
    sender: str = field(default_factory=lambda: _env("CHONGMU_MAIL_FROM", "chongmu@localhost"))


@dataclass(frozen=True)
class UploadSettings:
    """Receipt uploads (components/receipts): limits, image sizes and the OCR job's timing."""

    max_file_bytes: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_MAX_FILE_BYTES", 20 << 20))
    max_files: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_MAX_FILES", 10))
    max_pixels: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_MAX_PIXELS", 60_000_000))
    max_pdf_pages: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_MAX_PDF_PAGES", 20))
    image_max_side: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_IMAGE_MAX_SIDE", 2400))
    thumb_max_side: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_THUMB_MAX_SIDE", 320))
    jpeg_quality: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_JPEG_QUALITY", 85))
    ocr_timeout_s: int = field(default_factory=lambda: _int("CHONGMU_OCR_JOB_TIMEOUT_S", 120))
    ocr_retries: int = field(default_factory=lambda: _int("CHONGMU_OCR_JOB_RETRIES", 3))
    ocr_retry_delay_s: float = field(default_factory=lambda: float(_int("CHONGMU_OCR_JOB_RETRY_DELAY_S", 5)))
    ocr_heartbeat_s: int = field(default_factory=lambda: _int("CHONGMU_OCR_JOB_HEARTBEAT_S", 30))
    # Per-user rate limit on uploads (files per window).
    rate_max_files: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_RATE_MAX_FILES", 200))
    rate_window_minutes: int = field(default_factory=lambda: _int("CHONGMU_UPLOAD_RATE_WINDOW_MINUTES", 10))

    @property
    def max_body_bytes(self) -> int:
        """The upload route's own request body limit (all files plus the multipart overhead)."""
        return self.max_file_bytes * self.max_files + 1024 * 1024


@dataclass(frozen=True)
class Settings:
    app: AppSettings = field(default_factory=AppSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    upload: UploadSettings = field(default_factory=UploadSettings)

    @classmethod
    def from_env(cls) -> Settings:
        return cls()
