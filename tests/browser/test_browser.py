"""Real-browser tests: the built site in headless Debian Chromium (Playwright), served from 127.0.0.1.

The site is built once per session with SITE_URL pointing at the local server (so Material's instant navigation
treats the links as internal), served by a threaded http.server on a free port, and driven by one browser.
Every page a test opens is watched: a console error, an uncaught exception, a failed or >= 400 request, or any
request to a host other than the local server (the site must work offline) is a failure.

Run only these tests with `pytest -m browser`. SEMAX_BROWSER_PROJECT=/path/to/a/copy builds that project
directory instead of the repository (useful while the repository's content does not build).
"""

import functools
import importlib.util
import io
import os
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import expect
from pypdf import PdfReader

# ------------------------------------------------------------------------------------------------ search suite
# What readers type and where it must lead: tests/search-queries.yaml (its header explains the fields).
SEARCH_QUERIES = Path(__file__).resolve().parents[1] / "search-queries.yaml"
SEARCH_REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "search-relevance.md"

# Pages the other tests use (paths as served).
CONTENT_PAGE = "mechanisms/bdnf-trkb/"  # has claim boxes and citation footnotes
MECHANISM_PAGE = "mechanisms/bdnf-trkb/"
INDICATION_PAGE = "indications/acute-ischemic-stroke/"
CLAIMS_AUDIT_PAGE = "evidence/claims-audit/"
REFERENCES_PAGE = "references/"
HUMAN_STUDIES_PAGE = "evidence/human-studies/"
VARIANTS_PAGE = "variants/"
AXE_PAGES = ["", MECHANISM_PAGE, INDICATION_PAGE, CLAIMS_AUDIT_PAGE, REFERENCES_PAGE, HUMAN_STUDIES_PAGE, VARIANTS_PAGE]
# Figures drawn at build time (hooks/render/studies.py): name -> (page, element to photograph).
FIGURES = {
    "evidence-map": (CLAIMS_AUDIT_PAGE, "#fig-evidence-map-figure"),
    "landscape": (HUMAN_STUDIES_PAGE, ".sx-landscape-group"),
    "landscape-stroke": (INDICATION_PAGE, "#fig-landscape-selection-figure"),
    "timeline": ("", "#fig-timeline-figure"),
    "sequence-alignment": (VARIANTS_PAGE, "#fig-sequence-alignment-figure"),
}
AXE_FAIL_IMPACTS = ("serious", "critical")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Entries styled only near the screen (`content-visibility: auto` in site.css) keep the first palette's colours
# until the reader scrolls to them, where the browser restyles them; axe reads every entry at once, so it is shown
# each one as a reader sees it on arrival.
RENDER_ALL = "* { content-visibility: visible !important; }"


def run_axe(page, options="{resultTypes: ['violations']}"):
    """axe-core on the whole page (the context needs bypass_csp: axe and the style go in inline)."""
    page.add_style_tag(content=RENDER_ALL)
    # Two frames: the browser releases skipped entries in its rendering step, not when the style goes in.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(f"async () => await axe.run(document, {options})")
SCREENSHOT_DIR = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
# Material 9.8 puts its copy button in `nav.md-code__nav` (`data-md-type=copy`); older releases: `.md-clipboard`.
COPY_BUTTON = "button.md-code__button[data-md-type=copy], button.md-clipboard"

pytestmark = pytest.mark.browser


def _shared_conftest():
    """tests/conftest.py, loaded by path: the bare name `conftest` may refer to another conftest module."""
    spec = importlib.util.spec_from_file_location("semax_tests_shared", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mkdocs_build = _shared_conftest().mkdocs_build


# ----------------------------------------------------------------------------------------------------- server
class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """Build the site for the local address, serve it, yield (base URL, site directory); stop the server after."""
    site_dir = tmp_path_factory.mktemp("browser-site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site_dir)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    project = Path(os.environ.get("SEMAX_BROWSER_PROJECT") or ROOT)
    result = mkdocs_build(project, site_dir, {"SITE_URL": base})
    if result.returncode != 0:
        server.server_close()
        pytest.fail(f"strict build of {project} failed:\n{result.stderr[-3000:]}", pytrace=False)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield base, site_dir
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def base_url(site):
    return site[0]


# --------------------------------------------------------------------------------------------------- watching
class Monitor:
    """Collects everything that should not happen on an offline static site."""

    def __init__(self, base_url):
        self.host = urlsplit(base_url).netloc
        self.problems = []
        self.external = []

    def route(self, route):
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != self.host:
            self.external.append(route.request.url)
            route.abort("blockedbyclient")
        else:
            route.continue_()

    def watch(self, page):
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"console error: {m.text} ({m.location.get('url', '')})"))
        page.on("pageerror", lambda e: self.problems.append(f"uncaught exception: {e}"))
        page.on("requestfailed", self._failed)
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))
        return page

    def _failed(self, request):
        # Chromium cancels in-flight local loads (e.g. the search worker's scripts) when the page navigates away.
        if request.failure == "net::ERR_ABORTED" and urlsplit(request.url).netloc == self.host:
            return
        self.problems.append(f"request failed: {request.url} ({request.failure})")

    def check(self):
        """Assert the page stayed clean. External requests are always failures, even when blocked."""
        messages = [f"request to a non-local host: {u}" for u in self.external] + self.problems
        assert not messages, "\n".join(messages)


