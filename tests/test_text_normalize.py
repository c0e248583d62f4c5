"""khabar.text.normalize: letters, digits, punctuation and half-spaces; own test sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.text import DEFAULT, SEARCH, Policy, normalize

Z = "\u200c"
EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "000_068be423bd4cb168.txt"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # a space that should be a half-space
        ("او هر روز به مدرسه می رود", f"او هر روز به مدرسه می{Z}رود"),
        ("کتاب ها روی میز بود", f"کتاب{Z}ها روی میز بود"),
        ("آنها به خانه رفته اند", "آنها به خانه رفته\u200cاند"),
        ("این بزرگ ترین شهر است", f"این بزرگ{Z}ترین شهر است"),
        # a lost half-space (parts joined)
        ("نیروهای حوثیها عقب نشستند", f"نیروهای حوثی{Z}ها عقب نشستند"),
        ("دوست ایرانیاش آمد", f"دوست ایرانی{Z}اش آمد"),
        ("ما هنوز موفق نشدهایم", f"ما هنوز موفق نشده{Z}ایم"),
        ("باران میبارد", f"باران می{Z}بارد"),
        # a glued spelling neither word list knows, while the word list has the half-space one
        ("این داروی خوابزدا را نخورید", f"این داروی خواب{Z}زدا را نخورید"),
        # a particle verb is one word, whether its half-space was lost or turned into a space
        ("پرنده به لانه برمیگردد", f"پرنده به لانه برمی{Z}گردد"),
        ("مسافران از قطار درمی آیند", f"مسافران از قطار درمی{Z}آیند"),
        # glued spellings that web text prefers but edited text writes with a half-space
        ("من این کار را میکنم", f"من این کار را می{Z}کنم"),
        ("این مهمترین خبر بود", f"این مهم{Z}ترین خبر بود"),
        # rare verbs the lexicon does not know still get their half-spaces back
        ("پرندگان میسرودند", f"پرندگان می{Z}سرودند"),
        ("آنها برگشتهاند", f"آنها برگشته{Z}اند"),
        # a verb particle before می, and bound word-forming parts after a noun
        ("او به خانه برمی گردد", f"او به خانه برمی{Z}گردد"),
        ("این عامل تعیین کننده بود", f"این عامل تعیین{Z}کننده بود"),
        # a function word glued to the next word, while a verb with the particle در stays whole
        ("بشار اسد کاخ سفید راتحقیر کرد", "بشار اسد کاخ سفید را تحقیر کرد"),
        ("من نامه را دریافتم", "من نامه را دریافتم"),
        # the bound prefix بی glued to a common word
        ("او بیتعادلی را دید", f"او بی{Z}تعادلی را دید"),
        # a common word glued to a bound word-forming part
        ("مرحله تخمکگذاری آغاز شد", f"مرحله تخمک{Z}گذاری آغاز شد"),
        # a noun glued to a participle is a compound adjective, but apart they stay a verb phrase
        ("خانه صدمهدیده را دیدیم", f"خانه صدمه{Z}دیده را دیدیم"),
        ("او صدمه دیده است", "او صدمه دیده است"),
        # compounds that also carry a plural, glued or spaced
        ("از بیعدالتیها گفت", f"از بی{Z}عدالتی{Z}ها گفت"),
        ("تصمیم گیری ها سخت است", f"تصمیم{Z}گیری{Z}ها سخت است"),
        # a common stem with a glued suffix is not read as two words (رو + سری‌اش)
        ("روسریاش را برداشت", f"روسری{Z}اش را برداشت"),
        # an unknown glued word made of two common words, but not a particle verb
        ("این درس پیشنیاز است", f"این درس پیش{Z}نیاز است"),
        ("او دست برندارد", "او دست برندارد"),
        # a lost space and a glued affix at once: both repaired in one pass (idempotence)
        ("آنها کار میکنندو میروند", f"آنها کار می{Z}کنند و می{Z}روند"),
        # ات and ای glued after a consonant belong to the word (Arabic plurals), not a clitic
        ("رسومات قدیمی ماند", "رسومات قدیمی ماند"),
        ("عقلای قوم آمدند", "عقلای قوم آمدند"),
        # a glued word that merely starts with می stays whole
        ("کتاب روی میز است", "کتاب روی میز است"),
        # a conjunction is no second part of a compound, even after بی
        ("او بی آنکه بداند رفت", "او بی آنکه بداند رفت"),
        # a space moved across the affix, and a lost space after a non-joining letter
        ("ما به هدف نزدیک ترشده ایم", f"ما به هدف نزدیک{Z}تر شده{Z}ایم"),
        ("ازاین راه رفتیم", "از این راه رفتیم"),
        ("به طورمفصل گفت", "به طور مفصل گفت"),
        ("تکیه برچالش", "تکیه بر چالش"),
        ("باید برشمردن", "باید برشمردن"),  # a particle verb stays whole
        # a comparative with its own plural ending is one word, not a moved space
        ("تعجب بزرگ ترها را", f"تعجب بزرگ{Z}ترها را"),
        # two prepositions never stand together: دراز is a word
        ("راه دراز بود", "راه دراز بود"),
        # a known word is not split into a word and an unlisted affixed form (با + ده‌ای)
        ("بادهای سرد وزید", "بادهای سرد وزید"),
        # a word glued to می/بی whose half-space became a space
        ("آنها پروازمی کرد", f"آنها پرواز می{Z}کرد"),
        ("آماربی کاران", f"آمار بی{Z}کاران"),
        ("او برمی گردد", f"او برمی{Z}گردد"),
        # an ordinal or superlative stands apart from its noun; so do the letters of an acronym
        ("برای نخستین بار", "برای نخستین بار"),
        ("دومین بار", "دومین بار"),
        ("خبرگزاری بی بی سی", "خبرگزاری بی بی سی"),
        ("زمین شناسی", f"زمین{Z}شناسی"),
        # a glued word the word list has as written, without a half-space spelling, is kept
        ("او گریاند", "او گریاند"),
        ("وجود بی انتهایش", f"وجود بی{Z}انتهایش"),
        # بی before a pronoun is the preposition "without"
        ("زندگی بی تو", "زندگی بی تو"),
        # bound second parts
        ("آتش سوزی جنگل", f"آتش{Z}سوزی جنگل"),
        # a patronymic joined on one side is joined on the other; بن‌بست is a word of its own
        (f"عبدالله{Z}بن زبیر آمد", f"عبدالله{Z}بن{Z}زبیر آمد"),
        (f"عبدالله بن{Z}زبیر آمد", f"عبدالله{Z}بن{Z}زبیر آمد"),
        ("سعیدبن عاص", f"سعیدبن{Z}عاص"),
        (f"خیابان بن{Z}بست", f"خیابان بن{Z}بست"),
        ("محمد بن سلمان", "محمد بن سلمان"),
        # stray half-spaces
        (f"کتاب{Z}{Z}ها", f"کتاب{Z}ها"),
        (f"{Z}سلام {Z}دنیا{Z}", "سلام دنیا"),
        (f"کشور{Z}ها", "کشورها"),
    ],
)
def test_half_spaces(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_compound_spelled_one_way_throughout() -> None:
    # the document's own half-space spelling of a compound is used where the half-space was lost
    para = f"خط{Z}مشی دولت روشن است. " * 20 + "اما «خط مشی» مجلس چیست؟"
    assert normalize(para).endswith(f"اما «خط{Z}مشی» مجلس چیست؟")
    doc = f"خط{Z}مشی دولت روشن است.\nاما خط مشی مجلس چیست؟"
    assert normalize(doc) == f"خط{Z}مشی دولت روشن است.\nاما خط{Z}مشی مجلس چیست؟"
    # without such evidence the pair is left as written
    assert normalize("اما خط مشی مجلس چیست؟") == "اما خط مشی مجلس چیست؟"


def test_letters_marks_and_invisibles() -> None:
    assert normalize("كيك ى") == "کیک ی"
    assert normalize("ﺳﻼﻡ") == "سلام"  # presentation forms
    assert normalize("مـــحمد") == "محمد"  # kashida
    assert normalize("کِتابُ") == "کتاب"
    assert normalize("کِتاب", Policy(keep_diacritics=True)) == "کِتاب"
    assert normalize("سلام\u200f\u202a دنیا\ufeff") == "سلام دنیا"
    assert normalize("سلام\u00a0\u2009 دنیا") == "سلام دنیا"


def test_digits_default_persian_with_correct_separators() -> None:
    assert normalize("گروه 1+5 و 58,000 نفر و 3.5 درصد") == "گروه ۱+۵ و ۵۸٬۰۰۰ نفر و ۳٫۵ درصد"
    assert normalize("ساعت 12:30 روز 1394/02/08") == "ساعت ۱۲:۳۰ روز ۱۳۹۴/۰۲/۰۸"
    assert normalize("نسخه 1.2.3") == "نسخه ۱.۲.۳"  # not a decimal: dots kept


def test_digits_latin_and_keep() -> None:
    assert normalize("قیمت ۵۸٬۰۰۰ و ۳٫۵ و ٤", SEARCH) == "قیمت 58,000 و 3.5 و 4"
    assert normalize("سال 1394 و ۱۳۹۵ و ١٣٩٦", Policy(digits=None)) == "سال 1394 و ۱۳۹۵ و ۱۳۹۶"


def test_protected_tokens_untouched() -> None:
    text = "نشانی https://example.com/a_1.html?x=12 و mail@example.org و #خبر_ي و @user_12 و mp3 و COVID-19"
    out = normalize(text)
    for token in ("https://example.com/a_1.html?x=12", "mail@example.org", "#خبر_ي", "@user_12", "mp3", "COVID-19"):
        assert token in out


def test_punctuation() -> None:
    assert normalize('او گفت "فردا می آیم" و رفت') == f"او گفت «فردا می{Z}آیم» و رفت"
    assert normalize("سلام , خوبی ?") == "سلام، خوبی؟"
    assert normalize("( سلام ) دنیا") == "(سلام) دنیا"
    assert normalize("اول،دوم؛سوم") == "اول، دوم؛ سوم"
    assert normalize("58,000 تومان") == "۵۸٬۰۰۰ تومان"


def test_lines_kept_blank_runs_collapsed() -> None:
    assert normalize("یک\nدو\n\n\n\nسه\r\nچهار") == "یک\nدو\n\nسه\nچهار"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="../shared/examples is not beside this checkout")
def test_example_page_comes_out_right() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    out = normalize(text)
    for word in (f"ایرانی{Z}اش", f"حوثی{Z}ها", f"نزدیک{Z}تر شده{Z}ایم", "۱+۵"):
        assert word in out
    lines = text.split("\n")
    assert out.split("\n")[: len(lines) // 2] == [normalize(line) for line in lines[: len(lines) // 2]]


def test_default_is_a_frozen_policy() -> None:
    with pytest.raises(AttributeError):
        DEFAULT.digits = "en"  # type: ignore[misc]


def test_idempotent_when_a_verb_prefix_is_glued_to_a_glued_pair() -> None:
    # the part after می is repaired in the first pass just as the second pass would repair it
    once = normalize("میکتابشود")
    assert normalize(once) == once


def test_idempotent_when_a_glued_verb_also_has_a_glued_conjunction() -> None:
    once = normalize("آنها میدانندکه باران میآید")
    assert normalize(once) == once
    assert f"می{Z}دانند که" in once


def test_idempotent_when_a_joined_pair_joins_the_word_before() -> None:
    once = normalize("علی بن ابیطالب آمد")
    assert normalize(once) == once
