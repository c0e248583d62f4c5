"""Highlighted, HTML-escaped snippets cut from the ORIGINAL text of a document."""

from __future__ import annotations

import html
from collections.abc import Collection

import regex

from khabar.search.analyze import Token, tokens

_WS = regex.compile(r"\s+")
ELLIPSIS = "…"


def _esc(text: str) -> str:
    return html.escape(_WS.sub(" ", text), quote=True)


def highlight(text: str, terms: Collection[str]) -> str:
    """All of ``text``, HTML-escaped, with words whose term is in ``terms`` inside ``<mark>``."""
    return _render(text, tokens(text), 0, len(text), terms)


def snippet(text: str, terms: Collection[str], *, words: int = 30, max_chars: int = 320) -> str:
    """A window of about ``words`` words of ``text`` holding the most distinct query terms,
    HTML-escaped, matched words inside ``<mark>``, ``…`` where text was cut."""
    toks = tokens(text)
    if not toks:
        return _esc(text[:max_chars]).strip()
    best_i, best_key = 0, (0, 0)
    if terms:
        # Slide a window of ``words`` tokens; score = (distinct terms, total hits).
        counts: dict[str, int] = {}
        hits = 0
        for j, tok in enumerate(toks):
            if tok.term in terms:
                counts[tok.term] = counts.get(tok.term, 0) + 1
                hits += 1
            i = j - words + 1
            if i > 0:
                old = toks[i - 1]
                if old.term in terms:
                    counts[old.term] -= 1
                    hits -= 1
                    if not counts[old.term]:
                        del counts[old.term]
            key = (len(counts), hits)
            if key > best_key:
                best_key, best_i = key, max(i, 0)
        if best_key[0]:
            # Start a few words before the window's first hit, for context.
            first = next(k for k in range(best_i, len(toks)) if toks[k].term in terms)
            best_i = max(0, first - 3)
    window = toks[best_i : best_i + words]
    start = window[0].start if best_i else 0
    end = window[-1].end if best_i + words < len(toks) else len(text.rstrip())
    if end - start > max_chars:
        end = max(window[0].end, start + max_chars)
    out = _render(text, window, start, end, terms).strip()
    if start > 0:
        out = ELLIPSIS + " " + out
    if end < len(text.rstrip()):
        out = out + " " + ELLIPSIS
    return out


def _render(text: str, toks: list[Token], start: int, end: int, terms: Collection[str]) -> str:
    parts: list[str] = []
    pos = start
    for tok in toks:
        if tok.term not in terms or tok.start < pos or tok.end > end:
            continue
        parts.append(_esc(text[pos : tok.start]))
        parts.append("<mark>" + _esc(text[tok.start : tok.end]) + "</mark>")
        pos = tok.end
    parts.append(_esc(text[pos:end]))
    return "".join(parts)
