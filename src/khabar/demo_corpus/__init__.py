"""khabar's bundled demo corpus: invented Persian news from six invented outlets.

36 HTML article pages and 2 scraped text pages over 12 stories (most carried by 2-4 outlets as
reworded, excerpted, re-spelled copies), one RSS 2.0 or Atom feed per outlet, and
``manifest.json`` with the ground truth: each file's outlet, URL, story key, encoding and
publication date. ``make demo``, the web app and many tests read it through this module.

Regenerate the files with ``python -m khabar.demo_corpus._generate``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

__all__ = ["DemoDocument", "DemoFeed", "DemoManifest", "DemoOutlet", "corpus_path", "load_manifest"]


@dataclass(frozen=True, slots=True)
class DemoOutlet:
    key: str
    name: str
    domain: str
    date_style: str  # how its pages carry the date: iso-meta, three-calendar, json-ld, class, jalali-meta, time


@dataclass(frozen=True, slots=True)
class DemoDocument:
    path: str  # relative to corpus_path()
    outlet: str
    url: str
    story: str  # ground-truth story key: copies of one story share it
    kind: str  # "html" or "text"
    encoding: str  # "utf-8" or "windows-1256"
    published: str  # expected publication time, ISO 8601 UTC
    published_has_time: bool  # False when the page gives only a day (then midnight Tehran)
    title: str
    words: int  # words in the lead and body

    @property
    def file(self) -> Path:
        return corpus_path() / self.path


@dataclass(frozen=True, slots=True)
class DemoFeed:
    path: str
    outlet: str
    url: str
    format: str  # "rss" or "atom"
    encoding: str
    items: tuple[str, ...]  # article URLs listed in the feed

    @property
    def file(self) -> Path:
        return corpus_path() / self.path


@dataclass(frozen=True, slots=True)
class DemoManifest:
    timezone: str
    outlets: tuple[DemoOutlet, ...]
    documents: tuple[DemoDocument, ...]
    feeds: tuple[DemoFeed, ...]

    def stories(self) -> dict[str, tuple[DemoDocument, ...]]:
        """Documents grouped by story key, in manifest order."""
        out: dict[str, list[DemoDocument]] = {}
        for doc in self.documents:
            out.setdefault(doc.story, []).append(doc)
        return {k: tuple(v) for k, v in out.items()}


def corpus_path() -> Path:
    """The folder holding the corpus files (inside the installed package)."""
    return Path(str(files(__name__)))


def load_manifest() -> DemoManifest:
    """Read ``manifest.json`` into typed records."""
    data = json.loads((corpus_path() / "manifest.json").read_text(encoding="utf-8"))
    return DemoManifest(
        timezone=data["timezone"],
        outlets=tuple(DemoOutlet(**o) for o in data["outlets"]),
        documents=tuple(DemoDocument(**d) for d in data["documents"]),
        feeds=tuple(DemoFeed(**{**f, "items": tuple(f["items"])}) for f in data["feeds"]),
    )
