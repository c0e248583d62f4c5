"""``SearchIndex``: BM25 search over SQLite FTS5, living in a connection the caller owns.

``open_search(conn_or_store)`` picks it, or ``PostgresSearchIndex`` (``search/pg.py``) on PostgreSQL."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from khabar.errors import InputError
from khabar.search.analyze import analyze
from khabar.search.query import ParsedQuery, parse_query
from khabar.search.schema import ensure_schema
from khabar.search.snippet import highlight, snippet

DocId = int | str
# BM25 weights of the title, lead and body columns.
WEIGHTS = (4.0, 2.0, 1.0)
MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One article as search sees it. ``published`` is ISO 8601 (a date alone is midnight UTC)."""

    id: DocId
    url: str | None = None
    title: str = ""
    lead: str = ""
    body: str = ""
    site: str | None = None
    published: str | None = None
    story_id: DocId | None = None


@dataclass(frozen=True, slots=True)
class PreparedDoc:
    """A ``SearchDoc`` with its analyzed fields and normalized date: the output of ``prepare``.

    Analysis is the costly part of indexing and is pure, so it can run in worker processes."""

    doc: SearchDoc
    published: str | None
    title_terms: str
    lead_terms: str
    body_terms: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: DocId
    url: str | None
    title: str
    title_html: str  # escaped title with matched words in <mark>
    snippet: str  # escaped passage of lead/body with matched words in <mark>
    story_id: DocId | None
    site: str | None
    published: str | None
    score: float  # higher is better: BM25 on SQLite, ts_rank_cd on PostgreSQL

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "title_html": self.title_html,
            "snippet": self.snippet,
            "story_id": self.story_id,
            "site": self.site,
            "published": self.published,
            "score": round(self.score, 6),
        }


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """Hits of one page that belong to one story, best first. A hit with no story is its own group."""

    story_id: DocId | None
    hits: tuple[SearchHit, ...]

    @property
    def score(self) -> float:
        return self.hits[0].score

    def to_dict(self) -> dict[str, Any]:
        return {"story_id": self.story_id, "score": round(self.score, 6), "ids": [h.id for h in self.hits]}


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    parsed: ParsedQuery
    total: int  # matching documents, before limit/offset
    hits: tuple[SearchHit, ...]
    limit: int
    offset: int

    def grouped_by_story(self) -> tuple[StoryGroup, ...]:
        """This page's hits grouped by story, groups ordered by their best hit."""
        order: list[Any] = []
        groups: dict[Any, list[SearchHit]] = {}
        for hit in self.hits:
            key = ("story", hit.story_id) if hit.story_id is not None else ("doc", hit.id)
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(hit)
        return tuple(StoryGroup(groups[k][0].story_id, tuple(groups[k])) for k in order)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "truncated_query": self.parsed.truncated,
            "results": [h.to_dict() for h in self.hits],
            "stories": [g.to_dict() for g in self.grouped_by_story()],
        }


