"""A small Persian news web that the ingest tests serve on 127.0.0.1.

Three outlets publish feeds (RSS 2.0, Atom, RSS 1.0 and a JSON Feed) of article pages in UTF-8
and windows-1256, wrapped in the usual chrome (navigation, related news, a comment form), with
Jalali dates in ``<meta>`` and in the text. One outlet republishes another's story. A fourth
"outlet" lists pages that fail in every way we know: 500s, a timeout, a slow drip, a reset
connection, a truncated body, a redirect loop, a 50 MB page, a page robots.txt forbids, a redirect
to that page, a redirect to an ftp: URL. A plain redirect chain leads to one article page and
another to a feed; tests add their own redirects (to a second site, say) to ``redirects``.

All text here was written for these tests.
"""

from __future__ import annotations

import html
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# -- article texts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    jalali: str  # as printed on the page, e.g. "۱۲ آبان ۱۴۰۳"
    meta_date: str | None  # Jalali date in <meta>, or None: the page then has no date at all
    feed_date: str  # RFC 822 date the feed gives


STORIES: dict[str, Story] = {
    s.slug: s
    for s in (
        Story(
            "metro-line",
            "خط تازه قطار شهری تبریز به ایستگاه دانشگاه رسید",
            "مدیر قطار شهری تبریز از بهره‌برداری آزمایشی از سه ایستگاه تازه در شرق شهر خبر داد.",
            (
                "به گفته مدیرعامل شرکت قطار شهری، قطارهای خط دوم از صبح شنبه تا ایستگاه دانشگاه رفت‌وآمد "
                "می‌کنند و فاصله حرکت قطارها در ساعت‌های شلوغ به دوازده دقیقه می‌رسد.",
                "او افزود که ساخت دو ایستگاه دیگر این خط تا پایان سال آینده تمام می‌شود و پس از آن "
                "مسافران می‌توانند بدون تعویض قطار از میدان ساعت به پایانه مسافربری برسند.",
                "شهروندان ساکن محله‌های شرقی تبریز سال‌ها منتظر این خط بودند؛ بسیاری از آنان هر روز "
                "بیش از یک ساعت در ترافیک خیابان امام می‌ماندند تا به محل کار خود برسند.",
                "بلیت سفر در هفته نخست رایگان است و از هفته دوم با همان کارت‌های اتوبوس شهری پرداخت می‌شود.",
            ),
            "۱۲ آبان ۱۴۰۳",
            "۱۴۰۳/۰۸/۱۲ ۰۹:۳۰",
            "Sat, 02 Nov 2024 06:00:00 +0000",
        ),
        Story(
            "book-fair",
            "نمایشگاه کتاب شیراز با حضور ناشران کودک گشایش یافت",
            "نمایشگاه استانی کتاب فارس امسال بیش از چهارصد ناشر را در محل دائمی نمایشگاه‌ها گرد آورده است.",
            (
                "دبیر نمایشگاه گفت بخش کودک و نوجوان امسال دو برابر شده و کارگاه‌های قصه‌گویی هر روز "
                "از ساعت ده صبح برای دانش‌آموزان دبستانی برگزار می‌شود.",
                "به گفته او ناشران شهرستانی این بار غرفه رایگان گرفته‌اند تا کتاب‌های بومی فارس، از "
                "شعر محلی تا تاریخ ایل‌های جنوب، بیشتر دیده شوند.",
                "بازدیدکنندگان می‌توانند با کارت خرید دانشجویی تا سی درصد تخفیف بگیرند و کتاب‌های "
                "خریداری‌شده را برای ارسال رایگان به شهرهای دیگر استان بسپارند.",
            ),
            "۲۰ مهر ۱۴۰۳",
            "۱۴۰۳/۰۷/۲۰",
            "Sat, 12 Oct 2024 07:15:00 +0000",
        ),
        Story(
            "wheat-harvest",
            "برداشت گندم در دشت‌های گلستان زودتر از هر سال آغاز شد",
            "کشاورزان گلستانی به دلیل گرمای زودرس بهار، برداشت گندم را دو هفته جلو انداختند.",
            (
                "رئیس سازمان جهاد کشاورزی استان گفت پیش‌بینی می‌شود امسال نزدیک به نهصد هزار تن گندم "
                "از مزرعه‌های گلستان برداشت شود که بیشتر آن به مراکز خرید دولتی تحویل می‌شود.",
                "کمباین‌داران از استان‌های همسایه هم به منطقه آمده‌اند و کرایه هر هکتار برداشت "
                "امسال به توافق انجمن صنفی و کشاورزان رسیده است.",
                "کارشناسان هشدار داده‌اند که باران‌های پراکنده هفته آینده ممکن است کیفیت دانه را "
                "پایین بیاورد و از کشاورزان خواسته‌اند برداشت را به تأخیر نیندازند.",
            ),
            "۵ خرداد ۱۴۰۳",
            None,  # no date on the page: the feed's date is the only one
            "Sat, 25 May 2024 05:00:00 +0000",
        ),
        Story(
            "football-derby",
            "دیدار دو تیم اصفهانی بدون گل به پایان رسید",
            "شهرآورد اصفهان در ورزشگاه نقش جهان با تساوی بدون گل تمام شد و هر دو تیم یک امتیاز گرفتند.",
            (
                "میزبان در نیمه نخست دو موقعیت خوب داشت اما دروازه‌بان مهمان هر دو ضربه را مهار کرد؛ "
                "در نیمه دوم بازی کندتر شد و مربیان بیشتر به حفظ نتیجه فکر می‌کردند.",
                "سرمربی تیم میزبان پس از بازی گفت زمین سنگین بود و بازیکنانش پس از سه بازی پشت‌سرهم "
                "خسته بودند، ولی از تلاش آنان راضی است.",
                "با این نتیجه هر دو تیم در میانه جدول ماندند و هفته آینده باید در شهرهای دیگر به میدان بروند.",
            ),
            "۲۸ شهریور ۱۴۰۳",
            "۱۴۰۳/۰۶/۲۸ ۲۱:۰۰",
            "Wed, 18 Sep 2024 17:30:00 +0000",
        ),
        Story(
            "caspian-weather",
            "هشدار هواشناسی برای باران شدید در سواحل خزر",
            "اداره‌کل هواشناسی مازندران برای دو روز آینده هشدار سطح نارنجی صادر کرد.",
            (
                "بر پایه این هشدار، از عصر دوشنبه بارش‌های شدید همراه با رعدوبرق در نوار ساحلی و "
                "دامنه‌های شمالی البرز پیش‌بینی می‌شود و احتمال جاری شدن سیلاب در رودخانه‌های کوچک وجود دارد.",
                "مدیریت بحران استان از مردم خواسته است از توقف و چادر زدن در حاشیه رودخانه‌ها "
                "خودداری کنند و رانندگان در جاده‌های کوهستانی با احتیاط بیشتری برانند.",
                "ماهیگیران نیز تا پایان هشدار نباید با قایق‌های کوچک به دریا بروند، چون ارتفاع موج "
                "به بیش از دو متر می‌رسد.",
            ),
            "۳ آذر ۱۴۰۳",
            "۱۴۰۳/۰۹/۰۳",
            "Sun, 24 Nov 2024 08:45:00 +0000",
        ),
        Story(
            "carpet-export",
            "صادرات فرش دستباف کاشان رو به افزایش است",
            "اتحادیه فرش‌فروشان کاشان از رشد فروش به کشورهای همسایه در شش ماه نخست سال خبر داد.",
            (
                "رئیس اتحادیه گفت بیشتر خریداران از کشورهای حاشیه خلیج فارس هستند و طرح‌های سنتی "
                "کاشان با رنگ‌های گیاهی همچنان بیشترین مشتری را دارد.",
                "به گفته او بافندگان روستایی هنوز با کمبود نخ مرغوب روبه‌رو هستند و اتحادیه در حال "
                "ساختن انبار مشترکی است تا نخ را با قیمت ثابت به آنان بفروشد.",
                "نمایشگاه فرش دستباف کاشان هم قرار است پاییز امسال با حضور بازرگانان خارجی برگزار شود.",
            ),
            "۱۵ مهر ۱۴۰۳",
            "۱۴۰۳/۰۷/۱۵",
            "Mon, 07 Oct 2024 10:00:00 +0000",
        ),
    )
}

