"""Previews of footnotes and titles (docs/assets/javascripts/previews.js, issue 25), in Debian's Chromium.

They replace Material's content.footnote.tooltips and content.tooltips, which wired every marker and title of a
page on load; these tests hold the behaviour readers had: a footnote previews on hover and on keyboard focus (and
on the first tap, in test_reading_browser.py), an abbreviation shows its expansion on hover and on a tap, the
preview is text or a copy of our own footnote (no duplicate ids), and it goes away when the reader moves on."""

import pytest
from test_browser import _open, base_url, site  # noqa: F401
from test_reading_browser import DESKTOP, PHONE, at  # noqa: F401

pytestmark = pytest.mark.browser

PAGE = "mechanisms/bdnf-trkb/"  # footnotes and abbreviations in the running text
ACTIVE = ".md-tooltip2.md-tooltip2--active"


@pytest.fixture
def open_page(at, base_url):  # noqa: F811
    """PAGE at a size (test_reading_browser's `at`: a phone is a touch screen), with its monitor."""

    def make(size):
        return _open(at(size), base_url, PAGE)

    return make


def _text(locator):
    return " ".join(locator.inner_text().split())


def test_hovering_a_footnote_marker_previews_its_reference(open_page):
    page = open_page(DESKTOP)
    ref = page.locator("article a.footnote-ref").nth(1)
    ref.scroll_into_view_if_needed()
    note_id = ref.get_attribute("href").split("#")[1]
    # textContent: a footnote away from the screen is not rendered yet (content-visibility), so it has no innerText
    note = " ".join(page.locator(f"[id='{note_id}']").text_content().split())[:40]
    ref.hover()
    preview = page.locator(ACTIVE)
    preview.wait_for(state="visible")
    assert preview.get_attribute("role") == "dialog"
    assert note in _text(preview), f"the preview does not show {note!r}"
    assert ref.get_attribute("aria-controls") == preview.get_attribute("id")
    assert preview.locator("[id]").count() == 0, "the copy of the footnote repeats ids of the page"
    # The pointer may move onto the preview (to follow its link) without losing it.
    box = preview.locator(".md-tooltip2__inner").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    page.wait_for_timeout(500)
    assert preview.is_visible(), "the preview closed when the pointer moved onto it"
    page.mouse.move(5, 450)
    page.locator(".md-tooltip2").wait_for(state="detached")
    assert ref.get_attribute("aria-controls") is None
    page.monitor.check()


def test_a_focused_footnote_marker_previews_and_escape_closes(open_page):
    page = open_page(DESKTOP)
    ref = page.locator("article a.footnote-ref").first
    ref.focus()
    page.locator(ACTIVE).wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator(".md-tooltip2").wait_for(state="detached")
    assert page.evaluate("() => document.activeElement.classList.contains('footnote-ref')"), "focus was lost"
    page.monitor.check()


def test_an_abbreviation_shows_its_expansion_on_hover_and_gets_its_title_back(open_page):
    page = open_page(DESKTOP)
    abbr = page.locator("article p abbr[title]").first.element_handle()  # this element, with or without a title
    abbr.scroll_into_view_if_needed()
    title = abbr.get_attribute("title")
    assert title
    abbr.hover()
    preview = page.locator(ACTIVE)
    preview.wait_for(state="visible")
    assert preview.get_attribute("role") == "tooltip" and _text(preview) == " ".join(title.split())
    # The browser's own title tooltip would cover ours: the title waits aside while ours shows.
    assert abbr.get_attribute("title") is None and abbr.get_attribute("aria-describedby") == "__preview"
    page.mouse.move(5, 450)
    page.locator(".md-tooltip2").wait_for(state="detached")
    assert abbr.get_attribute("title") == title and abbr.get_attribute("aria-describedby") is None
    page.monitor.check()


def test_a_tap_on_an_abbreviation_shows_its_expansion_on_a_phone(open_page):
    page = open_page(PHONE)
    abbr = page.locator("article p abbr[title]").first
    abbr.scroll_into_view_if_needed()
    title = " ".join(abbr.get_attribute("title").split())
    abbr.tap()
    preview = page.locator(ACTIVE)
    preview.wait_for(state="visible")
    assert _text(preview) == title
    box = preview.locator(".md-tooltip2__inner").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 0.5, f"the preview leaves the screen: {box}"
    page.locator("article h1").first.tap()  # a tap elsewhere closes it
    page.locator(".md-tooltip2").wait_for(state="detached")
    page.monitor.check()


def test_a_title_is_shown_as_text_never_as_markup(open_page):
    """A glossary entry or any future data field may hold '<': the preview shows the characters, parses nothing."""
    page = open_page(DESKTOP)
    payload = '<img src=x onerror="window.__pwned=1"><b>bold</b>'
    abbr = page.locator("article p abbr[title]").first.element_handle()
    abbr.evaluate("(el, t) => el.setAttribute('title', t)", payload)
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    preview = page.locator(ACTIVE)
    preview.wait_for(state="visible")
    assert preview.locator("img, b").count() == 0, "the title was parsed as markup"
    assert _text(preview) == payload
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned") is None
