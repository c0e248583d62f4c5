"""Records that travel between khabar's steps. All are frozen dataclasses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input document before extraction.

    ``source`` names where it came from (a path, a URL, ``path#record-id``) and is what every
    error message quotes. ``data`` is the undecoded bytes when known; a ``str`` when the caller
    already has text (a JSON Lines field, say). ``kind`` is ``"html"``, ``"text"`` or ``None``
    (sniff it).
    """

    source: str
    data: bytes | str
    url: str | None = None
    kind: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    fetched_at: str | None = None
    record_id: str | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    """A line or block that cleaning dropped, with why."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article. ``error`` is set (and the text fields may be empty) when cleaning failed."""

    source: str
    url: str | None = None
    title: str | None = None
    lead: str | None = None
    paragraphs: tuple[str, ...] = ()
    attributions: tuple[str, ...] = ()
    photo_credits: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()
    language: str | None = None
    signals: Mapping[str, Any] = field(default_factory=dict)
    error: str | None = None
    published: str | None = None  # ISO 8601, UTC
    published_jalali: str | None = None  # for display, e.g. "۱۳۹۴/۰۲/۰۸ ۲۳:۳۶"
    author: str | None = None
    site: str | None = None
    record_id: str | None = None
    encoding: str | None = None

    @property
    def text(self) -> str:
        """Title, lead and body as one string, paragraphs separated by blank lines."""
        parts = [p for p in (self.title, self.lead) if p]
        parts.extend(self.paragraphs)
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["paragraphs"] = list(self.paragraphs)
        d["attributions"] = list(self.attributions)
        d["photo_credits"] = list(self.photo_credits)
        d["removed"] = [{"text": r.text, "reason": r.reason} for r in self.removed]
        d["signals"] = dict(self.signals)
        return d
