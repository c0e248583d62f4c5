"""khabar pipeline run: documents per second, local engine vs Ray Data with 1 and 2 workers.

    python bench/pipeline.py                    # 200k generated documents, 40 shards
    python bench/pipeline.py --docs 20000       # a quicker run
    python bench/pipeline.py --engines ray2     # one configuration only

The corpus is generated at run time into bench/out/pipeline-corpus-<docs>/ (gitignored): random
Persian sentences drawn from the word frequencies of the UD Persian dev sets in
../shared/data/ud-fa, with injected exact copies (10%), near copies (10%) and junk (5%).
Every configuration runs the same CLI on the same corpus in a fresh process (a fresh local Ray
with --workers CPUs), so the wall time includes Ray's start-up. Peers run in the same
invocation and the script prints ratios; it also checks that all engines kept the same ids.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
UD = ROOT.parent / "shared" / "data" / "ud-fa"
OUT = HERE / "out"
CONFIGS = {
    "local": ["--engine", "local"],
    "ray1": ["--engine", "ray", "--workers", "1"],
    "ray2": ["--engine", "ray", "--workers", "2"],
}


def build(docs: int, shards: int) -> Path:
    sys.path.insert(0, str(ROOT / "src"))
    from khabar.pipeline.synth import build_corpus, ud_vocabulary

    folder = OUT / f"pipeline-corpus-{docs}-{shards}"
    stamp = folder / ".complete"
    if stamp.exists():
        return folder
    vocab, weights = ud_vocabulary(sorted(UD.glob("*.conllu")))
    t0 = time.perf_counter()
    truth = build_corpus(
        folder,
        vocab=vocab,
        weights=weights,
        documents=docs,
        shards=shards,
        exact_rate=0.10,
        near_rate=0.10,
        junk_rate=0.05,
        seed=1405,
    )
    stamp.write_text(
        json.dumps(
            {
                "originals": len(truth.originals),
                "exact": len(truth.exact),
                "near": len(truth.near),
                "junk": len(truth.junk),
            }
        )
    )
    print(
        f"corpus: {docs} documents in {shards} shards, built in {time.perf_counter() - t0:.1f}s "
        f"({len(vocab)} distinct UD word forms)",
        flush=True,
    )
    return folder


def run(name: str, corpus: Path) -> dict:
    out = OUT / f"pipeline-run-{name}"
    cmd = [
        sys.executable,
        "-m",
        "khabar.cli",
        "pipeline",
        "run",
        str(corpus),
        "-o",
        str(out),
        "--restart",
        "-q",
        *CONFIGS[name],
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
    report = json.loads((out / "report.json").read_text())
    ids = sorted(
        i for f in sorted(out.glob("part-*.parquet")) for i in pq.read_table(f, columns=["id"])["id"].to_pylist()
    )
    return {"name": name, "wall": wall, "report": report, "ids": ids}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200_000)
    ap.add_argument("--shards", type=int, default=40)
    ap.add_argument("--engines", nargs="+", choices=list(CONFIGS), default=list(CONFIGS))
    args = ap.parse_args()
    corpus = build(args.docs, args.shards)
    results = []
    for name in args.engines:
        print(f"running {name} ...", flush=True)
        results.append(run(name, corpus))
    print()
    print("| engine | documents in | out | wall s | docs/s | clean s | dedup s | write s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rate = {}
    for r in results:
        rep = r["report"]
        rate[r["name"]] = rep["documents_in"] / r["wall"]
        t = rep["time_per_stage"]
        print(
            f"| {r['name']} | {rep['documents_in']} | {rep['documents_out']} | {r['wall']:.1f} | "
            f"{rate[r['name']]:.0f} | {t['extract_clean_quality']:.1f} | {t['dedup']:.1f} | {t['write']:.1f} |"
        )
    print()
    if "ray1" in rate and "ray2" in rate:
        print(f"scaling ray 2 workers / ray 1 worker: {rate['ray2'] / rate['ray1']:.2f}x")
    if "local" in rate:
        for name in ("ray1", "ray2"):
            if name in rate:
                print(f"{name} / local: {rate[name] / rate['local']:.2f}x")
    first = results[0]
    same = all(r["ids"] == first["ids"] for r in results[1:])
    print(f"same output ids across {', '.join(r['name'] for r in results)}: {same}")
    print("removed by reason:", json.dumps(first["report"]["removed_by_reason"], ensure_ascii=False))


if __name__ == "__main__":
    main()