def _new_context(browser, base_url, **options):
    monitor = Monitor(base_url)
    context = browser.new_context(**{"viewport": DESKTOP, "color_scheme": "light", **options})
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/*", monitor.route)
    return context, monitor


@pytest.fixture
def ctx(browser, base_url):
    context, monitor = _new_context(browser, base_url)
    yield context, monitor
    context.close()


@pytest.fixture
def page(ctx):
    context, monitor = ctx
    page = monitor.watch(context.new_page())
    page.monitor = monitor
    return page


def _open(page, base_url, path):
    page.goto(base_url + path, wait_until="load")
    return page


def _path(url, base_url):
    """Site path of a URL, without query and fragment ('' for the home page)."""
    parts = urlsplit(url)
    return parts.path.removeprefix(urlsplit(base_url).path)


# ------------------------------------------------------------------------------------------------------ tests
def test_home_page_loads_cleanly_and_offline(page, base_url):
    _open(page, base_url, "")
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").first.is_visible()
    assert page.locator(".md-header").is_visible()
    page.monitor.check()


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    """One page with the search box open, reused by every query."""
    context, monitor = _new_context(browser, base_url)
    page = monitor.watch(context.new_page())
    _open(page, base_url, "")
    page.keyboard.press("/")  # Material's search shortcut
    page.locator("input.md-search__input").wait_for(state="visible")
    page.monitor = monitor
    yield page
    context.close()


def _search(page, query):
    """Type a query into the search box; return the results in rank order, one (page, landing) per result
    group: the page's address and the address of its best-scored entry, which Material lists first."""
    box = page.locator("input.md-search__input")
    meta = """() => (document.querySelector('.md-search-result__meta') || {}).textContent || ''"""
    # Clear first, so the results read below cannot be the previous query's.
    box.fill("")
    box.press("End")  # Material reads the query on keyup, not on input
    page.wait_for_function(f"() => !/matching/i.test(({meta})())")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"() => /matching/i.test(({meta})())")
    groups = page.eval_on_selector_all("li.md-search-result__item", """items => items.map(item =>
        [...item.querySelectorAll('a.md-search-result__link')].map(a =>
            [a.href, parseFloat(a.querySelector('[data-md-score]').dataset.mdScore)]))""")
    results = []
    for links in groups:
        best = max(links, key=lambda link: link[1])[0]  # max() keeps the first of equal scores, as listed
        results.append((links[0][0], best))
    return results


def _address(url, base_url):
    """Site address of a result link: path and #fragment, without Material's ?h= highlight query."""
    parts = urlsplit(url)
    return _path(url, base_url) + (f"#{parts.fragment}" if parts.fragment else "")


def load_search_queries(path=SEARCH_QUERIES):
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    for n, entry in enumerate(entries, 1):
        assert isinstance(entry.get("query"), str) and entry["query"].strip(), f"{path.name} entry {n}: no query"
        assert isinstance(entry.get("expect"), str), f"{path.name}: {entry['query']!r}: expect is not a string"
        assert entry.get("top", 1) >= 1, f"{path.name}: {entry['query']!r}: top must be 1 or more"
    return entries


def search_table(rows):
    """Markdown table of the suite's outcome: query, expected, got (first result's landing), rank."""
    lines = ["| query | expected | got | rank | |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(f"| {row['query']} | /{row['expected']} (top {row['top']}) | /{row['got']} | "
                     f"{row['rank'] or '-'} | {'ok' if row['ok'] else 'MISS'} |")
    return "\n".join(lines)


def test_search_relevance_suite(search_page, base_url):
    """Every query of tests/search-queries.yaml, typed into the search box: the expected page first (or in the
    top N), landing on the expected section or claim box when one is named. Prints the table; fails on a miss."""
    rows = []
    for entry in load_search_queries():
        results = [(_path(p, base_url), _address(best, base_url)) for p, best in _search(search_page, entry["query"])]
        expected, top = entry["expect"], entry.get("top", 1)
        pages = [p for p, _ in results]
        want = expected.split("#")[0]
        rank = pages.index(want) + 1 if want in pages else None
        landing = results[rank - 1][1] if rank else None
        ok = rank is not None and rank <= top and ("#" not in expected or landing == expected)
        rows.append({"query": entry["query"], "expected": expected, "top": top, "rank": rank, "ok": ok,
                     "got": (landing if ok else results[0][1]) if results else "(nothing)"})
    table = search_table(rows)
    SEARCH_REPORT.parent.mkdir(parents=True, exist_ok=True)
    SEARCH_REPORT.write_text(table + "\n", encoding="utf-8")
    print(table)
    misses = [r["query"] for r in rows if not r["ok"]]
    assert not misses, f"{len(misses)} of {len(rows)} searches missed: {misses}\n{table}"
    search_page.monitor.check()


def test_search_result_highlights_the_words_on_the_page(page, base_url):
    """Material's in-page highlighter reuses our word separator (stop words, Russian forms): a result opened from
    the search box must mark the words searched for, and only them."""
    _open(page, base_url, "")
    page.keyboard.press("/")
    page.locator("input.md-search__input").wait_for(state="visible")
    results = _search(page, "is semax safe")
    assert results and _path(results[0][0], base_url) == "use/safety/", results
    page.locator("li.md-search-result__item a.md-search-result__link").first.click()
    page.wait_for_url("**/use/safety/**")
    page.locator("article mark[data-md-highlight]").first.wait_for()
    # textContent, not innerText: a mark inside a closed <details> (the cite block's claims) has no rendered text
    marked = {m.strip().lower() for m in page.locator("article mark[data-md-highlight]").all_text_contents()}
    assert marked and marked <= {"semax", "safe", "safety"}, marked  # "is" was dropped from the search
    page.monitor.check()


def test_top_tabs_navigate(page, base_url):
    _open(page, base_url, "")
    tabs = page.locator(".md-tabs__link")
    count = tabs.count()
    assert count >= 5, f"expected the section tabs, found {count}"
    labels = [t.strip() for t in tabs.all_inner_texts()]
    for i, label in enumerate(labels):
        link = page.locator(".md-tabs__link").nth(i)
        target = link.evaluate("a => a.href")
        link.click()
        page.wait_for_url(target)
        expect(page.locator(".md-tabs__item--active .md-tabs__link"), f"tab {label!r} not active").to_have_text(label)
        expect(page.locator("article h1").first, f"tab {label!r}: no page title at {target}").to_be_visible()
    page.monitor.check()


def test_claims_audit_anchor_reaches_claim_box(page, base_url):
    _open(page, base_url, CLAIMS_AUDIT_PAGE)
    links = page.locator(".claims-table a[href*='#claim-']")
    assert links.count() > 0, "no claim in the claims-audit table links to a claim box (#claim-...)"
    link = links.first
    href = link.evaluate("a => a.href")
    anchor = urlsplit(href).fragment
    link.click()  # instant navigation: the address changes first, the new content follows
    page.wait_for_url(href)
    box = page.locator(f"[id='{anchor}']")
    expect(box, f"{href}: no element with id {anchor}").to_have_count(1)
    expect(box).to_have_class(re.compile(r"\bclaim-box\b"))
    expect(box).to_be_visible()
    page.wait_for_function("(id) => { const r = document.getElementById(id).getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }", arg=anchor)
    # A plain (non-instant) load of the same address targets the box (its :target highlight).
    page.goto("about:blank")
    _open(page, base_url, _path(href, base_url) + "#" + anchor)
    assert page.evaluate("() => document.querySelector(':target') && document.querySelector(':target').id") == anchor
    page.monitor.check()


def test_claims_table_filters_and_sorts(page, base_url):
    _open(page, base_url, CLAIMS_AUDIT_PAGE)
    rows = page.locator(".claims-table tbody tr")
    total = rows.count()
    assert total == 56
    page.fill("input.claims-filter", "contradicted")
    visible = page.locator(".claims-table tbody tr:not([hidden])")
    shown = visible.count()
    assert 0 < shown < total
    verdicts = visible.locator(".verdict").all_inner_texts()
    assert verdicts == ["Contradicted"] * shown, verdicts
    expect(page.locator(".claims-count")).to_have_text(f"{shown} of {total} claims shown")
    page.fill("input.claims-filter", "")
    expect(visible).to_have_count(total)
    header = page.locator(".claims-table thead th", has_text="Grade")
    header.click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    grades = page.locator(".claims-table tbody tr td:nth-child(5)").all_inner_texts()
    assert grades == sorted(grades), grades
    header.click()
    expect(header).to_have_attribute("aria-sort", "descending")
    grades = page.locator(".claims-table tbody tr td:nth-child(5)").all_inner_texts()
    assert grades == sorted(grades, reverse=True), grades
    page.monitor.check()


def test_search_index_is_fetched_when_the_reader_reaches_for_search(page, base_url):
    """The search index, larger than most pages, is requested only once the reader opens search
    (docs/assets/javascripts/search-on-demand.js), and search then works."""
    requested = []
    page.on("request", lambda r: "search_index.json" in r.url and requested.append(r.url))
    _open(page, base_url, "")
    page.wait_for_load_state("networkidle")
    assert requested == [], f"the search index was fetched before the reader asked for search: {requested}"
    with page.expect_request("**/search/search_index.json"):
        page.keyboard.press("/")
    assert _search(page, "bdnf"), "no search results once the index was fetched"
    page.monitor.check()


