"""Input shards for ``khabar pipeline run``: JSON Lines, Parquet, WARC(.gz) and text/HTML files.

A shard is one input file. Each yields :class:`~khabar.model.RawDocument` objects or, in the
place of anything unreadable, an :class:`~khabar.errors.InputError` naming it (the pipeline
keeps and counts those instead of dropping them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError
from khabar.extract.sources import DEFAULT_MAX_BYTES, expand, read_path
from khabar.model import RawDocument

_TEXT_COLUMNS = ("text", "html", "content", "body")
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file. ``number`` orders shards and documents (it is part of every ordinal)."""

    number: int
    path: str
    size: int
    mtime_ns: int

    @property
    def fingerprint(self) -> str:
        return f"{self.path}|{self.size}|{self.mtime_ns}"


def list_shards(inputs: Iterable[str], exclude: Path | None = None) -> list[Shard]:
    """Files named in ``inputs`` (folders expanded, sorted), numbered in that order; files under
    ``exclude`` (the output folder) are left out.

    Raises InputError for a missing input or when there are no files at all."""
    inputs = list(inputs)
    shards: list[Shard] = []
    seen: set[str] = set()
    for item in expand(inputs):
        if isinstance(item, InputError):
            raise item
        if not isinstance(item, Path):
            raise InputError("-", "standard input cannot be a shard; name files or folders")
        resolved = item.resolve()
        path = str(resolved)
        if path in seen or (exclude is not None and resolved.is_relative_to(exclude)):
            continue
        seen.add(path)
        st = item.stat()
        shards.append(Shard(len(shards), path, st.st_size, st.st_mtime_ns))
    if not shards:
        raise InputError(", ".join(inputs) or "(no input)", "no input files found")
    return shards


def _shard_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        return "warc"
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return "file"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    return "file"


def _read_parquet(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    import pyarrow.parquet as pq

    source = str(path)
    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        yield InputError(source, f"not a readable Parquet file: {exc}")
        return
    names = pf.schema_arrow.names
    field = next((c for c in _TEXT_COLUMNS if c in names), None)
    if field is None:
        yield InputError(source, f"no text column (one of {', '.join(_TEXT_COLUMNS)}); columns are {', '.join(names)}")
        return
    columns = [field] + [c for c in ("id", "url") if c in names]
    row = 0
    try:
        for batch in pf.iter_batches(columns=columns, batch_size=1024):
            data = batch.to_pydict()
            for i, value in enumerate(data[field]):
                rid = data["id"][i] if "id" in data else None
                name = f"{source}#{rid}" if rid is not None else f"{source}@{row}"
                row += 1
                if not isinstance(value, str | bytes):
                    yield InputError(name, f"'{field}' is empty")
                    continue
                if len(value) > max_bytes:
                    yield InputError(name, f"record larger than the {max_bytes} byte limit")
                    continue
                url = data["url"][i] if "url" in data else None
                yield RawDocument(
                    source=name,
                    data=value,
                    url=url if isinstance(url, str) else None,
                    kind="html" if field == "html" else None,
                    record_id=str(rid) if rid is not None else None,
                )
    except Exception as exc:
        yield InputError(f"{source}@{row}", f"damaged Parquet file: {exc}")


def _charset(ctype: str) -> str | None:
    for part in ctype.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _read_warc(path: Path, max_bytes: int) -> Iterator[RawDocument | InputError]:
    from khabar.ingest.warc import WarcDamage, read_warc

    for item in read_warc(path):
        if isinstance(item, WarcDamage):
            yield InputError(f"{path}@{item.offset}", item.reason)
            return
        source = f"{path}#{item.url or item.offset}"
        ctype = item.headers.get("content-type", "")
        if item.url.endswith("/robots.txt"):
            continue
        if not 200 <= item.status < 300:
            yield InputError(source, f"HTTP status {item.status}")
            continue
        if ctype and not any(t in ctype.lower() for t in _HTML_TYPES):
            yield InputError(source, f"not an article page (Content-Type {ctype.split(';')[0]})")
            continue
        if len(item.body) > max_bytes:
            yield InputError(source, f"response larger than the {max_bytes} byte limit")
            continue
        charset = _charset(ctype)
        yield RawDocument(
            source=source,
            data=item.body,
            url=item.url or None,
            kind="text" if ctype.lower().startswith("text/plain") else "html",
            headers={"charset": charset} if charset else {},
            fetched_at=item.date,
        )


def read_shard(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | InputError]:
    """Documents of one shard, in file order."""
    p = Path(path)
    kind = _shard_kind(p)
    if kind == "parquet":
        yield from _read_parquet(p, max_bytes)
    elif kind == "warc":
        yield from _read_warc(p, max_bytes)
    else:
        yield from read_path(p, max_bytes=max_bytes)
