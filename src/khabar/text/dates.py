"""Publication dates in Persian news: Jalali, Gregorian and (recognised but never used) Hijri-qamari.

Pure functions, no I/O. Calendar arithmetic is done by ``jdatetime``; time zones by ``zoneinfo``.

* :func:`parse_date` reads one date string in any of the shapes Persian sites use
  ('سه شنبه ۸ ارديبهشت ۱۳۹۴', '1394/11/24 - 23:36', '۱۸-۰۷-۱۳۹۶', '31 تير 1393-8:43', '۲۱ جدی ۱۴۰۲',
  ISO 8601, RFC 822, 'April 28, 2015', ...).
* :func:`find_dates` lists every usable date in a text, in order, skipping Hijri-qamari dates.
* :func:`find_published` picks the publication date of a page: HTML metadata first, then the
  dateline or header near the top of the text.

Naive times are read in ``tz`` (Asia/Tehran by default); a date without a time is midnight there
with ``has_time=False``. Results carry UTC ISO 8601 plus a Jalali display form in Persian digits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from zoneinfo import ZoneInfo

import jdatetime

__all__ = ["PublishedDate", "find_dates", "find_published", "parse_date"]

DEFAULT_TZ = "Asia/Tehran"


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A date found in a page or string.

    ``utc`` is ISO 8601 in UTC ("2015-04-28T19:06:00+00:00"); ``jalali`` is the display form in
    the reading time zone with Persian digits ("۱۳۹۴/۰۲/۰۸ ۲۳:۳۶", no time part when
    ``has_time`` is false); ``calendar`` is the calendar the source was written in ("jalali" or
    "gregorian"); ``text`` is the matched source text.
    """

    utc: str
    jalali: str
    calendar: str
    text: str
    has_time: bool

    @property
    def datetime(self) -> datetime:
        """The instant as an aware :class:`datetime.datetime` in UTC."""
        return datetime.fromisoformat(self.utc)


# ---------------------------------------------------------------------------------------------
# Character folding. Every mapping is one character to one character, so a span found in the
# folded string is the same span in the original.

_FOLD = str.maketrans(
    {
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        "ي": "ی",
        "ى": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "أ": "ا",
        "إ": "ا",
        "\u200c": " ",  # ZWNJ
        "\u200d": " ",
        "\u200e": " ",
        "\u200f": " ",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2010": "-",
        "٫": ".",
        "\u066c": ",",
        "ـ": " ",  # tatweel
    }
)

_PERSIAN_DIGITS = str.maketrans({str(i): chr(0x06F0 + i) for i in range(10)})


def _fold(s: str) -> str:
    return s.translate(_FOLD)


# ---------------------------------------------------------------------------------------------
# Names. Keys are written folded; spaces inside names may be a space, a ZWNJ or nothing.

_JALALI = "jalali"
_GREGORIAN = "gregorian"
_HIJRI = "hijri"


def _month_key(name: str) -> str:
    return _fold(name).lower().replace(" ", "").replace("آ", "ا").replace("ء", "").replace("ٔ", "")