def parse_time(value: str, source: str, *, end_of_day: bool = False) -> str:
    """Parse ISO 8601 ``value`` to the canonical UTC form stored and compared by the index.

    A date alone means midnight UTC, or the end of that day when ``end_of_day``; a time without an
    offset is taken as UTC. Raises ``InputError(source, reason)`` on anything else."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not text:
        raise InputError(source, f"not an ISO 8601 date: {value!r}")
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            if end_of_day:
                moment += timedelta(days=1, microseconds=-1)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(source, f"not an ISO 8601 date: {value!r} ({exc})") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def prepare(doc: SearchDoc) -> PreparedDoc:
    """Analyze a document for indexing. Raises ``InputError`` naming the document when unusable."""
    source = f"search document {doc.id!r}"
    if not isinstance(doc.id, int | str) or isinstance(doc.id, bool) or doc.id == "":
        raise InputError(source, "id must be a non-empty string or an integer")
    for name in ("title", "lead", "body"):
        value = getattr(doc, name)
        if not isinstance(value, str):
            raise InputError(source, f"{name} must be a string")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InputError(source, f"{name} is not valid Unicode text ({exc.reason} at {exc.start})") from None
    if not (doc.title.strip() or doc.lead.strip() or doc.body.strip()):
        raise InputError(source, "no text: title, lead and body are all empty")
    published = parse_time(doc.published, source + " published") if doc.published else None
    return PreparedDoc(
        doc,
        published,
        " ".join(analyze(doc.title)),
        " ".join(analyze(doc.lead)),
        " ".join(analyze(doc.body)),
    )


class SearchIndex:
    """Persian-aware BM25 search stored in ``search_*`` tables of ``conn``.

    Writes run in ``with conn:`` blocks, so each ``add``/``add_many``/``remove`` call commits."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        if not isinstance(conn, sqlite3.Connection):
            raise TypeError(
                f"SearchIndex takes a sqlite3 connection, not a {type(conn).__name__};"
                " use khabar.search.open_search(conn_or_store) for either database"
            )
        self.conn = conn
        with conn:
            ensure_schema(conn)

    @classmethod
    def for_store(cls, store: Any) -> SearchIndex:
        """The search index in ``store``'s database, SQLite or PostgreSQL (see ``open_search``)."""
        return open_search(store)

    # --- writing -------------------------------------------------------------------------------
    def add(self, doc: SearchDoc) -> None:
        """Add ``doc``, or replace the document with the same id."""
        self.add_prepared([prepare(doc)])

    def add_many(self, docs: Iterable[SearchDoc]) -> int:
        """Add or replace many documents in one transaction; returns how many."""
        return self.add_prepared(prepare(d) for d in docs)

    def add_prepared(self, prepared: Iterable[PreparedDoc]) -> int:
        """Store documents analyzed by ``prepare`` (possibly elsewhere); returns how many."""
        n = 0
        with self.conn:
            cur = self.conn.cursor()
            for p in prepared:
                d = p.doc
                self._delete(cur, d.id)
                cur.execute(
                    "INSERT INTO search_docs(doc_id, url, title, lead, body, site, published, story_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (d.id, d.url, d.title, d.lead, d.body, d.site, p.published, d.story_id),
                )
                cur.execute(
                    "INSERT INTO search_fts(rowid, title, lead, body) VALUES (?, ?, ?, ?)",
                    (cur.lastrowid, p.title_terms, p.lead_terms, p.body_terms),
                )
                n += 1
        return n

    def remove(self, doc_id: DocId) -> bool:
        """Remove a document; returns False when there was none with that id."""
        with self.conn:
            return self._delete(self.conn.cursor(), doc_id)

    @staticmethod
    def _delete(cur: sqlite3.Cursor, doc_id: DocId) -> bool:
        row = cur.execute("SELECT rid FROM search_docs WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return False
        cur.execute("DELETE FROM search_fts WHERE rowid = ?", (row[0],))
        cur.execute("DELETE FROM search_docs WHERE rid = ?", (row[0],))
        return True

    def __len__(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM search_docs").fetchone()[0])

    def __contains__(self, doc_id: DocId) -> bool:
        return self.conn.execute("SELECT 1 FROM search_docs WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def reindex(self) -> int:
        """Re-analyze every stored document (after the analyzer or normalizer changed)."""
        rows = self.conn.execute(
            "SELECT doc_id, url, title, lead, body, site, published, story_id FROM search_docs ORDER BY rid"
        ).fetchall()
        return self.add_many(SearchDoc(*row) for row in rows)

    # --- searching -----------------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        site: str | Sequence[str] | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> SearchResults:
        """BM25 search. Any query string is safe: one with nothing searchable gives no results.

        ``site`` is one outlet name or several (spellings of one outlet): documents of any match.
        ``since``/``until`` are ISO 8601 bounds on ``published``, inclusive (a date alone covers
        the whole day); documents with no date are left out when either is given. Bad filter
        values raise ``InputError``."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
            raise InputError("limit", f"must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")
        if not isinstance(offset, int) or offset < 0:
            raise InputError("offset", f"must be a non-negative integer, got {offset!r}")
        where, params = self._filters(site, since, until)
        parsed = parse_query(query if isinstance(query, str) else "")
        if parsed.empty:
            return SearchResults(query, parsed, 0, (), limit, offset)
        found = self._run(parsed, where, params, limit, offset)
        if found is None:
            return SearchResults(query, parsed, 0, (), limit, offset)
        total, rows = found
        marks = parsed.highlight
        hits = tuple(self._hit(row, marks) for row in rows)
        return SearchResults(query, parsed, int(total), hits, limit, offset)

    def _run(
        self, parsed: ParsedQuery, where: str, params: list[Any], limit: int, offset: int
    ) -> tuple[int, list[tuple[Any, ...]]] | None:
        """(total, rows of one page) for a non-empty query, or None when the engine refused it.
        Rows are (doc_id, url, title, lead, body, story_id, site, published, score), best first."""
        match = parsed.fts5()
        w1, w2, w3 = WEIGHTS
        base = " FROM search_fts JOIN search_docs d ON d.rid = search_fts.rowid WHERE search_fts MATCH ?"
        try:
            total = self.conn.execute("SELECT count(*)" + base + where, [match, *params]).fetchone()[0]
            rows = self.conn.execute(
                "SELECT d.doc_id, d.url, d.title, d.lead, d.body, d.story_id, d.site, d.published,"
                f" -bm25(search_fts, {w1}, {w2}, {w3}) AS score"
                + base
                + where
                + " ORDER BY score DESC LIMIT ? OFFSET ?",
                [match, *params, limit, offset],
            ).fetchall()
        except sqlite3.OperationalError:
            # Terms are always quoted, so this is not expected; a query must never crash a page.
            return None
        return int(total), rows

    @staticmethod
    def _filters(site: str | Sequence[str] | None, since: str | None, until: str | None) -> tuple[str, list[Any]]:
        where = ""
        params: list[Any] = []
        if isinstance(site, str):
            where += " AND d.site = ?"
            params.append(site)
        elif site is not None:  # any of several spellings of one outlet
            names = list(site)
            where += " AND d.site IN (" + ", ".join("?" * len(names)) + ")" if names else " AND 1 = 0"
            params.extend(names)
        if since:
            where += " AND d.published >= ?"
            params.append(parse_time(since, "since"))
        if until:
            where += " AND d.published <= ?"
            params.append(parse_time(until, "until", end_of_day=True))
        return where, params

    @staticmethod
    def _hit(row: tuple[Any, ...], marks: frozenset[str]) -> SearchHit:
        doc_id, url, title, lead, body, story_id, site, published, score = row
        passage = "\n\n".join(p for p in (lead, body) if p) or title
        return SearchHit(
            id=doc_id,
            url=url,
            title=title,
            title_html=highlight(title, marks),
            snippet=snippet(passage, marks),
            story_id=story_id,
            site=site,
            published=published,
            score=float(score),
        )

    def iter_ids(self) -> Iterator[DocId]:
        for (doc_id,) in self.conn.execute("SELECT doc_id FROM search_docs ORDER BY rid"):
            yield doc_id


def open_search(conn_or_store: Any) -> SearchIndex:
    """The search index of a database, whichever it is: ``conn_or_store`` is a khabar ``Store``, a
    ``sqlite3.Connection`` (gives a ``SearchIndex``) or a ``psycopg.Connection`` (gives a
    ``PostgresSearchIndex``, a subclass with the same API). Creates the ``search_*`` tables if
    they are missing."""
    conn = getattr(conn_or_store, "connection", conn_or_store)
    if isinstance(conn, sqlite3.Connection):
        return SearchIndex(conn)
    psycopg = sys.modules.get("psycopg")  # a psycopg connection means psycopg is imported
    if psycopg is not None and isinstance(conn, psycopg.Connection):
        from khabar.search.pg import PostgresSearchIndex

        return PostgresSearchIndex(conn)
    raise TypeError(f"search needs a khabar Store, a sqlite3 or a psycopg connection, not a {type(conn).__name__}")
