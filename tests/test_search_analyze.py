"""The search analyzer: spelling variants meet as one term, and query parsing is safe."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.search import analyze, parse_query, stem, tokens

ZWNJ = "\u200c"


@pytest.mark.parametrize(
    "variants",
    [
        ("می‌شود", "می شود", "ميشود", "میشود"),
        ("کتاب‌ها", "کتاب ها", "کتابها", "كتابها", "کتاب"),
        ("کتاب‌های", "کتاب های", "کتابهای"),
        ("بزرگ‌ترین", "بزرگ ترین", "بزرگترين", "بزرگ"),
        ("نمی‌دانم", "نمی دانم", "نميدانم"),
        ("۱۴۰۳", "١٤٠٣", "1403"),
        ("مُحَمَّد", "محمد", "محمـــد"),
        ("خانهٔ", "خانه‌ی", "خانه ی", "خانه"),
        ("لحظه‌ای", "لحظهای", "لحظه"),
        ("Tehran", "TEHRAN", "tehran"),
    ],
)
def test_spelling_variants_give_one_analysis(variants):
    analyses = {tuple(analyze(v)) for v in variants}
    assert len(analyses) == 1, analyses
    assert len(analyses.pop()) == 1


def test_distinct_words_stay_distinct():
    assert analyze("کتاب") != analyze("کتابخانه")
    assert analyze("تنها") == ["تنها"]  # not the plural of تن
    assert analyze("دفتر") == ["دفتر"]  # not a comparative
    assert analyze("کتاب‌ها و دفترها") == ["کتاب", "و", "دفتر"]


def test_tokens_point_into_the_original_text():
    text = "امروز  كتاب ها را «می شود» خرید؛ سال ۱۴۰۳."
    toks = tokens(text)
    assert [t.term for t in toks] == ["امروز", "کتاب", "را", "میشود", "خرید", "سال", "1403"]
    assert text[toks[1].start : toks[1].end] == "كتاب ها"
    assert text[toks[3].start : toks[3].end] == "می شود"
    assert text[toks[-1].start : toks[-1].end] == "۱۴۰۳"


def test_prefix_does_not_join_across_punctuation():
    assert analyze("می، شود") == ["می", "شود"]
    assert analyze("کتاب. ها") != analyze("کتاب ها")


def test_empty_and_non_persian_text():
    assert analyze("") == []
    assert analyze("  \n\t،؛.!?") == []
    assert analyze("a_b-c") == ["a", "b", "c"]
    assert analyze("\x00\x01\ufffd") == []


@given(st.text(max_size=40))
@settings(max_examples=150, deadline=None)
def test_stemming_is_idempotent(text):
    for term in analyze(text):
        assert stem(term) == term


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None)
def test_any_query_parses(text):
    parsed = parse_query(text)
    if not parsed.empty:
        expr = parsed.fts5()
        # Every term is a quoted string of letters/digits: no FTS5 syntax can come from the user.
        assert expr.count('"') % 2 == 0
    else:
        with pytest.raises(ValueError):
            parsed.fts5()


def test_query_syntax():
    q = parse_query('کتابها «سال نو» -ایران -"می شود"')
    assert q.terms == ("کتاب",)
    assert q.phrases == (("سال", "نو"),)
    assert q.excluded == (("ایران",), ("میشود",))
    assert parse_query("می شود").terms == ("میشود",)
    assert parse_query('"کتاب').terms == ("کتاب",)  # unbalanced quote: one word is a term
    assert parse_query("-تنها").empty
    assert parse_query('NEAR(a b) OR "').terms == ("near", "a", "b", "or")


def test_long_queries_are_truncated():
    q = parse_query(" ".join(f"واژه{i}" for i in range(100)))
    assert q.truncated and len(q.terms) == 32