# (calendar, [spellings of month 1, month 2, ...]); a spelling's space may be a ZWNJ or nothing.
_MONTH_TABLE: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    (  # Iranian Jalali months
        _JALALI,
        (
            ("فروردین",),
            ("اردیبهشت", "اردی بهشت"),
            ("خرداد",),
            ("تیر",),
            ("مرداد", "امرداد"),
            ("شهریور",),
            ("مهر",),
            ("آبان",),
            ("آذر",),
            ("دی",),
            ("بهمن",),
            ("اسفند",),
        ),
    ),
    (  # Afghan (Dari) names of the same solar months
        _JALALI,
        (
            ("حمل",),
            ("ثور",),
            ("جوزا", "جوزاء"),
            ("سرطان",),
            ("اسد",),
            ("سنبله",),
            ("میزان",),
            ("عقرب",),
            ("قوس",),
            ("جدی",),
            ("دلو",),
            ("حوت",),
        ),
    ),
    (  # Gregorian months as written in Iran and in Afghanistan
        _GREGORIAN,
        (
            ("ژانویه", "ژانویهٔ", "جنوری"),
            ("فوریه", "فبروری", "فوریهٔ"),
            ("مارس", "مارچ"),
            ("آوریل", "آپریل", "اپریل"),
            ("مه", "می", "مهٔ"),
            ("ژوئن", "ژوین", "جون"),
            ("ژوئیه", "ژوییه", "جولای"),
            ("اوت", "آگوست", "آگست", "اگوست"),
            ("سپتامبر", "سپتمبر"),
            ("اکتبر", "اکتوبر"),
            ("نوامبر", "نومبر"),
            ("دسامبر", "دسمبر"),
        ),
    ),
    (  # English month names and abbreviations
        _GREGORIAN,
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
    ),
    (  # Hijri-qamari months: recognised so that they are consumed and skipped, never returned
        _HIJRI,
        (
            ("محرم", "محرم الحرام"),
            ("صفر", "صفر المظفر"),
            ("ربیع الاول", "ربیع الأول"),
            ("ربیع الثانی", "ربیع الآخر"),
            ("جمادی الاول", "جمادی الاولی", "جمادی الأولی"),
            ("جمادی الثانی", "جمادی الثانیه", "جمادی الآخر", "جمادی الاخره"),
            ("رجب", "رجب المرجب"),
            ("شعبان", "شعبان المعظم"),
            ("رمضان", "رمضان المبارک"),
            ("شوال", "شوال المکرم"),
            ("ذی القعده", "ذیقعده", "ذی القعدة"),
            ("ذی الحجه", "ذیحجه", "ذی الحجة"),
        ),
    ),
)
_MONTH_NAMES: Mapping[str, tuple[str, int]] = MappingProxyType(
    {
        _month_key(name): (calendar, month)
        for calendar, months in _MONTH_TABLE
        for month, names in enumerate(months, start=1)
        for name in names
    }
)


def _name_pattern(name: str) -> str:
    """A regex for one name: folded, with optional space where the name has a space or ZWNJ."""
    folded = _fold(name).lower()
    parts = [re.escape(p) for p in folded.split(" ") if p]
    body = r"\s?".join(parts)
    return body.replace("آ", "[آا]")


def _alternation(names: Iterable[str]) -> str:
    pats = sorted({_name_pattern(n) for n in names}, key=len, reverse=True)
    return "(?:" + "|".join(pats) + ")"


_MONTHS_RE = _alternation(name for _, months in _MONTH_TABLE for names in months for name in names)

_WEEKDAYS_RE = (
    r"(?:(?:یک|دو|سه|چهار|پنج)\s?شنبه|شنبه|جمعه|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
)
_LETTER = r"[^\W\d_]"
_YEAR4 = r"(?:1[34]\d\d|19\d\d|20\d\d)"
_AMPM = (
    r"(?:ق\s?\.\s?ظ|ب\s?\.\s?ظ|ق\s?ظ|ب\s?ظ|قبل\s?از\s?ظهر|بعد\s?از\s?ظهر|صبح|ظهر|عصر|شب|"
    r"a\.\s?m\.|p\.\s?m\.|am|pm)"
)
_TZ = r"(?:z|utc|gmt|[+-]\d{2}:?\d{2})"


def _time(p: str) -> str:
    return (
        rf"(?:ساعت\s*)?(?P<{p}h>\d{{1,2}})\s*:\s*(?P<{p}m>\d{{2}})"
        rf"(?:\s*:\s*(?P<{p}s>\d{{2}})(?:\.\d+)?)?"
        rf"(?:\s*(?P<{p}ap>{_AMPM})(?!{_LETTER}))?"
        rf"(?:\s*(?P<{p}tz>{_TZ})(?![\w]))?"
    )


_SEP = r"(?:\s*(?:[-,،|/]|ساعت|در|t)\s*|\s+)"
_DATE_CORE = (
    # D MonthName [ماه] [سال] YYYY — Jalali, Afghan, Gregorian (Persian or English), Hijri
    rf"(?:(?P<td>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:-\s*)?(?P<tm>{_MONTHS_RE})(?:\s?ماه)?(?!{_LETTER})"
    rf"\s*[,،]?\s*(?:سال\s*)?(?P<ty>\d{{4}}|\d{{2}})(?!\d))"
    # MonthName D, YYYY (English style)
    rf"|(?:(?P<em>{_MONTHS_RE})\.?\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?\s*[,،]?\s*(?P<ey>{_YEAR4})(?!\d))"
    # YYYY/MM/DD (also - and . separators, ISO dates), and YY/MM/DD for unambiguous two-digit years
    rf"|(?:(?P<ny>{_YEAR4}|[5-9]\d)\s*(?P<ns>[/.-])\s*(?P<nm>\d{{1,2}})\s*(?P=ns)\s*(?P<nd>\d{{1,2}})(?!\d))"
    # DD/MM/YYYY
    rf"|(?:(?P<dd>\d{{1,2}})\s*(?P<ds>[/.-])\s*(?P<dm>\d{{1,2}})\s*(?P=ds)\s*(?P<dy>{_YEAR4})(?!\d))"
)
_DATE_RE = re.compile(
    rf"(?<![\w/.:-])"
    rf"(?:(?P<wd>{_WEEKDAYS_RE})(?!{_LETTER})\s*[,،]?\s*)?"
    rf"(?:{_time('a')}{_SEP})?"
    rf"(?:{_DATE_CORE})"
    rf"(?:{_SEP}?{_time('b')})?",
    re.IGNORECASE,
)
_HIJRI_SUFFIX_RE = re.compile(r"\s*(?:ه\s*\.?\s*ق(?!\w)|ق\s*\.|ق(?!\w)|قمری|هجری\s*قمری)")


