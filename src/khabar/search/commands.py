"""``khabar search`` (query an index) and ``khabar search-index`` (fill one from JSON Lines)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("search", help="search the Persian full-text index of a khabar database")
    p.add_argument("query", help='words, "phrases" or «phrases», -excluded words')
    p.add_argument("--db", required=True, help="SQLite database file or postgresql:// URL holding the search_* tables")
    p.add_argument("--site", help="only this outlet")
    p.add_argument("--since", help="published on or after (ISO 8601 date or time)")
    p.add_argument("--until", help="published on or before (a date alone covers the whole day)")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(func=run_search)

    p = sub.add_parser("search-index", help="add articles from JSON Lines to the search index")
    p.add_argument("input", help="JSON Lines file of articles (khabar clean output or SearchDoc fields); - = stdin")
    p.add_argument("--db", required=True, help="SQLite database file or postgresql:// URL to hold the search_* tables")
    p.set_defaults(func=run_index)


def _is_pg(location: str) -> bool:
    return location.startswith(("postgresql://", "postgres://"))


def _connect(path: str, *, must_exist: bool):
    """A sqlite3 connection to the file ``path``, or a psycopg (autocommit) one to a ``postgresql://`` URL."""
    import sqlite3

    from khabar.errors import InputError

    if _is_pg(path):
        try:
            import psycopg
        except ImportError:
            raise InputError(path, "PostgreSQL needs psycopg; install it with pip install 'khabar[postgres]'") from None
        try:
            return psycopg.connect(path, autocommit=True)
        except psycopg.Error as exc:
            raise InputError(path, f"cannot connect: {str(exc).strip().splitlines()[0]}") from None
    path = path.removeprefix("sqlite:///")
    if must_exist and not Path(path).is_file():
        raise InputError(path, "no such database file")
    try:
        return sqlite3.connect(path)
    except sqlite3.Error as exc:
        raise InputError(path, f"cannot open database: {exc}") from None


def run_search(args: argparse.Namespace) -> int:
    import json
    import sqlite3

    from khabar.errors import InputError
    from khabar.search.api import search_api

    conn = _connect(args.db, must_exist=True)
    params = {"q": args.query, "limit": str(args.limit), "offset": str(args.offset)}
    params.update({k: getattr(args, k) for k in ("site", "since", "until") if getattr(args, k)})
    errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError,)
    if _is_pg(args.db):
        import psycopg

        errors = (psycopg.Error,)
    try:
        payload = search_api(conn, params)
    except errors as exc:
        raise InputError(args.db, f"not a usable khabar database: {str(exc).strip()}") from None
    finally:
        conn.close()
    json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def doc_from_record(record: dict[str, Any], source: str):
    """A ``SearchDoc`` from one JSON record: ``khabar clean`` output (paragraphs, record_id ...)
    or SearchDoc's own fields (id, body ...)."""
    from khabar.errors import InputError
    from khabar.search.index import SearchDoc

    if not isinstance(record, dict):
        raise InputError(source, "not a JSON object")
    if record.get("error"):
        raise InputError(source, f"article failed an earlier step: {record['error']}")
    doc_id = record.get("id") or record.get("record_id") or record.get("url") or record.get("source")
    if not isinstance(doc_id, int | str) or isinstance(doc_id, bool) or doc_id == "":
        raise InputError(source, "no id, record_id, url or source to identify the article")
    body = record.get("body")
    if body is None:
        paragraphs = record.get("paragraphs") or []
        if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
            raise InputError(source, "paragraphs must be a list of strings")
        body = "\n\n".join(paragraphs)
    fields = {k: record.get(k) for k in ("url", "site", "published", "story_id")}
    for key in ("title", "lead"):
        if record.get(key) is not None and not isinstance(record.get(key), str):
            raise InputError(source, f"{key} must be a string")
    if not isinstance(body, str):
        raise InputError(source, "body must be a string")
    return SearchDoc(doc_id, title=record.get("title") or "", lead=record.get("lead") or "", body=body, **fields)


def run_index(args: argparse.Namespace) -> int:
    import json

    from khabar.errors import InputError
    from khabar.search.index import open_search, prepare

    name = "<stdin>" if args.input == "-" else args.input
    if args.input != "-" and not Path(args.input).is_file():
        raise InputError(args.input, "no such file")
    stream = sys.stdin.buffer if args.input == "-" else open(args.input, "rb")
    conn = _connect(args.db, must_exist=False)
    index = open_search(conn)
    added = rejected = 0
    batch = []
    try:
        for lineno, raw in enumerate(stream, 1):
            source = f"{name}:{lineno}"
            if not raw.strip():
                continue
            try:
                try:
                    record = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError:
                    raise InputError(source, "not UTF-8 text") from None
                except json.JSONDecodeError as exc:
                    raise InputError(source, f"not JSON: {exc.msg}") from None
                batch.append(prepare(doc_from_record(record, source)))
            except InputError as exc:
                rejected += 1
                print(f"khabar search-index: skipped {exc}", file=sys.stderr)
                continue
            if len(batch) >= 1000:
                added += index.add_prepared(batch)
                batch.clear()
        added += index.add_prepared(batch)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        conn.close()
    print(json.dumps({"added": added, "rejected": rejected, "db": args.db}, ensure_ascii=False))
    return 0 if added or not rejected else 1
