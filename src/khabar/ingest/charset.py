"""Turning fetched bytes into text: the charset from the HTTP header, then the page's own
``<meta>`` / XML declaration, then the bytes themselves (UTF-8, else charset-normalizer's guess).

Persian sites still serve windows-1256 pages, and some of them label them ``iso-8859-1``; a
Latin single-byte label on bytes that are not ASCII is therefore tried after the page's own
declaration and UTF-8, not before.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml[^>]+encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
_LATIN = {"latin-1", "iso8859-1", "cp1252", "ascii"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def declared_charsets(body: bytes, content_type: str | None) -> tuple[str | None, str | None]:
    """(charset from the Content-Type header, charset the document declares itself)."""
    header = None
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        header = _codec(m.group(1)) if m else None
    head = body[:4096]
    m2 = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return header, _codec(m2.group(1).decode("ascii")) if m2 else None


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode ``body``; returns ``(text, codec name)``. Raises ``ValueError`` when the bytes are
    not text in any encoding we can find (binary data)."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(name, errors="replace"), name
    header, inline = declared_charsets(body, content_type)
    ascii_only = body.isascii()
    candidates: list[str] = []
    if header and not (header in _LATIN and not ascii_only):
        candidates.append(header)
    if inline:
        candidates.append(inline)
    candidates.append("utf-8")
    for name in dict.fromkeys(candidates):
        try:
            return body.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    if b"\x00" in body[:4096]:
        raise ValueError("binary data, not text")
    guess = from_bytes(body[:200_000]).best()
    if guess is not None and guess.encoding is not None:
        name = _codec(guess.encoding) or "utf-8"
        return body.decode(name, errors="replace"), name
    if header:  # a Latin label was all we had
        return body.decode(header, errors="replace"), header
    raise ValueError("not text in any known encoding")
