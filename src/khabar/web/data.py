"""What the pages show, read from the store: story cards, story pages, articles, filters.

Stories come from the articles' ``story_id`` (set by ingest through ``khabar.dedup``) and from
``StoryIndex.story_info`` (first reporter, citation chain). The *best version* of a story is the
longest version (in words) published by the story's first reporter; when the first reporter has
no stored version (it was only cited), the longest version of all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from khabar.dedup import StoryIndex, StoryInfo
from khabar.store import Store, StoredArticle
from khabar.web.fmt import day_bounds, parse_iso, tehran_day


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's copy of a story."""

    article_id: int
    site: str | None
    url: str | None
    title: str | None
    published: str | None
    words: int


@dataclass(frozen=True, slots=True)
class StoryCard:
    story_id: str
    title: str
    lead: str
    best_id: int
    outlets: tuple[str, ...]
    size: int
    first_published: str | None
    latest: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.story_id,
            "title": self.title,
            "lead": self.lead,
            "best_article_id": self.best_id,
            "outlets": list(self.outlets),
            "size": self.size,
            "first_published": self.first_published,
            "latest": self.latest,
        }


@dataclass(frozen=True, slots=True)
class StoryPage:
    card: StoryCard
    best: StoredArticle
    versions: tuple[Version, ...]
    first_reporter: str | None
    citations: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.card.to_dict(),
            "first_reporter": self.first_reporter,
            "citations": [list(e) for e in self.citations],
            "versions": [
                {"article_id": v.article_id, "site": v.site, "url": v.url, "title": v.title, "published": v.published}
                for v in self.versions
            ],
        }


_SPACES = re.compile(r"\s+")


def outlet_name(name: str | None) -> str | None:
    """An outlet name as shown: Persian ی and ک for Arabic ي and ك, spaces collapsed."""
    if name is None:
        return None
    text = unicodedata.normalize("NFC", name).replace("ي", "ی").replace("ك", "ک").replace("ى", "ی")
    return _SPACES.sub(" ", text).strip() or None


def outlet_key(name: str | None) -> str | None:
    """What outlet names are compared by: ``outlet_name`` with ZWNJ as a space, so
    ``صداي کوير``, ``صدای کویر`` and ``صدای‌کویر`` are one outlet."""
    shown = outlet_name(name)
    return _SPACES.sub(" ", shown.replace("\u200c", " ")).strip() if shown else None


def article_dict(a: StoredArticle) -> dict[str, Any]:
    return {
        "id": a.id,
        "url": a.url,
        "site": a.site,
        "title": a.title,
        "lead": a.lead,
        "paragraphs": list(a.paragraphs),
        "published": a.published,
        "published_jalali": a.published_jalali,
        "attributions": list(a.attributions),
        "photo_credits": list(a.photo_credits),
        "story_id": a.story_id,
        "author": a.author,
    }


def _words(a: StoredArticle) -> int:
    return sum(len(p.split()) for p in (a.title or "", a.lead or "", *a.paragraphs))


def _sort_key(a: StoredArticle) -> tuple[bool, str, int]:
    return (a.published is None, a.published or "", a.id)


