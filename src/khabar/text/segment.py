"""Sentence and word segmentation for Persian text (compiled regexes; offsets index the input).

Words: a ZWNJ-joined word (``می‌شود``) is one token, and so is a number with its separators
(``3.5``, ``58,000``, ``۱۳۹۴/۰۲/۰۸``, ``12:30``), a URL, an e-mail address, a hashtag or mention,
a Latin word (``COVID-19``, ``don't``), an emoji sequence and a run of dots or an ellipsis. Any other visible
character is a token of its own.

Sentences end at ``.`` ``؟`` ``?`` ``!`` ``…`` (and runs of them) and at line breaks, but not at a
dot inside a number, URL, e-mail or file name, after an initial (``ا.`` ``J.``) or a known
abbreviation, and not inside brackets that go on; closing quotes and brackets right after the
mark stay with the sentence.
"""

from __future__ import annotations

import re

from khabar.text.chars import PERSIAN_LETTERS, ZWNJ

_L = PERSIAN_LETTERS + "ٔ\u064b-\u065f\u0670\u0621-\u063a\u0641-\u064a"
_DIGITS = r"[0-9۰-۹٠-٩]"
_EMOJI = (
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff]"
    "[\U0001f3fb-\U0001f3ff\ufe0f\u20e3]*"
    "(?:\u200d[\U0001f000-\U0001faff\u2600-\u27bf][\U0001f3fb-\U0001f3ff\ufe0f]*)*"
)
_URL = r"(?:https?://|ftp://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]،؛؟']"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
_DOMAIN = r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.(?:com|org|net|ir|info|io|edu|gov|co|uk|de|fr)\b"
_TOKEN = re.compile(
    "|".join(
        (
            _URL,
            _EMAIL,
            _DOMAIN,
            rf"[#@][\w{ZWNJ}]*\w",
            rf"{_DIGITS}+(?:[.,٫٬/:\-]{_DIGITS}+)*%?٪?",
            r"[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*(?:['’\-.][A-Za-z0-9_]+)*",
            rf"[{_L}]+(?:{ZWNJ}+[{_L}]+)*",
            _EMOJI,
            r"\.{2,}|…+",
            r"\S",
        )
    )
)

_PROTECTED = re.compile("|".join((_URL, _EMAIL, _DOMAIN, rf"{_DIGITS}+(?:[.,٫٬:/]{_DIGITS}+)+")))
#: Candidate sentence ends: a run of terminal marks, then closing quotes/brackets.
_END = re.compile(r"(?:[.!?؟…]+)[\"'»”’)\]]*")
_ABBREVIATIONS = frozenset("mr mrs ms dr prof st vs etc inc ltd co jr sr no fig e.g i.e al ص ق م ه ش ج ع".split())
_NAME = rf"[{_L}{ZWNJ}]+(?: [{_L}{ZWNJ}]+){{0,3}}"  # one to four Persian words
_DATELINE = re.compile(rf"\s*{_NAME} [-–—] {_NAME}:(?=\s)")
_PREV_WORD = re.compile(rf"([A-Za-z{_L}]+)$")
_LETTER = re.compile(rf"[A-Za-z{_L}]")


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` character offsets of each word token in ``text``."""
    return [m.span() for m in _TOKEN.finditer(text)]


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (see the module docstring for what counts as one token)."""
    return _TOKEN.findall(text)


def _is_end(text: str, m: re.Match[str], protected: list[tuple[int, int]], depth: int) -> bool:
    start, end = m.span()
    if any(a <= start < b for a, b in protected):
        return False
    if end < len(text) and not text[end].isspace():
        return False  # "file.txt", "3.5", ".NET": the mark is inside a token
    if depth > 0:
        return False  # inside (...) or [...] that go on
    marks = m.group()
    if marks[0] == "." and len(marks.rstrip("\"'»”’)]")) == 1:
        prev = _PREV_WORD.search(text, 0, start)
        if prev is not None:
            word = prev.group(1)
            if len(word) == 1 or word.lower() in _ABBREVIATIONS:
                return False  # an initial or abbreviation: "ج. ا." "Dr."
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of each sentence, whitespace trimmed; line breaks always end one."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        _line_spans(line, pos, spans)
        pos += len(line) + 1
    return spans


def _line_spans(line: str, base: int, spans: list[tuple[int, int]]) -> None:
    protected = [m.span() for m in _PROTECTED.finditer(line)] if ("." in line or ":" in line) else []
    start = 0
    depth = 0
    last = 0
    nested = _nests(line)
    start = _dateline(line, base, 0, spans)
    for m in _END.finditer(line):
        if nested:
            for ch in line[last : m.start()]:
                if ch in "([":
                    depth += 1
                elif ch in ")]" and depth:
                    depth -= 1
            last = m.start()
        if m.start() < start:
            continue  # inside a dateline already cut off
        if _is_end(line, m, protected, depth):
            _add(line, base, start, m.end(), spans)
            start = _dateline(line, base, m.end(), spans)
    _add(line, base, start, len(line), spans)


def _dateline(line: str, base: int, start: int, spans: list[tuple[int, int]]) -> int:
    """A news dateline opening a sentence (``تهران - ایرنا:``) is a sentence of its own; returns
    where the next sentence starts."""
    m = _DATELINE.match(line, start)
    if m is None:
        return start
    _add(line, base, start, m.end(), spans)
    return m.end()


def _nests(line: str) -> bool:
    """Whether the brackets of ``line`` nest properly: a closer before its opener means they were
    mirrored (``علی) ع (``, a common bidi accident), and then they say nothing about sentences."""
    if "(" not in line and "[" not in line:
        return False
    depth = 0
    for ch in line:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
            if depth < 0:
                return False
    return True


def _add(line: str, base: int, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = base + start + lead
    spans.append((s, s + len(stripped)))


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[a:b] for a, b in sentence_spans(text)]


_ALPHA = re.compile(r"[^\W\d_]")
_PERSIAN_LETTER = re.compile(f"[{PERSIAN_LETTERS}]")


def persian_ratio(text: str) -> float:
    """Share of the letters in ``text`` that are Persian-alphabet letters (0.0 when it has none)."""
    letters = len(_ALPHA.findall(text))
    return len(_PERSIAN_LETTER.findall(text)) / letters if letters else 0.0
