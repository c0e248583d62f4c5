"""``khabar export``: the stored articles as JSON Lines or Parquet (pyarrow, optional)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from khabar.store import Store

EXPORT_FIELDS = (
    "id",
    "url",
    "site",
    "title",
    "lead",
    "paragraphs",
    "published",
    "published_jalali",
    "attributions",
    "photo_credits",
    "language",
    "story_id",
    "signals",
)


def export_jsonl(store: Store, out: TextIO) -> int:
    """One JSON object per line with :data:`EXPORT_FIELDS`; returns the number written."""
    n = 0
    for a in store.iter_articles():
        out.write(json.dumps(a.export_dict(), ensure_ascii=False) + "\n")
        n += 1
    return n


def export_parquet(store: Store, path: Path, *, batch: int = 2000) -> int:
    """The same records in a Parquet file; ``signals`` is a JSON string column (its keys vary
    between articles). Written in row groups of ``batch`` articles."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("url", pa.string()),
            ("site", pa.string()),
            ("title", pa.string()),
            ("lead", pa.string()),
            ("paragraphs", pa.list_(pa.string())),
            ("published", pa.string()),
            ("published_jalali", pa.string()),
            ("attributions", pa.list_(pa.string())),
            ("photo_credits", pa.list_(pa.string())),
            ("language", pa.string()),
            ("story_id", pa.string()),
            ("signals", pa.string()),
        ]
    )
    n = 0
    rows: list[dict[str, object]] = []
    with pq.ParquetWriter(str(path), schema) as writer:
        for a in store.iter_articles():
            d = a.export_dict()
            d["signals"] = json.dumps(d["signals"], ensure_ascii=False, sort_keys=True)
            rows.append(d)
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
                rows = []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
