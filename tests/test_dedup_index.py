"""StoryIndex as a library: persistence, incremental use, idempotency, stories."""

from __future__ import annotations

import sqlite3

import pytest

from khabar.dedup import DedupRecord, Params, StoryIndex, read_stories
from khabar.errors import InputError
from khabar.model import Article
from test_dedup_matching import FOOTBALL, WATER, WATER_OTHER, article, spelled


def _records() -> list[DedupRecord]:
    body = " ".join(WATER)
    return [
        DedupRecord(
            "isna-1",
            article(WATER, "به گزارش ایسنا به نقل از ایرنا، "),
            site="isna.ir",
            published="2024-03-03T09:30:00Z",
            attributions=(),
        ),
        DedupRecord(
            "irna-1",
            article(WATER, "به گزارش ایرنا، ", "انتهای پیام"),
            site="www.irna.ir",
            published="2024-03-03T07:00:00Z",
            title="سد کرج در کمترین حجم ده سال",
        ),
        DedupRecord(
            "fars-1",
            "به گزارش فارس به نقل از ایسنا، " + body[: int(len(body) * 0.7)],
            url="https://www.farsnews.ir/news/1",
            published="2024-03-03T10:00:00Z",
        ),
        DedupRecord("yjc-1", spelled(article(WATER)), site="yjc.ir", published="2024-03-03T07:00:00Z"),
        DedupRecord("other-1", article(WATER_OTHER, "به گزارش ایرنا، "), site="irna.ir"),
        DedupRecord("foot-1", article(FOOTBALL), site="varzesh3.com", published="2024-03-03T08:00:00Z"),
    ]


@pytest.fixture(params=["memory", "sqlite"])
def index(request, tmp_path):
    if request.param == "memory":
        yield StoryIndex()
    else:
        conn = sqlite3.connect(tmp_path / "k.db")
        yield StoryIndex(conn)
        conn.close()


def test_batch_and_single_calls_agree(index):
    single = [index.assign(r) for r in _records()]
    batch = StoryIndex().assign_many(_records())
    assert single == batch
    assert [a.cluster_id for a in single] == ["isna-1"] * 4 + ["other-1", "foot-1"]


def test_assign_is_idempotent(index):
    first = index.assign_many(_records())
    n = len(index)
    again = index.assign_many(_records())
    changed = index.assign(DedupRecord("foot-1", "متن دیگری که نباید جای قبلی را بگیرد"))
    assert again == first and len(index) == n == 6
    assert changed == first[-1] and index.get("foot-1") == first[-1]
    assert index.get("missing") is None


def test_repeated_id_within_one_batch_is_placed_once(index):
    recs = _records()
    out = index.assign_many([recs[0], recs[0], recs[5]])
    assert out[0] == out[1] and len(index) == 2


def test_story_info_outlets_first_reporter_and_citations(index):
    index.assign_many(_records())
    info = index.story_info("isna-1")
    assert info is not None and info.size == 4
    assert info.title == "سد کرج در کمترین حجم ده سال"
    # irna-1 and yjc-1 share the earliest time: the tie goes to the smaller id
    assert (info.first_id, info.first_reporter) == ("irna-1", "irna.ir")
    assert info.first_published == "2024-03-03T07:00:00Z"
    assert set(info.outlets) == {"irna.ir", "isna.ir", "farsnews.ir", "yjc.ir"}
    assert ("isna.ir", "irna.ir") in info.citations and ("farsnews.ir", "isna.ir") in info.citations
    assert all(a != b for a, b in info.citations)
    assert index.story_info("nope") is None
    sizes = {s.cluster_id: s.size for s in index.stories()}
    assert sizes == {"isna-1": 4, "other-1": 1, "foot-1": 1}
    assert [s.cluster_id for s in index.stories(min_size=2)] == ["isna-1"]


def test_index_persists_and_grows_incrementally(tmp_path):
    db = tmp_path / "store.db"
    recs = _records()
    conn = sqlite3.connect(db)
    StoryIndex(conn).assign_many(recs[:2])
    conn.close()

    conn = sqlite3.connect(db)
    index = StoryIndex(conn)
    assert len(index) == 2
    late = index.assign_many(recs[2:])
    assert [a.cluster_id for a in late] == ["isna-1", "isna-1", "other-1", "foot-1"]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"dedup_docs", "dedup_bands", "dedup_meta"} <= tables
    assert all(t.startswith("dedup_") for t in tables)
    conn.close()

    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    stories = read_stories(conn)
    assert stories is not None and [s.size for s in stories] == [4, 1, 1]
    conn.close()


def test_other_parameters_are_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db")
    StoryIndex(conn).assign(_records()[0])
    with pytest.raises(InputError, match="dedup index"):
        StoryIndex(conn, params=Params(k=7))
    conn.close()


def test_read_stories_without_index_is_none(tmp_path):
    conn = sqlite3.connect(tmp_path / "empty.db")
    assert read_stories(conn) is None


def test_bad_records_raise_clear_errors():
    index = StoryIndex()
    with pytest.raises(InputError, match="non-empty"):
        index.assign(DedupRecord("", "متن"))
    with pytest.raises(InputError, match="x1"):
        index.assign(DedupRecord("x1", None))  # type: ignore[arg-type]


def test_record_from_article():
    art = Article(
        source="page.html",
        url="https://isna.ir/a",
        title="عنوان",
        paragraphs=("بند یک", "بند دو"),
        attributions=("ایرنا",),
        site="isna.ir",
        published="2024-03-03T09:30:00Z",
        record_id="k7",
    )
    rec = DedupRecord.from_article(art)
    assert rec.id == "k7" and rec.attributions == ("ایرنا",) and "بند دو" in rec.text
    assert DedupRecord.from_article(art, id="other").id == "other"


def test_params_and_engine_validation():
    with pytest.raises(ValueError, match="engine"):
        StoryIndex(engine="minhash-9000")
    with pytest.raises(ValueError):
        Params(bands=64, rows=4)
    with pytest.raises(ValueError):
        Params(containment=0)


def test_rows_join_an_open_transaction_of_the_caller(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db")
    StoryIndex(conn).assign(_records()[0])  # no transaction open: committed by the index
    conn.execute("CREATE TABLE articles (id TEXT)")
    conn.execute("INSERT INTO articles VALUES ('foot-1')")  # the caller's transaction is open
    index = StoryIndex(conn)
    index.assign(_records()[5])
    assert conn.in_transaction and len(index) == 2
    conn.rollback()
    assert len(index) == 1 and index.get("foot-1") is None
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    conn.close()


def test_works_on_an_autocommit_connection_like_the_store(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    index = StoryIndex(conn)
    out = index.assign_many(_records())
    assert not conn.in_transaction
    other = sqlite3.connect(tmp_path / "k.db")
    assert StoryIndex(other).assign_many(_records()) == out
    other.close()
    conn.close()
