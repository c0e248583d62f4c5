"""Pure functions that turn article text into matching keys.

Everything here is deterministic and free of I/O, so a distributed pipeline can compute
signatures and LSH band keys on any worker and group by band key instead of using the
in-memory index.

The pipeline for one text:

1. ``khabar.text.normalize`` (only on texts where it would change the result, see
   ``_normalizer_sensitive``) and then a harder *matching* normalization: Arabic letter forms
   and Persian/Arabic-Indic digits are unified, diacritics and tatweel dropped, and every
   space, ZWNJ and punctuation mark removed. ``می‌شود``, ``می شود`` and ``میشود`` all become
   ``میشود``, so spelling variants do not break shingles.
2. Character ``k``-grams of that string, hashed to 64 bits with a vectorised polynomial hash.
3. A MinHash signature (``num_perm`` 32-bit values) computed by rensa from the hash buffer.
4. LSH band keys: the signature split into ``bands`` bands of ``rows`` values, each band hashed
   to one 64-bit key that also encodes the band number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from khabar.text import Policy, normalize

# Arabic-script forms that Persian outlets mix up, folded to one letter for matching only, plus
# Arabic-Indic digits, harakat and tatweel. Rare after ``normalize``, so the (slow) translate only
# runs when one of them is present.
_RARE_FOLD: dict[int, str | None] = {
    ord("ى"): "ی",
    **{ord(a): "ه" for a in "ۀة"},
    **{ord(a): "ا" for a in "إٱ"},
    **{0x0660 + i: str(i) for i in range(10)},  # Arabic-Indic digits
    **dict.fromkeys(c for c in range(0x064B, 0x0660) if c != 0x0654),  # harakat and other marks
    **dict.fromkeys(map(ord, "\u0670\u0640")),  # superscript alef, tatweel
}
_RARE = re.compile("[" + "".join(chr(c) for c in _RARE_FOLD) + "]")
# Common characters handled by a chain of str.replace (fast when absent, fast when present).
_COMMON: tuple[tuple[str, str], ...] = (
    ("ي", "ی"),
    ("ك", "ک"),
    ("آ", "ا"),
    ("أ", "ا"),
    ("ئ", "ی"),
    ("ؤ", "و"),
    ("\u0654", ""),  # hamza above, as in the ezafe of «خانهٔ»
    *((chr(0x06F0 + i), str(i)) for i in range(10)),  # Persian digits
    *((c, "") for c in '\u200c\u200d.,،؛:«»()"-؟!/'),
)
# Whatever is left that is neither a letter nor a digit.
_DROP = re.compile(r"[\W_]+")
# What matching needs from khabar's normalizer: letters, marks and invisibles; digits, ZWNJs,
# punctuation and spacing are dropped or unified here anyway.
MATCH_POLICY = Policy(digits=None, teh_marbuta=True, halfspaces=False, punctuation=False, spacing=False)


@dataclass(frozen=True, slots=True)
class Params:
    """Matching parameters. An index remembers them; signatures made with other params do not mix."""

    k: int = 5  # character shingle length, on the space-free matching string
    num_perm: int = 128  # MinHash permutations (all used for verification)
    bands: int = 32  # LSH bands
    rows: int = 3  # signature values per band (bands * rows <= num_perm)
    seed: int = 1405
    min_shingles: int = 40  # shorter texts are matched by exact hash only
    containment: float = 0.5  # verification: estimated share of the shorter text found in the other
    z: float = 1.0  # verification uses the Jaccard estimate minus z standard errors
    text_normalize: bool = True  # run khabar.text.normalize before the matching folds

    def __post_init__(self) -> None:
        if self.k < 1 or self.num_perm < 1 or self.bands < 1 or self.rows < 1:
            raise ValueError("k, num_perm, bands and rows must be positive")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands*rows ({self.bands * self.rows}) exceeds num_perm ({self.num_perm})")
        if not 0.0 < self.containment <= 1.0:
            raise ValueError("containment must be in (0, 1]")

    def describe(self) -> str:
        return (
            f"k={self.k} num_perm={self.num_perm} bands={self.bands} rows={self.rows} "
            f"seed={self.seed} min_shingles={self.min_shingles} containment={self.containment} z={self.z} "
            f"text_normalize={self.text_normalize}"
        )


DEFAULT_PARAMS = Params()


# Unicode ranges probed for characters that khabar's normalizer changes (Arabic script blocks and
# their presentation forms, Latin-1 and general punctuation, spaces and invisible format marks).
_PROBE_RANGES = ((0x0080, 0x02FF), (0x0600, 0x08FF), (0x2000, 0x206F), (0xFB50, 0xFDFF), (0xFE00, 0xFEFF))


def _fold(text: str) -> str:
    if _RARE.search(text):
        text = text.translate(_RARE_FOLD)
    for old, new in _COMMON:
        if old in text:
            text = text.replace(old, new)
    text = "".join(text.split())
    if not text.isalnum():
        text = _DROP.sub("", text)
    return text.casefold()


@lru_cache(maxsize=1)
def _normalizer_sensitive() -> re.Pattern[str]:
    """Characters on which ``normalize(., MATCH_POLICY)`` changes the matching string.

    Found once per process by probing every character of ``_PROBE_RANGES`` between Persian
    letters. Texts with none of them skip the normalizer: its result could not differ.
    """
    found = []
    for lo, hi in _PROBE_RANGES:
        for code in range(lo, hi + 1):
            probe = f"کتاب{chr(code)}ها و {chr(code)} ی{chr(code)}"
            if _fold(normalize(probe, MATCH_POLICY)) != _fold(probe):
                found.append(chr(code))
    return re.compile("[" + "".join(re.escape(c) for c in found) + "]" if found else r"(?!)")


def matching_text(text: str, use_normalize: bool = True) -> str:
    """The aggressive, space-free form of ``text`` that shingles and exact hashes are taken from.

    ``khabar.text.normalize`` (with ``MATCH_POLICY``) runs first when the text holds a character
    it would change for matching (see ``_normalizer_sensitive``); ``use_normalize=False`` never
    runs it and relies on the folding here alone.
    """
    if use_normalize and _normalizer_sensitive().search(text):
        text = normalize(text, MATCH_POLICY)
    return _fold(text)


def exact_key(matching: str) -> bytes:
    """A 16-byte hash of a matching string: equal keys mean the same text up to spelling."""
    return hashlib.blake2b(matching.encode("utf-8"), digest_size=16).digest()


def _multipliers(k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.integers(1, 2**63, size=k, dtype=np.uint64) * np.uint64(2) + np.uint64(1)


def shingle_hashes_flat(
    matching: Sequence[str], k: int, seed: int = DEFAULT_PARAMS.seed
) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character ``k``-gram of each string, as one flat buffer.

    Returns ``(hashes, offsets)``: the k-grams of string ``i`` are ``hashes[offsets[i]:offsets[i+1]]``.
    Strings shorter than ``k`` get no k-grams. Repeated k-grams are kept (MinHash ignores them).
    """
    lengths = np.fromiter((len(s) for s in matching), dtype=np.int64, count=len(matching))
    counts = np.maximum(lengths - k + 1, 0)
    offsets = np.zeros(len(matching) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    joined = "".join(matching)
    if not joined:
        return np.zeros(0, dtype=np.uint64), offsets
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = codes.size - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64), offsets
    mult = _multipliers(k, seed)
    with np.errstate(over="ignore"):
        h = codes[:n] * mult[0]
        tmp = np.empty_like(h)
        for j in range(1, k):
            np.multiply(codes[j : j + n], mult[j], out=tmp)
            h += tmp
        # one xor-shift-multiply round so that high and low bits are both well mixed
        np.right_shift(h, np.uint64(31), out=tmp)
        h ^= tmp
        h *= np.uint64(0xBF58476D1CE4E5B9)
        np.right_shift(h, np.uint64(29), out=tmp)
        h ^= tmp
    # drop k-grams that run over the end of their string: they start in the last k-1 positions
    ends = np.cumsum(lengths)
    cross = (ends[:, None] - np.arange(1, k, dtype=np.int64)[None, :]).ravel()
    keep = np.ones(n + k - 1, dtype=bool)
    keep[cross[cross >= 0]] = False
    return h[keep[:n]], offsets


