"""Table-driven tests for khabar.text.dates.parse_date / find_dates.

Expected UTC values were computed outside khabar: Jalali→Gregorian with ``persiantools`` (a
different library from the ``jdatetime`` khabar uses), the Tehran offset with ``zoneinfo``
(+03:30, or +04:30 in summer up to 2022; Iran dropped summer time from 2023), and the explicit
offsets by hand. They are literals here, never produced by the code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.text.dates import PublishedDate, find_dates, parse_date

ZWNJ = "\u200c"

# (source string, expected UTC, calendar written in, has a time)
SHAPES: list[tuple[str, str, str, bool]] = [
    # Jalali with month names: weekday, ZWNJ / space / nothing in سه‌شنبه, Arabic ي and ك
    ("سه شنبه ۸ ارديبهشت ۱۳۹۴", "2015-04-27T19:30:00+00:00", "jalali", False),
    (f"سه{ZWNJ}شنبه ۸ اردیبهشت ۱۳۹۴", "2015-04-27T19:30:00+00:00", "jalali", False),
    ("سهشنبه ۸ اردیبهشت ۱۳۹۴", "2015-04-27T19:30:00+00:00", "jalali", False),
    (f"۸ اردی{ZWNJ}بهشت{ZWNJ}ماه ۱۳۹۴", "2015-04-27T19:30:00+00:00", "jalali", False),
    ("8 اردیبهشت سال 1394", "2015-04-27T19:30:00+00:00", "jalali", False),
    ("۸ اردیبهشت ۹۴", "2015-04-27T19:30:00+00:00", "jalali", False),
    ("يکشنبه ۵ آبان ۱۳۹۸", "2019-10-26T20:30:00+00:00", "jalali", False),
    ("يكشنبه ٥ آبان ١٣٩٨", "2019-10-26T20:30:00+00:00", "jalali", False),
    (f"۵ آبان{ZWNJ}ماه ۱۳۹۸", "2019-10-26T20:30:00+00:00", "jalali", False),
    ("۱۵ امرداد ۱۳۹۹", "2020-08-04T19:30:00+00:00", "jalali", False),
    ("۱۰ تیر ۱۴۰۲", "2023-06-30T20:30:00+00:00", "jalali", False),
    # with times: ساعت, dash, comma, ق.ظ / ب.ظ / صبح / عصر / ظهر / شب
    ("31 تير 1393-8:43", "2014-07-22T04:13:00+00:00", "jalali", True),
    ("پنجشنبه ۱۲ مرداد ۱۴۰۲ ساعت ۱۴:۲۵", "2023-08-03T10:55:00+00:00", "jalali", True),
    ("۱۲ مرداد ۱۴۰۲ - ۰۲:۲۵ ب.ظ", "2023-08-03T10:55:00+00:00", "jalali", True),
    ("۳ آذر ۱۴۰۱، ساعت ۹:۱۵ ق.ظ", "2022-11-24T05:45:00+00:00", "jalali", True),
    ("۷ دی ۱۴۰۰ - ۸:۰۵ صبح", "2021-12-28T04:35:00+00:00", "jalali", True),
    ("۲۰ شهریور ۱۳۹۸ ساعت ۶:۴۰ عصر", "2019-09-11T14:10:00+00:00", "jalali", True),
    ("۱ اسفند ۱۴۰۲ ساعت ۱۲:۱۵ شب", "2024-02-19T20:45:00+00:00", "jalali", True),
    ("۱ اسفند ۱۴۰۲ ۱۲:۳۰ ظهر", "2024-02-20T09:00:00+00:00", "jalali", True),
    ("دوشنبه، ۱۴ فروردین ۱۴۰۲ - ۱۱:۵۲", "2023-04-03T08:22:00+00:00", "jalali", True),
    ("۲۹ اسفند ۱۴۰۱ ۲۳:۵۹", "2023-03-20T20:29:00+00:00", "jalali", True),
    ("تاریخ انتشار: ۱۶ بهمن ۱۴۰۰ - ۱۰:۲۰", "2022-02-05T06:50:00+00:00", "jalali", True),
    ("ساعت ۱۰:۳۰ ب.ظ - ۸ اردیبهشت ۹۴", "2015-04-28T18:00:00+00:00", "jalali", True),
    # summer time: +04:30 on 2 Farvardin 1400, +03:30 a day earlier, +03:30 in summer 1402
    ("۲ فروردین ۱۴۰۰ ۱۰:۰۰", "2021-03-22T05:30:00+00:00", "jalali", True),
    ("۳۰ اسفند ۱۳۹۹ ۱۰:۰۰", "2021-03-20T06:30:00+00:00", "jalali", True),
    ("۱۰ تیر ۱۴۰۲ ساعت ۱۲:۰۰", "2023-07-01T08:30:00+00:00", "jalali", True),
    # Afghan (Dari) month names
    ("۲۱ جدی ۱۴۰۲", "2024-01-10T20:30:00+00:00", "jalali", False),
    ("۱۵ حوت ۱۴۰۱", "2023-03-05T20:30:00+00:00", "jalali", False),
    ("چهارشنبه ۱ حمل ۱۴۰۳", "2024-03-19T20:30:00+00:00", "jalali", False),
    ("۷ اسد ۱۴۰۰", "2021-07-28T19:30:00+00:00", "jalali", False),
    # numeric Jalali: / - . separators, either order, Persian / Arabic / Latin digits
    ("1394/11/24 - 23:36", "2016-02-13T20:06:00+00:00", "jalali", True),
    ("۱۸-۰۷-۱۳۹۶", "2017-10-09T20:30:00+00:00", "jalali", False),
    ("۱۴۰۲/۰۵/۱۷", "2023-08-07T20:30:00+00:00", "jalali", False),
    ("١٤٠٢/٠٥/١٧", "2023-08-07T20:30:00+00:00", "jalali", False),
    ("1402/4/10", "2023-06-30T20:30:00+00:00", "jalali", False),
    ("1399.12.30", "2021-03-19T20:30:00+00:00", "jalali", False),
    ("۹۴/۰۲/۰۸", "2015-04-27T19:30:00+00:00", "jalali", False),
    ("۱۴۰۱-۰۹-۰۳ ۰۷:۳۰", "2022-11-24T04:00:00+00:00", "jalali", True),
    ("22:10 - 1397/06/31", "2018-09-22T18:40:00+00:00", "jalali", True),
    ("ساعت ۱۸:۰۰ | ۱۳۹۷/۰۶/۳۱", "2018-09-22T14:30:00+00:00", "jalali", True),
    # Gregorian with Persian (Iranian and Afghan) month names
    ("۲۸ آوریل ۲۰۱۵", "2015-04-27T19:30:00+00:00", "gregorian", False),
    ("۱۰ مه ۲۰۱۸", "2018-05-09T19:30:00+00:00", "gregorian", False),
    ("۱۰ می ۲۰۱۸", "2018-05-09T19:30:00+00:00", "gregorian", False),
    ("۴ ژوئیه ۲۰۲۱", "2021-07-03T19:30:00+00:00", "gregorian", False),
    ("۱۷ جنوری ۲۰۲۳", "2023-01-16T20:30:00+00:00", "gregorian", False),
    # English
    ("April 28, 2015", "2015-04-27T19:30:00+00:00", "gregorian", False),
    ("Tuesday, April 28, 2015", "2015-04-27T19:30:00+00:00", "gregorian", False),
    ("28 April 2015 7:06 PM", "2015-04-28T14:36:00+00:00", "gregorian", True),
    ("02/08/2023", "2023-08-01T20:30:00+00:00", "gregorian", False),
    # RFC 822 (RSS) and ISO 8601
    ("Tue, 28 Apr 2015 19:06:00 +0000", "2015-04-28T19:06:00+00:00", "gregorian", True),
    ("Wed, 02 Aug 2023 10:15:00 GMT", "2023-08-02T10:15:00+00:00", "gregorian", True),
    ("Sat, 17 Jun 2023 08:30:00 +0430", "2023-06-17T04:00:00+00:00", "gregorian", True),
    ("2015-04-28T19:06:00Z", "2015-04-28T19:06:00+00:00", "gregorian", True),
    ("2023-08-02T14:45:00+03:30", "2023-08-02T11:15:00+00:00", "gregorian", True),
    ("2023-08-02T14:45:00.250+03:30", "2023-08-02T11:15:00+00:00", "gregorian", True),
    ("2023-08-02 14:45:00", "2023-08-02T11:15:00+00:00", "gregorian", True),
    ("2023-08-02", "2023-08-01T20:30:00+00:00", "gregorian", False),
]


def test_table_is_large_enough() -> None:
    assert len(SHAPES) >= 40
    assert len({s for s, *_ in SHAPES}) == len(SHAPES)


@pytest.mark.parametrize(("source", "utc", "calendar", "has_time"), SHAPES, ids=[s for s, *_ in SHAPES])
def test_shapes(source: str, utc: str, calendar: str, has_time: bool) -> None:
    found = parse_date(source)
    assert found is not None, source
    assert found.utc == utc
    assert found.calendar == calendar
    assert found.has_time is has_time
    assert found.text and found.text in source


def test_display_form_is_jalali_in_persian_digits() -> None:
    with_time = parse_date("Tue, 28 Apr 2015 19:06:00 +0000")
    assert with_time is not None
    assert with_time.jalali == "۱۳۹۴/۰۲/۰۸ ۲۳:۳۶"
    day_only = parse_date("۲۱ جدی ۱۴۰۲")
    assert day_only is not None
    assert day_only.jalali == "۱۴۰۲/۱۰/۲۱"
    assert day_only.datetime == datetime(2024, 1, 10, 20, 30, tzinfo=UTC)


def test_other_reading_zone() -> None:
    # Kabul is +04:30 all year: midnight there is 19:30 UTC the day before
    found = parse_date("۲۱ جدی ۱۴۰۲", tz="Asia/Kabul")
    assert found is not None
    assert found.utc == "2024-01-10T19:30:00+00:00"


IMPOSSIBLE = [
    "۱۳۹۴/۱۳/۰۱",  # month 13
    "۳۲ دی ۱۴۰۰",  # day 32
    "۳۰ اسفند ۱۳۹۴",  # Esfand 30 in a common year
    "1402/12/30",  # likewise
    "۳۱ مهر ۱۴۰۱",  # the autumn months have 30 days
    "2023-02-30",
    "31/04/2019",
    "۸ اردیبهشت ۲۰۱۵",  # Jalali month with a Gregorian year
    "۱۲ مرداد ۱۴۰۲ ساعت ۲۷:۱۰",  # hour 27
]
NOT_DATES = [
    "",
    "   ",
    "خبر فوری",
    "کد خبر: 1394021234",
    "تلفن: 021-88776655",
    "اردیبهشت ۱۳۹۴",  # no day
    "۱۴۰۲",
    "نسخه 2.0.11",
    "ساعت ۱۰:۳۰",
]
HIJRI = [
    "۹ رجب ۱۴۳۶",
    "۱۵ شعبان ۱۴۴۴",
    f"۱۰ ربیع{ZWNJ}الاول ۱۴۴۵",
    "۲۵ ذی القعده ۱۴۴۴",
    "۱۴۴۵/۰۱/۱۰ هـ.ق",
]


@pytest.mark.parametrize("source", IMPOSSIBLE + NOT_DATES + HIJRI)
def test_rejected(source: str) -> None:
    assert parse_date(source) is None


def test_find_dates_three_calendar_header_leaves_out_hijri() -> None:
    header = f"سه{ZWNJ}شنبه ۸ اردیبهشت ۱۳۹۴ - ۹ رجب ۱۴۳۶ - ۲۸ آوریل ۲۰۱۵"
    found = find_dates(header)
    assert [d.calendar for d in found] == ["jalali", "gregorian"]
    assert {d.utc for d in found} == {"2015-04-27T19:30:00+00:00"}
    assert all("رجب" not in d.text for d in found)


def test_find_dates_in_running_text() -> None:
    text = (
        "به گزارش خبرنگار ما، نشست شورای شهر که قرار بود ۱۲ مرداد ۱۴۰۲ برگزار شود "
        "به روز 1402/05/20 ساعت 10:00 افتاد و ۱۵ محرم ۱۴۴۵ هم تعطیل است."
    )
    found = find_dates(text)
    assert [d.utc for d in found] == ["2023-08-02T20:30:00+00:00", "2023-08-11T06:30:00+00:00"]
    assert isinstance(found[0], PublishedDate)
    assert found[1].text == "1402/05/20 ساعت 10:00"


def test_every_shape_survives_embedding_in_text() -> None:
    for source, utc, _, _ in SHAPES:
        found = find_dates(f"خبرگزاری نمونه — {source} — متن خبر")
        assert [d.utc for d in found][:1] == [utc], source
