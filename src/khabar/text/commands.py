"""``khabar normalize``: stdin to stdout, line by line, any size."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("normalize", help="normalize Persian text from stdin to stdout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from khabar.text import normalize

    for line in sys.stdin:
        end = "\n" if line.endswith("\n") else ""
        sys.stdout.write(normalize(line.rstrip("\n")) + end)
    return 0
