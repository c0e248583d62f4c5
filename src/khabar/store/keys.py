"""How the store recognises an article: its canonical URL and the hash of its content."""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url

from khabar.model import Article


def canonical_url(url: str | None) -> str | None:
    """``url`` with tracking parameters (utm_*, fbclid, ...) and the fragment removed, the host
    lower-cased, default ports dropped, the query sorted and the path percent-encoded the same
    way every time. ``None`` for anything that is not an http(s) URL."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    try:
        normal = normalize_url(url, strict=False, trailing_slash=True)
    except (ValueError, AttributeError):
        return None
    p = urlsplit(normal)
    return urlunsplit((p.scheme, p.netloc, p.path or "/", p.query, ""))


def content_hash(article: Article) -> str:
    """SHA-256 over the article's visible content (title, lead, paragraphs) after Unicode NFC
    and whitespace folding, so a byte-level difference in chrome does not count as a new version."""
    parts = [article.title or "", article.lead or "", *article.paragraphs]
    folded = "\n".join(" ".join(unicodedata.normalize("NFC", p).split()) for p in parts)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def site_of(url: str | None) -> str | None:
    """The host of ``url`` without a leading ``www.``."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None
