"""khabar.dedup: exact and near-duplicate detection and story grouping for Persian news.

Library API::

    from khabar.dedup import DedupRecord, StoryIndex
    index = StoryIndex(sqlite3.connect("khabar.db"))      # or a psycopg connection, or StoryIndex() in memory
    a = index.assign(DedupRecord(id="r1", text="...", site="isna.ir", published="2024-03-01T08:00:00Z"))
    a.cluster_id, a.duplicate_of, a.exact, a.similarity
    index.story_info(a.cluster_id)                         # outlets, first reporter, citations

Pure functions for distributed pipelines live in ``khabar.dedup.signature``.
"""

from khabar.dedup.attribution import outlet_of, split_boilerplate
from khabar.dedup.index import Assignment, DedupRecord, StoryIndex, StoryInfo, read_stories
from khabar.dedup.signature import DEFAULT_PARAMS, Params, band_keys, exact_key, matching_text, signatures

__all__ = [
    "DEFAULT_PARAMS",
    "Assignment",
    "DedupRecord",
    "Params",
    "StoryIndex",
    "StoryInfo",
    "band_keys",
    "exact_key",
    "matching_text",
    "outlet_of",
    "read_stories",
    "signatures",
    "split_boilerplate",
]
