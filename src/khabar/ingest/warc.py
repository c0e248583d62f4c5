"""WARC archives: every fetched response is appended to one (warcio), and ``khabar ingest
archive.warc.gz`` replays it offline."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from khabar import __version__

# Headers describing the transfer, not the stored payload (httpx already undid them).
_TRANSFER_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection", "keep-alive"}


def is_warc_path(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz", ".arc.gz")):
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return head.startswith(b"WARC/")


class WarcArchive:
    """Appends response records to ``path`` (gzip per record when it ends in ``.gz``). Thread-safe;
    each record is written with one ``write`` so a killed process leaves at most one torn record
    at the end, which the reader reports and skips."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._gzip = self.path.name.endswith(".gz")
        self._lock = threading.Lock()
        if not self.path.exists() or self.path.stat().st_size == 0:
            buf = io.BytesIO()
            writer = WARCWriter(buf, gzip=self._gzip)
            writer.write_record(
                writer.create_warcinfo_record(
                    self.path.name, {"software": f"khabar/{__version__}", "format": "WARC File Format 1.1"}
                )
            )
            self._append(buf.getvalue())

    def _append(self, data: bytes) -> None:
        with self._lock, self.path.open("ab") as fh:
            fh.write(data)

    def add_response(
        self,
        url: str,
        status: int,
        reason: str,
        headers: Sequence[tuple[str, str]],
        body: bytes,
        fetched_at: str,
    ) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in _TRANSFER_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http_headers = StatusAndHeaders(f"{status} {reason or 'OK'}", kept, protocol="HTTP/1.1")
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=self._gzip)
        record = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http_headers,
            warc_headers_dict={"WARC-Date": fetched_at},
        )
        writer.write_record(record)
        self._append(buf.getvalue())


@dataclass(frozen=True, slots=True)
class WarcResponse:
    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    date: str | None
    offset: int


@dataclass(frozen=True, slots=True)
class WarcDamage:
    """The archive could not be read past ``offset``."""

    offset: int
    reason: str


def read_warc(path: Path) -> Iterator[WarcResponse | WarcDamage]:
    """HTTP responses (and ``resource`` records) in ``path``, in order. A damaged or truncated
    archive yields one :class:`WarcDamage` and stops."""
    offset = 0
    try:
        with path.open("rb") as fh:
            it = ArchiveIterator(fh, arc2warc=True)
            for record in it:
                if record.rec_type not in ("response", "resource"):
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                date = record.rec_headers.get_header("WARC-Date")
                if record.rec_type == "response" and record.http_headers is not None:
                    status = int(record.http_headers.get_statuscode() or 0)
                    headers = {k.lower(): v for k, v in record.http_headers.headers}
                else:
                    status = 200
                    headers = {"content-type": record.rec_headers.get_header("Content-Type") or ""}
                body = record.content_stream().read()
                missing = getattr(record.raw_stream, "limit", 0) or 0
                if missing > 0:  # the archive ends inside this record
                    yield WarcDamage(offset, f"truncated WARC: the record for {url} lacks {missing} bytes")
                    return
                offset = it.get_record_offset()  # after reading: asking earlier skips the content
                yield WarcResponse(url, status, headers, body, date, offset)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield WarcDamage(offset, f"damaged or truncated WARC after offset {offset}: {exc}".strip())
    except Exception as exc:  # zlib.error and warcio internals: still a damaged archive
        yield WarcDamage(offset, f"damaged or truncated WARC after offset {offset}: {type(exc).__name__}: {exc}")
