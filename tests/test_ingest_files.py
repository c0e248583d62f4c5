"""Ingest from files and folders, damaged WARCs and OPML; export; rejects; command-line errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import newssite
from khabar.cli import main
from khabar.ingest.feeds import parse_feed, parse_opml
from khabar.store import open_store

STORY = newssite.STORIES["carpet-export"]
TEXT = "\n\n".join([STORY.title, STORY.lead, *STORY.paragraphs])


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "inbox"
    (d / "sub").mkdir(parents=True)
    (d / "page.html").write_text(newssite.article_html("bamdad", newssite.STORIES["book-fair"]), encoding="utf-8")
    (d / "sub" / "note.txt").write_text(TEXT, encoding="utf-8")
    records = [
        {
            "id": "r1",
            "url": "https://akhbar.example.ir/news/r1",
            "text": "\n\n".join([newssite.STORIES["metro-line"].title, *newssite.STORIES["metro-line"].paragraphs]),
        },
        {"id": "r2", "html": newssite.article_html("akhbar", newssite.STORIES["football-derby"])},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (d / "dump.jsonl").write_text("\n".join([*lines, '{"id": "r3", "text": "ناتمام']) + "\n", encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "english.txt").write_text("The council approved a new budget for sidewalks in the old town. " * 8)
    (d / "cp1256.txt").write_bytes(newssite.to_cp1256_text(TEXT).encode("cp1256"))
    return d


def test_folder_ingest_stores_good_documents_and_rejects_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "k.db")
    folder = _folder(tmp_path)
    assert main(["ingest", str(folder), "--db", db]) == 0
    err = capsys.readouterr().err
    with open_store(db) as store:
        arts = list(store.iter_articles())
        rejects = {Path(r.source.split("#")[0].split(":")[0]).name: r.reason for r in store.rejects()}
    sources = sorted(Path(a.source.split("#")[0]).name for a in arts)
    # cp1256.txt and sub/note.txt hold the same text: one article (keyed by content), the first read.
    assert sources == ["cp1256.txt", "dump.jsonl", "dump.jsonl", "page.html"]
    assert {"empty.txt", "english.txt", "dump.jsonl"} == set(rejects)
    assert "empty" in rejects["empty.txt"] and "not Persian" in rejects["english.txt"]
    assert "truncated" in rejects["dump.jsonl"] or "invalid JSON" in rejects["dump.jsonl"]
    assert "4 new" in err and "1 unchanged" in err and "3 rejected" in err
    assert any(a.url == "https://akhbar.example.ir/news/r1" for a in arts)

    # Again: nothing new, nothing doubled.
    assert main(["ingest", str(folder), "--db", db]) == 0
    assert "0 new, 0 updated, 5 unchanged, 3 rejected" in capsys.readouterr().err
    assert main(["rejects", "--db", db, "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(listed) == 3 and all(r["attempts"] == 2 for r in listed)
    english = next(r for r in listed if r["source"].endswith("english.txt"))
    assert base64.b64decode(english["raw_base64"]).startswith(b"The council")


def test_damaged_warc_keeps_what_it_can(tmp_path: Path) -> None:
    warc = tmp_path / "a.warc.gz"
    urls = newssite.archive_pages(warc, 4)
    data = warc.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 300])
    db = str(tmp_path / "k.db")
    assert main(["ingest", str(cut), "--db", db]) == 0
    with open_store(db) as store:
        stored = sorted(a.url for a in store.iter_articles())
        (reject,) = store.rejects()
    assert stored == sorted(urls[:3])
    assert "truncated WARC" in reject.reason and reject.source.startswith(str(cut))


def test_export_jsonl_and_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warc = tmp_path / "a.warc.gz"
    urls = newssite.archive_pages(warc, 5)
    db = str(tmp_path / "k.db")
    assert main(["ingest", str(warc), "--db", db]) == 0
    capsys.readouterr()
    assert main(["export", "--db", db]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["url"] for r in rows] == urls
    assert list(rows[0]) == [
        "id",
        "url",
        "site",
        "title",
        "lead",
        "paragraphs",
        "published",
        "published_jalali",
        "attributions",
        "photo_credits",
        "language",
        "story_id",
        "signals",
    ]
    assert rows[0]["site"] == "akhbar.example.ir"
    assert all(r["story_id"] is not None for r in rows)  # ingest groups stored articles into stories
    assert rows[0]["published_jalali"] == "۱۴۰۳/۰۸/۱۲ ۰۹:۳۰" and rows[0]["language"] == "fa"
    out = tmp_path / "a.parquet"
    assert main(["export", "--db", db, "--format", "parquet", "-o", str(out)]) == 0
    table = pq.read_table(out)
    assert table.num_rows == 5
    assert table.column("paragraphs").to_pylist() == [r["paragraphs"] for r in rows]
    assert json.loads(table.column("signals")[0].as_py()) == rows[0]["signals"]
    assert main(["export", "--db", db, "--format", "parquet"]) == 1
    assert "needs -o FILE" in capsys.readouterr().err


def test_command_line_errors_name_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "k.db")
    assert main(["ingest", str(tmp_path / "nope.html"), "--db", db]) == 1
    assert "nope.html: no such file or folder" in capsys.readouterr().err
    bad = tmp_path / "feeds.opml"
    bad.write_text("<opml><body><outline xmlUrl='https://x.example.ir/rss'>")
    assert main(["feeds", "add", str(bad), "--db", db]) == 1
    assert "feeds.opml: not well-formed OPML" in capsys.readouterr().err
    assert main(["crawl", "--once", "--db", db]) == 1
    assert "no feeds registered" in capsys.readouterr().err
    assert main(["ingest", "x.html", "--db", str(tmp_path / "no" / "k.db")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_feed_and_opml_parsing() -> None:
    nested = (
        b'<?xml version="1.0"?><opml version="2.0"><body><outline title="a" xmlUrl="https://a.example.ir/rss"/>'
        b'<outline text="group"><outline text="b" xmlUrl="https://b.example.ir/atom"/></outline></body></opml>'
    )
    assert parse_opml(nested, "list.opml") == [("https://a.example.ir/rss", "a"), ("https://b.example.ir/atom", "b")]
    hostile = nested.replace(b"<opml", b'<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml', 1)
    hostile = hostile.replace(b'title="a"', b'title="&x;"')
    with pytest.raises(ValueError, match=r"list\.opml: not well-formed OPML"):
        parse_opml(hostile, "list.opml")
    with pytest.raises(ValueError, match="not an OPML document"):
        parse_opml(b"<rss/>", "x.opml")
    rss091 = (
        b'<?xml version="1.0"?><rss version="0.91"><channel><title>t</title><link>https://c.example.ir/</link>'
        b"<item><title>a</title><link>/news/1</link></item></channel></rss>"
    )
    parsed = parse_feed(rss091, "https://c.example.ir/rss.xml", "text/xml")
    assert (parsed is not None and parsed.kind == "rss091u") or parsed.kind.startswith("rss09")  # type: ignore[union-attr]
    assert [e.link for e in parsed.entries] == ["https://c.example.ir/news/1"]
    assert parse_feed(b"<html><body>not a feed</body></html>", "https://c.example.ir/", "text/html") is None
    assert parse_feed(b'{"version": "1", "items": []}', "https://c.example.ir/f.json") is None