def test_shared_search_address_shows_results(page, base_url):
    """An address with ?q= (Material's search.share) asks for the index at once: its results appear."""
    _open(page, base_url, "?q=bdnf")
    page.locator("li.md-search-result__item").first.wait_for()
    page.monitor.check()


def test_instant_navigation_runs_the_claims_table_script(page, base_url):
    """claims-table.js is linked only on pages with a claims table, inside the content that instant navigation
    swaps in: reached by a click from another page, without a reload, the table still gets its filter."""
    _open(page, base_url, "evidence/")
    page.evaluate("() => { window.notReloaded = true; }")
    page.locator("article a[href$='claims-audit/']").first.click()
    page.wait_for_url(f"**/{CLAIMS_AUDIT_PAGE}")
    expect(page.locator("input.claims-filter")).to_be_visible()
    assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded: not instant navigation"
    page.monitor.check()


def test_footnote_link_shows_reference(page, base_url):
    _open(page, base_url, CONTENT_PAGE)
    refs = page.locator("article a.footnote-ref")
    assert refs.count() > 0, f"{CONTENT_PAGE} has no citation footnote links"
    ref = refs.first
    fragment = urlsplit(ref.evaluate("a => a.href")).fragment
    ref.click()
    page.wait_for_function("(f) => location.hash === '#' + f", arg=fragment)
    note = page.locator(f"[id='{fragment}']")
    note.wait_for(state="visible")
    page.wait_for_function("(id) => { const r = document.getElementById(id).getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }", arg=fragment)
    text = note.inner_text().strip()
    assert len(text) > 20, f"footnote {fragment} is nearly empty: {text!r}"
    page.monitor.check()


