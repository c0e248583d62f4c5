"""Persian cleaning of extracted text: boilerplate, repeated blocks, lead, attributions, signals.

Input is a sequence of paragraphs (one per line) from plain text or from the HTML extractor;
output is one or more articles. A page that carries its article twice yields it once; a
listing page whose articles are separated by end marks (∎) yields each article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import regex as re

from khabar.extract.language import detect_language
from khabar.extract.rules import LineKind, attributions_in, canon, classify, word_count
from khabar.model import Removed
from khabar.text import DEFAULT, Policy, normalize, persian_ratio

_SKELETON_DROP = re.compile(r"[^\p{L}\p{N}]+")
_SKELETON_MAP = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        **{chr(0x0660 + i): str(i) for i in range(10)},
    }
)
_TERMINAL = re.compile(r"[.!?؟…:»\"”)]\s*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?؟…])\s+")

LONG_LINE_WORDS = 6  # shorter lines count as repeats only inside a repeated block
FUZZY_MAX_LINES = 4000  # pages longer than this are checked for exact repeats only


def skeleton(line: str) -> str:
    """Letters and digits only, with letter and digit variants unified: a key that ignores
    spacing, half-spaces, punctuation and ي/ی when comparing copies."""
    return _SKELETON_DROP.sub("", line.translate(_SKELETON_MAP)).lower()


def _grams(key: str, n: int = 4) -> frozenset[str]:
    return frozenset(key[i : i + n] for i in range(max(1, len(key) - n + 1)))


@dataclass(slots=True)
class _Line:
    text: str
    kind: LineKind
    key: str = ""
    words: int = 0
    repeat_of: int | None = None
    related: bool = False

    @property
    def content(self) -> bool:
        return self.kind.reason is None and self.repeat_of is None and not self.related


@dataclass(frozen=True, slots=True)
class Draft:
    """One cleaned article before it becomes an :class:`~khabar.model.Article`."""

    title: str | None
    lead: str | None
    paragraphs: tuple[str, ...]
    attributions: tuple[str, ...]
    photo_credits: tuple[str, ...]
    removed: tuple[Removed, ...]
    language: str | None
    signals: Mapping[str, Any] = field(default_factory=dict)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: one per line, unless the text is hard-wrapped (most lines end
    mid-sentence and blank lines separate blocks), in which case blank-line blocks are joined."""
    lines = [ln.strip() for ln in text.splitlines()]
    nonempty = [ln for ln in lines if ln]
    if not nonempty:
        return []
    blanks = len(lines) - len(nonempty)
    open_ended = sum(1 for ln in nonempty if not _TERMINAL.search(ln))
    if blanks and len(nonempty) > 4 and open_ended / len(nonempty) > 0.6:
        blocks = re.split(r"\n\s*\n", text)
        return [" ".join(b.split()) for b in blocks if b.strip()]
    return nonempty


def _mark_repeats(lines: list[_Line]) -> None:
    """Mark lines that repeat an earlier line: long lines by exact or near-exact key, short lines
    only when a neighbouring line is a repeat too (so a short line that legitimately recurs in
    different paragraphs stays)."""
    first: dict[str, int] = {}
    fuzzy = len(lines) <= FUZZY_MAX_LINES
    long_seen: list[tuple[int, frozenset[str]]] = []
    sentence_seen: dict[str, int] = {}
    for i, ln in enumerate(lines):
        if ln.kind.reason is not None or not ln.key:
            continue
        earlier = first.get(ln.key)
        is_long = ln.words >= LONG_LINE_WORDS and len(ln.key) >= 20
        if earlier is not None and is_long:
            ln.repeat_of = earlier
        elif is_long:
            sentences = [skeleton(s) for s in _SENTENCE_SPLIT.split(ln.text) if s.strip()]
            sentences = [s for s in sentences if len(s) >= 15]
            if len(sentences) >= 2 and all(s in sentence_seen for s in sentences):
                ln.repeat_of = sentence_seen[sentences[0]]
            elif fuzzy:
                grams = _grams(ln.key)
                for j, other in long_seen:
                    inter = len(grams & other)
                    if inter >= 0.85 * len(grams) or (inter >= 0.85 * len(other) and inter >= 0.6 * len(grams)):
                        ln.repeat_of = j
                        break
            if ln.repeat_of is None:
                for s in sentences:
                    sentence_seen.setdefault(s, i)
                if fuzzy:
                    long_seen.append((i, _grams(ln.key)))
        first.setdefault(ln.key, i)
    # Short repeats: only inside a run of repeats.
    changed = True
    while changed:
        changed = False
        for i, ln in enumerate(lines):
            if ln.repeat_of is not None or ln.kind.reason is not None or not ln.key:
                continue
            earlier = first.get(ln.key)
            if earlier is None or earlier == i:
                continue
            neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
            if any(n.repeat_of is not None for n in neighbours):
                ln.repeat_of = earlier
                changed = True


