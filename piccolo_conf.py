"""Piccolo's configuration: the engine from DATABASE_URL (or the embedded server) and every component's app.

Piccolo reads `DB` at import time; the URL comes from the environment at that moment.
"""

import os
from urllib.parse import unquote, urlparse

from piccolo.conf.apps import AppRegistry
from piccolo.engine.postgres import PostgresEngine


def database_url() -> str:
    """DATABASE_URL, or the embedded development server's address (scripts/devdb.py)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    port = int(os.environ.get("CHONGMU_DEV_PG_PORT", "54329"))
    db = os.environ.get("CHONGMU_DEV_PG_DB", "chongmu")
    return f"postgresql://chongmu@127.0.0.1:{port}/{db}"


def _engine_config(url: str) -> dict[str, object]:
    parts = urlparse(url)
    config: dict[str, object] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": unquote(parts.username or "postgres"),
        "database": parts.path.lstrip("/") or "postgres",
    }
    if parts.password:
        config["password"] = unquote(parts.password)
    return config


DB = PostgresEngine(config=_engine_config(database_url()), extensions=())

APP_REGISTRY = AppRegistry(
    apps=[
        "components.audit.piccolo_app",
        "components.accounts.piccolo_app",
        "components.organisations.piccolo_app",
        "components.events.piccolo_app",
        "components.receipts.piccolo_app",
    ]
)
