"""khabar.search: Persian-aware full-text search, BM25 over SQLite FTS5 or ``tsvector`` on PostgreSQL.

``open_search(store_or_conn)`` gives the index of either database (``SearchIndex`` on SQLite,
``PostgresSearchIndex`` on PostgreSQL, same API); ``search_api`` takes either connection.

One analyzer (``analyze``) serves documents and queries, so spelling variants of a word
(``می شود`` / ``ميشود`` / ``می‌شود``, ``کتابها`` / ``کتاب‌ها``, any digit script) meet as one term.
"""

from __future__ import annotations

from khabar.search.analyze import Token, analyze, stem, tokens
from khabar.search.api import search_api
from khabar.search.index import (
    PreparedDoc,
    SearchDoc,
    SearchHit,
    SearchIndex,
    SearchResults,
    StoryGroup,
    open_search,
    parse_time,
    prepare,
)
from khabar.search.pg import PostgresSearchIndex
from khabar.search.query import ParsedQuery, parse_query
from khabar.search.schema import SCHEMA_SQL, ensure_schema
from khabar.search.snippet import highlight, snippet

__all__ = [
    "SCHEMA_SQL",
    "ParsedQuery",
    "PostgresSearchIndex",
    "PreparedDoc",
    "SearchDoc",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "StoryGroup",
    "Token",
    "analyze",
    "ensure_schema",
    "highlight",
    "open_search",
    "parse_query",
    "parse_time",
    "prepare",
    "search_api",
    "snippet",
    "stem",
    "tokens",
]
