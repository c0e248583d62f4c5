"""One raw document in, cleaned articles out."""

from __future__ import annotations

from dataclasses import replace

from khabar.errors import InputError
from khabar.extract.clean import Draft, clean_paragraphs, name_policy, split_paragraphs
from khabar.extract.decode import decode_bytes, fix_mojibake
from khabar.extract.html import declared_charset, extract_html, looks_like_html
from khabar.model import Article, RawDocument
from khabar.text import DEFAULT, Policy, normalize

MIN_PERSIAN_RATIO = 0.5  # of letters; below it a document is not Persian news


def _published(html: str | None, text: str) -> tuple[str | None, str | None]:
    from khabar.text.dates import find_published

    found = find_published(text=text, html=html)
    return (found.utc, found.jalali) if found else (None, None)


def _article(
    raw: RawDocument,
    draft: Draft,
    *,
    encoding: str | None,
    site: str | None,
    author: str | None,
    published: tuple[str | None, str | None],
    url: str | None,
    index: int,
) -> Article:
    error = None
    if draft.language not in ("fa", None) or (
        draft.signals.get("chars", 0) and draft.signals.get("persian_ratio", 0) < MIN_PERSIAN_RATIO
    ):
        error = (
            f"not Persian: language looks like '{draft.language}'"
            f" (Persian letters {100 * draft.signals.get('persian_ratio', 0):.0f}%)"
        )
    elif not draft.paragraphs and not draft.lead:
        error = "no article text found (only boilerplate)"
    source = raw.source if index == 0 else f"{raw.source}#{index + 1}"
    return Article(
        source=source,
        url=url,
        title=draft.title,
        lead=draft.lead,
        paragraphs=draft.paragraphs,
        attributions=draft.attributions,
        photo_credits=draft.photo_credits,
        removed=draft.removed,
        language=draft.language,
        signals=draft.signals,
        error=error,
        published=published[0],
        published_jalali=published[1],
        author=author,
        site=site,
        record_id=raw.record_id,
        encoding=encoding,
    )


def clean_document_all(raw: RawDocument, policy: Policy = DEFAULT) -> list[Article]:
    """Every article in one raw document (a listing page can hold several). Never raises for bad
    input: a document that cannot be cleaned comes back as one Article with ``error`` set.
    ``policy`` is the normalization policy for the text (``khabar.text.Policy``)."""
    encoding: str | None = None
    truncated = False
    try:
        if isinstance(raw.data, bytes):
            charset = raw.headers.get("charset") or (declared_charset(raw.data) if raw.kind != "text" else None)
            decoded = decode_bytes(raw.data, raw.source, declared=charset)
            text, encoding, truncated = decoded.text, decoded.encoding, decoded.truncated
        else:
            text = fix_mojibake(raw.data)
            if not text.strip():
                raise InputError(raw.source, "empty input")
            if "\x00" in text:
                raise InputError(raw.source, "not text: contains NUL characters")
    except InputError as exc:
        return [Article(source=raw.source, url=raw.url, error=exc.reason, record_id=raw.record_id)]

    is_html = raw.kind == "html" or (raw.kind is None and looks_like_html(text))
    title = lead = site = author = None
    url = raw.url
    html: str | None = None
    body_text = text
    if is_html:
        html = text
        page = extract_html(text, url=raw.url)
        body_text = page.text
        paragraphs = [p for p in page.text.splitlines() if p.strip()]
        title, url = page.title, page.url or raw.url
        # Outlet and author names are normalized like the text, so 'صداي کوير' and 'صدای کویر' are one outlet.
        site = normalize(page.site, name_policy(policy)) if page.site else None
        author = normalize(page.author, name_policy(policy)) if page.author else None
        if page.description and len(page.description.split()) >= 5:
            lead = page.description
    else:
        paragraphs = split_paragraphs(text)
    if not paragraphs:
        return [
            Article(
                source=raw.source,
                url=url,
                error="no text found",
                encoding=encoding,
                record_id=raw.record_id,
                title=normalize(title, policy) if title else None,
            )
        ]
    drafts = clean_paragraphs(paragraphs, title=title, lead=lead, policy=policy, site=site)
    published = _published(html, body_text)
    articles = [
        _article(raw, d, encoding=encoding, site=site, author=author, published=published, url=url, index=i)
        for i, d in enumerate(drafts)
    ]
    if truncated:
        articles = [replace(a, error=a.error or "truncated: the input ends inside a character") for a in articles]
    return articles


def clean_document(raw: RawDocument, policy: Policy = DEFAULT) -> Article:
    """The main article of one raw document (the first, when a listing page holds several)."""
    return clean_document_all(raw, policy)[0]
