"""The bundled demo corpus: the manifest is true to the files, and every page's date is found."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import UTC, datetime

import pytest

from khabar.demo_corpus import DemoDocument, corpus_path, load_manifest
from khabar.text.dates import find_published, parse_date

MANIFEST = load_manifest()
NOW = datetime(2025, 6, 1, tzinfo=UTC)
DOMAINS = {o.key: o.domain for o in MANIFEST.outlets}
NAMES = {o.key: o.name for o in MANIFEST.outlets}


def read(doc: DemoDocument) -> str:
    return doc.file.read_bytes().decode(doc.encoding)  # strict: fails on a wrong declared encoding


def test_shape_of_the_corpus() -> None:
    kinds = Counter(d.kind for d in MANIFEST.documents)
    assert 30 <= kinds["html"] <= 40
    assert kinds["text"] >= 1
    assert 5 <= len(MANIFEST.outlets) <= 6
    assert all(o.domain.endswith(".example") for o in MANIFEST.outlets)
    per_story = {k: {d.outlet for d in docs} for k, docs in MANIFEST.stories().items()}
    assert len(per_story) >= 10
    assert sum(1 for outlets in per_story.values() if 2 <= len(outlets) <= 4) >= 6
    assert sum(1 for outlets in per_story.values() if len(outlets) == 1) >= 2
    assert all(len(outlets) <= 4 for outlets in per_story.values())
    assert 2 <= sum(1 for d in MANIFEST.documents if d.encoding == "windows-1256") <= 3
    assert len({d.path for d in MANIFEST.documents}) == len(MANIFEST.documents)
    assert len({d.url for d in MANIFEST.documents}) == len(MANIFEST.documents)
    on_disk = {p.relative_to(corpus_path()).as_posix() for p in corpus_path().glob("*/*.*")}
    listed = {d.path for d in MANIFEST.documents} | {f.path for f in MANIFEST.feeds}
    assert on_disk == listed


@pytest.mark.parametrize("doc", MANIFEST.documents, ids=[d.path for d in MANIFEST.documents])
def test_document(doc: DemoDocument) -> None:
    text = read(doc)
    assert re.fullmatch(rf"http://{re.escape(DOMAINS[doc.outlet])}/news/\d+", doc.url)
    if doc.encoding != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            doc.file.read_bytes().decode("utf-8")
    if doc.kind == "html":
        assert f'<meta charset="{doc.encoding}">' in text
        assert f'<link rel="canonical" href="{doc.url}">' in text
        name = NAMES[doc.outlet] if doc.encoding == "utf-8" else NAMES[doc.outlet].replace("ی", "ي")
        assert f'<meta property="og:site_name" content="{name}">' in text
        for chrome in ("نظر شما", "ارسال نظر", "<nav", 'rel="tag"', "©"):
            assert chrome in text, chrome
        found = find_published(html=text, now=NOW)
    else:
        assert "∎" in text and "نظر شما" in text
        found = find_published(text, now=NOW)
    assert found is not None, doc.path
    assert found.utc == doc.published
    assert found.has_time is doc.published_has_time
    assert 150 <= doc.words <= 500


def test_copies_differ_in_spelling_habits() -> None:
    texts = [read(d) for d in MANIFEST.documents]
    assert any("ي" in t or "ك" in t for t in texts)
    assert any("\u200c" in t for t in texts)
    assert any(re.search("[0-9]{2}", t) and re.search("[۰-۹]{2}", t) for t in texts)
    assert any("رجب" in t or "ربيع" in t or "ربیع" in t or "جمادی" in t for t in texts)


@pytest.mark.parametrize("feed", MANIFEST.feeds, ids=[f.path for f in MANIFEST.feeds])
def test_feed_lists_the_outlets_pages(feed) -> None:  # type: ignore[no-untyped-def]
    root = ET.fromstring(feed.file.read_bytes())
    atom = "{http://www.w3.org/2005/Atom}"
    if feed.format == "rss":
        assert root.tag == "rss" and root.get("version") == "2.0"
        links = [i.findtext("link") for i in root.iter("item")]
        dates = [i.findtext("pubDate") for i in root.iter("item")]
    else:
        assert root.tag == f"{atom}feed"
        links = [e.find(f"{atom}link").get("href") for e in root.iter(f"{atom}entry")]  # type: ignore[union-attr]
        dates = [e.findtext(f"{atom}published") for e in root.iter(f"{atom}entry")]
    assert links == list(feed.items)
    pages = {d.url: d for d in MANIFEST.documents if d.outlet == feed.outlet and d.kind == "html"}
    assert set(links) == set(pages)
    for link, when in zip(links, dates, strict=True):
        assert when is not None and link is not None
        parsed = parse_date(when)
        assert parsed is not None
        if pages[link].published_has_time:
            assert parsed.utc == pages[link].published