def signatures(
    matching: Sequence[str], params: Params = DEFAULT_PARAMS, engine: str = "rensa"
) -> tuple[np.ndarray, np.ndarray]:
    """MinHash signatures of matching strings.

    Returns ``(sigs, sizes)``: ``sigs`` is ``(n, num_perm)`` ``uint32``; ``sizes[i]`` is the number
    of k-grams of string ``i`` (0 means too short to sign: its row is all ``0xFFFFFFFF``).
    ``engine`` is ``"rensa"`` (default, Rust) or ``"datasketch"`` (pure numpy, for comparison);
    the two give different signatures, so an index must stick to one.
    """
    hashes, offsets = shingle_hashes_flat(matching, params.k, params.seed)
    sizes = np.diff(offsets).astype(np.int64)
    if len(matching) == 0:
        return np.zeros((0, params.num_perm), dtype=np.uint32), sizes
    if engine == "rensa":
        import rensa

        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            hashes, offsets, num_perm=params.num_perm, seed=params.seed
        )
        sigs = np.array(matrix.to_rows(), dtype=np.uint32)
    elif engine == "datasketch":
        from datasketch import MinHash

        sigs = np.full((len(matching), params.num_perm), 0xFFFFFFFF, dtype=np.uint32)
        h32 = (hashes >> np.uint64(32)).tolist()
        for i in range(len(matching)):
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            if hi > lo:
                m = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=int)
                m.update_batch(h32[lo:hi])
                sigs[i] = m.hashvalues.astype(np.uint32)
    else:
        raise ValueError(f"unknown MinHash engine {engine!r} (use 'rensa' or 'datasketch')")
    return sigs, sizes


