"""``khabar pipeline run``: extract, clean, filter and deduplicate a corpus into Parquet parts."""

from __future__ import annotations

import argparse
import json
import sys


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    from khabar.extract.commands import _size
    from khabar.extract.sources import DEFAULT_MAX_BYTES

    p = sub.add_parser(
        "pipeline",
        help="corpus-scale pipeline (local or on Ray)",
        description="Corpus-scale processing: extract, clean, filter and deduplicate.",
    )
    psub = p.add_subparsers(dest="pipeline_command", metavar="ACTION")
    r = psub.add_parser(
        "run",
        help="process JSONL, Parquet, WARC or text shards into deduplicated Parquet parts",
        description="Read input shards (JSON Lines, Parquet, WARC(.gz), text or HTML files; folders are "
        "expanded), extract and clean each document, compute quality signals and filter, remove exact and "
        "near duplicates across the whole corpus, and write OUTDIR/part-NNNNN.parquet plus OUTDIR/report.json. "
        "Killed runs resume where they stopped when started again with the same arguments.",
    )
    r.add_argument("inputs", nargs="+", metavar="INPUT", help="shard files or folders of shards")
    r.add_argument("-o", "--out", required=True, metavar="OUTDIR", help="output folder (created if missing)")
    r.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="local (default): in this process; ray: on Ray Data (pip install 'khabar[ray]')",
    )
    r.add_argument(
        "--ray-address",
        metavar="ADDR",
        help="Ray cluster to join (e.g. ray://head:10001 or auto); default: start a local Ray",
    )
    r.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="Ray: CPUs of the local Ray and shards processed at once (default: all CPUs)",
    )
    r.add_argument("--quality-config", metavar="FILE", help="JSON file of quality thresholds (see README)")
    r.add_argument("--no-quality", action="store_true", help="keep documents whatever their quality signals")
    r.add_argument(
        "--audit", action="store_true", help="also write every removed document with its reason to OUTDIR/_removed/"
    )
    r.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help="refuse documents larger than this (default 50M)",
    )
    r.add_argument("--restart", action="store_true", help="discard an earlier run in OUTDIR and start over")
    r.add_argument("--quiet", "-q", action="store_true", help="no progress bars")
    r.set_defaults(func=run)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from khabar.errors import KhabarError
    from khabar.pipeline.runner import make_executor, run_pipeline
    from khabar.pipeline.steps import Settings
    from khabar.quality import QualityConfig

    quality = QualityConfig.from_file(args.quality_config) if args.quality_config else QualityConfig()
    if args.no_quality:
        quality = replace(quality, enabled=False)
    if args.engine == "local" and (args.ray_address or (args.workers or 1) > 1):
        raise KhabarError("--ray-address and --workers > 1 need --engine ray (the local engine uses one process)")
    settings = Settings(quality=quality, max_bytes=args.max_bytes, audit=args.audit)
    progress = not args.quiet and sys.stderr.isatty()
    executor = make_executor(args.engine, workers=args.workers, ray_address=args.ray_address, progress=progress)
    report = run_pipeline(args.inputs, args.out, executor=executor, settings=settings, restart=args.restart)
    summary = {
        k: report[k]
        for k in (
            "engine",
            "documents_in",
            "articles",
            "documents_out",
            "removed_by_reason",
            "duplicates",
            "time_per_stage",
            "shards",
        )
    }
    print(json.dumps({**summary, "report": f"{args.out.rstrip('/')}/report.json"}, ensure_ascii=False))
    return 0
