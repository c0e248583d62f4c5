"""The article store: SQLite (standard ``sqlite3``, WAL) or PostgreSQL (``psycopg`` 3).

SQL is written once with ``?`` placeholders; the PostgreSQL connection rewrites them to ``%s``.
Every write is one transaction, so a process killed at any moment leaves either the whole
article or none of it, and the ``UNIQUE`` key on ``url_key`` makes a second copy impossible.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from khabar.errors import KhabarError
from khabar.model import Article, RawDocument
from khabar.store.keys import canonical_url, content_hash, site_of
from khabar.store.schema import CORE_MIGRATIONS, Step

DEFAULT_DB = "khabar.db"
Status = Literal["new", "unchanged", "updated"]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class UpsertResult:
    id: int
    status: Status
    version: int


@dataclass(frozen=True, slots=True)
class Reject:
    id: int
    source: str
    url: str | None
    reason: str
    raw: bytes
    attempts: int
    first_seen: str
    last_seen: str
    resolved_at: str | None


@dataclass(frozen=True, slots=True)
class Feed:
    id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: str
    last_checked: str | None
    last_status: int | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """An article as the store holds it (the latest version)."""

    id: int
    url: str | None
    site: str | None
    title: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    published: str | None
    published_jalali: str | None
    attributions: tuple[str, ...]
    photo_credits: tuple[str, ...]
    language: str | None
    story_id: str | None
    signals: Mapping[str, Any]
    source: str
    author: str | None
    content_hash: str
    version: int
    first_seen: str
    fetched_at: str
    updated_at: str

    def export_dict(self) -> dict[str, Any]:
        """The fields ``khabar export`` writes, in its order."""
        return {
            "id": self.id,
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "lead": self.lead,
            "paragraphs": list(self.paragraphs),
            "published": self.published,
            "published_jalali": self.published_jalali,
            "attributions": list(self.attributions),
            "photo_credits": list(self.photo_credits),
            "language": self.language,
            "story_id": self.story_id,
            "signals": dict(self.signals),
        }


@dataclass(frozen=True, slots=True)
class ArticleVersion:
    article_id: int
    version: int
    content_hash: str
    article: Mapping[str, Any]
    raw: bytes | None
    fetched_at: str
    stored_at: str


_ARTICLE_COLUMNS = (
    "id, url, site, title, lead, paragraphs, published, published_jalali, attributions, "
    "photo_credits, language, story_id, signals, source, author, content_hash, version, "
    "first_seen, fetched_at, updated_at"
)


def _row_article(r: Sequence[Any]) -> StoredArticle:
    return StoredArticle(
        id=int(r[0]),
        url=r[1],
        site=r[2],
        title=r[3],
        lead=r[4],
        paragraphs=tuple(json.loads(r[5])),
        published=r[6],
        published_jalali=r[7],
        attributions=tuple(json.loads(r[8])),
        photo_credits=tuple(json.loads(r[9])),
        language=r[10],
        story_id=r[11],
        signals=json.loads(r[12]),
        source=r[13],
        author=r[14],
        content_hash=r[15],
        version=int(r[16]),
        first_seen=r[17],
        fetched_at=r[18],
        updated_at=r[19],
    )


def _raw_bytes(raw: RawDocument) -> bytes:
    return raw.data if isinstance(raw.data, bytes) else raw.data.encode("utf-8")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class Store:
    """One open database. Not shared between threads: open one per thread or process."""

    def __init__(self, conn: Any, dialect: Literal["sqlite", "postgresql"], location: str) -> None:
        self._conn = conn
        self.dialect = dialect
        self.location = location
        self._depth = 0
        self.register_migrations("core", CORE_MIGRATIONS)

    # -- plumbing -------------------------------------------------------------------------------
    @property
    def connection(self) -> Any:
        """The DB-API connection (``sqlite3.Connection`` or ``psycopg.Connection``), in autocommit
        mode: use :meth:`transaction` around writes that belong together."""
        return self._conn

    def sql(self, query: str) -> str:
        """``query`` with ``?`` placeholders turned into this dialect's."""
        return query.replace("?", "%s") if self.dialect == "postgresql" else query

    def execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        """Run ``query`` (``?`` placeholders) and return the cursor."""
        return self._conn.execute(self.sql(query), tuple(params))

    def _one(self, query: str, params: Sequence[Any] = ()) -> Any:
        return self.execute(query, params).fetchone()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: all or nothing. Nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._depth = 1
        try:
            if self.dialect == "sqlite":
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            else:
                with self._conn.transaction():
                    yield
        finally:
            self._depth = 0

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- migrations -----------------------------------------------------------------------------
    def register_migrations(self, area: str, steps: Sequence[Step]) -> int:
        """Apply the steps of ``area`` not applied yet, in order, each recorded in ``schema_version``
        as ``(area, number)`` (numbers start at 1). Returns how many were applied now. Areas other
        than ``core`` should name their tables ``<area>_*``."""
        self.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " area TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,"
            " PRIMARY KEY (area, version))"
        )
        applied = 0
        with self.transaction():
            if self.dialect == "postgresql":
                self.execute("SELECT pg_advisory_xact_lock(?)", (7_031_977,))
            row = self._one("SELECT MAX(version) FROM schema_version WHERE area = ?", (area,))
            current = int(row[0] or 0)
            if current > len(steps):
                raise KhabarError(
                    f"{self.location}: the database's {area!r} schema is version {current}, "
                    f"newer than this khabar knows ({len(steps)}); upgrade khabar"
                )
            for number, step in enumerate(steps[current:], start=current + 1):
                query = step if isinstance(step, str) else step[self.dialect]
                self.execute(query)
                self.execute(
                    "INSERT INTO schema_version (area, version, applied_at) VALUES (?, ?, ?)",
                    (area, number, utc_now()),
                )
                applied += 1
        return applied

    def schema_versions(self) -> dict[str, int]:
        rows = self.execute("SELECT area, MAX(version) FROM schema_version GROUP BY area").fetchall()
        return {r[0]: int(r[1]) for r in rows}

    # -- articles -------------------------------------------------------------------------------
    def url_key(self, article: Article, raw: RawDocument | None = None) -> str:
        """The identity of ``article``: its canonical URL, or ``sha256:<content hash>`` without one."""
        url = canonical_url(article.url) or canonical_url(raw.url if raw else None)
        return url or f"sha256:{content_hash(article)}"

    def upsert_article(self, article: Article, *, raw: RawDocument, fetched_at: str | None = None) -> UpsertResult:
        """Store ``article`` (cleaned from ``raw``).

        * a URL (or, without a URL, content) never seen before -> ``new``;
        * the same content as the stored version or as any earlier one -> ``unchanged``;
        * different content fetched later than the stored version -> ``updated``: the row takes
          the new content and the old one stays in ``article_versions``;
        * different content fetched *earlier* (replaying an old archive) -> kept in the history
          only, reported as ``unchanged``.

        A successful store resolves open rejects of the same source or URL.
        """
        if article.error:
            raise ValueError(f"{article.source}: cannot store an article that failed cleaning")
        key = self.url_key(article, raw)
        url = key if not key.startswith("sha256:") else (article.url or raw.url)
        digest = content_hash(article)
        when = fetched_at or raw.fetched_at or utc_now()
        now = utc_now()
        site = article.site or site_of(url)
        values = {
            "url": url,
            "source": article.source,
            "site": site,
            "title": article.title,
            "lead": article.lead,
            "paragraphs": _json(list(article.paragraphs)),
            "published": article.published,
            "published_jalali": article.published_jalali,
            "attributions": _json(list(article.attributions)),
            "photo_credits": _json(list(article.photo_credits)),
            "language": article.language,
            "signals": _json(dict(article.signals)),
            "author": article.author,
        }
        snapshot = _json(replace(article, url=url, site=site).to_dict())
        raw_z = zlib.compress(_raw_bytes(raw), 6)
        with self.transaction():
            row = self._one("SELECT id, content_hash, version, fetched_at FROM articles WHERE url_key = ?", (key,))
            if row is None:
                cols = ", ".join(values)
                marks = ", ".join("?" * len(values))
                got = self._one(
                    f"INSERT INTO articles (url_key, {cols}, content_hash, version, first_seen, fetched_at,"
                    f" updated_at) VALUES (?, {marks}, ?, 1, ?, ?, ?)"
                    " ON CONFLICT (url_key) DO NOTHING RETURNING id",
                    (key, *values.values(), digest, now, when, now),
                )
                if got is not None:
                    article_id = int(got[0])
                    self._add_version(article_id, 1, digest, snapshot, raw_z, when, now)
                    self._resolve(article.source, url, now)
                    return UpsertResult(article_id, "new", 1)
                # Another writer stored it between our SELECT and INSERT (PostgreSQL): fall through.
                row = self._one("SELECT id, content_hash, version, fetched_at FROM articles WHERE url_key = ?", (key,))
            article_id, stored_hash, version, stored_at = int(row[0]), row[1], int(row[2]), row[3]
            self._resolve(article.source, url, now)
            if stored_hash == digest:
                return UpsertResult(article_id, "unchanged", version)
            seen = self._one(
                "SELECT version FROM article_versions WHERE article_id = ? AND content_hash = ?",
                (article_id, digest),
            )
            if seen is not None:
                return UpsertResult(article_id, "unchanged", version)
            if when < stored_at:
                older = self._one("SELECT MIN(version) FROM article_versions WHERE article_id = ?", (article_id,))
                self._add_version(article_id, int(older[0] or 1) - 1, digest, snapshot, raw_z, when, now)
                return UpsertResult(article_id, "unchanged", version)
            sets = ", ".join(f"{c} = ?" for c in values)
            self.execute(
                f"UPDATE articles SET {sets}, content_hash = ?, version = ?, fetched_at = ?, updated_at = ?"
                " WHERE id = ?",
                (*values.values(), digest, version + 1, when, now, article_id),
            )
            self._add_version(article_id, version + 1, digest, snapshot, raw_z, when, now)
            return UpsertResult(article_id, "updated", version + 1)

    def _add_version(
        self, article_id: int, version: int, digest: str, snapshot: str, raw_z: bytes, when: str, now: str
    ) -> None:
        self.execute(
            "INSERT INTO article_versions (article_id, version, content_hash, article_json, raw_zlib,"
            " fetched_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, version, digest, snapshot, raw_z, when, now),
        )

    def get_article(self, article_id: int) -> StoredArticle | None:
        row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return _row_article(row) if row else None

    def find_article(self, url: str) -> StoredArticle | None:
        """The article stored under the canonical form of ``url``, if any."""
        key = canonical_url(url)
        if key is None:
            return None
        row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE url_key = ?", (key,))
        return _row_article(row) if row else None

    def has_url(self, url: str) -> bool:
        key = canonical_url(url)
        return key is not None and self._one("SELECT 1 FROM articles WHERE url_key = ?", (key,)) is not None

    def iter_articles(self, *, batch: int = 500) -> Iterator[StoredArticle]:
        """All articles in id order, read in batches (safe to write to other tables meanwhile)."""
        last = 0
        while True:
            rows = self.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for r in rows:
                yield _row_article(r)
            last = int(rows[-1][0])

    def count_articles(self) -> int:
        return int(self._one("SELECT COUNT(*) FROM articles")[0])

    def history(self, article_id: int) -> list[ArticleVersion]:
        """Every version of the article, oldest first."""
        rows = self.execute(
            "SELECT article_id, version, content_hash, article_json, raw_zlib, fetched_at, stored_at"
            " FROM article_versions WHERE article_id = ? ORDER BY version",
            (article_id,),
        ).fetchall()
        return [
            ArticleVersion(
                int(r[0]),
                int(r[1]),
                r[2],
                json.loads(r[3]),
                zlib.decompress(bytes(r[4])) if r[4] else None,
                r[5],
                r[6],
            )
            for r in rows
        ]

    def set_story(self, article_id: int, story_id: str | None) -> None:
        with self.transaction():
            self.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))

    # -- rejects --------------------------------------------------------------------------------
    def add_reject(self, source: str, reason: str, raw_bytes: bytes | str = b"", *, url: str | None = None) -> int:
        """Keep a document that failed, with why. The same source and input failing again updates
        the reason and counts the attempt instead of adding a row."""
        raw = raw_bytes.encode("utf-8") if isinstance(raw_bytes, str) else bytes(raw_bytes)
        sha = hashlib.sha256(raw).hexdigest()
        now = utc_now()
        key_url = canonical_url(url) or url
        with self.transaction():
            row = self._one(
                "INSERT INTO rejects (source, url, reason, raw, raw_sha256, attempts, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, 1, ?, ?)"
                " ON CONFLICT (source, raw_sha256) DO UPDATE SET reason = excluded.reason,"
                " attempts = rejects.attempts + 1, last_seen = excluded.last_seen, resolved_at = NULL"
                " RETURNING id",
                (source, key_url, reason, raw, sha, now, now),
            )
        return int(row[0])

    def _resolve(self, source: str, url: str | None, now: str) -> None:
        self.execute(
            "UPDATE rejects SET resolved_at = ? WHERE resolved_at IS NULL AND (source = ? OR url = ?)",
            (now, source, url or ""),
        )

    def rejects(self, *, include_resolved: bool = False) -> list[Reject]:
        """Documents that failed and have not been stored since (all of them with ``include_resolved``)."""
        where = "" if include_resolved else " WHERE resolved_at IS NULL"
        rows = self.execute(
            "SELECT id, source, url, reason, raw, attempts, first_seen, last_seen, resolved_at FROM rejects"
            f"{where} ORDER BY id"
        ).fetchall()
        return [Reject(int(r[0]), r[1], r[2], r[3], bytes(r[4]), int(r[5]), r[6], r[7], r[8]) for r in rows]

    # -- feeds ----------------------------------------------------------------------------------
    def add_feed(self, url: str, title: str | None = None) -> bool:
        """Register a feed; False when it was already registered."""
        with self.transaction():
            row = self._one(
                "INSERT INTO feeds (url, title, added_at) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id",
                (url, title, utc_now()),
            )
        return row is not None

    def remove_feed(self, url: str) -> bool:
        with self.transaction():
            cur = self.execute("DELETE FROM feeds WHERE url = ?", (url,))
        return bool(cur.rowcount)

    def feeds(self) -> list[Feed]:
        rows = self.execute(
            "SELECT id, url, title, etag, last_modified, added_at, last_checked, last_status, last_error"
            " FROM feeds ORDER BY id"
        ).fetchall()
        return [Feed(int(r[0]), *r[1:7], None if r[7] is None else int(r[7]), r[8]) for r in rows]

    def get_feed(self, url: str) -> Feed | None:
        return next((f for f in self.feeds() if f.url == url), None)

    def update_feed(
        self,
        url: str,
        *,
        status: int | None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
        title: str | None = None,
    ) -> None:
        """Record a poll of ``url``. ETag/Last-Modified are only replaced when the poll got a 200
        (a 304 keeps the validators that earned it; an error keeps them for next time)."""
        now = utc_now()
        with self.transaction():
            if status == 200:
                self.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ?, last_checked = ?, last_status = ?,"
                    " last_error = NULL, title = COALESCE(?, title) WHERE url = ?",
                    (etag, last_modified, now, status, title, url),
                )
            else:
                self.execute(
                    "UPDATE feeds SET last_checked = ?, last_status = ?, last_error = ? WHERE url = ?",
                    (now, status, error, url),
                )


