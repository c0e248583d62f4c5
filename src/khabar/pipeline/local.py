"""The in-process executor (the default): the pipeline's steps in a loop, with a progress bar."""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from khabar.dedup.signature import Params
from khabar.pipeline.shards import Shard
from khabar.pipeline.steps import (
    DEDUP_COLUMNS,
    Edges,
    Settings,
    ShardSummary,
    accepted_rows,
    bucket_pairs,
    clean_shard,
    decode_sigs,
    exact_group_edges,
    explode_bands,
    stage_path,
    verify_pairs,
    write_atomic,
    write_shard_outputs,
)


def _bar(total: int, desc: str, enabled: bool, unit: str = "shard"):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not enabled, leave=False)


def exact_edges_of(ordinals: np.ndarray, keys: Sequence[str | None]) -> Edges:
    groups: dict[str, list[int]] = defaultdict(list)
    for o, k in zip(ordinals.tolist(), keys, strict=True):
        if k is not None:
            groups[k].append(o)
    return [e for g in groups.values() if len(g) > 1 for e in exact_group_edges(g)]


def near_edges_of(ordinals: np.ndarray, sizes: np.ndarray, sigs: np.ndarray, params: Params) -> Edges:
    """Near-duplicate edges among documents already reduced to exact-group keepers."""
    if len(ordinals) < 2:
        return []
    bands, owners = explode_bands(ordinals, sigs, params)
    order = np.lexsort((owners, bands))
    bands, owners = bands[order], owners[order]
    cuts = np.flatnonzero(np.diff(bands)) + 1
    pairs: set[tuple[int, int]] = set()
    for group in np.split(owners, cuts):
        if len(group) > 1:
            pairs.update(bucket_pairs(group.tolist()))
    if not pairs:
        return []
    cand = np.array(sorted(pairs), dtype=np.int64)
    pos = {o: i for i, o in enumerate(ordinals.tolist())}
    ia = np.fromiter((pos[a] for a in cand[:, 0].tolist()), dtype=np.int64, count=len(cand))
    ib = np.fromiter((pos[b] for b in cand[:, 1].tolist()), dtype=np.int64, count=len(cand))
    ok = verify_pairs(sigs[ia], sizes[ia], sigs[ib], sizes[ib], params)
    return [(int(a), int(b)) for a, b in cand[ok]]


class LocalExecutor:
    name = "local"
    parallelism = 1

    def __init__(self, progress: bool = False) -> None:
        self.progress = progress

    def clean(
        self, shards: Sequence[Shard], settings: Settings, stage_dir: Path, on_done: Callable[[ShardSummary], None]
    ) -> None:
        with _bar(len(shards), "clean", self.progress) as bar:
            docs = 0
            for shard in shards:
                table, summary = clean_shard(shard, settings)
                write_atomic(table, stage_path(stage_dir, shard.number))
                on_done(summary)
                docs += summary.documents
                bar.update(1)
                bar.set_postfix(docs=docs)

    def dedup(self, stage_files: Sequence[Path], params: Params) -> tuple[Edges, Edges]:
        tables = [accepted_rows(pq.read_table(f, columns=DEDUP_COLUMNS)) for f in stage_files]
        table = pa.concat_tables(tables) if tables else None
        if table is None or table.num_rows == 0:
            return [], []
        ordinals = table["ordinal"].to_numpy()
        exact = exact_edges_of(ordinals, table["exact_key"].to_pylist())
        copies = np.array(sorted({b for _, b in exact}), dtype=np.int64)
        sizes = table["size"].to_numpy(zero_copy_only=False).astype(np.int64)
        sel = (sizes >= params.min_shingles) & ~np.isin(ordinals, copies)
        idx = np.flatnonzero(sel)
        sigs = decode_sigs(table["sig"].take(pa.array(idx)).to_pylist(), params.num_perm)
        near = near_edges_of(ordinals[idx], sizes[idx], sigs, params)
        return exact, near

    def write(
        self,
        jobs: Sequence[tuple[int, Path]],
        outdir: Path,
        removed: Mapping[int, tuple[int, str]],
        kept_counts: Mapping[int, int],
        audit: bool,
        on_done: Callable[[int, int], None],
    ) -> None:
        with _bar(len(jobs), "write", self.progress) as bar:
            for number, stage_file in jobs:
                n = write_shard_outputs(stage_file, number, outdir, removed, kept_counts, audit)
                on_done(number, n)
                bar.update(1)
