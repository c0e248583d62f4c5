"""Near-duplicate and story grouping: khabar vs a plain datasketch MinHash LSH, same data, same run.

    python bench/dedup.py                # quality on the UD set, then throughput on 100k articles
    python bench/dedup.py --n 20000      # smaller throughput run
    python bench/dedup.py --quality-only

The labelled set is built at run time from ../shared/data/ud-fa (see bench/dedup_data.py).
The baseline is the configuration from issue #5: datasketch MinHash (128 permutations) over
whitespace word 5-grams of the raw text, MinHashLSH threshold 0.8, a record joins the story of
its first LSH hit. The script installs its peers into bench/.venv-bench on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from math import comb
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "data" / "ud-fa"


sys.path.insert(0, str(HERE))


def pairwise(labels: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering against true labels."""
    joint = Counter(zip(labels, predicted, strict=True))
    tp = sum(comb(n, 2) for n in joint.values())
    pred_pairs = sum(comb(n, 2) for n in Counter(predicted).values())
    true_pairs = sum(comb(n, 2) for n in Counter(labels).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / true_pairs if true_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def baseline_clusters(records: Sequence[dict]) -> list[str]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    cluster: dict[str, str] = {}
    out = []
    for r in records:
        words = r["text"].split()
        grams = {" ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128)
        m.update_batch(list(grams))
        hits = lsh.query(m)
        cid = cluster[min(hits, key=lambda h: int(h[1:]))] if hits else r["id"]
        cluster[r["id"]] = cid
        lsh.insert(r["id"], m)
        out.append(cid)
    return out


def khabar_clusters(
    records: Sequence[dict], engine: str = "rensa", db: str | None = None, batch: int = 1000
) -> list[str]:
    import sqlite3

    from khabar.dedup import DedupRecord, StoryIndex

    conn = sqlite3.connect(db) if db else None
    index = StoryIndex(conn, engine=engine)
    out: list[str] = []
    for start in range(0, len(records), batch):
        part = [
            DedupRecord(id=r["id"], text=r["text"], site=r.get("site"), published=r.get("published"))
            for r in records[start : start + batch]
        ]
        out.extend(a.cluster_id for a in index.assign_many(part))
    if conn is not None:
        conn.close()
    return out


def per_kind_recall(records: Sequence[dict], predicted: Sequence[str]) -> dict[str, float]:
    origin = {r["story"]: p for r, p in zip(records, predicted, strict=True) if r["kind"] == "original"}
    hit: dict[str, list[int]] = defaultdict(list)
    for r, p in zip(records, predicted, strict=True):
        if r["kind"] in ("original",):
            continue
        if r["kind"] == "lookalike":  # a negative: count how often it was kept apart
            hit["lookalike (kept apart)"].append(int(p != origin[r["story"].removesuffix("-look")]))
        else:
            hit[r["kind"]].append(int(p == origin[r["story"]]))
    return {k: sum(v) / len(v) for k, v in sorted(hit.items())}


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _corpus(n: int, seed: int, sampled: bool) -> list[dict]:
    from dedup_data import load_sentences, make_stories

    sents = load_sentences(DATA)
    out: list[dict] = []
    gen = make_stories(sents, seed=seed, n_stories=10**9 if sampled else None, sampled=sampled)
    for rec in gen:
        out.append(rec.to_dict())
        if n and len(out) >= n:
            break
    return out


SYSTEMS: dict[str, Callable[[list[dict]], list[str]]] = {
    "datasketch-baseline": baseline_clusters,
    "khabar (rensa)": khabar_clusters,
    "khabar (datasketch engine)": lambda recs: khabar_clusters(recs, engine="datasketch"),
}


def _measure(system: str, n: int, seed: int, sampled: bool, db: str | None) -> dict:
    """Run one system on a fresh corpus in this process; returns timing, memory and quality."""
    records = _corpus(n, seed, sampled)
    import gc

    gc.collect()
    before = _rss_kib()
    t0 = time.perf_counter()
    if db:
        pred = khabar_clusters(records, db=db)
    else:
        pred = SYSTEMS[system](records)
    elapsed = time.perf_counter() - t0
    after = _rss_kib()
    p, r, f = pairwise([x["story"] for x in records], pred)
    return {
        "system": system,
        "n": len(records),
        "seconds": elapsed,
        "per_sec": len(records) / elapsed,
        "rss_kib": after - before,
        "precision": p,
        "recall": r,
        "f1": f,
        "per_kind": per_kind_recall(records, pred),
    }


def _in_child(system: str, n: int, seed: int, sampled: bool, db: str | None = None) -> dict:
    args = [sys.executable, __file__, "--child", system, "--n", str(n), "--seed", str(seed)]
    if sampled:
        args.append("--sampled")
    if db:
        args += ["--db", db]
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _table(rows: list[dict], base: dict, throughput: bool) -> None:
    if throughput:
        print(
            f"{'system':32} {'articles':>8} {'seconds':>8} {'art/s':>9} {'x base':>7} {'B/article':>10} "
            f"{'P':>6} {'R':>6} {'F1':>6}"
        )
    else:
        print(f"{'system':32} {'records':>8} {'P':>6} {'R':>6} {'F1':>6}  recall by kind")
    for m in rows:
        if throughput:
            print(
                f"{m['system']:32} {m['n']:8d} {m['seconds']:8.2f} {m['per_sec']:9.0f} "
                f"{m['per_sec'] / base['per_sec']:7.2f} {m['rss_kib'] * 1024 / m['n']:10.0f} "
                f"{m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
            )
        else:
            kinds = "  ".join(f"{k}={v:.3f}" for k, v in m["per_kind"].items())
            print(f"{m['system']:32} {m['n']:8d} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}  {kinds}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles in the throughput run")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--quality-only", action="store_true")
    ap.add_argument("--repeat", type=int, default=2, help="throughput runs per system (best is kept)")
    ap.add_argument("--quality-seeds", type=int, default=3, help="labelled sets to score (seed, seed+1, ...)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--sampled", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_measure(args.child, args.n, args.seed, args.sampled, args.db), ensure_ascii=False))
        return 0
    if not DATA.is_dir():
        print(
            f"{DATA}: not found; the labelled set is built from the UD Persian dev sets there",
            file=sys.stderr,
        )
        return 1

    for seed in range(args.seed, args.seed + args.quality_seeds):
        print(f"== quality: labelled set from {DATA} (consecutive sentences, seed {seed})")
        rows = [_in_child(s, 0, seed, False) for s in SYSTEMS]
        _table(rows, rows[0], throughput=False)
        print()
    if args.quality_only:
        return 0
    print(
        f"== throughput: {args.n} articles from sampled sentences (seed {args.seed}), end to end,"
        f" each run in its own process, best of {args.repeat} (runs interleaved)"
    )
    best: dict[str, dict] = {}
    for _ in range(args.repeat):
        for s in SYSTEMS:
            m = _in_child(s, args.n, args.seed, True)
            if s not in best or m["per_sec"] > best[s]["per_sec"]:
                best[s] = m
    rows = list(best.values())
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sq = _in_child("khabar (rensa)", args.n, args.seed, True, db=str(Path(tmp) / "dedup.db"))
        sq["system"] = "khabar (rensa, SQLite file)"
        rows.append(sq)
    _table(rows, rows[0], throughput=True)
    return 0


if __name__ == "__main__":
    from _peers import ensure_bench_env

    ensure_bench_env("datasketch", "khabar.dedup")
    sys.exit(main())
