"""Reading the figures and the answers (issue 18), checked without a browser: every figure is drawn at its own
size in a scroll box with a cue, no figure text is set below 11 px, the landscape's marks and strips cannot be
misread, the home page gives its answers first with the grades explained, and the audited article is named.
The same things as a reader sees them, in Chromium at 1366 and 390 px: tests/browser/test_reading_browser.py."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import figures
import sitecheck

ROOT = Path(__file__).resolve().parents[1]
SITE_CSS = ROOT / "docs" / "assets" / "stylesheets" / "site.css"
PRINT_CSS = ROOT / "docs" / "assets" / "stylesheets" / "print.css"
SVG = "{http://www.w3.org/2000/svg}"
MIN_TEXT_PX = 11
ARTICLE_TITLE = "Semax: The Russian Nootropic Peptide for Focus, Memory, and Brain Recovery"


def figure_svgs(text):
    return [ET.fromstring(m.group(0)) for m in re.finditer(r'<svg\b[^>]*\bid="fig-[^"]+"[^>]*>.*?</svg>', text, re.S)]


def point(i, **kw):
    return {"label": f"Study {i}", "year": 2000 + i, "n": 10 * (i + 1), "design": "controlled", "risk": "serious",
            "href": f"#s{i}", "aria": f"Study {i}", **kw}


# ------------------------------------------------------------------------------------------- the renderers
def test_figure_text_sizes_in_the_stylesheet_are_at_least_11px():
    """Figures are never scaled down (below), so the font sizes site.css gives their text are what a reader
    sees: none may be under 11 px."""
    css = SITE_CSS.read_text(encoding="utf-8")
    sizes = re.findall(r"([^{}]*\.sx-svg[^{}]*)\{[^}]*?font-size:\s*([\d.]+)px", css)
    assert sizes, "no font size found for figure text in site.css"
    small = [(sel.strip(), float(px)) for sel, px in sizes if float(px) < MIN_TEXT_PX]
    assert not small, f"figure text below {MIN_TEXT_PX} px: {small}"


def test_every_figure_is_drawn_at_its_own_size_in_one_frame():
    """One responsive pattern: width and height attributes equal the viewBox (one unit, one CSS pixel), no
    inline style, and the frame puts the SVG in a scroll box after a scroll cue."""
    svg = figures.landscape("fig-l", "Panel", [point(1)], (1995, 2010), 3, True)
    root = ET.fromstring(svg)
    _, _, w, h = root.get("viewBox").split()
    assert (root.get("width"), root.get("height")) == (w, h)
    assert root.get("style") is None
    html = figures.frame("fig-l", svg, "Caption <b>", "sx-panel")
    assert re.search(r'<figure class="sx-figure sx-panel" id="fig-l-figure"[^>]*>\s*<p class="sx-scroll-cue', html)
    assert re.search(r'<div class="sx-scroll"[^>]*aria-labelledby="fig-l-title"[^>]*><svg', html)
    assert "<figcaption>Caption &lt;b&gt;</figcaption>" in html


def test_a_landscape_panel_fits_a_phone_column():
    """358 px is the text column of a 390 px phone: a panel must not need scrolling there."""
    root = ET.fromstring(figures.landscape("fig-l", "Panel", [point(i, year=None) for i in range(3)],
                                           (1995, 2020), 3, True))
    assert float(root.get("width")) <= 358


def test_no_size_strip_is_not_read_as_fewer_than_one():
    """Studies without an n sit in a strip named in words, below the year axis and its labels, not in a row
    labelled "n?" right under the "1" of the log axis."""
    root = ET.fromstring(figures.landscape("fig-l", "Panel", [point(1), point(2, n=None)], (1995, 2010), 3, False))
    texts = {"".join(t.itertext()): t for t in root.iter(SVG + "text")}
    assert "n?" not in texts
    label = next(t for k, t in texts.items() if "not" in k and "reported" in k)
    one = float(texts["1"].get("y"))
    years = [float(t.get("y")) for k, t in texts.items() if k == "2000"]
    assert float(label.get("y")) > max(years) > one
    # plain href since the figure links became crawlable (xlink:href before)
    undated_n = [a for a in root.iter(SVG + "a")
                 if (a.get("href") or a.get("{http://www.w3.org/1999/xlink}href")) == "#s2"][0]
    assert float(undated_n[1].get("y") or undated_n[1].get("cy") or 0) > max(years)


def test_no_dash_inside_a_marker():
    """A "–" inside the meta-analysis star read as a negative result: no mark carries a dash."""
    assert all(letter not in "–-—" or letter == "" for letter in figures.RISK_LETTERS.values())
    root = ET.fromstring(figures.landscape("fig-l", "Panel", [point(1, design="meta-analysis", risk="none")],
                                           (1995, 2010), 3, False))
    assert not [t for a in root.iter(SVG + "a") for t in a.iter(SVG + "text") if (t.text or "").strip()]


def test_print_keeps_legends_and_footnote_numbers():
    css = PRINT_CSS.read_text(encoding="utf-8")
    assert re.search(r"\.sx-figure[^{]*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"\.sx-legend[^{]*\{[^}]*break-after:\s*avoid", css)
    assert re.search(r"\.footnote > ol > li\s*\{[^}]*margin-left:\s*2\.\d+em", css)


# ------------------------------------------------------------------------------------------ the built site
@pytest.mark.parametrize("src", ["index.md", "evidence/claims-audit.md", "evidence/human-studies.md",
                                 "variants/index.md", "indications/acute-ischemic-stroke.md"])
def test_built_figures_are_framed_and_unscaled(built_site, src):
    text = sitecheck.html_file(built_site, src).read_text(encoding="utf-8")
    roots = figure_svgs(text)
    assert roots, f"{src}: no figure"
    for root in roots:
        assert root.get("width") == root.get("viewBox").split()[2], root.get("id")
        assert root.get("style") is None, root.get("id")
    assert text.count('class="sx-scroll"') == len(roots) == text.count('class="sx-scroll-cue editorial"')


def test_home_page_answers_come_first_with_the_grades_explained(pages):
    soup = pages["index.md"]
    article = soup.select_one("article")
    h2 = [h.get("id") for h in article.find_all("h2")]
    assert h2[0] == "evidence-at-a-glance", h2
    glance = article.select_one(".sx-glance table")
    assert glance is not None, "the glance table lost its phone layout wrapper"
    key = article.select_one(".sx-grade-key")
    assert key is not None and key.find_previous("h2").get("id") == "evidence-at-a-glance"
    text = key.get_text(" ", strip=True)
    for letter in {td.get_text(strip=True) for td in glance.select("tbody td:nth-of-type(2)")}:
        assert re.search(rf"\b{letter}\b", text), f"grade {letter} is shown but not explained in the key"
    assert key.select_one("a[href*='method/#grades']")


def test_the_audited_article_is_named_and_every_claim_box_links_to_it(pages):
    audit = pages["evidence/claims-audit.md"]
    section = audit.select_one("#the-audited-article")
    assert section is not None
    prose = " ".join(p.get_text(" ", strip=True) for p in section.find_all_next("p", limit=2))
    assert ARTICLE_TITLE in " ".join(prose.split())
    assert ARTICLE_TITLE in " ".join(pages["evidence/method.md"].get_text(" ", strip=True).split())
    boxes = [box for soup in pages.values() for box in soup.select(".claim-box")]
    assert boxes
    for box in boxes:
        link = box.select_one("strong a")
        assert link is not None and link.get_text() == "The article", box.get("id")
        assert link["href"].endswith("claims-audit/"), (box.get("id"), link["href"])
