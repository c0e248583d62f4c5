"""``khabar demo``: ingest the bundled demo corpus and serve it in the reader web app.

    khabar demo                  # ./khabar-demo.db, then http://127.0.0.1:8000/
    khabar demo --no-serve       # ingest and print the summary only

Works on a fresh clone: the corpus ships inside the package (``khabar.demo_corpus``).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError

DEFAULT_DB = "khabar-demo.db"


@dataclass(frozen=True, slots=True)
class DemoSummary:
    db: str
    documents: int  # pages in the corpus
    new: int
    unchanged: int
    rejected: int
    articles: int  # in the database now
    stories: int
    multi_outlet_stories: int
    outlets: tuple[str, ...]  # spellings of one outlet (Arabic ي/ك, ZWNJ) count once
    rejects: int  # open rejects in the database

    def lines(self) -> list[str]:
        return [
            f"khabar demo: {self.db}",
            f"  corpus pages  {self.documents} (new {self.new}, unchanged {self.unchanged}, rejected {self.rejected})",
            f"  articles      {self.articles}",
            f"  stories       {self.stories} ({self.multi_outlet_stories} carried by more than one outlet)",
            f"  outlets       {len(self.outlets)}: {', '.join(self.outlets)}",
            f"  rejects       {self.rejects}",
        ]


def ingest_demo(db: str) -> DemoSummary:
    """Ingest every page the demo manifest lists into ``db`` (again: unchanged pages stay)."""
    from khabar.demo_corpus import load_manifest
    from khabar.ingest.pipeline import Ingestor
    from khabar.store import open_store
    from khabar.web.data import outlet_key, outlet_name

    manifest = load_manifest()
    files = [str(d.file) for d in manifest.documents]
    with open_store(db) as store:
        stats = Ingestor(store).run(files)
        rows = store.execute(
            "SELECT story_id, COUNT(DISTINCT site) FROM articles WHERE story_id IS NOT NULL GROUP BY story_id"
        ).fetchall()
        names: dict[str, str] = {}
        for (site,) in store.execute("SELECT DISTINCT site FROM articles WHERE site IS NOT NULL ORDER BY site"):
            names.setdefault(outlet_key(site) or site, outlet_name(site) or site)
        outlets = tuple(sorted(names.values()))
        return DemoSummary(
            db=db,
            documents=len(files),
            new=stats.get("new", 0),
            unchanged=stats.get("unchanged", 0) + stats.get("updated", 0),
            rejected=stats.get("rejected", 0),
            articles=store.count_articles(),
            stories=len(rows),
            multi_outlet_stories=sum(1 for r in rows if int(r[1]) > 1),
            outlets=outlets,
            rejects=len(store.rejects()),
        )


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="ingest the bundled demo corpus and serve it on 127.0.0.1:8000")
    p.add_argument("--db", default=DEFAULT_DB, help=f"SQLite database to fill (default ./{DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    p.add_argument("--no-serve", action="store_true", help="stop after ingesting and printing the summary")
    p.add_argument("--fresh", action="store_true", help="delete the database first")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    db = args.db
    if db.startswith(("postgresql://", "postgres://")):
        raise InputError(db, "the demo needs a SQLite file")
    path = Path(db)
    if path.exists() and not path.is_file():
        raise InputError(db, "is not a file")
    if args.fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    summary = ingest_demo(db)
    print("\n".join(summary.lines()), flush=True)
    if args.no_serve:
        return 0
    from khabar.web.commands import check_port
    from khabar.web.config import WebConfig
    from khabar.web.server import serve

    port = check_port(args.port)
    print(f"\nkhabar demo: open http://{args.host}:{port}/  (Ctrl-C stops)", flush=True)
    print(f"  moderators: khabar admin create NAME --db {db}, then http://{args.host}:{port}/admin", flush=True)
    serve(WebConfig(db=db), args.host, port, log=False)
    return 0
