"""``khabar clean`` (being written)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clean", help="clean Persian news documents into JSON Lines articles")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
