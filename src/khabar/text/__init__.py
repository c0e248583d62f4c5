"""khabar's Persian text engine: normalization and segmentation (pure functions, no I/O).

Public API: :class:`Policy`, :data:`DEFAULT`, :data:`SEARCH`, :func:`normalize`, :func:`sentences`,
:func:`sentence_spans`, :func:`words`, :func:`word_spans`, :func:`persian_ratio`.
"""

from __future__ import annotations

from khabar.text.normalize import DEFAULT, SEARCH, Policy, normalize
from khabar.text.segment import persian_ratio, sentence_spans, sentences, word_spans, words

__all__ = [
    "DEFAULT",
    "SEARCH",
    "Policy",
    "normalize",
    "persian_ratio",
    "sentence_spans",
    "sentences",
    "word_spans",
    "words",
]