def default_location() -> str:
    return os.environ.get("KHABAR_DB") or DEFAULT_DB


def open_store(url_or_path: str | None = None) -> Store:
    """Open (creating and migrating as needed) the store at ``url_or_path``: a SQLite file path,
    ``sqlite:///path``, or ``postgresql://...``. ``None`` means ``$KHABAR_DB`` or ``./khabar.db``."""
    location = url_or_path or default_location()
    if location.startswith(("postgresql://", "postgres://")):
        try:
            import psycopg
        except ImportError as exc:
            raise KhabarError(
                f"{location}: PostgreSQL needs psycopg; install it with pip install 'khabar[postgres]'"
            ) from exc
        try:
            conn = psycopg.connect(location, autocommit=True)
        except psycopg.Error as exc:
            raise KhabarError(f"{location}: cannot connect: {str(exc).strip().splitlines()[0]}") from exc
        return Store(conn, "postgresql", location)
    path = location.removeprefix("sqlite:///") if location.startswith("sqlite:///") else location
    if path != ":memory:":
        parent = Path(path).parent
        if not parent.is_dir():
            raise KhabarError(f"{path}: folder {parent} does not exist")
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=30000")
    except sqlite3.DatabaseError as exc:
        raise KhabarError(f"{path}: not a usable SQLite database: {exc}") from exc
    return Store(conn, "sqlite", path)
