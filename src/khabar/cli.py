"""The ``khabar`` command. Each sub-command lives beside the code it drives and registers
itself here; heavy imports happen inside the command, so ``khabar --help`` stays fast."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from khabar import __version__
from khabar.errors import KhabarError

# Modules that define ``register(subparsers)``; each sub-parser sets ``func(args) -> int``.
COMMAND_MODULES: tuple[str, ...] = (
    "khabar.extract.commands",
    "khabar.text.commands",
    "khabar.demo",
    "khabar.dedup.commands",
    "khabar.ingest.commands",
    "khabar.search.commands",
    "khabar.web.commands",
    "khabar.pipeline.commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="khabar",
        description="khabar (خبر): clean, normalize, deduplicate and serve Persian news.",
    )
    parser.add_argument("--version", action="version", version=f"khabar {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KhabarError as exc:
        print(f"khabar {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"khabar {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader closed the pipe (khabar clean ... | head): not an error of ours.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