NAV = ("صفحه اصلی", "سیاسی", "اقتصادی", "ورزشی", "فرهنگی", "استان‌ها")
RELATED = (
    "قیمت نان در استان ثابت ماند",
    "ساعت کار ادارات در تابستان تغییر کرد",
    "مسابقه کتاب‌خوانی دانش‌آموزان برگزار می‌شود",
)
COMMENT_FORM = "دیدگاه خود را بنویسید"


def article_html(outlet: str, story: Story, *, credit: str | None = None, charset_meta: str | None = "utf-8") -> str:
    """A full article page with the chrome real outlets wrap around the story."""
    meta_date = (
        f'<meta name="date" content="{story.meta_date}">\n<meta property="article:published_time" '
        f'content="{story.meta_date}">'
        if story.meta_date
        else ""
    )
    dateline = f"<p class='date'>تاریخ انتشار: {story.jalali}</p>" if story.meta_date else ""
    nav = " | ".join(f"<a href='/{outlet}/'>{n}</a>" for n in NAV)
    related = "".join(f"<li><a href='/{outlet}/related-{i}.html'>{t}</a></li>" for i, t in enumerate(RELATED))
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in story.paragraphs)
    source_line = f"<p>{html.escape(credit)}</p>" if credit else ""
    charset = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head>{charset}
