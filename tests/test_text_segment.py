"""khabar.text sentences/words and their spans, on text written for these tests."""

from __future__ import annotations

from khabar.text import persian_ratio, sentence_spans, sentences, word_spans, words

Z = "\u200c"


def test_sentences_end_at_marks_and_line_breaks() -> None:
    text = "باران آمد. هوا سرد شد! آیا می‌آیی؟ شاید…\nفردا هم روز است"
    assert sentences(text) == ["باران آمد.", "هوا سرد شد!", "آیا می‌آیی؟", "شاید…", "فردا هم روز است"]


def test_sentences_not_split_inside_numbers_urls_initials_brackets() -> None:
    text = (
        "نرخ 3.5 درصد شد. نشانی www.khabar.ir/a.html است. دکتر ع. رضایی آمد. "
        "او (در ساعت 12.30. یا بعد) رفت. گفت: «تمام شد.» و رفت."
    )
    assert sentences(text) == [
        "نرخ 3.5 درصد شد.",
        "نشانی www.khabar.ir/a.html است.",
        "دکتر ع. رضایی آمد.",
        "او (در ساعت 12.30. یا بعد) رفت.",
        "گفت: «تمام شد.»",
        "و رفت.",
    ]


def test_sentence_spans_index_the_input() -> None:
    text = "  یک جمله.  دو جمله!\n\nسه"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["یک جمله.", "دو جمله!", "سه"]


def test_words_keep_units_whole() -> None:
    text = f"آنها می{Z}شوند، 58,000 و 3.5 و ۱۳۹۴/۰۲/۰۸ ساعت 12:30 https://x.org/a?b=1 ali@x.org #خبر @user 😀 COVID-19."
    assert words(text) == [
        "آنها",
        f"می{Z}شوند",
        "،",
        "58,000",
        "و",
        "3.5",
        "و",
        "۱۳۹۴/۰۲/۰۸",
        "ساعت",
        "12:30",
        "https://x.org/a?b=1",
        "ali@x.org",
        "#خبر",
        "@user",
        "😀",
        "COVID-19",
        ".",
    ]
    assert [text[a:b] for a, b in word_spans(text)] == words(text)


def test_persian_ratio() -> None:
    assert persian_ratio("سلام") == 1.0
    assert persian_ratio("hello") == 0.0
    assert persian_ratio("") == 0.0
    assert 0.4 < persian_ratio("سلام abcd") < 0.6


def test_dateline_is_its_own_sentence() -> None:
    text = "جلسه تمام شد. مشهد - خبرگزاری ما: باران شدید امروز آمد. تبریز - خبرنگار: هوا سرد است."
    assert sentences(text) == [
        "جلسه تمام شد.",
        "مشهد - خبرگزاری ما:",
        "باران شدید امروز آمد.",
        "تبریز - خبرنگار:",
        "هوا سرد است.",
    ]
    # a colon inside a sentence is no dateline
    assert sentences("او گفت: همه - یا بیشتر - آمدند.") == ["او گفت: همه - یا بیشتر - آمدند."]


def test_mirrored_brackets_do_not_hide_sentence_ends() -> None:
    # brackets written mirrored (a closer before its opener) say nothing about where sentences go on
    text = "امام) ع (به شهر رسید. مردم آمدند. سپس امام) ع (رفت."
    assert sentences(text) == ["امام) ع (به شهر رسید.", "مردم آمدند.", "سپس امام) ع (رفت."]


def test_question_and_exclamation_marks_are_tokens_of_their_own() -> None:
    assert words("واقعاً؟! نه...") == ["واقعاً", "؟", "!", "نه", "..."]
