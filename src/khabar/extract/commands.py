"""``khabar clean``: messy Persian news documents in, one clean JSON object per article out."""

from __future__ import annotations

import argparse
import json
import sys

from khabar.extract.sources import DEFAULT_MAX_BYTES


def _size(value: str) -> int:
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    v = value.strip().lower().removesuffix("b")
    try:
        if v and v[-1] in units:
            return int(float(v[:-1]) * units[v[-1]])
        return int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {value!r} (try 50M)") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "clean",
        help="clean Persian news documents into JSON Lines articles",
        description="Read plain scraped text, HTML or JSON Lines records (fields text or html, optional url "
        "and id) and write one JSON object per article to standard output.",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders; '-' or nothing reads standard input")
    p.add_argument(
        "--format",
        choices=("jsonl", "text"),
        default="jsonl",
        help="jsonl (default): one JSON object per article; text: only the clean text",
    )
    p.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        metavar="SIZE",
        help="refuse documents larger than this (default 50M)",
    )
    p.add_argument(
        "--digits",
        choices=("fa", "en", "ar", "keep"),
        default="fa",
        help="digit script of the output text (default fa: Persian digits; keep: as written)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or error lines on stderr")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from khabar.errors import InputError
    from khabar.extract import clean_document_all, read_sources
    from khabar.model import Article
    from khabar.text import Policy

    policy = Policy(digits=None if args.digits == "keep" else args.digits)

    paths = args.paths or ["-"]
    progress = None
    if not args.quiet and sys.stderr.isatty() and (len(paths) > 1 or any(not p.endswith(".txt") for p in paths)):
        from tqdm import tqdm

        progress = tqdm(unit=" doc", desc="cleaning", file=sys.stderr, leave=False)
    failed = 0
    total = 0
    out = sys.stdout
    for item in read_sources(paths, max_bytes=args.max_bytes):
        if isinstance(item, InputError):
            articles = [Article(source=item.source, error=item.reason)]
        else:
            articles = clean_document_all(item, policy)
        for art in articles:
            total += 1
            if art.error:
                failed += 1
                if not args.quiet:
                    if progress is not None:
                        progress.clear()
                    print(f"khabar clean: {art.source}: {art.error}", file=sys.stderr)
            if args.format == "jsonl":
                out.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\n")
            elif not art.error:
                out.write(art.text + "\n\n")
        if progress is not None:
            progress.update(1)
    if progress is not None:
        progress.close()
    if total == 0:
        print("khabar clean: no documents found in the input", file=sys.stderr)
        return 1
    return 1 if failed else 0
