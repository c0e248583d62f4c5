"""Search query syntax.

* plain words: all must match (after analysis, so spelling variants are the same word);
* ``"..."`` or ``«...»``: a phrase, its words in this order and next to each other;
* ``-word`` or ``-"..."``: exclude documents with that word or phrase.

Anything else (FTS5 operators, brackets, stars, unbalanced quotes) is plain text to the parser: it
never reaches the engine as syntax. A query with no searchable word parses to an empty query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

import regex

from khabar.search.analyze import analyze, stem, tokens

MAX_TERMS = 32
_T = TypeVar("_T")

# A phrase in ASCII or Persian quotes (unbalanced quotes run to the end), or a negated word.
_SPECIAL = regex.compile(r'(?<!\S)(-?)(?:"([^"]*)"?|«([^»]*)»?)|(?<!\S)-(\S+)')


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The analyzed parts of a query. ``terms`` and ``phrases`` must match, ``excluded`` must not."""

    terms: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    truncated: bool = False
    # (a, b, ab): neighbouring free words that may be one compound written with a space in the
    # query (``حذف شده``) but with ZWNJ in the text (``حذف‌شده`` -> ``حذفشده``).
    joins: tuple[tuple[str, str, str], ...] = ()

    @property
    def empty(self) -> bool:
        """True when nothing positive is left to search for."""
        return not self.terms and not self.phrases

    @property
    def highlight(self) -> frozenset[str]:
        """Terms to mark in snippets."""
        marks = set(self.terms).union(*self.phrases)
        marks.update(j for _, _, j in self.joins)
        return frozenset(marks)

    def fts5(self) -> str:
        """This query as an FTS5 MATCH expression; every term is quoted, so no syntax leaks in."""
        if self.empty:
            raise ValueError("empty query has no FTS5 form")
        return self._expression(_FTS5)

    def tsquery(self) -> str:
        """This query as PostgreSQL ``to_tsquery`` text with the same meaning as ``fts5()``: free
        words ANDed (``&``), a space-written compound as ``((a & b) | ab)``, a phrase as
        ``a <-> b``, an exclusion as ``& !(...)``. Every term is a quoted, escaped lexeme, so no
        tsquery syntax leaks in; the text goes to the server as a parameter, never into SQL."""
        if self.empty:
            raise ValueError("empty query has no tsquery form")
        return self._expression(_TSQUERY)

    def _expression(self, syntax: _Syntax) -> str:
        """The query in one engine's syntax: free words ANDed, a space-written compound as
        either its two words or the joined word, phrases ANDed, exclusions last."""
        term, phrase, and_, or_, not_ = syntax
        pairs = {(a, b): ab for a, b, ab in self.joins}
        parts: list[str] = []
        i = 0
        while i < len(self.terms):
            t = self.terms[i]
            ab = pairs.get((t, self.terms[i + 1])) if i + 1 < len(self.terms) else None
            if ab is not None:
                parts.append(f"(({term(t)}{and_}{term(self.terms[i + 1])}){or_}{term(ab)})")
                i += 2
            else:
                parts.append(term(t))
                i += 1
        parts.extend(phrase(p) for p in self.phrases)
        expr = and_.join(parts)
        for ex in self.excluded:
            expr += not_ + phrase(ex)
        return expr


def _lexeme(term: str) -> str:
    """``term`` as a quoted tsquery operand: backslash and quote escaped."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _ts_phrase(words: tuple[str, ...]) -> str:
    return "(" + " <-> ".join(_lexeme(w) for w in words) + ")"


#: How one engine writes a term, a phrase, AND, OR and AND NOT.
_Syntax = tuple[Callable[[str], str], Callable[[tuple[str, ...]], str], str, str, str]
_FTS5: _Syntax = (lambda t: f'"{t}"', lambda p: '"' + " ".join(p) + '"', " AND ", " OR ", " NOT ")
_TSQUERY: _Syntax = (_lexeme, _ts_phrase, " & ", " | ", " & !")


def parse_query(query: str) -> ParsedQuery:
    """Parse a user's query; never raises for any string."""
    free: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    pos = 0
    for m in _SPECIAL.finditer(query):
        free.append(query[pos : m.start()])
        pos = m.end()
        neg_phrase, quoted, guillemets, neg_word = m.groups()
        if neg_word is not None:
            words = tuple(analyze(neg_word))
            if words:
                excluded.append(words)
            continue
        words = tuple(analyze(quoted if quoted is not None else guillemets or ""))
        if not words:
            continue
        if neg_phrase:
            excluded.append(words)
        elif len(words) == 1:
            free.append(" " + words[0] + " ")
        else:
            phrases.append(words)
    free.append(query[pos:])
    # Free segments are analyzed as running text (so ``می شود`` joins), but never joined across
    # a phrase that stood between them.
    raw_terms: list[str] = []
    joins: list[tuple[str, str, str]] = []
    for segment in free:
        toks = tokens(segment)
        raw_terms.extend(t.term for t in toks)
        for left, right in pairwise(toks):
            if not segment[left.end : right.start].strip():
                joins.append((left.term, right.term, stem(left.term + right.term)))
    terms = _dedupe(raw_terms)
    total = len(terms) + sum(len(p) for p in phrases) + sum(len(e) for e in excluded)
    truncated = total > MAX_TERMS
    if truncated:
        terms = terms[:MAX_TERMS]
        budget = MAX_TERMS - len(terms)
        kept: list[tuple[str, ...]] = []
        for p in phrases:
            if len(p) <= budget:
                kept.append(p)
                budget -= len(p)
        phrases = kept
        excluded = [e for e in excluded if len(e) <= budget][:budget]
    return ParsedQuery(
        tuple(terms), tuple(_dedupe(phrases)), tuple(_dedupe(excluded)), truncated, tuple(_dedupe(joins))
    )


def _dedupe(items: list[_T]) -> list[_T]:
    seen: set[_T] = set()
    out = []
    for item in items:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out
