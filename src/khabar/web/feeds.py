"""Feeds out (RSS 2.0 and Atom, written by ``feedgen``): latest stories, one outlet, one search."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from khabar.search import SearchHit
from khabar.web.data import StoryCard
from khabar.web.fmt import parse_iso

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _when(value: str | None) -> datetime:
    return parse_iso(value) or EPOCH


def _xml_safe(text: str) -> str:
    # XML 1.0 forbids most control characters; ingested text could hold them.
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def _generator(base: str, title: str, link: str, about: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(link)
    fg.title(_xml_safe(title))
    fg.link(href=link, rel="alternate")
    fg.description(_xml_safe(about))
    fg.subtitle(_xml_safe(about))
    fg.language("fa")
    fg.generator("khabar")
    return fg


def stories_feed(base: str, cards: Sequence[StoryCard], outlet: str | None, kind: Literal["rss", "atom"]) -> bytes:
    """The latest stories (those ``outlet`` carried, when given) as RSS or Atom."""
    title = "خبر: تازه‌ترین خبرها" + (f" — {outlet}" if outlet else "")
    link = base + "/" + (f"?outlet={quote(outlet, safe='')}" if outlet else "")
    fg = _generator(base, title, link, "تازه‌ترین خبرها، هر خبر با همه رسانه‌هایی که آن را منتشر کردند")
    fg.updated(max((_when(c.latest) for c in cards), default=EPOCH))
    for c in reversed(cards):  # feedgen puts the last added first
        entry = fg.add_entry()
        url = f"{base}/story/{quote(c.story_id, safe='')}"
        entry.id(url)
        entry.title(_xml_safe(c.title or "—"))
        entry.link(href=url)
        entry.description(_xml_safe(c.lead + ("\n\n" + "، ".join(c.outlets) if c.outlets else "")))
        entry.published(_when(c.first_published))
        entry.updated(_when(c.latest))
    return bytes(fg.atom_str(pretty=True) if kind == "atom" else fg.rss_str(pretty=True))


def search_feed(base: str, query: str, hits: Sequence[SearchHit]) -> bytes:
    """The results of one search as RSS: follow a query like a feed."""
    link = f"{base}/search?q={quote(query, safe='')}"
    fg = _generator(base, f"خبر: جست‌وجوی «{query}»", link, f"نوشته‌های تازه برای «{query}»")
    for h in reversed(hits):
        entry = fg.add_entry()
        url = f"{base}/article/{h.id}"
        entry.id(url)
        entry.title(_xml_safe(h.title or "—"))
        entry.link(href=url)
        entry.description(_xml_safe(html.unescape(h.snippet.replace("<mark>", "").replace("</mark>", ""))))
        entry.published(_when(h.published))
    return bytes(fg.rss_str(pretty=True))
