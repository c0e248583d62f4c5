"""From sources to stored articles: files and folders, WARC archives, OPML lists, feed and page
URLs. Fetching runs in worker threads; cleaning and every database write happen in the calling
thread (one writer), each article in its own transaction."""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from khabar.errors import InputError
from khabar.ingest.charset import decode_body
from khabar.ingest.feeds import ParsedFeed, is_opml, parse_feed, parse_opml
from khabar.ingest.fetch import FetchConfig, Fetcher, FetchResult
from khabar.ingest.warc import WarcArchive, WarcDamage, is_warc_path, read_warc
from khabar.model import Article, RawDocument
from khabar.store import Feed, Store, canonical_url

Cleaner = Callable[[RawDocument], Article]
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    fetch: FetchConfig = field(default_factory=FetchConfig)
    warc_path: Path | None = None  # append every fetched response here
    progress: bool = False  # show a tqdm bar (callers pass sys.stderr.isatty())
    skip_known: bool = False  # do not refetch pages whose URL is already stored (crawl)
    index: bool = True  # group stored articles into stories and keep the search index (SQLite or PostgreSQL)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _default_cleaner() -> Cleaner:
    from khabar.extract import clean_document

    return clean_document


def feed_date(iso: str) -> tuple[str, str | None]:
    """A feed entry's date (ISO UTC) in the form ``clean_document`` gives ``Article.published``,
    with its Jalali display form."""
    from khabar.text.dates import parse_date

    found = parse_date(iso)
    return (found.utc, found.jalali) if found else (iso, None)