<title>{html.escape(story.title)} | {outlet}</title>
{meta_date}
</head><body>
<header><nav class="menu">{nav}</nav><div class="ticker">آخرین خبرها: {RELATED[0]}</div></header>
<main><article>
<h1>{html.escape(story.title)}</h1>
{dateline}
<p class="lead"><strong>{html.escape(story.lead)}</strong></p>
{body}{source_line}
</article>
<aside class="related"><h3>اخبار مرتبط</h3><ul>{related}</ul></aside>
<section class="comments"><h3>{COMMENT_FORM}</h3>
<form method="post" action="/{outlet}/comment"><label>نام</label><input name="name">
<label>ایمیل</label><input name="email"><textarea name="body"></textarea>
<button>ارسال نظر</button></form></section>
</main>
<footer>تمام حقوق این پایگاه محفوظ است. نشانی: خیابان آزادی، پلاک ۱۲</footer>
</body></html>"""


def to_cp1256_text(text: str) -> str:
    """What a windows-1256 site prints: Arabic yeh, plain he, Latin digits."""
    table = str.maketrans({"ی": "ي", "ۀ": "ه", **{chr(0x6F0 + i): str(i) for i in range(10)}})
    return text.translate(table)


# -- the site -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Log:
    """Requests the site received (path, If-None-Match header), guarded by a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: list[tuple[str, str | None, float]] = field(default_factory=list)

    def add(self, path: str, inm: str | None) -> None:
        with self.lock:
            self.entries.append((path, inm, time.monotonic()))

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _, _ in self.entries]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


FAULTS = {
    "/khata/server-error.html": "HTTP 500",
    "/khata/timeout.html": "timed out",
    "/khata/dribble.html": "too slow",  # a byte at a time, never finishing
    "/khata/reset.html": "connection",  # reset during or before the response
    "/khata/truncated.html": "truncated",
    "/khata/loop.html": "redirect",
    "/khata/huge.html": "too large",
    "/khata/huge-chunked.html": "too large",
    "/private/secret.html": "robots.txt",
    "/khata/to-private.html": "robots.txt",  # a redirect to /private/secret.html
    "/khata/to-ftp.html": "not an http(s) URL",
    "/khata/missing.html": "HTTP 404",
    "/khata/photo.html": "not an article page",
}


