#!/usr/bin/env python3
"""`make run`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, Granian and a SAQ worker.

Ctrl-C (or SIGTERM) stops the web server, the worker and — when this command started it — the embedded
PostgreSQL. Its data stays in var/pg, so the next `make run` finds everything again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def main() -> int:
    os.chdir(ROOT)
    env = dict(os.environ)
    env.setdefault("CHONGMU_LOG_JSON", "0")  # human-readable in development
    env.setdefault("OMP_THREAD_LIMIT", "1")
    env.setdefault("CHONGMU_WORKER_GRACE_S", "5")  # a quick Ctrl-C; an interrupted job is retried
    started_db = False
    if not env.get("DATABASE_URL"):
        was_running = subprocess.run([PY, "scripts/devdb.py", "status"], capture_output=True, text=True)
        subprocess.run([PY, "scripts/devdb.py", "start"], check=True)
        started_db = was_running.stdout.strip() != "running"
    subprocess.run(
        [PY, "-m", "piccolo.main", "migrations", "forwards", "all"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    if env.get("CHONGMU_DEMO") == "1":
        subprocess.run([PY, "-m", "components.demo"], check=False, env=env)
    host = env.get("CHONGMU_HOST", "127.0.0.1")
    port = env.get("CHONGMU_PORT", "8000")
    env.setdefault("CHONGMU_BASE_URL", f"http://{host}:{port}")
    web = subprocess.Popen(
        [
            PY,
            "-m",
            "granian",
            "--interface",
            "asgi",
            "--host",
            host,
            "--port",
            port,
            "--workers",
            env.get("CHONGMU_WEB_WORKERS", "1"),
            "web.asgi:app",
        ],
        env=env,
    )
    worker = subprocess.Popen([PY, "-m", "saq", "tasks.worker.settings", "--quiet"], env=env)
    print(f"\n  총무 is starting on http://{host}:{port}  (Ctrl-C to stop)\n", flush=True)
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for proc, name in ((web, "web"), (worker, "worker")):
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; stopping", file=sys.stderr)
                code = proc.returncode or 1
                stopping = True
        time.sleep(0.3)
    for proc in (web, worker):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in (web, worker):
        try:
            proc.wait(timeout=25)
        except subprocess.TimeoutExpired:
            proc.kill()
    if started_db:
        subprocess.run([PY, "scripts/devdb.py", "stop"], check=False)
    print("stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
