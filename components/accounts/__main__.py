"""`python -m components.accounts createadmin [EMAIL]` — create (or promote) a system admin.

Reads CHONGMU_ADMIN_EMAIL / CHONGMU_ADMIN_PASSWORD / CHONGMU_ADMIN_NAME when set (for automation),
otherwise asks on the terminal.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import sys

from piccolo.engine import engine_finder

from components.accounts.services import AuthPolicy, create_admin
from components.ui.forms import ValidationFailed


async def _main(argv: list[str]) -> int:
    if not argv or argv[0] != "createadmin":
        print(__doc__)
        return 2
    email = (argv[1] if len(argv) > 1 else os.environ.get("CHONGMU_ADMIN_EMAIL")) or input("이메일: ")
    name = os.environ.get("CHONGMU_ADMIN_NAME") or (input("이름 [관리자]: ") or "관리자")
    password = os.environ.get("CHONGMU_ADMIN_PASSWORD") or getpass.getpass("비밀번호 (10자 이상): ")
    engine = engine_finder()
    assert engine is not None
    await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        user = await create_admin(email, name, password,
                                  AuthPolicy(password_min_length=int(os.environ.get("CHONGMU_PASSWORD_MIN_LENGTH",
                                                                                    "10"))))
    except ValidationFailed as exc:
        for message in exc.errors.values():
            print(message, file=sys.stderr)
        return 1
    finally:
        await engine.close_connection_pool()
    print(f"관리자 계정 준비됨: {user['email']}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1:])))
