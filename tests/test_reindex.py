"""``khabar reindex``: a store filled without stories or search gets both, as ingest gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.cli import main
from khabar.demo_corpus import load_manifest
from khabar.search import open_search
from khabar.store import open_store


def _stories(db: str) -> dict[str, str | None]:
    with open_store(db) as store:
        return {a.source: a.story_id for a in store.iter_articles()}


def _hits(db: str, query: str) -> list[int]:
    with open_store(db) as store:
        return sorted(int(h.id) for h in open_search(store).search(query).hits)


def _forget_indexes(db: str) -> None:
    """The store as an older khabar left it: articles only, no dedup rows, no search rows."""
    with open_store(db) as store, store.transaction():
        store.execute("DELETE FROM dedup_bands")
        store.execute("DELETE FROM dedup_docs")
        store.execute("DELETE FROM search_docs")
        if store.dialect == "sqlite":
            store.execute("DELETE FROM search_fts")
        store.execute("UPDATE articles SET story_id = NULL")


def test_reindex_restores_stories_and_search(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(d.file) for d in load_manifest().documents[:12]]
    assert main(["ingest", "--db", db_url, "--no-warc", *files]) == 0
    stories, hits = _stories(db_url), _hits(db_url, "کتابها")
    assert None not in stories.values() and hits
    _forget_indexes(db_url)
    assert set(_stories(db_url).values()) == {None} and _hits(db_url, "کتابها") == []
    capsys.readouterr()
    assert main(["reindex", "--db", db_url]) == 0
    err = capsys.readouterr().err
    assert "12 articles, 12 given their story; 12 in the search index" in err
    # the same stories (articles are placed in the order they were stored) and the same hits
    assert _stories(db_url) == stories and _hits(db_url, "کتابها") == hits
    # a second run finds nothing to do; --search re-analyzes every entry
    assert main(["reindex", "--db", db_url, "--search"]) == 0
    assert "12 articles, 0 given their story; 12 in the search index" in capsys.readouterr().err
    assert _stories(db_url) == stories and _hits(db_url, "کتابها") == hits


def test_reindex_of_an_empty_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reindex", "--db", str(tmp_path / "empty.db")]) == 0
    assert "0 articles, 0 given their story; 0 in the search index" in capsys.readouterr().err
