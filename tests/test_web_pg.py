"""The reader web app on a PostgreSQL store, through a real uvicorn server on 127.0.0.1: home, a
story page, an article page, search with variant spellings and the JSON API; an ingest by another
process shows at once (the page cache notices it); bad text in a URL is a 400, not a 500; and
``khabar serve --db postgresql://...`` as a command.

(test_web_pages.py, test_web_security.py and test_web_api_fuzz.py also run whole on PostgreSQL.)"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from conftest import new_pg_database
from khabar.demo import ingest_demo
from khabar.ingest.pipeline import Ingestor
from khabar.store import open_store
from khabar.web import WebConfig
from khabar.web.server import BackgroundServer, free_port

NEW_PAGE = """<!doctype html><html lang="fa" dir="rtl"><head><meta charset="utf-8">
<title>تولد دو بچه زرافه در باغ‌وحش ارم</title>
<link rel="canonical" href="http://didban.example/news/99001"></head><body><article>
<h1>تولد دو بچه زرافه در باغ‌وحش ارم</h1>
<p>به گزارش خبرنگار ما، دو بچه زرافه در هفته گذشته در باغ‌وحش ارم به دنیا آمدند و حال هر دو خوب است.</p>
<p>مسئولان باغ‌وحش می‌گویند زرافه‌ها تا پایان ماه در قرنطینه می‌مانند و پس از آن بازدیدکنندگان می‌توانند آنها را ببینند.</p>
<p>دامپزشکان این مجموعه گفتند که تغذیه بچه زرافه‌ها با شیر مادر انجام می‌شود و وزن آنها هر روز اندازه گرفته می‌شود.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def pg_db(postgres_url: str) -> str:
    url = new_pg_database(postgres_url)
    ingest_demo(url)
    return url


@pytest.fixture(scope="module")
def site(pg_db: str):
    with (
        BackgroundServer(WebConfig(db=pg_db, page_size=50)) as srv,
        httpx.Client(base_url=srv.url, trust_env=False) as client,
    ):
        yield client


def _stories(html: str) -> list[str]:
    return re.findall(r'<h2><a class="open" href="/story/([^"]+)">', html)


def test_pages_and_api_on_postgresql(site: httpx.Client, pg_db: str) -> None:
    with open_store(pg_db) as store:
        assert store.dialect == "postgresql"
        story_ids = {r[0] for r in store.execute("SELECT DISTINCT story_id FROM articles WHERE story_id IS NOT NULL")}
        article = store.get_article(int(store.execute("SELECT min(id) FROM articles").fetchone()[0]))
    home = site.get("/")
    assert home.status_code == 200 and '<html lang="fa" dir="rtl">' in home.text
    assert set(_stories(home.text)) == story_ids and len(story_ids) == 12
    story = site.get(f"/story/{quote(article.story_id)}")
    assert story.status_code == 200 and f'href="/article/{article.id}"' in story.text
    page = site.get(f"/article/{article.id}")
    assert page.status_code == 200 and all(p in unescape(page.text) for p in article.paragraphs)
    # search: the same articles for every spelling, matched words marked in the original spelling
    found = []
    for q in ("کتابها", "کتاب‌ها", "كتاب ها"):
        r = site.get("/search", params={"q": q})
        assert r.status_code == 200
        found.append(sorted(set(re.findall(r'href="/article/(\d+)"', r.text))))
        assert "<mark>کتاب‌ها</mark>" in r.text
    assert found[0] and found[0] == found[1] == found[2]
    api = site.get("/api/search", params={"q": "كتابها", "limit": 100}).json()
    assert sorted(str(h["id"]) for h in api["results"]) == found[0] and api["total"] == len(found[0])
    assert all(isinstance(h["id"], int) and h["score"] > 0 for h in api["results"])
    stories = site.get("/api/stories", params={"limit": 100}).json()["stories"]
    assert {s["id"] for s in stories} == story_ids
    detail = site.get(f"/api/stories/{quote(article.story_id)}").json()
    assert article.id in {v["article_id"] for v in detail["versions"]}
    got = site.get(f"/api/articles/{article.id}").json()
    assert got["title"] == article.title and got["story_id"] == article.story_id
    bad = site.get("/api/search", params={"q": "x", "since": "yesterday"})
    assert bad.status_code in (400, 422)


def test_an_ingest_by_another_process_shows_at_once(site: httpx.Client, pg_db: str, tmp_path: Path) -> None:
    home = site.get("/").text  # fills the page cache (outlet list, story cards)
    before = _stories(home)
    outlets_before = set(re.findall(r'<option value="([^"]*)"', home))
    assert site.get("/search", params={"q": "زرافه"}).status_code == 200
    page = tmp_path / "giraffe.html"
    page.write_text(NEW_PAGE, encoding="utf-8")
    with open_store(pg_db) as store:  # another connection, as khabar ingest would be
        assert Ingestor(store).run([str(page)])["new"] == 1
        new = store.find_article("http://didban.example/news/99001")
    assert new is not None and new.story_id
    home = site.get("/").text
    assert set(_stories(home)) == set(before) | {new.story_id}
    # the cached outlet list was dropped: the new article's outlet is offered now
    assert new.site and new.site not in outlets_before
    assert set(re.findall(r'<option value="([^"]*)"', home)) == outlets_before | {new.site}
    r = site.get("/search", params={"q": "زرافه ها"})
    assert f'href="/article/{new.id}"' in r.text and "<mark>زرافه‌ها</mark>" in r.text
    assert site.get(f"/story/{quote(new.story_id)}").status_code == 200


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/story/a%00b", 400),
        ("/api/stories/a%00b", 400),
        ("/?outlet=a%00b", 400),
        ("/api/stories?outlet=a%00b", 400),
        ("/search?q=x&outlet=a%00b", 200),  # a search the engine refuses has no results
    ],
)
def test_nul_in_a_url_is_a_400_not_a_500(site: httpx.Client, path: str, status: int) -> None:
    # PostgreSQL text cannot hold NUL, so these never reach the server as SQL parameters
    r = site.get(path)
    assert r.status_code == status, r.text[:300]
    if path.startswith("/api/"):
        assert "NUL" in r.json()["error"]
    assert site.get("/").status_code == 200  # the connection is still usable


def test_serve_command_on_postgresql(pg_db: str) -> None:
    port = free_port()
    khabar = str(Path(sys.executable).with_name("khabar"))
    src = str(Path(__file__).parents[1] / "src")  # this checkout's khabar, not an installed one
    env = {**os.environ, "NO_PROXY": "127.0.0.1", "PYTHONPATH": src}
    proc = subprocess.Popen(
        [khabar, "serve", "--db", pg_db, "--port", str(port), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        r = None
        for _ in range(150):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "کتابها"}, trust_env=False)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        assert r is not None and r.status_code == 200, proc.stdout.read() if proc.poll() is not None else ""
        assert r.json()["total"] > 0
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert f"khabar: serving {pg_db} at http://127.0.0.1:{port}/" in out


def test_a_password_in_the_url_is_not_printed() -> None:
    from khabar.web.commands import shown

    assert shown("postgresql://khabar:s3cret@db.example:5432/news") == "postgresql://khabar:***@db.example:5432/news"
    assert shown("postgresql://khabar@127.0.0.1/news") == "postgresql://khabar@127.0.0.1/news"
    assert shown("khabar.db") == "khabar.db"
