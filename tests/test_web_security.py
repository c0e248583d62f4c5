"""Security of the reader web app on a real server: XSS payloads (in comments and in ingested
article text) come out inert, CSRF is enforced, admin pages refuse anonymous users, comments are
held for moderation, length limits, the spam check and the per-address rate limit hold; on a
SQLite store and on a PostgreSQL store."""

from __future__ import annotations

import io
import re
from html import unescape

import httpx
import pytest

from conftest import new_pg_database
from khabar.cli import main
from khabar.demo import ingest_demo
from khabar.ingest.pipeline import Ingestor
from khabar.store import open_store
from khabar.web import WebConfig
from khabar.web.comments import create_admin
from khabar.web.security import ADMIN_COOKIE, Signer
from khabar.web.server import BackgroundServer

ADMIN, PASSWORD = "dabir", "گذرواژه-خیلی-محرمانه"
HOSTILE_PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>بازگشایی پل تاریخی شهر پس از مرمت &lt;script&gt;alert(1)&lt;/script&gt;</title>
<link rel="canonical" href="http://evil.example/news/1"></head><body><article>
<h1>بازگشایی پل تاریخی شهر پس از مرمت &lt;script&gt;alert(1)&lt;/script&gt;</h1>
<p>به گزارش خبرنگار ما، پل سنگی قدیمی شهر پس از دو سال کار مرمتی دوباره به روی رهگذران باز شد و مردم محله از این خبر خوشحال شدند.</p>
<p>کارشناسان میراث فرهنگی می‌گویند &lt;img src=x onerror=alert(2)&gt; سنگ‌های فرسوده با مصالحی همانند مصالح نخستین جایگزین شده و نورپردازی تازه‌ای نیز برای شب‌ها در نظر گرفته شده است.</p>
<p>شهردار در آیین بازگشایی گفت که هزینه این طرح از بودجه شهری و کمک‌های مردمی فراهم شده و نگهداری پل از این پس بر عهده شهرداری منطقه خواهد بود &lt;/p&gt;&lt;script&gt;document.title="pwned"&lt;/script&gt; و بازدید از آن برای همه آزاد است.</p>
<script>alert("a real script tag")</script>
</article></body></html>"""
PAYLOADS = (
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(2)">',
    '"><svg onload=alert(3)>',
    "</textarea><script>alert(4)</script>",
    "javascript:alert(5)",
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db(request, tmp_path_factory):
    """The demo corpus plus a hostile page, in a SQLite file and in a PostgreSQL database."""
    folder = tmp_path_factory.mktemp("websec")
    path = (
        str(folder / "sec.db")
        if request.param == "sqlite"
        else new_pg_database(request.getfixturevalue("postgres_url"))
    )
    ingest_demo(path)
    page = folder / "evil.html"
    page.write_text(HOSTILE_PAGE, encoding="utf-8")
    with open_store(path) as store:
        stats = Ingestor(store).run([str(page)])
        assert stats["new"] == 1
        create_admin(store, ADMIN, PASSWORD)
    return path


@pytest.fixture(scope="module")
def server(db):
    with BackgroundServer(WebConfig(db=db, comment_rate=1000, login_rate=1000)) as srv:
        yield srv


def client(srv) -> httpx.Client:
    return httpx.Client(base_url=srv.url, trust_env=False, follow_redirects=False)


def csrf_of(c: httpx.Client, path: str) -> str:
    r = c.get(path)
    assert r.status_code in (200, 401), r.text[:200]
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def login(c: httpx.Client) -> None:
    token = csrf_of(c, "/admin/login")
    r = c.post("/admin/login", data={"csrf": token, "name": ADMIN, "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == "/admin"


def first_story(db) -> str:
    with open_store(db) as s:
        return s.execute("SELECT story_id FROM articles WHERE story_id IS NOT NULL ORDER BY id").fetchone()[0]


def post_comment(c: httpx.Client, story: str, name: str, body: str, **extra: str) -> httpx.Response:
    token = csrf_of(c, f"/story/{story}")
    return c.post(
        "/comments", data={"csrf": token, "kind": "story", "target": story, "name": name, "body": body, **extra}
    )


def comment_ids(db, body: str) -> list[tuple[int, str]]:
    with open_store(db) as s:
        return [(int(r[0]), r[1]) for r in s.execute("SELECT id, status FROM web_comments WHERE body = ?", (body,))]


def no_live_markup(html: str) -> None:
    """None of the payloads appear as markup: only escaped."""
    for p in PAYLOADS[:4]:
        assert p not in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<svg" not in html
    assert "<script" not in html.replace('<script src="/static/app.js" defer></script>', "")


def test_hostile_article_text_is_escaped(server, db):
    with open_store(db) as s:
        a = s.find_article("http://evil.example/news/1")
    assert a is not None and "<script>" in (a.title or "") and any("onerror" in p for p in a.paragraphs)
    c = client(server)
    for path in (f"/article/{a.id}", f"/story/{a.story_id}", "/", "/search?q=پل+تاریخی"):
        r = c.get(path)
        assert r.status_code == 200, path
        no_live_markup(r.text)
        if path.startswith("/article"):
            assert "&lt;script&gt;" in r.text and "&lt;img src=x onerror" in r.text
    found = c.get("/search", params={"q": "پل تاریخی"}).text
    assert f'href="/article/{a.id}"' in found
    api = c.get("/api/search", params={"q": "پل تاریخی"}).json()
    hit = next(h for h in api["results"] if h["id"] == a.id)
    assert "<script>" not in hit["snippet"] and "<script>" not in hit["title_html"]


def test_comment_is_held_then_approved_and_escaped(server, db):
    story = first_story(db)
    c = client(server)
    name = '<img src=x onerror="alert(2)">'
    body = "نظر آزمایشی " + " ".join(PAYLOADS)
    r = post_comment(c, story, name, body)
    assert r.status_code == 303 and "posted=held" in r.headers["location"]
    [(cid, status)] = comment_ids(db, body)
    assert status == "pending"
    assert "نظر آزمایشی" not in c.get(f"/story/{story}").text  # held for moderation
    admin = client(server)
    login(admin)
    page = admin.get("/admin")
    assert page.status_code == 200 and f'id="mod-{cid}"' in page.text
    no_live_markup(page.text)
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    assert admin.post(f"/admin/comments/{cid}/approve", data={"csrf": token}).status_code == 303
    shown = c.get(f"/story/{story}").text
    assert "نظر آزمایشی" in shown
    no_live_markup(shown)
    assert unescape(shown).count(body) == 1 and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def test_csrf_is_enforced(server, db):
    story = first_story(db)
    body = "نظری بدون نشانه امنیتی"
    c = client(server)
    c.get(f"/story/{story}")
    r = c.post("/comments", data={"kind": "story", "target": story, "name": "الف", "body": body})
    assert r.status_code == 403
    forged = Signer("a different key").form_token(c.cookies["khabar_csrf"])
    r = c.post("/comments", data={"csrf": forged, "kind": "story", "target": story, "name": "الف", "body": body})
    assert r.status_code == 403
    # a valid token taken from another browser does not match this browser's cookie
    other = client(server)
    stolen = csrf_of(other, f"/story/{story}")
    r = c.post("/comments", data={"csrf": stolen, "kind": "story", "target": story, "name": "الف", "body": body})
    assert r.status_code == 403
    assert comment_ids(db, body) == []
    # login needs it too
    r = client(server).post("/admin/login", data={"name": ADMIN, "password": PASSWORD})
    assert r.status_code == 403 and ADMIN_COOKIE not in r.cookies
    # and so do admin actions of a logged-in admin
    admin = client(server)
    login(admin)
    post_comment(client(server), story, "ب", "نظری برای آزمون نشانه مدیر")
    [(cid, _)] = comment_ids(db, "نظری برای آزمون نشانه مدیر")
    assert admin.post(f"/admin/comments/{cid}/approve", data={}).status_code == 403
    assert comment_ids(db, "نظری برای آزمون نشانه مدیر") == [(cid, "pending")]


def test_admin_pages_refuse_anonymous_users(server, db):
    story = first_story(db)
    post_comment(client(server), story, "پ", "نظری که ناشناس نباید تأییدش کند")
    [(cid, _)] = comment_ids(db, "نظری که ناشناس نباید تأییدش کند")
    anon = client(server)
    r = anon.get("/admin")
    assert r.status_code == 303 and r.headers["location"] == "/admin/login"
    token = csrf_of(anon, f"/story/{story}")
    for action in ("approve", "delete"):
        assert anon.post(f"/admin/comments/{cid}/{action}", data={"csrf": token}).status_code == 403
    # a forged session cookie (signed with another key) is no better
    anon.cookies.set(ADMIN_COOKIE, Signer("guess").admin_cookie(ADMIN))
    assert anon.get("/admin").status_code == 303
    assert anon.post(f"/admin/comments/{cid}/approve", data={"csrf": token}).status_code == 403
    assert comment_ids(db, "نظری که ناشناس نباید تأییدش کند") == [(cid, "pending")]
    # a wrong password gets no session
    bad = client(server)
    token = csrf_of(bad, "/admin/login")
    r = bad.post("/admin/login", data={"csrf": token, "name": ADMIN, "password": "wrong-password"})
    assert r.status_code == 401 and ADMIN_COOKIE not in r.cookies
    # the admin can delete it
    admin = client(server)
    login(admin)
    token = csrf_of(admin, "/admin")
    assert admin.post(f"/admin/comments/{cid}/delete", data={"csrf": token}).status_code == 303
    assert comment_ids(db, "نظری که ناشناس نباید تأییدش کند") == []


def test_length_limits_and_empty_fields(server, db):
    story = first_story(db)
    c = client(server)
    assert post_comment(c, story, "ت", "ث" * 2001).status_code == 400
    assert post_comment(c, story, "ج" * 61, "متن کوتاه").status_code == 400
    assert post_comment(c, story, "   ", "متن بی‌نام").status_code == 400
    assert post_comment(c, story, "چ", " \n ").status_code == 400
    assert post_comment(c, story, "ح", "ث" * 2000).status_code == 303  # exactly at the limit
    token = csrf_of(c, f"/story/{story}")
    r = c.post("/comments", data={"csrf": token, "kind": "story", "target": "no-such", "name": "خ", "body": "متن"})
    assert r.status_code == 404


def test_spam_is_filed_not_published(server, db):
    story = first_story(db)
    c = client(server)
    links = "تخفیف ویژه http://a.example http://b.example http://c.example"
    assert post_comment(c, story, "د", links).status_code == 303
    bot = "نظری از یک ربات که فیلد پنهان را پر کرده"
    assert post_comment(c, story, "ذ", bot, website="http://spam.example").status_code == 303
    assert comment_ids(db, links)[0][1] == "spam" and comment_ids(db, bot)[0][1] == "spam"
    again = "نظری که دو بار فرستاده می‌شود"
    post_comment(c, story, "ر", again)
    post_comment(c, story, "ر", again)
    assert sorted(s for _, s in comment_ids(db, again)) == ["pending", "spam"]


def test_rate_limit_per_address(db):
    story = first_story(db)
    with BackgroundServer(WebConfig(db=db, comment_rate=3, rate_window=3600)) as srv:
        c = client(srv)
        codes = [post_comment(c, story, "ز", f"نظر شماره {i} برای آزمون سقف").status_code for i in range(5)]
        assert codes == [303, 303, 303, 429, 429]
        last = post_comment(c, story, "ز", "باز هم یک نظر")
        assert last.status_code == 429 and int(last.headers["retry-after"]) > 0
        assert comment_ids(db, "باز هم یک نظر") == []


def test_admin_create_command(db, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("یک-گذرواژه-بلند\n"))
    assert main(["admin", "create", "modir2", "--db", db, "--password-stdin"]) == 0
    assert "created" in capsys.readouterr().out
    with open_store(db) as s:
        stored = s.execute("SELECT password_hash FROM web_admins WHERE name = 'modir2'").fetchone()[0]
    assert stored.startswith("$argon2") and "یک-گذرواژه-بلند" not in stored
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["admin", "create", "modir3", "--db", db, "--password-stdin"]) == 1
    assert "at least 8" in capsys.readouterr().err
    assert main(["admin", "create", "x", "--db", db + "_missing", "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert "no such database" in err if not db.startswith("postgresql://") else "cannot connect" in err


def test_oversized_posts_are_refused_before_reading(server, db):
    story = first_story(db)
    c = client(server)
    token = csrf_of(c, f"/story/{story}")
    huge = "ث" * 200_000
    r = c.post("/comments", data={"csrf": token, "kind": "story", "target": story, "name": "س", "body": huge})
    assert r.status_code == 413
    assert comment_ids(db, huge) == []


def test_unmoderated_article_comment_shows_at_once_escaped(db):
    with open_store(db) as s:
        article_id = s.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()[0]
    with BackgroundServer(WebConfig(db=db, moderate=False)) as srv:
        c = client(srv)
        token = csrf_of(c, f"/article/{article_id}")
        body = "نظری بی‌درنگ <b onmouseover=alert(1)>پررنگ</b>"
        r = c.post(
            "/comments", data={"csrf": token, "kind": "article", "target": str(article_id), "name": "ش", "body": body}
        )
        assert r.status_code == 303 and "posted=shown" in r.headers["location"]
        page = c.get(f"/article/{article_id}").text
        assert "&lt;b onmouseover=alert(1)&gt;" in page and "<b onmouseover" not in page
        # a comment is on its own page only
        other = c.get(f"/article/{article_id + 1}").text
        assert "نظری بی‌درنگ" not in other
