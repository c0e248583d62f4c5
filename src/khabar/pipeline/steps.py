"""The pipeline's steps as pure functions over shards, tables and arrays.

Both executors (``khabar.pipeline.local`` and ``khabar.pipeline.ray_engine``) call these same
functions; only the way work is spread differs, so both produce the same documents.

Stage 1 (per shard): read -> extract and clean (``khabar.extract``) -> quality signals and
filters (``khabar.quality``) -> matching text, exact key and MinHash signature
(``khabar.dedup.signature``). The result is one *stage table* per shard.

Stage 2 (global): exact duplicates share an exact key; near duplicates share an LSH band key
and pass the containment check. Edges of both kinds go into :func:`resolve_duplicates`, whose
union-find keeps the lowest ordinal of every cluster.

Stage 3 (per shard): the stage table minus removed documents becomes an output part.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from khabar.dedup.attribution import split_boilerplate
from khabar.dedup.signature import (
    DEFAULT_PARAMS,
    Params,
    band_keys,
    containment,
    exact_key,
    jaccard_rows,
    matching_text,
    signatures,
)
from khabar.errors import InputError
from khabar.extract import DEFAULT_MAX_BYTES, clean_document_all
from khabar.model import Article
from khabar.pipeline.shards import Shard, read_shard
from khabar.quality import QualityConfig, judge, quality_signals

SIGNAL_NAMES: tuple[str, ...] = (
    "words",
    "chars",
    "persian_ratio",
    "mean_word_length",
    "stopword_ratio",
    "dup_line_fraction",
    "dup_line_char_fraction",
    "page_repeated_fraction",
    "boilerplate_fraction",
    "top_2gram_fraction",
    "top_3gram_fraction",
    "top_4gram_fraction",
    *(f"dup_{n}gram_fraction" for n in range(5, 11)),
)
AUDIT_DIR = "_removed"  # leading underscore: pyarrow and pandas dataset readers skip it
BUCKET_CAP = 64  # in a bucket, each member is checked against at most the first BUCKET_CAP members

_DOC_FIELDS: list[pa.Field] = [
    pa.field("ordinal", pa.int64(), nullable=False),
    pa.field("id", pa.string(), nullable=False),
    pa.field("shard", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("title", pa.string()),
    pa.field("lead", pa.string()),
    pa.field("text", pa.string()),
    pa.field("language", pa.string()),
    pa.field("published", pa.string()),
    pa.field("site", pa.string()),
    *(pa.field(f"q_{n}", pa.float64()) for n in SIGNAL_NAMES),
]
#: Stage tables: every document of a shard, kept or not, with its dedup keys.
STAGE_SCHEMA = pa.schema(
    [
        *_DOC_FIELDS,
        pa.field("reason", pa.string()),
        pa.field("detail", pa.string()),
        pa.field("exact_key", pa.string()),
        pa.field("size", pa.int32()),
        pa.field("sig", pa.binary()),
    ]
)
#: Output parts (``part-NNNNN.parquet``): kept documents.
OUTPUT_SCHEMA = pa.schema([*_DOC_FIELDS, pa.field("duplicates", pa.int32(), nullable=False)])
#: Audit parts (``_removed/part-NNNNN.parquet``): removed documents and why.
AUDIT_SCHEMA = pa.schema(
    [
        *_DOC_FIELDS,
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("duplicate_of", pa.int64()),
    ]
)

#: Candidate or verified duplicate pairs of document ordinals.
Edges = list[tuple[int, int]]
#: Columns of the per-document table the dedup stage reads.
DEDUP_COLUMNS = ["ordinal", "exact_key", "size", "sig", "reason"]


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a worker needs besides the shard; picklable, so Ray ships it to workers."""

    quality: QualityConfig = field(default_factory=QualityConfig)
    params: Params = DEFAULT_PARAMS
    max_bytes: int = DEFAULT_MAX_BYTES
    audit: bool = False

    def describe(self) -> str:
        return f"{self.quality.to_dict()} {self.params.describe()} max_bytes={self.max_bytes}"


@dataclass(frozen=True, slots=True)
class ShardSummary:
    """What stage 1 did with one shard (stored in the manifest, summed into the report)."""

    number: int
    path: str
    documents: int  # raw documents and unreadable records read
    articles: int  # records after extraction (a listing page can give several)
    accepted: int
    reasons: Mapping[str, int]
    languages: Mapping[str, int]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "path": self.path,
            "documents": self.documents,
            "articles": self.articles,
            "accepted": self.accepted,
            "reasons": dict(self.reasons),
            "languages": dict(self.languages),
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ShardSummary:
        return cls(
            int(d["number"]),
            str(d["path"]),
            int(d["documents"]),
            int(d["articles"]),
            int(d["accepted"]),
            dict(d["reasons"]),
            dict(d["languages"]),
            float(d["seconds"]),
        )


