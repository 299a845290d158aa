"""With SMTP configured, the admin's reset link is also e-mailed (to a tiny SMTP sink on loopback)."""

from __future__ import annotations

import email
import email.policy
import re
import socketserver
import threading
from dataclasses import replace

import pytest

from components.accounts.tables import User
from tests.helpers import post, register


class _SmtpSink(socketserver.StreamRequestHandler):
    messages: list[str] = []

    def handle(self) -> None:
        self.wfile.write(b"220 sink\r\n")
        data: list[str] = []
        in_data = False
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace")
            if in_data:
                if line in (".\r\n", ".\n"):
                    in_data = False
                    _SmtpSink.messages.append("".join(data))
                    self.wfile.write(b"250 queued\r\n")
                else:
                    data.append(line)
                continue
            command = line[:4].upper()
            if command == "DATA":
                in_data = True
                self.wfile.write(b"354 go\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            elif command == "EHLO":
                self.wfile.write(b"250 sink\r\n")
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_sink():  # type: ignore[no-untyped-def]
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _SmtpSink.messages = []
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


async def test_reset_link_is_mailed_when_smtp_is_configured(app, client, make_client, smtp_sink):
    app.state.settings = replace(
        app.state.settings, mail=replace(app.state.settings.mail, smtp_host="127.0.0.1", smtp_port=smtp_sink)
    )
    await register(client, "admin@example.com")
    await User.update({User.is_admin: True}).where(User.email == "admin@example.com")
    other = await make_client()
    await register(other, "forgot@example.com")
    user = await User.select(User.id).where(User.email == "forgot@example.com").first()
    response = await post(client, f"/admin/users/{user['id']}/reset-link")
    assert response.status_code == 200 and "이메일로도 보냈습니다" in response.text
    assert len(_SmtpSink.messages) == 1
    mail = email.message_from_string(_SmtpSink.messages[0], policy=email.policy.default)
    assert mail["To"] == "forgot@example.com" and "비밀번호 재설정" in mail["Subject"]
    link = re.search(r"/reset/[A-Za-z0-9_\-]+", response.text)
    assert link and link.group(0) in mail.get_content()
