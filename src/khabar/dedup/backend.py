"""Where a ``StoryIndex`` keeps its documents and LSH buckets: in memory, in SQLite tables or in
PostgreSQL tables.

The backends answer the same few questions; ``StoryIndex`` holds the matching logic.
Tables are all named ``dedup_*`` (the same three on both databases) so they can live in the
store's own database.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, slots=True)
class DocRow:
    """One indexed record as the backends store it."""

    id: str
    cluster_id: str
    duplicate_of: str | None
    exact: bool
    similarity: float
    text_key: bytes
    size: int
    sig: np.ndarray  # uint32, num_perm values (may be empty for records too short to sign)
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    cited: tuple[str, ...]


class MemoryBackend:
    """Everything in Python dicts and a growing numpy array; lost when the process ends."""

    def __init__(self, num_perm: int) -> None:
        self._num_perm = num_perm
        self._rows: list[DocRow] = []
        self._by_id: dict[str, int] = {}
        self._by_key: dict[bytes, int] = {}
        self._buckets: dict[int, int | list[int]] = {}
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._sizes = np.zeros(1024, dtype=np.int64)
        self._clusters: dict[str, list[int]] = {}

    def meta(self) -> dict[str, str]:
        return {}

    def set_meta(self, values: dict[str, str]) -> None:
        return None

    def get(self, rid: str) -> DocRow | None:
        doc = self._by_id.get(rid)
        return None if doc is None else self._rows[doc]

    def exact(self, key: bytes) -> DocRow | None:
        doc = self._by_key.get(key)
        return None if doc is None else self._rows[doc]

    def candidates(self, keys: Sequence[int]) -> list[int]:
        buckets = self._buckets
        shared = buckets.keys() & keys  # a set intersection in C: most keys are new
        if not shared:
            return []
        found: set[int] = set()
        for key in shared:
            hit = buckets[key]
            if isinstance(hit, int):
                found.add(hit)
            else:
                found.update(hit)
        return sorted(found)

    def fetch(self, docs: Sequence[int]) -> tuple[list[DocRow], np.ndarray, np.ndarray]:
        idx = np.asarray(docs, dtype=np.int64)
        return [self._rows[d] for d in docs], self._sigs[idx], self._sizes[idx]

    def add(self, row: DocRow, keys: Sequence[int]) -> None:
        doc = len(self._rows)
        if doc == self._sigs.shape[0]:
            self._sigs = np.concatenate([self._sigs, np.zeros_like(self._sigs)])
            self._sizes = np.concatenate([self._sizes, np.zeros_like(self._sizes)])
        if row.size:
            self._sigs[doc] = row.sig
        self._sizes[doc] = row.size
        # the signature lives in the array only, not twice
        self._rows.append(_without_sig(row) if row.sig.size else row)
        self._by_id[row.id] = doc
        self._by_key.setdefault(row.text_key, doc)
        self._clusters.setdefault(row.cluster_id, []).append(doc)
        buckets = self._buckets
        shared = buckets.keys() & keys
        if shared:
            for key in shared:
                hit = buckets[key]
                if isinstance(hit, int):
                    buckets[key] = [hit, doc]
                else:
                    hit.append(doc)
            buckets.update(dict.fromkeys([k for k in keys if k not in shared], doc))
        else:
            buckets.update(dict.fromkeys(keys, doc))

    def members(self, cluster_id: str) -> list[DocRow]:
        return [self._rows[d] for d in self._clusters.get(cluster_id, ())]

    def grouped(self) -> dict[str, list[DocRow]]:
        return {cid: [self._rows[d] for d in docs] for cid, docs in self._clusters.items()}

    def cluster_ids(self) -> list[str]:
        return list(self._clusters)

    def __len__(self) -> int:
        return len(self._rows)

    def begin(self) -> bool:
        return False

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None


_EMPTY = np.zeros(0, dtype=np.uint32)


def _without_sig(row: DocRow) -> DocRow:
    return DocRow(
        row.id,
        row.cluster_id,
        row.duplicate_of,
        row.exact,
        row.similarity,
        row.text_key,
        row.size,
        _EMPTY,
        row.title,
        row.url,
        row.outlet,
        row.published,
        row.cited,
    )


SCHEMA = """
CREATE TABLE IF NOT EXISTS dedup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dedup_docs (
    doc INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    cluster_id TEXT NOT NULL,
    duplicate_of TEXT,
    exact INTEGER NOT NULL,
    similarity REAL NOT NULL,
    text_key BLOB NOT NULL,
    size INTEGER NOT NULL,
    sig BLOB NOT NULL,
    title TEXT,
    url TEXT,
    outlet TEXT,
    published TEXT,
    cited TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dedup_docs_cluster ON dedup_docs (cluster_id);
CREATE INDEX IF NOT EXISTS dedup_docs_key ON dedup_docs (text_key);
CREATE TABLE IF NOT EXISTS dedup_bands (key INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (key, doc))
    WITHOUT ROWID;
"""

_COLS = (
    "doc, id, cluster_id, duplicate_of, exact, similarity, text_key, size, sig, title, url, outlet, published, cited"
)


def _row(r: tuple) -> tuple[int, DocRow]:
    return r[0], DocRow(
        r[1],
        r[2],
        r[3],
        bool(r[4]),
        float(r[5]),
        bytes(r[6]),
        int(r[7]),
        np.frombuffer(r[8], dtype=np.uint32),
        r[9],
        r[10],
        r[11],
        r[12],
        tuple(json.loads(r[13])),
    )


_DOC_COLUMNS = (
    "id", "cluster_id", "duplicate_of", "exact", "similarity", "text_key", "size", "sig",
    "title", "url", "outlet", "published", "cited",
)  # fmt: skip


def _doc_values(row: DocRow, exact: int | bool) -> tuple[Any, ...]:
    """``row`` as the values of :data:`_DOC_COLUMNS` (``exact`` as the database wants it)."""
    return (
        row.id,
        row.cluster_id,
        row.duplicate_of,
        exact,
        float(row.similarity),
        bytes(row.text_key),
        int(row.size),
        row.sig.astype(np.uint32).tobytes(),
        row.title,
        row.url,
        row.outlet,
        row.published,
        json.dumps(list(row.cited), ensure_ascii=False),
    )


class _SQLReads:
    """The queries the SQLite and PostgreSQL backends share (``_P`` is the placeholder)."""

    _P = "?"
    _conn: Any

    def _insert_doc(self, tail: str = "") -> str:
        marks = ",".join([self._P] * len(_DOC_COLUMNS))
        return f"INSERT INTO dedup_docs ({', '.join(_DOC_COLUMNS)}) VALUES ({marks}){tail}"

    def get(self, rid: str) -> DocRow | None:
        r = self._conn.execute(f"SELECT {_COLS} FROM dedup_docs WHERE id = {self._P}", (rid,)).fetchone()
        return None if r is None else _row(r)[1]

    def exact(self, key: bytes) -> DocRow | None:
        r = self._conn.execute(
            f"SELECT {_COLS} FROM dedup_docs WHERE text_key = {self._P} ORDER BY doc LIMIT 1", (key,)
        ).fetchone()
        return None if r is None else _row(r)[1]

    def members(self, cluster_id: str) -> list[DocRow]:
        rows = self._conn.execute(
            f"SELECT {_COLS} FROM dedup_docs WHERE cluster_id = {self._P} ORDER BY doc", (cluster_id,)
        )
        return [_row(r)[1] for r in rows]

    def grouped(self) -> dict[str, list[DocRow]]:
        """Every record grouped by story, stories in the order they were opened."""
        out: dict[str, list[DocRow]] = {}
        for r in self._conn.execute(f"SELECT {_COLS} FROM dedup_docs ORDER BY doc"):
            row = _row(r)[1]
            out.setdefault(row.cluster_id, []).append(row)
        return out

    def cluster_ids(self) -> list[str]:
        rows = self._conn.execute("SELECT cluster_id FROM dedup_docs GROUP BY cluster_id ORDER BY MIN(doc)")
        return [r[0] for r in rows]

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM dedup_docs").fetchone()[0])


class SQLiteBackend(_SQLReads):
    """Documents and LSH buckets in ``dedup_*`` tables of a caller-owned ``sqlite3.Connection``.

    Nothing is loaded up front: each lookup is an indexed query, so opening a large index is
    instant and a new article only touches the rows it needs.
    """

    def __init__(self, conn: sqlite3.Connection, create: bool = True) -> None:
        self._conn = conn
        if create:
            # statement by statement: executescript would first commit the caller's transaction
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)

    @staticmethod
    def exists(conn: sqlite3.Connection) -> bool:
        """Whether ``conn`` holds a dedup index."""
        row = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dedup_docs'").fetchone()
        return row is not None

    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM dedup_meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO dedup_meta VALUES (?, ?)", values.items())

    def candidates(self, keys: Sequence[int]) -> list[int]:
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        rows = self._conn.execute(f"SELECT DISTINCT doc FROM dedup_bands WHERE key IN ({marks})", list(keys))
        return sorted(r[0] for r in rows)

    def fetch(self, docs: Sequence[int]) -> tuple[list[DocRow], np.ndarray, np.ndarray]:
        found: dict[int, DocRow] = {}
        for start in range(0, len(docs), 500):
            part = list(docs[start : start + 500])
            marks = ",".join("?" * len(part))
            for r in self._conn.execute(f"SELECT {_COLS} FROM dedup_docs WHERE doc IN ({marks})", part):
                doc, row = _row(r)
                found[doc] = row
        rows = [found[d] for d in docs]
        sigs = np.stack([r.sig for r in rows]) if rows else np.zeros((0, 0), dtype=np.uint32)
        sizes = np.array([r.size for r in rows], dtype=np.int64)
        return rows, sigs, sizes

    def add(self, row: DocRow, keys: Sequence[int]) -> None:
        cur = self._conn.execute(self._insert_doc(), _doc_values(row, int(row.exact)))
        doc = cur.lastrowid
        self._conn.executemany("INSERT OR IGNORE INTO dedup_bands VALUES (?, ?)", [(k, doc) for k in keys])

    def begin(self) -> bool:
        """Open a transaction unless the caller has one open; True if this call opened it."""
        if self._conn.in_transaction:
            return False
        self._conn.execute("BEGIN")
        return True

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()


PG_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS dedup_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS dedup_docs (
    doc BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    cluster_id TEXT NOT NULL,
    duplicate_of TEXT,
    exact BOOLEAN NOT NULL,
    similarity DOUBLE PRECISION NOT NULL,
    text_key BYTEA NOT NULL,
    size INTEGER NOT NULL,
    sig BYTEA NOT NULL,
    title TEXT,
    url TEXT,
    outlet TEXT,
    published TEXT,
    cited TEXT NOT NULL
)""",
    "CREATE INDEX IF NOT EXISTS dedup_docs_cluster ON dedup_docs (cluster_id)",
    "CREATE INDEX IF NOT EXISTS dedup_docs_key ON dedup_docs (text_key)",
    # the primary key's index answers band key lookups
    "CREATE TABLE IF NOT EXISTS dedup_bands (key BIGINT NOT NULL, doc BIGINT NOT NULL, PRIMARY KEY (key, doc))",
)

