"""The one Persian analyzer that search uses at index time and at query time.

Pipeline for a piece of text:

1. cut it into surface words (runs of letters, marks, digits, ZWNJ/ZWJ and tatweel), remembering
   each word's character span in the ORIGINAL text, so snippets can highlight the original;
2. pass each word through khabar's normalizer (``khabar.text.normalize``), then fold it for search:
   Arabic letter forms to Persian ones, hamza carriers and alef forms to plain letters, diacritics
   and tatweel dropped, every decimal digit script to ASCII digits, Latin case folded;
3. remove ZWNJ inside a word (``می‌شود`` -> ``میشود``, ``کتاب‌ها`` -> ``کتابها``) and re-attach the
   pieces that writers separate with a plain space: a verb prefix (``می``, ``نمی``, ``بی``) joins the
   next word and a detached suffix (``ها``, ``های``, ``تر``, ``ترین``, ``اند`` ...) joins the word
   before it, so ``می شود``, ``ميشود`` and ``می‌شود`` all give one token; a lone ezafe ``ی``/``ای``
   is dropped;
4. light suffix stemming: plural and comparative endings (``ها``, ``های``, ``هایی``, ``ترین``,
   ``تر`` ...) are stripped until none is left, keeping a stem of at least two (three for
   ``تر``/``ترین``) letters.

All functions are pure; the per-word work is memoised because news text repeats its words a lot.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

from khabar.text import normalize

ZWNJ = "\u200c"
ZWJ = "\u200d"

# A surface word: letters, combining marks, decimal digits, ZWNJ/ZWJ and tatweel. ``_`` and
# punctuation separate words.
_WORD = regex.compile(r"[\p{L}\p{M}\p{Nd}\u200c\u200d\u0640]+")
# Words inside an already normalized, folded word (the normalizer may add spaces).
_SUBWORD = regex.compile(r"[\p{L}\p{M}\p{Nd}\u200c\u200d]+")

_FOLD_LETTERS = {
    "ي": "ی",  # Arabic yeh
    "ى": "ی",  # alef maksura
    "ې": "ی",
    "ێ": "ی",
    "ك": "ک",  # Arabic kaf
    "ڪ": "ک",
    "ة": "ه",  # teh marbuta
    "ۀ": "ه",  # heh with yeh above (ezafe)
    "ہ": "ه",
    "ھ": "ه",
    "ە": "ه",
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
    "ء": None,  # lone hamza: اجزاء / اجزا
    "\u0640": None,  # tatweel
    ZWJ: ZWNJ,
}
_FOLD = str.maketrans(_FOLD_LETTERS)

# Verb and adjective prefixes that are written joined, with ZWNJ, or with a plain space.
PREFIXES: frozenset[str] = frozenset({"می", "نمی", "بی"})
# Suffixes that are written joined, with ZWNJ, or with a plain space after the word.
SUFFIXES: frozenset[str] = frozenset(
    {
        "ها",
        "های",
        "هایی",
        "هایم",
        "هایت",
        "هایش",
        "هایمان",
        "هایتان",
        "هایشان",
        "تر",
        "ترین",
        "تری",
        "ترها",
        "اند",
        "ایم",
        "اید",
        "ام",
        "ات",
        "اش",
    }
)
# Ezafe and indefinite markers written as their own piece: not searchable on their own.
_DROP: frozenset[str] = frozenset({"ی", "ای"})

# Stemming suffixes, longest first, with the shortest stem each may leave.
_STEM_SUFFIXES: tuple[tuple[str, int], ...] = (
    ("هایشان", 2),
    ("هایتان", 2),
    ("هایمان", 2),
    ("هایش", 2),
    ("هایت", 2),
    ("هایم", 2),
    ("هایی", 2),
    ("های", 2),
    ("ها", 2),
    ("ترین", 3),
    ("تری", 3),
    ("تر", 3),
)
# Words whose ending only looks like a suffix.
_STEM_KEEP: frozenset[str] = frozenset({"تنها", "رها", "بها", "اژدها", "دفتر", "کبوتر", "چتر", "بستر", "اختر"})

# Horizontal gap allowed between a detached prefix/suffix and its word.
_JOIN_GAP = regex.compile(r"[ \t\u00a0\u200c\u200d\u202f]*")


@dataclass(frozen=True, slots=True)
class Token:
    """One search term and the span ``[start, end)`` of the original text it came from."""

    term: str
    start: int
    end: int


def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.decimal(ch))
    return ch


@lru_cache(maxsize=1 << 18)
def fold(word: str) -> str:
    """Fold one word for search: letter forms, digits, diacritics, case. ZWNJ is kept."""
    word = unicodedata.normalize("NFC", word).translate(_FOLD)
    out = []
    for ch in word:
        cat = unicodedata.category(ch)
        if cat == "Mn":  # harakat, shadda, superscript alef, hamza above ...
            continue
        out.append(_fold_char(ch) if cat == "Nd" else ch)
    return "".join(out).casefold()


@lru_cache(maxsize=1 << 18)
def stem(term: str) -> str:
    """Light suffix stemming (see the module doc). ``stem(stem(t)) == stem(t)``."""
    while term not in _STEM_KEEP:
        shorter = _strip_one(term)
        if shorter == term:
            break
        term = shorter
    return term


def _strip_one(term: str) -> str:
    # "...ههای" / "...های" after a heh is ambiguous: plural "ها+ی" (کتاب‌های -> کتابهای) or
    # indefinite "ای" after a word ending in heh (لحظه‌ای -> لحظهای). The commoner stem wins.
    if term.endswith("های") and len(term) >= 5 and term[-4] != "ه":
        plural, indefinite = term[:-3], term[:-2]
        if indefinite.endswith("ه") and _zipf(indefinite) > _zipf(plural):
            return indefinite
    for suffix, min_stem in _STEM_SUFFIXES:
        if term.endswith(suffix) and len(term) - len(suffix) >= min_stem:
            return term[: -len(suffix)]
    return term


@lru_cache(maxsize=1 << 16)
def _zipf(word: str) -> float:
    """How common ``word`` is in Persian (wordfreq's Zipf scale, 0 for unknown)."""
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "fa"))


