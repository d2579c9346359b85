"""Study tables and study figures in Chromium at 1366 and 390 px: the columns a clinician scans first (study,
design, n, main result, risk of bias) are on screen without scrolling, the characteristics of a study open with
one click, a table that must scroll keeps its first column in view, no Selank study sits in a panel titled
Semax, and axe finds no serious or critical violation. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
import test_browser as tb
from test_browser import AXE_FAIL_IMPACTS, AXE_JS, ROOT, _format_violations, _new_context, _open

site, base_url = tb.site, tb.base_url  # the browser tests' fixtures: the built site, served locally

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
# Every page that shows a generated study table (`:studies-table:` or `:studies-list:`).
STUDY_TABLE_PAGES = ["indications/acute-ischemic-stroke/", "indications/traumatic-brain-injury/",
                     "indications/anxiety/", "indications/other-uses/", "evidence/human-studies/"]
KEY_COLUMNS = ["Study", "Design", "n", "Main result", "Risk of bias"]
SHOTS = ROOT / "test-artifacts" / "screenshots"

# For each summary table: are its five cells of the first rows inside the viewport's width, without the page or
# the table scrolling sideways? (On a phone the rows are cards: the cells stack, each labelled.)
KEY_CELLS_JS = """(limit) => [...document.querySelectorAll('.sx-summary table')].map(t => {
  const rows = [...t.querySelectorAll('tbody tr')].slice(0, 3);
  const heads = [...t.querySelectorAll('thead th')].map(th => th.textContent.trim());
  const cells = rows.flatMap(r => [...r.children]).map(td => {
    const b = td.getBoundingClientRect();
    return {left: Math.round(b.left), right: Math.round(b.right), w: Math.round(b.width),
            shown: getComputedStyle(td).display !== 'none' && b.width > 0};
  });
  return {heads, cells, tableScroll: t.scrollWidth - t.clientWidth,
          pageScroll: document.documentElement.scrollWidth - innerWidth};
})"""


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, browser, base_url):
    size = SIZES[request.param]
    mobile = request.param == "phone"
    # bypass_csp: these tests inject axe-core and an unpinning style inline, which the site's policy refuses.
    context, monitor = _new_context(browser, base_url, viewport=size, is_mobile=mobile, has_touch=mobile,
                                    bypass_csp=True)
    page = monitor.watch(context.new_page())
    page.monitor = monitor
    yield request.param, size, page
    context.close()


@pytest.mark.parametrize("path", STUDY_TABLE_PAGES, ids=lambda p: p.strip("/").split("/")[-1])
def test_key_columns_are_visible_without_scrolling(sized, base_url, path):
    name, size, page = sized
    _open(page, base_url, path)
    tables = page.evaluate(KEY_CELLS_JS, size["width"])
    assert tables, f"/{path}: no study summary table"
    for table in tables:
        assert table["heads"] == KEY_COLUMNS
        assert table["tableScroll"] <= 1 and table["pageScroll"] <= 1, f"/{path} {name}: scrolls sideways {table}"
        for cell in table["cells"]:
            assert cell["shown"] and cell["left"] >= 0 and cell["right"] <= size["width"], f"/{path} {name}: {cell}"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".md-header { position: static !important; }")
    summary = page.locator(".sx-summary").first
    summary.scroll_into_view_if_needed()
    slug = re.sub(r"\W+", "-", path.strip("/"))
    page.screenshot(path=str(SHOTS / f"study-table-{slug}-{size['width']}.png"))
    page.monitor.check()


def test_characteristics_open_with_one_click(sized, base_url):
    name, size, page = sized
    _open(page, base_url, "indications/traumatic-brain-injury/")
    # Material's instant navigation makes every href absolute: the fragment is what matters.
    link = page.locator(".sx-summary tbody tr a[href*='#characteristics-']").first
    target = link.get_attribute("href").split("#")[1]
    block = page.locator(f"#{target} details")
    assert block.get_attribute("open") is None
    block.locator("summary").click()
    assert block.get_attribute("open") is not None
    text = block.inner_text()
    for term in ("Methods", "Participants", "Interventions", "Outcomes", "Risk of bias"):
        assert term in text
    page.screenshot(path=str(SHOTS / f"study-characteristics-{size['width']}.png"))
    page.monitor.check()


SCROLLER_JS = """t => { let p = t; while (p && !(['auto', 'scroll'].includes(getComputedStyle(p).overflowX)
    && p.scrollWidth > p.clientWidth + 1)) p = p.parentElement; if (!p) return false;
    p.scrollLeft = p.scrollWidth; return true; }"""


@pytest.mark.parametrize("path", ["evidence/human-studies/", "mechanisms/bdnf-trkb/"], ids=["rob", "bdnf"])
def test_a_scrolling_table_keeps_its_first_column_in_view(sized, base_url, path):
    """A table wider than the screen (ROBINS-I, or the BDNF page's animal studies on a phone) scrolls in its own
    box and its first column (the study) stays where it was; on a desktop they fit without scrolling."""
    name, size, page = sized
    _open(page, base_url, path)
    table = page.locator(".rob-table table").last if "human" in path else page.locator("article table").first
    table.scroll_into_view_if_needed()
    first, second = table.locator("tbody tr td").nth(0), table.locator("tbody tr td").nth(2)
    before, other = first.bounding_box(), second.bounding_box()
    scrolled = table.evaluate(SCROLLER_JS)
    if name == "desktop" and "human" in path:
        assert not scrolled, "the risk-of-bias table should fit a desktop column"
        return
    if not scrolled:
        return  # fits: nothing to keep in view
    after = first.bounding_box()
    assert second.bounding_box()["x"] < other["x"] - 20, "the table did not scroll"
    assert abs(after["x"] - before["x"]) <= 1, f"{name}: first column moved from {before} to {after}"
    slug = path.strip("/").split("/")[-1]
    page.screenshot(path=str(SHOTS / f"table-scrolled-{slug}-{size['width']}.png"))
    page.monitor.check()


def test_no_selank_study_in_a_panel_titled_semax(sized, base_url):
    name, size, page = sized
    _open(page, base_url, "evidence/human-studies/")
    panels = page.evaluate("""() => [...document.querySelectorAll('svg.sx-landscape')].map(svg => ({
        title: svg.querySelector('title').textContent,
        marks: [...svg.querySelectorAll('a')].map(a => a.getAttribute('aria-label'))}))""")
    assert panels
    for panel in panels:
        selank = [m for m in panel["marks"] if "(Selank)" in m]
        if panel["title"].startswith("Selank"):
            assert selank == panel["marks"], panel
        else:
            assert "Semax" in panel["title"] and not selank, panel
    figure = page.locator("#fig-landscape-selank-figure")
    figure.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"landscape-selank-panel-{size['width']}.png"))
    page.monitor.check()


@pytest.mark.parametrize("path", ["evidence/human-studies/", "indications/acute-ischemic-stroke/"],
                         ids=["human-studies", "stroke"])
def test_axe_on_study_pages(sized, base_url, path):
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} not found: run `make system-deps` (npm ci)", pytrace=False)
    name, size, page = sized
    _open(page, base_url, path)
    page.evaluate("() => document.querySelectorAll('.sx-characteristics details').forEach(d => d.open = true)")
    result = tb.run_axe(page)
    bad = [v for v in result["violations"] if v.get("impact") in AXE_FAIL_IMPACTS]
    assert not bad, _format_violations(f"{path} ({name})", bad)
    page.monitor.check()
