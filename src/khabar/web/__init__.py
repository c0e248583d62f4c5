"""khabar.web: the reader web app (``khabar serve``).

    from khabar.web import WebConfig, create_app
    app = create_app(WebConfig(db="khabar.db"))      # an ASGI app (FastAPI)

Pages are server-rendered (Jinja2, RTL Persian); ``/api/*`` is JSON with an OpenAPI document at
``/openapi.json``; ``/feed.xml`` and ``/atom.xml`` are feeds out. All state (the open store, the
rate limiter, the secret key) lives on the app object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from khabar.web.config import WebConfig

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["WebConfig", "create_app"]


def create_app(config: WebConfig) -> FastAPI:
    """The ASGI app serving ``config.db`` (imported lazily: FastAPI is a heavy import)."""
    from khabar.web.app import create_app as _create

    return _create(config)
