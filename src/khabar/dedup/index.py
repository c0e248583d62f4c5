"""``StoryIndex``: incremental grouping of articles into stories.

One call per article, ``assign(record)``, answers which story it belongs to and which earlier
record it copies. Matching:

1. exact: a hash of the matching text (boilerplate edges cut, aggressively normalized);
2. near: MinHash LSH over character k-grams finds candidates; each candidate is verified by the
   estimated *containment* (the share of the shorter text found in the other), so excerpts and
   light rewrites join their story while articles that only share a sentence or a footer do not.

The index is incremental (each article touches only its own LSH buckets) and, given a
``sqlite3.Connection`` or a ``psycopg.Connection`` (PostgreSQL), persists in ``dedup_*`` tables
of that database.
"""

from __future__ import annotations

import itertools
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from khabar.dedup.attribution import canonical_outlet, outlet_of, split_boilerplate
from khabar.dedup.backend import DocRow, MemoryBackend, PostgresBackend, SQLiteBackend
from khabar.dedup.signature import (
    DEFAULT_PARAMS,
    Params,
    band_keys,
    containment,
    exact_key,
    jaccard,
    matching_text,
    signatures,
)
from khabar.errors import InputError
from khabar.model import Article

FORMAT_VERSION = "1"


@dataclass(frozen=True, slots=True)
class DedupRecord:
    """An article as the dedup step sees it. ``attributions`` are outlet names it cites; when
    empty they are read from the text's "به گزارش ... به نقل از ..." lead-in."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    site: str | None = None
    published: str | None = None  # ISO 8601; orders the first reporter
    attributions: tuple[str, ...] = ()

    @classmethod
    def from_article(cls, article: Article, id: str | None = None) -> DedupRecord:
        """The dedup view of a cleaned ``Article`` (id defaults to its record id, then its source)."""
        return cls(
            id=id or article.record_id or article.source,
            text=article.text,
            title=article.title,
            url=article.url,
            site=article.site,
            published=article.published,
            attributions=tuple(article.attributions),
        )


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where a record went. ``cluster_id`` is the id of the story's first indexed record;
    ``duplicate_of`` the id of the earlier record it matched best (None if it opened a story);
    ``similarity`` the verified containment (1.0 for exact copies, 0.0 for a new story)."""

    id: str
    cluster_id: str
    duplicate_of: str | None
    exact: bool
    similarity: float


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """A story: its records, outlets, first reporter and citation edges (outlet -> cited outlet)."""

    cluster_id: str
    size: int
    title: str | None
    members: tuple[str, ...]
    outlets: tuple[str, ...]
    first_id: str
    first_reporter: str | None
    first_published: str | None
    citations: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "cluster_id": self.cluster_id,
            "size": self.size,
            "title": self.title,
            "members": list(self.members),
            "outlets": list(self.outlets),
            "first_id": self.first_id,
            "first_reporter": self.first_reporter,
            "first_published": self.first_published,
            "citations": [list(e) for e in self.citations],
        }


@dataclass(frozen=True, slots=True)
class _Prepared:
    record: DedupRecord
    key: bytes
    cited: tuple[str, ...]
    outlet: str | None


def _check(record: DedupRecord) -> None:
    if not isinstance(record.id, str) or not record.id.strip():
        raise InputError(repr(record.id)[:60], "record id must be a non-empty string")
    if not isinstance(record.text, str):
        raise InputError(record.id, f"text must be a string, not {type(record.text).__name__}")