def test_cite_this_page_copy_button(ctx, base_url):
    context, monitor = ctx
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = monitor.watch(context.new_page())
    _open(page, base_url, CONTENT_PAGE)
    section = page.locator("section.cite-page")
    assert section.count() == 1, "no 'Cite this page' block (section.cite-page)"
    pre = section.locator("pre.cite-apa")
    expected = pre.locator("code").inner_text().strip()
    assert base_url in expected and "Semax Evidence" in expected, expected
    pre.scroll_into_view_if_needed()
    pre.hover()
    button = pre.locator(COPY_BUTTON)
    assert button.count() == 1, "Material's copy button is missing on pre.cite-apa"
    button.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == expected
    monitor.check()


def test_dark_mode_toggle(page, base_url):
    _open(page, base_url, CONTENT_PAGE)
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"() => ({scheme})() === 'slate'")
    page.reload()
    assert page.evaluate(scheme) == "slate", "the dark scheme is not remembered across pages"
    page.locator("form[data-md-component=palette] label:visible").click()
    page.wait_for_function(f"() => ({scheme})() === 'default'")
    page.monitor.check()


def test_pages_render_without_javascript(browser, base_url):
    context, monitor = _new_context(browser, base_url, java_script_enabled=False)
    try:
        page = monitor.watch(context.new_page())
        _open(page, base_url, CONTENT_PAGE)
        assert page.locator("article h1").first.is_visible()
        assert page.locator("article .claim-box").first.is_visible(), f"{CONTENT_PAGE}: no visible claim box"
        notes = page.locator("article .footnote li")
        assert notes.count() > 0 and notes.first.is_visible(), f"{CONTENT_PAGE}: no visible footnotes"
        assert page.locator("section.cite-page pre.cite-apa").is_visible()
        # A footnote link is a plain anchor: it works without script.
        fragment = urlsplit(page.locator("article a.footnote-ref").first.get_attribute("href")).fragment
        page.locator("article a.footnote-ref").first.click()
        assert page.evaluate("() => location.hash") == "#" + fragment

        _open(page, base_url, CLAIMS_AUDIT_PAGE)
        rows = page.locator(".claims-table table tbody tr")
        assert rows.count() > 0 and rows.first.is_visible(), "claims table empty or hidden without JavaScript"

        _open(page, base_url, REFERENCES_PAGE)
        entries = page.locator(".ref-entry")
        assert entries.count() > 0 and entries.first.is_visible(), "bibliography empty or hidden without JavaScript"
        monitor.check()
    finally:
        context.close()


