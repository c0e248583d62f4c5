"""Search engine benchmark: SQLite FTS5 (khabar's SearchIndex) against tantivy.

Both engines get the same analyzer output (``khabar.search.prepare``). Two baselines index the raw
text with each engine's own tokenizer, to show what the analyzer buys. Measured on a synthetic
corpus built at run time from the UD Persian dev sentences in ``../shared/data/ud-fa`` (never
copied into the repository):

* index build time (analysis timed once, separately: it is shared by both engines);
* query latency p50/p99 over clean and variant-spelling queries (engine only: query analysis,
  match, BM25 top 20; and khabar's full ``SearchIndex.search`` with count and snippets);
* recall of variant-spelling queries (ZWNJ -> space, ZWNJ dropped, Arabic ي/ك, other digit
  script) against the same engine's top 100 for the clean query.

Run: ``python bench/search.py`` (``--docs 100000`` by default). tantivy is installed into
``bench/.venv-bench`` on first run, and the script re-runs itself there.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "search"
DATA = ROOT.parent / "shared" / "data" / "ud-fa"
ZWNJ = "\u200c"
SITES = ("irna", "isna", "mehr", "tasnim", "hamshahri", "etemad", "bbc-fa", "radiofarda")


# --- corpus ---------------------------------------------------------------------------------------
def load_sentences() -> list[str]:
    files = sorted(DATA.glob("*.txt"))
    if not files:
        raise SystemExit(f"{DATA}: no UD Persian .txt files (the shared data is missing)")
    out = []
    for f in files:
        out.extend(line.strip() for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
    return out


def make_corpus(n: int, sentences: Sequence[str], seed: int = 7) -> list:
    from khabar.search import SearchDoc

    rng = random.Random(seed)
    docs = []
    for i in range(n):
        title_words = rng.choice(sentences).split()
        start = rng.randrange(max(1, len(title_words) - 8))
        title = " ".join(title_words[start : start + rng.randint(4, 9)])
        lead = rng.choice(sentences)
        body = "\n\n".join(rng.choice(sentences) for _ in range(rng.randint(3, 8)))
        day = rng.randrange(3 * 365)
        published = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1672531200 + day * 86400 + rng.randrange(86400)))
        docs.append(SearchDoc(i, f"https://example.test/{i}", title, lead, body, rng.choice(SITES), published, i // 3))
    return docs


# --- queries --------------------------------------------------------------------------------------
def to_ascii_digits(s: str) -> str:
    return s.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789"))


def to_persian_digits(s: str) -> str:
    return s.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


VARIANTS: dict[str, Callable[[str], str]] = {
    "zwnj->space": lambda q: q.replace(ZWNJ, " "),
    "zwnj dropped": lambda q: q.replace(ZWNJ, ""),
    "arabic ي/ك": lambda q: q.replace("ی", "ي").replace("ک", "ك"),
    "other digits": lambda q: to_ascii_digits(q) if to_ascii_digits(q) != q else to_persian_digits(q),
}


def make_queries(sentences: Sequence[str], per_kind: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    words = sorted({w.strip(".,:;!?()«»\"'؛،؟") for s in sentences for w in s.split()})
    words = [w for w in words if len(w) >= 3]
    zwnj = [w for w in words if ZWNJ in w.strip(ZWNJ)]
    yk = [w for w in words if ZWNJ not in w and ("ی" in w or "ک" in w)]
    digits = [w for w in words if any(c.isdigit() for c in w)]
    queries = []
    for pool in (zwnj, yk, digits):
        queries.extend(rng.sample(pool, min(per_kind, len(pool))))
    # Two-word queries: a ZWNJ word with a neighbour from a sentence.
    for s in rng.sample(list(sentences), len(sentences)):
        ws = s.split()
        for j in range(len(ws) - 1):
            if ZWNJ in ws[j] and len(ws[j + 1]) >= 3 and ws[j + 1].isalpha():
                queries.append(ws[j] + " " + ws[j + 1])
                break
        if len(queries) >= 4 * per_kind:
            break
    return queries


# --- engines --------------------------------------------------------------------------------------
class Fts5Khabar:
    name = "sqlite-fts5 + analyzer"

    def __init__(self, path: Path) -> None:
        from khabar.search import SearchIndex

        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.index = SearchIndex(self.conn)

    def build(self, prepared) -> None:
        self.index.add_prepared(prepared)
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # so the file size is the index size

    def ids(self, query: str, limit: int) -> list:
        from khabar.search import parse_query

        parsed = parse_query(query)
        if parsed.empty:
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts, 4.0, 2.0, 1.0) LIMIT ?",
            (parsed.fts5(), limit),
        ).fetchall()
        return [r[0] for r in rows]

    def full(self, query: str) -> None:
        self.index.search(query, limit=20)


class Fts5Raw:
    name = "sqlite-fts5 raw (unicode61)"

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE VIRTUAL TABLE raw USING fts5(title, lead, body)")

    def build(self, prepared) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT INTO raw(rowid, title, lead, body) VALUES (?, ?, ?, ?)",
                ((p.doc.id, p.doc.title, p.doc.lead, p.doc.body) for p in prepared),
            )
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def ids(self, query: str, limit: int) -> list:
        words = [w.replace('"', "") for w in query.split()]
        words = [w for w in words if w]
        if not words:
            return []
        rows = self.conn.execute(
            "SELECT rowid FROM raw WHERE raw MATCH ? ORDER BY bm25(raw, 4.0, 2.0, 1.0) LIMIT ?",
            (" AND ".join(f'"{w}"' for w in words), limit),
        ).fetchall()
        return [r[0] for r in rows]


class Tantivy:
    def __init__(self, path: Path, *, analyzed: bool, threads: int) -> None:
        import tantivy

        self.t = tantivy
        self.analyzed = analyzed
        self.name = f"tantivy {'+ analyzer' if analyzed else 'raw (default tokenizer)'}, {threads} thread(s)"
        self.threads = threads
        tok = "whitespace" if analyzed else "default"
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("id", stored=True, indexed=False)
        for f in ("title", "lead", "body"):
            sb.add_text_field(f, stored=False, tokenizer_name=tok)
        self.index = tantivy.Index(sb.build(), path=str(path))

    def build(self, prepared) -> None:
        writer = self.index.writer(heap_size=256_000_000, num_threads=self.threads)
        for p in prepared:
            if self.analyzed:
                fields = (p.title_terms, p.lead_terms, p.body_terms)
            else:
                fields = (p.doc.title, p.doc.lead, p.doc.body)
            writer.add_document(self.t.Document(id=p.doc.id, title=fields[0], lead=fields[1], body=fields[2]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def ids(self, query: str, limit: int) -> list:
        if self.analyzed:
            from khabar.search import parse_query

            parsed = parse_query(query)
            if parsed.empty:
                return []
            expr = parsed.fts5()  # tantivy's query language reads the same expression
        else:
            words = [w.replace('"', "").replace("\\", "") for w in query.split()]
            expr = " ".join(f'"{w}"' for w in words if w)
            if not expr:
                return []
        q = self.index.parse_query(
            expr,
            ["title", "lead", "body"],
            field_boosts={"title": 4.0, "lead": 2.0, "body": 1.0},
            conjunction_by_default=True,
        )
        res = self.searcher.search(q, limit, count=False)
        return [self.searcher.doc(addr)["id"][0] for _, addr in res.hits]


# --- measuring ------------------------------------------------------------------------------------
def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def latencies(fn: Callable[[str], object], queries: Sequence[str]) -> tuple[float, float]:
    for q in queries[:20]:  # warm caches
        fn(q)
    times = []
    for q in queries:
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), pct(times, 99)


def recall(engine, queries: Sequence[str]) -> dict[str, tuple[float, int]]:
    out: dict[str, tuple[float, int]] = {}
    for kind, vary in VARIANTS.items():
        scores = []
        for q in queries:
            v = vary(q)
            if v == q:
                continue
            clean = set(engine.ids(q, 100))
            if not clean:
                continue
            got = set(engine.ids(v, 100))
            scores.append(len(clean & got) / len(clean))
        out[kind] = (statistics.fmean(scores) if scores else float("nan"), len(scores))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100, help="queries per kind (4 kinds)")
    ap.add_argument("--threads", type=int, default=1, help="tantivy writer threads (1 = like SQLite)")
    args = ap.parse_args(argv)

    from khabar.search import prepare

    sentences = load_sentences()
    docs = make_corpus(args.docs, sentences)
    queries = make_queries(sentences, args.queries)
    print(f"corpus: {len(docs)} articles from {len(sentences)} UD sentences; {len(queries)} clean queries")

    t0 = time.perf_counter()
    prepared = [prepare(d) for d in docs]
    t_analyze = time.perf_counter() - t0
    print(f"analysis (shared by both analyzed engines): {t_analyze:.1f} s ({len(docs) / t_analyze:.0f} docs/s)")

    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    engines = []
    for name, make in (
        ("fts5", lambda: Fts5Khabar(OUT / "fts5.db")),
        ("tantivy", lambda: Tantivy(OUT / "tantivy", analyzed=True, threads=args.threads)),
        ("fts5-raw", lambda: Fts5Raw(OUT / "fts5raw.db")),
        (
            "tantivy-raw",
            lambda: _mkdir_then(OUT / "tantivy-raw", Tantivy, analyzed=False, threads=args.threads),
        ),
    ):
        if name == "tantivy":
            (OUT / "tantivy").mkdir()
        eng = make()
        t0 = time.perf_counter()
        eng.build(prepared)
        build = time.perf_counter() - t0
        size = _size(OUT / {"fts5": "fts5.db", "fts5-raw": "fts5raw.db"}.get(name, name))
        p50, p99 = latencies(lambda q, e=eng: e.ids(q, 20), queries)
        rec = recall(eng, queries)
        engines.append((eng, build, size, p50, p99, rec))
        print(f"  built {eng.name}: {build:.1f} s")

    kinds = list(VARIANTS)
    print()
    print(f"| engine | build s | size MB | p50 ms | p99 ms | {' | '.join('recall ' + k for k in kinds)} |")
    print("|---|---|---|---|---|" + "---|" * len(kinds))
    for eng, build, size, p50, p99, rec in engines:
        cells = " | ".join(f"{rec[k][0]:.3f} (n={rec[k][1]})" for k in kinds)
        print(f"| {eng.name} | {build:.1f} | {size / 1e6:.0f} | {p50:.2f} | {p99:.2f} | {cells} |")
    fts, tan = engines[0], engines[1]
    print()
    print(f"tantivy/fts5 build time ratio: {tan[1] / fts[1]:.2f} (fts5 also stores the originals for snippets)")
    print(f"tantivy/fts5 p50 ratio: {tan[3] / fts[3]:.2f}, p99 ratio: {tan[4] / fts[4]:.2f}")
    p50, p99 = latencies(fts[0].full, queries)
    print(f"khabar SearchIndex.search (count + top 20 + snippets): p50 {p50:.2f} ms, p99 {p99:.2f} ms")
    return 0


def _size(path: Path) -> int:
    """Bytes on disk (the FTS5 file also holds the original text of every article)."""
    if path.is_dir():
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def _mkdir_then(path: Path, cls, **kw):
    path.mkdir()
    return cls(path, **kw)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    from _peers import ensure_bench_env

    ensure_bench_env("tantivy", "khabar.search")
    sys.exit(main())
