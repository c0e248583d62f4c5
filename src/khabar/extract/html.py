"""HTML pages: trafilatura finds the main text and metadata; khabar keeps the half-spaces.

trafilatura drops every character for which ``str.isprintable()`` is false, and ZWNJ (U+200C)
is one of them, so Persian would lose its half-spaces. khabar swaps ZWNJ for a printable
stand-in before extraction and swaps it back afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re
from lxml.html import HtmlElement

ZWNJ = "\u200c"
_STANDINS = ("\u2e2e", "\ua67e", "\u2e4e")  # printable, and never seen in Persian news
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE)
_HTML_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p|article|title)\b", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    text: str
    title: str | None
    description: str | None
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


_TITLE_SEPARATORS = re.compile(r"\s+[|｜•·–—\-:]\s+")
# A part of a page title that names the site rather than the news.
_SITE_PART = re.compile(r"(خبرگزاری|روزنامه|پایگاه|سایت|خبرآنلاین|آنلاین|news|agency|\.(ir|com|net|org)\b)", re.I)


def _meta(tree: HtmlElement, *names: str) -> str | None:
    """The first non-empty ``<meta property|name=NAME content=...>`` among ``names``."""
    for name in names:
        for value in tree.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
            value = " ".join(str(value).split())
            if value:
                return value
    return None


def _title(tree: HtmlElement, site: str | None) -> str | None:
    """The headline: og:title, else the page's only <h1>, else the longest part of <title>
    (pages write 'headline | site')."""
    og = _meta(tree, "og:title", "twitter:title")
    h1s = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")]
    h1s = [h for h in h1s if h]
    raw = " ".join(" ".join(tree.xpath("//title//text()")).split())
    candidate = og or (h1s[0] if len(h1s) == 1 else None) or raw
    if not candidate:
        return None
    parts = [p for p in _TITLE_SEPARATORS.split(candidate) if p]
    news = [p for p in parts if p != site and not _SITE_PART.search(p)]
    return max(news, key=len) if news else parts[0]


def _metadata(tree: HtmlElement, url: str | None) -> dict[str, str | None]:
    """Title, description, site, author and canonical URL from the page's head. khabar reads these
    itself (trafilatura's metadata pass costs more than its text extraction) and finds dates with
    khabar.text.dates, which knows the Jalali calendar."""
    site = _meta(tree, "og:site_name", "application-name", "twitter:site")
    canonical = next((str(h) for h in tree.xpath('//link[@rel="canonical"]/@href') if str(h).strip()), None)
    return {
        "title": _title(tree, site),
        "description": _meta(tree, "og:description", "description", "twitter:description"),
        "author": _meta(tree, "author", "article:author", "dc.creator"),
        "site": site,
        "url": canonical or _meta(tree, "og:url") or url,
    }


def extract_html(html: str, url: str | None = None) -> HtmlExtract:
    import trafilatura
    from trafilatura.utils import load_html

    standin = next(s for s in _STANDINS if s not in html)
    protected = html.replace(ZWNJ, standin).replace("&zwnj;", standin).replace("&#8204;", standin)

    def back(value: str | None) -> str | None:
        return value.replace(standin, ZWNJ) if value else value

    tree = load_html(protected)
    if tree is None:
        return HtmlExtract(back(trafilatura.html2txt(protected)) or "", None, None, None, None, url)
    meta = {k: back(v) for k, v in _metadata(tree, url).items()}
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_formatting=False,
        deduplicate=False,
    )
    text = back(doc.text) if doc is not None and (doc.text or "").strip() else None
    if text is None:
        text = back(trafilatura.html2txt(protected)) or ""
    return HtmlExtract(
        text=text,
        title=meta["title"],
        description=meta["description"],
        author=meta["author"],
        site=meta["site"],
        url=meta["url"],
    )
