"""Reading inputs for ``khabar clean``: files, folders, JSON Lines, gzip, standard input.

Everything streams: JSON Lines are read a record at a time and a document larger than the
size cap is refused without being read, so a 2 GB input never sits in memory.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from khabar.errors import InputError
from khabar.model import RawDocument

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_TEXT_FIELDS = ("text", "html", "content", "body")


def _human(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _kind_from_name(name: str) -> str | None:
    name = name.lower().removesuffix(".gz")
    if name.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if name.endswith((".html", ".htm", ".xhtml", ".shtml", ".php", ".aspx")):
        return "html"
    if name.endswith((".txt", ".text", ".md")):
        return "text"
    if name.endswith((".warc", ".arc")):
        return "warc"
    return None


def _records(stream: IO[bytes], source: str, max_bytes: int) -> Iterator[RawDocument | InputError]:
    """One RawDocument per JSON Lines record; a bad record becomes an InputError naming its line."""
    for lineno, raw in enumerate(iter(lambda: stream.readline(max_bytes + 1), b""), start=1):
        where = f"{source}:{lineno}"
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            # Skip the rest of the over-long line without holding it.
            while raw and not raw.endswith(b"\n"):
                raw = stream.readline(1 << 20)
            yield InputError(where, f"record larger than the {_human(max_bytes)} limit")
            continue
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            if raw.endswith(b"\n"):
                yield InputError(where, f"invalid JSON: {exc.msg}")
            else:
                yield InputError(where, "truncated record (the line ends mid-JSON)")
            continue
        except UnicodeDecodeError:
            yield InputError(where, "record is not UTF-8 JSON")
            continue
        if not isinstance(record, dict):
            yield InputError(where, "record is not a JSON object")
            continue
        rid = record.get("id")
        name = f"{source}#{rid}" if rid is not None else where
        field = next((f for f in _TEXT_FIELDS if isinstance(record.get(f), str)), None)
        if field is None:
            yield InputError(name, "record has no 'text' or 'html' field")
            continue
        value = record[field]
        yield RawDocument(
            source=name,
            data=value,
            url=record.get("url") if isinstance(record.get("url"), str) else None,
            kind="html" if field == "html" else None,
            record_id=str(rid) if rid is not None else None,
        )


def _open(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_path(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | InputError]:
    """Documents in one file (several for JSON Lines)."""
    source = str(path)
    kind = _kind_from_name(path.name)
    if kind == "warc":
        yield InputError(source, "WARC archives are read by 'khabar ingest'")
        return
    try:
        size = path.stat().st_size
        if kind == "jsonl":
            with _open(path) as stream:
                yield from _records(stream, source, max_bytes)
            return
        if size > max_bytes and path.suffix != ".gz":
            yield InputError(source, f"too large: {_human(size)} is over the {_human(max_bytes)} limit (--max-bytes)")
            return
        with _open(path) as stream:
            data = stream.read(max_bytes + 1)
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        yield InputError(source, f"cannot read: {reason}")
        return
    if len(data) > max_bytes:
        yield InputError(source, f"too large: over the {_human(max_bytes)} limit (--max-bytes)")
        return
    if kind is None and data.lstrip()[:1] == b"{":
        first = data.split(b"\n", 1)[0]
        try:
            json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
        else:
            yield from _records(io.BytesIO(data), source, max_bytes)
            return
    yield RawDocument(source=source, data=data, kind=kind)


def read_stdin(*, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | InputError]:
    stream = sys.stdin.buffer
    head = stream.peek(1)[:1] if hasattr(stream, "peek") else b""
    if head == b"{":
        yield from _records(stream, "<stdin>", max_bytes)
        return
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield InputError("<stdin>", f"too large: over the {_human(max_bytes)} limit (--max-bytes)")
        return
    if data.lstrip()[:1] == b"{":
        yield from _records(io.BytesIO(data), "<stdin>", max_bytes)
        return
    yield RawDocument(source="<stdin>", data=data)


def expand(paths: Iterable[str]) -> Iterator[Path | str | InputError]:
    """Files named, and files inside folders named (sorted, hidden files skipped); '-' is stdin."""
    for p in paths:
        if p == "-":
            yield "-"
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield Path(root) / f
        elif path.exists():
            yield path
        else:
            yield InputError(p, "no such file or folder")


def read_sources(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | InputError]:
    """Every document in ``paths`` (files, folders, '-' for stdin), or an InputError in its place."""
    for item in expand(paths):
        if isinstance(item, InputError):
            yield item
        elif item == "-":
            yield from read_stdin(max_bytes=max_bytes)
        else:
            assert isinstance(item, Path)
            yield from read_path(item, max_bytes=max_bytes)