# ---------------------------------------------------------------------------------- print, PDF, small screens
# One page of each kind, printed: it must fit the printable width and say what it is (URL and date).
PRINT_PAGES = {"home": "", "mechanism": MECHANISM_PAGE, "indication": INDICATION_PAGE,
               "claims-audit": CLAIMS_AUDIT_PAGE, "bibliography": REFERENCES_PAGE, "faq": "faq/",
               "combined": "print/"}
PDF_KEPT = ("indication", "claims-audit")  # saved to test-artifacts/pdf/
PDF_DIR = ROOT / "test-artifacts" / "pdf"
# A4 less the @page margins of docs/assets/stylesheets/print.css (12 mm a side), in CSS pixels: the width a
# printed page is laid out at.
PRINT_WIDTH = round((210 - 2 * 12) / 25.4 * 96)
# Hidden on paper (Material hides header, tabs, sidebars and footer; print.css the rest).
NOT_PRINTED = (".md-header", ".md-tabs", ".md-sidebar", ".md-search", ".md-footer", ".claims-filter",
               ".md-code__nav", ".footnote-backref", ".headerlink")

# Every visible element whose right edge passes `limit` (the viewport or the printable width). With
# `exemptScrollers`, a table or code block (or its wrapper) inside a box that scrolls or clips horizontally is
# that box's business: a wide table scrolling in its own box is fine on a phone, a filter box that runs out of
# sight in it is not. On paper nothing may scroll, so nothing is exempt.
OVERFLOWING_JS = """({limit, exemptScrollers}) => {
  const inScroller = (el) => {
    if (!el.closest('table, pre, svg') && !el.querySelector('table, pre, svg')) return false;  // wide by nature
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if (r.right > limit + 1 && !(exemptScrollers && inScroller(el))) {
      out.push(name(el) + ' right=' + Math.round(r.right) + ' ' + (el.textContent || '').trim().slice(0, 50));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, offenders: out.slice(0, 15), count: out.length};
}"""


def _squeeze(text):
    """Text without whitespace: PDF extraction breaks lines (and long addresses) wherever the layout did."""
    return re.sub(r"\s+", "", text)


