"""kill -9 in the middle of a large ingest, run it again: every article is there exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import newssite
from khabar.store import open_store

COUNT = 240


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_kill_during_ingest_then_rerun(tmp_path: Path) -> None:
    warc = tmp_path / "big.warc.gz"
    urls = newssite.archive_pages(warc, COUNT)
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "khabar.cli", "ingest", str(warc), "--db", str(db), "--no-warc"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while _stored(db) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed; raise COUNT"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    killed_at = _stored(db)
    assert 0 < killed_at < COUNT

    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{COUNT - killed_at} new" in rerun.stderr and f"{killed_at} unchanged" in rerun.stderr
    with open_store(str(db)) as store:
        assert store.count_articles() == COUNT
        assert sorted(a.url for a in store.iter_articles()) == sorted(urls)
        assert store.rejects() == []
        (dupes,) = store.execute("SELECT COUNT(*) - COUNT(DISTINCT content_hash) FROM articles").fetchone()
        assert dupes == 0
        assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        (versions,) = store.execute("SELECT COUNT(*) FROM article_versions").fetchone()
        assert versions == COUNT
