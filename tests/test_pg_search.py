"""Search on PostgreSQL over the demo corpus, ingested into PostgreSQL and into SQLite: variant
spellings, phrases, exclusions and filters find the same articles on both; hostile queries never
error; ingest keeps the search rows in step with stories."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from conftest import new_pg_database
from khabar.cli import main
from khabar.demo_corpus import load_manifest
from khabar.search import PostgresSearchIndex, SearchIndex, open_search, search_api
from khabar.store import Store, open_store


def _ingest(db: str, files: list[str]) -> int:
    return main(["ingest", "--db", db, "--no-warc", *files])


@pytest.fixture(scope="module")
def files() -> list[str]:
    return [str(d.file) for d in load_manifest().documents]


@pytest.fixture(scope="module")
def stores(postgres_url: str, files: list[str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Store]]:
    """The demo corpus ingested into a PostgreSQL store and into a SQLite store."""
    pg_url = new_pg_database(postgres_url)
    sqlite_path = str(tmp_path_factory.mktemp("pgsearch") / "k.db")
    assert _ingest(pg_url, files) == 0
    assert _ingest(sqlite_path, files) == 0
    opened = {"postgresql": open_store(pg_url), "sqlite": open_store(sqlite_path)}
    yield opened
    for store in opened.values():
        store.close()


def _urls(store: Store, query: str, **filters: object) -> set[str]:
    results = open_search(store).search(query, limit=100, **filters)  # type: ignore[arg-type]
    assert results.total == len(results.hits)
    return {h.url for h in results.hits}


def test_ingest_fills_the_search_index_on_postgresql(stores: dict[str, Store], files: list[str]) -> None:
    pg = stores["postgresql"]
    index = open_search(pg)
    assert isinstance(index, PostgresSearchIndex) and isinstance(open_search(stores["sqlite"]), SearchIndex)
    assert len(index) == len(files) == pg.count_articles()
    # every search row carries its article's story, as ingest wrote it (same transaction)
    rows = pg.execute(
        "SELECT count(*) FROM articles a JOIN search_docs s ON s.doc_id = to_jsonb(a.id)"
        " WHERE s.story_id = to_jsonb(a.story_id)"
    ).fetchone()
    assert int(rows[0]) == len(files)
    assert SearchIndex.for_store(pg).__class__ is PostgresSearchIndex


VARIANTS = [
    ["کتابها", "کتاب‌ها", "کتاب ها", "كتابها", "كتاب‌ها"],  # ZWNJ, space, Arabic kaf
    ["ایستگاه‌ها", "ايستگاهها", "ایستگاه ها"],  # Arabic yeh
    ["زمین‌لرزه", "زمين لرزه", "زمینلرزه"],
    ["۴٫۷", "4.7", "٤٫٧"],  # Persian, Latin and Arabic-Indic digits
    ["پس‌لرزه‌ها", "پس لرزه ها", "پسلرزه"],
]


@pytest.mark.parametrize("spellings", VARIANTS, ids=lambda v: v[0])
def test_variant_spellings_find_the_same_articles_on_both(stores: dict[str, Store], spellings: list[str]) -> None:
    expected = _urls(stores["sqlite"], spellings[0])
    assert expected, f"{spellings[0]} finds nothing in the demo corpus"
    for q in spellings:
        assert _urls(stores["postgresql"], q) == expected, q
        assert _urls(stores["sqlite"], q) == expected, q


@pytest.mark.parametrize(
    "query",
    [
        '"کتاب‌ها"',
        "«زمین لرزه»",
        "کتاب -کتابخانه",
        'زمین‌لرزه -"پس لرزه"',
        "کتاب ایستگاه",
        "تهران",
        "خبر",
        '"تهران در"',
    ],
)
def test_phrases_and_exclusions_agree_with_sqlite(stores: dict[str, Store], query: str) -> None:
    assert _urls(stores["postgresql"], query) == _urls(stores["sqlite"], query)


def test_filters_agree_with_sqlite(stores: dict[str, Store]) -> None:
    cases: list[dict[str, object]] = [
        {"site": "خبربان"},
        {"site": ["خبربان", "دیدبان"]},
        {"site": []},
        {"since": "2024-11-01"},
        {"until": "2024-10-20"},
        {"since": "2024-10-10T00:00:00Z", "until": "2024-11-15"},
    ]
    for query in ("کتاب", "تهران", "خبر"):
        for filters in cases:
            got = _urls(stores["postgresql"], query, **filters)
            assert got == _urls(stores["sqlite"], query, **filters), (query, filters)
    assert _urls(stores["postgresql"], "خبر", site="nobody") == set()


def test_results_have_the_same_shape_as_on_sqlite(stores: dict[str, Store]) -> None:
    pg = search_api(stores["postgresql"].connection, {"q": "کتابها", "limit": "2"})
    lite = search_api(stores["sqlite"].connection, {"q": "کتابها", "limit": "2"})
    assert pg.keys() == lite.keys() and pg["total"] == lite["total"] and len(pg["results"]) == 2
    for hit in pg["results"]:
        assert hit.keys() == lite["results"][0].keys()
        assert isinstance(hit["id"], int) and hit["score"] > 0
        assert "<mark>" in hit["snippet"] + hit["title_html"]
    by_url = {h["url"]: h for h in lite["results"]}
    for hit in pg["results"]:  # snippets come from the same Python code and the same text
        if hit["url"] in by_url:
            assert hit["snippet"] == by_url[hit["url"]]["snippet"]
    page2 = search_api(stores["postgresql"].connection, {"q": "کتابها", "limit": "2", "offset": "2"})
    assert page2["total"] == pg["total"]
    assert not {h["id"] for h in page2["results"]} & {h["id"] for h in pg["results"]}


HOSTILE = [
    "'",
    "''",
    "\\",
    "\\'",
    "کتاب'",
    "'کتاب",
    "کتاب\\",
    "a & b",
    "کتاب & تهران",
    "کتاب | تهران",
    "!کتاب",
    "!!",
    "کتاب:*",
    ":*",
    "کتاب:A",
    "(کتاب",
    "کتاب)",
    "()",
    "(کتاب | تهران) & !خبر",
    "<->",
    "کتاب <-> تهران",
    "<2>",
    "'; DROP TABLE search_docs; --",
    '"; SELECT 1; --',
    "%s",
    "%(q)s",
    "?",
    "$1",
    "\x00",
    "کتاب\x00تهران",
    "«'»",
    '"\'"',
    "-'",
    "-\\",
    "a" * 3000,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_error_on_postgresql(stores: dict[str, Store], query: str) -> None:
    pg = stores["postgresql"]
    results = open_search(pg).search(query, limit=100)
    assert results.total == len(results.hits) >= 0
    assert pg.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    # metacharacters are plain text to both engines: the same words give the same articles
    assert {h.url for h in results.hits} == _urls(stores["sqlite"], query)
    assert len(open_search(pg)) == pg.count_articles()  # nothing was dropped


def test_reingest_heals_a_missing_search_row(postgres_url: str, files: list[str]) -> None:
    url = new_pg_database(postgres_url)
    some = files[:5]
    assert _ingest(url, some) == 0
    with open_store(url) as store:
        first = store.execute("SELECT min(id) FROM articles").fetchone()[0]
        assert open_search(store).remove(first)
        assert len(open_search(store)) == len(some) - 1
    assert _ingest(url, some) == 0  # all unchanged; the missing row is written again
    with open_store(url) as store:
        index = open_search(store)
        assert len(index) == len(some) and first in index


def test_a_failing_ingest_transaction_leaves_no_search_row(postgres_url: str, files: list[str]) -> None:
    from khabar.pipeline import StoreIndexer
    from khabar.store import StoredArticle

    url = new_pg_database(postgres_url)
    assert _ingest(url, files[:1]) == 0
    with open_store(url) as store:
        stored: StoredArticle = next(store.iter_articles())
        index = open_search(store)
        assert index.remove(stored.id)
        store.execute("DELETE FROM dedup_bands")
        store.execute("DELETE FROM dedup_docs")
        store.execute("UPDATE articles SET story_id = NULL")
        indexer = StoreIndexer(store)
        real = indexer._search.add_prepared

        def add_then_die(prepared: object) -> int:
            real(prepared)
            assert stored.id in index  # written, inside the transaction
            raise RuntimeError("killed after the search row")

        indexer._search.add_prepared = add_then_die
        from khabar.model import Article

        article = Article(stored.source, stored.url, stored.title, stored.lead, stored.paragraphs, site=stored.site)
        with pytest.raises(RuntimeError, match="killed"):
            indexer.stored(stored.id, article, "new")
        assert store.connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        # the search row, the dedup rows and story_id went together
        assert stored.id not in index and store.execute("SELECT count(*) FROM dedup_docs").fetchone()[0] == 0
        assert store.get_article(stored.id).story_id is None
        indexer._search.add_prepared = real
        story = indexer.stored(stored.id, article, "unchanged")
        assert stored.id in index and store.get_article(stored.id).story_id == story == stored.story_id
