"""`python -m components.accounts createadmin [EMAIL]` — create (or promote) a system admin.

Reads CHONGMU_ADMIN_EMAIL / CHONGMU_ADMIN_PASSWORD / CHONGMU_ADMIN_NAME when set (for automation),
otherwise asks on the terminal.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

from components.accounts.services import AuthPolicy, create_admin
from components.platform.db import close_pool, open_pool
from components.ui.forms import ValidationFailed


def _ask(argv: list[str]) -> tuple[str, str, str]:
    email = (argv[1] if len(argv) > 1 else os.environ.get("CHONGMU_ADMIN_EMAIL")) or input("이메일: ")
    name = os.environ.get("CHONGMU_ADMIN_NAME") or (input("이름 [관리자]: ") or "관리자")
    password = os.environ.get("CHONGMU_ADMIN_PASSWORD") or getpass.getpass("비밀번호 (10자 이상): ")
    return email, name, password


async def _main(email: str, name: str, password: str) -> int:
    await open_pool(1, 2)
    try:
        user = await create_admin(
            email,
            name,
            password,
            AuthPolicy(password_min_length=int(os.environ.get("CHONGMU_PASSWORD_MIN_LENGTH", "10"))),
        )
    except ValidationFailed as exc:
        for message in exc.errors.values():
            print(message, file=sys.stderr)
        return 1
    finally:
        await close_pool()
    print(f"관리자 계정 준비됨: {user['email']}")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["createadmin"]:
        sys.exit(__doc__)
    sys.exit(asyncio.run(_main(*_ask(sys.argv[1:]))))
