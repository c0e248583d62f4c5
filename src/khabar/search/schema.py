"""All of search's SQL schema in one place, so the store can register it as a migration.

Tables are named ``search_*``. ``search_docs`` keeps the original text (for snippets) and the
filter columns; ``search_fts`` is an FTS5 table holding the ANALYZED title, lead and body as
space-separated terms (the analyzer runs in Python; FTS5 only splits at spaces), linked by rowid.
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

# FTS5 must not split our terms again: every category except separators and controls is a
# token character, and FTS5's own diacritic folding is off (the analyzer already folded).
FTS_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* M* N* P* S* Co'"

SCHEMA_SQL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS search_docs (
        rid INTEGER PRIMARY KEY,
        doc_id NOT NULL UNIQUE,
        url TEXT,
        title TEXT NOT NULL DEFAULT '',
        lead TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL DEFAULT '',
        site TEXT,
        published TEXT,
        story_id
    )""",
    "CREATE INDEX IF NOT EXISTS search_docs_site ON search_docs(site, published)",
    "CREATE INDEX IF NOT EXISTS search_docs_published ON search_docs(published)",
    "CREATE INDEX IF NOT EXISTS search_docs_story ON search_docs(story_id)",
    f'CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, lead, body, tokenize="{FTS_TOKENIZE}")',
    "CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create search's tables in ``conn`` if they are missing (idempotent)."""
    for stmt in SCHEMA_SQL:
        conn.execute(stmt)
    conn.execute("INSERT OR IGNORE INTO search_meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
