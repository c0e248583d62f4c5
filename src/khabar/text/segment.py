"""Sentence and word segmentation."""

from __future__ import annotations


def persian_ratio(text: str) -> float:
    return 0.0


def sentence_spans(text: str) -> list[tuple[int, int]]:
    return []


def sentences(text: str) -> list[str]:
    return []


def word_spans(text: str) -> list[tuple[int, int]]:
    return []


def words(text: str) -> list[str]:
    return []
