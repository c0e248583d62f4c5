"""Web app throughput: requests per second for the home, story, article and search pages (and the
search API) at 50 concurrent connections, with error counts.

The server is ``khabar serve`` (one uvicorn process) over the demo corpus, in its own process; the
load comes from ``wrk`` (Debian package; installed with apt-get when missing and running as
root), or, without it, from a small asyncio/httpx client in this process. As a peer on the same
server in the same run, ``/openapi.json`` (built once, then served from memory through the same
middleware: the framework's floor) shows how much of the cost is khabar's own work; each page's
rate is printed as a ratio of it. A static file (``/static/style.css``) is measured too.

Each page is measured against ``khabar serve --workers 1`` and ``--workers 2`` (one process per
core on a 2-core machine); the ``vs w1`` column is the second's rate over the first's.

Run: ``python bench/web.py [--seconds 10] [--connections 50] [--workers 1,2]``. Numbers depend on what else runs
on the machine; compare ratios, not absolute rates, across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Result:
    name: str
    path: str
    requests: int
    seconds: float
    errors: int  # socket errors, timeouts (10 s) and non-2xx answers
    p50_ms: float | None
    p99_ms: float | None

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("bench/web.py: installing wrk (Debian package)", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True, check=False)
    return shutil.which("wrk")


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run_wrk(wrk: str, base: str, name: str, path: str, seconds: int, connections: int) -> Result:
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", base + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    elapsed = _ms(re.search(r"requests in ([\d.]+\w+),", out).group(1)) / 1000
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    p50 = re.search(r"^\s*50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s*99%\s+(\S+)", out, re.M)
    return Result(
        name, path, requests, elapsed, errors, _ms(p50.group(1)) if p50 else None, _ms(p99.group(1)) if p99 else None
    )


def run_python(base: str, name: str, path: str, seconds: int, connections: int) -> Result:
    import httpx

    async def main() -> Result:
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=base, limits=limits, trust_env=False, timeout=30) as client:
            stop = time.perf_counter() + seconds

            async def worker() -> None:
                nonlocal errors
                while time.perf_counter() < stop:
                    t = time.perf_counter()
                    try:
                        r = await client.get(path)
                        if r.status_code >= 400:
                            errors += 1
                    except httpx.HTTPError:
                        errors += 1
                    latencies.append(time.perf_counter() - t)

            start = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(connections)))
            elapsed = time.perf_counter() - start
        latencies.sort()
        pick = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) if latencies else None
        return Result(
            name, path, len(latencies), elapsed, errors, pick(0.5) if pick else None, pick(0.99) if pick else None
        )

    return asyncio.run(main())


def wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("bench/web.py: the server exited while starting")
        try:
            if httpx.get(base + "/", trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("bench/web.py: the server did not start")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=int, default=10, help="length of each run (default 10)")
    ap.add_argument("--connections", type=int, default=50, help="concurrent connections (default 50)")
    ap.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    ap.add_argument(
        "--workers",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[1, 2],
        help="server process counts to compare, comma-separated (default 1,2)",
    )
    args = ap.parse_args()

    from khabar.demo import ingest_demo
    from khabar.store import open_store
    from khabar.web.server import free_port

    wrk = ensure_wrk() if args.client in ("auto", "wrk") else None
    if args.client == "wrk" and not wrk:
        raise SystemExit("bench/web.py: wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="khabar-web-bench-") as tmp:
        db = str(Path(tmp) / "bench.db")
        summary = ingest_demo(db)
        with open_store(db) as store:
            story = store.execute(
                "SELECT story_id FROM articles GROUP BY story_id ORDER BY COUNT(*) DESC, story_id LIMIT 1"
            ).fetchone()[0]
            article = store.execute("SELECT id FROM articles WHERE story_id = ? LIMIT 1", (story,)).fetchone()[0]
        khabar = str(Path(sys.executable).with_name("khabar"))
        targets = [
            ("openapi.json (peer)", "/openapi.json"),
            ("static file (peer)", "/static/style.css"),
            ("home", "/"),
            ("story", f"/story/{quote(story)}"),
            ("article", f"/article/{article}"),
            ("search page", "/search?q=" + quote("کتابها")),
            ("search API", "/api/search?q=" + quote("می شود")),
        ]
        runs: dict[int, list[Result]] = {}
        for workers in args.workers:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            proc = subprocess.Popen(
                [khabar, "serve", "--db", db, "--port", str(port), "--quiet", "--workers", str(workers)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_up(base, proc)
                results = runs[workers] = []
                for name, path in targets:
                    if wrk:
                        results.append(run_wrk(wrk, base, name, path, args.seconds, args.connections))
                    else:
                        results.append(run_python(base, name, path, args.seconds, args.connections))
            finally:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
    client = "wrk -t2" if wrk else "python asyncio/httpx"
    print(
        f"khabar web bench: {summary.articles} articles, {summary.stories} stories; "
        f"client {client}, {args.connections} connections, {args.seconds} s per page; cpus {os.cpu_count()}"
    )
    first = min(runs)
    for workers, results in runs.items():
        print(f"\nkhabar serve --workers {workers}")
        print(
            f"{'page':<20} {'req/s':>9} {'vs peer':>8} {'vs w' + str(first):>7} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'requests':>9} {'errors':>7}"
        )
        peer = results[0].rps or 1.0
        for r, base_r in zip(results, runs[first], strict=True):
            p50 = f"{r.p50_ms:.1f}" if r.p50_ms is not None else "-"
            p99 = f"{r.p99_ms:.1f}" if r.p99_ms is not None else "-"
            scale = r.rps / base_r.rps if base_r.rps else 0.0
            print(
                f"{r.name:<20} {r.rps:>9.1f} {r.rps / peer:>8.2f} {scale:>7.2f} {p50:>8} {p99:>8} "
                f"{r.requests:>9} {r.errors:>7}"
            )
    return 1 if any(r.errors for results in runs.values() for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
