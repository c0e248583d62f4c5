"""Persian normalization: one :class:`Policy`, one pure function :func:`normalize`.

The work is done line by line (line breaks stay where they are; runs of blank lines become one
blank line). Inside a line, URLs, e-mail addresses, hashtags, mentions and Latin or code-like
tokens are set aside first and put back unchanged at the end; everything else goes through
translate tables (letters, marks, invisible characters, spaces, digits) and compiled regexes
(punctuation, spacing, half-spaces).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from khabar.text import halfspace
from khabar.text.chars import JOINERS, PERSIAN_LETTERS, ZWNJ, digit_table, letter_table

DigitScript = Literal["fa", "en", "ar"]


@dataclass(frozen=True, slots=True)
class Policy:
    """What :func:`normalize` does. Every field has a sensible default (see :data:`DEFAULT`).

    digits
        ``"fa"`` (default): every digit becomes a Persian digit, the decimal point between digits
        becomes ``٫`` and thousands commas ``٬``; ``"en"``: Latin digits with ``.`` and ``,``;
        ``"ar"``: Arabic-Indic digits; ``None``: Latin and Persian digits are kept as written and
        only Arabic-Indic digits become Persian. Digits inside URLs, e-mails, hashtags and Latin or
        code-like tokens (``mp3``, ``COVID-19``) are never touched.
    keep_diacritics
        keep Arabic harakat (fatha, kasra, tashdid, ...); removed by default.
    teh_marbuta
        write ة as ه (off by default: ة is a real letter in Arabic names and phrases).
    halfspaces
        repair ZWNJs (half-spaces) and the spaces around them.
    punctuation
        Persian comma, semicolon and question mark in Persian context, «» for straight quote pairs.
    spacing
        no space before closing punctuation and after opening brackets; a space after ، ؛ ؟ ! and
        around brackets when a Persian word touches them.
    """

    digits: DigitScript | None = "fa"
    keep_diacritics: bool = False
    teh_marbuta: bool = False
    halfspaces: bool = True
    punctuation: bool = True
    spacing: bool = True


#: The default: readable Persian with Persian digits (see :class:`Policy`).
DEFAULT = Policy()
#: For search analyzers: Latin digits (so "1394" and "۱۳۹۴" match), ة as ه, no punctuation rewriting.
SEARCH = Policy(digits="en", teh_marbuta=True, punctuation=False)

_PLACEHOLDER = "\ue000"
_LETTERS = PERSIAN_LETTERS + "\u064b-\u065f\u0670"
_PROTECT = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»]*[^\s<>\"«».,;:!?)\]،؛؟']"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
    r"|[@#][\w\u200c]*\w"
    r"|[\ue000-\uf8ff]"
    r"|[A-Za-z0-9_]*[A-Za-z][A-Za-z0-9_]*(?:[-./:'+&][A-Za-z0-9_]+)*"
)
_HAS_SPECIAL = re.compile(r"[A-Za-z@#\ue000-\uf8ff]")
_SPACES = re.compile(r"  +")
_ZWNJ_RUN = re.compile(f"{ZWNJ}{ZWNJ}+")
_JOIN = "".join(sorted(JOINERS))
_ZWNJ_STRAY = re.compile(f"{ZWNJ}(?<![{_JOIN}\u064b-\u065f\u0670]{ZWNJ})|{ZWNJ}(?![{_LETTERS}])")
_PERSIAN = re.compile(f"[{PERSIAN_LETTERS}]")

# punctuation
_QUOTE = re.compile('"')
_COMMA = re.compile(f"(?<=[{_LETTERS}»)]) ?,|(?<=\\d) ?,(?= )")
_SEMI = re.compile(f"(?<=[{_LETTERS}»)]) ?;")
_QMARK = re.compile(f"(?<=[{_LETTERS}»)]) ?\\?")
#: One pass for two independent fixes: no space before closing punctuation (the match is the spaces)
#: and a space after ، ؛ ؟ ! ) » when a Persian word or an opening bracket follows.
_SP_CLOSERS = re.compile(f" +(?=[.،,؛;:؟?!)»\\]…])|[،؛؟!)»](?=[{_LETTERS}(«])")
_SP_DROP_AFTER = re.compile(r"([(«\[]) +")
_SP_ADD_BEFORE = re.compile(f"([(«])(?<=[{_LETTERS}][(«])")
#: A colon before an opening guillemet (گفت:«...): the quote gets a space. Only «, since ``:(`` is
#: an emoticon and a colon between digits or in a URL is no punctuation.
_COLON_QUOTE = re.compile(r":(?=«)")
_DIGIT = re.compile(r"\d")

# numbers: a digit run with inner separators, not part of a longer dotted/comma'd run
_NUMBER = re.compile(r"(?<![\d.,٫٬])\d+(?:[.,٫٬]\d+)*(?!\d|[.,٫٬]\d)")
_THOUSANDS = re.compile(r"\d{1,3}(?:[,٬]\d{3})+(?:[.٫]\d+)?")
_DECIMAL = re.compile(r"\d+[.٫]\d+")
_SEPARATORS = {"fa": ("٫", "٬"), "ar": ("٫", "٬"), "en": (".", ",")}
_BLANKS = re.compile(r"\n(?:[ \t]*\n){2,}")


@lru_cache(maxsize=16)
def _table(policy: Policy) -> dict[int, str | None]:
    """One translate table for letters, marks, invisibles, spaces, digits (and curly quotes)."""
    table = letter_table(keep_diacritics=policy.keep_diacritics, teh_marbuta=policy.teh_marbuta)
    table.update(digit_table(policy.digits))
    if policy.punctuation:
        table.update({ord("“"): "«", ord("”"): "»"})
    return table


def _numbers(text: str, target: DigitScript) -> str:
    dec, thou = _SEPARATORS[target]

    def fix(m: re.Match[str]) -> str:
        s = m.group()
        if _THOUSANDS.fullmatch(s):
            return s.replace(",", thou).replace("٬", thou).replace(".", dec).replace("٫", dec)
        if _DECIMAL.fullmatch(s):
            return s.replace(".", dec).replace("٫", dec)
        return s

    return _NUMBER.sub(fix, text)


def _quotes(line: str) -> str:
    if line.count('"') % 2 or not _PERSIAN.search(line):
        return line
    state = iter(("«", "»") * (line.count('"') // 2))
    return _QUOTE.sub(lambda _m: next(state), line)


#: A substitution call-back.
Translate = Callable[[re.Match[str]], str]


@lru_cache(maxsize=16)
def _prepared(policy: Policy) -> tuple[Translate, re.Pattern[str]]:
    """The call-back that translates a run with the policy's table, and the pattern of the runs
    the table changes (one cached look-up per call: hashing a dataclass is not free)."""
    table = _table(policy)

    def translate(m: re.Match[str]) -> str:
        return m.group().translate(table)

    return translate, _mapped_runs(policy)


@lru_cache(maxsize=1)
def _default_prepared() -> tuple[Translate, re.Pattern[str]]:
    """:func:`_prepared` for :data:`DEFAULT`, without hashing the policy on every call."""
    return _prepared(DEFAULT)


@lru_cache(maxsize=16)
def _mapped_runs(policy: Policy) -> re.Pattern[str]:
    """Runs of the characters the policy's table changes: translating only those runs is about
    twice as fast as translating whole lines, where most characters map to themselves."""
    ranges: list[list[int]] = []
    for code in sorted(_table(policy)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    chars = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    # a run also spans up to 8 unchanged characters between changed ones: one translate call on a
    # slightly longer string is cheaper than one more Python call-back
    return re.compile(f"[{chars}](?:[^{chars}]{{0,8}}[{chars}])*")


def _closer_space(m: re.Match[str]) -> str:
    mark = m.group()
    return "" if mark[0] == " " else mark + " "


def _line(line: str, policy: Policy, translate: Translate, runs: re.Pattern[str]) -> str:
    kept: list[str] = []
    if _HAS_SPECIAL.search(line):

        def hide(m: re.Match[str]) -> str:
            kept.append(m.group())
            return _PLACEHOLDER

        line = _PROTECT.sub(hide, line)
    line = runs.sub(translate, line)
    if "  " in line:
        line = _SPACES.sub(" ", line)
    line = line.strip()
    if ZWNJ in line:
        if ZWNJ + ZWNJ in line:
            line = _ZWNJ_RUN.sub(ZWNJ, line)
        line = _ZWNJ_STRAY.sub("", line)
    if policy.punctuation:
        if '"' in line:
            line = _quotes(line)
        if "," in line:
            line = _COMMA.sub("،", line)
        if ";" in line:
            line = _SEMI.sub("؛", line)
        if "?" in line:
            line = _QMARK.sub("؟", line)
    if policy.spacing:
        line = _SP_CLOSERS.sub(_closer_space, line)
        if "(" in line or "«" in line or "[" in line:
            line = _SP_DROP_AFTER.sub(r"\1", line)
            line = _SP_ADD_BEFORE.sub(r" \1", line)
            if ":«" in line:
                line = _COLON_QUOTE.sub(": ", line)
    if policy.halfspaces:
        line = halfspace.repair(line)  # (writes a ZWNJ only between letters, after one that joins)
    if policy.digits is not None and _DIGIT.search(line):
        line = _numbers(line, policy.digits)
    if "  " in line:
        line = _SPACES.sub(" ", line)
    line = line.strip()
    if kept:
        pieces = line.split(_PLACEHOLDER)
        line = "".join(p + k for p, k in zip(pieces, [*kept, ""], strict=True))
    return line


#: A compound that a document writes with a half-space anywhere is written so throughout
#: (:func:`khabar.text.halfspace.consistent`). This runs on texts of several lines or at least this
#: many characters (a paragraph): within one sentence a compound rarely comes twice, and the look
#: costs about a tenth of the normalizer's time per call.
DOCUMENT_CHARS = 400


def normalize(text: str, policy: Policy = DEFAULT) -> str:
    """Normalize Persian ``text`` according to ``policy`` (see :class:`Policy`).

    Pure and idempotent: ``normalize(normalize(t)) == normalize(t)``. Line breaks are kept (runs of
    blank lines become one blank line); no letter is dropped except kashida, diacritics (unless
    kept) and invisible control characters.
    """
    translate, runs = _default_prepared() if policy is DEFAULT else _prepared(policy)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" not in text:
        out = _line(text, policy, translate, runs)
        if len(out) >= DOCUMENT_CHARS and policy.halfspaces and ZWNJ in out:
            out = halfspace.consistent(out, halfspace.compound_pairs(out))
        return out
    lines = [_line(line, policy, translate, runs) for line in text.split("\n")]
    if policy.halfspaces:
        pairs = halfspace.compound_pairs("\n".join(line for line in lines if ZWNJ in line))
        if pairs:
            lines = [halfspace.consistent(line, pairs) for line in lines]
    out = "\n".join(lines)
    if "\n\n\n" in out:
        out = _BLANKS.sub("\n\n", out)
    return out
