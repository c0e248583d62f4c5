"""Keep stories (dedup) and the search index in step with the article store.

The ingest pipeline calls :meth:`StoreIndexer.stored` after each article it stores. Both indexes
live in the store's own database, SQLite or PostgreSQL: stories in tables ``dedup_*`` and the
search index in tables ``search_*`` (``open_search`` picks ``SearchIndex`` or
``PostgresSearchIndex``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from khabar.model import Article

if TYPE_CHECKING:
    from khabar.store import Store


@dataclass(slots=True)
class StoreIndexer:
    """Gives every stored article its story (``store.set_story``) and a place in the search index,
    on SQLite and on PostgreSQL alike. ``enabled=False`` keeps neither.

    On SQLite the story and the search row are written one after the other (each index commits
    its own writes). On PostgreSQL the dedup rows, ``articles.story_id`` and the search row are
    written in ONE store transaction under the dedup writers' advisory lock, so a killed ingest
    leaves all three or none, and two ingests at once do not place one article twice.
    """

    store: Store
    enabled: bool = True
    _stories: Any = field(default=None, init=False)
    _search: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.enabled:
            return
        from khabar.dedup import StoryIndex
        from khabar.search import open_search

        self._stories = StoryIndex(self.store.connection)
        self._search = open_search(self.store)

    def search_size(self) -> int | None:
        """How many documents the search index holds (None when indexing is off)."""
        return None if self._search is None else len(self._search)

    def reanalyze(self) -> int:
        """Re-analyze every search entry (after the analyzer or the normalizer changed); how many."""
        return 0 if self._search is None else self._search.reindex()

    def stored(self, article_id: int, article: Article, status: str) -> str | None:
        """Give a stored article its story and make it searchable; returns its story id.

        An ``unchanged`` article is indexed only if it is missing from the indexes (a run that was
        killed between storing and indexing)."""
        if not self.enabled:
            return None
        if self.store.dialect == "postgresql":
            return self._stored_pg(article_id, article, status)
        from khabar.dedup import DedupRecord

        rid = str(article_id)
        known = self._stories.get(rid)
        if status == "unchanged" and known is not None and article_id in self._search:
            return known.cluster_id
        assignment = known or self._stories.assign(DedupRecord.from_article(article, id=rid))
        story_id = assignment.cluster_id
        self.store.set_story(article_id, story_id)
        self._search.add(_search_doc(article_id, article, story_id))
        return story_id

    def _stored_pg(self, article_id: int, article: Article, status: str) -> str:
        """PostgreSQL: dedup rows, ``story_id`` and the search row written in one transaction."""
        from khabar.dedup import DedupRecord
        from khabar.search import prepare

        rid = str(article_id)
        known = self._stories.get(rid)
        if status == "unchanged" and known is not None and article_id in self._search:
            row = self.store.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is not None and row[0] == known.cluster_id:
                return known.cluster_id
        from dataclasses import replace

        from khabar.dedup.backend import PG_WRITE_LOCK

        # Analysis (the costly part, and pure) runs before the lock; the story id comes inside it.
        prepared = prepare(_search_doc(article_id, article, None))
        with self.store.transaction():
            # Another ingest into this database may be placing the same article right now: wait
            # for the index's writer lock, then look again (a fresh snapshot) before placing it.
            self.store.execute("SELECT pg_advisory_xact_lock(?)", (PG_WRITE_LOCK,))
            known = self._stories.get(rid)
            assignment = known or self._stories.assign(DedupRecord.from_article(article, id=rid))
            story_id = assignment.cluster_id
            self.store.set_story(article_id, story_id)
            self._search.add_prepared([replace(prepared, doc=replace(prepared.doc, story_id=story_id))])
        return story_id


def _search_doc(article_id: int, article: Article, story_id: str | None) -> Any:
    from khabar.search import SearchDoc

    return SearchDoc(
        id=article_id,
        url=article.url,
        title=article.title or "",
        lead=article.lead or "",
        body="\n".join(article.paragraphs),
        site=article.site,
        published=article.published,
        story_id=story_id,
    )
