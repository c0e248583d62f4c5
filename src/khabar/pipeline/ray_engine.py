"""The Ray Data executor: the same step functions, spread over a Ray cluster.

* stage 1: one Ray Data row per input shard, ``map_batches`` (one shard per call) runs
  :func:`~khabar.pipeline.steps.clean_shard` and writes the shard's stage table to the shared
  output folder; the driver records each finished shard in the manifest as results stream in.
* stage 2: stage tables are read (one task per file); exact duplicates are found by
  ``groupby(exact_key)``; the rest are exploded into (band key, ordinal) rows,
  ``groupby(band)`` forms candidate pairs, pairs are de-duplicated, joined with their signatures
  (``Dataset.join``) and verified in ``map_batches``. Only the verified edges reach the driver.
* stage 3: one row per shard again, ``map_batches`` writes each output part.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from khabar.dedup.signature import Params
from khabar.errors import KhabarError
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

INSTALL_HINT = "the Ray engine needs Ray Data: pip install 'khabar[ray]' (or pip install 'ray[data]>=2.40')"


def import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise KhabarError(INSTALL_HINT) from None
    return ray


# -- functions that run on Ray workers (module level, so they pickle by reference) --------------


def _clean_batch(batch: dict[str, np.ndarray], settings: Settings, stage_dir: str) -> dict[str, np.ndarray]:
    out = []
    for i in range(len(batch["number"])):
        shard = Shard(int(batch["number"][i]), str(batch["path"][i]), int(batch["size"][i]), int(batch["mtime_ns"][i]))
        table, summary = clean_shard(shard, settings)
        write_atomic(table, stage_path(Path(stage_dir), shard.number))
        out.append(json.dumps(summary.to_dict(), ensure_ascii=False))
    return {"summary": np.array(out, dtype=object)}


def _read_accepted(batch: Any) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = [
        accepted_rows(pq.read_table(p, columns=DEDUP_COLUMNS)).drop_columns(["reason"])
        for p in batch["stage"].to_pylist()
    ]
    return pa.concat_tables(tables)


def _edges(pairs: list[tuple[int, int]]) -> dict[str, np.ndarray]:
    return {"a": np.array([a for a, _ in pairs], dtype=np.int64), "b": np.array([b for _, b in pairs], dtype=np.int64)}


def _groups(keys: np.ndarray, ordinals: np.ndarray) -> list[list[int]]:
    """Ordinals grouped by key within one block, groups of two or more only (vectorised sort and split)."""
    if len(keys) < 2:
        return []
    order = np.lexsort((ordinals, keys))
    keys, ordinals = keys[order], ordinals[order]
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    return [g.tolist() for g in np.split(ordinals, cuts) if len(g) > 1]


def _exact_block(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _edges([e for g in _groups(batch["exact_key"].astype(str), batch["ordinal"]) for e in exact_group_edges(g)])


def _bucket_block(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return _edges([p for g in _groups(batch["band"], batch["ordinal"]) for p in bucket_pairs(g)])


def _near_candidates(batch: dict[str, np.ndarray], params: Params, copies: np.ndarray) -> dict[str, np.ndarray]:
    sizes = batch["size"].astype(np.int64)
    sel = (sizes >= params.min_shingles) & ~np.isin(batch["ordinal"], copies)
    if not sel.any():
        return {"band": np.zeros(0, dtype=np.int64), "ordinal": np.zeros(0, dtype=np.int64)}
    sigs = decode_sigs(batch["sig"][sel].tolist(), params.num_perm)
    bands, owners = explode_bands(batch["ordinal"][sel], sigs, params)
    return {"band": bands, "ordinal": owners}


def _verify(batch: dict[str, np.ndarray], params: Params) -> dict[str, np.ndarray]:
    if len(batch["a"]) == 0:
        return {"a": batch["a"], "b": batch["b"]}
    ok = verify_pairs(
        decode_sigs(batch["sig_a"].tolist(), params.num_perm),
        batch["size_a"].astype(np.int64),
        decode_sigs(batch["sig_b"].tolist(), params.num_perm),
        batch["size_b"].astype(np.int64),
        params,
    )
    return {"a": batch["a"][ok], "b": batch["b"][ok]}


def _write_batch(
    batch: dict[str, np.ndarray],
    outdir: str,
    removed: Mapping[int, tuple[int, str]],
    kept_counts: Mapping[int, int],
    audit: bool,
) -> dict[str, np.ndarray]:
    written = [
        write_shard_outputs(Path(str(p)), int(n), Path(outdir), removed, kept_counts, audit)
        for n, p in zip(batch["number"], batch["stage"], strict=True)
    ]
    return {"number": batch["number"], "written": np.array(written, dtype=np.int64)}


class RayExecutor:
    """Runs the pipeline on Ray Data. ``address`` is a cluster address (``ray://…`` or
    ``host:port``; ``auto`` joins the local cluster); without one a local Ray is started with
    ``workers`` CPUs. ``workers`` also caps how many shards are cleaned or written at once."""

    name = "ray"

    def __init__(self, address: str | None = None, workers: int | None = None, progress: bool = False) -> None:
        self.ray = import_ray()
        self.workers = workers
        if not self.ray.is_initialized():
            kwargs: dict[str, Any] = {
                "address": address,
                "log_to_driver": False,
                "configure_logging": True,
                "logging_level": "ERROR",
            }
            if address is None:
                kwargs["num_cpus"] = workers
                kwargs["include_dashboard"] = False
            self.ray.init(**kwargs)
        if not progress:
            logging.getLogger("ray.data").setLevel(logging.WARNING)
        ctx = self.ray.data.DataContext.get_current()
        ctx.enable_progress_bars = progress
        ctx.print_on_execution_start = False
        from ray.data.context import ShuffleStrategy

        ctx.shuffle_strategy = ShuffleStrategy.HASH_SHUFFLE  # key-based repartition needs it
        # Hash shuffles (repartition by key, join) run aggregator actors; reserving a CPU each would
        # leave a 1-CPU Ray without CPUs for the tasks that feed them, and the job would hang.
        ctx.hash_shuffle_operator_actor_num_cpus_override = 0
        ctx.hash_aggregate_operator_actor_num_cpus_override = 0
        cpus = int(self.ray.cluster_resources().get("CPU", 1))
        self.partitions = max(2, cpus)
        self.parallelism = min(workers, cpus) if workers else cpus

    def _blocks(self, nbytes: int) -> int:
        """Blocks for a hash repartition of about ``nbytes``: at least one per CPU, each under 32 MiB."""
        return max(self.partitions, -(-nbytes // (32 << 20)))

    def _per_shard(self, rows: list[dict[str, Any]], fn: Callable[..., Any], fn_kwargs: dict[str, Any]) -> Any:
        ds = self.ray.data.from_items(rows, override_num_blocks=len(rows))
        compute = self.ray.data.TaskPoolStrategy(size=self.workers) if self.workers else None
        return ds.map_batches(fn, batch_size=1, fn_kwargs=fn_kwargs, num_cpus=1, compute=compute)

    def clean(
        self, shards: Sequence[Shard], settings: Settings, stage_dir: Path, on_done: Callable[[ShardSummary], None]
    ) -> None:
        if not shards:
            return
        rows = [{"number": s.number, "path": s.path, "size": s.size, "mtime_ns": s.mtime_ns} for s in shards]
        ds = self._per_shard(rows, _clean_batch, {"settings": settings, "stage_dir": str(stage_dir)})
        for row in ds.iter_rows():
            on_done(ShardSummary.from_dict(json.loads(row["summary"])))

    def dedup(self, stage_files: Sequence[Path], params: Params) -> tuple[Edges, Edges]:
        if not stage_files:
            return [], []
        data = self.ray.data
        from ray.data.expressions import col

        # Each task reads one stage file with pyarrow (like the other per-shard stages), which keeps the
        # accepted rows' dedup columns only.
        base = (
            data.from_items([{"stage": str(f)} for f in stage_files], override_num_blocks=len(stage_files))
            .map_batches(_read_accepted, batch_size=1, batch_format="pyarrow")
            .materialize()
        )
        # Grouping: hash-repartition by the key, so every row of a key lands in one block, then group
        # inside each block with numpy (one Python call per block, not per key as map_groups would
        # make: with most LSH buckets holding one document, per-key calls dominated the run time).
        # Blocks are kept under Ray's 128 MiB block size limit so that no key's rows are split.
        rows = base.count()
        exact_ds = (
            base.select_columns(["ordinal", "exact_key"])
            .filter(expr=col("exact_key").is_not_null())
            .repartition(self._blocks(rows * 64), keys=["exact_key"])
            .map_batches(_exact_block, batch_size=None)
        )
        exact = [(int(r["a"]), int(r["b"])) for r in exact_ds.take_all()]
        copies = np.array(sorted({b for _, b in exact}), dtype=np.int64)
        candidates = (
            base.map_batches(_near_candidates, fn_kwargs={"params": params, "copies": copies})
            .repartition(self._blocks(rows * params.bands * 16), keys=["band"])
            .map_batches(_bucket_block, batch_size=None)
            .groupby(["a", "b"], num_partitions=self.partitions)
            .count()
            .select_columns(["a", "b"])
            .materialize()
        )
        if candidates.count() == 0:
            return exact, []
        sigs = base.select_columns(["ordinal", "size", "sig"])
        side_a = sigs.rename_columns({"ordinal": "a", "size": "size_a", "sig": "sig_a"})
        side_b = sigs.rename_columns({"ordinal": "b", "size": "size_b", "sig": "sig_b"})
        # The join's hash-shuffle aggregators are actors; by default each reserves CPU, which on a
        # 1-CPU Ray leaves none for the tasks feeding them (the job hangs). They mostly wait on I/O.
        agg = {"num_cpus": 0}
        joined = candidates.join(
            side_a, join_type="inner", num_partitions=self.partitions, on=("a",), aggregator_ray_remote_args=agg
        ).join(side_b, join_type="inner", num_partitions=self.partitions, on=("b",), aggregator_ray_remote_args=agg)
        verified = joined.map_batches(_verify, fn_kwargs={"params": params})
        near = sorted((int(r["a"]), int(r["b"])) for r in verified.take_all())
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
        if not jobs:
            return
        rows = [{"number": n, "stage": str(p)} for n, p in jobs]
        ds = self._per_shard(
            rows,
            _write_batch,
            {"outdir": str(outdir), "removed": dict(removed), "kept_counts": dict(kept_counts), "audit": audit},
        )
        for row in ds.iter_rows():
            on_done(int(row["number"]), int(row["written"]))
