"""The library behind ``GET /api/search``: query-string parameters in, a JSON-ready dict out.

The web app's route only has to call ``search_api(conn, request_params)`` and turn an
``InputError`` into HTTP 400 with its message."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from khabar.errors import InputError
from khabar.search.index import MAX_LIMIT, SearchIndex, open_search

DEFAULT_LIMIT = 20
API_MAX_LIMIT = min(100, MAX_LIMIT)


def _one(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, Sequence) and not isinstance(value, str):
        value = value[0] if value else None  # parse_qs gives lists
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(name, f"must be text, got {type(value).__name__}")
    value = value.strip()
    return value or None


def _int(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = _one(params, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InputError(name, f"not an integer: {raw!r}") from None
    if not low <= value <= high:
        raise InputError(name, f"must be between {low} and {high}, got {value}")
    return value


def search_api(conn: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    """Run a search in ``conn`` (a ``sqlite3`` or ``psycopg`` connection, a ``Store``, or an open
    ``SearchIndex``/``PostgresSearchIndex``) from request parameters ``q``, ``site``, ``since``,
    ``until``, ``limit`` (1-100, default 20) and ``offset``. Returns ``SearchResults.to_dict()``:
    ``query``, ``total``, ``limit``, ``offset``, ``truncated_query``, ``results`` (id, url, title,
    title_html, snippet, story_id, site, published, score) and ``stories`` (story_id, score, ids).
    Bad parameters raise ``InputError`` naming the parameter; a missing or unsearchable ``q`` gives
    no results."""
    q = _one(params, "q") or ""
    limit = _int(params, "limit", DEFAULT_LIMIT, 1, API_MAX_LIMIT)
    offset = _int(params, "offset", 0, 0, 1_000_000)
    index = conn if isinstance(conn, SearchIndex) else open_search(conn)
    results = index.search(
        q,
        site=_one(params, "site"),
        since=_one(params, "since"),
        until=_one(params, "until"),
        limit=limit,
        offset=offset,
    )
    return results.to_dict()
