"""Quality signals and filters for Persian web text."""

from __future__ import annotations

import json

import pytest

from khabar.errors import InputError
from khabar.quality import REASONS, QualityConfig, judge, quality_signals

PROSE = [
    "شورای شهر در نشست امروز خود بودجه تازه‌ای را برای ساخت سه کتابخانه محله‌ای تصویب کرد.",
    "به گفته رئیس شورا، کار ساخت نخستین کتابخانه از ماه آینده در محله‌های جنوبی آغاز می‌شود.",
    "او افزود که هزینه این طرح از محل فروش زمین‌های بلااستفاده شهرداری تامین خواهد شد.",
    "برخی از اعضای شورا با این روش مخالف بودند و پیشنهاد کردند که از کمک‌های مردمی هم استفاده شود.",
    "در پایان جلسه قرار شد گزارش پیشرفت کار هر سه ماه یک بار به شورا داده شود.",
    "ساکنان محله نیز از این تصمیم استقبال کردند و گفتند که نوجوانان جایی برای مطالعه ندارند.",
]


def test_clean_prose_passes_every_rule():
    s = quality_signals(PROSE)
    assert judge(s, "fa", QualityConfig()) is None
    assert s["persian_ratio"] > 0.95
    assert 0.15 < s["stopword_ratio"] < 0.6
    assert s["dup_line_fraction"] == 0 and s["dup_5gram_fraction"] == 0


def test_repeated_lines_are_measured_and_filtered():
    lines = PROSE[:2] + [PROSE[0]] * 3
    s = quality_signals(lines)
    assert s["dup_line_fraction"] == pytest.approx(3 / 5)
    assert s["dup_line_char_fraction"] > 0.5
    assert judge(s, "fa", QualityConfig()).reason == "repeated_lines"
    # with line rules relaxed, the n-gram rules still catch the same text
    relaxed = QualityConfig(max_dup_line_fraction=1, max_dup_line_char_fraction=1)
    assert judge(s, "fa", relaxed).reason in ("top_ngram", "duplicate_ngrams")


def test_repeated_ngrams_inside_one_line():
    spam = " ".join(["خرید گوشی ارزان"] * 25)
    s = quality_signals([spam, *PROSE[:3]])
    assert s["top_2gram_fraction"] > 0.2
    assert s["dup_10gram_fraction"] > 0.5
    assert judge(s, "fa", QualityConfig()).reason == "top_ngram"


def test_keyword_lists_have_few_stop_words():
    keywords = [
        "اخبار ورزشی فوتبال والیبال کشتی وزنه‌برداری تکواندو شنا دوچرخه‌سواری اسکی بسکتبال هندبال "
        "کاراته جودو تنیس بدمینتون ژیمناستیک قایقرانی تیراندازی سوارکاری چوگان کوهنوردی صخره‌نوردی "
        "ووشو کبدی اسکواش گلف شطرنج بیلیارد بولینگ پینت‌بال دارت هاکی راگبی کریکت بیسبال سافتبال "
        "کیک‌بوکسینگ موی‌تای سامبو جوجیتسو آیکیدو کندو فوتسال ساحلی هاکی‌روی‌یخ اسنوبرد پاراگلایدر"
    ]
    s = quality_signals(keywords)
    assert s["stopword_ratio"] < 0.08
    assert judge(s, "fa", QualityConfig(min_words=20)).reason == "stopwords"


def test_language_letters_length_and_boilerplate_rules():
    s = quality_signals(PROSE)
    assert judge(s, "ar", QualityConfig()).reason == "language"
    assert judge(s, "ar", QualityConfig(languages=("fa", "ar"))) is None
    assert judge(s, "fa", QualityConfig(min_words=1000)).reason == "too_short"
    assert judge(s, "fa", QualityConfig(max_words=20)).reason == "too_long"
    latin = quality_signals(["Tehran city council " * 5 + " ".join(PROSE[:1])])
    assert latin["persian_ratio"] < 0.5
    assert judge(latin, "fa", QualityConfig()).reason == "persian_ratio"
    page = quality_signals(PROSE, page={"boilerplate_fraction": 0.95, "repeated_line_fraction": 0.1})
    assert page["boilerplate_fraction"] == 0.95
    assert judge(page, "fa", QualityConfig()).reason == "boilerplate"
    assert judge(page, "fa", QualityConfig(enabled=False)) is None


def test_empty_text_has_zero_signals_and_is_too_short():
    s = quality_signals([])
    assert s["words"] == 0 and s["stopword_ratio"] == 0
    assert judge(s, "fa", QualityConfig(min_persian_ratio=0)).reason == "too_short"


def test_reasons_cover_every_verdict():
    configs = [QualityConfig(), QualityConfig(min_words=1000), QualityConfig(min_stopword_ratio=0.99)]
    for cfg in configs:
        v = judge(quality_signals(PROSE[:1] * 3), "fa", cfg)
        assert v is not None and v.reason in REASONS and v.detail


def test_config_from_json_file(tmp_path):
    path = tmp_path / "q.json"
    path.write_text(
        json.dumps({"min_words": 10, "languages": ["fa", "ar"], "max_top_ngram_fraction": {"2": 0.5}, "enabled": True})
    )
    cfg = QualityConfig.from_file(path)
    assert cfg.min_words == 10 and cfg.languages == ("fa", "ar") and cfg.max_top_ngram_fraction == ((2, 0.5),)
    assert QualityConfig.from_mapping(cfg.to_dict()) == cfg
    for bad, message in [
        ({"min_words": "ten"}, "must be a number"),
        ({"languages": "fa"}, "list"),
        ({"max_top_ngram_fraction": {"x": 1}}, "n-gram sizes"),
        ({"nope": 1}, "unknown"),
    ]:
        path.write_text(json.dumps(bad))
        with pytest.raises(InputError, match=message):
            QualityConfig.from_file(path)
    path.write_text("[1, 2")
    with pytest.raises(InputError, match=r"q\.json"):
        QualityConfig.from_file(path)
