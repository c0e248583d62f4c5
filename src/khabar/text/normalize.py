"""Persian normalization (first version)."""

from __future__ import annotations

import re
from dataclasses import dataclass

ZWNJ = "\u200c"


@dataclass(frozen=True, slots=True)
class Policy:
    digits: str | None = None  # "fa", "en", "ar" or None (keep)


DEFAULT = Policy()

_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "\u0640": None})
_MI = re.compile(r"(?<![\w\u200c])(ن?می) (?=\w)")
_SUFFIX = re.compile(r"(?<=\w) (ها|های|هایی|تر|ترین|اند|ایم|اید)(?![\w\u200c])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def normalize(text: str, policy: Policy = DEFAULT) -> str:
    text = text.translate(_LETTERS)
    text = _SPACES.sub(" ", text)
    text = _MI.sub(lambda m: m.group(1) + ZWNJ, text)
    text = _SUFFIX.sub(lambda m: ZWNJ + m.group(1), text)
    return text.strip()