def _nav_paths():
    """Served path of every page in the navigation, and the combined page."""
    from mkdocs.utils.yaml import yaml_load

    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        nav = yaml_load(f)["nav"]
    found = []

    def walk(node):
        if isinstance(node, str):
            stem = node.removesuffix(".md")
            found.append(stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/")
        for child in node if isinstance(node, list) else (node.values() if isinstance(node, dict) else ()):
            walk(child)

    walk(nav)
    return found + ["print/"]


@pytest.fixture(scope="module")
def print_page(browser, base_url):
    """One page at the printable width, reused for every printed page."""
    context, monitor = _new_context(browser, base_url, viewport={"width": PRINT_WIDTH, "height": 1000})
    page = monitor.watch(context.new_page())
    page.monitor = monitor
    yield page
    context.close()


@pytest.mark.parametrize("kind", list(PRINT_PAGES))
def test_printed_page_fits_and_says_what_it_is(print_page, base_url, kind):
    page = print_page
    path = PRINT_PAGES[kind]
    page.emulate_media(media="screen")
    _open(page, base_url, path)
    page.emulate_media(media="print")
    wide = page.evaluate(OVERFLOWING_JS, {"limit": PRINT_WIDTH, "exemptScrollers": False})
    assert wide["count"] == 0 and wide["scrollWidth"] <= PRINT_WIDTH, f"/{path} printed: {wide}"
    for selector in NOT_PRINTED:
        shown = page.locator(selector).evaluate_all(
            "els => els.filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))")
        assert shown == [], f"/{path} printed: {selector} is printed"
    assert page.locator("article .disclaimer").is_visible(), f"/{path} printed: no disclaimer"

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    print(f"/{path}: {len(reader.pages)} A4 pages")
    if kind in PDF_KEPT:
        PDF_DIR.mkdir(parents=True, exist_ok=True)
        (PDF_DIR / f"{kind}.pdf").write_bytes(pdf)
    first = _squeeze(reader.pages[0].extract_text())
    url = page.evaluate("() => document.querySelector('meta[name=citation_public_url]').content")
    date = page.evaluate("() => document.querySelector('meta[name=citation_online_date]').content")
    assert url == base_url + path
    assert _squeeze(url) in first and date in first, f"/{path}: URL {url} or date {date} not on the first page"
    if kind == "combined":
        return
    text = _squeeze(" ".join(p.extract_text() for p in reader.pages))
    # No column lost: every cell of every table is in the PDF, and a stacked table names each cell's column.
    # A cell is compared piece by piece between its citation markers: superscripts may come out of the PDF
    # apart from their line.
    cells = page.eval_on_selector_all(
        "article table", """tables => tables.flatMap(t => [...t.querySelectorAll('tbody td')].map(td => {
            const copy = td.cloneNode(true);
            copy.querySelectorAll('sup, .fn-sep').forEach(e => e.replaceWith('\u0000'));
            const label = t.dataset.printLayout === 'stacked' && td.dataset.label ? td.dataset.label + ': ' : '';
            return (label + copy.textContent).split('\u0000');
        }))""")
    lost = [piece[:60] for cell in cells for piece in cell if _squeeze(piece) not in text]
    assert lost == [], f"/{path}: {len(lost)} table cell(s) missing from the PDF, e.g. {lost[:3]}"
    # Claim boxes keep verdict and grade as words; footnotes print the reference with its link's address.
    badges = page.locator("article .claim-box .verdict, article .claim-box .grade").all_inner_texts()
    assert all(_squeeze(b) in text for b in badges), f"/{path}: a verdict or grade is not printed"
    notes = page.eval_on_selector_all("article .footnote li", """items => items.map(li => {
        const copy = li.cloneNode(true);  // as printed: no back-links, each source's address after its link
        copy.querySelectorAll('.footnote-backref').forEach(e => e.remove());
        copy.querySelectorAll('a[rel~="external"]').forEach(a => a.append(' (' + a.getAttribute('href') + ')'));
        return copy.textContent;
    })""")
    unprinted = [n[:80] for n in notes if _squeeze(n) not in text]
    assert unprinted == [], f"/{path}: {len(unprinted)} footnote(s) not printed in full, e.g. {unprinted[:2]}"
    # Only external addresses are printed: not those of in-page or internal links.
    assert _squeeze(f"({base_url}") not in text, f"/{path}: an internal link's address is printed"


@pytest.fixture(scope="module")
def phone_page(browser, base_url):
    context, monitor = _new_context(browser, base_url, viewport=MOBILE, is_mobile=True, has_touch=True)
    page = monitor.watch(context.new_page())
    page.monitor = monitor
    yield page
    context.close()


@pytest.mark.parametrize("path", _nav_paths(), ids=lambda p: p.strip("/") or "home")
def test_nothing_wider_than_a_phone(phone_page, base_url, path):
    """At 390 px no element passes the right edge; a wide table scrolls inside its own box."""
    page = phone_page
    _open(page, base_url, path)
    width = page.evaluate("() => innerWidth")
    assert width == MOBILE["width"]
    wide = page.evaluate(OVERFLOWING_JS, {"limit": width, "exemptScrollers": True})
    assert wide["count"] == 0 and wide["scrollWidth"] <= width, f"/{path} at {width} px: {wide}"
    boxes = page.eval_on_selector_all("article table", """(tables, width) => tables
        .filter(t => t.scrollWidth > width)
        .map(t => {
          let p = t.parentElement;
          while (p && !['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) p = p.parentElement;
          return p ? Math.round(p.getBoundingClientRect().right) : 'no scroll box';
        })""", width)
    assert all(b != "no scroll box" and b <= width for b in boxes), f"/{path}: wide tables' boxes: {boxes}"
    page.monitor.check()


def _format_violations(where, violations):
    lines = [f"axe on /{where}: {len(violations)} serious/critical violation(s)"]
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}")
            lines.append(f"       {node['html'][:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more element(s)")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p.strip("/") or "home")
def test_accessibility_axe(browser, base_url, path, scheme):
    """axe-core on key pages, in the light (default) and dark (slate) palettes."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} not found: run `make system-deps` (npm ci)", pytrace=False)
    # bypass_csp: the test injects axe-core as an inline script, which the site's policy rightly refuses.
    context, monitor = _new_context(browser, base_url, color_scheme=scheme, bypass_csp=True)
    try:
        page = monitor.watch(context.new_page())
        _open(page, base_url, path)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == expected
        result = run_axe(page)
        bad = [v for v in result["violations"] if v.get("impact") in AXE_FAIL_IMPACTS]
        if bad:
            report = _format_violations(f"{path} ({scheme})", bad)
            print(report)
            pytest.fail(report, pytrace=False)
        monitor.check()
    finally:
        context.close()


def test_entries_shown_late_take_the_dark_palette(browser, base_url):
    """Reference entries are styled only near the screen (content-visibility: auto), and the dark palette is set
    after the first paint: every entry a reader scrolls to must show the dark palette's link colour."""
    context, monitor = _new_context(browser, base_url, color_scheme="dark")
    try:
        page = monitor.watch(context.new_page())
        _open(page, base_url, "references/")
        assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"
        # The colour of a link that was never skipped: a probe in the page's first paragraph.
        expected = page.evaluate("""() => { const a = document.createElement('a'); a.href = '#';
          document.querySelector('article p').append(a); return getComputedStyle(a).color; }""")
        stale, seen = [], 0
        for y in range(0, page.evaluate("document.body.scrollHeight"), 700):
            page.evaluate(f"window.scrollTo(0, {y})")
            page.wait_for_timeout(50)
            found = page.evaluate("""(want) => [...document.querySelectorAll('.ref-entry p:first-child a')]
              .filter(a => { const r = a.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; })
              .map(a => [a.closest('.ref-entry').id, getComputedStyle(a).color])""", expected)
            seen += len(found)
            stale += [f for f in found if f[1] != expected]
        assert seen > 100, f"only {seen} entry links seen while scrolling"
        assert not stale, f"entries in the wrong palette ({expected} expected): {stale[:5]}"
        monitor.check()
    finally:
        context.close()


