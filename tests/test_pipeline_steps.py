"""The pure step functions both pipeline engines share."""

from __future__ import annotations

import numpy as np

from khabar.dedup import DedupRecord, StoryIndex
from khabar.pipeline.steps import bucket_pairs, exact_group_edges, resolve_duplicates, sign_texts, verify_pairs

BASE = [
    "بارش برف سنگین از بامداد امروز راه‌های کوهستانی شمال استان را بست و راهداران برای بازگشایی آن‌ها تلاش می‌کنند.",
    "مدیرکل راهداری گفت که تا عصر امروز دست‌کم سه محور اصلی دوباره باز خواهد شد و رانندگان باید زنجیر چرخ همراه داشته باشند.",
    "پیش‌بینی هواشناسی نشان می‌دهد بارش‌ها تا پایان هفته ادامه دارد و دمای هوا در شب به زیر صفر می‌رسد.",
    "مدارس چند شهر کوهستانی امروز تعطیل شد و کلاس‌ها به صورت مجازی برگزار می‌شود.",
]
OTHER = [
    "نمایشگاه کتاب امسال با حضور ناشران بیشتری از سال گذشته در محل دائمی نمایشگاه‌ها برپا شد.",
    "بسیاری از بازدیدکنندگان از گرانی کاغذ و بالا رفتن قیمت کتاب‌های تازه گله داشتند.",
    "برگزارکنندگان می‌گویند فروش اینترنتی امسال بیش از هر سال دیگری بوده است.",
]


def test_resolve_keeps_the_lowest_ordinal_of_each_component():
    removed = resolve_duplicates([(5, 9)], [(3, 5), (20, 21), (9, 12)])
    assert removed == {
        5: (3, "near_duplicate"),
        9: (3, "exact_duplicate"),
        12: (3, "near_duplicate"),
        21: (20, "near_duplicate"),
    }
    # edge order and direction do not change the answer
    assert resolve_duplicates([(9, 5)], [(12, 9), (21, 20), (5, 3)]) == removed
    assert resolve_duplicates([], []) == {}


def test_group_helpers():
    assert exact_group_edges([7, 3, 3, 9]) == [(3, 7), (3, 9)]
    assert bucket_pairs([4, 1, 2]) == [(1, 2), (1, 4), (2, 4)]
    capped = bucket_pairs(range(10), cap=2)
    assert len(capped) == 9 + 8 and all(a in (0, 1) for a, _ in capped)


def test_verification_agrees_with_the_story_index():
    texts = ["\n".join(BASE), "\n".join(BASE[:3]), "\n".join(OTHER), "\n".join([*BASE[:2], *OTHER])]
    keys, sizes, sigs = sign_texts(texts)
    assert len(set(keys)) == 4
    pairs = [(0, 1), (0, 2), (0, 3), (1, 2)]
    a = np.array([p[0] for p in pairs])
    b = np.array([p[1] for p in pairs])
    ok = verify_pairs(sigs[a], sizes[a], sigs[b], sizes[b]).tolist()
    assert ok[0] and not ok[1]  # an excerpt is contained; another story is not
    for (i, j), verdict in zip(pairs, ok, strict=True):
        index = StoryIndex()
        index.assign(DedupRecord(id="first", text=texts[i]))
        joined = index.assign(DedupRecord(id="second", text=texts[j]))
        assert (joined.duplicate_of == "first") == verdict, (i, j)


def test_exact_key_ignores_spacing_and_halfspaces():
    keys, _, _ = sign_texts(["\n".join(BASE), "\n".join(BASE).replace("\u200c", " ").replace(" ", "  ")])
    assert keys[0] == keys[1] is not None
