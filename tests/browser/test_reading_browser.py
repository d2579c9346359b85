"""Reading the site on a desk and on a phone (issue 18), in Debian's Chromium at 1366 and 390 px: figure text
never below 11 CSS px, no figure hiding a row or column without a scroll cue, the claims filter's field words,
the home page's answers within two screens, footnote markers as 24 px tap targets with a preview on tap, the
phone menu opening on every section, a pasted search query searched, footnote numbers whole in print, and axe.
Screenshots of every figure go to test-artifacts/reading/."""

import io
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from test_browser import (  # noqa: F401
    AXE_FAIL_IMPACTS,
    AXE_JS,
    _format_violations,
    _new_context,
    _open,
    base_url,
    run_axe,
    site,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "reading"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# Every page with a figure (hooks/render/studies.py markers `:figure:`).
FIGURE_PAGES = ["", "evidence/claims-audit/", "evidence/human-studies/", "variants/",
                "indications/acute-ischemic-stroke/", "indications/traumatic-brain-injury/"]
MIN_TEXT_PX = 11
FOOTNOTE_PAGE = "indications/acute-ischemic-stroke/"  # more than ten references: two-digit numbers
AXE_PAGES = ["", "evidence/claims-audit/", "evidence/method/", "evidence/human-studies/", "variants/",
             "indications/acute-ischemic-stroke/"]


@pytest.fixture
def at(browser, base_url, request):  # noqa: F811
    """A fresh page at the size named by the test's `size` parameter (a phone is a touch screen)."""
    contexts = []

    def make(size, **options):
        phone = size is PHONE
        context, monitor = _new_context(browser, base_url, viewport=size, is_mobile=phone, has_touch=phone, **options)
        contexts.append(context)
        page = monitor.watch(context.new_page())
        page.monitor = monitor
        return page

    yield make
    for context in contexts:
        context.close()


FIGURE_FACTS = """() => [...document.querySelectorAll('article svg.sx-svg')].map(svg => {
  let smallest = Infinity, which = '';
  svg.querySelectorAll('text').forEach(t => {
    const m = t.getScreenCTM();
    if (!m || !t.textContent.trim()) return;
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (px < smallest) { smallest = px; which = t.textContent; }
  });
  const box = svg.closest('.sx-scroll'), figure = svg.closest('figure');
  const cue = figure && figure.querySelector('.sx-scroll-cue');
  const r = svg.getBoundingClientRect(), b = box ? box.getBoundingClientRect() : r;
  return {id: svg.id, smallest, which, hidden: r.right > b.right + 1 || r.left < b.left - 1 || r.right > innerWidth + 1,
          scrolls: box ? box.scrollWidth > box.clientWidth + 1 : false,
          cue: !!(cue && cue.getBoundingClientRect().height > 0 && getComputedStyle(cue).visibility !== 'hidden'),
          overflowX: box ? getComputedStyle(box).overflowX : 'none'};
})"""


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_figures_are_legible_and_show_when_they_scroll(at, base_url, size):  # noqa: F811
    """No SVG text below 11 CSS px; a figure wider than its column scrolls in its box and says so."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = at(SIZES[size])
    problems, report = [], []
    for path in FIGURE_PAGES:
        _open(page, base_url, path)
        page.wait_for_timeout(100)  # reading.js marks overflowing figures on load and resize
        facts = page.evaluate(FIGURE_FACTS)
        assert facts, f"/{path}: no figure found"
        for f in facts:
            report.append(f"{size} /{path} {f['id']}: smallest text {f['smallest']:.1f} px ({f['which']!r}), "
                          f"scrolls={f['scrolls']} cue={f['cue']}")
            if f["smallest"] < MIN_TEXT_PX - 0.05:
                problems.append(f"/{path} {f['id']}: text {f['which']!r} at {f['smallest']:.1f} px")
            if f["hidden"] and not (f["scrolls"] and f["cue"] and f["overflowX"] in ("auto", "scroll")):
                problems.append(f"/{path} {f['id']}: part of the figure is out of view with no scroll cue")
            page.locator(f"[id='{f['id']}-figure']").screenshot(path=str(ARTIFACTS / f"{size}-{f['id']}.png"))
    (ARTIFACTS / f"figures-{size}.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))
    assert not problems, "\n".join(problems)
    page.monitor.check()


def _ledger():
    return yaml.safe_load((ROOT / "references" / "claims.yaml").read_text(encoding="utf-8"))["claims"]


FILTERS = {  # what is typed -> which ledger claims must show, exactly
    "grade D": lambda c: c["grade"] == "D",
    "grade:C": lambda c: c["grade"] == "C",
    "verdict contradicted": lambda c: c["verdict"] == "contradicted",
    "verdict supported": lambda c: c["verdict"] == "supported",
    "verdict partly supported": lambda c: c["verdict"] == "partly-supported",
    "section safety": lambda c: c["id"].startswith("x"),
    "grade D verdict partly": lambda c: c["grade"] == "D" and c["verdict"] == "partly-supported",
}


def test_claims_filter_field_words_filter_by_field(at, base_url):  # noqa: F811
    page = at(DESKTOP)
    _open(page, base_url, "evidence/claims-audit/")
    ledger = _ledger()
    rows = page.locator(".claims-table tbody tr")
    assert rows.count() == len(ledger)
    for typed, keep in FILTERS.items():
        page.fill("input.claims-filter", typed)
        shown = page.eval_on_selector_all(".claims-table tbody tr:not([hidden]) td:first-child",
                                          "cells => cells.map(c => c.textContent.trim().toLowerCase())")
        want = [c["id"] for c in ledger if keep(c)]
        assert want, f"{typed!r}: the ledger has no such claim, the test proves nothing"
        assert sorted(shown) == sorted(want), f"{typed!r}: shown {sorted(shown)}, ledger {sorted(want)}"
        assert page.locator(".claims-count").inner_text() == f"{len(want)} of {len(ledger)} claims shown"
    page.fill("input.claims-filter", "BDNF")  # a plain word still matches anywhere in the row
    assert 0 < page.locator(".claims-table tbody tr:not([hidden])").count() < len(ledger)
    page.screenshot(path=str(ARTIFACTS / "claims-filter.png"))
    page.monitor.check()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_home_page_answers_within_two_screens(at, base_url, size):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = at(SIZES[size])
    _open(page, base_url, "")
    facts = page.evaluate("""() => {
      const h = document.getElementById('evidence-at-a-glance');
      const details = [...document.querySelectorAll('.sx-glance tbody td:last-child a')];
      const bottom = document.querySelector('.admonition.abstract p:not(.admonition-title)');
      const body = document.querySelector('article > p, article .md-typeset > p') ||
                   document.querySelector('.sx-glance').previousElementSibling;
      return {top: h.getBoundingClientRect().top + scrollY, screen: innerHeight,
              cutOff: details.filter(a => a.getBoundingClientRect().right > innerWidth + 1).map(a => a.textContent),
              details: details.length,
              bottomLine: parseFloat(getComputedStyle(bottom).fontSize),
              body: parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)};
    }""")
    screens = facts["top"] / facts["screen"]
    (ARTIFACTS / f"home-{size}.txt").write_text(f"first answer at {facts['top']:.0f} px = {screens:.2f} screens\n")
    page.screenshot(path=str(ARTIFACTS / f"home-{size}-first-two-screens.png"),
                    clip={"x": 0, "y": 0, "width": SIZES[size]["width"], "height": 2 * SIZES[size]["height"]},
                    full_page=True)
    assert screens < 2, f"'Evidence at a glance' starts {screens:.2f} screens down"
    assert facts["details"] >= 5 and not facts["cutOff"], f"Details links cut off: {facts['cutOff']}"
    assert facts["bottomLine"] >= facts["body"] - 0.5, facts
    page.monitor.check()


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_a_source_reached_by_its_address_is_not_under_the_a_z_bar(at, base_url, size):  # noqa: F811
    # /references/#key is how a source is cited: its entry, key and authors first, must land below the sticky
    # header and A-Z bar (Material's scroll margin alone left the first lines under the bar). The same for the
    # initials the bar jumps to.
    page = at(SIZES[size])
    _open(page, base_url, "references/")
    entries = page.locator(".ref-entry")
    targets = [entries.nth(i).get_attribute("id") for i in (0, entries.count() // 2, entries.count() - 1)]
    targets.append(page.locator(".ref-initial").nth(2).get_attribute("id"))
    for target in targets:
        _open(page, base_url, f"references/#{target}")
        page.wait_for_function("(k) => location.hash === '#' + k", arg=target)
        page.wait_for_timeout(300)  # entries off screen are laid out as they come near (content-visibility)
        top, bar = page.evaluate("""(k) => [document.getElementById(k).getBoundingClientRect().top,
                                           document.querySelector('.ref-jump').getBoundingClientRect().bottom]""",
                                 target)
        # (the last entries cannot scroll up to the bar: the page ends; they must still be on screen)
        assert bar <= top < SIZES[size]["height"] - 40, f"#{target} lands at {top:.0f} px, the bar ends at {bar:.0f}"
    page.monitor.check()


def test_footnote_markers_are_tap_targets_with_a_preview(at, base_url):  # noqa: F811
    page = at(PHONE)
    _open(page, base_url, "mechanisms/bdnf-trkb/")
    boxes = page.eval_on_selector_all("article a.footnote-ref", """els => els.map(a => {
      const r = a.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })""")
    assert boxes
    small = [b for b in boxes if b[2] < 24 - 0.01 or b[3] < 24 - 0.01]
    assert not small, f"{len(small)} of {len(boxes)} footnote markers are smaller than 24 x 24 px: {small[:3]}"
    overlapping = [(a, b) for a, b in zip(boxes, boxes[1:], strict=False)
                   if abs(a[1] - b[1]) < 1 and b[0] < a[0] + a[2] - 0.5]
    assert not overlapping, f"touching markers overlap: {overlapping[:2]}"
    ref = page.locator("article a.footnote-ref").nth(2)
    ref.scroll_into_view_if_needed()
    before = page.url
    target = ref.get_attribute("href").split("#")[1]
    ref.tap()
    preview = page.locator(".md-tooltip2--active")  # Material's footnote tooltip, shown on the first tap
    preview.wait_for(state="visible")
    page.wait_for_timeout(300)
    assert page.url == before, "the first tap jumped away instead of previewing"
    # textContent: a footnote away from the screen is not rendered yet (content-visibility), so it has no innerText
    note = " ".join(page.locator(f"[id='{target}']").text_content().split())[:40]
    assert note and note in " ".join(preview.inner_text().split()), f"the preview does not show {note!r}"
    page.screenshot(path=str(ARTIFACTS / "phone-footnote-preview.png"))
    ref.tap()  # the second tap goes to the reference
    page.wait_for_function("(f) => location.hash === '#' + f", arg=target)
    page.screenshot(path=str(ARTIFACTS / "phone-footnote-after-go.png"))
    page.monitor.check()


@pytest.mark.parametrize("path", ["", "faq/", "indications/adhd/"], ids=["home", "faq", "adhd"])
def test_phone_menu_shows_every_section(at, base_url, path):  # noqa: F811
    page = at(PHONE)
    _open(page, base_url, path)
    page.locator("label.md-header__button[for='__drawer']").tap()
    page.wait_for_timeout(400)  # the drawer slides in
    titles = page.evaluate("""() => [...document.querySelectorAll('.md-nav--primary > .md-nav__list > .md-nav__item')]
      .map(item => [...item.querySelectorAll(':scope > .md-nav__link, :scope > .md-nav__container > .md-nav__link')]
        .find(el => { const r = el.getBoundingClientRect();  // on screen, and not covered by a nested panel
                      if (!(r.width > 0 && r.left >= 0 && r.right <= innerWidth && r.top < innerHeight)) return false;
                      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                      return hit && (el === hit || el.contains(hit)); }))
      .filter(Boolean).map(el => el.textContent.trim())""")
    page.screenshot(path=str(ARTIFACTS / f"phone-menu-{path.strip('/').replace('/', '-') or 'home'}.png"))
    for section in ("Overview", "Mechanisms", "Variants", "Indications", "Use", "Evidence"):
        assert any(t.startswith(section) for t in titles), f"{section} not shown when the menu opens: {titles}"
    page.monitor.check()


def test_search_runs_on_a_pasted_query(at, base_url):  # noqa: F811
    """Paste, autofill and voice input fire `input` with no key: the query must still be searched."""
    page = at(DESKTOP)
    _open(page, base_url, "")
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    page.evaluate("""() => { const i = document.querySelector('input.md-search__input');
      i.value = 'TBI'; i.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste'})); }""")
    page.wait_for_function("() => /matching/i.test(document.querySelector('.md-search-result__meta').textContent)")
    first = page.locator("li.md-search-result__item a.md-search-result__link").first.get_attribute("href")
    assert "indications/traumatic-brain-injury/" in first, first
    page.monitor.check()


def test_printed_footnote_numbers_keep_every_digit(at, base_url):  # noqa: F811
    page = at({"width": 720, "height": 1000})  # about the text width of an A4 sheet
    _open(page, base_url, FOOTNOTE_PAGE)
    page.emulate_media(media="print")
    cut = page.evaluate("""() => {
      const items = [...document.querySelectorAll('.footnote > ol > li')];
      const ctx = document.createElement('canvas').getContext('2d');
      return items.map((li, i) => {
        ctx.font = getComputedStyle(li).font;
        const marker = ctx.measureText(`${i + 1}. `).width;
        return [i + 1, li.getBoundingClientRect().left - marker];
      }).filter(([n, left]) => n >= 10 && left < 0);
    }""")
    count = page.locator(".footnote > ol > li").count()
    assert count >= 10, f"{FOOTNOTE_PAGE} has {count} references: no two-digit number to check"
    assert not cut, f"footnote numbers printed past the left edge: {cut[:5]}"


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p.strip("/") or "home")
def test_axe_on_the_pages_read_here(at, base_url, path, size):  # noqa: F811
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} not found: run `npm ci`", pytrace=False)
    page = at(SIZES[size], bypass_csp=True)  # axe-core goes in as an inline script, which the site's policy refuses
    _open(page, base_url, path)
    result = run_axe(page)
    bad = [v for v in result["violations"] if v.get("impact") in AXE_FAIL_IMPACTS]
    assert not bad, _format_violations(f"{path} ({size})", bad)
    page.monitor.check()



