"""Quality signals of one cleaned document and the filters over them.

The signals follow the heuristics of the Gopher paper (Rae et al. 2021, "MassiveText" quality
and repetition rules) adapted to Persian: words are runs of letters, digits and ZWNJ, the
stop-word list is Persian, and the letter check counts Persian letters. Every signal is a plain
float so it can be stored as a column and re-thresholded later without recomputing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import regex as re

from khabar.errors import InputError
from khabar.text import persian_ratio

_WORD = re.compile(r"[\p{L}\p{N}\p{M}\u200c]+")

# Common Persian function words (prepositions, conjunctions, pronouns, copulas and light
# verbs). Running prose is full of them; keyword lists, menus and spam are not.
STOPWORDS: frozenset[str] = frozenset(
    """
    و در به از که این را با است برای آن یک تا می خود بر هم نیز شد شده بود کرد کند
    اما یا اگر پس ما او وی آنها ایشان چه هر دیگر باید بین پیش روی زیر همه همین چنین
    باشد شود بوده نیست هست کرده کنند دارد داشت داشته کنیم کنید شوند بودند کردند
    من تو شما آنان ها های اند ای نه چون زیرا ولی بلکه سپس هنوز حتی فقط همچنین
    درباره مورد توسط طی بدون درون میان نزد سوی جز مانند همچون اینکه آنکه وقتی
    هیچ بسیار خیلی چند برخی یکی دو سه اول بعد قبل اکنون امروز دیروز
    """.split()
)

#: Reason codes a document can be removed for (pipeline steps add their own).
REASONS: tuple[str, ...] = (
    "language",
    "persian_ratio",
    "page_repeats",
    "too_short",
    "too_long",
    "repeated_lines",
    "repeated_line_chars",
    "top_ngram",
    "duplicate_ngrams",
    "boilerplate",
    "stopwords",
)


@dataclass(frozen=True, slots=True)
class QualityConfig:
    """Thresholds. A document is removed by the first rule it breaks, in the order of ``REASONS``.

    Defaults are the Gopher values for repetition; length, stop-word and boilerplate limits
    are set for Persian news. ``enabled=False`` turns every quality rule off.
    """

    enabled: bool = True
    languages: tuple[str, ...] = ("fa",)
    min_persian_ratio: float = 0.5
    min_words: int = 50
    max_words: int = 100_000
    max_dup_line_fraction: float = 0.30
    max_dup_line_char_fraction: float = 0.20
    max_page_repeated_fraction: float = 0.60  # share of input lines the cleaner dropped as repeats
    max_top_ngram_fraction: tuple[tuple[int, float], ...] = ((2, 0.20), (3, 0.18), (4, 0.16))
    max_dup_ngram_fraction: tuple[tuple[int, float], ...] = (
        (5, 0.15),
        (6, 0.14),
        (7, 0.13),
        (8, 0.12),
        (9, 0.11),
        (10, 0.10),
    )
    max_boilerplate_fraction: float = 0.90
    min_stopword_ratio: float = 0.08

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "quality config") -> QualityConfig:
        """A config from a mapping of field names (as in the JSON file); unknown keys are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(source, f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "languages":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise InputError(source, "languages must be a list of language codes")
                values[key] = tuple(value)
            elif key in ("max_top_ngram_fraction", "max_dup_ngram_fraction"):
                if not isinstance(value, Mapping):
                    raise InputError(source, f'{key} must be an object like {{"2": 0.2}}')
                try:
                    values[key] = tuple(sorted((int(n), float(v)) for n, v in value.items()))
                except (TypeError, ValueError):
                    raise InputError(source, f"{key} must map n-gram sizes to fractions") from None
            elif key == "enabled":
                if not isinstance(value, bool):
                    raise InputError(source, "enabled must be true or false")
                values[key] = value
            else:
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InputError(source, f"{key} must be a number")
                values[key] = int(value) if key in ("min_words", "max_words") else float(value)
        return cls(**values)

    @classmethod
    def from_file(cls, path: str | Path) -> QualityConfig:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(str(path), f"not a JSON object: {exc}") from None
        if not isinstance(data, dict):
            raise InputError(str(path), "not a JSON object")
        return cls.from_mapping(data, str(path))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        d["languages"] = list(self.languages)
        d["max_top_ngram_fraction"] = {str(n): v for n, v in self.max_top_ngram_fraction}
        d["max_dup_ngram_fraction"] = {str(n): v for n, v in self.max_dup_ngram_fraction}
        return d


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a document is removed: a reason code (one of ``REASONS``) and a readable detail."""

    reason: str
    detail: str


def _line_repeats(lines: Sequence[str]) -> tuple[float, float]:
    """(share of lines that repeat an earlier line, share of characters in those lines)."""
    seen: set[str] = set()
    dup_lines = dup_chars = total_chars = 0
    for ln in lines:
        key = " ".join(ln.split())
        total_chars += len(key)
        if key in seen:
            dup_lines += 1
            dup_chars += len(key)
        else:
            seen.add(key)
    return (dup_lines / len(lines) if lines else 0.0, dup_chars / total_chars if total_chars else 0.0)


def _top_ngram_fraction(words: Sequence[str], n: int, total_chars: int) -> float:
    """Characters in the most frequent word ``n``-gram (all its occurrences) over all word characters."""
    if len(words) < n or not total_chars:
        return 0.0
    counts = Counter(zip(*(words[i:] for i in range(n)), strict=False))
    gram, count = counts.most_common(1)[0]
    if count < 2:
        return 0.0
    return min(1.0, sum(len(w) for w in gram) * count / total_chars)


def _dup_ngram_fraction(words: Sequence[str], lengths: Sequence[int], n: int, total_chars: int) -> float:
    """Characters of words covered by any word ``n``-gram that occurs more than once."""
    if len(words) < 2 * n or not total_chars:
        return 0.0
    grams = list(zip(*(words[i:] for i in range(n)), strict=False))
    counts = Counter(grams)
    covered = [False] * len(words)
    for i, g in enumerate(grams):
        if counts[g] > 1:
            for j in range(i, i + n):
                covered[j] = True
    return sum(c for c, hit in zip(lengths, covered, strict=True) if hit) / total_chars


def quality_signals(
    paragraphs: Sequence[str],
    *,
    page: Mapping[str, Any] | None = None,
    ngram_sizes: Sequence[int] = (2, 3, 4),
    dup_ngram_sizes: Sequence[int] = (5, 6, 7, 8, 9, 10),
) -> dict[str, float]:
    """Signals of a document given its cleaned paragraphs (title and lead included when wanted).

    ``page`` is the cleaner's own signals (``Article.signals``): its ``repeated_line_fraction`` and
    ``boilerplate_fraction`` describe the page as crawled, before cleaning removed anything.
    """
    page = page or {}
    text = "\n".join(paragraphs)
    words = _WORD.findall(text)
    lengths = [len(w) for w in words]
    total_chars = sum(lengths)
    dup_lines, dup_line_chars = _line_repeats([p for p in paragraphs if p.strip()])
    signals: dict[str, float] = {
        "words": float(len(words)),
        "chars": float(len(text)),
        "persian_ratio": round(persian_ratio(text), 4),
        "mean_word_length": round(total_chars / len(words), 3) if words else 0.0,
        "stopword_ratio": round(sum(1 for w in words if w in STOPWORDS) / len(words), 4) if words else 0.0,
        "dup_line_fraction": round(dup_lines, 4),
        "dup_line_char_fraction": round(dup_line_chars, 4),
        "page_repeated_fraction": float(page.get("repeated_line_fraction", 0.0) or 0.0),
        "boilerplate_fraction": float(page.get("boilerplate_fraction", 0.0) or 0.0),
    }
    for n in ngram_sizes:
        signals[f"top_{n}gram_fraction"] = round(_top_ngram_fraction(words, n, total_chars), 4)
    for n in dup_ngram_sizes:
        signals[f"dup_{n}gram_fraction"] = round(_dup_ngram_fraction(words, lengths, n, total_chars), 4)
    return signals


def judge(signals: Mapping[str, float], language: str | None, config: QualityConfig) -> Verdict | None:
    """The first rule ``signals`` break under ``config`` (None: the document is kept)."""
    if not config.enabled:
        return None
    c = config
    if config.languages and language not in config.languages:
        return Verdict("language", f"language '{language}' is not one of {', '.join(config.languages)}")
    checks: list[tuple[bool, str, str]] = [
        (
            signals["persian_ratio"] < c.min_persian_ratio,
            "persian_ratio",
            f"Persian letters {signals['persian_ratio']:.2f} < {c.min_persian_ratio}",
        ),
        # before length: a page of repeated lines is short once cleaning has dropped the repeats
        (
            signals["page_repeated_fraction"] > c.max_page_repeated_fraction,
            "page_repeats",
            f"repeated lines on the page {signals['page_repeated_fraction']:.2f} > {c.max_page_repeated_fraction}",
        ),
        (signals["words"] < c.min_words, "too_short", f"{signals['words']:.0f} words < {c.min_words}"),
        (signals["words"] > c.max_words, "too_long", f"{signals['words']:.0f} words > {c.max_words}"),
        (
            signals["dup_line_fraction"] > c.max_dup_line_fraction,
            "repeated_lines",
            f"repeated lines {signals['dup_line_fraction']:.2f} > {c.max_dup_line_fraction}",
        ),
        (
            signals["dup_line_char_fraction"] > c.max_dup_line_char_fraction,
            "repeated_line_chars",
            f"characters in repeated lines {signals['dup_line_char_fraction']:.2f} > {c.max_dup_line_char_fraction}",
        ),
    ]
    for n, limit in c.max_top_ngram_fraction:
        v = signals.get(f"top_{n}gram_fraction", 0.0)
        checks.append((v > limit, "top_ngram", f"most frequent {n}-gram covers {v:.2f} > {limit}"))
    for n, limit in c.max_dup_ngram_fraction:
        v = signals.get(f"dup_{n}gram_fraction", 0.0)
        checks.append((v > limit, "duplicate_ngrams", f"repeated {n}-grams cover {v:.2f} > {limit}"))
    checks.append(
        (
            signals["boilerplate_fraction"] > c.max_boilerplate_fraction,
            "boilerplate",
            f"boilerplate {signals['boilerplate_fraction']:.2f} > {c.max_boilerplate_fraction}",
        )
    )
    checks.append(
        (
            signals["stopword_ratio"] < c.min_stopword_ratio,
            "stopwords",
            f"stop-word ratio {signals['stopword_ratio']:.2f} < {c.min_stopword_ratio}",
        )
    )
    for failed, reason, detail in checks:
        if failed:
            return Verdict(reason, detail)
    return None
