"""Small Persian news texts written for the dedup tests (not taken from any outlet)."""

from __future__ import annotations

# Story A: a water shortage at a dam, six sentences.
WATER = [
    "مدیرعامل شرکت آب منطقه‌ای تهران روز یکشنبه اعلام کرد حجم آب پشت سد کرج به کمترین مقدار ده سال گذشته رسیده است.",
    "به گفته او ذخیره این سد اکنون حدود ۴۲ میلیون مترمکعب است که کمتر از یک‌سوم ظرفیت آن به شمار می‌رود.",
    "وی افزود بارش برف در ارتفاعات البرز امسال نصف میانگین بلندمدت بوده و ذوب زودهنگام برف‌ها وضعیت را سخت‌تر کرده است.",
    "این مقام مسئول از شهروندان خواست در ساعت‌های اوج مصرف از آبیاری باغچه‌ها و شستن خودرو با شلنگ خودداری کنند.",
    "او همچنین گفت اگر مصرف روزانه پایتخت دست‌کم ده درصد کاهش نیابد، افت فشار شبانه در برخی محله‌ها اجرا خواهد شد.",
    "کارشناسان منابع آب هشدار داده‌اند که برداشت بی‌رویه از چاه‌های جنوب تهران فرونشست زمین را شتاب داده است.",
]

# Story B: same topic (water in Tehran), different facts: a look-alike, not a copy.
WATER_OTHER = [
    "سخنگوی صنعت آب روز سه‌شنبه از آغاز ساخت تصفیه‌خانه تازه‌ای در شرق تهران خبر داد.",
    "به گفته او این تصفیه‌خانه روزانه ۳۰۰ هزار مترمکعب پساب را برای مصرف کشاورزی ورامین آماده می‌کند.",
    "هزینه این طرح از محل اوراق مشارکت و سرمایه‌گذاری بخش خصوصی تأمین شده و ساخت آن سه سال طول می‌کشد.",
    "او همچنین گفت اگر مصرف روزانه پایتخت دست‌کم ده درصد کاهش نیابد، افت فشار شبانه در برخی محله‌ها اجرا خواهد شد.",
    "نمایندگان شورای شهر خواستار آن شدند که گزارش پیشرفت کار هر سه ماه یک بار منتشر شود.",
    "مسئولان محلی امیدوارند با بهره‌برداری از این طرح، برداشت از چاه‌های کشاورزی منطقه کاهش یابد.",
]

# Story C: unrelated (a football match).
FOOTBALL = [
    "تیم فوتبال سپاهان در هفته بیستم لیگ برتر با دو گل مقابل میزبان خود به پیروزی رسید.",
    "گل نخست این دیدار در دقیقه ۲۳ با ضربه سر مدافع میانی تیم مهمان به ثمر رسید.",
    "میزبان در نیمه دوم فشار زیادی آورد اما دروازه‌بان سپاهان چند توپ خطرناک را مهار کرد.",
    "گل دوم در وقت‌های تلف‌شده و در یک ضدحمله سریع زده شد و کار را تمام کرد.",
    "سرمربی سپاهان پس از بازی گفت بازیکنانش با وجود خستگی سفر، منظم و با انگیزه بازی کردند.",
]


def article(sentences: list[str], intro: str = "", footer: str = "") -> str:
    body = " ".join(sentences)
    return (intro + body + ("\n" + footer if footer else "")).strip()


def spelled(text: str) -> str:
    """The spelling a careless re-publisher produces: ZWNJ dropped, Arabic ي and ك, Latin digits."""
    digits = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    return text.replace("\u200c", "").replace("ی", "ي").replace("ک", "ك").translate(digits)


# ---------------------------------------------------------------------------------------------
# Matching behaviour

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from khabar.dedup import DedupRecord, StoryIndex, band_keys, matching_text, signatures, split_boilerplate  # noqa: E402
from khabar.dedup.signature import Params, shingle_hashes_flat  # noqa: E402

ORIGINAL = article(WATER, "به گزارش ایرنا، ", "انتهای پیام")


def _index_with_original() -> StoryIndex:
    index = StoryIndex()
    first = index.assign(DedupRecord("orig", ORIGINAL, site="irna.ir", published="2024-03-03T07:00:00Z"))
    assert first.cluster_id == "orig" and first.duplicate_of is None and not first.exact
    return index


def test_exact_copy_is_exact():
    index = _index_with_original()
    a = index.assign(DedupRecord("copy", ORIGINAL, site="irna.ir"))
    assert (a.cluster_id, a.duplicate_of, a.exact, a.similarity) == ("orig", "orig", True, 1.0)


def test_reprint_with_other_attribution_and_footer_is_the_same_text():
    index = _index_with_original()
    reprint = article(WATER, "به گزارش ایسنا به نقل از ایرنا، ", "منبع: ایرنا")
    a = index.assign(DedupRecord("reprint", reprint, site="isna.ir"))
    assert a.cluster_id == "orig" and a.duplicate_of == "orig" and a.exact


def test_spelling_variant_matches_exactly_after_folding():
    index = _index_with_original()
    a = index.assign(DedupRecord("spelled", spelled(ORIGINAL)))
    assert a.cluster_id == "orig" and a.exact
    assert matching_text(spelled(ORIGINAL)) == matching_text(ORIGINAL)


