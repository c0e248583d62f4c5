"""khabar.text.wordlist (the mnk-persian-words membership lists) and the half-space rules that use
them; own test words."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.text import normalize
from khabar.text.wordlist import (
    FILTER_VERSION,
    WordList,
    cache_path,
    derive,
    keep,
    load,
    load_wordlist,
    package_version,
    save,
    wordlist,
)

Z = "\u200c"


@pytest.mark.parametrize(
    ("word", "kept"),
    [
        (f"میوه{Z}فروش", True),
        (f"آینه{Z}کاری{Z}ها", True),
        (f"به{Z}سختی", False),  # a preposition glued by a ZWNJ: a phrase, not a compound
        (f"که{Z}گفت", False),
        (f"دیوار{Z}کش", False),  # a ZWNJ after ر is invisible: noise
        (f"ک{Z}تاب", False),  # a one-letter piece
        (f"گلدان{Z}ی", False),  # a stray ی
        (f"رفته{Z}است", False),  # the verb است is a word of its own
        ("کتاب", False),  # no ZWNJ at all
    ],
)
def test_keep_filters_noise(word: str, kept: bool) -> None:
    assert keep(word) is kept


def test_derive_builds_membership_sets() -> None:
    rows = [
        (f"میوه{Z}فروش", 1),
        (f"میوه{Z}فروشی", 1),
        (f"لانه{Z}سازی", 0),  # not clean: skipped
        ("میوه", 1),
        ("فروش", 1),
        ("سختی", 1),
        (f"ازسختی{Z}ها", 1),  # از glued to a listed word
        (f"آمد{Z}و", 1),  # noise: the ZWNJ follows د
        (f"نشسته{Z}اند", 1),
        (f"نشسته{Z}اندو", 1),  # a glued و after a listed word
        (f"تخته{Z}سیاه", 1),
        (f"تخته{Z}سی{Z}اه", 1),  # same glued spelling as تخته‌سیاه
        ("دو کلمه", 1),  # a phrase with a space
    ]
    table = derive(rows)
    assert table.compounds == {f"میوه{Z}فروش", f"میوه{Z}فروشی", f"نشسته{Z}اند", f"تخته{Z}سیاه", f"تخته{Z}سی{Z}اه"}
    assert table.plain == {"میوه", "فروش", "سختی"}
    assert table.unglued["میوهفروش"] == f"میوه{Z}فروش"
    assert "تختهسیاه" not in table.unglued  # two compounds share it: ambiguous
    assert table.heads["میوه"] == 2
    assert table.tails["فروشی"] == 1
    assert "میوه" in table.lefts


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    table = WordList(frozenset({f"میوه{Z}فروش", f"آینه{Z}کاری"}), frozenset({"میوه", "آینه"}))
    path = tmp_path / "sub" / "words.txt"
    save(table, path)
    assert load(path) == table
    path.write_text("cut short", encoding="utf-8")  # no section break: treated as damaged
    assert load(path) is None
    assert load(tmp_path / "missing.txt") is None


def test_cache_is_built_once_and_reused(tmp_path: Path) -> None:
    version = package_version()
    assert version is not None, "mnk-persian-words is a dependency of khabar"
    path = cache_path(tmp_path)
    assert path is not None
    assert path.name == f"mnk-words-{version}-f{FILTER_VERSION}.txt"
    built = load_wordlist(tmp_path)
    assert path.is_file()
    assert f"میوه{Z}فروش" in built.compounds
    assert "میوه" in built.plain
    assert not any(w.startswith(f"به{Z}") for w in built.compounds)
    # a second load reads the cached file: a marker written into it shows up
    save(WordList(built.compounds | {f"آزمون{Z}نشانه"}, built.plain), path)
    assert f"آزمون{Z}نشانه" in load_wordlist(tmp_path).compounds
    # a damaged cache file is rebuilt
    path.write_text("", encoding="utf-8")
    assert load_wordlist(tmp_path).compounds == built.compounds


def test_shared_table_is_loaded_once() -> None:
    assert wordlist() is wordlist()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a listed compound whose lost ZWNJ followed ه (a glued final ه changes shape)
        ("میوهفروش محله آمد", f"میوه{Z}فروش محله آمد"),
        ("سقف آینهکاری زیبا بود", f"سقف آینه{Z}کاری زیبا بود"),
        ("پروانهوار چرخید", f"پروانه{Z}وار چرخید"),
        # ... but after other letters a glued spelling is a common accepted one: left alone
        ("او سفیدپوست است", "او سفیدپوست است"),
        # two words the list has as one compound, with a productive first part (آب‌)
        ("بچه ها آب نبات خوردند", f"بچه{Z}ها آب{Z}نبات خوردند"),
        # a first part that starts hundreds of listed compounds works like a prefix, but the
        # adverb هم before a verb stays apart
        ("او هم کلاسی من بود", f"او هم{Z}کلاسی من بود"),
        ("او هم آمد", "او هم آمد"),
        # a verb after a listed first part stays a word of its own
        ("او به هدف دست یافته است", "او به هدف دست یافته است"),
        # a listed pair whose second word heads very many compounds, common as it is alone
        ("این کتاب خانه بزرگ است", f"این کتاب{Z}خانه بزرگ است"),
        ("کتاب در خانه است", "کتاب در خانه است"),
        # a second part that ends many listed compounds works like a suffix after a listed first part
        ("گمانه زنی ادامه دارد", f"گمانه{Z}زنی ادامه دارد"),
        ("او زنی مهربان است", "او زنی مهربان است"),
        # a compound with punctuation after it or a bracket before it
        ("نقشه کشی، کار او بود", f"نقشه{Z}کشی، کار او بود"),
        ("او (بی حوصله) بود", f"او (بی{Z}حوصله) بود"),
        # a glued run that neither list knows, made of two common words: a lost space
        ("اگرباران بیاید می مانیم", f"اگر باران بیاید می{Z}مانیم"),
        # a plural followed by a glued را
        ("دفترچه‌هارا برداشت", f"دفترچه{Z}ها را برداشت"),
        # a verb particle glued to its verb is one word
        ("آب فروریخت", "آب فروریخت"),
    ],
)
def test_wordlist_rules(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(expected) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("گفت:«نه»", "گفت: «نه»"),
        ('گفت:"نه"', "گفت: «نه»"),
        ("گفت: «نه»", "گفت: «نه»"),
        ("ساعت 12:30 بود", "ساعت ۱۲:۳۰ بود"),
        ("خندید:(", "خندید:("),  # an emoticon, not a quote
    ],
)
def test_colon_before_guillemet(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the conjunction و glued to the next word, also before an ezafe hamza
        ("او کتاب ومجله خرید", "او کتاب و مجله خرید"),
        ("دانش وتجربهٔ او", "دانش و تجربهٔ او"),
        # ... but words that start with و stay whole, known or short (وزید) or unknown
        ("نسیمی وزید", "نسیمی وزید"),
        ("کلاس ورزش بود", "کلاس ورزش بود"),
        # a word with an ezafe hamza is looked up without it, so it is not split
        ("دربارهٔ این کتاب", "دربارهٔ این کتاب"),
    ],
)
def test_glued_conjunction(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(expected) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a light verb glued after a letter that does not join lost its space
        ("سقف خانه تعمیرشود", "سقف خانه تعمیر شود"),
        ("این کار را آغازکنیم", "این کار را آغاز کنیم"),
        # که and را glued after a letter that does not join
        ("او می‌پرسدکه کی می‌آیی", "او می‌پرسد که کی می‌آیی"),
        ("دیواررا رنگ زدند", "دیوار را رنگ زدند"),
        # function words that never start a longer word, and a glued و after a plural
        ("اگربیایی می‌روم", f"اگر بیایی می{Z}روم"),
        ("مگرندیدی", "مگر ندیدی"),
        ("درختهاو گلها", f"درخت{Z}ها و گل{Z}ها"),
        # ... but a common word that ends in و is a word
        ("دست و بازو", "دست و بازو"),
        ("درد زانو", "درد زانو"),
        # a word that merely ends like a light verb stays whole
        ("این یک کارکرد تازه است", "این یک کارکرد تازه است"),
    ],
)
def test_glued_light_verb(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(expected) == expected


def test_final_heh_glued_to_plural() -> None:
    # ها glued to a final ه changes its shape, so the ZWNJ was lost even if the stem is rare
    assert normalize("پیمانههای آب") == f"پیمانه{Z}های آب"
    # ... while a glued plural after another letter follows the lexicon as before
    assert normalize("ناهید و پرتو") == "ناهید و پرتو"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # comparatives that are words of their own stay glued
        ("او بیش تر از من کار کرد", "او بیشتر از من کار کرد"),
        ("این راه به تر است", "این راه بهتر است"),
        # ordinary comparatives take a half-space
        ("این اتاق کوچک تر است", f"این اتاق کوچک{Z}تر است"),
        ("این مهم ترین کار است", f"این مهم{Z}ترین کار است"),
    ],
)
def test_lexicalized_comparatives(raw: str, expected: str) -> None:
    assert normalize(raw) == expected
    assert normalize(expected) == expected


def test_a_common_stem_before_a_plural_ending_is_read_as_a_plural() -> None:
    # گوهای is گو + های (گفت و گوهای), not the listed گوه‌ای; after ه the plural keeps its ZWNJ
    assert normalize("گفت و گوهای سختی") == "گفت و گوهای سختی"
    assert normalize("نامههای") == "نامه\u200cهای"