def _mark_related(lines: list[_Line]) -> None:
    """Headline lists after a related-news header ('اخبار مرتبط') are chrome, not body."""
    in_block = False
    for ln in lines:
        if ln.kind.related_header:
            in_block = True
            continue
        if not in_block:
            continue
        if ln.kind.reason is not None:
            continue
        if ln.words <= 20 and not _TERMINAL.search(ln.text):
            ln.related = True
        else:
            in_block = False


def _segments(lines: list[_Line]) -> list[list[int]]:
    """Split the page at end marks; a segment that is mostly a copy of earlier text, or has no
    content of its own, is folded into the segment before it."""
    segments: list[list[int]] = [[]]
    for i, ln in enumerate(lines):
        segments[-1].append(i)
        if ln.kind.reason == "end mark":
            segments.append([])
    merged: list[list[int]] = []
    for seg in segments:
        if not seg:
            continue
        own = sum(len(lines[i].key) for i in seg if lines[i].content)
        copied = sum(len(lines[i].key) for i in seg if lines[i].repeat_of is not None)
        if merged and (own == 0 or copied > own):
            merged[-1].extend(seg)
        else:
            merged.append(seg)
    return merged


_DIGIT = re.compile(r"\d")
_DATE_LINE = LineKind(reason="date line")


def _classify(line: str) -> LineKind:
    """The line rules, plus: a short line that is mostly a date is a dateline, not text."""
    kind = classify(line)
    if kind.reason is None and word_count(line) <= 14 and _DIGIT.search(line):
        from khabar.text.dates import find_dates

        dated = "".join(d.text for d in find_dates(line))
        if dated and len(_SKELETON_DROP.sub("", dated)) >= 0.6 * len(_SKELETON_DROP.sub("", line)):
            return _DATE_LINE
    return kind


def _is_title(ln: _Line, rest: int) -> bool:
    return rest >= 1 and 2 <= ln.words <= 20 and not _TERMINAL.search(ln.text) and "،" not in ln.text[-3:]


def _starts_with_attribution(text: str) -> bool:
    c = canon(text)
    return bool(re.match(r"^(به گزارش|به نقل از|بنا بر گزارش|بنابر گزارش)\s", c)) or (
        bool(attributions_in(text)) and not c.startswith(("به ", "در ")) and bool(re.match(r"^\S+\s*[-–—(:]", c))
    )


def name_policy(policy: Policy) -> Policy:
    """Names (outlets, authors) get letters, digits and spacing normalized but no half-space
    repair: a proper noun the lexicon does not know ('خبربان', 'فرارو') is not two words."""
    return replace(policy, halfspaces=False)


def _dedupe(names: list[str], policy: Policy) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    names_policy = name_policy(policy)
    for n in names:
        n = normalize(n, names_policy).strip()
        if n and n not in seen:
            seen[n] = None
    return tuple(seen)


_VARIANTS = {"ی": "[یيى]", "ک": "[کك]", "ه": "[هۀة]", " ": "[\\s\u200c]+"}
_PLACEHOLDER = "QKHABARNAME{}Q"  # Latin, so normalize leaves it as it is


def _name_pattern(names: set[str]) -> re.Pattern[str] | None:
    """One pattern for the outlet names a page names, in any spelling of ی/ک/ه and spacing."""
    short = [n for n in names if len(n) >= 3 and len(n.split()) <= 2]  # outlets, not long organisation names
    alternatives = sorted(("".join(_VARIANTS.get(ch, re.escape(ch)) for ch in n) for n in short), key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\p{L}\p{M}\u200c])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{M}])")


