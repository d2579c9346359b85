"""No payload in any data field runs in a real browser: the hostile fixture project of tests/test_hostile_input.py
(a script, an event handler, a javascript: link, an attribute list, a comment opener in every bib and ledger
field) built, served from 127.0.0.1 and opened in Debian's Chromium. Each payload would set window.__pwned or
open a dialog; neither may happen on any page, after hovering every footnote and title (previews copy their content) and
after a search that lists the hostile entries (results are rendered from the search index).
"""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from test_hostile_input import PAGE_TITLE, make_hostile_project
from test_planted_errors import build

pytestmark = pytest.mark.browser

PAGES = ["", "other/", "references/", "evidence/claims-audit/", "evidence/method/"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    project = make_hostile_project(tmp_path_factory.mktemp("hostile-browser"))
    site = project / "site"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    server.daemon_threads = True
    code, output = build(project)
    if code != 0:
        server.server_close()
        pytest.fail(f"hostile fixture build failed:\n{output[-3000:]}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, name="hostile-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def hostile_page(hostile_server, browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    # Offline: nothing may leave 127.0.0.1 (an <img src=//evil> would otherwise be fetched).
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(hostile_server)
                  or route.request.url.startswith(("data:", "blob:")) else route.abort("blockedbyclient"))
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def _assert_nothing_ran(page, where):
    assert page.evaluate("() => window.__pwned") is None, f"{where}: a payload ran (window.__pwned is set)"
    assert page.dialogs == [], f"{where}: a payload opened a dialog: {page.dialogs}"


@pytest.mark.parametrize("path", PAGES)
def test_no_payload_runs_on_any_page(hostile_page, hostile_server, path):
    page = hostile_page
    page.goto(hostile_server + path, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").first.is_visible(), f"/{path}: the page lost its title"
    assert page.locator("section.cite-page pre.cite-bibtex").is_visible(), f"/{path}: the cite block vanished"
    for ref in page.locator("article a.footnote-ref").all():
        ref.hover()  # previews.js copies the footnote into a preview
    for titled in page.query_selector_all("article [title]")[:40]:  # handles: a shown title moves aside
        if titled.is_visible():
            titled.hover()  # and a title's text into another
    page.mouse.move(0, 0)
    _assert_nothing_ran(page, f"/{path}")


def test_title_and_search_results_stay_text(hostile_page, hostile_server):
    page = hostile_page
    page.goto(hostile_server, wait_until="load")
    title = page.locator("article h1").first.text_content().replace("¶", "").strip()
    assert title == PAGE_TITLE
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.fill("pwned")
    box.press("End")  # Material reads the query on keyup
    page.wait_for_function("() => /matching/i.test((document.querySelector('.md-search-result__meta') || {})"
                           ".textContent || '')")
    page.wait_for_timeout(300)
    _assert_nothing_ran(page, "search results")


def test_content_security_policy_refuses_script_the_site_did_not_ship(hostile_page, hostile_server):
    """A slip in escaping must not become script: the policy lets only the site's files and the hashed inline
    bootstrap scripts run, so a script element that data managed to open is refused."""
    page = hostile_page
    page.goto(hostile_server, wait_until="load")
    directive = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective));
        const script = document.createElement('script');
        script.textContent = 'window.__pwned = 9';
        document.body.append(script);
        setTimeout(() => resolve(null), 2000);
    })""")
    assert directive == "script-src-elem"
    _assert_nothing_ran(page, "an injected inline script")


def test_malformed_percent_escape_in_the_address_throws_nothing(hostile_server, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(hostile_server + "references/#%E0%A4%A", wait_until="load")
        page.wait_for_timeout(500)
        assert errors == [] and page.url.endswith("references/#%E0%A4%A")
    finally:
        context.close()


def test_front_matter_tags_in_search_results_stay_text(hostile_page, hostile_server):
    page = hostile_page
    page.goto(hostile_server + "other/", wait_until="load")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.fill("pwned")
    box.press("End")
    page.wait_for_function("() => /matching/i.test((document.querySelector('.md-search-result__meta') || {})"
                           ".textContent || '')")
    page.wait_for_timeout(300)
    tags = page.locator(".md-search-result .md-tag").all_text_contents()
    assert any("onerror" in t for t in tags) or tags == [], tags  # shown as text, if Material shows tags
    assert page.locator(".md-search-result img, .md-search-result b").count() == 0
    _assert_nothing_ran(page, "search results with front-matter tags")
