"""Ingest from the local news site (tests/newssite.py) served on 127.0.0.1."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

import newssite
from khabar.cli import main
from khabar.ingest.charset import decode_body
from khabar.ingest.fetch import FetchConfig, Fetcher
from khabar.ingest.pipeline import IngestOptions, Ingestor
from khabar.ingest.warc import WarcArchive
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


# -- redirects: followed by the fetcher, hop by hop ------------------------------------------------


def test_a_redirect_chain_ends_at_its_last_hop_and_every_hop_is_archived(
    site: newssite.NewsSite, tmp_path: Path
) -> None:
    path = tmp_path / "hops.warc.gz"
    start = site.url("/khabarnameh/old/metro-line.html")
    site.log.clear()
    with Fetcher(CFG, warc=WarcArchive(path)) as fetcher:
        result = fetcher.fetch(start)
    assert result.ok and result.status == 200, result.error
    assert (result.url, result.final_url) == (start, site.url("/khabarnameh/metro-line.html"))
    assert normalize(newssite.STORIES["metro-line"].title) in normalize(decode_body(result.body, "text/html")[0])
    hops = ["/khabarnameh/old/metro-line.html", "/khabarnameh/moved/metro-line.html", "/khabarnameh/metro-line.html"]
    assert [p for p in site.log.paths() if p != "/robots.txt"] == hops
    with path.open("rb") as fh:
        records = [
            (r.rec_headers.get_header("WARC-Target-URI"), r.http_headers.get_statuscode(), r.http_headers)
            for r in ArchiveIterator(fh)
            if r.rec_type == "response"
        ]
    assert [(u, s) for u, s, _ in records] == [
        (site.url("/robots.txt"), "200"),
        (site.url(hops[0]), "301"),
        (site.url(hops[1]), "302"),
        (site.url(hops[2]), "200"),
    ]
    assert records[1][2].get_header("Location") == "../moved/metro-line.html"


def test_a_redirect_to_a_path_robots_txt_forbids_is_not_followed(site: newssite.NewsSite) -> None:
    site.log.clear()
    with Fetcher(CFG) as fetcher:
        result = fetcher.fetch(site.url("/khata/to-private.html"))
    assert result.status is None and not result.ok
    assert result.error == f"redirect to {site.url('/private/secret.html')} disallowed by robots.txt"
    assert result.url == site.url("/khata/to-private.html")
    assert "/private/secret.html" not in site.log.paths()


def test_a_redirect_to_another_host_asks_that_hosts_robots_txt(site: newssite.NewsSite) -> None:
    secret, page = "/private/secret.html", "/bamdad/carpet-export.html"
    with newssite.NewsSite() as other:
        site.redirects["/go/secret.html"] = (302, other.url(secret))
        site.redirects["/go/page.html"] = (307, other.url(page))
        try:
            with Fetcher(CFG) as fetcher:
                refused = fetcher.fetch(site.url("/go/secret.html"))
                followed = fetcher.fetch(site.url("/go/page.html"))
        finally:
            del site.redirects["/go/secret.html"], site.redirects["/go/page.html"]
        assert refused.error == f"redirect to {other.url(secret)} disallowed by robots.txt"
        assert followed.ok and followed.final_url == other.url(page)
        assert followed.url == site.url("/go/page.html")
        assert other.log.paths() == ["/robots.txt", page]  # its robots.txt once, never the secret
    # A host that does not answer at all: its robots.txt is unreachable, so the hop is refused.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{s.getsockname()[1]}/news.html"
    site.redirects["/go/nowhere.html"] = (302, nowhere)
    try:
        with Fetcher(CFG) as fetcher:
            unreachable = fetcher.fetch(site.url("/go/nowhere.html"))
    finally:
        del site.redirects["/go/nowhere.html"]
    assert unreachable.error is not None
    assert unreachable.error.startswith(f"redirect to {nowhere}: robots.txt unreachable (connection failed")


def test_a_redirect_to_another_host_waits_for_that_hosts_turn(site: newssite.NewsSite) -> None:
    cfg = replace(CFG, host_delay=0.4, robots=False)
    page = "/bamdad/carpet-export.html"
    with newssite.NewsSite() as other:
        site.redirects["/go/page.html"] = (302, other.url(page))
        try:
            with Fetcher(cfg) as fetcher:
                assert fetcher.fetch(other.url(page)).ok
                assert fetcher.fetch(site.url("/go/page.html")).ok  # this host's first request
        finally:
            del site.redirects["/go/page.html"]
        first, second = (t for _, _, t in other.log.entries)
    assert second - first >= 0.3  # 0.4 s apart, with room for scheduling jitter


def test_conditional_get_headers_go_with_the_first_hop_only(site: newssite.NewsSite) -> None:
    site.log.clear()
    with Fetcher(CFG) as fetcher:
        result = fetcher.fetch(site.url("/khabarnameh/old-rss.xml"), etag='"kh-1"')
    assert result.status == 200 and result.final_url == site.url("/khabarnameh/rss.xml")
    hops = [(p, inm) for p, inm, _ in site.log.entries if p != "/robots.txt"]
    assert hops == [("/khabarnameh/old-rss.xml", '"kh-1"'), ("/khabarnameh/rss.xml", None)]


def test_redirect_caps_loops_and_non_http_targets(site: newssite.NewsSite) -> None:
    site.log.clear()
    with Fetcher(CFG) as fetcher:
        loop = fetcher.fetch(site.url("/khata/loop.html"))
        ftp = fetcher.fetch(site.url("/khata/to-ftp.html"))
    assert loop.error == "too many redirects (more than 5) or a redirect loop"
    assert [p for p in site.log.paths() if p != "/robots.txt"] == [
        "/khata/loop.html",
        "/khata/loop-back.html",
        "/khata/to-ftp.html",
    ]  # the loop is seen before loop.html is asked for again; the ftp: URL is never tried
    assert ftp.error == "redirect to ftp://127.0.0.1/khata/photo.html: not an http(s) URL"
    assert ftp.attempts == 1
    # A chain longer than max_redirects stops at the cap: with one redirect allowed, the answer
    # of the second hop (another redirect) is refused.
    with Fetcher(replace(CFG, max_redirects=1)) as fetcher:
        long_chain = fetcher.fetch(site.url("/khabarnameh/old/metro-line.html"))
    assert long_chain.error == "too many redirects (more than 1) or a redirect loop"
    assert long_chain.final_url == site.url("/khabarnameh/moved/metro-line.html")


def test_robots_txt_redirects_are_followed(tmp_path: Path) -> None:
    with newssite.NewsSite() as moved:
        moved.redirects["/robots.txt"] = (301, "/rules/robots.txt")
        moved.pages["/rules/robots.txt"] = newssite.Response(
            body=b"User-agent: *\nDisallow: /bamdad/\n", content_type="text/plain"
        )
        with Fetcher(CFG) as fetcher:
            assert fetcher.fetch(moved.url("/bamdad/carpet-export.html")).error == "disallowed by robots.txt"
            assert fetcher.fetch(moved.url("/khabarnameh/book-fair.html")).ok
        assert moved.log.paths() == ["/robots.txt", "/rules/robots.txt", "/khabarnameh/book-fair.html"]
        # A robots.txt that redirects in a loop is unreachable: the host is blocked.
        moved.redirects["/robots.txt"] = (302, "/robots.txt")
        moved.log.clear()
        with Fetcher(CFG) as fetcher:
            blocked = fetcher.fetch(moved.url("/khabarnameh/book-fair.html"))
        assert blocked.error is not None and blocked.error.startswith("robots.txt unreachable (too many redirects")
        assert moved.log.paths() == ["/robots.txt"]
