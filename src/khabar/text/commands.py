"""``khabar normalize``: stdin to stdout, line by line (streaming, any size)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("normalize", help="normalize Persian text from stdin to stdout")
    p.add_argument(
        "--digits",
        choices=("fa", "en", "ar", "keep"),
        default="fa",
        help="digit script to write (default: fa; keep = leave Latin and Persian digits as written)",
    )
    p.add_argument("--keep-diacritics", action="store_true", help="keep Arabic harakat")
    p.add_argument("--no-halfspaces", action="store_true", help="do not repair half-spaces (ZWNJ)")
    p.add_argument("--search", action="store_true", help="use the search-analyzer preset (SEARCH)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from khabar.errors import InputError
    from khabar.text import DEFAULT, SEARCH, normalize

    policy = (
        SEARCH
        if args.search
        else replace(
            DEFAULT,
            digits=None if args.digits == "keep" else args.digits,
            keep_diacritics=args.keep_diacritics,
            halfspaces=not args.no_halfspaces,
        )
    )
    stdin = sys.stdin.buffer
    out = sys.stdout
    blank = 0
    for lineno, raw in enumerate(stdin, 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = f"not UTF-8 ({exc.reason} at byte {exc.start})"
            raise InputError(f"<stdin> line {lineno}", reason) from None
        if "\x00" in line:
            raise InputError(f"<stdin> line {lineno}", "binary data (NUL byte), not text")
        text = normalize(line.rstrip("\r\n"), policy)
        blank = blank + 1 if not text else 0
        if blank > 1:
            continue  # runs of blank lines become one
        out.write(text + ("\n" if raw.endswith(b"\n") else ""))
    out.flush()
    return 0
