"""Ingest keeps stories and the search index in step with the store (khabar.pipeline.StoreIndexer)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from khabar.cli import main
from khabar.demo_corpus import load_manifest
from khabar.search import SearchIndex


def _ingest(db: Path, files: list[str]) -> int:
    return main(["ingest", "--db", str(db), "--no-warc", *files])


def test_demo_corpus_stories_match_the_ground_truth(tmp_path: Path) -> None:
    manifest = load_manifest()
    files = [str(d.file) for d in manifest.documents]
    db = tmp_path / "k.db"
    assert _ingest(db, files) == 0
    conn = sqlite3.connect(db)
    stored = dict(conn.execute("SELECT source, story_id FROM articles"))
    assert len(stored) == len(manifest.documents)
    # Copies of one story share a story id; different stories never do.
    truth: dict[str, set[str]] = {}
    for d in manifest.documents:
        truth.setdefault(d.story, set()).add(stored[str(d.file)])
    assert all(len(ids) == 1 for ids in truth.values())
    assert len({next(iter(ids)) for ids in truth.values()}) == len(truth)
    # Every stored article is searchable, with its story id.
    index = SearchIndex(conn)
    assert len(index) == len(manifest.documents)
    hits = index.search("کتابخانه تبریز").hits
    assert hits and {h.story_id for h in hits} == {stored[str(manifest.documents[0].file)]}


def test_an_article_missing_from_the_indexes_is_indexed_on_the_next_run(tmp_path: Path) -> None:
    files = [str(d.file) for d in load_manifest().documents[:6]]
    db = tmp_path / "k.db"
    assert _ingest(db, files) == 0
    conn = sqlite3.connect(db)
    article_id = conn.execute("SELECT min(id) FROM articles").fetchone()[0]
    # As if the last run was killed after storing the article but before indexing it.
    assert SearchIndex(conn).remove(article_id)
    conn.execute("UPDATE articles SET story_id = NULL WHERE id = ?", (article_id,))
    conn.commit()
    assert _ingest(db, files) == 0
    assert article_id in SearchIndex(conn)
    assert conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()[0] is not None
