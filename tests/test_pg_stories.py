"""Stories on PostgreSQL: StoryIndex on a psycopg connection, and ingest filling ``story_id``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest import new_pg_database
from khabar.cli import main
from khabar.dedup import DedupRecord, StoryIndex
from khabar.demo_corpus import load_manifest
from khabar.store import open_store
from test_dedup_index import _records


@pytest.fixture
def pg(postgres_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection (as the store opens it) to a fresh database."""
    with psycopg.connect(new_pg_database(postgres_url), autocommit=True) as conn:
        yield conn


def _ingest(db: str, files: list[str]) -> int:
    return main(["ingest", "--db", db, "--no-warc", *files])


def _stories_by_source(db: str) -> dict[str, str | None]:
    with open_store(db) as store:
        return {a.source: a.story_id for a in store.iter_articles()}


def _dedup_rows(url: str) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute("SELECT count(*) FROM dedup_docs").fetchone()[0])


# -- StoryIndex on a psycopg connection --------------------------------------------------------------


def test_postgres_index_matches_the_memory_index(pg: psycopg.Connection) -> None:
    expected = StoryIndex().assign_many(_records())
    index = StoryIndex(pg)
    single = [index.assign(r) for r in _records()[:3]]
    rest = index.assign_many(_records())  # the first three again (stored answers) and the rest
    assert single + rest[3:] == expected and rest == expected
    assert [a.cluster_id for a in expected] == ["isna-1"] * 4 + ["other-1", "foot-1"]
    assert len(index) == 6
    memory = StoryIndex()
    memory.assign_many(_records())
    # a second index on the same database sees the same stories, without recomputing them
    again = StoryIndex(pg)
    assert again.stories() == memory.stories() and again.story_info("isna-1") == memory.story_info("isna-1")
    assert again.get("fars-1") == expected[2] and again.get("missing") is None
    tables = {r[0] for r in pg.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'dedup_%'")}
    assert tables == {"dedup_meta", "dedup_docs", "dedup_bands"}
    sig = pg.execute("SELECT sig FROM dedup_docs WHERE id = 'isna-1'").fetchone()[0]
    assert isinstance(sig, bytes) and len(sig) == 4 * index.params.num_perm


def test_postgres_index_joins_the_callers_transaction(pg: psycopg.Connection, postgres_url: str) -> None:
    index = StoryIndex(pg)
    records = _records()
    with pytest.raises(RuntimeError), pg.transaction():
        index.assign_many(records[:2])
        assert len(index) == 2  # visible inside the transaction...
        raise RuntimeError("the caller gives up")
    assert len(index) == 0 and index.get("isna-1") is None  # ...and gone with it
    url = pg.info.dsn
    with pg.transaction():
        index.assign(records[0])
        assert _dedup_rows(url) == 0  # another connection does not see it before the commit
    assert _dedup_rows(url) == 1
    index.assign(records[5])  # no transaction open: the index opens and commits its own
    assert pg.info.transaction_status == psycopg.pq.TransactionStatus.IDLE and _dedup_rows(url) == 2


def test_a_failed_batch_leaves_no_rows(pg: psycopg.Connection) -> None:
    index = StoryIndex(pg)
    # PostgreSQL text cannot hold NUL: the third record fails after two were written
    bad = DedupRecord("nul", "متن خبر", title="a\x00b")
    with pytest.raises(psycopg.DataError):
        index.assign_many([*_records()[:2], bad])
    assert len(index) == 0 and pg.info.transaction_status == psycopg.pq.TransactionStatus.IDLE


def test_other_connections_are_refused() -> None:
    with pytest.raises(TypeError, match="sqlite3 or psycopg"):
        StoryIndex("khabar.db")  # type: ignore[arg-type]


# -- ingest into PostgreSQL ---------------------------------------------------------------------------


def test_demo_corpus_stories_on_postgresql_match_sqlite(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = load_manifest()
    files = [str(d.file) for d in manifest.documents]
    url = new_pg_database(postgres_url)
    assert _ingest(url, files) == 0
    stored = _stories_by_source(url)
    assert len(stored) == len(manifest.documents) and None not in stored.values()
    truth: dict[str, set[str | None]] = {}
    for d in manifest.documents:
        truth.setdefault(d.story, set()).add(stored[str(d.file)])
    assert all(len(ids) == 1 for ids in truth.values())
    assert len({next(iter(ids)) for ids in truth.values()}) == len(truth) == 12
    # the same stories, with the same ids, as on SQLite
    sqlite_db = str(tmp_path / "k.db")
    assert _ingest(sqlite_db, files) == 0
    assert _stories_by_source(sqlite_db) == stored
    capsys.readouterr()
    # khabar stories reads them from PostgreSQL
    assert main(["stories", "--db", url, "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) == 12 and sum(s["size"] for s in listed) == len(files)
    assert {s["cluster_id"] for s in listed} == set(stored.values())


def test_reingest_keeps_stories_and_heals_a_crash(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(d.file) for d in load_manifest().documents[:8]]
    url = new_pg_database(postgres_url)
    assert _ingest(url, files) == 0
    before = _stories_by_source(url)
    rows = _dedup_rows(url)
    assert None not in before.values() and rows == len(files)
    capsys.readouterr()
    assert _ingest(url, files) == 0
    assert f"0 new, 0 updated, {len(files)} unchanged" in capsys.readouterr().err
    assert _stories_by_source(url) == before and _dedup_rows(url) == rows
    # As if runs were killed after storing articles but before giving them their story: one article
    # was placed in the dedup index but its story_id not written, another not placed at all.
    with psycopg.connect(url, autocommit=True) as conn:
        first, second = (r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2"))
        conn.execute("UPDATE articles SET story_id = NULL WHERE id = ANY(%s)", ([first, second],))
        conn.execute("DELETE FROM dedup_bands WHERE doc = (SELECT doc FROM dedup_docs WHERE id = %s)", (str(second),))
        conn.execute("DELETE FROM dedup_docs WHERE id = %s", (str(second),))
    assert _ingest(url, files) == 0
    assert _stories_by_source(url) == before and _dedup_rows(url) == rows


def test_stories_command_errors_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = new_pg_database(postgres_url)
    assert main(["stories", "--db", url]) != 0
    assert "has no dedup index" in capsys.readouterr().err
    dead = postgres_url.rsplit("/", 1)[0] + "/no_such_database"
    assert main(["stories", "--db", dead]) != 0
    assert "cannot connect" in capsys.readouterr().err


def test_dedup_command_keeps_its_index_in_postgresql(
    postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = new_pg_database(postgres_url)
    records = _records()
    src = tmp_path / "in.jsonl"
    src.write_text(
        "".join(json.dumps({"id": r.id, "text": r.text, "site": r.site}, ensure_ascii=False) + "\n" for r in records),
        encoding="utf-8",
    )
    assert main(["dedup", str(src), "--db", url]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["cluster_id"] for o in out] == [a.cluster_id for a in StoryIndex().assign_many(records)]
    assert main(["stories", "--db", url, "--min-size", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("isna-1\t4 records")


def test_two_ingests_at_once_give_each_article_one_story(postgres_url: str) -> None:
    import os
    import subprocess
    import sys

    manifest = load_manifest()
    files = [str(d.file) for d in manifest.documents]
    url = new_pg_database(postgres_url)
    assert _ingest(url, files[:1]) == 0  # tables in place, so both runs race on articles only
    cmd = [sys.executable, "-m", "khabar.cli", "ingest", "--db", url, "--no-warc", *files]
    src = str(Path(__file__).parents[1] / "src")  # this checkout's khabar, not an installed one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    stored = _stories_by_source(url)
    assert len(stored) == len(files) and _dedup_rows(url) == len(files)
    truth: dict[str, set[str | None]] = {}
    for d in manifest.documents:
        truth.setdefault(d.story, set()).add(stored[str(d.file)])
    assert all(len(ids) == 1 and None not in ids for ids in truth.values())
    assert len({next(iter(ids)) for ids in truth.values()}) == len(truth)
