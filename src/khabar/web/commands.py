"""``khabar serve`` (the reader web app) and ``khabar admin create`` (a comment moderator)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from khabar.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the reader web app over a khabar database")
    p.add_argument(
        "--db", default=None, help="SQLite database or postgresql:// URL (default: $KHABAR_DB or ./khabar.db)"
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="server processes (default 1)")
    p.add_argument("--no-moderation", action="store_true", help="publish comments without approval")
    p.add_argument("--quiet", action="store_true", help="no access log")
    p.add_argument(
        "--public-url", default=None, help="the address readers use (feeds link to it), e.g. https://khabar.example"
    )
    p.set_defaults(func=run_serve)

    a = sub.add_parser("admin", help="manage the web app's admins (comment moderators)")
    asub = a.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    c = asub.add_parser("create", help="add an admin, or set a new password for one")
    c.add_argument("name", help="admin name")
    c.add_argument(
        "--db", default=None, help="SQLite database or postgresql:// URL (default: $KHABAR_DB or ./khabar.db)"
    )
    c.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    c.set_defaults(func=run_admin_create)


def _existing_db(db: str | None) -> str:
    from khabar.store import default_location

    location = db or default_location()
    if location.startswith(("postgresql://", "postgres://")):
        from khabar.store import open_store

        open_store(location).close()  # an unreachable server is a one-line error here, not at start-up
        return location
    path = location.removeprefix("sqlite:///")
    if not Path(path).is_file():
        raise InputError(path, "no such database; create one with khabar ingest or khabar demo")
    return path


def shown(location: str) -> str:
    """``location`` as printed: a PostgreSQL URL's password replaced by ``***``."""
    from urllib.parse import urlsplit

    parts = urlsplit(location)
    if parts.scheme.startswith("postgres") and parts.password:
        return location.replace(":" + parts.password + "@", ":***@", 1)
    return location


def check_port(port: int) -> int:
    if not 0 < port < 65536:
        raise InputError("--port", f"must be 1-65535, got {port}")
    return port


def run_serve(args: argparse.Namespace) -> int:
    from khabar.web.config import WebConfig
    from khabar.web.server import serve

    db = _existing_db(args.db)
    port = check_port(args.port)
    print(f"khabar: serving {shown(db)} at http://{args.host}:{port}/  (Ctrl-C stops)", flush=True)
    public = args.public_url
    if public and not public.startswith(("http://", "https://")):
        raise InputError("--public-url", f"must start with http:// or https://, got {public!r}")
    config = WebConfig(
        db=db,
        moderate=not args.no_moderation,
        public_url=public,
        secure_cookies=bool(public and public.startswith("https://")),
    )
    if not 1 <= args.workers <= 64:
        raise InputError("--workers", f"must be 1-64, got {args.workers}")
    serve(config, args.host, port, log=not args.quiet, workers=args.workers)
    return 0


def run_admin_create(args: argparse.Namespace) -> int:
    import getpass

    from khabar.store import open_store
    from khabar.web.comments import create_admin

    db = _existing_db(args.db)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise InputError("password", "the two entries differ")
    with open_store(db) as store:
        new = create_admin(store, args.name, password)
    print(f"khabar admin: {'created' if new else 'updated password of'} admin {args.name!r} in {shown(db)}")
    return 0
