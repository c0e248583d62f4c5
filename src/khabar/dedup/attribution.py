"""Attribution lead-ins and sign-off lines of Persian news.

Republished Persian news differs mostly at its edges: each outlet opens with its own
"به گزارش <outlet> به نقل از <source>،" and closes with its own "انتهای پیام" or "منبع: ...".
``split_boilerplate`` cuts those edges off before matching and returns the outlets they name,
which also feed the citation chain of a story.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from khabar.extract.rules import attributions_in

# "به گزارش X" / "به نقل از Y" clauses at the very start, up to the first comma or colon.
_LEAD = re.compile(r"^\s*((?:به\s+گزارش|به\s+نقل\s+از|طبق\s+گزارش)\s+[^،,:\n]{1,120}?)\s*[،,:]\s*")
# Whole last lines that are sign-offs rather than news.
_TAIL = re.compile(
    r"^\s*(?:انتهای\s+پیام|انتهای\s+خبر|پایان\s+پیام|منبع\s*[:：]\s*\S.{0,60}|"
    r"[-–—/]+\s*\S{0,20}\s*[-–—/]*|\S{1,12}\s*/\s*\S{0,12})\s*$"
)


# Well-known Persian outlets by the names attributions use, so that "به گزارش ایرنا" on irna.ir
# reads as the outlet itself and a citation edge joins sites, not a site and a name.
KNOWN_OUTLETS: dict[str, str] = {
    "ایرنا": "irna.ir",
    "ایسنا": "isna.ir",
    "مهر": "mehrnews.com",
    "فارس": "farsnews.ir",
    "تسنیم": "tasnimnews.com",
    "ایلنا": "ilna.ir",
    "ایکنا": "iqna.ir",
    "خبرآنلاین": "khabaronline.ir",
    "خبر آنلاین": "khabaronline.ir",
    "همشهری": "hamshahrionline.ir",
    "همشهری آنلاین": "hamshahrionline.ir",
    "باشگاه خبرنگاران جوان": "yjc.ir",
    "باشگاه خبرنگاران": "yjc.ir",
    "انتخاب": "entekhab.ir",
    "عصر ایران": "asriran.com",
    "صدا و سیما": "iribnews.ir",
    "پانا": "pana.ir",
    "برنا": "borna.news",
    "دنیای اقتصاد": "donya-e-eqtesad.com",
    "اعتماد": "etemadnewspaper.ir",
    "شرق": "sharghdaily.com",
    "کیهان": "kayhan.ir",
    "ایران": "irannewspaper.ir",
}


def canonical_outlet(name: str) -> str:
    """The web site of a well-known outlet named in an attribution, else the name as written."""
    key = " ".join(name.replace("\u200c", " ").replace("ي", "ی").replace("ك", "ک").split())
    return KNOWN_OUTLETS.get(key) or KNOWN_OUTLETS.get(key.replace(" ", "")) or name


def _signoff(lines: list[str]) -> bool:
    """A short last line (at most 12 words, under a quarter of the text) reads as a sign-off."""
    last = lines[-1]
    total = sum(len(x) for x in lines)
    return len(last.split()) <= 12 and len(last) * 4 < total


def split_boilerplate(text: str) -> tuple[str, tuple[str, ...]]:
    """Return ``(body, cited)``: the text without its attribution lead-in and sign-off lines,
    and the outlet names that lead-in (or a later "به گزارش"/"به نقل از") cites, in order.

    >>> split_boilerplate("به گزارش ایسنا به نقل از ایرنا، باران آمد.\\nانتهای پیام")
    ('باران آمد.', ('ایسنا', 'ایرنا'))
    """
    # The outlets named are read by the same rules ``khabar clean`` uses.
    cited = tuple(attributions_in(text[:400].split("\n", 1)[0]))
    m = _LEAD.match(text)
    if m:
        text = text[m.end() :]
    if "\n" not in text.rstrip():
        return text.strip(), cited
    lines = text.rstrip().split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or _TAIL.match(lines[-1]) or _signoff(lines)):
        lines.pop()
    return "\n".join(lines).strip(), cited


def outlet_of(site: str | None, url: str | None) -> str | None:
    """The outlet a record comes from: its ``site`` if given, else the host of its URL without ``www.``."""
    if site and site.strip():
        site = site.strip()
        if "." in site and " " not in site:  # a host name, possibly with a scheme or path
            host = urlsplit(site if "//" in site else "//" + site).hostname
            return (host or site).removeprefix("www.")
        return canonical_outlet(site)
    if url:
        host = urlsplit(url if "//" in url else "//" + url).hostname
        if host:
            return host.removeprefix("www.")
    return None
