"""khabar.pipeline: steps that run after an article is stored (stories, search index), and the
corpus-scale pipeline (``khabar pipeline run``; :func:`khabar.pipeline.runner.run_pipeline`)."""

from khabar.pipeline.indexer import StoreIndexer

__all__ = ["StoreIndexer"]
