"""Ingest from the local news site (tests/newssite.py) served on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import newssite
from khabar.cli import main
from khabar.ingest.charset import decode_body
from khabar.ingest.fetch import FetchConfig, Fetcher
from khabar.ingest.pipeline import IngestOptions, Ingestor
from khabar.store import open_store
from khabar.text import normalize

# Short timeouts and no pauses, so the faults cost little time; everything else as in production.
CFG = FetchConfig(
    timeout=0.5,
    deadline=1.5,
    max_bytes=2 * 1024 * 1024,
    retries=1,
    backoff=0.05,
    host_delay=0.0,
    host_concurrency=6,
    concurrency=6,
)
FAST_CLI = ["--delay", "0", "--timeout", "0.5", "--retries", "1", "--max-bytes", str(2 * 1024 * 1024)]


@pytest.fixture(scope="module")
def site() -> Iterator[newssite.NewsSite]:
    with newssite.NewsSite(timeout_sleep=3.0) as s:
        yield s


def test_every_article_stored_once_and_every_fault_rejected(site: newssite.NewsSite, tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    warc = tmp_path / "fetched.warc.gz"
    with open_store(str(db)) as store:
        stats = Ingestor(store, IngestOptions(fetch=CFG, warc_path=warc)).run(site.feeds)
        stored = {a.url: a for a in store.iter_articles()}
        rejects = {r.source: r.reason for r in store.rejects()}

    assert sorted(stored) == sorted(site.url(p) for p in site.article_paths)
    assert stats["new"] == len(site.article_paths) and stats["feeds"] == len(site.feeds)
    assert set(rejects) == {site.url(p) for p in newssite.FAULTS}
    for path, why in newssite.FAULTS.items():
        assert why in rejects[site.url(path)], (path, rejects[site.url(path)])
    assert "/private/secret.html" not in site.log.paths()  # robots.txt was obeyed

    by_path = {u.removeprefix(site.base): a for u, a in stored.items()}
    # windows-1256 pages, charset in <meta> only and in the header only, come out as Persian text.
    for slug in ("football-derby", "caspian-weather"):
        a = by_path[f"/sepidedam/{slug}.html"]
        assert a.title == normalize(newssite.STORIES[slug].title)
        assert "\ufffd" not in "".join(a.paragraphs)
    # The page without any date takes the date its feed gave.
    wheat = by_path["/khabarnameh/wheat-harvest.html"]
    assert (wheat.published, wheat.published_jalali) == ("2024-05-25T05:00:00+00:00", "۱۴۰۳/۰۳/۰۵ ۰۸:۳۰")
    # Pages with a Jalali date in <meta> keep it.
    assert by_path["/khabarnameh/metro-line.html"].published_jalali == "۱۴۰۳/۰۸/۱۲ ۰۹:۳۰"
    # Chrome stays out of the text; the republished copy is its own article.
    for a in stored.values():
        text = "\n".join(a.paragraphs)
        assert newssite.COMMENT_FORM not in text and "تمام حقوق" not in text
        assert "utm_" not in (a.url or "")
    assert by_path["/bamdad/metro-tabriz.html"].id != by_path["/khabarnameh/metro-line.html"].id

    # The same sources again change nothing.
    with open_store(str(db)) as store:
        again = Ingestor(store, IngestOptions(fetch=CFG)).run(site.feeds[:4])  # the faults cost time
        assert store.count_articles() == len(stored)
    assert again["new"] == again["updated"] == again["rejected"] == 0 and again["unchanged"] == len(stored) - 2

    # The WARC written on the way replays offline into the same articles.
    with open_store(str(tmp_path / "replay.db")) as replay:
        rstats = Ingestor(replay, IngestOptions(fetch=CFG)).run([str(warc)])
        replayed = {a.url: a.content_hash for a in replay.iter_articles()}
    assert replayed == {u: a.content_hash for u, a in stored.items()}
    assert rstats["new"] == len(stored)


def test_unchanged_feed_costs_one_304(site: newssite.NewsSite, tmp_path: Path) -> None:
    feeds = [site.url("/khabarnameh/rss.xml"), site.url("/sepidedam/atom.xml")]
    with open_store(str(tmp_path / "k.db")) as store, Fetcher(CFG) as fetcher:
        for f in feeds:
            store.add_feed(f)
        options = IngestOptions(fetch=CFG, skip_known=True)
        first = Ingestor(store, options, fetcher=fetcher).poll(store.feeds())
        assert first["new"] == 5
        assert store.get_feed(feeds[0]).etag == '"kh-1"'  # type: ignore[union-attr]
        site.log.clear()
        second = Ingestor(store, options, fetcher=fetcher).poll(store.feeds())
        entries = list(site.log.entries)
        assert sorted(p for p, _, _ in entries) == ["/khabarnameh/rss.xml", "/sepidedam/atom.xml"]
        assert sorted(inm or "" for _, inm, _ in entries) == ['"kh-1"', '"sp-7"']
        assert second["not_modified"] == 2 and second["new"] == 0
        assert store.get_feed(feeds[1]).last_status == 304  # type: ignore[union-attr]
        assert store.get_feed(feeds[1]).etag == '"sp-7"'  # type: ignore[union-attr]


def test_feeds_add_opml_then_crawl_once(
    site: newssite.NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "k.db")
    opml = tmp_path / "feeds.opml"
    outlines = "".join(f'<outline type="rss" text="outlet {i}" xmlUrl="{u}"/>' for i, u in enumerate(site.feeds[:4]))
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><head/><body>{outlines}</body></opml>')
    assert main(["feeds", "add", str(opml), "--db", db]) == 0
    assert main(["feeds", "add", site.feeds[0], "--db", db]) == 0
    assert "0 added, 1 already registered" in capsys.readouterr().err
    args = ["crawl", "--once", "--db", db, "--warc", str(tmp_path / "c.warc.gz"), *FAST_CLI]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "4 feeds: 7 new" in err
    assert main(args) == 0
    assert "0 new" in capsys.readouterr().err
    assert main(["feeds", "list", "--json", "--db", db]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [f["url"] for f in listed] == site.feeds[:4]
    assert all(f["last_status"] in (200, 304) for f in listed)
    with open_store(db) as store:
        assert store.count_articles() == 7


def test_ingest_one_page_url_from_the_command_line(
    site: newssite.NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "k.db")
    url = site.url("/khabarnameh/book-fair.html?utm_source=telegram")
    assert main(["ingest", url, "--db", db, "--no-warc", *FAST_CLI]) == 0
    assert "1 new" in capsys.readouterr().err
    assert main(["ingest", site.url("/khata/missing.html"), "--db", db, "--no-warc", *FAST_CLI]) == 0
    assert main(["rejects", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "/khata/missing.html\tHTTP 404" in out
    with open_store(db) as store:
        (a,) = list(store.iter_articles())
    assert a.url == site.url("/khabarnameh/book-fair.html")
    assert a.title == normalize(newssite.STORIES["book-fair"].title)


def test_requests_to_one_host_are_spaced(site: newssite.NewsSite) -> None:
    cfg = FetchConfig(host_delay=0.2, host_concurrency=1, robots=False, timeout=2.0)
    paths = [f"/khabarnameh/{s}.html" for s in ("metro-line", "book-fair", "wheat-harvest")]
    site.log.clear()
    with Fetcher(cfg) as fetcher:
        threads = [threading.Thread(target=fetcher.fetch, args=(site.url(p),)) for p in paths * 2]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    times = sorted(t for _, _, t in site.log.entries)
    assert len(times) == 6
    # The fetcher spaces its requests 0.2 s apart; the server sees them with some scheduling
    # jitter on a loaded machine, so check the spacing with room for that.
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.1
    assert times[-1] - times[0] >= 0.8


def test_charset_from_header_meta_and_content() -> None:
    page = newssite.to_cp1256_text(newssite.article_html("x", newssite.STORIES["football-derby"], charset_meta=None))
    body = page.encode("cp1256")
    # Header names it.
    assert decode_body(body, "text/html; charset=windows-1256") == (page, "cp1256")
    # Header wrong (utf-8): the bytes are not UTF-8, so the meta tag decides.
    with_meta = body.replace(b"<head>", b'<head><meta charset="windows-1256">')
    assert decode_body(with_meta, "text/html; charset=utf-8")[1] == "cp1256"
    # A Latin label on non-ASCII bytes and no declaration: the content decides.
    text, enc = decode_body(body, "text/html; charset=iso-8859-1")
    assert enc != "latin-1" and "اصفهان" in normalize(text)
    with pytest.raises(ValueError, match="binary"):
        decode_body(b"\x00\x01\x02\xff\xfe" * 100, "text/html")


def test_a_changed_page_updates_its_row_and_keeps_history(site: newssite.NewsSite, tmp_path: Path) -> None:
    path = "/bamdad/carpet-export.html"
    original = site.pages[path]
    story = newssite.STORIES["carpet-export"]
    corrected = replace(story, paragraphs=(*story.paragraphs, "این خبر پس از انتشار با گفته‌های تازه کامل شد."))
    with open_store(str(tmp_path / "k.db")) as store:
        first = Ingestor(store, IngestOptions(fetch=CFG)).run([site.url(path)])
        try:
            site.pages[path] = replace(original, body=newssite.article_html("bamdad", corrected).encode())
            second = Ingestor(store, IngestOptions(fetch=CFG)).run([site.url(path)])
        finally:
            site.pages[path] = original
        (a,) = list(store.iter_articles())
        history = store.history(a.id)
    assert (first["new"], second["updated"]) == (1, 1)
    assert a.version == 2 and a.paragraphs[-1] == "این خبر پس از انتشار با گفته‌های تازه کامل شد."
    assert [v.version for v in history] == [1, 2]
    assert history[0].article["paragraphs"][-1] != a.paragraphs[-1]
