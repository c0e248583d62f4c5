"""Labelled near-duplicate sets for ``bench/dedup.py``, built at run time from ../shared/data/ud-fa.

Nothing from the treebank is stored in this repository: sentences are read from the shared folder,
grouped into pseudo-articles and copied with the kinds of changes Persian outlets make when they
republish each other. Every record carries its true story in ``story`` and its kind in ``kind``.

Kinds: ``original``; ``reprint`` (another outlet's intro "به گزارش ... به نقل از ..." and footer);
``spelling`` (ZWNJs dropped or turned into spaces, Arabic ي/ك, other digits); ``excerpt`` (the
first 60-80% of the body, cut at a word); ``rewrite`` (sentences dropped and added, a few phrases
reworded); ``lookalike`` (a different story by the same outlet that shares one sentence and the
boilerplate with another story, a hard negative). Originals without copies are the unrelated
negatives.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

UD_FILES = ("fa_perdt-ud-dev.txt", "fa_seraji-ud-dev.txt")

# Outlet name as written in attributions, and its web site.
OUTLETS: tuple[tuple[str, str], ...] = (
    ("ایرنا", "irna.ir"),
    ("ایسنا", "isna.ir"),
    ("مهر", "mehrnews.com"),
    ("فارس", "farsnews.ir"),
    ("تسنیم", "tasnimnews.com"),
    ("خبرآنلاین", "khabaronline.ir"),
    ("همشهری آنلاین", "hamshahrionline.ir"),
    ("باشگاه خبرنگاران جوان", "yjc.ir"),
    ("انتخاب", "entekhab.ir"),
    ("عصر ایران", "asriran.com"),
)

FOOTERS: tuple[str, ...] = (
    "انتهای پیام",
    "منبع: {src}",
    "برای دیدن اخبار بیشتر ما را در شبکه‌های اجتماعی دنبال کنید.",
    "کپی‌برداری از این خبر با ذکر منبع آزاد است.",
    "",
)

# Light rewording that re-publishers apply; pairs written for this benchmark.
REWORD: tuple[tuple[str, str], ...] = (
    ("گفت", "اظهار کرد"),
    ("است.", "می‌باشد."),
    ("همچنین", "علاوه بر این"),
    ("اما", "ولی"),
    ("بسیار", "خیلی"),
    ("می‌شود", "می‌گردد"),
    ("کرد.", "نمود."),
)


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    text: str
    site: str
    published: str
    story: str
    kind: str
    attributions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "text": self.text,
            "site": self.site,
            "published": self.published,
            "story": self.story,
            "kind": self.kind,
        }


def load_sentences(root: Path) -> list[str]:
    sentences: list[str] = []
    for name in UD_FILES:
        path = root / name
        if not path.is_file():
            raise SystemExit(f"{path}: not found (the UD Persian dev sets are read from ../shared/data/ud-fa)")
        sentences.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return sentences


def _synthetic(tokens: list[str], rng: random.Random) -> str:
    """A sentence of 8-25 words drawn from the treebank's running text (so with Persian word
    frequencies): practically never repeated, so sampled stories do not overlap by chance."""
    return " ".join(rng.choices(tokens, k=rng.randint(8, 25))).rstrip(".") + "."


def _spell(text: str, rng: random.Random) -> str:
    zwnj_to = rng.choice(("", " "))
    out = text.replace("\u200c", zwnj_to).replace("ی", "ي").replace("ک", "ك")
    if rng.random() < 0.5:
        out = out.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹0123456789", "0123456789٠١٢٣٤٥٦٧٨٩"))
    return out


def _reword(text: str, rng: random.Random) -> str:
    for old, new in rng.sample(REWORD, k=len(REWORD)):
        if old in text and rng.random() < 0.7:
            text = text.replace(old, new, 2)
    return text


def _wrap(body: str, outlet: str, cited: str | None, footer: str) -> str:
    intro = f"به گزارش {outlet} به نقل از {cited}، " if cited else f"به گزارش {outlet}، "
    return (intro + body + ("\n" + footer if footer else "")).strip()


def _stamp(story: int, minutes: int) -> str:
    day, rest = divmod(story, 20)
    return f"2024-03-{1 + day % 28:02d}T{(rest % 20) + 2:02d}:{minutes % 60:02d}:00Z"


def make_stories(
    sentences: list[str],
    *,
    seed: int,
    n_stories: int | None = None,
    sampled: bool = False,
    dup_share: float = 0.5,
    lookalike_share: float = 0.1,
) -> Iterator[Record]:
    """Yield labelled records.

    With ``sampled=False`` each story is a run of 4-8 consecutive treebank sentences and the
    stories never share sentences (as many as the data allows). With ``sampled=True`` any number
    of stories is built from randomly drawn sentences (for the throughput run; labels are then
    made of sentences of words drawn from the treebank, so that stories do not share sentences by chance).
    """
    rng = random.Random(seed)
    pool_size = max(50, len(sentences) // 10)
    pool = sentences[-pool_size:]  # extra sentences for rewrites and look-alikes
    body_sents = sentences[:-pool_size]
    tokens = [w for line in sentences for w in line.split()]
    spans: list[list[str]] = []
    if not sampled:
        i = 0
        while i < len(body_sents) and (n_stories is None or len(spans) < n_stories):
            n = rng.randint(4, 8)
            spans.append(body_sents[i : i + n])
            i += n
    total = n_stories if n_stories is not None else len(spans)

    def extra() -> str:
        return _synthetic(tokens, rng) if sampled else rng.choice(pool)

    rid = 0
    for s in range(total):
        sents = [_synthetic(tokens, rng) for _ in range(rng.randint(4, 8))] if sampled else spans[s]
        story = f"s{s}"
        outlet, site = rng.choice(OUTLETS)
        footer = rng.choice(FOOTERS).format(src=outlet)
        body = " ".join(sents)
        rid += 1
        yield Record(f"r{rid}", _wrap(body, outlet, None, footer), site, _stamp(s, 0), story, "original")
        if rng.random() < lookalike_share:
            other = [rng.choice(sents), *(extra() for _ in range(rng.randint(3, 6)))]
            rng.shuffle(other)
            rid += 1
            yield Record(
                f"r{rid}",
                _wrap(" ".join(other), outlet, None, footer),
                site,
                _stamp(s, 7),
                f"{story}-look",
                "lookalike",
            )
        if rng.random() >= dup_share:
            continue
        for v in range(rng.randint(1, 4)):
            kind = rng.choice(("reprint", "spelling", "excerpt", "rewrite"))
            r_outlet, r_site = rng.choice([o for o in OUTLETS if o[0] != outlet])
            r_footer = rng.choice(FOOTERS).format(src=outlet)
            if kind == "reprint":
                text = _wrap(body, r_outlet, outlet, r_footer)
            elif kind == "spelling":
                text = _spell(_wrap(body, r_outlet, outlet, r_footer), rng)
            elif kind == "excerpt":
                cut = int(len(body) * rng.uniform(0.6, 0.8))
                cut = body.rfind(" ", 0, cut) if " " in body[:cut] else cut
                text = _wrap(body[:cut], r_outlet, outlet, r_footer)
            else:
                kept = list(sents)
                for _ in range(rng.randint(1, max(1, len(kept) // 4))):
                    kept.pop(rng.randrange(len(kept)))
                for _ in range(rng.randint(0, 2)):
                    kept.insert(rng.randrange(len(kept) + 1), extra())
                text = _wrap(_reword(" ".join(kept), rng), r_outlet, outlet, r_footer)
            rid += 1
            yield Record(f"r{rid}", text, r_site, _stamp(s, 10 + v * 9), story, kind, (outlet,))
