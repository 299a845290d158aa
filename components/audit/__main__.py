"""`python -m components.audit verify` — check the audit log's hash chain (make audit-verify)."""

import asyncio
import sys

from components.audit.services import verify_chain


async def _main() -> int:
    report = await verify_chain()
    if report.ok:
        print(f"audit chain OK: {report.checked} entries verified")
        return 0
    print(
        f"audit chain BROKEN at entry {report.broken_at} after {report.checked} good entries: {report.reason}"
    )
    return 1


if __name__ == "__main__":
    if sys.argv[1:] not in ([], ["verify"]):
        sys.exit("usage: python -m components.audit verify")
    sys.exit(asyncio.run(_main()))
