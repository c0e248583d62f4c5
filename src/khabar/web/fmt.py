"""Persian display helpers: digits, Jalali dates and relative times ("۲ ساعت پیش")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import jdatetime

TEHRAN = ZoneInfo("Asia/Tehran")
_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def fa_digits(value: object) -> str:
    """``value`` as text with ASCII digits written in Persian."""
    return str(value).translate(_FA_DIGITS)


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 time as an aware UTC datetime (a naive one is taken as UTC); None if unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def jalali(value: str | None, *, with_time: bool = True) -> str:
    """Tehran-time Jalali date like ``۲۴ مهر ۱۴۰۳، ۰۹:۴۰``; empty when ``value`` is unreadable."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    local = moment.astimezone(TEHRAN)
    j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    text = f"{j.day} {MONTHS[j.month - 1]} {j.year}"
    if with_time:
        text += f"، {local.hour:02d}:{local.minute:02d}"
    return fa_digits(text)


def jalali_day(day: date) -> str:
    """A Gregorian day written as a Jalali date, e.g. ``۲۴ مهر ۱۴۰۳``."""
    j = jdatetime.date.fromgregorian(date=day)
    return fa_digits(f"{j.day} {MONTHS[j.month - 1]} {j.year}")


def relative(value: str | None, now: datetime | None = None) -> str:
    """How long ago ``value`` was, in Persian: ``همین حالا``, ``۵ دقیقه پیش``, ``۲ ساعت پیش``..."""
    moment = parse_iso(value)
    if moment is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - moment).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "همین حالا"
    for unit, size in (("سال", 365 * 86400), ("ماه", 30 * 86400), ("روز", 86400), ("ساعت", 3600), ("دقیقه", 60)):
        if seconds >= size:
            n = int(seconds // size)
            return fa_digits(f"{n} {unit} {'بعد' if future else 'پیش'}")
    return "همین حالا"  # pragma: no cover - the loop always returns


def tehran_day(value: str | None) -> date | None:
    """The Tehran calendar day of an ISO time."""
    moment = parse_iso(value)
    return moment.astimezone(TEHRAN).date() if moment else None


def day_bounds(day: date) -> tuple[str, str]:
    """UTC ISO bounds ``[start, end)`` of a Tehran calendar day, in the form articles store."""
    start = datetime(day.year, day.month, day.day, tzinfo=TEHRAN).astimezone(UTC)
    end = (datetime(day.year, day.month, day.day, tzinfo=TEHRAN) + timedelta(days=1)).astimezone(UTC)
    return start.isoformat(), end.isoformat()
