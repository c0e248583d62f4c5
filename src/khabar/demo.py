"""``khabar demo`` (being written)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run khabar on its bundled demo corpus")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return 0
