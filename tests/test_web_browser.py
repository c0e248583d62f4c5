"""End to end in headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser
download): open home, open a story, search with a variant spelling, post a comment, approve it as
admin, see it. Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from khabar.demo import ingest_demo
from khabar.store import open_store
from khabar.web import WebConfig
from khabar.web.comments import create_admin
from khabar.web.server import BackgroundServer

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-proxy-server",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "web"
ADMIN, PASSWORD = "virastar", "رمز-مدیر-آزمایشی"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("webe2e") / "e2e.db")
    ingest_demo(db)
    with open_store(db) as store:
        create_admin(store, ADMIN, PASSWORD)
    with BackgroundServer(WebConfig(db=db)) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run sh scripts/ensure-chromium.sh (make test does)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fa-IR")  # a phone
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("dialog", lambda d: errors.append("dialog: " + d.message))
    yield p
    context.close()
    assert errors == [], errors


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_read_search_comment_moderate(server, page, browser):
    page.goto(server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    cards = page.locator(".story-card")
    assert cards.count() >= 10
    # on a phone nothing overflows sideways
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "01-home")

    # keyboard: j selects the first story, j the second, k back, o opens it
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(cards.nth(0)).to_have_class(re.compile(r"\bselected\b"))
    title = cards.nth(0).locator("h2 a").inner_text()
    page.keyboard.press("o")
    page.wait_for_url(re.compile(r"/story/"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".versions .version").first).to_be_visible()
    expect(page.locator("#comments h2")).to_have_text("نظر شما")
    story_url = page.url
    shot(page, "02-story")

    # "/" focuses the search box; a variant spelling finds text written with ZWNJ
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("کتابها")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    marks = page.locator(".result mark")
    assert marks.count() > 0
    assert any("کتاب‌ها" in m for m in marks.all_inner_texts())
    shot(page, "03-search")

    # "?" opens the shortcut help
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()
    # with a Persian layout the J key types "ت": the shortcut still works (read by key position)
    page.goto(server.url + "/")
    page.evaluate(
        """() => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ت', code: 'KeyJ', bubbles: true}))"""
    )
    expect(page.locator(".story-card").nth(0)).to_have_class(re.compile(r"\bselected\b"))

    # post a comment: held for moderation
    comment = "خبر خوبی بود؛ کاش ساعت کار کتابخانه بیشتر شود."
    page.goto(story_url)
    expect(page.locator("input[name=website]")).to_be_hidden()  # the spam trap is invisible to people
    page.fill("input[name=name]", "مریم")
    page.fill("textarea[name=body]", comment)
    page.click(".comment-form button[type=submit]")
    expect(page.locator(".notice")).to_contain_text("پس از بررسی")
    expect(page.locator(".comment-body", has_text=comment)).to_have_count(0)
    page.locator("#comments").scroll_into_view_if_needed()
    shot(page, "04-comment-held")

    # approve it as admin, in a separate browser session
    admin_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    admin = admin_ctx.new_page()
    admin.goto(server.url + "/admin")
    admin.wait_for_url(re.compile(r"/admin/login"))
    admin.fill("input[name=name]", ADMIN)
    admin.fill("input[name=password]", PASSWORD)
    admin.click(".login button[type=submit]")
    admin.wait_for_url(re.compile(r"/admin$"))
    item = admin.locator(".moderation .comment", has_text=comment).first
    expect(item).to_be_visible()
    shot(admin, "05-admin")
    item.locator("button.approve").click()
    admin.wait_for_url(re.compile(r"/admin$"))
    admin_ctx.close()

    # the reader now sees it
    page.goto(story_url)
    expect(page.locator(".comment-body", has_text=comment)).to_have_count(1)
    expect(page.locator(".comment-name", has_text="مریم")).to_be_visible()
    page.locator("#comments").scroll_into_view_if_needed()
    shot(page, "06-comment-shown")


def test_font_renders_persian(server, page):
    """The page's Persian text is drawn with a real font, not boxes: two different Persian words
    must have different widths (missing glyphs would all be the same tofu box)."""
    page.goto(server.url + "/")
    widths = page.evaluate(
        """() => ['کتابخانه', 'ممم', 'ی'].map(w => {
            const s = document.createElement('span'); s.textContent = w; document.body.appendChild(s);
            const x = s.getBoundingClientRect().width; s.remove(); return x; })"""
    )
    assert len({round(w) for w in widths}) == 3