class Ingestor:
    """Runs one ingest (or crawl round) into ``store``; ``stats`` counts what happened:
    ``new``, ``updated``, ``unchanged``, ``rejected``, ``not_modified``, ``skipped``."""

    def __init__(
        self,
        store: Store,
        options: IngestOptions | None = None,
        cleaner: Cleaner | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        """``fetcher``: reuse one across runs (a crawl does, so robots.txt and the per-host pace
        carry over between rounds); by default each run makes its own."""
        self.fetcher = fetcher
        self.store = store
        self.options = options or IngestOptions()
        self.clean = cleaner or _default_cleaner()
        self.stats: Counter[str] = Counter()
        self._bar: Any = None
        from khabar.pipeline import StoreIndexer

        self.indexer = StoreIndexer(store, enabled=self.options.index)

    # -- entry points ---------------------------------------------------------------------------
    def run(self, sources: Sequence[str]) -> Counter[str]:
        """Ingest every source (see ``khabar ingest --help``). Missing paths raise
        :class:`InputError` before anything is done."""
        urls: list[str] = []
        paths: list[Path] = []
        stdin = False
        for s in sources:
            if s == "-":
                stdin = True
            elif is_url(s):
                urls.append(s)
            else:
                p = Path(s)
                if not p.exists():
                    raise InputError(s, "no such file or folder")
                paths.append(p)
        with self._progress():
            files: list[str] = ["-"] if stdin else []
            for p in paths:
                for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
                    if f.is_dir() or f.name.startswith("."):
                        continue
                    if is_warc_path(f):
                        self._replay_warc(f)
                    elif f.suffix.lower() == ".opml" or self._sniff_opml(f):
                        urls.extend(self._opml_feeds(f))
                    else:
                        files.append(str(f))
            if files:
                self._read_files(files)
            if urls:
                self._crawl([(u, None, None) for u in urls])
        return self.stats

    def poll(self, feeds: Sequence[Feed]) -> Counter[str]:
        """One crawl round: fetch each registered feed with its ETag / Last-Modified, record the
        answer, and ingest its new entries."""
        with self._progress():
            self._crawl([(f.url, None, f) for f in feeds])
        return self.stats

    # -- progress -------------------------------------------------------------------------------
    def _progress(self) -> _Progress:
        return _Progress(self)

    def _tick(self) -> None:
        if self._bar is not None:
            self._bar.update(1)
            self._bar.set_postfix(
                new=self.stats["new"], upd=self.stats["updated"], rej=self.stats["rejected"], refresh=False
            )

    # -- documents ------------------------------------------------------------------------------
    def _reject(self, source: str, reason: str, raw: bytes | str = b"", url: str | None = None) -> None:
        self.store.add_reject(source, reason, raw, url=url)
        self.stats["rejected"] += 1
        self._tick()

    def document(self, raw: RawDocument, feed_published: str | None = None) -> None:
        """Clean ``raw`` and store it, or keep it in rejects with the reason."""
        try:
            article = self.clean(raw)
        except Exception as exc:  # a bug or an input the cleaner chokes on: keep the input
            self._reject(raw.source, f"cleaning failed: {type(exc).__name__}: {exc}", raw.data, raw.url)
            return
        if article.error:
            self._reject(raw.source, article.error, raw.data, raw.url)
            return
        if article.url is None and raw.url:
            article = replace(article, url=raw.url)
        if feed_published and not article.published:
            utc, jalali = feed_date(feed_published)
            article = replace(article, published=utc, published_jalali=jalali)
        result = self.store.upsert_article(article, raw=raw, fetched_at=raw.fetched_at)
        self.indexer.stored(result.id, article, result.status)
        self.stats[result.status] += 1
        self._tick()

    def _read_files(self, files: list[str]) -> None:
        from khabar.extract import read_sources

        for item in read_sources(files):
            if isinstance(item, InputError):
                self._reject(item.source, item.reason)
            else:
                self.document(item)

    def _sniff_opml(self, path: Path) -> bool:
        if path.suffix.lower() not in (".xml", ""):
            return False
        try:
            with path.open("rb") as fh:
                return is_opml(fh.read(1024))
        except OSError:
            return False

    def _opml_feeds(self, path: Path) -> list[str]:
        try:
            return [url for url, _ in parse_opml(path.read_bytes(), str(path))]
        except (ValueError, OSError) as exc:
            raise InputError(str(path), str(exc).removeprefix(f"{path}: ")) from exc

    # -- WARC replay ----------------------------------------------------------------------------
    def _replay_warc(self, path: Path) -> None:
        feed_dates: dict[str, str] = {}
        for item in read_warc(path):
            if isinstance(item, WarcDamage):
                self._reject(f"{path}@{item.offset}", item.reason)
                return
            if urlsplit(item.url).path == "/robots.txt" or not 200 <= item.status < 300:
                self.stats["skipped"] += 1
                continue
            source = f"{path}#{item.url or item.offset}"
            ctype = item.headers.get("content-type", "")
            feed = parse_feed(item.body, item.url, ctype) if not _is_html(ctype, item.body) else None
            if feed is not None:
                for e in feed.entries:
                    key = canonical_url(e.link)
                    if key and e.published:
                        feed_dates[key] = e.published
                self.stats["feeds"] += 1
                continue
            raw = self._raw_from_response(source, item.url, ctype, item.headers, item.body, item.date)
            if raw is None:
                continue
            self.document(raw, feed_dates.get(canonical_url(item.url) or ""))

    def _raw_from_response(
        self, source: str, url: str | None, ctype: str, headers: dict[str, str], body: bytes, date: str | None
    ) -> RawDocument | None:
        if not body.strip():
            self._reject(source, "empty response body", body, url)
            return None
        if ctype and not any(t in ctype.lower() for t in _HTML_TYPES) and not _is_html(ctype, body):
            self._reject(source, f"not an article page or feed (Content-Type {ctype.split(';')[0]})", body, url)
            return None
        try:
            text, _encoding = decode_body(body, ctype)
        except ValueError as exc:
            self._reject(source, str(exc), body, url)
            return None
        kind = "text" if ctype.lower().startswith("text/plain") else "html"
        fetched_at = _warc_date(date)
        return RawDocument(source=source, data=text, url=url, kind=kind, headers=dict(headers), fetched_at=fetched_at)

    # -- fetching -------------------------------------------------------------------------------
    def _crawl(self, start: Iterable[tuple[str, str | None, Feed | None]]) -> None:
        """Fetch URLs; feeds found add their entries to the work list. ``start`` holds
        ``(url, feed date of the entry, registered feed or None)``."""
        own = self.fetcher is None
        if self.fetcher is None:
            warc = WarcArchive(self.options.warc_path) if self.options.warc_path else None
            fetcher = Fetcher(self.options.fetch, warc)
        else:
            fetcher = self.fetcher
        try:
            self._fetch_all(fetcher, start)
        finally:
            if own:
                fetcher.close()

    def _fetch_all(self, fetcher: Fetcher, start: Iterable[tuple[str, str | None, Feed | None]]) -> None:
        seen: set[str] = set()
        with ThreadPoolExecutor(
            max_workers=max(1, self.options.fetch.concurrency), thread_name_prefix="khabar-fetch"
        ) as pool:
            pending: dict[Future[FetchResult], tuple[str, str | None, Feed | None]] = {}

            def submit(url: str, hint: str | None, feed: Feed | None) -> None:
                key = canonical_url(url) or url
                if key in seen:
                    return
                seen.add(key)
                if feed is None and self.options.skip_known and self.store.has_url(url):
                    self.stats["skipped"] += 1
                    return
                if feed is not None:
                    fut = pool.submit(fetcher.fetch, url, etag=feed.etag, last_modified=feed.last_modified)
                else:
                    fut = pool.submit(fetcher.fetch, url)
                pending[fut] = (url, hint, feed)

            for url, hint, feed in start:
                submit(url, hint, feed)
            while pending:
                done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                for fut in done:
                    url, hint, feed = pending.pop(fut)
                    parsed = self._handle(fut.result(), hint, feed)
                    if parsed is not None:
                        for e in parsed.entries:
                            submit(e.link, e.published, None)

    def _handle(self, result: FetchResult, hint: str | None, feed: Feed | None) -> ParsedFeed | None:
        url = result.url
        if feed is not None:
            self.store.update_feed(
                feed.url,
                status=result.status if result.error is None else (result.status or None),
                etag=result.headers.get("etag"),
                last_modified=result.headers.get("last-modified"),
                error=result.error,
            )
        if result.status == 304 and result.error is None:
            self.stats["not_modified"] += 1
            return None
        if not result.ok:
            reason = result.error or f"HTTP {result.status}"
            if result.attempts > 1:
                reason = f"{reason} (after {result.attempts} attempts)"
            self._reject(url, reason, result.body, url)
            return None
        ctype = result.content_type
        parsed = None if _is_html(ctype, result.body) else parse_feed(result.body, result.final_url, ctype)
        if parsed is not None:
            self.stats["feeds"] += 1
            if feed is not None and parsed.title and not feed.title:
                self.store.update_feed(
                    feed.url,
                    status=200,
                    etag=result.headers.get("etag"),
                    last_modified=result.headers.get("last-modified"),
                    title=parsed.title,
                )
            return parsed
        raw = self._raw_from_response(url, result.final_url, ctype, dict(result.headers), result.body, None)
        if raw is not None:
            raw = replace(raw, fetched_at=result.fetched_at)
            self.document(raw, hint)
        return None


def _is_html(ctype: str, body: bytes) -> bool:
    if "html" in ctype.lower():
        return True
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _warc_date(value: str | None) -> str | None:
    if not value:
        return None
    # WARC-Date is ISO 8601 UTC, sometimes with fractions: keep seconds precision like the store.
    return value[:19] + "Z" if len(value) >= 19 else value


class _Progress:
    def __init__(self, owner: Ingestor) -> None:
        self.owner = owner

    def __enter__(self) -> None:
        if self.owner.options.progress and self.owner._bar is None:
            from tqdm import tqdm

            self.owner._bar = tqdm(desc="ingest", unit="doc", file=sys.stderr, dynamic_ncols=True)
        self._started = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        if self.owner._bar is not None:
            self.owner._bar.close()
            self.owner._bar = None
