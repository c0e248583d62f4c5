"""The search index on a real SQLite database file and on a throwaway PostgreSQL database (the same
tests on both, through ``open_search``): variants, filters, snippets, stories, updates."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import new_pg_database
from khabar.errors import InputError
from khabar.search import SCHEMA_SQL, PostgresSearchIndex, SearchDoc, SearchIndex, ensure_schema, open_search

DOCS = [
    SearchDoc(
        1,
        "https://khabar.test/1",
        "نمایشگاه کتاب‌های تازه",
        "در نمایشگاه امسال کتاب‌ها را می‌شود با تخفیف خرید.",
        "ناشران گفتند فروش در سال ۱۴۰۳ بیشتر شد. بازدید <script>alert(1)</script> & آزاد است.",
        "isna",
        "2024-05-01T09:00:00+03:30",
        "story-book",
    ),
    SearchDoc(
        "irna-2",
        "https://khabar.test/2",
        "بزرگترين نمايشگاه",
        "گزارش دوم از همان نمايشگاه كتاب",
        "گفته ميشود بازديد از نمايشگاه تا شب ادامه دارد.",
        "irna",
        "2024-05-03",
        "story-book",
    ),
    SearchDoc(
        3,
        "https://khabar.test/3",
        "باران در تهران",
        "هواشناسی از بارش باران در تهران خبر داد",
        "بارش‌ها تا آخر هفته ادامه دارد و دمای هوا پایین‌تر می‌رود.",
        "irna",
        "2024-06-10T12:00:00Z",
        None,
    ),
    SearchDoc(
        4,
        None,
        "ورزش",
        "",
        "تیم ملی در سال 1403 دو بازی دوستانه انجام داد. حذف‌شده‌ها به اردو برنگشتند.",
        "mehr",
        None,
        "story-sport",
    ),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def connect(request, tmp_path):
    """A function opening a new connection to one fresh database (SQLite file or PostgreSQL)."""
    opened = []
    if request.param == "sqlite":
        path = tmp_path / "khabar.db"

        def make():
            opened.append(sqlite3.connect(path))
            return opened[-1]
    else:
        import psycopg

        url = new_pg_database(request.getfixturevalue("postgres_url"))

        def make():
            opened.append(psycopg.connect(url, autocommit=True))
            return opened[-1]

    yield make
    for conn in opened:
        conn.close()


@pytest.fixture
def index(connect):
    ix = open_search(connect())
    assert ix.add_many(DOCS) == len(DOCS)
    return ix


def ids(results):
    return {h.id for h in results.hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("می شود", {1, "irna-2"}),
        ("ميشود", {1, "irna-2"}),
        ("می‌شود", {1, "irna-2"}),
        ("کتابها", {1, "irna-2"}),
        ("کتاب ها", {1, "irna-2"}),
        ("كتاب", {1, "irna-2"}),
        ("بزرگ‌ترین نمایشگاه", {"irna-2"}),
        ("1403", {1, 4}),
        ("١٤٠٣", {1, 4}),
        ("بارش", {3}),
        ("پایین تر", {3}),
        ("حذف شده", {4}),
    ],
)
def test_variant_spellings_find_the_text(index, query, expected):
    assert ids(index.search(query)) == expected


def test_phrase_and_exclusion(index):
    assert ids(index.search('"باران در تهران"')) == {3}
    assert ids(index.search('"تهران در باران"')) == set()
    assert ids(index.search("نمایشگاه -بازدید")) == set()
    assert ids(index.search("نمایشگاه -تخفیف")) == {"irna-2"}


def test_ranking_prefers_title_matches(index):
    hits = index.search("نمایشگاه").hits
    assert hits[0].score >= hits[-1].score
    assert all(h.score > 0 for h in hits)


def test_filters_by_site_and_date(index):
    assert ids(index.search("1403", site="mehr")) == {4}
    assert ids(index.search("1403", site="nobody")) == set()
    # 09:00 Tehran time on 1 May is 05:30 UTC; date bounds cover whole days.
    assert ids(index.search("نمایشگاه", since="2024-05-02")) == {"irna-2"}
    assert ids(index.search("نمایشگاه", until="2024-05-01")) == {1}
    assert ids(index.search("نمایشگاه", since="2024-05-01T05:30:00Z", until="2024-05-03")) == {1, "irna-2"}
    assert ids(index.search("نمایشگاه", until="2024-05-01T05:00:00Z")) == set()
    # An undated document is left out once a date filter is given.
    assert ids(index.search("1403", since="2000-01-01")) == {1}
    with pytest.raises(InputError, match="since"):
        index.search("نمایشگاه", since="yesterday")


def test_published_is_stored_in_utc(index):
    hit = next(h for h in index.search("تخفیف").hits)
    assert hit.published == "2024-05-01T05:30:00.000000Z"


def test_snippets_highlight_original_text_and_escape_html(index):
    hit = index.search("بازدید آزاد").hits[0]
    assert hit.id == 1
    assert "<mark>بازدید</mark>" in hit.snippet and "<mark>آزاد</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet
    # The original spelling is shown, not the analyzed form.
    hit = index.search("می شود").hits
    by_id = {h.id: h for h in hit}
    assert "<mark>می‌شود</mark>" in by_id[1].snippet
    assert "<mark>ميشود</mark>" in by_id["irna-2"].snippet
    assert by_id["irna-2"].title_html == "بزرگترين نمايشگاه"
    assert "<mark>نمايشگاه</mark>" in index.search("نمایشگاه", site="irna").hits[0].title_html


def test_snippet_window_is_cut_with_ellipsis(connect):
    ix = open_search(connect())
    filler = " ".join(["هوا"] * 200)
    ix.add(SearchDoc("long", None, "عنوان", "", filler + " زلزله در شهر " + filler))
    snippet = ix.search("زلزله").hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>زلزله</mark>" in snippet
    assert len(snippet) < 400


def test_grouped_by_story(index):
    results = index.search("نمایشگاه")
    groups = results.grouped_by_story()
    assert [g.story_id for g in groups] == ["story-book"]
    assert {h.id for h in groups[0].hits} == {1, "irna-2"}
    results = index.search("سال")
    groups = results.grouped_by_story()
    assert len(groups) == 2
    assert groups[0].score >= groups[1].score
    payload = results.to_dict()
    assert {s["story_id"] for s in payload["stories"]} == {"story-book", "story-sport"}


def test_hits_without_story_are_their_own_group(index):
    groups = index.search("باران").grouped_by_story()
    assert len(groups) == 1 and groups[0].story_id is None and groups[0].hits[0].id == 3


def test_update_replaces_and_remove_deletes(index):
    index.add(SearchDoc(3, "https://khabar.test/3b", "برف در تبریز", "", "برف سنگین بارید"))
    assert ids(index.search("باران")) == set()
    assert ids(index.search("برف")) == {3}
    assert len(index) == len(DOCS)
    assert index.remove(3) is True
    assert index.remove(3) is False
    assert ids(index.search("برف")) == set()
    assert len(index) == len(DOCS) - 1
    # int 1 and str "1" are different ids
    assert index.remove("1") is False and ids(index.search("تخفیف")) == {1}


def test_pagination_and_total(index):
    page1 = index.search("نمایشگاه", limit=1)
    page2 = index.search("نمایشگاه", limit=1, offset=1)
    assert page1.total == page2.total == 2
    assert len(page1.hits) == len(page2.hits) == 1
    assert page1.hits[0].id != page2.hits[0].id
    with pytest.raises(InputError, match="limit"):
        index.search("نمایشگاه", limit=0)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '""',
        "'",
        "*",
        "NEAR(",
        "a AND",
        "OR",
        "NOT",
        "^x",
        "title:x",
        "(",
        ")",
        "{}",
        "-",
        "--",
        '-"',
        "«",
        "\x00",
        "\ufffd",
        "؟!،",
        "x" * 5000,
        "\u200c\u200c",
    ],
)
def test_hostile_queries_give_results_or_nothing_never_an_exception(index, query):
    results = index.search(query)
    assert results.total >= len(results.hits) >= 0


@given(st.text(max_size=80))
@settings(max_examples=120, deadline=None)
def test_fuzzed_queries_never_raise(text):
    conn = sqlite3.connect(":memory:")
    ix = SearchIndex(conn)
    ix.add_many(DOCS[:2])
    ix.search(text)
    conn.close()


@pytest.fixture(scope="module")
def pg_index(postgres_url):
    import psycopg

    with psycopg.connect(new_pg_database(postgres_url), autocommit=True) as conn:
        ix = open_search(conn)
        ix.add_many(DOCS)
        yield ix


_TSQUERY_CHARS = st.sampled_from([*"'\"&|!:()<->*«»-\\ \t\n\x00,;%?$", "نمایشگاه", "کتاب", "a:*", "AND"])


@given(st.one_of(st.text(max_size=80), st.lists(_TSQUERY_CHARS, max_size=20).map("".join)))
@settings(max_examples=200, deadline=None)
def test_fuzzed_queries_never_raise_on_postgres(pg_index, text):
    results = pg_index.search(text)
    assert results.total >= len(results.hits)
    assert pg_index.conn.info.transaction_status == 0  # idle: nothing failed on the server


def test_bad_documents_are_rejected_with_their_id(index):
    with pytest.raises(InputError, match="'empty'"):
        index.add(SearchDoc("empty", None, "", " ", ""))
    with pytest.raises(InputError, match="published"):
        index.add(SearchDoc("d", None, "عنوان", published="۱۴۰۳/۰۲/۰۸"))
    with pytest.raises(InputError, match=r"'broken'.*body is not valid Unicode"):
        index.add(SearchDoc("broken", None, "عنوان", body="متن \udc80 خراب"))
    assert len(index) == len(DOCS)


def test_postgres_schema_is_idempotent(pg_index):
    conn = pg_index.conn
    assert isinstance(open_search(conn), PostgresSearchIndex)
    open_search(conn)
    tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"search_docs", "search_meta"}
    indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_docs'")}
    assert "search_docs_tsv" in indexes
    assert conn.execute("SELECT value FROM search_meta WHERE key = 'schema_version'").fetchone()[0] == "1"


def test_search_index_refuses_a_postgres_connection(connect):
    conn = connect()
    if isinstance(conn, sqlite3.Connection):
        assert type(open_search(conn)) is SearchIndex
        return
    with pytest.raises(TypeError, match="open_search"):
        SearchIndex(conn)
    with pytest.raises(TypeError, match="not a str"):
        open_search("khabar.db")


def test_ids_keep_their_type(index):
    index.add(SearchDoc("1", None, "تخفیف ویژه", story_id=7))
    hits = {h.id: h for h in index.search("تخفیف").hits}
    assert set(hits) == {1, "1"} and hits["1"].story_id == 7
    assert 1 in index and "1" in index and "irna-2" in index and 5 not in index
    assert sorted(map(str, index.iter_ids())) == sorted(["1", "irna-2", "3", "4", "1"])


def test_schema_is_idempotent_and_in_one_place(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.db")
    ensure_schema(conn)
    ensure_schema(conn)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"search_docs", "search_fts", "search_meta"} <= names
    assert all(n.startswith("search_") or n.startswith("sqlite_") for n in names)
    assert all("IF NOT EXISTS" in stmt for stmt in SCHEMA_SQL)


def test_index_survives_reopening_and_reindex(connect):
    conn = connect()
    open_search(conn).add_many(DOCS)
    conn.close()
    conn = connect()
    ix = open_search(conn)
    assert ids(ix.search("می شود")) == {1, "irna-2"}
    # simulate a stale index
    if isinstance(conn, sqlite3.Connection):
        conn.execute("DELETE FROM search_fts")
        conn.commit()
    else:
        conn.execute("UPDATE search_docs SET title_terms = '', lead_terms = '', body_terms = ''")
    assert ids(ix.search("می شود")) == set()
    assert ix.reindex() == len(DOCS)
    assert ids(ix.search("می شود")) == {1, "irna-2"}
    assert list(ix.iter_ids()) == [d.id for d in DOCS]
