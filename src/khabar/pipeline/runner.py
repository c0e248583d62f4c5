"""``run_pipeline``: shards in, Parquet parts and a report out, resumable.

Layout of ``OUTDIR``::

    part-00000.parquet ...        kept documents, one part per input shard (OUTPUT_SCHEMA)
    _removed/part-00000.parquet   removed documents and why (AUDIT_SCHEMA; with audit=True)
    report.json                   counts, reasons, languages, time per stage
    _work/manifest.json           finished shards and parts (for resuming)
    _work/stage/shard-00000.parquet   per-shard stage tables (cleaned + signed)

Every file is written to a temporary name and renamed when complete, and the manifest is
updated after each rename, so a run killed at any point resumes without redoing finished
shards and without writing a document twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from khabar.dedup.signature import Params
from khabar.errors import KhabarError
from khabar.pipeline.shards import Shard, list_shards
from khabar.pipeline.steps import Edges, Settings, ShardSummary, part_name, resolve_duplicates, stage_path

MANIFEST_VERSION = 1


class Executor(Protocol):
    name: str
    parallelism: int  # shards processed at once

    def clean(
        self, shards: Sequence[Shard], settings: Settings, stage_dir: Path, on_done: Callable[[ShardSummary], None]
    ) -> None: ...

    def dedup(self, stage_files: Sequence[Path], params: Params) -> tuple[Edges, Edges]: ...

    def write(
        self,
        jobs: Sequence[tuple[int, Path]],
        outdir: Path,
        removed: dict[int, tuple[int, str]],
        kept_counts: dict[int, int],
        audit: bool,
        on_done: Callable[[int, int], None],
    ) -> None: ...


@dataclass(slots=True)
class _Manifest:
    path: Path
    data: dict[str, Any] = field(default_factory=dict)

    def save(self) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.path)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def make_executor(
    engine: str, *, workers: int | None = None, ray_address: str | None = None, progress: bool = False
) -> Executor:
    if engine == "local":
        from khabar.pipeline.local import LocalExecutor

        return LocalExecutor(progress=progress)
    if engine == "ray":
        from khabar.pipeline.ray_engine import RayExecutor

        return RayExecutor(address=ray_address, workers=workers, progress=progress)
    raise KhabarError(f"unknown engine {engine!r} (use local or ray)")


def _open_manifest(work: Path, shards: Sequence[Shard], settings: Settings, restart: bool, outdir: Path) -> _Manifest:
    wanted = {"version": MANIFEST_VERSION, "settings": settings.describe(), "shards": [s.fingerprint for s in shards]}
    path = work / "manifest.json"
    if path.exists() and not restart:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise KhabarError(f"{path}: unreadable manifest ({exc}); start again with --restart") from None
        if {k: data.get(k) for k in wanted} != wanted:
            raise KhabarError(
                f"{outdir}: holds a run over other inputs or settings; use another output folder or --restart"
            )
        return _Manifest(path, data)
    if restart and work.exists():
        shutil.rmtree(work)
        for old in [*outdir.glob("part-*.parquet"), *outdir.glob("_removed/part-*.parquet")]:
            old.unlink()
    elif any(outdir.glob("part-*.parquet")):
        raise KhabarError(f"{outdir}: already holds output parts but no manifest; use another folder or --restart")
    work.mkdir(parents=True, exist_ok=True)
    manifest = _Manifest(path, {**wanted, "stage": {}, "parts_key": None, "parts": {}})
    manifest.save()
    return manifest


def run_pipeline(
    inputs: Sequence[str],
    outdir: str | Path,
    *,
    executor: Executor,
    settings: Settings | None = None,
    restart: bool = False,
    on_event: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Run (or resume) the pipeline over ``inputs`` into ``outdir``; returns the report it writes.

    ``on_event(stage, shard_number)`` is called after each shard's work is safely recorded
    (``stage`` is ``"clean"`` or ``"write"``)."""
    settings = settings or Settings()
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise KhabarError(f"{out}: exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    shards = list_shards(inputs, exclude=out.resolve())
    work = out / "_work"
    stage_dir = work / "stage"
    manifest = _open_manifest(work, shards, settings, restart, out)
    times: dict[str, float] = {}

    stage_done: dict[str, Any] = manifest.data["stage"]
    todo = [s for s in shards if str(s.number) not in stage_done or not stage_path(stage_dir, s.number).exists()]
    resumed = len(shards) - len(todo)

    def cleaned(summary: ShardSummary) -> None:
        stage_done[str(summary.number)] = summary.to_dict()
        manifest.save()
        if on_event:
            on_event("clean", summary.number)

    t0 = time.perf_counter()
    executor.clean(todo, settings, stage_dir, cleaned)
    times["extract_clean_quality"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    exact, near = executor.dedup([stage_path(stage_dir, s.number) for s in shards], settings.params)
    removed = resolve_duplicates(exact, near)
    times["dedup"] = time.perf_counter() - t0
    kept_counts = dict(Counter(keeper for keeper, _ in removed.values()))

    digest = hashlib.sha256(json.dumps(sorted(removed.items())).encode()).hexdigest()
    parts_key = f"{digest}|audit={settings.audit}"
    if manifest.data.get("parts_key") != parts_key:
        manifest.data["parts_key"] = parts_key
        manifest.data["parts"] = {}
        manifest.save()
    parts_done: dict[str, int] = manifest.data["parts"]
    jobs = [
        (s.number, stage_path(stage_dir, s.number))
        for s in shards
        if str(s.number) not in parts_done or not (out / part_name(s.number)).exists()
    ]

    def written(number: int, n: int) -> None:
        parts_done[str(number)] = n
        manifest.save()
        if on_event:
            on_event("write", number)

    t0 = time.perf_counter()
    executor.write(jobs, out, removed, kept_counts, settings.audit, written)
    times["write"] = time.perf_counter() - t0

    summaries = [ShardSummary.from_dict(stage_done[str(s.number)]) for s in shards]
    reasons: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    for sm in summaries:
        reasons.update(sm.reasons)
        languages.update(sm.languages)
    dup_reasons = Counter(reason for _, reason in removed.values())
    reasons.update(dup_reasons)
    report: dict[str, Any] = {
        "engine": executor.name,
        "workers": executor.parallelism,
        "inputs": list(inputs),
        "outdir": str(out),
        "shards": {"total": len(shards), "processed": len(todo), "resumed": resumed, "parts_written": len(jobs)},
        "documents_in": sum(sm.documents for sm in summaries),
        "articles": sum(sm.articles for sm in summaries),
        "documents_out": sum(parts_done.values()),
        "removed_by_reason": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))),
        "duplicates": {
            "exact": dup_reasons.get("exact_duplicate", 0),
            "near": dup_reasons.get("near_duplicate", 0),
            "clusters": len(kept_counts),
            "exact_edges": len(exact),
            "near_edges": len(near),
        },
        "languages": dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        "time_per_stage": {k: round(v, 3) for k, v in times.items()},
        "clean_cpu_seconds": round(sum(sm.seconds for sm in summaries), 3),
        "quality": settings.quality.to_dict(),
        "dedup_params": settings.params.describe(),
        "parts": [part_name(s.number) for s in shards],
        "audit": "_removed/" if settings.audit else None,
    }
    _write_json(out / "report.json", report)
    return report
