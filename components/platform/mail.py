"""Optional outgoing mail (SMTP). Without a host configured nothing is sent and callers show links instead."""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage

from loguru import logger


@dataclass(frozen=True)
class MailConfig:
    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = "chongmu@localhost"

    @property
    def enabled(self) -> bool:
        return bool(self.host)


def _send(config: MailConfig, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config.host, config.port, timeout=15) as smtp:
        if config.user:
            smtp.starttls(context=ssl.create_default_context())
            smtp.login(config.user, config.password)
        smtp.send_message(message)


async def send_mail(config: MailConfig, to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; False (and a log line) when mail is off or the server refuses."""
    if not config.enabled:
        return False
    try:
        await asyncio.to_thread(_send, config, to, subject, body)
    except (OSError, smtplib.SMTPException) as exc:
        logger.warning("mail to {} failed: {}", to, exc)
        return False
    return True