def _normalize_keeping(text: str, names: re.Pattern[str] | None, policy: Policy) -> str:
    """``normalize`` that keeps the page's own outlet names whole: a name the lexicon does not know
    ('خبربان') would otherwise be read as two glued words. Names get letters and spacing fixed only."""
    if names is None:
        return normalize(text, policy)
    found: list[str] = []

    def hide(m: re.Match[str]) -> str:
        found.append(normalize(m.group(), name_policy(policy)))
        return _PLACEHOLDER.format("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(found) - 1] if len(found) <= 26 else "Z")

    hidden = names.sub(hide, text)
    if not found or len(found) > 26:
        return normalize(text, policy)
    out = normalize(hidden, policy)
    for i, name in enumerate(found):
        out = out.replace(_PLACEHOLDER.format("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]), name, 1)
    return out


def clean_paragraphs(
    paragraphs: Sequence[str],
    *,
    title: str | None = None,
    lead: str | None = None,
    policy: Policy = DEFAULT,
    site: str | None = None,
) -> list[Draft]:
    """Clean a page given as paragraphs. ``title`` and ``lead`` come from HTML metadata when known;
    for plain text they are found in the first lines. ``policy`` is the normalization policy;
    ``site`` the page's outlet name, kept whole in the text like the outlets the page cites."""
    lines = [_Line(p, _classify(p), skeleton(p), word_count(p)) for p in paragraphs if p.strip()]
    total_chars = sum(len(ln.text) for ln in lines) or 1
    _mark_repeats(lines)
    _mark_related(lines)
    repeated_fraction = sum(1 for ln in lines if ln.repeat_of is not None) / (len(lines) or 1)
    boiler_chars = sum(len(ln.text) for ln in lines if ln.kind.reason is not None or ln.related)

    drafts: list[Draft] = []
    for seg in _segments(lines):
        removed: list[Removed] = []
        credits: list[str] = []
        attributions: list[str] = []
        body: list[_Line] = []
        for i in seg:
            ln = lines[i]
            if ln.kind.reason is not None:
                removed.append(Removed(ln.text, ln.kind.reason))
                credits.extend(ln.kind.photo_credits)
                attributions.extend(ln.kind.attributions)
            elif ln.repeat_of is not None:
                if removed and removed[-1].reason == "repeated block" and i > 0 and lines[i - 1].repeat_of is not None:
                    # Consecutive repeated lines are one repeated block.
                    removed[-1] = Removed(removed[-1].text + "\n" + ln.text, "repeated block")
                else:
                    removed.append(Removed(ln.text, "repeated block"))
            elif ln.related:
                removed.append(Removed(ln.text, "related news"))
            else:
                body.append(ln)
        seg_title = title if not drafts else None
        seg_lead = lead if not drafts else None
        if body and seg_title is None and _is_title(body[0], len(body) - 1):
            seg_title = body.pop(0).text
        if seg_title and body and skeleton(body[0].text) == skeleton(seg_title):
            removed.append(Removed(body.pop(0).text, "repeated title"))
        if seg_lead and body:
            first, summary = skeleton(body[0].text), skeleton(seg_lead)
            if first.startswith(summary) and len(summary) >= 0.9 * len(first):
                seg_lead = body.pop(0).text  # the page's lead paragraph, as written on the page
            elif first.startswith(summary):
                seg_lead = None  # the description is only the start of the body: no separate lead
        if (
            seg_lead is None
            and len(body) >= 3
            and body[0].words <= 60
            and len(_SENTENCE_SPLIT.split(body[0].text)) <= 2
            and not _starts_with_attribution(body[0].text)
            and _starts_with_attribution(body[1].text)
        ):
            seg_lead = body.pop(0).text
        texts = [ln.text for ln in body]
        attributions = [a for t in ([seg_lead] if seg_lead else []) + texts for a in attributions_in(t)] + attributions
        names = _name_pattern({*attributions, *([canon(site)] if site else [])})
        paragraphs_out = tuple(p for p in (_normalize_keeping(t, names, policy) for t in texts) if p)
        all_text = "\n".join(texts)
        drafts.append(
            Draft(
                title=_normalize_keeping(seg_title, names, policy) if seg_title else None,
                lead=_normalize_keeping(seg_lead, names, policy) if seg_lead else None,
                paragraphs=paragraphs_out,
                attributions=_dedupe(attributions, policy),
                photo_credits=_dedupe(credits, policy),
                removed=tuple(removed),
                language=detect_language(" ".join(filter(None, [seg_title, seg_lead, all_text]))),
                signals={
                    "chars": len(all_text),
                    "words": sum(ln.words for ln in body),
                    "paragraphs": len(body),
                    "persian_ratio": round(persian_ratio("\n".join(paragraphs_out)), 4),
                    "repeated_line_fraction": round(repeated_fraction, 4),
                    "boilerplate_fraction": round(boiler_chars / total_chars, 4),
                    "lines_in": len(lines),
                },
            )
        )
    return [d for d in drafts if d.paragraphs or d.lead or d.title] or drafts[:1]