# A figure and its legend on one printed sheet: words only the legend prints, words only the figure prints (an
# axis title; the landscape's legend comes before its first panel).
PRINTED_FIGURES = {"variants/": ("Pro-Gly-Pro tail", "Sequence alignment:"),
                   "evidence/human-studies/": ("Shape: design", "Year of publication"),
                   "indications/acute-ischemic-stroke/": ("Shape: design", "Year of publication"),
                   "indications/traumatic-brain-injury/": ("Shape: design", "Year of publication")}


@pytest.mark.parametrize("path", PRINTED_FIGURES, ids=lambda p: p.strip("/"))
def test_printed_figure_keeps_its_legend(at, base_url, path):  # noqa: F811
    page = at({"width": 720, "height": 1000})
    _open(page, base_url, path)
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    texts = [" ".join((p.extract_text() or "").split()) for p in pdf.pages]
    legend, figure = PRINTED_FIGURES[path]
    with_legend = [i for i, t in enumerate(texts) if legend in t]
    with_figure = [i for i, t in enumerate(texts) if figure in t]
    assert with_legend and with_figure, f"/{path}: legend on {with_legend}, figure on {with_figure}"
    assert set(with_legend) & set(with_figure), f"/{path}: legend on sheet {with_legend}, figure on {with_figure}"


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p.strip("/") or "home")
def test_targets_are_24_px_or_spaced(at, base_url, path, size):  # noqa: F811
    """WCAG 2.2 target size (2.5.8), which axe runs only when asked: footnote markers, check buttons and the links
    of study tables crowded each other in table cells, where lines are closer than 24 px (Lighthouse caught it)."""
    page = at(SIZES[size], bypass_csp=True)  # axe-core goes in as an inline script
    _open(page, base_url, path)
    result = run_axe(page, "{runOnly: ['target-size']}")
    assert not result["violations"], _format_violations(f"{path} ({size}) target-size", result["violations"])
