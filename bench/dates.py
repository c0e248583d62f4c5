"""Publication dates: khabar.text.dates next to htmldate (trafilatura's date finder), same data, same run.

Two sets, both from this repository:
* the bundled demo corpus (36 HTML pages of 6 invented outlets, each outlet marking its date its own
  way: ISO meta, JSON-LD, <time>, a Jalali <meta>, a Jalali date in a div, a three-calendar header);
  a page counts as right when the found date falls on the expected Tehran day;
* the date-shape table of ``tests/test_dates_parse.py`` (real-world shapes, expected values computed
  outside khabar); a shape counts as right when the day matches.

Run: ``python bench/dates.py``. Prints one table with counts and the time per pass.
"""

from __future__ import annotations

import importlib.util
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import htmldate

from khabar.demo_corpus import load_manifest
from khabar.text.dates import find_published, parse_date

ROOT = Path(__file__).resolve().parent.parent
TEHRAN = ZoneInfo("Asia/Tehran")


def _tehran_day(iso: str) -> date:
    return datetime.fromisoformat(iso).astimezone(TEHRAN).date()


def _shapes() -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("_shapes", ROOT / "tests" / "test_dates_parse.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [(source, utc) for source, utc, *_ in module.SHAPES]


def _htmldate_day(text: str, *, extensive: bool) -> date | None:
    found = htmldate.find_date(text, original_date=True, extensive_search=extensive, outputformat="%Y-%m-%d")
    return date.fromisoformat(found) if found else None


def main() -> int:
    manifest = load_manifest()
    pages = [
        (d.file.read_bytes().decode(d.encoding.replace("windows-", "cp")), d.published)
        for d in manifest.documents
        if d.kind == "html"
    ]
    shapes = _shapes()
    rows = []
    for name, on_page, on_shape in (
        (
            "khabar",
            lambda html: (lambda f: _tehran_day(f.utc) if f else None)(find_published(html=html)),
            lambda s: (lambda f: _tehran_day(f.utc) if f else None)(parse_date(s)),
        ),
        (
            "htmldate",
            lambda html: _htmldate_day(html, extensive=True),
            lambda s: _htmldate_day(f"<html><body><p>{s}</p></body></html>", extensive=True),
        ),
    ):
        t0 = time.perf_counter()
        page_ok = sum(on_page(html) == _tehran_day(expected) for html, expected in pages)
        page_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        shape_ok = sum(on_shape(s) == _tehran_day(expected) for s, expected in shapes)
        shape_s = time.perf_counter() - t0
        rows.append((name, page_ok, page_s, shape_ok, shape_s))
    base = rows[0]
    print(
        f"| finder | demo pages right (of {len(pages)}) | s per pass | shapes right (of {len(shapes)}) "
        "| s per pass | time vs khabar (pages) |"
    )
    print("|---|---|---|---|---|---|")
    for name, page_ok, page_s, shape_ok, shape_s in rows:
        print(f"| {name} | {page_ok} | {page_s:.3f} | {shape_ok} | {shape_s:.3f} | {page_s / base[2]:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