@lru_cache(maxsize=1 << 18)
def _pieces(word: str) -> tuple[str, ...]:
    """Normalize and fold one surface word into its pieces (usually one), ZWNJ removed."""
    normalized = fold(normalize(word))
    pieces: list[str] = []
    for sub in _SUBWORD.findall(normalized):
        parts = [p for p in sub.split(ZWNJ) if p]
        while len(parts) > 1 and parts[-1] in _DROP:  # خانه‌ی / خانه‌ای
            parts.pop()
        if parts:
            pieces.append("".join(parts))
    return tuple(pieces)


def tokens(text: str) -> list[Token]:
    """Analyze ``text`` into tokens whose spans point into ``text`` itself."""
    raw: list[Token] = []
    for m in _WORD.finditer(text):
        for piece in _pieces(m.group()):
            raw.append(Token(piece, m.start(), m.end()))
    out: list[Token] = []
    i = 0
    n = len(raw)
    while i < n:
        tok = raw[i]
        if tok.term in _DROP:
            i += 1
            continue
        if (
            tok.term in PREFIXES
            and i + 1 < n
            and raw[i + 1].term not in _DROP
            and raw[i + 1].term not in SUFFIXES
            and _adjacent(text, tok, raw[i + 1])
        ):
            nxt = raw[i + 1]
            tok = Token(tok.term + nxt.term, tok.start, nxt.end)
            i += 1
        if (
            tok.term in SUFFIXES
            and out
            and out[-1].end <= tok.start
            and _adjacent(text, out[-1], tok)
            and out[-1].term not in PREFIXES
        ):
            prev = out.pop()
            # Re-stem from the joined surface: the previous term was already stemmed.
            out.append(Token(stem(prev.term + tok.term), prev.start, tok.end))
            i += 1
            continue
        out.append(Token(stem(tok.term), tok.start, tok.end))
        i += 1
    return out


def _adjacent(text: str, left: Token, right: Token) -> bool:
    if left.end >= right.start:  # pieces of one surface word
        return True
    return _JOIN_GAP.fullmatch(text, left.end, right.start) is not None


def analyze(text: str) -> list[str]:
    """The search terms of ``text``, in order. Used both for documents and for queries."""
    return [t.term for t in tokens(text)]
