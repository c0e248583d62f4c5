"""Ingest throughput from a local WARC, split by stage, next to plain trafilatura extraction.

    .venv/bin/python bench/ingest.py [--pages 600] [--warc FILE] [--repeat 1]

Without --warc it writes ``bench/out/ingest-<pages>.warc.gz`` from the test news site's article
pages (tests/newssite.py: Persian text written for khabar, with navigation, related-news and
comment-form chrome). Stages, timed per page in one process on the same pages:

* read    WARC record -> decoded text -> RawDocument (what a fetch hands over)
* extract khabar's trafilatura-based HTML extraction (``khabar.extract.html.extract_html``)
* clean   the rest of ``clean_document``: its total time minus the extract time measured above
* store   ``Store.upsert_article`` into a fresh SQLite file (WAL, one transaction per article)

Then the whole ``khabar ingest`` path (``Ingestor.run``) end to end on a second fresh database,
and plain ``trafilatura.extract`` on the same HTML. Ratios are printed; nothing is hard-coded.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--warc", type=Path)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measurement; the best is kept")
    args = ap.parse_args()

    import trafilatura

    from khabar.extract import clean_document
    from khabar.extract.html import extract_html
    from khabar.ingest.charset import decode_body
    from khabar.ingest.pipeline import IngestOptions, Ingestor
    from khabar.ingest.warc import WarcResponse, read_warc
    from khabar.model import RawDocument
    from khabar.store import open_store

    warc = args.warc
    if warc is None:
        import newssite

        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        warc = out / f"ingest-{args.pages}.warc.gz"
        if not warc.exists():
            newssite.archive_pages(warc, args.pages)
    size = warc.stat().st_size

    best: dict[str, float] = {}

    def keep(name: str, value: float) -> None:
        best[name] = min(best.get(name, float("inf")), value)

    n = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(str(Path(tmp) / "bench.db"))
            t_read = t_extract = t_clean = t_store = 0.0
            n = 0
            pages: list[tuple[str, str]] = []
            it = iter(read_warc(warc))
            while True:
                t0 = time.perf_counter()
                item = next(it, None)
                if item is None:
                    break
                if not isinstance(item, WarcResponse) or item.status != 200:
                    continue
                text, _ = decode_body(item.body, item.headers.get("content-type"))
                raw = RawDocument(source=item.url, data=text, url=item.url, kind="html", fetched_at=item.date)
                t1 = time.perf_counter()
                extract_html(text, url=item.url)
                t2 = time.perf_counter()
                article = clean_document(raw)
                t3 = time.perf_counter()
                if article.error:
                    raise SystemExit(f"{item.url}: {article.error}")
                store.upsert_article(article, raw=raw, fetched_at=item.date)
                t4 = time.perf_counter()
                t_read += t1 - t0
                t_extract += t2 - t1
                t_clean += (t3 - t2) - (t2 - t1)
                t_store += t4 - t3
                pages.append((item.url, text))
                n += 1
            store.close()
            keep("read", t_read)
            keep("extract", t_extract)
            keep("clean", t_clean)
            keep("store", t_store)

            store = open_store(str(Path(tmp) / "e2e.db"))
            t0 = time.perf_counter()
            stats = Ingestor(store, IngestOptions()).run([str(warc)])
            keep("khabar ingest end to end", time.perf_counter() - t0)
            assert stats["new"] == n, stats
            store.close()

            t0 = time.perf_counter()
            for url, html in pages:
                trafilatura.extract(html, url=url)
            keep("trafilatura.extract only", time.perf_counter() - t0)

    staged = best["read"] + best["extract"] + best["clean"] + best["store"]
    print(f"WARC: {warc} ({size / 1e6:.1f} MB, {n} article pages), best of {args.repeat}")
    print()
    print(f"{'stage':<28}{'seconds':>9}{'ms/page':>9}{'share':>8}")
    for name in ("read", "extract", "clean", "store"):
        print(f"{name:<28}{best[name]:>9.2f}{1000 * best[name] / n:>9.2f}{best[name] / staged:>8.0%}")
    print(f"{'sum of stages':<28}{staged:>9.2f}{1000 * staged / n:>9.2f}")
    print()
    print(f"{'run':<28}{'seconds':>9}{'pages/s':>9}")
    for name in ("khabar ingest end to end", "trafilatura.extract only"):
        print(f"{name:<28}{best[name]:>9.2f}{n / best[name]:>9.1f}")
    ratio = best["khabar ingest end to end"] / best["trafilatura.extract only"]
    print()
    print(f"khabar ingest takes {ratio:.2f}x the time of trafilatura extraction alone on the same pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
