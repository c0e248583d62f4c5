"""Persian words attested in the ``mnk-persian-words`` word list (MIT licence, offline).

wordfreq's Persian list knows only about 2,400 words written with a ZWNJ, so most compounds
(پیش‌بینی, ایران‌خودرو, هم‌تیمی) are unknown to it. The ``mnk-persian-words`` package ships an
offline SQLite list of about 516,000 Persian words, 104,000 of them with a ZWNJ, without
frequencies and with some noise (prepositions glued to the next word, a stray ZWNJ after a letter
that does not join, one-letter pieces, a glued و). This module keeps two membership sets from it:
the ZWNJ words that pass the filter below, and the words without a ZWNJ. The half-space rules
use them only as evidence next to wordfreq's frequencies (see :mod:`khabar.text.halfspace`).

The sets are derived once and cached as a text file under the user cache directory
(``$XDG_CACHE_HOME/khabar`` or ``~/.cache/khabar``), keyed by the package version and the filter
version; the file is rebuilt when missing or unreadable. Without the package the sets are empty.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType

from khabar.text.chars import JOINERS, ZWNJ

PACKAGE = "mnk-persian-words"
#: Bumped whenever the filter below changes, so that older cached tables are not reused.
FILTER_VERSION = 5
#: Closed-class words that edited Persian writes apart from the next word; a listed ZWNJ word
#: starting with one of them is a phrase glued by a careless writer (به‌همراهی, از‌نقطه‌نظر).
FUNCTION_WORDS = frozenset("از به در با بر تا که را و یا این آن همین همان هر چه اگر برای ولی اما".split())
#: Last parts that only mark a careless spelling (خوبی‌ی, پاشیده‌است, حالتی‌ست): not compounds.
BAD_LAST = frozenset(("ی", "است", "ست"))
#: Prepositions that careless writers glue to the next word (ازنقطه‌نظر, درحال‌اجرا).
GLUED_FUNCTION = ("از", "به", "در", "با", "بر", "که", "را")


@dataclass(frozen=True)
class WordList:
    """Membership sets from the word list."""

    #: Listed words written with a ZWNJ that pass :func:`keep`.
    compounds: frozenset[str]
    #: Listed words without a ZWNJ (a glued run that is none of these and none of ``compounds``
    #: without its ZWNJs is not a word the list knows).
    plain: frozenset[str]

    @cached_property
    def unglued(self) -> Mapping[str, str]:
        """Glued spelling -> the one listed compound it comes from (spellings shared by two
        compounds are left out)."""
        out: dict[str, str] = {}
        shared: set[str] = set()
        for word in self.compounds:
            glued = word.replace(ZWNJ, "")
            if glued in out:
                shared.add(glued)
            out[glued] = word
        for glued in shared:
            del out[glued]
        return MappingProxyType(out)

    @cached_property
    def heads(self) -> Mapping[str, int]:
        """First part -> how many listed compounds start with it (how productive it is)."""
        return MappingProxyType(Counter(w.split(ZWNJ, 1)[0] for w in self.compounds))

    @cached_property
    def tails(self) -> Mapping[str, int]:
        """Second part -> how many listed compounds have it second."""
        return MappingProxyType(Counter(w.split(ZWNJ, 2)[1] for w in self.compounds))

    @cached_property
    def lefts(self) -> frozenset[str]:
        """First parts of the listed compounds."""
        return frozenset(self.heads)


EMPTY = WordList(frozenset(), frozenset())


def keep(word: str) -> bool:
    """Whether a listed ZWNJ word is kept as a compound: every part has at least two letters,
    every ZWNJ follows a letter that joins the next one (elsewhere it is invisible noise), the first
    part is not a function word and the last part is not a stray ی or است."""
    parts = word.split(ZWNJ)
    if len(parts) < 2 or any(len(p) < 2 for p in parts):
        return False
    if any(p[-1] not in JOINERS for p in parts[:-1]):
        return False
    return parts[0] not in FUNCTION_WORDS and parts[-1] not in BAD_LAST


def _glued_function(first: str, plain: set[str]) -> bool:
    """A first part that is a preposition glued to a listed word (ازنقطه of ازنقطه‌نظر)."""
    return first not in plain and any(first.startswith(f) and first[len(f) :] in plain for f in GLUED_FUNCTION)


def derive(rows: Iterable[tuple[str, int]]) -> WordList:
    """The membership sets from ``(word, is_clean)`` rows of the list (rows not clean are skipped)."""
    zw: set[str] = set()
    plain: set[str] = set()
    for word, clean in rows:
        if not clean or " " in word:
            continue
        if ZWNJ in word:
            if keep(word):
                zw.add(word)
        else:
            plain.add(word)
    zw = {w for w in zw if not _glued_function(w.split(ZWNJ)[0], plain)}
    # a conjunction glued to the end of a listed word (می‌کنندو next to می‌کنند)
    zw = {w for w in zw if not (w.endswith("و") and w[:-1] in zw)}
    return WordList(frozenset(zw), frozenset(plain))


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/khabar``, or ``~/.cache/khabar``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "khabar"


def package_version() -> str | None:
    """The installed version of the word-list package, or None when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return None


def _read_rows() -> list[tuple[str, int]]:
    from mnk_persian_words._data import connect_readonly

    with connect_readonly() as conn:
        return conn.execute("SELECT word, is_clean FROM canonical_words").fetchall()


def save(table: WordList, path: Path) -> None:
    """Write the table atomically (two newline-separated sections, split by a blank line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(sorted(table.compounds)) + "\n\n" + "\n".join(sorted(table.plain)) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load(path: Path) -> WordList | None:
    """A table written by :func:`save`, or None when the file is missing or damaged."""
    try:
        body = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    compounds, sep, plain = body.partition("\n\n")
    if not sep or not body.endswith("\n"):
        return None
    return WordList(frozenset(compounds.split()), frozenset(plain.split()))


def cache_path(directory: Path | None = None) -> Path | None:
    """Where the derived table for the installed package version lives (None without it)."""
    ver = package_version()
    if ver is None:
        return None
    return (directory or cache_dir()) / f"mnk-words-{ver}-f{FILTER_VERSION}.txt"


def load_wordlist(directory: Path | None = None) -> WordList:
    """The table: read from the cache, or derived from the package's database and cached there.
    Without the package the table is empty (khabar then relies on wordfreq alone)."""
    path = cache_path(directory)
    if path is None:
        return EMPTY
    table = load(path)
    if table is not None:
        return table
    table = derive(_read_rows())
    try:
        save(table, path)
    except OSError:
        pass  # an unwritable cache directory only costs the rebuild next time
    return table


@cache
def wordlist() -> WordList:
    """The shared table (loaded on first use)."""
    return load_wordlist()
