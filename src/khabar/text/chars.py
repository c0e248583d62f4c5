"""Character classes and translate tables for Persian text.

Everything here is built once at import from ``unicodedata`` and plain literals; the tables are
read-only afterwards (``types.MappingProxyType`` where a dict is exposed).
"""

from __future__ import annotations

import unicodedata
from types import MappingProxyType

ZWNJ = "\u200c"
KASHIDA = "\u0640"

#: Letters of the Persian alphabet (plus hamza forms that Persian spelling uses).
PERSIAN_LETTERS = "ءآأؤإئابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیۀة"
#: Letters that do not connect to the following letter: a ZWNJ after them is invisible.
NON_JOINERS = frozenset("ءآأؤإادذرزژوۀة")
#: Letters that connect to the following letter.
JOINERS = frozenset(ch for ch in PERSIAN_LETTERS if ch not in NON_JOINERS)

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
LATIN_DIGITS = "0123456789"

#: Arabic harakat and other combining marks used over Arabic-script letters (not U+0654, hamza above,
#: which Persian uses as a letter part in ۀ and is kept).
DIACRITICS = (
    "".join(chr(c) for c in range(0x064B, 0x0654)) + "\u0655\u0656\u0657\u0658\u0659\u065a"
    "\u065b\u065c\u065d\u065e\u065f\u0670"
)

#: Format and bidi controls that carry no text (ZWNJ is handled separately and kept).
INVISIBLES = (
    "\u00ad\u200b\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063"
    "\u2064\u2066\u2067\u2068\u2069\ufeff\u061c"
)

#: Space-like characters that become a plain space (tab included; line breaks are not touched).
ODD_SPACES = (
    "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u000b\u000c"
)

_ARABIC_TO_PERSIAN = {
    "ي": "ی",
    "ى": "ی",
    "ې": "ی",
    "ۍ": "ی",
    "ێ": "ی",
    "ے": "ی",
    "ك": "ک",
    "ڪ": "ک",
    "ە": "ه",
    "ہ": "ه",
    "ۂ": "ۀ",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
}


def _base_letters(text: str) -> str:
    return "".join(_ARABIC_TO_PERSIAN.get(ch, ch) for ch in text)


def _presentation_forms() -> dict[int, str]:
    """Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) to their base letters via NFKC."""
    table: dict[int, str] = {}
    for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            # The isolated harakat forms (U+FE70..) decompose to "space + mark": keep only the mark.
            table[cp] = _base_letters(decomposed.strip() or decomposed)
    return table


def letter_table(*, keep_diacritics: bool, teh_marbuta: bool) -> dict[int, str | None]:
    """The translate table for letters, marks and invisible characters."""
    table: dict[int, str | None] = {}
    table.update(_presentation_forms())
    for src, dst in _ARABIC_TO_PERSIAN.items():
        table[ord(src)] = dst
    if teh_marbuta:
        table[ord("ة")] = "ه"
    table[ord(KASHIDA)] = None
    for ch in INVISIBLES:
        table[ord(ch)] = None
    for ch in ODD_SPACES:
        table[ord(ch)] = " "
    if not keep_diacritics:
        for ch in DIACRITICS:
            table[ord(ch)] = None
        # presentation forms that are only a mark (or tatweel + mark) vanish too
        for cp, val in list(table.items()):
            if val and all(c in DIACRITICS or c == KASHIDA or c == " " for c in val):
                table[cp] = None
    return table


def digit_table(target: str | None) -> dict[int, str]:
    """Digits of all three scripts to ``target`` ('fa', 'en' or 'ar'); None keeps Latin and Persian
    digits as written and only turns Arabic-Indic ones (which Persian readers see as foreign) Persian."""
    scripts = {"fa": PERSIAN_DIGITS, "en": LATIN_DIGITS, "ar": ARABIC_DIGITS}
    if target is None:
        return {ord(a): p for a, p in zip(ARABIC_DIGITS, PERSIAN_DIGITS, strict=True)}
    dst = scripts[target]
    table: dict[int, str] = {}
    for name, src in scripts.items():
        if name != target:
            table.update({ord(s): d for s, d in zip(src, dst, strict=True)})
    return table


ALL_DIGITS = PERSIAN_DIGITS + ARABIC_DIGITS + LATIN_DIGITS
PERSIAN_DIGIT_VALUES = MappingProxyType({d: i for i, d in enumerate(PERSIAN_DIGITS)})
