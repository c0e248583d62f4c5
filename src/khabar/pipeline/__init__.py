"""khabar.pipeline: steps that run after an article is stored (stories, search index)."""

from khabar.pipeline.indexer import StoreIndexer

__all__ = ["StoreIndexer"]
