"""khabar.search: Persian-aware BM25 search over SQLite FTS5.

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
    parse_time,
    prepare,
)
from khabar.search.query import ParsedQuery, parse_query
from khabar.search.schema import SCHEMA_SQL, ensure_schema
from khabar.search.snippet import highlight, snippet

__all__ = [
    "SCHEMA_SQL",
    "ParsedQuery",
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
    "parse_query",
    "parse_time",
    "prepare",
    "search_api",
    "snippet",
    "stem",
    "tokens",
]
