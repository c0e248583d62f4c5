"""``khabar dedup`` (group a JSON Lines file into stories) and ``khabar stories`` (list them)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from khabar.errors import InputError

BATCH = 1000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dedup",
        help="mark exact and near-duplicate records of a JSON Lines file and group them into stories",
        description=(
            "Reads records with 'id' and 'text' (optional 'title', 'url', 'site', 'published', "
            "'attributions'), or the articles 'khabar clean' writes, and writes each one back with "
            "'cluster_id', 'duplicate_of', 'exact' and 'similarity'. Records that cannot be read "
            "are written with an 'error'."
        ),
    )
    p.add_argument("input", help="JSON Lines file, or - for standard input")
    p.add_argument("-o", "--output", help="output JSON Lines file (default: standard output)")
    p.add_argument(
        "--db",
        help="SQLite file or postgresql:// URL holding the dedup index: earlier runs' stories are joined "
        "and this run's records are added (default: an index in memory, for this run only)",
    )
    p.set_defaults(func=run_dedup)

    s = sub.add_parser("stories", help="list the stories of a dedup index with their outlets")
    s.add_argument("--db", help="SQLite file or postgresql:// URL (default: $KHABAR_DB or ./khabar.db)")
    s.add_argument("--min-size", type=int, default=1, help="only stories with at least this many records")
    s.add_argument("--json", action="store_true", help="one JSON object per story instead of text lines")
    s.set_defaults(func=run_stories)


def _lines(source: str, stream: IO[bytes]) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text or None, error) for every non-blank line."""
    for no, raw in enumerate(stream, 1):
        if b"\x00" in raw:
            yield no, None, "binary data (NUL byte), not JSON Lines"
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield no, None, f"not UTF-8 ({exc.reason} at byte {exc.start}); JSON Lines must be UTF-8"
            continue
        if line.strip():
            yield no, line, ""