class Reader:
    """Read-side queries over one open ``Store`` (SQLite or PostgreSQL).

    Story cards, story pages, the outlet list and the day list are cached until the database may
    have changed: on SQLite when another connection committed to it (``PRAGMA data_version``
    changes: an ingest ran); on PostgreSQL when the set of write transactions changed
    (``pg_current_snapshot()``: its xmax moves when any transaction starts writing and its list of
    running ones changes when one ends, so every commit is seen; read-only queries change
    nothing). That is conservative: a write anywhere on the server, even another database's,
    clears the cache too."""

    CACHE_MAX = 10_000

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stories = StoryIndex(store.connection)
        self._cache: dict[tuple[str, object], Any] = {}
        self._version: object = None

    def _cached(self, key: tuple[str, object], make: Any) -> Any:
        version = self._data_version()
        if version != self._version or len(self._cache) > self.CACHE_MAX:
            self._cache.clear()
            self._version = version
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def _data_version(self) -> object:
        if self.store.dialect == "postgresql":
            return self.store.execute("SELECT pg_current_snapshot()::text").fetchone()[0]
        return int(self.store.execute("PRAGMA data_version").fetchone()[0])

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with how many articles it has, most first."""
        return self._cached(("outlets", None), self._outlets)  # type: ignore[no-any-return]

    def _outlets(self) -> list[tuple[str, int]]:
        counts: Counter[str] = Counter()
        shown: dict[str, str] = {}
        for site, n in sorted(self._site_counts(), key=lambda kv: -kv[1]):
            key = outlet_key(site) or site
            counts[key] += n
            shown.setdefault(key, outlet_name(site) or site)  # the commonest spelling names it
        return sorted(((shown[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))

    def _site_counts(self) -> list[tuple[str, int]]:
        return self._cached(  # type: ignore[no-any-return]
            ("sites", None),
            lambda: [
                (r[0], int(r[1]))
                for r in self.store.execute("SELECT site, COUNT(*) FROM articles WHERE site IS NOT NULL GROUP BY site")
            ],
        )

    def sites_for(self, outlet: str) -> tuple[str, ...]:
        """Every stored spelling of ``outlet`` (the name itself when none is stored)."""
        key = outlet_key(outlet)
        found = tuple(site for site, _ in self._site_counts() if outlet_key(site) == key)
        return found or (outlet,)

    def days(self, limit: int = 30) -> list[date]:
        """Tehran days that have articles, newest first."""
        return self._cached(("days", limit), lambda: self._days(limit))  # type: ignore[no-any-return]

    def _days(self, limit: int) -> list[date]:
        rows = self.store.execute(
            "SELECT DISTINCT substr(published, 1, 13) FROM articles WHERE published IS NOT NULL"
            " ORDER BY 1 DESC LIMIT 2000"
        ).fetchall()
        out: list[date] = []
        for (hour,) in rows:
            day = tehran_day(hour + ":00:00+00:00")
            if day and day not in out:
                out.append(day)
        return out[:limit]

    def story_ids(
        self, *, outlet: str | None = None, day: date | None = None, limit: int = 20, offset: int = 0
    ) -> list[str]:
        """Stories newest first (by their latest version), optionally only those an outlet carried
        or with a version published on a Tehran day."""
        where = "story_id IS NOT NULL"
        params: list[Any] = []
        if outlet:
            sites = self.sites_for(outlet)
            marks = ", ".join("?" * len(sites))
            where += f" AND story_id IN (SELECT story_id FROM articles WHERE site IN ({marks}))"
            params.extend(sites)
        if day:
            start, end = day_bounds(day)
            where += " AND story_id IN (SELECT story_id FROM articles WHERE published >= ? AND published < ?)"
            params += [start, end]
        rows = self.store.execute(
            f"SELECT story_id, MAX(COALESCE(published, first_seen)) AS latest FROM articles WHERE {where}"
            " GROUP BY story_id ORDER BY latest DESC, story_id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        return [str(r[0]) for r in rows]

    def _members(self, story_id: str) -> list[StoredArticle]:
        ids = [int(r[0]) for r in self.store.execute("SELECT id FROM articles WHERE story_id = ?", (story_id,))]
        found = (self.store.get_article(i) for i in ids)
        return sorted((a for a in found if a is not None), key=_sort_key)

    @staticmethod
    def _best(members: list[StoredArticle], info: StoryInfo | None) -> StoredArticle:
        first = outlet_key(info.first_reporter) if info else None
        pool = [a for a in members if first and outlet_key(a.site) == first] or members
        return max(pool, key=lambda a: (_words(a), -a.id))

    def _card(self, story_id: str, members: list[StoredArticle], info: StoryInfo | None) -> StoryCard:
        best = self._best(members, info)
        outlets: list[str] = []
        for a in members:
            name = outlet_name(a.site)
            if name and outlet_key(name) not in {outlet_key(o) for o in outlets}:
                outlets.append(name)
        times = [a.published for a in members if a.published]
        return StoryCard(
            story_id=story_id,
            title=best.title or (info.title if info and info.title else "") or "",
            lead=best.lead or (best.paragraphs[0] if best.paragraphs else ""),
            best_id=best.id,
            outlets=tuple(outlets),
            size=len(members),
            first_published=min(times, key=_instant) if times else None,
            latest=max(times, key=_instant) if times else None,
        )

    def card(self, story_id: str) -> StoryCard | None:
        return self._cached(("card", story_id), lambda: self._card_of(story_id))  # type: ignore[no-any-return]

    def _card_of(self, story_id: str) -> StoryCard | None:
        members = self._members(story_id)
        if not members:
            return None
        return self._card(story_id, members, self.stories.story_info(story_id))

    def cards(self, **filters: Any) -> list[StoryCard]:
        return [c for c in (self.card(s) for s in self.story_ids(**filters)) if c is not None]

    def story(self, story_id: str) -> StoryPage | None:
        return self._cached(("story", story_id), lambda: self._story_of(story_id))  # type: ignore[no-any-return]

    def _story_of(self, story_id: str) -> StoryPage | None:
        members = self._members(story_id)
        if not members:
            return None
        info = self.stories.story_info(story_id)
        card = self._card(story_id, members, info)
        best = next(a for a in members if a.id == card.best_id)
        versions = tuple(Version(a.id, outlet_name(a.site), a.url, a.title, a.published, _words(a)) for a in members)
        return StoryPage(
            card=card,
            best=best,
            versions=versions,
            first_reporter=outlet_name(info.first_reporter if info else members[0].site),
            citations=tuple((outlet_name(a) or a, outlet_name(b) or b) for a, b in info.citations) if info else (),
        )

    def article(self, article_id: int) -> StoredArticle | None:
        return self.store.get_article(article_id)

    def titles(self, ids: list[int]) -> dict[int, StoredArticle]:
        out: dict[int, StoredArticle] = {}
        for i in ids:
            a = self.store.get_article(i)
            if a is not None:
                out[i] = a
        return out


def _instant(value: str) -> str:
    moment = parse_iso(value)
    return moment.isoformat() if moment else value
