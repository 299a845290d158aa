#!/usr/bin/env python3
"""The embedded development PostgreSQL under var/pg (used when DATABASE_URL is unset).

    python scripts/devdb.py start|stop|status|url|createdb NAME|dropdb NAME

Uses the machine's PostgreSQL binaries (Debian's `postgresql` package). PostgreSQL refuses to run as
root, so as root the server runs as the `postgres` system user. Trust authentication on 127.0.0.1 only:
this server is for development and tests, never production.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
PG_DIR = ROOT / "var" / "pg"
DATA = PG_DIR / "data"
LOG = PG_DIR / "server.log"
PORT = int(os.environ.get("CHONGMU_DEV_PG_PORT", "54329"))
USER = "chongmu"


def _bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    sys.exit(
        "PostgreSQL server binaries not found. Install Debian's package:  sudo apt-get install postgresql\n"
        "(or set DATABASE_URL to an existing server)."
    )


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_as_server_user(cmd), text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def _psql(sql: str, db: str = "postgres") -> subprocess.CompletedProcess[str]:
    psql = _bindir() / "psql"
    return subprocess.run(
        [
            str(psql),
            "-h",
            "127.0.0.1",
            "-p",
            str(PORT),
            "-U",
            USER,
            "-d",
            db,
            "-v",
            "ON_ERROR_STOP=1",
            "-tAc",
            sql,
        ],
        text=True,
        capture_output=True,
    )


def running() -> bool:
    if not (DATA / "PG_VERSION").exists():
        return False
    return _run([str(_bindir() / "pg_ctl"), "-D", str(DATA), "status"]).returncode == 0


def init() -> None:
    if (DATA / "PG_VERSION").exists():
        return
    PG_DIR.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(PG_DIR, "postgres")
        shutil.chown(DATA, "postgres")
    result = _run(
        [
            str(_bindir() / "initdb"),
            "-D",
            str(DATA),
            "-U",
            USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        ]
    )
    if result.returncode != 0:
        sys.exit(f"initdb failed:\n{result.stdout}\n{result.stderr}")
    with open(DATA / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# chongmu development server\n"
            f"listen_addresses = '127.0.0.1'\nport = {PORT}\nunix_socket_directories = ''\n"
            "max_connections = 200\nshared_buffers = 128MB\nfsync = off\nsynchronous_commit = off\n"
            "full_page_writes = off\ntimezone = 'UTC'\n"
        )


def start() -> None:
    init()
    if running():
        return
    if os.geteuid() == 0:
        LOG.touch()
        shutil.chown(LOG, "postgres")
    result = _run([str(_bindir() / "pg_ctl"), "-D", str(DATA), "-l", str(LOG), "-w", "-t", "60", "start"])
    if result.returncode != 0:
        sys.exit(f"PostgreSQL did not start:\n{result.stdout}\n{result.stderr}\n{LOG.read_text()[-2000:]}")
    for _ in range(50):
        if _psql("select 1").returncode == 0:
            break
        time.sleep(0.2)
    createdb("chongmu")


def stop() -> None:
    if running():
        _run([str(_bindir() / "pg_ctl"), "-D", str(DATA), "-m", "fast", "stop"])


def createdb(name: str) -> None:
    exists = _psql(f"select 1 from pg_database where datname = '{name}'")
    if exists.stdout.strip() != "1":
        result = _psql(f'create database "{name}"')
        if result.returncode != 0 and "already exists" not in result.stderr:
            sys.exit(result.stderr)


def dropdb(name: str) -> None:
    _psql(f'drop database if exists "{name}" with (force)')


def server_url() -> str:
    """DATABASE_URL's server, or the embedded one (started if needed): where scratch databases go."""
    base = os.environ.get("DATABASE_URL")
    if base:
        return base
    start()
    return f"postgresql://{USER}@127.0.0.1:{PORT}/chongmu"


def admin_sql(url: str, sql: str) -> None:
    """Run one statement in the `postgres` maintenance database of the server behind `url`."""
    parts = urlparse(url)
    subprocess.run(
        [
            shutil.which("psql") or str(_bindir() / "psql"),
            "-h",
            parts.hostname or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PGPASSWORD": parts.password or ""},
    )


def create_scratch_database(prefix: str) -> tuple[str, str, str]:
    """A new, migrated database next to the configured server: (url, server url, name)."""
    base = server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin_sql(base, f'CREATE DATABASE "{name}"')
    url = urlunparse(urlparse(base)._replace(path=f"/{name}"))
    result = subprocess.run(
        [sys.executable, "-m", "piccolo.main", "migrations", "forwards", "all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url},
    )
    if result.returncode != 0:
        drop_scratch_database(base, name)
        raise RuntimeError(f"migrations failed:\n{result.stdout}\n{result.stderr}")
    return url, base, name


def drop_scratch_database(base: str, name: str) -> None:
    admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "status"
    if command == "start":
        start()
        print(f"PostgreSQL running on 127.0.0.1:{PORT} (data in {DATA})")
    elif command == "stop":
        stop()
    elif command == "status":
        print("running" if running() else "stopped")
    elif command == "url":
        print(f"postgresql://{USER}@127.0.0.1:{PORT}/chongmu")
    elif command == "createdb":
        createdb(argv[1])
    elif command == "dropdb":
        dropdb(argv[1])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
