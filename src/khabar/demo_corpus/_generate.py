"""Regenerate the demo corpus files from ``_stories.py``: ``python -m khabar.demo_corpus._generate``.

The generated pages, feeds and ``manifest.json`` are committed; this script is only needed when
the stories or the page templates change. Each copy of a story gets its outlet's page chrome,
its own intro and attribution, a share of the paragraphs, and the outlet's spelling habits
(dropped or spaced ZWNJs, Arabic ي/ك, Latin or mixed digits, light rewording).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime

from khabar.demo_corpus._stories import STORIES, Story

ZWNJ = "\u200c"
TEHRAN = ZoneInfo("Asia/Tehran")
ROOT = Path(__file__).resolve().parent

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
JALALI_MONTHS = "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند".split()
GREGORIAN_MONTHS = "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر".split()
WEEKDAYS = ("دوشنبه", f"سه{ZWNJ}شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", f"یک{ZWNJ}شنبه")
# First days of Hijri-qamari months of 1446 as observed in Iran (for the three-calendar header)
HIJRI_MONTH_STARTS = (
    (date(2024, 9, 4), f"ربیع{ZWNJ}الاول", 1446),
    (date(2024, 10, 4), f"ربیع{ZWNJ}الثانی", 1446),
    (date(2024, 11, 3), f"جمادی{ZWNJ}الاول", 1446),
    (date(2024, 12, 3), f"جمادی{ZWNJ}الثانی", 1446),
)
REWORDING = (
    ("به گفته او", "به گفته وی"),
    ("بر پایه", "بر اساس"),
    ("نزدیک به", "حدود"),
    ("افزود", "اضافه کرد"),
    ("گلایه", "شکایت"),
    ("نخستین", "اولین"),
    ("تازه", "جدید"),
    ("کارشناسان", "صاحب_نظران"),
)


@dataclass(frozen=True)
class Outlet:
    key: str
    name: str
    domain: str
    feed: str  # "rss" or "atom"
    date_style: str  # "iso-meta", "three-calendar", "json-ld", "class", "jalali-meta", "time"
    zwnj: str = "keep"  # "keep", "drop", "space"
    arabic_letters: bool = False
    digits: str = "fa"  # "fa", "latin", "mixed"


OUTLETS = (
    Outlet("khabarban", "خبربان", "khabarban.example", "rss", "iso-meta"),
    Outlet("rooznegar", "روزنگار", "rooznegar.example", "atom", "three-calendar"),
    Outlet("namehshahr", "نامه شهر", "namehshahr.example", "rss", "json-ld", digits="mixed"),
    Outlet("pishkhan", "پیشخوان امروز", "pishkhan.example", "rss", "class", zwnj="space", arabic_letters=True),
    Outlet("sedayekavir", "صدای کویر", "sedayekavir.example", "atom", "jalali-meta", zwnj="drop", digits="latin"),
    Outlet("didban", "دیدبان", "didban.example", "rss", "time", digits="mixed"),
)
OUTLET = {o.key: o for o in OUTLETS}


@dataclass(frozen=True)
class Copy:
    story: str
    outlet: str
    id: int
    when: tuple[int, ...]  # Jalali (y, m, d) or (y, m, d, h, min), Tehran time
    intro: str  # attribution sentence put before the lead
    paragraphs: int  # how many body paragraphs are kept
    title: str | None = None
    reword: bool = False
    kind: str = "html"
    encoding: str = "utf-8"


COPIES = (
    # tabriz-library
    Copy("tabriz-library", "khabarban", 48211, (1403, 7, 24, 9, 40), "به گزارش خبرنگار خبربان از تبریز،", 6),
    Copy(
        "tabriz-library",
        "rooznegar",
        9051,
        (1403, 7, 24),
        "به گزارش روزنگار به نقل از روابط عمومی اداره کل کتابخانه_های عمومی آذربایجان شرقی،",
        5,
        title="کتابخانه بزرگ عمومی تبریز افتتاح شد",
        encoding="windows-1256",
    ),
    Copy(
        "tabriz-library",
        "pishkhan",
        210344,
        (1403, 7, 24, 12, 30),
        "به گزارش پیشخوان امروز به نقل از خبربان،",
        4,
        title="تبریز صاحب بزرگ_ترین کتابخانه عمومی شمال_غرب شد",
    ),
    # ardabil-snow
    Copy("ardabil-snow", "khabarban", 48390, (1403, 9, 12, 8, 15), "به گزارش خبربان،", 6),
    Copy(
        "ardabil-snow",
        "namehshahr",
        3120,
        (1403, 9, 12, 9, 5),
        "به گزارش نامه شهر به نقل از پلیس راه استان اردبیل،",
        5,
        title="گردنه حیران زیر برف بسته شد",
        reword=True,
    ),
    Copy("ardabil-snow", "sedayekavir", 66015, (1403, 9, 12, 10, 50), "به گزارش صدای کویر،", 4),
    Copy(
        "ardabil-snow",
        "didban",
        77302,
        (1403, 9, 12, 11, 30),
        "به گزارش دیدبان به نقل از خبربان،",
        5,
        title="کولاک در اردبیل؛ گردنه حیران بسته شد و مدارس غیرحضوری شدند",
        reword=True,
    ),
    # shiraz-tram
    Copy("shiraz-tram", "rooznegar", 9110, (1403, 8, 5), "به گزارش خبرنگار روزنگار در شیراز،", 6),
    Copy(
        "shiraz-tram",
        "namehshahr",
        3044,
        (1403, 8, 5, 10, 20),
        "به گزارش نامه شهر به نقل از روزنگار،",
        5,
        title="بهره_برداری آزمایشی از خط دو قطار شهری شیراز آغاز شد",
    ),
    Copy("shiraz-tram", "pishkhan", 210501, (1403, 8, 5, 13, 0), "به گزارش پیشخوان امروز،", 4),
    Copy(
        "shiraz-tram",
        "sedayekavir",
        65890,
        (1403, 8, 5, 14, 45),
        "به گزارش صدای کویر به نقل از شهرداری شیراز،",
        5,
        title="قطار شهری شیراز خط دوم را آزمایشی راه انداخت",
        reword=True,
    ),
    # kerman-quake
    Copy("kerman-quake", "khabarban", 48302, (1403, 8, 19, 6, 5), "به گزارش خبربان،", 6),
    Copy(
        "kerman-quake",
        "rooznegar",
        9188,
        (1403, 8, 19),
        "به گزارش روزنگار به نقل از مرکز لرزه_نگاری کشوری،",
        5,
        title="زمین_لرزه راور تلفات جانی نداشت",
    ),
    Copy(
        "kerman-quake",
        "sedayekavir",
        65952,
        (1403, 8, 19, 7, 30),
        "به گزارش خبرنگار صدای کویر از کرمان،",
        4,
        encoding="windows-1256",
    ),
    Copy(
        "kerman-quake",
        "didban",
        77240,
        (1403, 8, 19, 8, 10),
        "به گزارش دیدبان به نقل از خبربان،",
        5,
        title="لرزش زمین در راور کرمان؛ آسیب به چند خانه قدیمی",
        reword=True,
    ),
    # isfahan-crafts
    Copy("isfahan-crafts", "namehshahr", 3101, (1403, 8, 28, 11, 0), "به گزارش خبرنگار نامه شهر از اصفهان،", 6),
    Copy(
        "isfahan-crafts",
        "pishkhan",
        210640,
        (1403, 8, 28, 12, 10),
        "به گزارش پیشخوان امروز به نقل از نامه شهر،",
        5,
    ),
    Copy(
        "isfahan-crafts",
        "didban",
        77281,
        (1403, 8, 28, 15, 35),
        "به گزارش دیدبان،",
        4,
        title="چهارصد هنرمند صنایع دستی در نمایشگاه اصفهان",
    ),
    Copy(
        "isfahan-crafts",
        "khabarban",
        48355,
        (1403, 8, 29, 9, 0),
        "به گزارش خبربان به نقل از نامه شهر،",
        4,
        title="نمایشگاه ملی صنایع دستی اصفهان برپا شد",
        reword=True,
    ),
    # wheat-payments
    Copy("wheat-payments", "khabarban", 48240, (1403, 7, 30, 10, 30), "به گزارش خبربان،", 6),
    Copy(
        "wheat-payments",
        "namehshahr",
        3012,
        (1403, 7, 30, 11, 45),
        "به گزارش نامه شهر به نقل از خبربان،",
        5,
        title="وعده پرداخت کامل طلب گندم_کاران تا آخر ماه",
        reword=True,
    ),
    Copy("wheat-payments", "pishkhan", 210402, (1403, 7, 30, 16, 20), "به گزارش پیشخوان امروز،", 4),
    Copy(
        "wheat-payments",
        "didban",
        77150,
        (1403, 7, 30),
        "به گزارش دیدبان،",
        4,
        kind="text",
    ),
    # hyrcanian-saplings
    Copy("hyrcanian-saplings", "rooznegar", 9140, (1403, 8, 10), "به گزارش روزنگار،", 6),
    Copy(
        "hyrcanian-saplings",
        "didban",
        77188,
        (1403, 8, 10, 9, 25),
        "به گزارش دیدبان به نقل از روزنگار،",
        5,
        title="یک میلیون نهال بومی در جنگل_های شمال کاشته می_شود",
    ),
    Copy(
        "hyrcanian-saplings",
        "namehshahr",
        3060,
        (1403, 8, 10, 10, 40),
        "به گزارش نامه شهر،",
        4,
        reword=True,
    ),
    Copy(
        "hyrcanian-saplings",
        "sedayekavir",
        65921,
        (1403, 8, 10, 12, 0),
        "به گزارش صدای کویر به نقل از روزنگار،",
        4,
        title="آغاز کاشت نهال در جنگل_های هیرکانی",
    ),
    # math-contest
    Copy("math-contest", "khabarban", 48190, (1403, 7, 17, 20, 15), "به گزارش خبربان،", 6),
    Copy(
        "math-contest",
        "rooznegar",
        9020,
        (1403, 7, 18),
        "به گزارش روزنگار به نقل از باشگاه دانش_پژوهان جوان،",
        5,
        title="پنج مدال برای دانش_آموزان ایرانی در مسابقه ریاضی خزر",
        encoding="windows-1256",
    ),
    Copy("math-contest", "pishkhan", 210290, (1403, 7, 18, 8, 0), "به گزارش پیشخوان امروز به نقل از خبربان،", 4),
    Copy(
        "math-contest",
        "sedayekavir",
        65840,
        (1403, 7, 18, 18, 5),
        "به گزارش صدای کویر به نقل از روزنگار،",
        4,
        title="دو طلا، دو نقره و یک برنز برای ریاضی_دانان جوان ایران",
    ),
    # bushehr-port
    Copy("bushehr-port", "namehshahr", 3111, (1403, 9, 3, 9, 30), "به گزارش خبرنگار نامه شهر از بوشهر،", 6),
    Copy(
        "bushehr-port",
        "didban",
        77295,
        (1403, 9, 3, 10, 0),
        "به گزارش دیدبان به نقل از نامه شهر،",
        5,
        title="نخستین کشتی در اسکله جدید بوشهر پهلو گرفت",
        reword=True,
    ),
    Copy("bushehr-port", "sedayekavir", 66001, (1403, 9, 3, 13, 15), "به گزارش صدای کویر،", 4),
    # single-outlet stories
    Copy(
        "hamedan-kids-film",
        "pishkhan",
        210560,
        (1403, 8, 14, 17, 40),
        "به گزارش خبرنگار پیشخوان امروز از همدان،",
        6,
    ),
    Copy("mashhad-ebus", "khabarban", 48372, (1403, 9, 6, 12, 20), "به گزارش خبربان از مشهد،", 5),
    Copy("yazd-qanat", "rooznegar", 9201, (1403, 8, 22), "به گزارش روزنگار از یزد،", 5),
    Copy("tabriz-library", "didban", 77120, (1403, 7, 25), "به گزارش دیدبان،", 4, kind="text"),
)


# ---------------------------------------------------------------------------------------------


def zwnj(text: str) -> str:
    return text.replace("_", ZWNJ)


def local_time(when: tuple[int, ...]) -> datetime:
    g = jdatetime.date(*when[:3]).togregorian()
    hour, minute = (when[3], when[4]) if len(when) == 5 else (0, 0)
    return datetime(g.year, g.month, g.day, hour, minute, tzinfo=TEHRAN)


def jalali_words(when: tuple[int, ...], *, weekday: bool = False) -> str:
    moment = local_time(when)
    text = f"{when[2]} {JALALI_MONTHS[when[1] - 1]} {when[0]}"
    if weekday:
        text = f"{WEEKDAYS[moment.weekday()]} {text}"
    return text


def hijri_words(day: date) -> str:
    start, name, year = next(s for s in reversed(HIJRI_MONTH_STARTS) if s[0] <= day)
    return f"{(day - start).days + 1} {name} {year}"


def spell(text: str, outlet: Outlet, copy: Copy, *, paragraph: int = 0) -> str:
    """Apply the outlet's (and the copy's) spelling habits to a piece of text."""
    text = zwnj(text)
    if copy.reword:
        for old, new in REWORDING:
            text = text.replace(zwnj(old), zwnj(new)).replace(old, zwnj(new))
    if outlet.zwnj == "drop":
        text = text.replace(ZWNJ, "")
    elif outlet.zwnj == "space":
        text = text.replace(ZWNJ, " ")
    if outlet.arabic_letters or copy.encoding == "windows-1256":
        text = text.replace("ی", "ي")
    if outlet.arabic_letters:
        text = text.replace("ک", "ك")
    latin = (
        outlet.digits == "latin" or copy.encoding == "windows-1256" or (outlet.digits == "mixed" and paragraph % 2 == 1)
    )
    return text.translate(LATIN_DIGITS if latin else FA_DIGITS)


def body_of(story: Story, copy: Copy) -> tuple[str, list[str]]:
    lead = f"{copy.intro} {story.lead}"
    return zwnj(lead), [zwnj(p) for p in story.paragraphs[: copy.paragraphs]]


def url_of(outlet: Outlet, copy: Copy) -> str:
    return f"http://{outlet.domain}/news/{copy.id}"


# ---------------------------------------------------------------------------------------------
# Page chrome per outlet

NAV = ("صفحه نخست", "سیاسی", "اقتصادی", "اجتماعی", "فرهنگی", "ورزشی", "استان_ها", "عکس", "ویدیو")


def date_parts(outlet: Outlet, copy: Copy) -> tuple[str, str]:
    """(markup for <head>, markup shown near the title)."""
    moment = local_time(copy.when)
    iso = moment.isoformat()
    y, m, d = copy.when[:3]
    clock = f"{copy.when[3]:02d}:{copy.when[4]:02d}" if len(copy.when) == 5 else ""
    numeric = f"{y}/{m:02d}/{d:02d}"
    style = outlet.date_style
    if style == "iso-meta":
        head = f'<meta property="article:published_time" content="{iso}">'
        shown = f'<span class="info">{jalali_words(copy.when)} - {clock}</span>'
    elif style == "three-calendar":
        g = moment.date()
        three = (
            f"{jalali_words(copy.when, weekday=True)} - {hijri_words(g)} - "
            f"{g.day} {GREGORIAN_MONTHS[g.month - 1]} {g.year}"
        )
        head = ""
        shown = f'<div class="date-line">{three}</div>'
    elif style == "json-ld":
        modified = (moment + timedelta(hours=3)).isoformat()
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": "@@TITLE@@",
            "datePublished": iso,
            "dateModified": modified,
            "publisher": {"@type": "Organization", "name": outlet.name},
            "mainEntityOfPage": url_of(outlet, copy),
        }
        head = f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'
        shown = f'<span class="pub">{numeric} {clock}</span>'
    elif style == "class":
        shown = f'<div class="news-date">{jalali_words(copy.when, weekday=True)} ساعت {clock}</div>'
        head = ""
    elif style == "jalali-meta":
        head = f'<meta name="date" content="{numeric} - {clock}">'
        shown = f'<p class="tarikh">تاریخ انتشار: {numeric} - {clock}</p>'
    elif style == "time":
        head = ""
        shown = f'<time datetime="{iso}">{jalali_words(copy.when)}، ساعت {clock}</time>'
    else:
        raise ValueError(style)
    return head, shown


def render_html(outlet: Outlet, copy: Copy, story: Story, related: list[tuple[str, str]]) -> str:
    title = spell(zwnj(copy.title or story.title), outlet, copy)
    lead, paragraphs = body_of(story, copy)
    lead = spell(lead, outlet, copy)
    paragraphs = [spell(p, outlet, copy, paragraph=i + 1) for i, p in enumerate(paragraphs)]
    url = url_of(outlet, copy)
    head_date, shown_date = date_parts(outlet, copy)
    head_date = head_date.replace("@@TITLE@@", title.replace('"', ""))
    shown_date = spell(shown_date, outlet, copy)
    charset = copy.encoding
    views = spell(str((copy.id * 37) % 9000 + 250), outlet, copy)
    code = spell(str(copy.id), outlet, copy)
    nav = "".join(f'<li><a href="/service/{i}">{spell(zwnj(n), outlet, copy)}</a></li>' for i, n in enumerate(NAV))
    tags = " ".join(
        f'<a href="/tag/{i}" rel="tag">{spell(zwnj(t), outlet, copy)}</a>' for i, t in enumerate(story.tags)
    )
    rel = "".join(f'<li><a href="{u}">{spell(t, outlet, copy)}</a></li>' for u, t in related)
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    year = spell("۱۴۰۳", outlet, copy)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fa" dir="rtl">',
        "<head>",
        f'<meta charset="{charset}">',
        f"<title>{escape(title)} | {outlet.name}</title>",
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:site_name" content="{outlet.name}">',
        f'<meta property="og:title" content="{escape(title)}">',
        f'<meta property="og:url" content="{url}">',
        '<meta property="og:type" content="article">',
        f'<meta name="description" content="{escape(lead[:150])}">',
        head_date,
        '<link rel="stylesheet" href="/static/site.css">',
        "</head>",
        "<body>",
        f'<header class="site-header"><a class="logo" href="/">{outlet.name}</a>'
        f'<form class="search" action="/search">'
        f'<input name="q" placeholder="{spell("جست_وجو", outlet, copy)}">'
        "</form></header>",
        f'<nav class="menu"><ul>{nav}</ul></nav>',
        '<main><article class="news">',
        f'<div class="breadcrumb"><a href="/">{spell("صفحه نخست", outlet, copy)}</a> » '
        f'<a href="/service/3">{spell("اجتماعی", outlet, copy)}</a></div>',
        f"<h1>{escape(title)}</h1>",
        shown_date,
        f'<div class="news-code">{spell("کد خبر", outlet, copy)}: {code}</div>',
        f'<p class="lead">{escape(lead)}</p>',
        f'<div class="body">\n{body}\n</div>',
        f'<div class="tags">{spell("برچسب_ها", outlet, copy)}: {tags}</div>',
        f'<div class="share">{spell("اشتراک_گذاری", outlet, copy)}: <a href="#">تلگرام</a> | '
        f'<a href="#">{spell("واتس_اپ", outlet, copy)}</a> | <a href="#">ایکس</a> | '
        f'<a href="/print/{copy.id}">{spell("نسخه چاپی", outlet, copy)}</a> | '
        f'<a href="http://{outlet.domain}/x/{copy.id:x}">{spell("لینک کوتاه", outlet, copy)}</a></div>',
        f'<div class="views">{spell("تعداد بازدید", outlet, copy)}: {views}</div>',
        "</article>",
        f'<aside class="related"><h3>{spell("اخبار مرتبط", outlet, copy)}</h3><ul>{rel}</ul></aside>',
        '<section class="comments">',
        f"<h3>{spell('نظر شما', outlet, copy)}</h3>",
        '<form method="post" action="/comment">',
        f'<input name="name" placeholder="{spell("نام", outlet, copy)}">',
        f'<textarea name="body" placeholder="{spell("دیدگاه خود را بنویسید", outlet, copy)}"></textarea>',
        f'<button type="submit">{spell("ارسال نظر", outlet, copy)}</button>',
        "</form></section>",
        "</main>",
        f"<footer><p>© {year} {spell('تمامی حقوق این پایگاه برای', outlet, copy)} {outlet.name} "
        f"{spell('محفوظ است. نقل مطالب با ذکر منبع آزاد است.', outlet, copy)}</p>"
        f'<p><a href="/about">{spell("درباره ما", outlet, copy)}</a> | '
        f'<a href="/contact">{spell("تماس با ما", outlet, copy)}</a> | <a href="/rss">RSS</a></p></footer>',
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(p for p in parts if p)


def render_text(outlet: Outlet, copy: Copy, story: Story) -> str:
    """A scraped page flattened to text: dateline, lead, body, ∎, the body again, credits."""
    lead, paragraphs = body_of(story, copy)
    lines = [f"{outlet.name} - {jalali_words(copy.when, weekday=True)}", story_title(copy, story), lead]
    lines += paragraphs
    lines.append("∎")
    lines += paragraphs
    lines.append(f"عکس_ها از {outlet.name} و روابط عمومی_ها است.")
    lines.append("نظر شما")
    return "\n".join(spell(zwnj(line), outlet, copy) for line in lines) + "\n"


def story_title(copy: Copy, story: Story) -> str:
    return zwnj(copy.title or story.title)


def words(text: str) -> int:
    return len(text.split())


# ---------------------------------------------------------------------------------------------
# Feeds


def render_feed(outlet: Outlet, items: list[tuple[Copy, str, str]]) -> str:
    base = f"http://{outlet.domain}"
    items = sorted(items, key=lambda t: local_time(t[0].when), reverse=True)
    if outlet.feed == "rss":
        entries = "".join(
            "<item>"
            f"<title>{escape(title)}</title><link>{url_of(outlet, c)}</link>"
            f'<guid isPermaLink="true">{url_of(outlet, c)}</guid>'
            f"<pubDate>{format_datetime(local_time(c.when))}</pubDate>"
            f"<description>{escape(lead)}</description>"
            "</item>\n"
            for c, title, lead in items
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>\n'
            f"<title>{outlet.name}</title><link>{base}/</link>"
            f"<description>{outlet.name} — آخرین خبرها</description><language>fa</language>\n"
            f"{entries}</channel></rss>\n"
        )
    newest = local_time(items[0][0].when).isoformat()
    entries = "".join(
        "<entry>"
        f'<title>{escape(title)}</title><link href="{url_of(outlet, c)}"/>'
        f"<id>{url_of(outlet, c)}</id>"
        f"<published>{local_time(c.when).isoformat()}</published>"
        f"<updated>{local_time(c.when).isoformat()}</updated>"
        f"<summary>{escape(lead)}</summary>"
        "</entry>\n"
        for c, title, lead in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fa">\n'
        f'<title>{outlet.name}</title><link href="{base}/"/><id>{base}/</id><updated>{newest}</updated>\n'
        f"{entries}</feed>\n"
    )


def main() -> None:
    stories = {s.key: s for s in STORIES}
    documents = []
    feed_items: dict[str, list[tuple[Copy, str, str]]] = {o.key: [] for o in OUTLETS}
    for copy in COPIES:
        outlet, story = OUTLET[copy.outlet], stories[copy.story]
        folder = ROOT / outlet.key
        folder.mkdir(exist_ok=True)
        if copy.kind == "html":
            related = [
                (url_of(outlet, c), story_title(c, stories[c.story]))
                for c in COPIES
                if c.outlet == outlet.key and c.story != copy.story and c.kind == "html"
            ][:4]
            page = render_html(outlet, copy, story, related)
            rel = f"{outlet.key}/{copy.id}.html"
        else:
            page = render_text(outlet, copy, story)
            rel = f"{outlet.key}/{copy.id}.txt"
        lead, paragraphs = body_of(story, copy)
        count = words(lead) + sum(words(p) for p in paragraphs)
        if not 150 <= count <= 500:
            raise SystemExit(f"{rel}: {count} words")
        if copy.encoding == "windows-1256":  # no Persian ی or Persian digits in that code page
            page = page.replace("ی", "ي").translate(LATIN_DIGITS)
        (ROOT / rel).write_bytes(page.encode(copy.encoding))
        moment = local_time(copy.when)
        documents.append(
            {
                "path": rel,
                "outlet": outlet.key,
                "url": url_of(outlet, copy),
                "story": copy.story,
                "kind": copy.kind,
                "encoding": copy.encoding,
                "published": moment.astimezone(ZoneInfo("UTC")).isoformat().replace("Z", "+00:00"),
                "published_has_time": len(copy.when) == 5,
                "title": spell(story_title(copy, story), outlet, copy),
                "words": count,
            }
        )
        if copy.kind == "html":
            feed_items[outlet.key].append(
                (copy, spell(story_title(copy, story), outlet, copy), spell(lead, outlet, copy))
            )
    feeds = []
    for outlet in OUTLETS:
        feed_items[outlet.key].sort(key=lambda t: local_time(t[0].when), reverse=True)
        name = "feed.xml" if outlet.feed == "rss" else "atom.xml"
        rel = f"{outlet.key}/{name}"
        (ROOT / rel).write_text(render_feed(outlet, feed_items[outlet.key]), encoding="utf-8")
        feeds.append(
            {
                "path": rel,
                "outlet": outlet.key,
                "url": f"http://{outlet.domain}/{'rss' if outlet.feed == 'rss' else 'atom'}",
                "format": outlet.feed,
                "encoding": "utf-8",
                "items": [url_of(outlet, c) for c, _, _ in feed_items[outlet.key]],
            }
        )
    manifest = {
        "description": "khabar demo corpus: invented Persian news from invented outlets (.example domains)",
        "timezone": "Asia/Tehran",
        "outlets": [{"key": o.key, "name": o.name, "domain": o.domain, "date_style": o.date_style} for o in OUTLETS],
        "documents": documents,
        "feeds": feeds,
    }
    (ROOT / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(documents)} documents, {len(feeds)} feeds written under {ROOT}")


if __name__ == "__main__":
    main()
