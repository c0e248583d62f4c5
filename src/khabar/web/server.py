"""Running the app with uvicorn: in the foreground (``khabar serve``) or in a background thread
(tests and ``bench/web.py`` use that to get a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from dataclasses import asdict
from types import TracebackType

from khabar.errors import KhabarError
from khabar.web.config import WebConfig


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def serve(config: WebConfig, host: str = "127.0.0.1", port: int = 8000, *, log: bool = True, workers: int = 1) -> None:
    """Serve until interrupted; ``workers`` > 1 runs that many processes (each with its own
    connection, cache and rate limiter)."""
    import uvicorn

    from khabar.web.app import CONFIG_ENV, create_app

    if workers > 1:
        os.environ[CONFIG_ENV] = json.dumps(asdict(config))
        uvicorn.run(
            "khabar.web.app:app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info" if log else "warning",
            access_log=log,
            proxy_headers=False,
        )
        return
    uvicorn.run(
        create_app(config),
        host=host,
        port=port,
        log_level="info" if log else "warning",
        access_log=log,
        proxy_headers=False,
    )


class BackgroundServer:
    """``with BackgroundServer(config) as srv: httpx.get(srv.url + "/")`` — a real uvicorn server
    on a free port of 127.0.0.1, in a daemon thread, stopped on exit."""

    def __init__(self, config: WebConfig, host: str = "127.0.0.1", port: int | None = None) -> None:
        import uvicorn

        from khabar.web.app import create_app

        self.host = host
        self.port = port or free_port(host)
        self.app = create_app(config)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                host=host,
                port=self.port,
                log_level="warning",
                access_log=False,
                lifespan="on",
                proxy_headers=False,
            )
        )
        self._thread = threading.Thread(target=self._server.run, name="khabar-web", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> BackgroundServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive():
                raise KhabarError(f"{self.url}: the web server stopped while starting")
            if time.monotonic() > deadline:
                raise KhabarError(f"{self.url}: the web server did not start within 30 s")
            time.sleep(0.02)
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
