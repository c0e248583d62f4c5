"""``khabar ingest``, ``khabar crawl``, ``khabar feeds``, ``khabar rejects`` and ``khabar export``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from khabar.errors import InputError, KhabarError

DB_HELP = "database: SQLite file or postgresql:// URL (default: $KHABAR_DB or ./khabar.db)"


def _add_fetch_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("fetching")
    g.add_argument(
        "--warc",
        metavar="FILE",
        help="append fetched responses to this WARC "
        "(default: khabar-fetch.warc.gz beside a SQLite database, else in the working folder)",
    )
    g.add_argument("--no-warc", action="store_true", help="do not archive fetched responses")
    g.add_argument("--delay", type=float, default=1.0, metavar="S", help="seconds between requests to one host (1)")
    g.add_argument("--host-concurrency", type=int, default=2, metavar="N", help="parallel requests per host (2)")
    g.add_argument("--concurrency", type=int, default=8, metavar="N", help="parallel requests in all (8)")
    g.add_argument("--timeout", type=float, default=20.0, metavar="S", help="connect/read timeout (20)")
    g.add_argument("--retries", type=int, default=2, metavar="N", help="retries after 5xx/timeouts (2)")
    g.add_argument(
        "--max-bytes",
        type=int,
        default=20 * 1024 * 1024,
        metavar="N",
        help="largest response accepted (20 MiB)",
    )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest",
        help="store articles from files, folders, WARC archives, OPML lists, feed or page URLs",
        description="Each SOURCE is a file or folder (text, HTML, JSON Lines, WARC/WARC.gz, OPML), "
        "an article URL, or an RSS/Atom/JSON Feed URL. Every document is cleaned and stored once; "
        "failures go to `khabar rejects`.",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    p.add_argument("--db", help=DB_HELP)
    _add_fetch_options(p)
    p.set_defaults(func=run_ingest)

    p = sub.add_parser("crawl", help="poll the registered feeds (khabar feeds add) and store new articles")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--once", action="store_true", help="one round, then exit")
    p.add_argument("--interval", type=float, default=900.0, metavar="S", help="seconds between rounds (900)")
    _add_fetch_options(p)
    p.set_defaults(func=run_crawl)

    p = sub.add_parser("feeds", help="manage the feeds `khabar crawl` polls")
    p.add_argument("--db", help=DB_HELP)
    fsub = p.add_subparsers(dest="feeds_command", metavar="ACTION", required=True)
    a = fsub.add_parser("add", help="register feed URLs and the feeds of OPML files")
    a.add_argument("items", nargs="+", metavar="URL|OPML")
    a.add_argument("--db", help=DB_HELP, default=argparse.SUPPRESS)
    r = fsub.add_parser("remove", help="forget feed URLs")
    r.add_argument("items", nargs="+", metavar="URL")
    r.add_argument("--db", help=DB_HELP, default=argparse.SUPPRESS)
    ls = fsub.add_parser("list", help="registered feeds with their last poll")
    ls.add_argument("--json", action="store_true", help="JSON Lines instead of a table")
    ls.add_argument("--db", help=DB_HELP, default=argparse.SUPPRESS)
    p.set_defaults(func=run_feeds)

    p = sub.add_parser("rejects", help="documents that could not be stored, with the reason")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--all", action="store_true", help="include rejects that were stored fine later")
    p.add_argument("--json", action="store_true", help="JSON Lines (with the raw input base64-encoded)")
    p.set_defaults(func=run_rejects)

    p = sub.add_parser(
        "reindex",
        help="give every stored article its story and search entry (for a store filled before they were kept)",
        description="Walk the stored articles in the order they were stored and give each one that lacks them "
        "its story (story_id) and its search entry, exactly as ingest does for a new article: for a store filled "
        "before stories or search were kept, or after a crash. Articles already indexed are left as they are. "
        "--search also re-analyzes every search entry (after the analyzer or the normalizer changed).",
    )
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--search", action="store_true", help="also re-analyze every search entry")
    p.set_defaults(func=run_reindex)

    p = sub.add_parser("export", help="write the stored articles as JSON Lines or Parquet")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl")
    p.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output for jsonl)")
    p.set_defaults(func=run_export)


def _open(args: argparse.Namespace) -> Any:
    from khabar.store import open_store

    return open_store(getattr(args, "db", None))


def _options(args: argparse.Namespace, store: Any, *, skip_known: bool) -> Any:
    from khabar.ingest.fetch import FetchConfig
    from khabar.ingest.pipeline import IngestOptions

    if args.no_warc:
        warc = None
    elif args.warc:
        warc = Path(args.warc)
    elif store.dialect == "sqlite" and store.location != ":memory:":
        warc = Path(store.location).resolve().parent / "khabar-fetch.warc.gz"
    else:
        warc = Path("khabar-fetch.warc.gz")
    for name in ("delay", "timeout"):
        if getattr(args, name) < 0:
            raise KhabarError(f"--{name} must not be negative")
    cfg = FetchConfig(
        timeout=args.timeout,
        deadline=max(args.timeout * 4, 30.0),
        max_bytes=args.max_bytes,
        retries=max(0, args.retries),
        host_delay=args.delay,
        host_concurrency=max(1, args.host_concurrency),
        concurrency=max(1, args.concurrency),
    )
    return IngestOptions(fetch=cfg, warc_path=warc, progress=sys.stderr.isatty(), skip_known=skip_known)


def _summary(stats: Any) -> str:
    parts = [f"{stats[k]} {k.replace('_', ' ')}" for k in ("new", "updated", "unchanged", "rejected")]
    extra = [f"{stats[k]} {k.replace('_', ' ')}" for k in ("not_modified", "skipped") if stats[k]]
    return ", ".join(parts + extra)


def run_ingest(args: argparse.Namespace) -> int:
    from khabar.ingest.pipeline import Ingestor

    with _open(args) as store:
        stats = Ingestor(store, _options(args, store, skip_known=False)).run(args.sources)
    print(f"khabar ingest: {_summary(stats)}", file=sys.stderr)
    if stats["rejected"]:
        print("khabar ingest: see `khabar rejects` for the reasons", file=sys.stderr)
    return 0


def run_crawl(args: argparse.Namespace) -> int:

    from khabar.ingest.fetch import Fetcher
    from khabar.ingest.warc import WarcArchive

    with _open(args) as store:
        options = _options(args, store, skip_known=True)
        warc = WarcArchive(options.warc_path) if options.warc_path else None
        with Fetcher(options.fetch, warc) as fetcher:
            return _crawl_rounds(args, store, options, fetcher)


def _crawl_rounds(args: argparse.Namespace, store: Any, options: Any, fetcher: Any) -> int:
    import time

    from khabar.ingest.pipeline import Ingestor

    while True:
        feeds = store.feeds()
        if not feeds:
            raise KhabarError("no feeds registered; add some with `khabar feeds add URL|OPML`")
        started = time.monotonic()
        stats = Ingestor(store, options, fetcher=fetcher).poll(feeds)
        print(f"khabar crawl: {len(feeds)} feeds: {_summary(stats)}", file=sys.stderr)
        if args.once:
            return 0
        time.sleep(max(0.0, args.interval - (time.monotonic() - started)))


def run_feeds(args: argparse.Namespace) -> int:
    from khabar.ingest.feeds import parse_opml
    from khabar.ingest.pipeline import is_url

    with _open(args) as store:
        if args.feeds_command == "list":
            for f in store.feeds():
                if args.json:
                    print(
                        json.dumps(
                            {
                                "url": f.url,
                                "title": f.title,
                                "etag": f.etag,
                                "last_modified": f.last_modified,
                                "added_at": f.added_at,
                                "last_checked": f.last_checked,
                                "last_status": f.last_status,
                                "last_error": f.last_error,
                            },
                            ensure_ascii=False,
                        )
                    )
                else:
                    state = f.last_error or (f"HTTP {f.last_status}" if f.last_status else "never polled")
                    print(f"{f.url}\t{f.last_checked or '-'}\t{state}\t{f.title or ''}")
            return 0
        if args.feeds_command == "remove":
            missing = [u for u in args.items if not store.remove_feed(u)]
            for u in missing:
                print(f"khabar feeds: {u}: not registered", file=sys.stderr)
            return 1 if missing else 0
        added = known = 0
        for item in args.items:
            if is_url(item):
                pairs: list[tuple[str, str | None]] = [(item, None)]
            else:
                path = Path(item)
                if not path.is_file():
                    raise InputError(item, "neither an http(s) URL nor an OPML file")
                try:
                    pairs = parse_opml(path.read_bytes(), item)
                except ValueError as exc:
                    raise InputError(item, str(exc).removeprefix(f"{item}: ")) from exc
                if not pairs:
                    raise InputError(item, "OPML file lists no feeds (no outline with xmlUrl)")
            for url, title in pairs:
                if not is_url(url):
                    print(f"khabar feeds: {url}: not an http(s) URL, skipped", file=sys.stderr)
                    continue
                if store.add_feed(url, title):
                    added += 1
                else:
                    known += 1
        print(f"khabar feeds: {added} added, {known} already registered", file=sys.stderr)
        return 0


def run_rejects(args: argparse.Namespace) -> int:
    import base64

    with _open(args) as store:
        for r in store.rejects(include_resolved=args.all):
            if args.json:
                print(
                    json.dumps(
                        {
                            "id": r.id,
                            "source": r.source,
                            "url": r.url,
                            "reason": r.reason,
                            "attempts": r.attempts,
                            "first_seen": r.first_seen,
                            "last_seen": r.last_seen,
                            "resolved_at": r.resolved_at,
                            "raw_base64": base64.b64encode(r.raw).decode("ascii"),
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                print(f"{r.id}\t{r.last_seen}\t{r.source}\t{r.reason}")
    return 0


def run_reindex(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from khabar.model import Article
    from khabar.pipeline.indexer import StoreIndexer

    with _open(args) as store:
        indexer = StoreIndexer(store)
        total = store.count_articles()
        given = 0
        bar = tqdm(total=total, unit="article", desc="khabar reindex", disable=not sys.stderr.isatty())
        for a in store.iter_articles():
            article = Article(
                source=a.source,
                url=a.url,
                title=a.title,
                lead=a.lead,
                paragraphs=a.paragraphs,
                attributions=a.attributions,
                photo_credits=a.photo_credits,
                language=a.language,
                signals=a.signals,
                published=a.published,
                published_jalali=a.published_jalali,
                author=a.author,
                site=a.site,
            )
            if indexer.stored(a.id, article, "unchanged") != a.story_id:
                given += 1
            bar.update()
        bar.close()
        searchable = indexer.search_size()
        if args.search and searchable is not None:
            searchable = indexer.reanalyze()
    where = "" if searchable is None else f"; {searchable} in the search index"
    print(f"khabar reindex: {total} articles, {given} given their story{where}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.format == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as exc:
            raise KhabarError("--format parquet needs pyarrow: pip install 'khabar[parquet]'") from exc
        if not args.output:
            raise KhabarError("--format parquet needs -o FILE")
    from khabar.ingest.export import export_jsonl, export_parquet

    with _open(args) as store:
        if args.format == "parquet":
            n = export_parquet(store, Path(args.output))
        elif args.output:
            with open(args.output, "w", encoding="utf-8") as out:
                n = export_jsonl(store, out)
        else:
            n = export_jsonl(store, sys.stdout)
    print(f"khabar export: {n} articles", file=sys.stderr)
    return 0
