"""khabar.store: the embedded article database (SQLite by default, PostgreSQL on request).

    from khabar.store import open_store
    with open_store("khabar.db") as store:
        result = store.upsert_article(article, raw=raw)   # UpsertResult(id, status, version)
        for a in store.iter_articles(): ...

Other areas add their own tables (named ``<area>_*``) with
``store.register_migrations("search", [sql1, sql2, ...])``; ``store.connection`` is the raw
DB-API connection and ``store.execute(sql, params)`` takes ``?`` placeholders on both databases.
"""

from khabar.store.db import (
    ArticleVersion,
    Feed,
    Reject,
    Store,
    StoredArticle,
    UpsertResult,
    default_location,
    open_store,
)
from khabar.store.keys import canonical_url, content_hash, site_of
from khabar.store.schema import CORE_MIGRATIONS, Step

__all__ = [
    "CORE_MIGRATIONS",
    "ArticleVersion",
    "Feed",
    "Reject",
    "Step",
    "Store",
    "StoredArticle",
    "UpsertResult",
    "canonical_url",
    "content_hash",
    "default_location",
    "open_store",
    "site_of",
]
