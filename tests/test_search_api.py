"""search_api behind a real HTTP server on 127.0.0.1 (on SQLite and on PostgreSQL), and the
``khabar search`` commands (``--db`` a SQLite file or a ``postgresql://`` URL)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import new_pg_database
from khabar.errors import InputError
from khabar.search import SearchDoc, open_search, search_api


def _connector(db):
    """Opens a new connection to ``db``: a SQLite file path or a postgresql:// URL."""
    if str(db).startswith("postgresql://"):
        import psycopg

        return lambda: psycopg.connect(db, autocommit=True)
    return lambda: sqlite3.connect(db)


def _handler(db):
    connect = _connector(db)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # the shape of the web app's route
            url = urllib.parse.urlsplit(self.path)
            conn = connect()
            try:
                status, payload = 200, search_api(conn, urllib.parse.parse_qs(url.query))
            except InputError as exc:
                status, payload = 400, {"error": str(exc)}
            finally:
                conn.close()
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request, tmp_path):
    if request.param == "sqlite":
        db = tmp_path / "web.db"
    else:
        db = new_pg_database(request.getfixturevalue("postgres_url"))
    conn = _connector(db)()
    open_search(conn).add_many(
        [
            SearchDoc(
                10,
                "https://khabar.test/a",
                "افزایش قیمت‌ها",
                "قیمت نان بیشتر می‌شود",
                "متن",
                "isna",
                "2024-02-01",
                "s1",
            ),
            SearchDoc(
                11,
                "https://khabar.test/b",
                "قیمت نان",
                "گزارش دوم",
                "نانوایی‌ها <i>شلوغ</i>",
                "irna",
                "2024-02-02",
                "s1",
            ),
            SearchDoc(
                12,
                "https://khabar.test/c",
                "قیمت خودرو",
                "بازار خودرو",
                "بدون تغییر",
                "irna",
                "2024-03-01",
                "s2",
            ),
        ]
    )
    conn.close()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(db))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def get(base, **params):
    url = base + "/api/search?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_api_returns_results_with_the_agreed_fields(server):
    status, data = get(server, q="قيمتها")
    assert status == 200
    assert data["total"] == 3
    for r in data["results"]:
        assert {"id", "url", "title", "snippet", "story_id"} <= r.keys()
    assert [s["story_id"] for s in data["stories"]].count("s1") == 1
    assert sorted(i for s in data["stories"] for i in s["ids"]) == [10, 11, 12]


def test_api_filters_and_paging(server):
    status, data = get(server, q="قیمت", site="irna", since="2024-02-02", until="2024-02-28")
    assert status == 200 and [r["id"] for r in data["results"]] == [11]
    status, data = get(server, q="قیمت", limit="1", offset="2")
    assert status == 200 and data["total"] == 3 and len(data["results"]) == 1


def test_api_snippet_is_escaped(server):
    _, data = get(server, q="نانوایی")
    assert data["results"][0]["snippet"] == "گزارش دوم <mark>نانوایی‌ها</mark> &lt;i&gt;شلوغ&lt;/i&gt;"


@pytest.mark.parametrize(
    "params",
    [
        {"q": "قیمت", "limit": "lots"},
        {"q": "قیمت", "limit": "0"},
        {"q": "قیمت", "since": "31/12/2024"},
        {"q": "قیمت", "offset": "-1"},
    ],
)
def test_api_bad_parameters_are_400_naming_the_parameter(server, params):
    status, data = get(server, **params)
    bad = next(k for k in params if k != "q")
    assert status == 400 and data["error"].startswith(bad)


@pytest.mark.parametrize("q", ["", '"', "NEAR(", "*", "--", "«»"])
def test_api_hostile_query_gives_no_results(server, q):
    status, data = get(server, q=q)
    assert status == 200 and data["results"] == [] and data["total"] == 0


def test_cli_index_and_search(tmp_path):
    src = tmp_path / "articles.jsonl"
    lines = [
        {
            "record_id": "r1",
            "title": "جشنواره فیلم",
            "lead": "فیلم‌های تازه نمایش داده می‌شود",
            "paragraphs": ["سالن‌ها پر بود."],
            "site": "isna",
            "published": "2024-02-10T10:00:00Z",
        },
        {"source": "bad.html", "error": "binary input"},
    ]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n{broken\n", encoding="utf-8")
    db = tmp_path / "cli.db"
    run = [sys.executable, "-m", "khabar.cli"]
    out = subprocess.run([*run, "search-index", str(src), "--db", str(db)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"added": 1, "rejected": 2, "db": str(db)}
    assert "binary input" in out.stderr and f"{src}:3" in out.stderr
    out = subprocess.run([*run, "search", "فیلم ها", "--db", str(db)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [r["id"] for r in data["results"]] == ["r1"]
    assert "<mark>فیلم‌های</mark>" in data["results"][0]["snippet"]
    out = subprocess.run([*run, "search", "x", "--db", str(tmp_path / "none.db")], capture_output=True, text=True)
    assert out.returncode == 1 and "none.db: no such database file" in out.stderr


def test_cli_index_and_search_on_postgres(tmp_path, postgres_url):
    url = new_pg_database(postgres_url)
    src = tmp_path / "articles.jsonl"
    lines = [
        {"id": 5, "title": "جشنواره فیلم", "lead": "فیلم‌های تازه", "body": "سالن‌ها پر بود.", "site": "isna"},
        {"id": "x", "title": "بازار", "body": "قيمت كتابها بالا رفت", "site": "irna", "published": "2024-03-01"},
    ]
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    run = [sys.executable, "-m", "khabar.cli"]
    out = subprocess.run([*run, "search-index", str(src), "--db", url], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"added": 2, "rejected": 0, "db": url}
    out = subprocess.run([*run, "search", "فیلم ها", "--db", url], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert [r["id"] for r in data["results"]] == [5]
    assert "<mark>فیلم‌های</mark>" in data["results"][0]["snippet"]
    out = subprocess.run(
        [*run, "search", "کتاب‌ها", "--db", url, "--site", "irna", "--since", "2024-03-01"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert [r["id"] for r in json.loads(out.stdout)["results"]] == ["x"]
    bad = postgres_url.rsplit("/", 1)[0] + "/no_such_db"
    out = subprocess.run([*run, "search", "x", "--db", bad], capture_output=True, text=True)
    assert out.returncode == 1 and "cannot connect" in out.stderr
