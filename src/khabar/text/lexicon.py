"""The Persian word lexicon behind half-space decisions.

Built from the Persian frequency list that the ``wordfreq`` package ships (about 31,000 words,
2,400 of them written with a ZWNJ), loaded lazily once per process (a few milliseconds) and kept
in memory. Nothing is downloaded and no evaluation text is used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

from khabar.text.chars import ZWNJ


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word -> Zipf frequency (log10 of occurrences per billion words; 0 when unknown)."""

    zipf_of: Mapping[str, float]
    #: A ZWNJ compound written without its ZWNJ -> the compound, when the ZWNJ spelling is the
    #: commoner one (``ایرانخودرو`` -> ``ایران‌خودرو``).
    unglued: Mapping[str, str]
    #: First part of a two-part ZWNJ compound -> {second part: compound zipf}.
    compounds: Mapping[str, Mapping[str, float]]

    def zipf(self, word: str) -> float:
        return self.zipf_of.get(word, 0.0)

    def __contains__(self, word: object) -> bool:
        return word in self.zipf_of


def _from_frequencies(freqs: Mapping[str, float]) -> Lexicon:
    zipf_of: dict[str, float] = {}
    for word, freq in freqs.items():
        if freq > 0:
            zipf_of[word] = round(math.log10(freq) + 9.0, 2)
    unglued: dict[str, str] = {}
    compounds: dict[str, dict[str, float]] = {}
    for word, z in zipf_of.items():
        if ZWNJ not in word:
            continue
        glued = word.replace(ZWNJ, "")
        if zipf_of.get(glued, 0.0) < z:
            unglued[glued] = word
        parts = word.split(ZWNJ)
        if len(parts) == 2 and all(parts):
            compounds.setdefault(parts[0], {})[parts[1]] = z
    return Lexicon(
        zipf_of=MappingProxyType(zipf_of),
        unglued=MappingProxyType(unglued),
        compounds=MappingProxyType({k: MappingProxyType(v) for k, v in compounds.items()}),
    )


@cache
def lexicon() -> Lexicon:
    """The shared lexicon (loaded on first use)."""
    from wordfreq import get_frequency_dict

    return _from_frequencies(get_frequency_dict("fa", wordlist="best"))


def lexicon_from_words(words: Mapping[str, float]) -> Lexicon:
    """A lexicon from explicit word frequencies (proportions); used for tests and custom vocabularies."""
    return _from_frequencies(words)