def _parse(source: str, no: int, line: str) -> tuple[dict[str, Any] | None, str, str]:
    """(record, error, text): the text is the record's own, or a cleaned article's parts."""
    import json

    try:
        obj = json.loads(line)
    except ValueError as exc:
        return None, f"line {no}: not valid JSON ({exc.msg})", ""
    if not isinstance(obj, dict):
        return None, f"line {no}: a JSON object is expected, got {type(obj).__name__}", ""
    text = obj.get("text")
    if "text" not in obj and isinstance(obj.get("paragraphs"), list):
        # a `khabar clean` article: title, lead and paragraphs make the text, as Article.text does
        if obj.get("error"):
            return obj, f"line {no}: article was not cleaned ({obj['error']})", ""
        parts = [obj.get("title"), obj.get("lead"), *obj["paragraphs"]]
        text = "\n\n".join(p for p in parts if isinstance(p, str) and p)
        if obj.get("id") is None:
            obj["id"] = obj.get("record_id") or obj.get("source")
    rid = obj.get("id")
    if isinstance(rid, int) and not isinstance(rid, bool):
        rid = str(rid)
    if not isinstance(rid, str) or not rid.strip():
        return obj, f"line {no}: record has no 'id' (a non-empty string)", ""
    if not isinstance(text, str):
        return obj, f"line {no}: record {rid!r} has no 'text' string", ""
    for key in ("title", "url", "site", "published"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return obj, f"line {no}: record {rid!r}: '{key}' must be a string", ""
    return obj, "", text


def run_dedup(args: argparse.Namespace) -> int:
    import json
    import sqlite3

    from khabar.dedup.index import DedupRecord, StoryIndex

    source = "<stdin>" if args.input == "-" else args.input
    if args.input == "-":
        stream: IO[bytes] = sys.stdin.buffer
    else:
        path = Path(args.input)
        if not path.exists():
            raise InputError(source, "no such file")
        if path.is_dir():
            raise InputError(source, "is a directory, not a JSON Lines file")
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise InputError(source, f"cannot read ({exc.strerror})") from exc
    conn: Any = None
    if args.db and _is_pg(args.db):
        conn = _pg_connect(args.db)
    elif args.db:
        conn = sqlite3.connect(args.db)
    try:
        index = StoryIndex(conn)
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    out: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    counts = {"records": 0, "errors": 0, "exact": 0, "near": 0}
    stories: set[str] = set()
    pending: list[tuple[dict[str, Any], DedupRecord | None, str]] = []

    def flush() -> None:
        records = [r for _, r, _ in pending if r is not None]
        placed = iter(index.assign_many(records))
        for obj, rec, err in pending:
            if rec is None:
                obj.update(cluster_id=None, duplicate_of=None, exact=False, similarity=0.0, error=err)
                counts["errors"] += 1
            else:
                a = next(placed)
                obj.update(
                    cluster_id=a.cluster_id,
                    duplicate_of=a.duplicate_of,
                    exact=a.exact,
                    similarity=a.similarity,
                )
                stories.add(a.cluster_id)
                counts["exact" if a.exact else "near"] += a.duplicate_of is not None
            counts["records"] += 1
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        pending.clear()

    try:
        seen: set[str] = set()
        for no, line, err in _lines(source, stream):
            obj, err, text = _parse(source, no, line) if line is not None else (None, f"line {no}: {err}", "")
            if obj is None:
                obj = {"id": None, "line": no}
            rec = None
            if not err:
                rid = str(obj["id"])
                if rid in seen:
                    err = f"line {no}: id {rid!r} repeats an earlier record of this input"
                else:
                    seen.add(rid)
                    cites = obj.get("attributions")
                    rec = DedupRecord(
                        id=rid,
                        text=text,
                        title=obj.get("title"),
                        url=obj.get("url"),
                        site=obj.get("site"),
                        published=obj.get("published"),
                        attributions=tuple(str(c) for c in cites) if isinstance(cites, list) else (),
                    )
            if err:
                print(f"khabar dedup: {source}: {err}", file=sys.stderr)
            pending.append((obj, rec, err))
            if len(pending) >= BATCH:
                flush()
        flush()
    finally:
        if out is not sys.stdout:
            out.close()
        if stream is not sys.stdin.buffer:
            stream.close()
        if conn is not None:
            conn.close()
    print(
        f"khabar dedup: {counts['records']} records, {len(stories)} stories, {counts['exact']} exact and "
        f"{counts['near']} near duplicates, {counts['errors']} unreadable",
        file=sys.stderr,
    )
    return 1 if counts["errors"] else 0


def default_db() -> str:
    return os.environ.get("KHABAR_DB") or "khabar.db"


def _is_pg(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def _pg_connect(url: str, read_only: bool = False) -> Any:
    """An autocommit psycopg connection to ``url`` (read-only transactions with ``read_only``)."""
    try:
        import psycopg
    except ImportError as exc:
        raise InputError(url, "PostgreSQL needs psycopg; install it with pip install 'khabar[postgres]'") from exc
    try:
        options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        return psycopg.connect(url, autocommit=True, **options)
    except psycopg.Error as exc:
        raise InputError(url, f"cannot connect: {str(exc).strip().splitlines()[0]}") from exc


def run_stories(args: argparse.Namespace) -> int:
    import sqlite3

    from khabar.dedup.index import read_stories

    db = args.db or default_db()
    if _is_pg(db):
        import psycopg

        pg = _pg_connect(db, read_only=True)
        try:
            stories = read_stories(pg, min_size=args.min_size)
        except psycopg.Error as exc:
            raise InputError(db, f"cannot read the dedup index ({str(exc).strip().splitlines()[0]})") from exc
        finally:
            pg.close()
        return _print_stories(db, stories, args.json)
    if not Path(db).is_file():
        raise InputError(db, "no such database (give --db PATH or set KHABAR_DB)")
    try:
        conn = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
        try:
            stories = read_stories(conn, min_size=args.min_size)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(db, f"not a readable SQLite database ({exc})") from exc
    return _print_stories(db, stories, args.json)


def _print_stories(db: str, stories: list[Any] | None, as_json: bool) -> int:
    import json

    if stories is None:
        raise InputError(db, "has no dedup index (run 'khabar dedup --db' or 'khabar ingest' first)")
    for st in stories:
        if as_json:
            print(json.dumps(st.to_dict(), ensure_ascii=False))
            continue
        cites = ", ".join(f"{a} -> {b}" for a, b in st.citations)
        print(
            f"{st.cluster_id}\t{st.size} records\tfirst: {st.first_reporter or '?'}"
            f" ({st.first_published or 'undated'})\toutlets: {', '.join(st.outlets) or '-'}"
            + (f"\tcites: {cites}" if cites else "")
            + (f"\t{st.title}" if st.title else "")
        )
    return 0