# pg_advisory_xact_lock key that serializes writers of one database's dedup index
PG_WRITE_LOCK = 7_031_978


class PostgresBackend(_SQLReads):
    """The same ``dedup_*`` tables in PostgreSQL, on a caller-owned ``psycopg.Connection``.

    Writers take a transaction-level advisory lock, so two processes adding records to one
    database place them one after the other and see each other's stories.
    """

    _P = "%s"

    def __init__(self, conn: Any, create: bool = True) -> None:
        self._conn = conn
        if create and not self.exists(conn, complete=True):
            opened = self.begin()
            try:
                for statement in PG_SCHEMA:
                    conn.execute(statement)
            except BaseException:
                if opened:
                    self.rollback()
                raise
            if opened:
                self.commit()

    @staticmethod
    def exists(conn: Any, complete: bool = False) -> bool:
        """Whether ``conn`` holds a dedup index (with ``complete``: all three tables)."""
        names = ("dedup_docs", "dedup_meta", "dedup_bands") if complete else ("dedup_docs",)
        row = conn.execute(
            "SELECT count(*) FROM unnest(%s::text[]) AS t(name) WHERE to_regclass(t.name) IS NOT NULL",
            (list(names),),
        ).fetchone()
        return int(row[0]) == len(names)

    def meta(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT key, value FROM dedup_meta").fetchall())

    def set_meta(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._conn.execute(
                "INSERT INTO dedup_meta (key, value) VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def candidates(self, keys: Sequence[int]) -> list[int]:
        if not len(keys):
            return []
        rows = self._conn.execute(
            "SELECT DISTINCT doc FROM dedup_bands WHERE key = ANY(%s::bigint[])", ([int(k) for k in keys],)
        )
        return sorted(int(r[0]) for r in rows)

    def fetch(self, docs: Sequence[int]) -> tuple[list[DocRow], np.ndarray, np.ndarray]:
        found: dict[int, DocRow] = {}
        wanted = [int(d) for d in docs]
        for r in self._conn.execute(f"SELECT {_COLS} FROM dedup_docs WHERE doc = ANY(%s::bigint[])", (wanted,)):
            doc, row = _row(r)
            found[int(doc)] = row
        rows = [found[d] for d in wanted]
        sigs = np.stack([r.sig for r in rows]) if rows else np.zeros((0, 0), dtype=np.uint32)
        sizes = np.array([r.size for r in rows], dtype=np.int64)
        return rows, sigs, sizes

    def add(self, row: DocRow, keys: Sequence[int]) -> None:
        (doc,) = self._conn.execute(self._insert_doc(" RETURNING doc"), _doc_values(row, bool(row.exact))).fetchone()
        if len(keys):
            self._conn.execute(
                "INSERT INTO dedup_bands (key, doc) SELECT k, %s FROM unnest(%s::bigint[]) AS k ON CONFLICT DO NOTHING",
                (doc, [int(k) for k in keys]),
            )

    def begin(self) -> bool:
        """Open a transaction unless the caller has one open; True if this call opened it.

        Either way the transaction holds the writers' advisory lock until it ends."""
        from psycopg.pq import TransactionStatus

        status = self._conn.info.transaction_status
        if status == TransactionStatus.INERROR:
            raise RuntimeError("the connection's transaction has failed; roll it back first")
        opened = status == TransactionStatus.IDLE
        if opened and self._conn.autocommit:
            self._conn.execute("BEGIN")
        # on a connection not in autocommit mode this statement opens the transaction itself
        self._conn.execute("SELECT pg_advisory_xact_lock(%s)", (PG_WRITE_LOCK,))
        return opened

    def commit(self) -> None:
        self._conn.commit()

    def rollback(self) -> None:
        self._conn.rollback()
