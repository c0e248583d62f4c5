"""Synthetic corpora for tests and benchmarks of ``khabar pipeline run``.

Articles are random word sequences drawn from a caller's vocabulary (weighted), cut into
sentences, so independent articles share little text. Into that stream go, at known places,
exact copies (the same text with spacing and half-space variants), near copies (a sentence
added, a few words changed) and junk (English text, repeated lines, keyword lists, text too
short, binary bytes). The returned :class:`Truth` says which record ids are which, so tests can
check the pipeline against what was injected rather than against fixed output.
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

_ZWNJ = "\u200c"


@dataclass(frozen=True, slots=True)
class Truth:
    """Record ids by kind; ``copies`` maps a copy's id to the id of the article it copies."""

    originals: tuple[str, ...]
    exact: dict[str, str] = field(default_factory=dict)
    near: dict[str, str] = field(default_factory=dict)
    junk: dict[str, str] = field(default_factory=dict)  # id -> expected reason family
    paths: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.originals) + len(self.exact) + len(self.near) + len(self.junk)


def _sentence(rng: random.Random, vocab: Sequence[str], weights: Sequence[float] | None) -> str:
    """``weights`` are cumulative (as ``random.choices(cum_weights=...)`` takes them)."""
    n = rng.randint(10, 20)
    words = rng.choices(vocab, cum_weights=weights, k=n)
    return " ".join(words) + "."


def _article(rng: random.Random, vocab: Sequence[str], weights: Sequence[float] | None) -> list[str]:
    return [_sentence(rng, vocab, weights) for _ in range(rng.randint(6, 9))]  # 60+ words: over min_words


def _spacing_variant(text: str) -> str:
    """The same wording with half-spaces written as spaces and doubled blanks: an exact copy for matching."""
    return text.replace(_ZWNJ, " ").replace(" ", "  ", 3)


def _near_variant(
    rng: random.Random, lines: list[str], vocab: Sequence[str], weights: Sequence[float] | None
) -> list[str]:
    out = list(lines)
    out.append(_sentence(rng, vocab, weights))
    i = rng.randrange(len(out) - 1)
    words = out[i].split()
    words[rng.randrange(len(words))] = rng.choice(vocab)
    out[i] = " ".join(words)
    return out


_ENGLISH = (
    "The committee met on Tuesday to review the budget proposal and decided to postpone "
    "the vote until more information about the expected costs becomes available next month."
)


def _junk(kind: str, rng: random.Random, vocab: Sequence[str]) -> str:
    if kind == "language":
        return "\n".join([_ENGLISH] * 2 + [_ENGLISH.replace("Tuesday", "Friday")])
    if kind == "repetition":
        line = " ".join(rng.choices(vocab, k=12)) + "."
        return "\n".join([line] * 12 + [" ".join(rng.choices(vocab, k=14)) + "."])
    if kind == "too_short":
        return " ".join(rng.choices(vocab, k=9)) + "."
    raise ValueError(kind)


def build_corpus(
    outdir: str | Path,
    *,
    vocab: Sequence[str],
    weights: Sequence[float] | None = None,
    documents: int = 200,
    shards: int = 3,
    exact_rate: float = 0.1,
    near_rate: float = 0.1,
    junk_rate: float = 0.05,
    seed: int = 7,
) -> Truth:
    """Write ``shards`` JSON Lines files of about ``documents`` records into ``outdir``."""
    rng = random.Random(seed)
    if weights is not None:
        weights = list(itertools.accumulate(weights))  # once, not on every draw
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    originals: list[tuple[str, list[str]]] = []
    exact: dict[str, str] = {}
    near: dict[str, str] = {}
    junk: dict[str, str] = {}
    records: list[dict[str, str]] = []
    for i in range(documents):
        roll = rng.random()
        rid = f"d{i:07d}"
        if originals and roll < exact_rate:
            src_id, lines = rng.choice(originals)
            records.append({"id": rid, "text": _spacing_variant("\n".join(lines))})
            exact[rid] = src_id
        elif originals and roll < exact_rate + near_rate:
            src_id, lines = rng.choice(originals)
            records.append({"id": rid, "text": "\n".join(_near_variant(rng, lines, vocab, weights))})
            near[rid] = src_id
        elif roll < exact_rate + near_rate + junk_rate:
            kind = rng.choice(("language", "repetition", "too_short"))
            records.append({"id": rid, "text": _junk(kind, rng, vocab)})
            junk[rid] = kind
        else:
            lines = _article(rng, vocab, weights)
            originals.append((rid, lines))
            records.append({"id": rid, "text": "\n".join(lines)})
    per = -(-len(records) // shards)
    paths = []
    for s in range(shards):
        path = out / f"shard-{s:04d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for rec in records[s * per : (s + 1) * per]:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        paths.append(str(path))
    return Truth(tuple(r for r, _ in originals), exact, near, junk, tuple(paths))


def ud_vocabulary(conllu_paths: Sequence[str | Path]) -> tuple[list[str], list[float]]:
    """Word forms and their counts from CoNLL-U files (for benchmark corpora built at run time)."""
    counts: dict[str, int] = {}
    for p in conllu_paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                if not line or line[0] in "#\n":
                    continue
                cols = line.split("\t")
                if len(cols) > 3 and "-" not in cols[0] and "." not in cols[0] and cols[3] != "PUNCT":
                    counts[cols[1]] = counts.get(cols[1], 0) + 1
    words = sorted(counts)
    return words, [float(counts[w]) for w in words]
