"""The ASGI entry point for Granian: `granian --interface asgi web.asgi:app`."""

from web.app import create_app

app = create_app()