class StoryIndex:
    """Groups records into stories, one ``assign`` at a time.

    ``conn``: a ``sqlite3.Connection`` or a ``psycopg.Connection`` (PostgreSQL) to persist in
    (tables ``dedup_*``, created when missing), or ``None`` for an in-memory index; anything else
    is a ``TypeError``. Each ``assign``/``assign_many`` writes its rows atomically: when the
    connection has no open transaction it opens one and commits it; when the caller has one
    open, the rows join it and the caller commits or rolls back. (A psycopg connection outside
    autocommit mode opens a transaction with its first statement, reads included, so there the
    caller always commits; the store's connection is in autocommit mode.) On PostgreSQL, writes
    also take a transaction-level advisory lock, so concurrent writers place records one at a time.
    ``engine`` picks the MinHash implementation (``"rensa"``, or ``"datasketch"`` for comparison,
    which needs the ``bench`` extra); an index keeps the engine and params it was built with and
    refuses others.
    """

    def __init__(
        self,
        conn: sqlite3.Connection | Any | None = None,
        params: Params = DEFAULT_PARAMS,
        engine: str = "rensa",
    ) -> None:
        if engine not in ("rensa", "datasketch"):
            raise ValueError(f"unknown MinHash engine {engine!r} (use 'rensa' or 'datasketch')")
        self.params = params
        self.engine = engine
        self._backend = _backend_for(conn, params.num_perm)
        wanted = {"format": FORMAT_VERSION, "params": params.describe(), "engine": engine}
        have = self._backend.meta()
        if conn is not None and have and have != wanted:
            raise InputError(
                "dedup index",
                f"built with {have.get('engine')} {have.get('params')}, not {engine} {params.describe()}",
            )
        if conn is not None and not have:
            opened = self._backend.begin()
            self._backend.set_meta(wanted)
            if opened:
                self._backend.commit()

    def __len__(self) -> int:
        return len(self._backend)

    def get(self, record_id: str) -> Assignment | None:
        """The stored assignment of ``record_id``, or None if it was never assigned."""
        row = self._backend.get(record_id)
        return None if row is None else _assignment(row)

    def assign(self, record: DedupRecord) -> Assignment:
        """Place one record; calling it again with the same id returns the first answer."""
        return self.assign_many([record])[0]

    def assign_many(self, records: Iterable[DedupRecord]) -> list[Assignment]:
        """Place records in order (later ones may join stories opened earlier in the same batch).

        Signatures are computed for the whole batch at once, which is much faster than one by one.
        """
        batch = list(records)
        for r in batch:
            _check(r)
        done: dict[str, Assignment] = {}
        todo: list[DedupRecord] = []
        for r in batch:
            if r.id in done:
                continue
            row = self._backend.get(r.id)
            if row is None:
                done[r.id] = _PENDING
                todo.append(r)
            else:
                done[r.id] = _assignment(row)
        if todo:
            prepared: list[_Prepared] = []
            matching: list[str] = []
            for r in todo:
                body, found = split_boilerplate(r.text)
                m = matching_text(body, self.params.text_normalize)
                matching.append(m)
                prepared.append(
                    _Prepared(r, exact_key(m) if m else b"", r.attributions or found, outlet_of(r.site, r.url))
                )
            sigs, sizes = signatures(matching, self.params, self.engine)
            keys = band_keys(sigs, self.params).tolist()
            opened = self._backend.begin()
            try:
                for i, p in enumerate(prepared):
                    done[p.record.id] = self._place(p, sigs[i], int(sizes[i]), keys[i])
            except BaseException:
                if opened:
                    self._backend.rollback()
                raise
            if opened:
                self._backend.commit()
        return [done[r.id] for r in batch]

    def _place(self, p: _Prepared, sig: np.ndarray, size: int, keys: list[int]) -> Assignment:
        r = p.record
        params = self.params
        cluster, dup_of, exact, sim = r.id, None, False, 0.0
        store_keys: list[int] = []
        same = self._backend.exact(p.key) if p.key else None
        if same is not None:
            # an exact copy adds no new LSH keys: the record it copies already answers for it
            cluster, dup_of, exact, sim = same.cluster_id, same.id, True, 1.0
        elif size >= params.min_shingles:
            store_keys = keys
            docs = self._backend.candidates(keys)
            if docs:
                rows, cand_sigs, cand_sizes = self._backend.fetch(docs)
                js = jaccard(sig, cand_sigs)
                cs = containment(js, size, cand_sizes, params.num_perm, params.z)
                ok = (cs >= params.containment) & (cand_sizes >= params.min_shingles)
                if ok.any():
                    score = np.where(ok, cs + js * 1e-3, -1.0)
                    best = int(np.argmax(score))
                    cluster, dup_of, sim = rows[best].cluster_id, rows[best].id, round(float(cs[best]), 4)
        self._backend.add(
            DocRow(r.id, cluster, dup_of, exact, sim, p.key, size, sig, r.title, r.url, p.outlet, r.published, p.cited),
            store_keys,
        )
        return Assignment(r.id, cluster, dup_of, exact, sim)

    def story_info(self, cluster_id: str) -> StoryInfo | None:
        """Outlets, first reporter and citation edges of one story, or None if unknown."""
        rows = self._backend.members(cluster_id)
        return _story(cluster_id, rows) if rows else None

    def stories(self, min_size: int = 1) -> list[StoryInfo]:
        """Every story with at least ``min_size`` records, in the order they were opened."""
        return [_story(cid, rows) for cid, rows in self._backend.grouped().items() if len(rows) >= min_size]