@pytest.mark.parametrize("share", [0.6, 0.7, 0.8])
def test_excerpt_joins_its_story(share):
    index = _index_with_original()
    body = " ".join(WATER)
    cut = body.rfind(" ", 0, int(len(body) * share))
    a = index.assign(DedupRecord("excerpt", "به گزارش فارس به نقل از ایرنا، " + body[:cut]))
    assert a.cluster_id == "orig" and a.duplicate_of == "orig"
    assert not a.exact and 0.5 <= a.similarity <= 1.0


def test_rewrite_with_sentences_dropped_and_added_joins_its_story():
    index = _index_with_original()
    rewritten = [s.replace("گفت", "اظهار کرد") for s in WATER[:4]] + [
        "این در حالی است که پارسال در همین زمان سد کرج نیمه‌پر بود.",
    ]
    a = index.assign(DedupRecord("rewrite", article(rewritten, "به گزارش تسنیم، ")))
    assert a.cluster_id == "orig" and not a.exact and a.similarity >= 0.5


def test_same_topic_different_story_stays_apart():
    index = _index_with_original()
    # same outlet, same lead-in and footer, one shared sentence, same subject: still another story
    a = index.assign(DedupRecord("other", article(WATER_OTHER, "به گزارش ایرنا، ", "انتهای پیام")))
    assert a.cluster_id == "other" and a.duplicate_of is None


def test_unrelated_story_stays_apart():
    index = _index_with_original()
    a = index.assign(DedupRecord("football", article(FOOTBALL, "به گزارش ایرنا، ")))
    assert a.cluster_id == "football" and a.duplicate_of is None


def test_short_text_only_matches_exactly():
    index = StoryIndex()
    index.assign(DedupRecord("long", ORIGINAL))
    a = index.assign(DedupRecord("short", "سد کرج کم‌آب شد."))
    b = index.assign(DedupRecord("short2", "سد  کرج کم آب شد"))
    assert a.cluster_id == "short" and (b.cluster_id, b.exact) == ("short", True)


def test_empty_text_opens_its_own_story():
    index = StoryIndex()
    a = index.assign(DedupRecord("e1", ""))
    b = index.assign(DedupRecord("e2", "   "))
    assert (a.cluster_id, b.cluster_id) == ("e1", "e2")


def test_best_match_wins_when_two_stories_are_candidates():
    index = _index_with_original()
    index.assign(DedupRecord("foot", article(FOOTBALL)))
    a = index.assign(DedupRecord("foot-copy", article(FOOTBALL[:4], "به گزارش ورزش سه، ")))
    assert a.cluster_id == "foot"


def test_split_boilerplate_reads_attributions_and_drops_signoff():
    body, cited = split_boilerplate("به گزارش خبرنگار ایسنا به نقل از ایرنا، " + " ".join(WATER) + "\nانتهای پیام")
    assert body == " ".join(WATER)
    assert cited == ("ایسنا", "ایرنا")
    body, cited = split_boilerplate(" ".join(FOOTBALL))
    assert body == " ".join(FOOTBALL) and cited == ()


def test_signatures_are_pure_and_batch_independent():
    texts = [matching_text(article(WATER)), matching_text(article(FOOTBALL)), ""]
    sigs, sizes = signatures(texts)
    again, _ = signatures(texts[1:2])
    assert sigs.shape == (3, Params().num_perm) and sigs.dtype == np.uint32
    assert (sigs[1] == again[0]).all()
    assert sizes[2] == 0 and sizes[0] == len(texts[0]) - Params().k + 1
    keys = band_keys(sigs)
    assert keys.shape == (3, Params().bands)
    assert (band_keys(again)[0] == keys[1]).all()
    assert len(set(keys[0].tolist()) & set(keys[1].tolist())) == 0


def test_shingles_do_not_cross_text_boundaries():
    h, off = shingle_hashes_flat(["abcdefg", "ab", "", "xyzab", "cdefg"], 5)
    assert off.tolist() == [0, 3, 3, 3, 4, 5]
    for i, t in enumerate(["abcdefg", "ab", "", "xyzab", "cdefg"]):
        alone, _ = shingle_hashes_flat([t], 5)
        assert h[off[i] : off[i + 1]].tolist() == alone.tolist()


_ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"  # Persian letters
    "يىكةۀأإآؤئ"  # Arabic forms
    "\u064b\u064e\u0650\u0651\u0654\u0670\u0640"  # marks and tatweel
    "\ufb8e\ufbfc\ufee9\ufefb\u06c1\u06cc\u06be\u06d2"  # presentation forms, Urdu letters
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣0123456789"
    ' \u200c\u200d\u00a0\u2009\n\t.،؛:؟!«»()"-/ـ'
    "abcXYZ"
)


@given(st.text(alphabet=_ALPHABET, max_size=60))
@settings(max_examples=300, deadline=None)
def test_skipping_the_normalizer_never_changes_the_matching_string(text):
    from khabar.dedup.signature import MATCH_POLICY, _fold
    from khabar.text import normalize

    assert matching_text(text) == _fold(normalize(text, MATCH_POLICY))


def test_matching_text_folds_spelling_but_keeps_words():
    assert matching_text("كتاب‌های  مي شود ١٢۳") == matching_text("کتابهای می‌شود 123") == "کتابهایمیشود123"
    assert matching_text("سد کرج") != matching_text("سد کرخه")
