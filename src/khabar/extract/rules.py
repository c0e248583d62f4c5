"""Line rules for Persian news pages: boilerplate, attributions and photo credits.

The rules look at one line at a time, in a canonical form (Arabic ي/ك unified, ZWNJ and runs of
spaces folded to one space), so 'برچسب‌ها', 'برچسب ها' and 'برچسبها' read alike. Boilerplate rules
only fire on short lines: a paragraph that merely mentions 'نظر شما' is never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex as re

_CANON = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ك": "ک",
        "\u200c": " ",
        "\u200d": None,
        "\u0640": None,
        "ۀ": "ه",
        "ة": "ه",
        "：": ":",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")


def canon(line: str) -> str:
    """Canonical form used for matching rules (never shown to users)."""
    return _SPACES.sub(" ", line.translate(_CANON)).strip()


def word_count(line: str) -> int:
    return len(line.split())


_D = r"[0-9۰-۹٠-٩]"
_SEP = r"\s*[:\-–—]?\s*"

# (reason, pattern on the canonical line, longest line in words it may match)
_BOILERPLATE: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE | re.VERSION1), max_words)
    for reason, pattern, max_words in (
        ("end mark", r"^[∎■□▪▫◼◾◻●•*#=~_.\-–—\s]+$", 12),
        ("end of message", r"^[\s/\-–—(\[]*(انتهای|پایان) (پیام|خبر|مطلب|گزارش)[\s/\-–—)\].]*$", 5),
        (
            "comment form",
            r"^(نظر شما|نظرات|نظر|ارسال نظر|ثبت نظر|ارسال دیدگاه|دیدگاه ها|دیدگاهها|دیدگاه|"
            r"دیدگاه خود را بنویسید|نظر خود را بنویسید|نظرتان را بنویسید|نظر دهید|"
            r"نظرات کاربران|نظرات خوانندگان|پاسخ|پاسخ دادن|نام|نام شما|نام و نام خانوادگی|"
            r"ایمیل|پست الکترونیک|پست الکترونیکی|متن نظر|کد امنیتی|ارسال|انصراف|"
            r"" + _D + r"+ نظر|بدون نظر|نظرات بسته شده است|"
            r"نظرات حاوی توهین.*|لطفا از نوشتن با حروف لاتین.*|"
            r"نظرات ارسال شده توسط شما.*|منتشر شده: \d+ در انتظار بررسی.*)"
            r"\s*[:*]?\s*\*?$",
            25,
        ),
        (
            "news code",
            r"^(کد خبر|کدخبر|کد مطلب|شناسه خبر|شناسه مطلب|شماره خبر|کد|news id)" + _SEP + _D + r"+(\s*[|،,]\s*.*)?$",
            14,
        ),
        ("short link", r"^((لینک|آدرس|نشانی|پیوند) (کوتاه|خبر|مطلب)|کپی (لینک|شد)|short ?link)\b.*$", 8),
        ("short link", r"^https?://\S+$", 1),
        (
            "share or print",
            r"^((چاپ|نسخه چاپی|پرینت|ارسال به دوستان|ارسال به دوست|اشتراک گذاری|اشتراک|"
            r"ذخیره|بازنشر|بزرگنمایی|کوچکنمایی|افزایش اندازه متن|کاهش اندازه متن|"
            r"تلگرام|توییتر|تویتر|واتساپ|فیسبوک|لینکدین|ایتا|بله|روبیکا|سروش|گپ|"
            r"print|share|twitter|telegram|facebook|whatsapp|linkedin|email)"
            r"[\s|/•·،,\-–]*)+$",
            14,
        ),
        ("view count", r"^((تعداد )?(بازدید|بازدیدها|نمایش|مشاهده|دفعات مشاهده)|views?)\s*:?\s*[0-9۰-۹٠-٩,٬]+$", 4),
        ("view count", r"^[0-9۰-۹٠-٩,٬]+\s*(بار )?(بازدید|نمایش|مشاهده|views?)$", 4),
        (
            "copyright",
            r"^(©|\(c\)|copyright|کلیه حقوق|تمامی حقوق|همه حقوق|حقوق مادی و معنوی|"
            r"استفاده از (مطالب|اخبار|محتوای)|هرگونه (کپی|برداشت|استفاده)|"
            r"کپی برداری از)\b.*$",
            40,
        ),
        ("copyright", r"^.*(کلیه|تمامی|همه) حقوق.*(محفوظ|متعلق).*$", 30),
        (
            "tags",
            r"^(برچسب ها|برچسبها|برچسب|کلیدواژه ها|کلیدواژه|کلید واژه ها|کلمات کلیدی|تگ ها|تگها|"
            r"موضوعات|موضوعات مرتبط|tags?)\s*:.*$",
            40,
        ),
        ("tags", r"^(#\w+[\s,،]*){2,}$", 30),
        ("navigation", r"^(صفحه اصلی|صفحه نخست|خانه|home)(\s*[>›»/|]\s*[^>›»/|]+)*$", 12),
        ("navigation", r"^[^|›»>]{1,30}(\s*[|›»>]\s*[^|›»>]{1,30}){3,}$", 40),
        ("related news", r"^(بیشتر بخوانید|بخوانید|ببینید|بشنوید|مطلب مرتبط|خبر مرتبط|پیشنهاد سردبیر)\s*:.*$", 30),
        (
            "date line",
            r"^(تاریخ انتشار|زمان انتشار|تاریخ خبر|تاریخ|به روز شده|به روزرسانی|آخرین به روزرسانی|"
            r"آخرین بروزرسانی|منتشر شده|انتشار)\s*:.*$",
            16,
        ),
        (
            "byline",
            r"^(خبرنگار|نویسنده|گزارش|گزارشگر|ترجمه|مترجم|تنظیم|گردآوری|دبیر|عکاس|تهیه و تنظیم|"
            r"مصاحبه|گفتگو|گفت و گو)\s*:\s*\S.{0,60}$",
            8,
        ),
        (
            "social promo",
            r"^.*(کانال|صفحه|پیج|اکانت)\s+.{0,30}(تلگرام|اینستاگرام|ایتا|بله|روبیکا|توییتر|آپارات)"
            r".{0,40}(عضو شوید|بپیوندید|دنبال کنید|دنبال کردن|عضویت).*$",
            40,
        ),
        ("media control", r"^(دانلود|پخش|مشاهده) (فیلم|صوت|ویدیو|ویدئو|فایل صوتی|فایل)$", 4),
    )
)

_RELATED_HEADER = re.compile(
    r"^(اخبار مرتبط|مطالب مرتبط|خبرهای مرتبط|اخبار پیشنهادی|مطالب پیشنهادی|مطالب مشابه|اخبار مشابه|"
    r"پربازدیدترین( ها| اخبار| مطالب)?|پربازدید ترین( ها)?|پربحث ترین( ها)?|پربحثترین|آخرین اخبار|"
    r"تازه ترین اخبار|سایر اخبار|اخبار برگزیده|داغ ترین( ها)?|پیشنهاد سردبیر|از سراسر وب|"
    r"مطالب پربازدید|اخبار پربازدید|خواندنی ها|related( news| articles)?)\s*:?$",
    re.IGNORECASE,
)

# 'منبع عکس ها ایسنا، ایرنا و رویترز است.' / 'عکس: ایسنا' / 'منبع تصویر: رویترز'
_PHOTO_CREDIT = re.compile(
    r"^(?:(?:منبع|منابع|اعتبار)\s+(?:عکس ها|عکسها|عکس|تصویر|تصاویر|فیلم|ویدیو)|"
    r"(?:عکس ها|عکسها|عکس از|تصویر از|تصاویر|تصویر|عکاس|عکس|فتو))\s*(?::|از)?\s*(?P<names>.+?)"
    r"(?:\s+(?:است|هستند|می باشد|میباشد))?\s*[.۔]?$"
)

# 'منبع: ایسنا' / 'منبع خبر : خبرگزاری مهر' / 'به نقل از: تسنیم'
_SOURCE_FOOTER = re.compile(
    r"^(?:منبع|منابع|منبع خبر|منبع مطلب|منبع متن|منبع گزارش|برگرفته از|به نقل از|نقل از|source)\s*:\s*"
    r"(?P<names>.+?)\s*[.۔]?$",
    re.IGNORECASE,
)

# Words that describe an outlet without naming it: 'خبرگزاری مهر' -> 'مهر'.
_DESCRIPTORS = (
    "خبرگزاری",
    "پایگاه خبری",
    "پایگاه اطلاع رسانی",
    "پایگاه",
    "وبسایت",
    "وب سایت",
    "سایت",
    "روزنامه",
    "هفته نامه",
    "ماهنامه",
    "نشریه",
    "شبکه خبری",
    "شبکه",
    "رادیو",
    "تلویزیون",
    "خبرنگار",
    "خبرنگاران",
    "گروه",
    "سرویس",
    "دبیرخانه",
    "کانال",
    "بخش",
)
# 'خبرنگار خبربان از تبریز' / 'روزنگار در شیراز': where the reporter was, not who reported.
_PLACE_TAIL = re.compile(r"\s+(?:از|در)\s+\S+(?:\s+\S+)?$")
_DESCRIPTOR_RE = re.compile(r"(?:^|\s)(?:" + "|".join(sorted(_DESCRIPTORS, key=len, reverse=True)) + r")(?=\s)")
# The reporting outlet referring to itself: no name to record.
_SELF = re.compile(r"^(این|همین|ما|خبرنگار ما|این خبرگزاری|این پایگاه|این رسانه|این روزنامه)$")

# Well-known outlets, so 'به گزارش رویترز کری ...' (no comma) still ends at the name.
KNOWN_OUTLETS: tuple[str, ...] = (
    "ایرنا",
    "ایسنا",
    "مهر",
    "فارس",
    "تسنیم",
    "ایلنا",
    "ایکنا",
    "ایبنا",
    "شبستان",
    "میزان",
    "دانشجو",
    "باشگاه خبرنگاران جوان",
    "خبرآنلاین",
    "همشهری آنلاین",
    "همشهری",
    "عصرایران",
    "تابناک",
    "انتخاب",
    "جماران",
    "مشرق",
    "رجانیوز",
    "دنیای اقتصاد",
    "اقتصادنیوز",
    "اعتماد",
    "شرق",
    "کیهان",
    "ایران",
    "جام جم",
    "صداوسیما",
    "پرس تی وی",
    "العالم",
    "بی بی سی",
    "بی بی سی فارسی",
    "رادیو فردا",
    "یورونیوز",
    "رویترز",
    "آسوشیتدپرس",
    "آسوشیتد پرس",
    "فرانس پرس",
    "خبرگزاری فرانسه",
    "الجزیره",
    "سی ان ان",
    "نیویورک تایمز",
    "واشنگتن پست",
    "گاردین",
    "اسپوتنیک",
    "تاس",
    "شینهوا",
    "آناتولی",
    "المیادین",
    "پیام",
    "آنا",
    "ایونا",
    "سلامت نیوز",
    "فرارو",
    "نامه نیوز",
    "پارس",
    "صبا",
    "برنا",
    "رکنا",
    "روزیاتو",
    "خبر فوری",
    "اکو ایران",
    "اکوایران",
    "زومیت",
    "دیجیاتو",
    "ورزش سه",
    "طلوع نیوز",
    "آریانا نیوز",
    "پژواک",
    "باختر",
    "یورونیوز فارسی",
    "ایران اینترنشنال",
    "صدای آمریکا",
    "دویچه وله",
)
_ALIASES = {
    "خبرگزاری جمهوری اسلامی": "ایرنا",
    "خبرگزاری دانشجویان ایران": "ایسنا",
    "خبرگزاری کار ایران": "ایلنا",
    "خبرگزاری قرآنی ایران": "ایکنا",
    "خبرگزاری کتاب ایران": "ایبنا",
    "خبرگزاری آسوشیتدپرس": "آسوشیتدپرس",
}
_KNOWN_RE = re.compile(
    r"(?<!\S)(?:" + "|".join(sorted((re.escape(n) for n in KNOWN_OUTLETS), key=len, reverse=True)) + r")(?!\S)"
)

# 'به گزارش عصرایران،' / 'به نقل از مهر' / 'به گزارش رویترز کری ...'
_REPORT = re.compile(
    r"(?:^|[\s(«\"])(?:به گزارش|به نقل از|بنا بر گزارش|بنابر گزارش|به استناد گزارش)\s+"
    r"(?P<rest>[^.؟!?]{1,120})"
)
# Dateline: 'کرمانشاه-ایرنا-' / 'تهران- ایرنا -' / 'ایرنا:' / 'تهران (پانا) -'
_DATELINE = re.compile(
    r"^(?:[^\s\-–—:()]{2,20}(?: [^\s\-–—:()]{2,20})?\s*[-–—]\s*(?P<a>[^\s\-–—:()]{2,25}(?: [^\s\-–—:()]{2,25})?)"
    r"\s*[-–—]|[^\s\-–—:()]{2,20}(?: [^\s\-–—:()]{2,20})?\s*\((?P<b>[^()]{2,30})\)\s*[-–—])"
)
_LEADING_OUTLET = re.compile(r"^(?P<name>[^\s:]{2,25}(?: [^\s:]{2,25}){0,2})\s*:")


@dataclass(frozen=True, slots=True)
class LineKind:
    """What a rule says about one line: ``reason`` is set for lines to drop."""

    reason: str | None = None
    related_header: bool = False
    photo_credits: tuple[str, ...] = ()
    attributions: tuple[str, ...] = ()


KEEP = LineKind()


def split_names(names: str) -> list[str]:
    """'ایسنا، ایرنا و رویترز' -> ['ایسنا', 'ایرنا', 'رویترز']."""
    parts = re.split(r"\s*(?:[،,/؛;|]|\s+و\s+|\s+and\s+)\s*", names.strip(" .۔"))
    out = []
    for part in parts:
        part = part.strip(" .۔\"'«»()[]")
        if part:
            out.append(_outlet_name(part) or part)
    return out


def _outlet_name(phrase: str) -> str | None:
    """Reduce a phrase that names an outlet to the outlet: 'خبرنگار سیاسی خبرگزاری فارس' -> 'فارس'."""
    phrase = _PLACE_TAIL.sub("", canon(phrase).strip(" ،,:.«»\"'"))
    if not phrase:
        return None
    paren = re.search(r"\(([^()]{2,30})\)", phrase)
    if paren:
        return paren.group(1).strip()
    if phrase in _ALIASES:
        return _ALIASES[phrase]
    for alias, name in _ALIASES.items():
        if alias in phrase:
            return name
    if _SELF.match(phrase):
        return None
    known = list(_KNOWN_RE.finditer(phrase))
    if known:
        return known[-1].group(0)
    matches = list(_DESCRIPTOR_RE.finditer(phrase))
    if matches:
        tail = phrase[matches[-1].end() :].strip()
        if not tail or _SELF.match(tail) or tail.startswith("ما"):
            return None
        if matches[-1].group(0).strip() in ("خبرنگار", "خبرنگاران", "گروه", "سرویس", "بخش"):
            # 'گروه بین الملل مشرق': the outlet is the last word.
            return tail.split()[-1]
        return tail
    return phrase if word_count(phrase) <= 10 else None


def attributions_in(line: str) -> list[str]:
    """Outlets a body line cites, in order of appearance."""
    c = canon(line)
    found: list[str] = []
    m = _DATELINE.match(c)
    if m:
        name = _outlet_name(m.group("a") or m.group("b") or "")
        if name:
            found.append(name)
    else:
        lead = _LEADING_OUTLET.match(c)
        if lead and _KNOWN_RE.fullmatch(lead.group("name")):
            found.append(lead.group("name"))
    for m in _REPORT.finditer(c):
        rest = m.group("rest")
        pieces = re.split(r"\s+(?:و\s+)?به نقل از\s+", rest)
        for i, piece in enumerate(pieces):
            comma = re.search(r"[،,:]", piece)
            if comma and word_count(piece[: comma.start()]) <= 10:
                name = _outlet_name(piece[: comma.start()])
            elif i < len(pieces) - 1 and word_count(piece) <= 6:
                # 'به گزارش پیشخوان امروز به نقل از ...': the whole piece names the outlet.
                name = _outlet_name(piece)
            else:
                known = _KNOWN_RE.match(piece)
                if known:
                    name = known.group(0)
                else:
                    words = piece.split()
                    if not words:
                        continue
                    # No comma: a descriptor and its name, or one word.
                    if i == 0 and words[0] in ("خبرگزاری", "روزنامه", "شبکه", "سایت", "پایگاه") and len(words) > 1:
                        name = words[1]
                    else:
                        name = _outlet_name(words[0])
            if name and name not in found:
                found.append(name)
    return found


def classify(line: str) -> LineKind:
    """Classify one non-empty line."""
    c = canon(line)
    words = word_count(c)
    m = _PHOTO_CREDIT.match(c)
    if m and words <= 16:
        return LineKind(reason="photo credit", photo_credits=tuple(split_names(m.group("names"))))
    m = _SOURCE_FOOTER.match(c)
    if m and words <= 12:
        return LineKind(reason="source footer", attributions=tuple(split_names(m.group("names"))))
    if words <= 6 and _RELATED_HEADER.match(c):
        return LineKind(reason="related news", related_header=True)
    for reason, pattern, max_words in _BOILERPLATE:
        if words <= max_words and pattern.match(c):
            return LineKind(reason=reason)
    return KEEP