# ---------------------------------------------------------------------------------------------
# Building results


def _zone(tz: str | tzinfo) -> tzinfo:
    return tz if isinstance(tz, tzinfo) else ZoneInfo(tz)


def _make(moment: datetime, *, zone: tzinfo, calendar: str, text: str, has_time: bool) -> PublishedDate:
    """``moment`` is aware; the Jalali display form is given in ``zone``."""
    moment = moment.replace(microsecond=0)
    utc = moment.astimezone(UTC)
    local = moment.astimezone(zone)
    jd = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
    shown = jd.strftime("%Y/%m/%d %H:%M" if has_time else "%Y/%m/%d")
    return PublishedDate(
        utc=utc.isoformat(),
        jalali=shown.translate(_PERSIAN_DIGITS),
        calendar=calendar,
        text=text.strip(),
        has_time=has_time,
    )


def _tz_from(text: str | None) -> tzinfo | None:
    if not text:
        return None
    t = text.lower()
    if t in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if t[0] == "-" else 1
    digits = t[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _hour_24(hour: int, ampm: str | None) -> int | None:
    if ampm is None:
        return hour
    a = re.sub(r"[\s.]", "", ampm.lower())
    if hour > 12 and a not in ("عصر", "شب", "بعدازظهر", "ظهر", "بظ"):
        return None
    if a in ("قظ", "am", "صبح", "قبلازظهر"):
        return 0 if hour == 12 else hour
    if a in ("بظ", "pm", "عصر", "بعدازظهر"):
        return hour + 12 if hour < 12 else hour
    if a == "ظهر":  # noon: ۱۲ ظهر, ۱ ظهر
        return hour + 12 if hour < 6 else hour
    if a == "شب":  # evening and night: ۱۰ شب is 22:00, ۲ شب is 02:00, ۱۲ شب is midnight
        if hour == 12:
            return 0
        return hour + 12 if 6 <= hour < 12 else hour
    return hour


def _time_of(m: re.Match[str], p: str) -> tuple[int, int, int, tzinfo | None] | bool | None:
    """(h, m, s, tz) for the time group prefixed ``p``; ``False`` if absent, ``None`` if invalid."""
    if m.group(p + "h") is None:
        return False
    hour = _hour_24(int(m.group(p + "h")), m.group(p + "ap"))
    minute = int(m.group(p + "m"))
    second = int(m.group(p + "s") or 0)
    if hour is None or not (0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59):
        return None
    tzs = m.group(p + "tz")
    offset = _tz_from(tzs)
    if tzs and offset is None:
        return None
    return hour, minute, second, offset


def _two_digit_jalali(y: int) -> int:
    return 1300 + y if y >= 50 else 1400 + y


def _ymd(m: re.Match[str]) -> tuple[str, int, int, int] | None:
    """(calendar, year, month, day) as written, or None when the match is not a usable date."""
    if m.group("tm") is not None:
        calendar, month = _MONTH_NAMES.get(_month_key(m.group("tm")), (None, 0))
        if calendar is None or calendar == _HIJRI:
            return None
        ys = m.group("ty")
        year = int(ys)
        if len(ys) == 2:
            if calendar != _JALALI:
                return None
            year = _two_digit_jalali(year)
        return calendar, year, month, int(m.group("td"))
    if m.group("em") is not None:
        calendar, month = _MONTH_NAMES.get(_month_key(m.group("em")), (None, 0))
        if calendar != _GREGORIAN:
            return None
        return calendar, int(m.group("ey")), month, int(m.group("ed"))
    if m.group("ny") is not None:
        ys = m.group("ny")
        year = int(ys) if len(ys) == 4 else _two_digit_jalali(int(ys))
        month, day = int(m.group("nm")), int(m.group("nd"))
        return (_JALALI if year < 1700 else _GREGORIAN), year, month, day
    year = int(m.group("dy"))
    first, second = int(m.group("dd")), int(m.group("dm"))
    day, month = first, second
    if year >= 1700 and second > 12 >= first:  # 04/28/2015: month first, as in US pages
        day, month = second, first
    return (_JALALI if year < 1700 else _GREGORIAN), year, month, day


def _to_gregorian(calendar: str, year: int, month: int, day: int) -> date | None:
    try:
        if calendar == _JALALI:
            if not 1300 <= year <= 1499:
                return None
            return jdatetime.date(year, month, day).togregorian()
        if not 1900 <= year <= 2099:
            return None
        return date(year, month, day)
    except ValueError:
        return None


def _from_match(m: re.Match[str], folded: str, original: str, zone: tzinfo) -> PublishedDate | None:
    ymd = _ymd(m)
    if ymd is None:
        return None
    if _HIJRI_SUFFIX_RE.match(folded, m.end()) and m.group("tm") is None and m.group("em") is None:
        return None  # a numeric date marked ق / هـ.ق is Hijri-qamari
    calendar, year, month, day = ymd
    g = _to_gregorian(calendar, year, month, day)
    if g is None:
        return None
    after = _time_of(m, "b")
    before = _time_of(m, "a")
    if after is None or before is None:
        return None
    clock = after or before
    if clock:
        hour, minute, second, offset = clock
        local = datetime(g.year, g.month, g.day, hour, minute, second, tzinfo=offset or zone)
    else:
        local = datetime(g.year, g.month, g.day, tzinfo=zone)
    span = original[m.start() : m.end()]
    return _make(local, zone=zone, calendar=calendar, text=span, has_time=bool(clock))


def _iter_dates(text: str, zone: tzinfo) -> Iterator[PublishedDate]:
    folded = _fold(text)
    for m in _DATE_RE.finditer(folded):
        found = _from_match(m, folded, text, zone)
        if found is not None:
            yield found


_ISO_RE = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}(?:[tT ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*(?:[zZ]|[+-]\d{2}:?\d{2})?\s*$"
)
_RFC822_RE = re.compile(r"^\s*(?:[a-z]{3},\s*)?\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}", re.IGNORECASE)


def _parse_machine(s: str, zone: tzinfo) -> PublishedDate | None:
    """ISO 8601 and RFC 822 strings, through the standard library."""
    folded = _fold(s).strip()
    moment: datetime | None = None
    has_time = True
    try:
        if _ISO_RE.match(folded):
            moment = datetime.fromisoformat(folded.replace(" ", "T", 1) if " " in folded else folded)
            has_time = len(folded) > 10
        elif _RFC822_RE.match(folded):
            moment = parsedate_to_datetime(folded)
    except (ValueError, TypeError, IndexError):
        return None
    if moment is None or not 1900 <= moment.year <= 2099:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return _make(moment, zone=zone, calendar=_GREGORIAN, text=s, has_time=has_time)


def parse_date(s: str, *, tz: str | tzinfo = DEFAULT_TZ) -> PublishedDate | None:
    """Read one date string (the first usable date in it); ``None`` if it holds none.

    Hijri-qamari dates are never returned, nor impossible ones (month 13, day 32, Esfand 30 of
    a common year). ``tz`` is the zone for times written without an offset.
    """
    if not s or not s.strip():
        return None
    zone = _zone(tz)
    machine = _parse_machine(s, zone)
    if machine is not None:
        return machine
    return next(_iter_dates(s, zone), None)


def find_dates(text: str, *, tz: str | tzinfo = DEFAULT_TZ) -> list[PublishedDate]:
    """Every usable date in ``text``, in order of appearance (Hijri-qamari dates left out)."""
    if not text:
        return []
    return list(_iter_dates(text, _zone(tz)))


# ---------------------------------------------------------------------------------------------
# Choosing the publication date of a page

_PUBLISHED_KEYS = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "date_published",
    "published_time",
    "published_date",
    "publish_date",
    "publishdate",
    "publish-date",
    "pubdate",
    "pub_date",
    "publication_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "datecreated",
    "date",
)
_DATEISH_KEY = re.compile(r"publish|date|tarikh|تاریخ|shamsi|jalali", re.IGNORECASE)
_NOT_PUBLISHED_KEY = re.compile(r"modif|updat|expir|valid|review|birth|event|start|end", re.IGNORECASE)
_DATEISH_CLASS = re.compile(r"date|time|publish|tarikh|dateline|byline|news-info|meta", re.IGNORECASE)
_HEADER_CUE = re.compile(r"(?:تاریخ|انتشار|منتشر|مخابره|dateline|published|posted)", re.IGNORECASE)

