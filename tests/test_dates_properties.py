"""Property tests for khabar.text.dates: no input makes it raise; written dates read back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from khabar.text.dates import find_dates, find_published, parse_date

JALALI_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
AFGHAN_MONTHS = "حمل ثور جوزا سرطان اسد سنبله میزان عقرب قوس جدی دلو حوت".split()
ENGLISH_MONTHS = "January February March April May June July August September October November December".split()
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
TEHRAN = ZoneInfo("Asia/Tehran")

# text made mostly of the pieces dates are built from, to reach the parser's corners
PIECES = st.sampled_from(
    [
        "۱۲",
        "1394",
        "۱۴۰۲",
        "/",
        "-",
        ":",
        ".",
        " ",
        "ساعت",
        "ب.ظ",
        "اسفند",
        "رجب",
        "ربیع\u200cالاول",
        "سه\u200cشنبه",
        "Tue,",
        "Apr",
        "+0430",
        "Z",
        "T",
        "ي",
        "\u200c",
        "،",
        "۳۰",
        "31",
        "99",
        "<",
        ">",
    ]
)
NOISY = st.lists(PIECES | st.text(max_size=4), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(NOISY)
def test_never_raises(text: str) -> None:
    for found in find_dates(text):
        assert found.text
        assert found.calendar in ("jalali", "gregorian")
    parse_date(text)
    find_published(text, f"<p>{text}</p>", now=datetime(2025, 1, 1, tzinfo=UTC))


@settings(max_examples=200, deadline=None)
@given(st.integers(1350, 1420), st.integers(1, 12), st.integers(1, 29), st.booleans(), st.booleans())
def test_jalali_day_reads_back(year: int, month: int, day: int, afghan: bool, persian_digits: bool) -> None:
    name = (AFGHAN_MONTHS if afghan else JALALI_MONTHS)[month - 1]
    source = f"{day} {name} {year}"
    if persian_digits:
        source = source.translate(FA)
    found = parse_date(source)
    assert found is not None
    assert found.jalali == f"{year}/{month:02d}/{day:02d}".translate(FA)
    assert not found.has_time


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2080, 12, 31)), st.integers(0, 23), st.integers(0, 59))
def test_english_date_is_tehran_local(day: date, hour: int, minute: int) -> None:
    source = f"{ENGLISH_MONTHS[day.month - 1]} {day.day}, {day.year} {hour:02d}:{minute:02d}"
    found = parse_date(source)
    assert found is not None
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TEHRAN)
    assert found.datetime == local.astimezone(UTC)
