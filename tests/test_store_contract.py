"""The store's contract, run on SQLite and on a throwaway PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from khabar.errors import KhabarError
from khabar.ingest.export import EXPORT_FIELDS
from khabar.model import Article, RawDocument
from khabar.store import Store, canonical_url, content_hash, open_store

PARAS = (
    "شورای شهر همدان بودجه تازه‌ای برای بازسازی پیاده‌روهای بافت تاریخی شهر تصویب کرد.",
    "به گفته رئیس شورا، کار از خیابان بوعلی آغاز می‌شود و تا پایان تابستان ادامه دارد.",
)


def article(url: str | None = "https://news.example.ir/a/1", **kw: object) -> Article:
    base = Article(source=url or "file.txt", url=url, title="پیاده‌روهای همدان نو می‌شوند", paragraphs=PARAS)
    return replace(base, **kw)  # type: ignore[arg-type]


def raw(url: str | None = "https://news.example.ir/a/1", when: str | None = None) -> RawDocument:
    return RawDocument(source=url or "file.txt", data="<html>متن</html>".encode(), url=url, fetched_at=when)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    yield s
    s.close()


# -- the contract ------------------------------------------------------------------------------------


def test_new_then_unchanged_then_updated_keeps_history(store: Store) -> None:
    first = store.upsert_article(article(), raw=raw(when="2024-01-01T10:00:00Z"))
    assert first.status == "new"
    again = store.upsert_article(article(), raw=raw(when="2024-01-02T10:00:00Z"))
    assert (again.id, again.status) == (first.id, "unchanged")
    newer = article(paragraphs=(*PARAS, "این خبر در ساعت ۱۴ به‌روز شد."))
    upd = store.upsert_article(newer, raw=raw(when="2024-01-03T10:00:00Z"))
    assert (upd.id, upd.status, upd.version) == (first.id, "updated", 2)
    assert store.count_articles() == 1
    stored = store.get_article(first.id)
    assert stored is not None and stored.paragraphs[-1] == "این خبر در ساعت ۱۴ به‌روز شد." and stored.version == 2
    history = store.history(first.id)
    assert [v.version for v in history] == [1, 2]
    assert history[0].article["paragraphs"] == list(PARAS)
    assert history[0].raw == "<html>متن</html>".encode()
    # The first version coming back is not a change.
    assert store.upsert_article(article(), raw=raw(when="2024-01-04T10:00:00Z")).status == "unchanged"
    assert store.get_article(first.id).version == 2  # type: ignore[union-attr]


def test_an_older_copy_goes_to_history_only(store: Store) -> None:
    store.upsert_article(article(), raw=raw(when="2024-05-01T00:00:00Z"))
    old = article(title="پیاده‌روهای همدان")
    res = store.upsert_article(old, raw=raw(when="2023-05-01T00:00:00Z"))
    assert res.status == "unchanged"
    assert store.get_article(res.id).title == "پیاده‌روهای همدان نو می‌شوند"  # type: ignore[union-attr]
    assert len(store.history(res.id)) == 2


def test_tracking_parameters_do_not_make_a_new_article(store: Store) -> None:
    a = store.upsert_article(article(), raw=raw())
    tracked = "https://NEWS.example.ir:443/a/1?utm_source=telegram&utm_medium=social&fbclid=x1#comments"
    b = store.upsert_article(article(url=tracked), raw=raw(tracked))
    assert (b.id, b.status) == (a.id, "unchanged")
    other = "https://news.example.ir/a/1?page=2"
    assert store.upsert_article(article(url=other), raw=raw(other)).status == "new"
    assert store.count_articles() == 2
    assert store.has_url(tracked) and store.find_article(tracked).id == a.id  # type: ignore[union-attr]


def test_documents_without_url_are_keyed_by_content(store: Store) -> None:
    a = store.upsert_article(article(url=None), raw=raw(None))
    b = store.upsert_article(article(url=None, source="copy.txt"), raw=raw(None))
    c = store.upsert_article(article(url=None, title="عنوان دیگر"), raw=raw(None))
    assert a.status == "new" and (b.id, b.status) == (a.id, "unchanged")
    assert c.status == "new" and c.id != a.id


def test_failed_article_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="failed cleaning"):
        store.upsert_article(article(error="no article text found"), raw=raw())


def test_rejects_are_kept_once_and_resolved_by_a_later_success(store: Store) -> None:
    url = "https://news.example.ir/a/1"
    r1 = store.add_reject(url, "HTTP 500 from server", b"", url=url)
    r2 = store.add_reject(url, "timed out", b"", url=url)
    store.add_reject("dump.jsonl:7", "invalid JSON", b'{"id": 7, "te')
    rejects = store.rejects()
    assert r1 == r2 and len(rejects) == 2
    assert rejects[0].reason == "timed out" and rejects[0].attempts == 2
    assert rejects[1].raw == b'{"id": 7, "te'
    store.upsert_article(article(url + "?utm_campaign=x"), raw=raw(url + "?utm_campaign=x"))
    assert [r.source for r in store.rejects()] == ["dump.jsonl:7"]
    assert len(store.rejects(include_resolved=True)) == 2


def test_feed_registry_keeps_validators_across_304(store: Store) -> None:
    feed = "https://news.example.ir/rss"
    assert store.add_feed(feed) and not store.add_feed(feed)
    store.update_feed(feed, status=200, etag='"v1"', last_modified="Sat, 02 Nov 2024 06:00:00 GMT", title="خبر")
    store.update_feed(feed, status=304)
    store.update_feed(feed, status=None, error="timed out")
    f = store.get_feed(feed)
    assert f is not None and (f.etag, f.last_modified, f.title) == ('"v1"', "Sat, 02 Nov 2024 06:00:00 GMT", "خبر")
    assert f.last_error == "timed out"
    assert store.remove_feed(feed) and store.feeds() == []


def test_story_ids_and_iteration(store: Store) -> None:
    ids = [
        store.upsert_article(article(f"https://news.example.ir/a/{i}", title=f"خبر {i}"), raw=raw()).id
        for i in range(5)
    ]
    store.set_story(ids[1], "s-42")
    got = list(store.iter_articles(batch=2))
    assert [a.id for a in got] == ids
    assert got[1].story_id == "s-42" and got[0].story_id is None
    exported = got[1].export_dict()
    assert list(exported) == list(EXPORT_FIELDS)  # the field list, checked literally in test_ingest_files
    assert exported["site"] == "news.example.ir"


def test_other_areas_register_migrations(db_url: str) -> None:
    steps = [
        "CREATE TABLE search_terms (article_id BIGINT NOT NULL, term TEXT NOT NULL)",
        "CREATE INDEX search_terms_term ON search_terms (term)",
    ]
    with open_store(db_url) as s:
        assert s.register_migrations("search", steps[:1]) == 1
        assert s.register_migrations("search", steps) == 1
        assert s.register_migrations("search", steps) == 0
        s.execute("INSERT INTO search_terms (article_id, term) VALUES (?, ?)", (1, "همدان"))
        assert s.schema_versions()["search"] == 2
    with open_store(db_url) as s:
        assert s.register_migrations("search", steps) == 0
        assert s.execute("SELECT term FROM search_terms").fetchall()[0][0] == "همدان"
        with pytest.raises(KhabarError, match="newer than this khabar knows"):
            s.register_migrations("search", steps[:1])


def test_a_transaction_is_all_or_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_reject("a", "first", b"")
        raise RuntimeError("boom")
    assert store.rejects() == []


def test_canonical_url_and_hash() -> None:
    assert canonical_url("HTTPS://Example.ir/خبر?b=2&a=1&utm_source=x#top") == (
        "https://example.ir/%D8%AE%D8%A8%D8%B1?a=1&b=2"
    )
    assert canonical_url("ftp://example.ir/x") is None and canonical_url("not a url") is None
    spaced = article(paragraphs=(PARAS[0] + "  ", " " + PARAS[1]))
    assert content_hash(spaced) == content_hash(article())
    assert content_hash(article(title="دیگر")) != content_hash(article())


def test_unusable_database_paths(tmp_path: Path) -> None:
    with pytest.raises(KhabarError, match="does not exist"):
        open_store(str(tmp_path / "missing" / "x.db"))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(KhabarError, match="not a usable SQLite database"):
        open_store(str(junk))
    monkey = tmp_path / "env.db"
    os.environ["KHABAR_DB"] = str(monkey)
    try:
        with open_store(None) as s:
            assert s.location == str(monkey)
    finally:
        del os.environ["KHABAR_DB"]
    assert monkey.exists()


def test_ingest_and_export_on_postgresql(postgres_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    import psycopg

    import newssite
    from khabar.cli import main

    name = f"cli{os.getpid()}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = postgres_url.rsplit("/", 1)[0] + "/" + name
    warc = tmp_path / "a.warc.gz"
    urls = newssite.archive_pages(warc, 6)
    assert main(["ingest", str(warc), "--db", url]) == 0
    assert main(["ingest", str(warc), "--db", url]) == 0
    assert "0 new, 0 updated, 6 unchanged" in capsys.readouterr().err
    assert main(["export", "--db", url]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["url"] for r in rows] == urls and rows[0]["language"] == "fa"
