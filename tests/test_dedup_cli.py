"""``khabar dedup`` and ``khabar stories`` run as real processes on files."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from test_dedup_matching import FOOTBALL, WATER, article, spelled


def khabar(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "khabar.cli", *args],
        capture_output=True,
        input=stdin,
        env={**os.environ, **(env or {})},
    )


def _write_input(path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": article(WATER, "به گزارش ایرنا، "),
                "site": "irna.ir",
                "published": "2024-03-03T07:00:00Z",
                "title": "سد کرج",
                "extra": [1, 2],
            },
            ensure_ascii=False,
        ),
        json.dumps(
            {
                "id": "b",
                "text": spelled(article(WATER, "به گزارش ایسنا به نقل از ایرنا، ")),
                "url": "https://www.isna.ir/news/9",
            },
            ensure_ascii=False,
        ),
        json.dumps({"id": 7, "text": article(FOOTBALL)}, ensure_ascii=False),
        "{broken json",
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "a", "text": "تکرار شناسه"}, ensure_ascii=False),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    data += '{"id": "w", "text": "سلام دنيا"}\n'.encode("cp1256") + b"\x00\x01binary\n"
    path.write_bytes(data)


def test_dedup_writes_every_record_with_its_story(tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_input(src)
    r = khabar("dedup", str(src), "-o", str(out))
    assert r.returncode == 1, r.stderr.decode()  # some lines were unreadable
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 8  # nothing is lost, unreadable lines included
    a, b, c = rows[:3]
    assert (a["cluster_id"], a["duplicate_of"], a["exact"]) == ("a", None, False)
    assert (b["cluster_id"], b["duplicate_of"], b["exact"], b["similarity"]) == ("a", "a", True, 1.0)
    assert (c["id"], c["cluster_id"]) == (7, "7")
    assert a["extra"] == [1, 2] and a["title"] == "سد کرج"  # input fields are kept
    errors = [x["error"] for x in rows[3:]]
    assert all(x["cluster_id"] is None for x in rows[3:])
    assert "not valid JSON" in errors[0] and "line 4" in errors[0]
    assert "no 'text'" in errors[1]
    assert "repeats" in errors[2]
    assert "not UTF-8" in errors[3] and "line 7" in errors[3]
    assert "binary" in errors[4]
    err = r.stderr.decode()
    assert str(src) in err and "8 records, 2 stories, 1 exact" in err


def test_dedup_reads_stdin_and_writes_stdout(tmp_path):
    text = article(FOOTBALL)
    data = "\n".join(json.dumps({"id": i, "text": text}) for i in ("x", "y")).encode()
    r = khabar("dedup", "-", stdin=data)
    assert r.returncode == 0, r.stderr.decode()
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x["cluster_id"] for x in rows] == ["x", "x"] and rows[1]["duplicate_of"] == "x"


def test_dedup_db_then_stories(tmp_path):
    src, db = tmp_path / "in.jsonl", tmp_path / "k.db"
    _write_input(src)
    assert khabar("dedup", str(src), "--db", str(db), "-o", os.devnull).returncode == 1
    # a second run adds a late copy to the stored story without recomputing the first run
    late = tmp_path / "late.jsonl"
    late.write_text(
        json.dumps(
            {"id": "late", "text": article(WATER[:5], "به گزارش فارس، "), "site": "farsnews.ir"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    r = khabar("dedup", str(late), "--db", str(db))
    assert r.returncode == 0 and json.loads(r.stdout)["cluster_id"] == "a"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM dedup_docs").fetchone()[0] == 4

    r = khabar("stories", "--db", str(db), "--json")
    assert r.returncode == 0, r.stderr.decode()
    stories = [json.loads(x) for x in r.stdout.decode().splitlines()]
    first = stories[0]
    assert first["cluster_id"] == "a" and first["size"] == 3
    assert set(first["outlets"]) == {"irna.ir", "isna.ir", "farsnews.ir"}
    assert first["first_reporter"] == "irna.ir" and ["isna.ir", "irna.ir"] in first["citations"]

    r = khabar("stories", env={"KHABAR_DB": str(db)})
    assert r.returncode == 0
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("a\t3 records") and "isna.ir -> irna.ir" in lines[0]
    r = khabar("stories", "--db", str(db), "--min-size", "2")
    assert len(r.stdout.decode().splitlines()) == 1


def test_clear_errors_for_bad_inputs(tmp_path):
    r = khabar("dedup", str(tmp_path / "missing.jsonl"))
    assert r.returncode == 1 and b"missing.jsonl: no such file" in r.stderr
    r = khabar("dedup", str(tmp_path))
    assert r.returncode == 1 and b"is a directory" in r.stderr
    r = khabar("stories", "--db", str(tmp_path / "none.db"))
    assert r.returncode == 1 and b"none.db: no such database" in r.stderr
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    r = khabar("stories", "--db", str(plain))
    assert r.returncode == 1 and b"has no dedup index" in r.stderr
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    r = khabar("stories", "--db", str(junk))
    assert r.returncode == 1 and b"not a readable SQLite database" in r.stderr


def test_dedup_reads_khabar_clean_articles(tmp_path):
    def cleaned(source: str, paragraphs: list[str], error: str | None = None) -> str:
        obj = {
            "source": source,
            "title": None,
            "lead": paragraphs[0],
            "paragraphs": paragraphs[1:],
            "site": None,
            "record_id": None,
            "error": error,
        }
        return json.dumps(obj, ensure_ascii=False)

    data = "\n".join(
        [
            cleaned("a.html", WATER),
            cleaned("b.html", [WATER[0], " ".join(WATER[1:4]), " ".join(WATER[4:])]),
            cleaned("c.html", FOOTBALL),
            cleaned("d.html", [""], error="empty input"),
        ]
    ).encode("utf-8")
    r = khabar("dedup", "-", stdin=data)
    rows = [json.loads(x) for x in r.stdout.decode().splitlines()]
    assert [x["cluster_id"] for x in rows] == ["a.html", "a.html", "c.html", None]
    assert rows[1]["exact"] and "was not cleaned (empty input)" in rows[3]["error"]
    assert "text" not in rows[0]  # the article is written back as it came, plus the dedup fields
    assert r.returncode == 1