@pytest.mark.parametrize("size", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_screenshots(browser, base_url, size):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    mobile = size is MOBILE
    context, monitor = _new_context(browser, base_url, viewport=size, is_mobile=mobile, has_touch=mobile)
    try:
        page = monitor.watch(context.new_page())
        for name, path in (("home", ""), (re.sub(r"\W+", "-", CONTENT_PAGE.strip("/")), CONTENT_PAGE)):
            _open(page, base_url, path)
            out = SCREENSHOT_DIR / f"{name}-{size['width']}x{size['height']}.png"
            page.screenshot(path=str(out), full_page=True)
            assert out.stat().st_size > 1000
        monitor.check()
    finally:
        context.close()


def _luminance(rgb):
    """Relative luminance of a CSS rgb()/rgba() string (WCAG formula)."""
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", rgb)[:3])
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_figure_screenshots(browser, base_url, size, scheme):
    """Each figure photographed in both palettes at desktop and phone width; its text must contrast with the
    page (the SVG takes its colours from the theme), and the figure must fit the column or scroll inside it."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    mobile = size is MOBILE
    # bypass_csp: the test injects a style of its own (no fixed header over the shot); the policy refuses it.
    context, monitor = _new_context(browser, base_url, viewport=size, is_mobile=mobile, has_touch=mobile,
                                    color_scheme=scheme, bypass_csp=True)
    try:
        page = monitor.watch(context.new_page())
        for name, (path, selector) in FIGURES.items():
            _open(page, base_url, path)
            page.add_style_tag(content=".md-header { position: static !important; }")  # no header over the shot
            figure = page.locator(selector).first
            figure.scroll_into_view_if_needed()
            box = figure.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 100, f"{name}: figure not rendered ({box})"
            assert box["x"] + box["width"] <= size["width"] + 1, f"{name}: figure wider than the page"
            colours = page.evaluate("""(sel) => {
                const text = document.querySelector(sel).querySelector('svg.sx-svg text');
                const bg = getComputedStyle(document.body).backgroundColor;
                return [getComputedStyle(text).fill, bg];
            }""", selector)
            fill, background = (_luminance(c) for c in colours)
            ratio = (max(fill, background) + 0.05) / (min(fill, background) + 0.05)
            assert ratio >= 4.5, f"{name} ({scheme}): figure text contrast {ratio:.1f}:1 against the page"
            out = SCREENSHOT_DIR / f"figure-{name}-{scheme}-{size['width']}.png"
            figure.screenshot(path=str(out))
            assert out.stat().st_size > 2000
        monitor.check()
    finally:
        context.close()


def test_figure_marks_are_keyboard_links(page, base_url):
    """A study mark in the landscape is a real link: Tab reaches it and Enter follows it to the study's row."""
    _open(page, base_url, HUMAN_STUDIES_PAGE)
    mark = page.locator(".sx-landscape a").first
    # Material's instant navigation makes the href absolute (through svg-links.js): its fragment is the target.
    target = mark.evaluate("a => new URL(a.getAttribute('href'), a.baseURI).hash")
    mark.focus()
    assert page.evaluate("() => document.activeElement.closest('svg') !== null")
    page.keyboard.press("Enter")
    page.wait_for_function("(h) => location.hash === h", arg=target)
    # The study's row is scrolled into view (Material may update the hash itself, so :target is not used).
    page.wait_for_function("(id) => { const el = document.getElementById(id); if (!el) return false;"
                           " const r = el.closest('tr').getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }", arg=target[1:])
    page.monitor.check()


# ------------------------------------------------------------------------------- "how this was checked"
CHECKED_WIDTHS = [{"width": 1366, "height": 900}, MOBILE]


@pytest.mark.parametrize("size", CHECKED_WIDTHS, ids=["desktop-1366", "phone-390"])
def test_check_button_opens_the_record_by_keyboard_and_touch(browser, base_url, size):
    """Every cited statement ends with a small button; it opens the record it was checked against (quote or
    'no quote on record yet', where, the stored page as a link, date, verdict), closes with Escape and hands
    focus back, fits a phone, and axe finds nothing serious with the dialog open."""
    phone = size is MOBILE
    context, monitor = _new_context(browser, base_url, viewport=size, is_mobile=phone, has_touch=phone,
                                    bypass_csp=True)  # axe-core is injected inline with the dialog open
    try:
        page = monitor.watch(context.new_page())
        _open(page, base_url, CONTENT_PAGE)
        buttons = page.locator("button.check-btn")
        assert buttons.count() > 10
        first = buttons.first
        first.scroll_into_view_if_needed()
        box = first.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, box
        assert first.get_attribute("aria-label") == "How this statement was checked"
        if phone:
            first.tap()
        else:
            first.focus()
            page.keyboard.press("Enter")
        dialog = page.locator("dialog.check-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".check-dialog__verdict")).to_contain_text("Verdict: supported")
        expect(dialog.locator(".check-dialog__verdict")).to_contain_text("checked 20")
        text = dialog.inner_text()
        assert "Where in the source" in text and "Stored page read" in text
        assert "No quote on record yet." in text or dialog.locator("blockquote").count() > 0
        link = dialog.locator("dd a").first
        assert re.match(r"https?://", link.get_attribute("href"))
        width = page.evaluate("() => document.querySelector('dialog.check-dialog').getBoundingClientRect().right")
        assert width <= size["width"], "the dialog is wider than the screen"
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT_DIR / f"check-dialog-{size['width']}.png"))
        result = run_axe(page)
        bad = [v for v in result["violations"] if v.get("impact") in AXE_FAIL_IMPACTS]
        assert not bad, _format_violations(f"{CONTENT_PAGE} (dialog open)", bad)
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        assert page.evaluate("() => document.activeElement.classList.contains('check-btn')")
        monitor.check()
    finally:
        context.close()


