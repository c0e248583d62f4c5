"""Keep stories (dedup) and the search index in step with the article store.

The ingest pipeline calls :meth:`StoreIndexer.stored` after each article it stores. The indexes
live in the store's own database: on SQLite both stories (tables ``dedup_*``) and the search
index (tables ``search_*``); on PostgreSQL stories only (tables ``dedup_*``), the search index is
not kept there yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from khabar.model import Article

if TYPE_CHECKING:
    from khabar.store import Store


@dataclass(slots=True)
class StoreIndexer:
    """Gives every stored article its story (``store.set_story``) and, on SQLite, a place in the
    search index.

    On SQLite it keeps both stories and search. On PostgreSQL it keeps stories (``story_id`` is
    filled as on SQLite) but skips the search index, which is SQLite-only for now.
    ``enabled=False`` keeps neither.
    """

    store: Store
    enabled: bool = True
    _stories: Any = field(default=None, init=False)
    _search: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.enabled:
            return
        from khabar.dedup import StoryIndex

        self._stories = StoryIndex(self.store.connection)
        if self.store.dialect == "sqlite":
            from khabar.search import SearchIndex

            self._search = SearchIndex(self.store.connection)

    def stored(self, article_id: int, article: Article, status: str) -> str | None:
        """Give a stored article its story and (on SQLite) make it searchable; returns its story id.

        An ``unchanged`` article is indexed only if it is missing from the indexes (a run that was
        killed between storing and indexing)."""
        if not self.enabled:
            return None
        if self._search is None:
            return self._story_only(article_id, article, status)
        from khabar.dedup import DedupRecord
        from khabar.search import SearchDoc

        rid = str(article_id)
        known = self._stories.get(rid)
        if status == "unchanged" and known is not None and article_id in self._search:
            return known.cluster_id
        assignment = known or self._stories.assign(DedupRecord.from_article(article, id=rid))
        story_id = assignment.cluster_id
        self.store.set_story(article_id, story_id)
        self._search.add(
            SearchDoc(
                id=article_id,
                url=article.url,
                title=article.title or "",
                lead=article.lead or "",
                body="\n".join(article.paragraphs),
                site=article.site,
                published=article.published,
                story_id=story_id,
            )
        )
        return story_id

    def _story_only(self, article_id: int, article: Article, status: str) -> str:
        """PostgreSQL: the story alone, its dedup rows and ``story_id`` written in one transaction."""
        from khabar.dedup import DedupRecord

        rid = str(article_id)
        known = self._stories.get(rid)
        if status == "unchanged" and known is not None:
            row = self.store.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is not None and row[0] == known.cluster_id:
                return known.cluster_id
        from khabar.dedup.backend import PG_WRITE_LOCK

        with self.store.transaction():
            # Another ingest into this database may be placing the same article right now: wait
            # for the index's writer lock, then look again (a fresh snapshot) before placing it.
            self.store.execute("SELECT pg_advisory_xact_lock(?)", (PG_WRITE_LOCK,))
            known = self._stories.get(rid)
            assignment = known or self._stories.assign(DedupRecord.from_article(article, id=rid))
            self.store.set_story(article_id, assignment.cluster_id)
        return assignment.cluster_id