_TEXT_WINDOW = 1500
_HTML_TEXT_WINDOW = 3000


def _acceptable(found: PublishedDate | None, limit: datetime) -> bool:
    return found is not None and found.datetime <= limit


def _jsonld_dates(data: object, keys: tuple[str, ...]) -> Iterator[str]:
    if isinstance(data, dict):
        for key in keys:
            value = data.get(key)
            if isinstance(value, str):
                yield value
        for value in data.values():
            if isinstance(value, dict | list):
                yield from _jsonld_dates(value, keys)
    elif isinstance(data, list):
        for item in data:
            yield from _jsonld_dates(item, keys)


def _html_candidates(html: str) -> tuple[list[str], str]:
    """Date strings from metadata (best first) and the visible text of the page."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return [], ""
    meta_named: dict[str, list[str]] = {}
    meta_other: list[str] = []
    for el in root.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop") or el.get("http-equiv") or ""
        key = key.strip()
        value = (el.get("content") or "").strip()
        if not key or not value:
            continue
        low = key.lower()
        if low in _PUBLISHED_KEYS:
            meta_named.setdefault(low, []).append(value)
        elif _DATEISH_KEY.search(low) and not _NOT_PUBLISHED_KEY.search(low):
            meta_other.append(value)
    out: list[str] = [v for k in _PUBLISHED_KEYS for v in meta_named.get(k, [])]

    jsonld: list[str] = []
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        jsonld.extend(_jsonld_dates(data, ("datePublished",)))
        jsonld.extend(_jsonld_dates(data, ("dateCreated",)))
    out.extend(jsonld)

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if (el.get("itemprop") or "").lower() == "datepublished" and el.tag != "meta":
            out.append(el.get("datetime") or el.get("content") or el.text_content())
    for el in root.iter("time"):
        out.append(el.get("datetime") or el.text_content())
        if el.get("datetime"):
            out.append(el.text_content())
    out.extend(meta_other)

    for bad in root.iter("script", "style", "noscript", "template"):
        bad.text = ""
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head", "meta", "script", "style"):
            continue
        cls = f"{el.get('class') or ''} {el.get('id') or ''}"
        if cls.strip() and _DATEISH_CLASS.search(cls):
            txt = el.text_content()
            if txt and len(txt) <= 300:
                out.append(txt)
    body = root.find("body")
    visible = "\n".join(t.strip() for t in (body if body is not None else root).itertext() if t.strip())
    return out, visible


def _from_text(text: str, zone: tzinfo, limit: datetime, window: int) -> PublishedDate | None:
    head = text[:window]
    folded = _fold(head)
    first: PublishedDate | None = None
    for m in _DATE_RE.finditer(folded):
        found = _from_match(m, folded, head, zone)
        if found is None or not _acceptable(found, limit):
            continue
        if first is None:
            first = found
        line_start = folded.rfind("\n", 0, m.start()) + 1
        cue = _HEADER_CUE.search(folded, max(line_start, m.start() - 40), m.start())
        if found.has_time or m.group("wd") or cue:
            return found
    return first


def find_published(
    text: str | None = None,
    html: str | None = None,
    *,
    now: datetime | None = None,
    tz: str | tzinfo = DEFAULT_TZ,
) -> PublishedDate | None:
    """The publication date of a page, or ``None``.

    HTML metadata is tried first (``article:published_time`` and kin, JSON-LD ``datePublished``,
    ``<time>``, Dublin Core, Persian sites' Jalali ``<meta>`` values, elements whose class names a
    date), then a dateline or header near the top of the text (``text`` if given, else the visible
    text of ``html``). Hijri-qamari dates are never taken; dates more than a day after ``now``
    (default: the current time) are rejected.
    """
    zone = _zone(tz)
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    limit = now + timedelta(days=1)
    visible = ""
    if html:
        candidates, visible = _html_candidates(html)
        for value in candidates:
            found = parse_date(value, tz=zone)
            if _acceptable(found, limit):
                return found
    if text:
        found = _from_text(text, zone, limit, _TEXT_WINDOW)
        if found is not None:
            return found
    if visible:
        return _from_text(visible, zone, limit, _HTML_TEXT_WINDOW)
    return None