class NewsSite:
    """Serve the news web on 127.0.0.1 (a free port) until :meth:`close`."""

    def __init__(self, *, timeout_sleep: float = 5.0) -> None:
        self.log = Log()
        self.timeout_sleep = timeout_sleep
        self._stop = threading.Event()
        self._flaky_hits = 0
        self._flaky_lock = threading.Lock()
        self.pages: dict[str, Response] = {}
        self.redirects: dict[str, tuple[int, str]] = {}  # path -> (status, Location)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                site.log.add(self.path, self.headers.get("If-None-Match"))
                try:
                    site._serve(self)
                except (TimeoutError, BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._build()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> NewsSite:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- content ----------------------------------------------------------------------------
    @property
    def article_paths(self) -> list[str]:
        """Every page that can be fetched and is an article (each must be stored exactly once)."""
        pages = sorted(p for p in self.pages if p.endswith(".html") and "/related-" not in p)
        return [*pages, "/khata/flaky.html", "/khata/slow.html"]

    def _build(self) -> None:
        s = STORIES
        # Khabarnameh: UTF-8 pages, RSS 2.0 feed with ETag and Last-Modified.
        kh = ("metro-line", "book-fair", "wheat-harvest")
        for slug in kh:
            self.pages[f"/khabarnameh/{slug}.html"] = Response(body=article_html("khabarnameh", s[slug]).encode())
        self.pages["/khabarnameh/rss.xml"] = Response(
            body=self._rss2("خبرنامه", "khabarnameh", kh).encode(),
            content_type="application/rss+xml; charset=utf-8",
            headers=(("ETag", '"kh-1"'), ("Last-Modified", formatdate(1_730_000_000, usegmt=True))),
        )
        # Sepidedam: windows-1256 pages (charset in <meta> only, or in the header only), Atom.
        sp = ("football-derby", "caspian-weather")
        page = to_cp1256_text(article_html("sepidedam", s["football-derby"], charset_meta="windows-1256"))
        self.pages["/sepidedam/football-derby.html"] = Response(body=page.encode("cp1256"), content_type="text/html")
        page = to_cp1256_text(article_html("sepidedam", s["caspian-weather"], charset_meta=None))
        self.pages["/sepidedam/caspian-weather.html"] = Response(
            body=page.encode("cp1256"), content_type="text/html; charset=windows-1256"
        )
        self.pages["/sepidedam/atom.xml"] = Response(
            body=self._atom("سپیده‌دم", "sepidedam", sp).encode(),
            content_type="application/atom+xml",
            headers=(("ETag", '"sp-7"'),),
        )
        # Bamdad: RSS 1.0 and a JSON Feed; republishes Khabarnameh's metro story; links carry
        # tracking parameters, and the JSON Feed repeats an RSS entry.
        self.pages["/bamdad/carpet-export.html"] = Response(body=article_html("bamdad", s["carpet-export"]).encode())
        self.pages["/bamdad/metro-tabriz.html"] = Response(
            body=article_html("bamdad", s["metro-line"], credit="منبع: خبرنامه").encode()
        )
        self.pages["/bamdad/rdf.xml"] = Response(
            body=self._rss1("بامداد", "bamdad", ("carpet-export", "metro-tabriz")).encode(),
            content_type="application/rdf+xml",
        )
        self.pages["/bamdad/feed.json"] = Response(
            body=json.dumps(
                {
                    "version": "https://jsonfeed.org/version/1.1",
                    "title": "بامداد",
                    "items": [
                        {
                            "id": "1",
                            "url": self.url("/bamdad/carpet-export.html?utm_source=jsonfeed&utm_medium=feed"),
                            "title": s["carpet-export"].title,
                            "date_published": "2024-10-07T10:00:00+00:00",
                        }
                    ],
                },
                ensure_ascii=False,
            ).encode(),
            content_type="application/feed+json",
        )
        # Khata: the faults, listed in an RSS 2.0 feed.
        self.pages["/khata/rss.xml"] = Response(
            body=self._rss_paths("خطا", [*FAULTS, "/khata/flaky.html", "/khata/slow.html"]).encode(),
            content_type="application/rss+xml; charset=utf-8",
        )
        self.pages["/robots.txt"] = Response(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        # Redirects: a moved article (301, relative Location, then 302, absolute), a moved feed,
        # and two faults: a redirect into what robots.txt forbids, and one to an ftp: URL.
        self.redirects["/khabarnameh/old/metro-line.html"] = (301, "../moved/metro-line.html")
        self.redirects["/khabarnameh/moved/metro-line.html"] = (302, self.url("/khabarnameh/metro-line.html"))
        self.redirects["/khabarnameh/old-rss.xml"] = (301, "/khabarnameh/rss.xml")
        self.redirects["/khata/to-private.html"] = (302, "/private/secret.html")
        self.redirects["/khata/to-ftp.html"] = (302, "ftp://127.0.0.1/khata/photo.html")

    def _item_date(self, slug: str) -> str:
        return STORIES[slug].feed_date if slug in STORIES else "Mon, 07 Oct 2024 10:00:00 +0000"

    def _rss2(self, title: str, outlet: str, slugs: tuple[str, ...]) -> str:
        items = "".join(
            f"<item><title>{html.escape(STORIES[sl].title)}</title>"
            f"<link>{self.url(f'/{outlet}/{sl}.html')}?utm_source=rss&amp;utm_campaign=feed</link>"
            f"<pubDate>{STORIES[sl].feed_date}</pubDate></item>"
            for sl in slugs
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{self.url(f'/{outlet}/')}</link><description>{title}</description>{items}</channel></rss>"
        )

    def _rss_paths(self, title: str, paths: list[str]) -> str:
        items = "".join(f"<item><title>{p}</title><link>{self.url(p)}</link></item>" for p in paths)
        return (
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>{self.url('/khata/')}</link><description>{title}</description>{items}</channel></rss>"
        )

    def _atom(self, title: str, outlet: str, slugs: tuple[str, ...]) -> str:
        entries = "".join(
            f"<entry><title>{html.escape(STORIES[sl].title)}</title>"
            f'<link rel="alternate" href="{self.url(f"/{outlet}/{sl}.html")}"/>'
            f"<id>tag:{outlet},2024:{sl}</id><updated>2024-11-24T08:45:00Z</updated></entry>"
            for sl in slugs
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>tag:{outlet},2024:feed</id><updated>2024-11-24T08:45:00Z</updated>"
            f"{entries}</feed>"
        )

    def _rss1(self, title: str, outlet: str, names: tuple[str, ...]) -> str:
        items = "".join(
            f'<item rdf:about="{self.url(f"/{outlet}/{n}.html")}"><title>{n}</title>'
            f"<link>{self.url(f'/{outlet}/{n}.html')}</link><dc:date>2024-10-07T10:00:00Z</dc:date></item>"
            for n in names
        )
        seq = "".join(f'<rdf:li resource="{self.url(f"/{outlet}/{n}.html")}"/>' for n in names)
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{self.url(f"/{outlet}/rdf.xml")}"><title>{title}</title>'
            f"<link>{self.url(f'/{outlet}/')}</link><description>{title}</description>"
            f"<items><rdf:Seq>{seq}</rdf:Seq></items></channel>{items}</rdf:RDF>"
        )

    # -- serving ------------------------------------------------------------------------------
    def _send(self, h: BaseHTTPRequestHandler, r: Response) -> None:
        h.send_response(r.status)
        h.send_header("Content-Type", r.content_type)
        h.send_header("Content-Length", str(len(r.body)))
        for k, v in r.headers:
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(r.body)

    def _redirect(self, h: BaseHTTPRequestHandler, status: int, location: str) -> None:
        h.send_response(status)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path.split("?", 1)[0]
        story_page = self.pages.get("/khabarnameh/book-fair.html")
        assert story_page is not None
        if path == "/khata/server-error.html":
            self._send(h, Response(500, "<h1>خطای سرور</h1>".encode()))
        elif path == "/khata/flaky.html":
            with self._flaky_lock:
                self._flaky_hits += 1
                first = self._flaky_hits == 1
            if first:
                self._send(h, Response(503, b"busy", headers=(("Retry-After", "0"),)))
            else:
                self._send(h, Response(body=article_html("khata", STORIES["caspian-weather"]).encode()))
        elif path == "/khata/timeout.html":
            self._stop.wait(self.timeout_sleep)
            self._send(h, story_page)
        elif path == "/khata/slow.html":
            body = article_html("khata", STORIES["wheat-harvest"]).encode()
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            step = len(body) // 4 + 1
            for i in range(0, len(body), step):
                h.wfile.write(body[i : i + step])
                h.wfile.flush()
                self._stop.wait(0.1)
        elif path == "/khata/dribble.html":
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", "1000000")
            h.end_headers()
            while not self._stop.is_set():
                h.wfile.write(b"<")
                h.wfile.flush()
                self._stop.wait(0.05)
        elif path == "/khata/reset.html":
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            h.connection.close()
            h.close_connection = True
        elif path == "/khata/truncated.html":
            body = story_page.body
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            h.close_connection = True
        elif path == "/khata/loop.html":
            self._redirect(h, 302, "/khata/loop-back.html")
        elif path == "/khata/loop-back.html":
            self._redirect(h, 301, "/khata/loop.html")
        elif path in ("/khata/huge.html", "/khata/huge-chunked.html"):
            total = 50 * 1024 * 1024
            h.send_response(200)
            h.send_header("Content-Type", "text/html; charset=utf-8")
            if path == "/khata/huge.html":
                h.send_header("Content-Length", str(total))
            else:
                h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            chunk = ("<p>" + "متن بسیار بلند " * 4000 + "</p>").encode()
            sent = 0
            while sent < total and not self._stop.is_set():
                if path == "/khata/huge.html":
                    h.wfile.write(chunk)
                else:
                    h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                sent += len(chunk)
            h.close_connection = True
        elif path == "/khata/missing.html":
            self._send(h, Response(404, "<h1>صفحه پیدا نشد</h1>".encode()))
        elif path == "/khata/photo.html":
            self._send(h, Response(body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="image/png"))
        elif path == "/private/secret.html":
            self._send(h, story_page)
        elif path in self.redirects:
            self._redirect(h, *self.redirects[path])
        elif path in self.pages:
            r = self.pages[path]
            etag = dict(r.headers).get("ETag")
            if etag and h.headers.get("If-None-Match") == etag:
                h.send_response(304)
                h.send_header("ETag", etag)
                h.send_header("Content-Length", "0")
                h.end_headers()
                return
            self._send(h, r)
        else:
            self._send(h, Response(404, b"not found"))

    @property
    def feeds(self) -> list[str]:
        return [
            self.url(p)
            for p in (
                "/khabarnameh/rss.xml",
                "/sepidedam/atom.xml",
                "/bamdad/rdf.xml",
                "/bamdad/feed.json",
                "/khata/rss.xml",
            )
        ]


def archive_pages(path: object, count: int, host: str = "http://akhbar.example.ir") -> list[str]:
    """Write ``count`` distinct article pages as WARC response records (as if fetched from
    ``host``); returns their URLs. For crash tests and benchmarks."""
    from khabar.ingest.warc import WarcArchive

    warc = WarcArchive(str(path))
    stories = list(STORIES.values())
    urls = []
    for i in range(count):
        s = stories[i % len(stories)]
        n = str(i).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        turn = i % len(s.paragraphs)
        variant = Story(
            slug=f"{s.slug}-{i}",
            title=f"{s.title}؛ گزارش شماره {n}",
            lead=s.lead,
            paragraphs=(
                f"این گزارش شماره {n} از مجموعه گزارش‌های میدانی خبرنگاران ما در استان‌هاست.",
                *s.paragraphs[turn:],
                *s.paragraphs[:turn],
            ),
            jalali=s.jalali,
            meta_date=s.meta_date,
            feed_date=s.feed_date,
        )
        url = f"{host}/news/{i}/{s.slug}.html"
        body = article_html("akhbar", variant).encode()
        warc.add_response(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body, "2024-11-24T08:45:00Z")
        urls.append(url)
    return urls
