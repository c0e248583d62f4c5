"""``khabar demo`` and ``khabar serve`` as commands, and the web app's small pure helpers
(Persian dates and digits, the rate limiter, the comment checks)."""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from khabar.cli import main
from khabar.demo_corpus import load_manifest
from khabar.errors import InputError
from khabar.web.comments import check_comment, spam_reason
from khabar.web.fmt import fa_digits, jalali, relative, tehran_day
from khabar.web.security import RateLimiter, Signer
from khabar.web.server import free_port

KHABAR = str(Path(sys.executable).with_name("khabar"))


def test_demo_ingests_and_summarizes(tmp_path, capsys):
    db = str(tmp_path / "demo.db")
    assert main(["demo", "--db", db, "--no-serve"]) == 0
    out = capsys.readouterr().out
    manifest = load_manifest()
    n = len(manifest.documents)
    conn = sqlite3.connect(db)
    stories = conn.execute("SELECT COUNT(DISTINCT story_id) FROM articles").fetchone()[0]
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == n
    conn.close()
    assert f"new {n}," in out and f"articles      {n}" in out and f"stories       {stories} " in out
    assert "rejects       0" in out
    # again: nothing new, nothing lost
    assert main(["demo", "--db", db, "--no-serve"]) == 0
    assert f"new 0, unchanged {n}" in capsys.readouterr().out


def _wait_for_line(proc: subprocess.Popen, needle: str, timeout: float = 60) -> str:
    """The first line of ``proc``'s output holding ``needle`` (read by a thread: no select on a
    buffered pipe)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None and lines.empty():
                break
            continue
        seen += line
        if needle in line:
            return line
    raise AssertionError(f"never printed {needle!r}: {seen}")


def test_demo_serves_on_a_fresh_folder(tmp_path):
    """What ``make demo`` runs, in a folder with no ../shared: ingest, print the address, serve."""
    port = free_port()
    env = {**os.environ, "NO_PROXY": "127.0.0.1"}
    proc = subprocess.Popen(
        [KHABAR, "demo", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        line = _wait_for_line(proc, "open http://")
        assert f"http://127.0.0.1:{port}/" in line
        assert (tmp_path / "khabar-demo.db").is_file()
        for _ in range(100):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.status_code == 200 and 'dir="rtl"' in r.text
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_serve_refuses_a_missing_database(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 1
    err = capsys.readouterr().err
    assert "none.db: no such database" in err
    dead = f"postgresql://khabar:secret@127.0.0.1:{free_port()}/x"  # nothing listens there
    assert main(["serve", "--db", dead]) == 1
    assert "cannot connect" in capsys.readouterr().err
    db = tmp_path / "d.db"
    db.write_bytes(b"")
    assert main(["serve", "--db", str(db), "--port", "70000"]) == 1
    assert "--port: must be 1-65535" in capsys.readouterr().err


def test_persian_dates_and_relative_times():
    now = datetime(2024, 10, 15, 12, 0, tzinfo=UTC)
    assert relative((now - timedelta(hours=2)).isoformat(), now) == "۲ ساعت پیش"
    assert relative((now - timedelta(seconds=20)).isoformat(), now) == "همین حالا"
    assert relative((now - timedelta(minutes=5)).isoformat(), now) == "۵ دقیقه پیش"
    assert relative((now - timedelta(days=3, hours=1)).isoformat(), now) == "۳ روز پیش"
    assert relative("2024-10-15T08:00:00Z", now) == "۴ ساعت پیش"  # Z and offsets
    assert relative("not a date", now) == "" and relative(None, now) == ""
    # Nowruz 1403 fell on 20 March 2024; 00:30 UTC is 04:00 in Tehran
    assert jalali("2024-03-20T00:30:00+00:00") == "۱ فروردین ۱۴۰۳، ۰۴:۰۰"
    # 22:00 UTC on 19 March is already the 20th in Tehran
    assert tehran_day("2024-03-19T22:00:00+00:00").isoformat() == "2024-03-20"
    assert fa_digits("2024-10") == "۲۰۲۴-۱۰"


def test_rate_limiter_slides():
    limiter = RateLimiter(limit=2, window=10)
    assert limiter.hit("a", now=0) == 0 and limiter.hit("a", now=1) == 0
    assert limiter.hit("a", now=2) == pytest.approx(8)
    assert limiter.hit("b", now=2) == 0  # per key
    assert limiter.hit("a", now=10.5) == 0  # the first event left the window


def test_comment_checks_and_tokens():
    assert check_comment("  نام  ", " متن\r\nدوم ", name_max=10, body_max=20) == ("نام", "متن\nدوم")
    with pytest.raises(InputError, match="body"):
        check_comment("نام", "\x00\x01", name_max=10, body_max=20)
    with pytest.raises(InputError, match="name"):
        check_comment("سطر\nدوم", "متن", name_max=10, body_max=20)
    assert spam_reason("ali", "see www.a.example www.b.example http://c.example", "") == "more than two links"
    assert spam_reason("ali", "یک نظر عادی با یک پیوند http://a.example", "") is None
    assert spam_reason("ali", "!!!!!!!!!!!!!!!!!!!!", "") == "one character repeated"
    signer = Signer("k")
    token = Signer.new_token()
    assert signer.csrf_ok(token, signer.form_token(token))
    assert not signer.csrf_ok(token, signer.form_token(Signer.new_token()))
    assert not signer.csrf_ok(token, Signer("other").form_token(token))
    assert signer.admin_name(signer.admin_cookie("x"), 60) == "x"
    assert signer.admin_name("garbage", 60) is None


def test_pages_follow_a_new_ingest(tmp_path):
    """The reader caches story cards, but an ingest by another process shows up at once."""
    from khabar.ingest.pipeline import Ingestor
    from khabar.store import open_store
    from khabar.web import WebConfig
    from khabar.web.server import BackgroundServer

    docs = load_manifest().documents
    db = str(tmp_path / "live.db")
    with open_store(db) as store:
        Ingestor(store).run([str(docs[0].file)])
    with BackgroundServer(WebConfig(db=db)) as srv, httpx.Client(base_url=srv.url, trust_env=False) as c:
        before = c.get("/api/stories").json()["stories"]
        assert len(before) == 1
        assert c.get("/").status_code == 200
        other = next(d for d in docs if d.story != docs[0].story)
        with open_store(db) as store:
            Ingestor(store).run([str(other.file)])
        after = c.get("/api/stories").json()["stories"]
        assert len(after) == 2
        assert other.title in c.get("/").text


def test_only_web_addresses_become_links():
    from khabar.web.app import web_url

    assert web_url("https://khabar.example/a?b=1") == "https://khabar.example/a?b=1"
    for bad in (
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,<b>",
        "//x.example",
        "http://",
        "",
        None,
    ):
        assert web_url(bad) is None


def test_serve_with_two_worker_processes(tmp_path):
    from khabar.demo import ingest_demo

    db = str(tmp_path / "w.db")
    ingest_demo(db)
    port = free_port()
    proc = subprocess.Popen(
        [KHABAR, "serve", "--db", db, "--port", str(port), "--workers", "2", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert f"http://127.0.0.1:{port}/" in _wait_for_line(proc, "serving")
        r = None
        for _ in range(150):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/stories", trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r is not None and r.status_code == 200 and r.json()["stories"]
        assert httpx.get(f"http://127.0.0.1:{port}/", trust_env=False).status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert main(["serve", "--db", db, "--workers", "0"]) == 1