def test_check_dialog_shows_hostile_record_data_as_text(page, base_url):
    """The dialog's data is text: a quote with markup stays typed, a javascript: address is no link."""
    hostile = ('{"%s": {"verdict": "supported", "meaning": "<b>m</b>", "checked": "2026-12-01", "note": "", '
               '"derived": [], "unhedged": "", "sources": [{"key": "k", "label": "<img src=x onerror=window.__p=1>", '
               '"where": "abstract", "seen": "javascript:window.__p=1", "quote": "<script>window.__p=1</script>&amp;", '
               '"quote_en": "", "quote_missing": ""}]}}')
    _open(page, base_url, CONTENT_PAGE)
    first = page.locator("button.check-btn").first
    fp = first.get_attribute("data-check").split("#")[1]
    page.route("**/data/checks/**", lambda route: route.fulfill(status=200, content_type="application/json",
                                                                 body=hostile % fp))
    first.click()
    dialog = page.locator("dialog.check-dialog")
    expect(dialog.locator("blockquote")).to_have_text("<script>window.__p=1</script>&amp;")
    expect(dialog.locator("h3")).to_have_text("<img src=x onerror=window.__p=1>")
    assert dialog.locator("img, script, b").count() == 0
    assert dialog.locator("dd a").count() == 0
    assert page.evaluate("() => window.__p") is None


def test_bibliography_jump_bar_and_filter_by_kind(page, base_url):
    """The references page: the A-Z bar jumps to an initial, the filter shows one kind of source with a count,
    and /references/#key still lands on (or forwards to) the entry."""
    _open(page, base_url, "references/")
    entries = page.locator(".ref-entry")
    total = entries.count()
    select = page.locator("select.ref-kind-filter")
    expect(select).to_be_visible()  # hidden without JavaScript, shown by reference-forward.js
    select.select_option("vendor")
    shown = page.locator(".ref-entry:not([hidden])")
    assert 0 < shown.count() < total
    kinds = set(shown.evaluate_all("els => els.map(e => e.dataset.kind)"))
    assert kinds == {"vendor"}, kinds
    expect(page.locator(".ref-count")).to_have_text(f"Showing {shown.count()} of {total} sources.")
    select.select_option("")
    expect(page.locator(".ref-entry:not([hidden])")).to_have_count(total)
    link = page.locator(".ref-jump a").nth(1)
    target = link.get_attribute("href").split("#")[-1]  # Material makes in-page links absolute
    link.click()
    # Material's instant navigation may swap the document while it scrolls: the element can be missing briefly.
    page.wait_for_function("(id) => { const e = document.getElementById(id); if (!e) return false;"
                           " const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight / 2; }",
                           arg=target)
    key = entries.first.get_attribute("id")
    _open(page, base_url, f"references/#{key}")
    page.wait_for_function("(k) => location.hash === '#' + k", arg=key)
    assert page.locator(f"[id='{key}']").is_visible()
    page.monitor.check()