def band_keys(sigs: np.ndarray, params: Params = DEFAULT_PARAMS) -> np.ndarray:
    """LSH band keys, ``(n, bands)`` ``int64``: two rows share a key only if they agree on a whole band.

    Key ``j`` of a row hashes band ``j``'s values together with ``j`` itself, so keys of different
    bands never collide by construction of the input and one flat table can hold all bands.
    """
    n = sigs.shape[0]
    used = sigs[:, : params.bands * params.rows].astype(np.uint64).reshape(n, params.bands, params.rows)
    mult = _multipliers(params.rows + 1, params.seed + 1)
    with np.errstate(over="ignore"):
        h = np.arange(params.bands, dtype=np.uint64)[None, :] * mult[params.rows]
        h = np.broadcast_to(h, (n, params.bands)).copy()
        for j in range(params.rows):
            h += used[:, :, j] * mult[j]
            h ^= h >> np.uint64(29)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    return (h >> np.uint64(1)).astype(np.int64)  # 63 bits: fits an SQLite INTEGER


def jaccard(sig_a: np.ndarray, sigs_b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of one signature against each row of ``sigs_b``."""
    return (sigs_b == sig_a[None, :]).mean(axis=1)


def jaccard_rows(sigs_a: np.ndarray, sigs_b: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of row ``i`` of ``sigs_a`` with row ``i`` of ``sigs_b`` (pairs)."""
    return (sigs_a == sigs_b).mean(axis=1)


def containment(
    j: np.ndarray | float, size_a: np.ndarray | int, sizes_b: np.ndarray | int, num_perm: int = 0, z: float = 0.0
) -> np.ndarray:
    """Estimated share of the smaller k-gram set that the other contains, from Jaccard and sizes.

    With ``|A∩B| = J (|A| + |B|) / (1 + J)``; clipped to ``[0, 1]``. With ``num_perm`` and ``z``,
    ``J`` is first lowered by ``z`` standard errors of a ``num_perm`` MinHash estimate, so that a
    few chance collisions between a short and a long text do not read as containment.
    """
    j_arr = np.asarray(j, dtype=np.float64)
    if num_perm and z:
        j_arr = np.maximum(j_arr - z * np.sqrt(j_arr * (1.0 - j_arr) / num_perm), 0.0)
    sb = np.asarray(sizes_b, dtype=np.float64)
    inter = j_arr * (size_a + sb) / (1.0 + j_arr)
    smaller = np.maximum(np.minimum(np.asarray(size_a, dtype=np.float64), sb), 1.0)
    return np.clip(inter / smaller, 0.0, 1.0)
