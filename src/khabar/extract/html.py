"""HTML pages: trafilatura finds the main text and metadata; khabar keeps the half-spaces.

trafilatura drops every character for which ``str.isprintable()`` is false, and ZWNJ (U+200C)
is one of them, so Persian would lose its half-spaces. khabar swaps ZWNJ for a printable
stand-in before extraction and swaps it back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

ZWNJ = "\u200c"
_STANDINS = ("\u2e2e", "\ua67e", "\u2e4e")  # printable, and never seen in Persian news
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article|title)\b",
                         re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    description: str | None
    date: str | None
    author: str | None
    site: str | None
    url: str | None


def looks_like_html(text: str) -> bool:
    head = text[:2000]
    return bool(_HTML_SNIFF.match(head)) or ("</p>" in head.lower() and "<" in head[:50])


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>`` or http-equiv)."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    import trafilatura

    standin = next(s for s in _STANDINS if s not in html)
    protected = html.replace(ZWNJ, standin).replace("&zwnj;", standin).replace("&#8204;", standin)
    doc = trafilatura.bare_extraction(
        protected,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        deduplicate=False,
    )

    def back(value: str | None) -> str | None:
        return value.replace(standin, ZWNJ) if value else value

    if doc is None or not (doc.text or "").strip():
        fallback = trafilatura.html2txt(protected) or ""
        return HtmlExtract(back(fallback) or "", None, None, None, None, None, url)
    return HtmlExtract(
        text=back(doc.text) or "",
        title=back(doc.title),
        description=back(doc.description),
        date=doc.date,
        author=back(doc.author),
        site=back(doc.sitename),
        url=doc.url or url,
    )