def read_stories(conn: sqlite3.Connection | Any, min_size: int = 1) -> list[StoryInfo] | None:
    """Stories of the dedup index in ``conn`` (sqlite3 or psycopg) without opening it for writing
    (None if it has none)."""
    backend: SQLiteBackend | PostgresBackend
    if isinstance(conn, sqlite3.Connection):
        if not SQLiteBackend.exists(conn):
            return None
        backend = SQLiteBackend(conn, create=False)
    elif _is_psycopg(conn):
        if not PostgresBackend.exists(conn):
            return None
        backend = PostgresBackend(conn, create=False)
    else:
        raise TypeError(_WRONG_CONN.format(type(conn).__name__))
    grouped = backend.grouped()
    return [_story(cid, rows) for cid, rows in grouped.items() if len(rows) >= min_size]


_WRONG_CONN = "a dedup index persists in a sqlite3 or psycopg connection, not a {}"


def _is_psycopg(conn: object) -> bool:
    psycopg = sys.modules.get("psycopg")  # a psycopg connection means psycopg is imported
    return psycopg is not None and isinstance(conn, psycopg.Connection)


def _backend_for(conn: object, num_perm: int) -> MemoryBackend | SQLiteBackend | PostgresBackend:
    if conn is None:
        return MemoryBackend(num_perm)
    if isinstance(conn, sqlite3.Connection):
        return SQLiteBackend(conn)
    if _is_psycopg(conn):
        return PostgresBackend(conn)
    raise TypeError(_WRONG_CONN.format(type(conn).__name__))


_PENDING = Assignment("", "", None, False, 0.0)


def _assignment(row: DocRow) -> Assignment:
    return Assignment(row.id, row.cluster_id, row.duplicate_of, row.exact, row.similarity)


def _story(cluster_id: str, rows: list[DocRow]) -> StoryInfo:
    ordered = sorted(rows, key=lambda r: (r.published is None, r.published or "", r.id))
    first = ordered[0]
    outlets: list[str] = []
    edges: list[tuple[str, str]] = []
    for r in ordered:
        cited = [canonical_outlet(c) for c in r.cited]
        chain = [r.outlet, *cited] if r.outlet else cited
        if chain and chain[0] and chain[0] not in outlets:
            outlets.append(chain[0])
        for a, b in itertools.pairwise(chain):
            if a and b and a != b and (a, b) not in edges:
                edges.append((a, b))
    title = next((r.title for r in ordered if r.title), None)
    return StoryInfo(
        cluster_id=cluster_id,
        size=len(rows),
        title=title,
        members=tuple(r.id for r in ordered),
        outlets=tuple(outlets),
        first_id=first.id,
        first_reporter=first.outlet or (canonical_outlet(first.cited[0]) if first.cited else None),
        first_published=first.published,
        citations=tuple(edges),
    )
