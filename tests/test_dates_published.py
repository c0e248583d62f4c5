"""find_published: metadata first, then the header near the top; Hijri and future dates refused."""

from __future__ import annotations

from datetime import UTC, datetime

from khabar.text.dates import find_published

ZWNJ = "\u200c"
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def page(head: str = "", body: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="fa" dir="rtl"><head><meta charset="utf-8">'
        f"<title>نمونه</title>{head}</head><body>{body}</body></html>"
    )


NAV = '<nav><a href="/">صفحه اول</a> <a href="/siasi">سیاسی</a> <a href="/eghtesadi">اقتصادی</a></nav>'


def test_open_graph_published_time_wins_over_text() -> None:
    html = page(
        '<meta property="article:published_time" content="2023-08-02T14:45:00+03:30">',
        f"{NAV}<p>۱۰ تیر ۱۴۰۲ ساعت ۱۲:۰۰</p>",
    )
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2023-08-02T11:15:00+00:00"
    assert found.calendar == "gregorian"


def test_modified_time_is_not_the_publication_date() -> None:
    html = page(
        '<meta property="article:modified_time" content="2024-01-05T10:00:00+03:30">',
        f"{NAV}<div class='content'><p>تهران - ۱۰ تیر ۱۴۰۲ ساعت ۱۲:۰۰</p><p>متن</p></div>",
    )
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2023-07-01T08:30:00+00:00"


def test_json_ld_graph_date_published() -> None:
    ld = (
        '{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "نمونه"},'
        ' {"@type": "NewsArticle", "headline": "تیتر", "dateModified": "2023-09-01T08:00:00Z",'
        ' "datePublished": "2023-08-30T06:10:00Z"}]}'
    )
    html = page(f'<script type="application/ld+json">{ld}</script>', "<p>بدون تاریخ</p>")
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2023-08-30T06:10:00+00:00"


def test_broken_json_ld_is_skipped() -> None:
    html = page(
        '<script type="application/ld+json">{"datePublished": </script>',
        '<time datetime="2022-11-24T07:30:00+03:30">۳ آذر ۱۴۰۱</time>',
    )
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2022-11-24T04:00:00+00:00"


def test_time_element_with_only_jalali_text() -> None:
    html = page("", f"{NAV}<article><time>پنجشنبه ۱۲ مرداد ۱۴۰۲ ساعت ۱۴:۲۵</time></article>")
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2023-08-03T10:55:00+00:00"
    assert found.jalali == "۱۴۰۲/۰۵/۱۲ ۱۴:۲۵"


def test_persian_site_jalali_meta() -> None:
    html = page('<meta name="date" content="۱۴۰۱/۰۹/۰۳ - ۰۷:۳۰">', "<p>متن</p>")
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2022-11-24T04:00:00+00:00"
    assert found.calendar == "jalali"


def test_dublin_core_date() -> None:
    html = page('<meta name="DC.date.issued" content="2021-03-25">', "")
    found = find_published(html=html, now=NOW)
    assert found is not None
    assert found.utc == "2021-03-24T19:30:00+00:00"
    assert not found.has_time


def test_dated_element_by_class_name() -> None:
    body = (
        f"{NAV}<h1>تیتر</h1><span class='news-date'>دوشنبه، ۱۴ فروردین ۱۴۰۲ - ۱۱:۵۲</span>"
        "<p>متن خبر که در آن از ۱ فروردین ۱۳۵۸ یاد می‌شود.</p>"
    )
    found = find_published(html=page("", body), now=NOW)
    assert found is not None
    assert found.utc == "2023-04-03T08:22:00+00:00"


def test_three_calendar_header_in_html_text() -> None:
    body = (
        f"{NAV}<div class='top'>امروز: سه{ZWNJ}شنبه ۸ اردیبهشت ۱۳۹۴ - ۹ رجب ۱۴۳۶ - ۲۸ آوریل ۲۰۱۵</div>"
        "<h1>تیتر</h1><p>متن خبر</p>"
    )
    found = find_published(html=page("", body), now=NOW)
    assert found is not None
    assert found.calendar == "jalali"
    assert found.utc == "2015-04-27T19:30:00+00:00"


def test_hijri_first_header_still_gives_the_jalali_date() -> None:
    found = find_published("۹ رجب ۱۴۳۶ | ۸ اردیبهشت ۱۳۹۴\nتیتر خبر\nمتن خبر", now=NOW)
    assert found is not None
    assert found.utc == "2015-04-27T19:30:00+00:00"
    assert "رجب" not in found.text


def test_numeric_hijri_year_read_as_jalali_is_in_the_future_and_refused() -> None:
    found = find_published("۱۴۴۵/۰۱/۱۰ - ۱۴۰۲/۰۵/۰۶\nمتن خبر", now=datetime(2023, 8, 1, tzinfo=UTC))
    assert found is not None
    assert found.utc == "2023-07-27T20:30:00+00:00"


def test_future_dates_refused_beyond_one_day() -> None:
    now = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert find_published("۱۰ دی ۱۴۰۵\nمتن", now=now) is None
    # 2 January 2024 00:00 Tehran = 1 January 20:30 UTC: within a day of now, accepted
    soon = find_published("۱۲ دی ۱۴۰۲\nمتن", now=now)
    assert soon is not None
    assert soon.utc == "2024-01-01T20:30:00+00:00"
    future_meta = '<meta property="article:published_time" content="2031-01-01T00:00:00Z">'
    meta = page(future_meta, "<p>۱۱ دی ۱۴۰۲</p>")
    found = find_published(html=meta, now=now)
    assert found is not None
    assert found.utc == "2023-12-31T20:30:00+00:00"


def test_dateline_preferred_over_earlier_bare_date() -> None:
    text = "پرونده ویژه ۱۳ آبان ۱۴۰۱\nتیتر: بازگشایی پل تازه\nتاریخ انتشار: ۲۰ آبان ۱۴۰۱ - ۰۹:۴۵\nمتن خبر درباره پل."
    found = find_published(text, now=NOW)
    assert found is not None
    assert found.utc == "2022-11-11T06:15:00+00:00"


def test_plain_text_first_date_when_no_header_cue() -> None:
    found = find_published("تهران - ۲۱ جدی ۱۴۰۲\nمتن خبر بدون ساعت", now=NOW)
    assert found is not None
    assert found.utc == "2024-01-10T20:30:00+00:00"


def test_nothing_found_and_bad_input() -> None:
    assert find_published(now=NOW) is None
    assert find_published("", "", now=NOW) is None
    assert find_published("متن بدون هیچ تاریخی", now=NOW) is None
    assert find_published(html="<<<>>> \x00\x01 </p></div>", now=NOW) is None
    assert find_published(html="Hello world, nothing here", now=NOW) is None
    huge = "<p>" + "کلمه " * 200_000 + "</p>"
    assert find_published(html=page("", huge), now=NOW) is None


def test_naive_now_is_utc() -> None:
    found = find_published("۱۲ دی ۱۴۰۲", now=datetime(2024, 1, 1, 12, 0))
    assert found is not None
