"""Keep stories (dedup) and the search index in step with the article store.

The ingest pipeline calls :meth:`StoreIndexer.stored` after each article it stores. Both
indexes live in the store's own SQLite database (tables ``dedup_*`` and ``search_*``); on
PostgreSQL they are not kept yet and ``story_id`` stays null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from khabar.model import Article

if TYPE_CHECKING:
    from khabar.store import Store


@dataclass(slots=True)
class StoreIndexer:
    store: Store
    enabled: bool = True
    _stories: Any = field(default=None, init=False)
    _search: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        if not self.enabled or self.store.dialect != "sqlite":
            self.enabled = False
            return
        from khabar.dedup import StoryIndex
        from khabar.search import SearchIndex

        self._stories = StoryIndex(self.store.connection)
        self._search = SearchIndex(self.store.connection)

    def stored(self, article_id: int, article: Article, status: str) -> str | None:
        """Give a stored article its story and make it searchable; returns its story id.

        An ``unchanged`` article is indexed only if it is missing from the indexes (a run that was
        killed between storing and indexing)."""
        if not self.enabled:
            return None
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
