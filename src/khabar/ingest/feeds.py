"""Feeds (RSS 0.9x/1.0/2.0 and Atom through feedparser, JSON Feed by hand: it is plain JSON)
and OPML lists of feeds."""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
from lxml import etree

_FEED_TYPES = ("rss", "atom", "rdf", "feed+json", "xml")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    link: str
    title: str | None = None
    published: str | None = None  # ISO 8601 UTC


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    url: str
    kind: str  # feedparser's version ("rss20", "atom10", "rss10", ...) or "json1"
    title: str | None
    entries: tuple[FeedEntry, ...]


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_feed(body: bytes, url: str) -> ParsedFeed | None:
    stripped = body.lstrip()
    if not stripped.startswith(b"{"):
        return None
    try:
        doc = json.loads(stripped)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return None
    entries = []
    for item in doc.get("items") or []:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link:
            continue
        published = None
        stamp = item.get("date_published") or item.get("date_modified")
        if isinstance(stamp, str):
            try:
                published = _iso(datetime.fromisoformat(stamp))
            except ValueError:
                published = None
        title = item.get("title") if isinstance(item.get("title"), str) else None
        entries.append(FeedEntry(urljoin(url, link), title, published))
    title = doc.get("title") if isinstance(doc.get("title"), str) else None
    return ParsedFeed(url, "json1", title, tuple(entries))


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed | None:
    """The feed in ``body`` (fetched from ``url``), or ``None`` when ``body`` is not a feed."""
    as_json = _json_feed(body, url)
    if as_json is not None:
        return as_json
    head = body[:2048].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf"))):
        if not any(t in content_type.lower() for t in _FEED_TYPES) or b"<html" in head:
            return None
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url, "content-type": content_type or "application/xml"},
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    if not parsed.get("version"):
        return None
    entries = []
    for e in parsed.entries:
        link = e.get("link") or next(
            (lk.get("href") for lk in e.get("links", []) if lk.get("rel") == "alternate"), None
        )
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        published = _iso(datetime.fromtimestamp(calendar.timegm(stamp), UTC)) if stamp else None
        entries.append(FeedEntry(urljoin(url, link.strip()), e.get("title"), published))
    return ParsedFeed(url, parsed.version, parsed.feed.get("title"), tuple(entries))


def is_opml(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return b"<opml" in head


def parse_opml(data: bytes, source: str) -> list[tuple[str, str | None]]:
    """``(feed URL, title)`` for every outline with an ``xmlUrl``. Raises ``ValueError`` naming
    ``source`` when the file is not OPML. Entities and network access are refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{source}: not well-formed OPML: {exc}") from exc
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise ValueError(f"{source}: not an OPML document")
    found: list[tuple[str, str | None]] = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url and url.strip():
            found.append((url.strip(), outline.get("title") or outline.get("text")))
    return list(dict.fromkeys(found))