def ordinal(shard_number: int, position: int) -> int:
    """The document's place in the whole input: shard number in the high 32 bits."""
    return (shard_number << 32) | position


def stage_path(stage_dir: Path, number: int) -> Path:
    return stage_dir / f"shard-{number:05d}.parquet"


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` so that a reader sees the whole file or none of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def _error_reason(error: str) -> str:
    return "language" if error.startswith("not Persian") else "extract_error"


def clean_shard(shard: Shard, settings: Settings) -> tuple[pa.Table, ShardSummary]:
    """Stage 1 for one shard: its stage table and summary."""
    start = time.perf_counter()
    rows: dict[str, list[Any]] = {f.name: [] for f in STAGE_SCHEMA}
    accepted: list[tuple[int, Article]] = []  # (row index, article) to sign
    reasons: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    documents = 0
    for item in read_shard(shard.path, max_bytes=settings.max_bytes):
        documents += 1
        if isinstance(item, InputError):
            articles = [Article(source=item.source, error=item.reason)]
            input_error = True
        else:
            articles = clean_document_all(item)
            input_error = False
        for art in articles:
            idx = len(rows["ordinal"])
            signals: Mapping[str, float] = {}
            reason = detail = None
            if art.error:
                reason, detail = ("input_error" if input_error else _error_reason(art.error)), art.error
            else:
                parts = [p for p in (art.title, art.lead, *art.paragraphs) if p]
                signals = quality_signals(parts, page=art.signals)
                verdict = judge(signals, art.language, settings.quality)
                if verdict is not None:
                    reason, detail = verdict.reason, verdict.detail
            if art.language:
                languages[art.language] += 1
            rows["ordinal"].append(ordinal(shard.number, idx))
            rows["id"].append(art.source)
            rows["shard"].append(shard.path)
            rows["url"].append(art.url)
            rows["title"].append(art.title)
            rows["lead"].append(art.lead)
            rows["text"].append("\n\n".join(art.paragraphs))
            rows["language"].append(art.language)
            rows["published"].append(art.published)
            rows["site"].append(art.site)
            for n in SIGNAL_NAMES:
                rows[f"q_{n}"].append(signals.get(n) if signals else None)
            rows["reason"].append(reason)
            rows["detail"].append(detail)
            rows["exact_key"].append(None)
            rows["size"].append(None)
            rows["sig"].append(None)
            if reason is None:
                accepted.append((idx, art))
            else:
                reasons[reason] += 1
    if accepted:
        keys, sizes, sigs = sign_texts([a.text for _, a in accepted], settings.params)
        for (idx, _), key, size, sig in zip(accepted, keys, sizes, sigs, strict=True):
            rows["exact_key"][idx] = key
            rows["size"][idx] = int(size)
            rows["sig"][idx] = sig.tobytes()
    table = pa.Table.from_pydict(rows, schema=STAGE_SCHEMA)
    summary = ShardSummary(
        shard.number,
        shard.path,
        documents,
        len(rows["ordinal"]),
        len(accepted),
        dict(reasons),
        dict(languages),
        round(time.perf_counter() - start, 4),
    )
    return table, summary


def sign_texts(texts: list[str], params: Params = DEFAULT_PARAMS) -> tuple[list[str | None], np.ndarray, np.ndarray]:
    """Exact keys (hex, None when nothing is left to match), k-gram counts and MinHash signatures,
    computed the way ``StoryIndex`` does (attribution lead-in and sign-off cut first)."""
    matching = [matching_text(split_boilerplate(t)[0], params.text_normalize) for t in texts]
    keys = [exact_key(m).hex() if m else None for m in matching]
    sigs, sizes = signatures(matching, params)
    return keys, sizes, sigs


# -- stage 2: duplicates ------------------------------------------------------------------------


def accepted_rows(table: pa.Table) -> pa.Table:
    """Rows that passed stage 1 (the only ones that take part in deduplication)."""
    return table.filter(pc.is_null(table["reason"]))


def decode_sigs(column: Iterable[bytes], num_perm: int) -> np.ndarray:
    raw = b"".join(column)
    return np.frombuffer(raw, dtype=np.uint32).reshape(-1, num_perm)


def exact_group_edges(ordinals: Iterable[int]) -> list[tuple[int, int]]:
    """Edges (keeper, copy) of one exact-key group: the lowest ordinal keeps."""
    members = sorted(set(int(o) for o in ordinals))
    return [(members[0], o) for o in members[1:]]


def explode_bands(
    ordinals: np.ndarray, sigs: np.ndarray, params: Params = DEFAULT_PARAMS
) -> tuple[np.ndarray, np.ndarray]:
    """One (band key, ordinal) row per document and LSH band."""
    keys = band_keys(sigs, params)
    return keys.ravel(), np.repeat(np.asarray(ordinals, dtype=np.int64), params.bands)


def bucket_pairs(ordinals: Iterable[int], cap: int = BUCKET_CAP) -> list[tuple[int, int]]:
    """Candidate pairs (a < b) of one LSH bucket; each member meets the first ``cap`` members."""
    members = sorted(set(int(o) for o in ordinals))
    return [(members[i], members[j]) for i in range(min(len(members) - 1, cap)) for j in range(i + 1, len(members))]


def verify_pairs(
    sig_a: np.ndarray, size_a: np.ndarray, sig_b: np.ndarray, size_b: np.ndarray, params: Params = DEFAULT_PARAMS
) -> np.ndarray:
    """Which candidate pairs are near duplicates: the same containment test ``StoryIndex`` uses."""
    if len(sig_a) == 0:
        return np.zeros(0, dtype=bool)
    j = jaccard_rows(sig_a, sig_b)
    c = containment(j, size_a, size_b, params.num_perm, params.z)
    return (c >= params.containment) & (np.minimum(size_a, size_b) >= params.min_shingles)


def resolve_duplicates(
    exact_edges: Iterable[tuple[int, int]], near_edges: Iterable[tuple[int, int]]
) -> dict[int, tuple[int, str]]:
    """Connected components over all edges; every member but the lowest ordinal is removed.

    Returns ``{removed ordinal: (keeper ordinal, "exact_duplicate" | "near_duplicate")}``; a copy
    is an exact duplicate when it was an exact copy of some document, near otherwise."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    exact_copies: set[int] = set()
    for edges, exact in ((exact_edges, True), (near_edges, False)):
        for a, b in edges:
            a, b = int(a), int(b)
            if exact:
                exact_copies.add(max(a, b))
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    removed: dict[int, tuple[int, str]] = {}
    for x in list(parent):
        root = find(x)
        if root != x:
            removed[x] = (root, "exact_duplicate" if x in exact_copies else "near_duplicate")
    return removed


# -- stage 3: output parts ----------------------------------------------------------------------


def write_shard_outputs(
    stage_file: Path,
    number: int,
    outdir: Path,
    removed: Mapping[int, tuple[int, str]],
    kept_counts: Mapping[int, int],
    audit: bool,
) -> int:
    """Write ``part-NNNNN.parquet`` (and ``_removed/part-NNNNN.parquet`` when ``audit``) for one
    shard; returns the number of documents written to the part."""
    table = pq.read_table(stage_file, schema=STAGE_SCHEMA)
    ordinals = table["ordinal"].to_pylist()
    reasons = table["reason"].to_pylist()
    details = table["detail"].to_pylist()
    keep = [r is None and o not in removed for o, r in zip(ordinals, reasons, strict=True)]
    base = table.select([f.name for f in _DOC_FIELDS])
    mask = pa.array(keep, type=pa.bool_())
    kept = base.filter(mask)
    dups = [kept_counts.get(o, 0) for o in kept["ordinal"].to_pylist()]
    kept = kept.append_column(pa.field("duplicates", pa.int32(), nullable=False), pa.array(dups, pa.int32()))
    write_atomic(kept.cast(OUTPUT_SCHEMA), outdir / part_name(number))
    if audit:
        gone = base.filter(pc.invert(mask))
        why, what, of = [], [], []
        for o, r, d, k in zip(ordinals, reasons, details, keep, strict=True):
            if k:
                continue
            if r is None:
                keeper, r = removed[o]
                d, dup = f"copy of ordinal {keeper}", keeper
            else:
                dup = None
            why.append(r)
            what.append(d)
            of.append(dup)
        gone = gone.append_column("reason", pa.array(why, pa.string()))
        gone = gone.append_column("detail", pa.array(what, pa.string()))
        gone = gone.append_column("duplicate_of", pa.array(of, pa.int64()))
        write_atomic(gone.cast(AUDIT_SCHEMA), outdir / AUDIT_DIR / part_name(number))
    return kept.num_rows
