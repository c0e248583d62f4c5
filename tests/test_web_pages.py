"""The reader web app over the ingested demo corpus, through a real uvicorn server on 127.0.0.1,
on a SQLite store and on a PostgreSQL store: pages, filters, story/article content, Persian
search variants, feeds and the JSON API."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import feedparser
import httpx
import pytest

from conftest import new_pg_database
from khabar.dedup import StoryIndex
from khabar.demo import ingest_demo
from khabar.demo_corpus import load_manifest
from khabar.store import open_store
from khabar.web import WebConfig
from khabar.web.data import outlet_key, outlet_name
from khabar.web.fmt import tehran_day
from khabar.web.server import BackgroundServer

ASCII_DIGIT = re.compile(r"[0-9]")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_db(request, tmp_path_factory):
    """The demo corpus ingested into a SQLite file, and into a throwaway PostgreSQL database: every
    test of this file runs against the app on both."""
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("web") / "demo.db")
    else:
        db = new_pg_database(request.getfixturevalue("postgres_url"))
    summary = ingest_demo(db)
    assert summary.articles == len(load_manifest().documents)
    return db


@pytest.fixture(scope="module")
def site(demo_db):
    with (
        BackgroundServer(WebConfig(db=demo_db, page_size=50)) as srv,
        httpx.Client(base_url=srv.url, trust_env=False) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def store(demo_db):
    with open_store(demo_db) as s:
        yield s


def story_links(html: str) -> list[str]:
    return re.findall(r'<h2><a class="open" href="/story/([^"]+)">', html)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return unescape(html)


def test_home_lists_every_story_rtl_persian(site, store):
    r = site.get("/")
    assert r.status_code == 200
    assert '<html lang="fa" dir="rtl">' in r.text
    assert 'name="viewport"' in r.text
    stories = {row[0] for row in store.execute("SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL")}
    assert set(story_links(r.text)) == stories
    # relative times are Persian, with Persian digits ("۲ سال پیش")
    times = re.findall(r"<time [^>]*>([^<]+)</time>", r.text)
    assert times and all(t.endswith("پیش") and not ASCII_DIGIT.search(t) for t in times)


def test_home_orders_stories_newest_first(site, store):
    ids = story_links(site.get("/").text)
    latest = []
    for sid in ids:
        rows = store.execute("SELECT MAX(published) FROM articles WHERE story_id = ?", (sid,)).fetchone()
        latest.append(rows[0])
    assert latest == sorted(latest, reverse=True)


def test_outlet_filter_keeps_only_stories_the_outlet_carried(site, store):
    outlet = store.execute(
        "SELECT site FROM articles WHERE site IS NOT NULL GROUP BY site ORDER BY COUNT(*) DESC"
    ).fetchone()[0]
    r = site.get("/", params={"outlet": outlet})
    got = set(story_links(r.text))
    want = {row[0] for row in store.execute("SELECT DISTINCT story_id FROM articles WHERE site = ?", (outlet,))}
    assert got == want and 0 < len(got) < len(story_links(site.get("/").text))


def test_outlet_spellings_are_one_outlet(site, store):
    """The demo has a windows-1256 page whose outlet is spelled with Arabic ي/ك: one outlet still."""
    raw = [r[0] for r in store.execute("SELECT DISTINCT site FROM articles WHERE site IS NOT NULL")]
    keys = {outlet_key(s) for s in raw}
    html = site.get("/").text
    options = re.findall(r'<option value="([^"]+)"', html.split('name="day"')[0])
    assert len(options) == len(keys) and {outlet_key(o) for o in options} == keys
    for key in keys:
        spellings = [s for s in raw if outlet_key(s) == key]
        want = {
            row[0]
            for row in store.execute(
                f"SELECT DISTINCT story_id FROM articles WHERE site IN ({','.join('?' * len(spellings))})", spellings
            )
        }
        for spelling in spellings:
            assert set(story_links(site.get("/", params={"outlet": spelling}).text)) == want
        name = next(o for o in options if outlet_key(o) == key)
        found = site.get("/search", params={"q": "شهر", "outlet": name}).text
        shown = set(re.findall(r'<span class="outlet">([^<]+)</span>', found))
        assert shown <= {name}


def test_day_filter_uses_tehran_days(site, store):
    doc = load_manifest().documents[0]
    day = tehran_day(doc.published)
    r = site.get("/", params={"day": day.isoformat()})
    got = set(story_links(r.text))
    want = {
        sid
        for sid, published in store.execute("SELECT story_id, published FROM articles WHERE published IS NOT NULL")
        if tehran_day(published) == day
    }
    assert got == want and got
    assert site.get("/", params={"day": "not-a-day"}).status_code == 400


def test_story_page_shows_best_version_outlets_first_reporter_and_citations(site, store, demo_db):
    index = StoryIndex(store.connection)
    multi = [s for s in index.stories() if len(s.outlets) > 1]
    assert multi
    for info in multi:
        r = site.get(f"/story/{quote(info.cluster_id)}")
        assert r.status_code == 200
        members = store.execute("SELECT id, site, url FROM articles WHERE story_id = ?", (info.cluster_id,)).fetchall()
        for article_id, _outlet, url in members:
            assert f'href="/article/{article_id}"' in r.text
            if url:
                assert f'href="{url}"' in r.text
        assert f'<strong class="first-reporter">{outlet_name(info.first_reporter)}</strong>' in r.text
        for a, b in info.citations:
            assert f"<span>{outlet_name(a)}</span> به نقل از <span>{outlet_name(b)}</span>" in r.text
        # the best version is the longest one from the first reporter, shown in full
        best_id = int(re.search(r'بهترین روایت: <a href="/article/(\d+)"', r.text).group(1))
        best = store.get_article(best_id)
        assert best.story_id == info.cluster_id
        if any(outlet_key(m[1]) == outlet_key(info.first_reporter) for m in members):
            assert outlet_key(best.site) == outlet_key(info.first_reporter)
            words = sum(len(p.split()) for p in (best.title or "", best.lead or "", *best.paragraphs))
            for article_id, outlet, _url in members:
                if outlet_key(outlet) == outlet_key(info.first_reporter):
                    other = store.get_article(article_id)
                    assert words >= sum(
                        len(p.split()) for p in (other.title or "", other.lead or "", *other.paragraphs)
                    )
        for p in best.paragraphs:
            assert p in unescape(r.text)
        assert "نظر شما" in r.text


def test_article_page_has_clean_text_credits_and_original_link(site, store):
    with_credit = store.execute(
        "SELECT id FROM articles WHERE attributions != '[]' AND url IS NOT NULL ORDER BY id"
    ).fetchone()[0]
    a = store.get_article(with_credit)
    r = site.get(f"/article/{a.id}")
    assert r.status_code == 200
    text = unescape(r.text)
    assert a.title in text and all(p in text for p in a.paragraphs)
    for name in a.attributions:
        assert f'<span class="attribution">{name}</span>' in text
    for credit in a.photo_credits:
        assert f'<span class="photo-credit">{credit}</span>' in text
    assert f'href="{a.url}"' in r.text
    with_photo = store.execute("SELECT id FROM articles WHERE photo_credits != '[]' ORDER BY id").fetchone()
    assert with_photo, "the demo corpus has pages with photo credits"
    b = store.get_article(with_photo[0])
    text = unescape(site.get(f"/article/{b.id}").text)
    assert b.photo_credits and all(f'<span class="photo-credit">{x}</span>' in text for x in b.photo_credits)
    assert site.get("/article/999999").status_code == 404
    bad = site.get("/article/not-a-number")
    assert bad.status_code == 400 and 'dir="rtl"' in bad.text  # a page, not JSON
    assert site.get("/", params={"page": "x"}).status_code == 400
    assert site.get("/story/no-such-story").status_code == 404


def _ids_containing(store, needle: str) -> set[int]:
    return {a.id for a in store.iter_articles() if needle in "\n".join([a.title or "", a.lead or "", *a.paragraphs])}


@pytest.mark.parametrize(
    ("query", "written"),
    [("می شود", "می‌شود"), ("ميشود", "می‌شود"), ("کتابها", "کتاب‌ها")],
)
def test_search_finds_variant_spellings(site, store, query, written):
    want = _ids_containing(store, written)
    assert want, f"the demo corpus should contain {written}"
    data = site.get("/api/search", params={"q": query, "limit": 100}).json()
    got = {r["id"] for r in data["results"]}
    assert want <= got
    page = site.get("/search", params={"q": query})
    assert page.status_code == 200 and "<mark>" in page.text
    for article_id in list(want)[:5]:
        assert f'href="/article/{article_id}"' in page.text


def test_search_groups_results_by_story_and_filters(site, store):
    data = site.get("/api/search", params={"q": "کتابخانه", "limit": 100}).json()
    assert data["total"] >= 2
    by_story = {}
    for hit in data["results"]:
        by_story.setdefault(hit["story_id"], []).append(hit["id"])
    assert {g["story_id"]: g["ids"] for g in data["stories"]} == by_story
    first = data["results"][0]
    only = site.get("/api/search", params={"q": "کتابخانه", "site": first["site"], "limit": 100}).json()
    assert only["results"] and all(h["site"] == first["site"] for h in only["results"])
    page = site.get("/search", params={"q": "کتابخانه"})
    assert 'class="result-group"' in page.text
    # a date range with nothing in it
    empty = site.get("/api/search", params={"q": "کتابخانه", "until": "2000-01-01"}).json()
    assert empty["total"] == 0
    assert site.get("/search", params={"q": "کتابخانه", "since": "yesterday"}).status_code == 400


def test_hostile_queries_never_break_the_page(site):
    for q in ['"', "«", "-", "AND OR NOT (", "*", "\x00", "ك" * 600, "<script>alert(1)</script>"]:
        r = site.get("/search", params={"q": q})
        assert r.status_code == 200
        assert "<script>alert(1)</script>" not in r.text


def test_feeds_latest_outlet_and_search(site, store):
    latest = feedparser.parse(site.get("/feed.xml").content)
    assert not latest.bozo and latest.feed.language == "fa"
    n_stories = store.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
    assert len(latest.entries) == n_stories
    assert all("/story/" in e.link for e in latest.entries)
    atom = feedparser.parse(site.get("/atom.xml").content)
    assert not atom.bozo and atom.version.startswith("atom") and len(atom.entries) == n_stories
    outlet = store.execute("SELECT site FROM articles WHERE site IS NOT NULL LIMIT 1").fetchone()[0]
    one = feedparser.parse(site.get("/feed.xml", params={"outlet": outlet}).content)
    n_outlet = store.execute("SELECT COUNT(DISTINCT story_id) FROM articles WHERE site = ?", (outlet,)).fetchone()[0]
    assert len(one.entries) == n_outlet < n_stories
    found = feedparser.parse(site.get("/search/feed.xml", params={"q": "کتابها"}).content)
    assert {int(e.link.rsplit("/", 1)[1]) for e in found.entries} >= _ids_containing(store, "کتاب‌ها")


def test_pages_of_stories_and_results(demo_db, store):
    n = store.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
    with (
        BackgroundServer(WebConfig(db=demo_db, page_size=5)) as srv,
        httpx.Client(base_url=srv.url, trust_env=False) as c,
    ):
        seen: list[str] = []
        page, url = 1, "/"
        while url:
            html = c.get(url).text
            ids = story_links(html)
            assert 0 < len(ids) <= 5
            seen += ids
            nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
            url = unescape(nxt.group(1)) if nxt else None
            page += 1
            assert page < 10
        assert len(seen) == len(set(seen)) == n
        total = c.get("/api/search", params={"q": "شهر", "limit": 100}).json()["total"]
        assert total > 5
        found: list[str] = []
        url = "/search?q=" + quote("شهر")
        while url:
            html = c.get(url).text
            found += re.findall(r'<h3><a class="open" href="/article/(\d+)">', html)
            nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
            url = unescape(nxt.group(1)) if nxt else None
        assert len(found) == len(set(found)) == total


def test_feeds_link_to_the_public_address_not_the_host_header(demo_db):
    config = WebConfig(db=demo_db, public_url="https://khabar.example/")
    with BackgroundServer(config) as srv, httpx.Client(base_url=srv.url, trust_env=False) as c:
        feed = feedparser.parse(c.get("/feed.xml", headers={"Host": "evil.example"}).content)
    assert feed.entries and all(e.link.startswith("https://khabar.example/story/") for e in feed.entries)


def test_json_api_and_openapi(site, store):
    data = site.get("/api/stories", params={"limit": 5}).json()
    assert len(data["stories"]) == 5 and data["limit"] == 5
    story = data["stories"][0]
    detail = site.get(f"/api/stories/{quote(story['id'])}").json()
    assert detail["best_article_id"] == story["best_article_id"]
    assert {v["article_id"] for v in detail["versions"]} == {
        r[0] for r in store.execute("SELECT id FROM articles WHERE story_id = ?", (story["id"],))
    }
    article = site.get(f"/api/articles/{story['best_article_id']}").json()
    assert article["story_id"] == story["id"] and article["paragraphs"]
    assert site.get("/api/articles/999999").status_code == 404
    assert site.get("/api/stories/nope").status_code == 404
    hit = site.get("/api/search", params={"q": "کتابها"}).json()["results"][0]
    assert {"id", "url", "title", "snippet", "story_id"} <= set(hit)
    spec = site.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(
        spec["paths"]
    )
    assert site.get("/api/stories", params={"limit": 0}).status_code == 422


def test_security_headers_and_static_files(site):
    r = site.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert site.get("/static/app.js").status_code == 200
    assert "font-family" in site.get("/static/style.css").text
