"""khabar clean: boilerplate, repeats, attributions, HTML, encodings and bad input."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from khabar.extract import clean_document, clean_document_all
from khabar.extract.decode import fix_mojibake
from khabar.model import RawDocument

FIX = Path(__file__).parent / "fixtures" / "clean"
EXAMPLE = Path(__file__).resolve().parents[2] / "shared" / "examples" / "000_068be423bd4cb168.txt"


def khabar(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "khabar.cli", *args], input=stdin, capture_output=True, timeout=120)


def records(out: bytes) -> list[dict]:
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.strip()]


def reasons(article) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for r in article.removed:
        found.setdefault(r.reason, []).append(r.text)
    return found


@pytest.mark.skipif(not EXAMPLE.exists(), reason="../shared/examples is not beside this checkout")
def test_shared_example_page_gives_one_clean_article():
    proc = khabar("clean", str(EXAMPLE))
    assert proc.returncode == 0, proc.stderr
    arts = records(proc.stdout)
    assert len(arts) == 1
    art = arts[0]
    assert art["error"] is None and art["language"] == "fa"
    assert art["lead"].startswith("محمدجواد ظریف و جان کری") and art["lead"].endswith("دیدار کردند.")
    assert len(art["paragraphs"]) == 6
    assert len({p for p in art["paragraphs"]}) == 6
    body = "\n".join(art["paragraphs"])
    assert body.count("اقامتگاه نماینده ایران") == 2  # two sentences mention it; each once
    assert art["attributions"] == ["عصرایران", "رویترز"]
    assert art["photo_credits"] == ["ایسنا", "ایرنا", "رویترز"]
    why = {r["reason"] for r in art["removed"]}
    assert {"comment form", "repeated block", "end mark", "photo credit"} <= why
    assert any(r["text"] == "نظر شما" and r["reason"] == "comment form" for r in art["removed"])
    copy = next(r["text"] for r in art["removed"] if r["reason"] == "repeated block")
    assert copy.count("\n") == 5  # the whole six-paragraph copy, as one block
    assert "می\u200cشود" in body and "شده\u200cاند" in body
    for word in ("ایرانی\u200cاش", "حوثی\u200cها", "نزدیک\u200cتر شده\u200cایم", "۱+۵"):
        assert word in body, word
    assert art["signals"]["repeated_line_fraction"] > 0.3
    kept = records(khabar("clean", "--digits", "keep", str(EXAMPLE)).stdout)[0]
    assert "گروه 1+5 بیش" in "\n".join(kept["paragraphs"])


def test_each_kind_of_boilerplate_is_removed_with_its_reason():
    art = clean_document(RawDocument("chrome_page.txt", (FIX / "chrome_page.txt").read_bytes()))
    why = reasons(art)
    for reason in (
        "navigation",
        "related news",
        "tags",
        "news code",
        "view count",
        "short link",
        "share or print",
        "end of message",
        "source footer",
        "photo credit",
        "copyright",
        "comment form",
    ):
        assert reason in why, reason
    assert art.title == "افزایش صادرات زعفران خراسان در پاییز امسال"
    assert art.lead and art.lead.startswith("صادرات زعفران")
    assert len(art.paragraphs) == 3
    assert "کاهش بارش در مشهد" in why["related news"]  # headline list under 'اخبار مرتبط'
    # dateline, 'به گزارش خبرگزاری مهر،' and the 'منبع:' footer, in order
    assert art.attributions == ("ایرنا", "مهر", "ایسنا")
    assert art.photo_credits == ("ایرنا",)
    assert 0.2 < art.signals["boilerplate_fraction"] < 0.8


def test_listing_page_keeps_every_article():
    arts = clean_document_all(RawDocument("listing.txt", (FIX / "listing.txt").read_bytes()))
    assert len(arts) == 3
    assert [a.attributions for a in arts] == [("ایسنا",), ("فارس",), ("ایرنا",)]
    assert [a.source for a in arts] == ["listing.txt", "listing.txt#2", "listing.txt#3"]
    assert all(a.error is None and len(a.paragraphs) == 2 for a in arts)


def test_short_lines_that_recur_in_different_paragraphs_stay():
    art = clean_document(RawDocument("short.txt", (FIX / "short_repeats.txt").read_bytes()))
    assert [p for p in art.paragraphs if p == "وی افزود:"] == ["وی افزود:", "وی افزود:"]
    assert not art.removed


BODY = [
    "سازمان هواشناسی از ورود سامانه بارشی تازه به نیمه غربی کشور از روز پنجشنبه خبر داد.",
    "به گزارش ایلنا، این سامانه در استان های کرمانشاه، لرستان و ایلام باران شدید به همراه خواهد داشت.",
    "کارشناسان هشدار داده اند که احتمال جاری شدن سیلاب در مسیل ها و رودخانه های فصلی وجود دارد.",
    "مدیریت بحران استان ها از مردم خواسته است از توقف در حاشیه رودخانه ها خودداری کنند.",
]


def test_near_copy_with_missing_lead_other_spacing_and_extra_lines_is_dropped():
    copy = [
        # no lead; half-spaces and spacing differ; Arabic yeh; an extra trailing line
        "به گزارش ايلنا ، اين سامانه در استان‌های کرمانشاه، لرستان و ایلام باران شدید به همراه خواهد داشت.",
        "کارشناسان هشدار داده‌اند که احتمال جاری شدن سیلاب در مسیل‌ها و رودخانه‌های فصلی وجود دارد.",
        "مدیریت بحران استان‌ها از مردم خواسته است از توقف در حاشیه رودخانه‌ها خودداری کنند.",
        "نظر شما",
    ]
    text = "\n".join(BODY + copy)
    arts = clean_document_all(RawDocument("copy.txt", text))
    assert len(arts) == 1
    art = arts[0]
    assert art.lead == BODY[0].replace("  ", " ")
    assert len(art.paragraphs) == 3
    assert [r.reason for r in art.removed] == ["repeated block", "comment form"]


def test_different_articles_on_one_topic_are_both_kept():
    other = [
        "سازمان هواشناسی از کاهش دمای هوا در نیمه شمالی کشور از هفته آینده خبر داد.",
        "به گزارش ایسنا، دمای هوای تبریز و اردبیل تا پنج درجه کاهش می یابد و یخبندان صبحگاهی رخ می دهد.",
        "کشاورزان باید برای حفاظت از محصولات گلخانه ای تدابیر لازم را بیندیشند.",
    ]
    arts = clean_document_all(RawDocument("two.txt", "\n".join([*BODY, "∎", *other])))
    assert len(arts) == 2
    assert not any(r.reason == "repeated block" for a in arts for r in a.removed)


def test_html_page_uses_trafilatura_and_keeps_half_spaces():
    art = clean_document(RawDocument("page.html", (FIX / "page.html").read_bytes()))
    assert art.error is None
    assert art.title == "بارش برف راه‌های شمالی را بست"
    assert art.lead == "بارش سنگین برف از بامداد امروز رفت‌وآمد در جاده‌های شمالی کشور را مختل کرد."
    assert art.site == "روزنامه نمونه"
    text = "\n".join(art.paragraphs)
    assert "ماشین\u200cآلات" in text and "شده\u200cاند" in text
    assert "alert" not in text and "صفحه اصلی" not in text and "سرمای شدید" not in text
    assert all("کد خبر" not in p for p in art.paragraphs)
    assert len(art.paragraphs) == 3


def test_windows_1256_and_utf16_and_mojibake_decode():
    text = "\n".join(BODY).replace("ی", "ي")  # windows-1256 has only the Arabic yeh
    for data, enc in (
        (text.encode("cp1256"), "cp1256"),
        (text.encode("utf-16"), "utf-16-le"),
        (b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8-sig"),
    ):
        art = clean_document(RawDocument("x.txt", data))
        assert art.error is None, art.error
        assert art.encoding == enc
        assert "کرمانشاه" in art.paragraphs[0] and "ي" not in art.paragraphs[0]
    moji = "\n".join(BODY).encode("utf-8").decode("cp1256")
    assert fix_mojibake(moji) == "\n".join(BODY)
    art = clean_document(RawDocument("moji.txt", moji.encode("utf-8")))
    assert art.error is None and art.lead and art.lead.startswith("سازمان هواشناسی")


def test_windows_1256_html_with_meta_charset(tmp_path: Path):
    html = (FIX / "page.html").read_text("utf-8").replace('charset="utf-8"', 'charset="windows-1256"')
    html = html.replace("ی", "ي")  # windows-1256 has ZWNJ (0x9D) but only the Arabic yeh
    path = tmp_path / "page1256.html"
    path.write_bytes(html.encode("cp1256", errors="xmlcharrefreplace"))  # Persian digits as &#...;
    proc = khabar("clean", str(path))
    assert proc.returncode == 0, proc.stderr
    art = records(proc.stdout)[0]
    assert art["encoding"] == "cp1256"
    assert "ماشین\u200cآلات" in "\n".join(art["paragraphs"])


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty input"),
        (b"   \n\n  ", "empty input"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
        (b"\x1f\x8b\x08\x00" + bytes(200), "gzip"),
        (bytes(range(256)) * 8, "binary"),
        (b"The cabinet met on Monday and discussed the budget for next year at length.", "not Persian"),
        (
            "اجتمع مجلس الوزراء يوم الاثنين وناقش الميزانية العامة للعام المقبل بالتفصيل في الجلسة.".encode(),
            "not Persian",
        ),
        ("کابینہ نے پیر کے روز اجلاس میں اگلے سال کے بجٹ پر تفصیل سے بحث کی اور فیصلے کیے۔".encode(), "not Persian"),
        (b"\xd8\xa7\xd8" + b"\xff\xfe\xfa" * 50, "cannot decode"),
    ],
)
def test_bad_input_gets_a_clear_reason(data: bytes, reason: str):
    art = clean_document(RawDocument("bad-input", data))
    assert art.error and reason in art.error


def test_truncated_utf8_is_reported_and_salvaged():
    data = "\n".join(BODY).encode("utf-8")[:-2]  # '.' and half of the last letter
    art = clean_document(RawDocument("cut.txt", data))
    assert art.error and "truncated" in art.error
    assert art.paragraphs  # what could be read is kept


def test_cli_reports_each_bad_input_and_carries_on(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("\n".join(BODY), "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(500))
    proc = khabar("clean", str(empty), str(good), str(binary), str(tmp_path / "missing.txt"))
    assert proc.returncode == 1
    errors = proc.stderr.decode().strip().splitlines()
    assert len(errors) == 3 and all(line.startswith("khabar clean: ") for line in errors)
    assert "Traceback" not in proc.stderr.decode()
    arts = records(proc.stdout)
    assert [a["error"] is None for a in arts] == [False, True, False, False]
    assert "missing.txt" in arts[3]["source"] and "no such file" in arts[3]["error"]


def test_cli_jsonl_records_and_bad_lines(tmp_path: Path):
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "\n".join(BODY), "url": "https://x.example/1"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a3", "html": (FIX / "page.html").read_text("utf-8")}, ensure_ascii=False),
        json.dumps({"id": "a4", "title": "no body"}),
        json.dumps({"id": "a5", "text": "\n".join(BODY)}, ensure_ascii=False)[:40],  # truncated last line
    ]
    path.write_text("\n".join(lines), "utf-8")
    proc = khabar("clean", str(path))
    assert proc.returncode == 1
    arts = records(proc.stdout)
    assert [a["source"] for a in arts] == [f"{path}#a1", f"{path}:2", f"{path}#a3", f"{path}#a4", f"{path}:5"]
    assert arts[0]["url"] == "https://x.example/1" and arts[0]["error"] is None
    assert "invalid JSON" in arts[1]["error"]
    assert arts[2]["title"] == "بارش برف راه‌های شمالی را بست"
    assert "no 'text' or 'html'" in arts[3]["error"]
    assert "truncated" in arts[4]["error"]


def test_cli_stdin_text_format_and_gzip(tmp_path: Path):
    proc = khabar("clean", "--format", "text", stdin="\n".join(BODY).encode())
    assert proc.returncode == 0
    out = proc.stdout.decode()
    assert out.startswith("سازمان هواشناسی") and "استان‌های کرمانشاه" in out and "{" not in out
    gz = tmp_path / "page.txt.gz"
    gz.write_bytes(gzip.compress("\n".join(BODY).encode()))
    proc = khabar("clean", str(gz))
    assert proc.returncode == 0 and records(proc.stdout)[0]["signals"]["paragraphs"] == 3


def test_huge_input_is_refused_without_reading_it(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(3 * 1024 * 1024 * 1024)  # a sparse 3 GB file: reading it would take long
    proc = khabar("clean", "--max-bytes", "10M", str(big))
    assert proc.returncode == 1
    assert "too large" in proc.stderr.decode() and "3.0 GB" in proc.stderr.decode()


def test_huge_jsonl_streams_record_by_record(tmp_path: Path):
    path = tmp_path / "many.jsonl"
    rec = json.dumps({"text": "\n".join(BODY)}, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as f:
        for i in range(300):
            f.write(rec.replace("{", f'{{"id": {i}, ', 1) + "\n")
        f.write(json.dumps({"id": "big", "text": "ا" * 3_000_000}) + "\n")
    proc = khabar("clean", "--max-bytes", "1M", str(path))
    arts = records(proc.stdout)
    assert len(arts) == 301 and sum(a["error"] is None for a in arts) == 300
    assert "larger than" in arts[-1]["error"]


def test_hostile_html_is_handled():
    nested = "<div>" * 5000 + "متن" + "</div>" * 5000
    hostile = (
        f"<html><body><script>document.write('<p>')</script><p onclick=alert(1)>"
        f"{' '.join(BODY)}</p>{nested}<iframe src=javascript:alert(1)></iframe></body></html>"
    )
    art = clean_document(RawDocument("hostile.html", hostile.encode()))
    assert art.error is None
    assert all("<" not in p and "alert" not in p for p in art.paragraphs)


def test_publication_dates_from_html_metadata_and_persian_text():
    art = clean_document(RawDocument("page.html", (FIX / "page.html").read_bytes()))
    assert art.published == "2024-01-15T05:00:00+00:00"  # 08:30 Tehran (+03:30)
    assert art.published_jalali and art.published_jalali.startswith("۱۴۰۲/۱۰/۲۵")
    text = "سه شنبه ۸ ارديبهشت ۱۳۹۴ - ساعت ۱۰:۳۰\n" + "\n".join(BODY)
    art = clean_document(RawDocument("dated.txt", text))
    assert art.published == "2015-04-28T06:00:00+00:00"  # 10:30 Tehran (+04:30 in summer 2015)
    assert art.title is None and art.lead and art.lead.startswith("سازمان هواشناسی")
    assert [r.reason for r in art.removed] == ["date line"]


def test_attribution_phrases_name_outlets_not_places():
    from khabar.extract.rules import attributions_in

    assert attributions_in("به گزارش خبرنگار خبربان از تبریز، کتابخانه تازه گشایش یافت.") == ["خبربان"]
    assert attributions_in("به گزارش پیشخوان امروز به نقل از خبربان، کتابخانه باز شد.") == ["پیشخوان امروز", "خبربان"]
    assert attributions_in("به گزارش خبرنگار سیاسی خبرگزاری فارس، وزیر گفت.") == ["فارس"]
    assert attributions_in("به گزارش این خبرگزاری، جلسه برگزار شد.") == []


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        ('<meta property="og:title" content="سرخط از og">', "<h1>سرخط صفحه</h1>", "سرخط از og"),
        ("<title>سرخط از عنوان | خبرگزاری نمونه</title>", "", "سرخط از عنوان"),
        (
            "<title>خبرگزاری نمونه - سرخط بلندتر از نام رسانه</title>",
            "<h1>یک</h1><h1>دو</h1>",
            "سرخط بلندتر از نام رسانه",
        ),
        ("<title>سایت</title>", "<h1>سرخط یگانه صفحه</h1>", "سرخط یگانه صفحه"),
    ],
)
def test_html_title_from_og_h1_or_title(head: str, body: str, title: str):
    from khabar.extract.html import extract_html

    html = f"<html><head>{head}<link rel='canonical' href='https://n.example/1'></head><body>{body}<p>{' '.join(BODY)}</p></body></html>"
    page = extract_html(html)
    assert page.title == title
    assert page.url == "https://n.example/1"


def test_photo_credit_with_half_spaces_and_normalized_site_names():
    from khabar.extract.rules import classify

    assert classify("عکس‌ها از دیدبان و روابط عمومی‌ها است.").photo_credits == ("دیدبان", "روابط عمومی ها")
    html = (FIX / "page.html").read_text("utf-8").replace('content="روزنامه نمونه"', 'content="روزنامه نمونه‌ي كوچك"')
    art = clean_document(RawDocument("page.html", html.encode()))
    assert art.site == "روزنامه نمونه‌ی کوچک"


def test_a_description_that_only_starts_the_body_is_no_lead():
    html = (FIX / "page.html").read_text("utf-8")
    # The description is the first ~60 letters of the first body paragraph, cut off.
    cut = html.replace(
        'content="بارش سنگین برف از بامداد امروز رفت‌وآمد در جاده‌های شمالی کشور را مختل کرد."',
        'content="به گزارش روزنامه نمونه، پلیس راه اعلام کرد که جاده چالوس و آزادراه..."',
    ).replace('<p class="lead">بارش سنگین برف از بامداد امروز رفت‌وآمد در جاده‌های شمالی کشور را مختل کرد.</p>', "")
    art = clean_document(RawDocument("cut.html", cut.encode()))
    assert art.lead is None
    assert art.paragraphs[0].startswith("به گزارش روزنامه نمونه، پلیس راه") and art.paragraphs[0].endswith(
        "خودداری کنند."
    )


def test_outlet_names_are_not_split_by_half_space_repair():
    text = "\n".join(
        [
            "به گزارش فرارو، دولت امروز لایحه بودجه را به مجلس فرستاد و نمایندگان درباره آن بحث کردند.",
            "به گزارش خبربان، این لایحه فردا بررسی می شود و رای گیری انجام خواهد شد.",
            "سخنگو گفت که جلسه علنی است و مردم می توانند آن را ببینند.",
        ]
    )
    assert clean_document(RawDocument("names.txt", text)).attributions == ("فرارو", "خبربان")
    html = (FIX / "page.html").read_text("utf-8").replace('content="روزنامه نمونه"', 'content="خبربان"')
    assert clean_document(RawDocument("page.html", html.encode())).site == "خبربان"
    body = clean_document(
        RawDocument("names.txt", text.replace("بررسی می شود", "بررسی می شود و خبربان آن را پوشش می دهد"))
    ).paragraphs[1]
    assert "خبربان آن را پوشش می\u200cدهد" in body and "به گزارش خبربان،" in body
