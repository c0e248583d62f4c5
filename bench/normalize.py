"""Normalization benchmark: khabar against hazm, parsivar and shekar on corrupted UD dev text.

Runs ``../shared/bench/normbench.py`` once per library, each in its own environment (khabar in
this interpreter, peers in ``bench/.venv-<peer>``), on the same corrupted set in the same run, and
prints one table with ratios against khabar.

    python bench/normalize.py [--peers hazm,parsivar,shekar] [--repeats 3]
"""

from __future__ import annotations

import argparse
import sys

from _peers import DEV_SETS, NORMBENCH, OUT, check_data, peer_python, run_json


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peers", default="hazm,parsivar,shekar")
    ap.add_argument("--repeats", default="3")
    args = ap.parse_args()
    check_data()
    OUT.mkdir(parents=True, exist_ok=True)
    dev = "dev=" + ",".join(str(p) for p in DEV_SETS)
    results: dict[str, dict] = {}
    khabar_args = ["--normalizers", "identity", "--impl", "khabar=khabar.text:normalize"]
    runs = [("khabar", sys.executable, khabar_args)]
    for peer in [p for p in args.peers.split(",") if p]:
        try:
            runs.append((peer, str(peer_python(peer)), ["--normalizers", peer]))
        except Exception as exc:  # a peer that cannot be installed is reported, not fatal
            print(f"{peer}: not installed ({exc})", file=sys.stderr)
    for name, python, extra in runs:
        out = OUT / f"normalize-{name}.json"
        out.unlink(missing_ok=True)
        data = run_json(
            python,
            [str(NORMBENCH), "--set", dev, *extra, "--repeats", args.repeats, "--json", str(out), "--redact", "dev"],
            out,
        )
        if data:
            results.update(data["results"]["dev"]["normalizers"])
    k = results.get("khabar")
    if not k or "error" in k:
        print("khabar failed", file=sys.stderr)
        return 1
    print(
        "| normalizer | ZWNJ F1 | touched err % | damage err % | letter edits | chars/s | "
        "khabar speed x | touched err / khabar |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, r in results.items():
        if "error" in r:
            print(f"| {name} | error: {r['error'][:60]} |")
            continue
        speed = k["chars_per_s"] / r["chars_per_s"] if r["chars_per_s"] else float("inf")
        terr = r["touched_err"] / k["touched_err"] if k["touched_err"] else float("inf")
        print(
            f"| {name} | {r['zwnj_f1']:.4f} | {100 * r['touched_err']:.2f} | {100 * r['damage_err']:.3f} | "
            f"{r['letter_edits']} | {r['chars_per_s'] / 1e3:.0f}k | {speed:.2f} | {terr:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
