"""Print and PDF, in the built HTML: the combined page print/, table labels for the stacked print layout, the
print-only header. The rendering itself (page widths, PDF text) is tested in Chromium in tests/browser/."""

import copy
import json

import printing
import pytest
from bs4 import BeautifulSoup
from test_planted_errors import PAGES, build, make_project, split_bibliography_project
from test_site import nav_sources

import sitecheck

PRINT_PAGE = "print/index.html"


@pytest.fixture(scope="module")
def print_soup(built_site):
    return sitecheck.soup_of(built_site / PRINT_PAGE)


def _h1(soup):
    return " ".join(sitecheck.article(soup).find("h1").get_text(" ").replace("¶", "").split())


def test_combined_page_has_every_page_in_order_and_resolves_its_links(print_soup, pages):
    titles = [_h1(pages[src]) for src in nav_sources()]
    assert sitecheck.print_page_problems(print_soup, titles) == []
    markers = sitecheck.article(print_soup).select("a.footnote-ref")
    assert len(markers) > 1000, "the citation markers of every page should be in the combined page"


def test_combined_page_links_to_other_files_resolve(built_site, print_soup):
    """Links the combined page keeps as addresses (data files, assets) are relative to print/ and exist."""
    hrefs = [a["href"] for a in sitecheck.article(print_soup).find_all("a", href=True)
             if not a["href"].startswith(("#", "http", "mailto:"))]
    assert hrefs, "expected links to the /data/ exports"
    missing = [h for h in hrefs if not (built_site / "print" / h.split("#")[0]).resolve().exists()]
    assert missing == []


def test_combined_page_has_a_table_of_contents_and_one_bibliography(print_soup, project):
    refs, _, _ = project
    toc = print_soup.select("nav.print-toc a[href^='#']")
    assert len(toc) == len(nav_sources())
    entries = print_soup.select(".ref-entry .ref-number")
    assert [e.get_text() for e in entries] == [f"[{n}]" for n in range(1, len(refs) + 1)]
    # The page's sidebar contents (Material's toc) lists the same parts.
    sidebar = print_soup.select(".md-sidebar--secondary a.md-nav__link[href^='#']")
    assert {a["href"] for a in toc} <= {a["href"] for a in sidebar}


def test_combined_page_is_cited_and_dated_like_a_page_but_kept_out_of_search(built_site, print_soup, pages):
    updated = max(p.select_one("meta[name=citation_online_date]")["content"] for p in pages.values())
    assert print_soup.select_one("meta[name=citation_online_date]")["content"] == updated
    assert print_soup.select_one("section.cite-page") is not None
    assert print_soup.select_one(".print-header time")["datetime"] == updated
    assert len(print_soup.select("meta[name=citation_reference]")) > 100
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("print/")]


def test_every_page_carries_a_print_header_with_title_url_and_date(pages):
    problems = []
    for src, soup in pages.items():
        header = soup.select_one("article .print-header")
        cite = soup.select_one("section.cite-page")
        if header is None:
            problems.append(f"{src}: no print header")
            continue
        text = "".join(header.get_text().split())  # compared without spaces: an <abbr> adds none of its own
        url, date = cite.select_one("a.cite-url")["href"], cite.select_one("time")["datetime"]
        for what, value in (("url", url), ("date", date), ("title", _h1(soup)), ("citation", "Semax Evidence editors")):
            if "".join(value.split()) not in text:
                problems.append(f"{src}: print header lacks the {what} {value!r}")
    assert problems == []


def test_table_cells_carry_their_column_names_and_wide_tables_stack(pages):
    stacked = 0
    for src, soup in pages.items():
        for table in sitecheck.article(soup).select("table"):
            names = ["".join(th.get_text().split()) or None for th in table.select("thead th")]  # None: no name
            for row in table.select("tbody tr"):
                labels = ["".join(td["data-label"].split()) if td.has_attr("data-label") else None
                          for td in row.find_all("td")]
                assert labels == names[:len(labels)], src
            wide = len(names) >= printing.STACK_MIN_COLUMNS
            assert (table.get("data-print-layout") == "stacked") == wide, (src, names)
            stacked += wide
    # Study tables now print as their five-column summary; the wide ones are the risk-of-bias tables, the search
    # log and hand-written tables of seven columns or more.
    assert stacked >= 5, "the wide tables stack in print"


def test_combined_page_with_a_split_bibliography(tmp_path):
    """Past bibliography_page_limit the entries live on generated pages per initial, outside the navigation:
    the combined page takes them in after the bibliography page, in their order, numbered."""
    project = split_bibliography_project(tmp_path)
    code, output = build(project)
    assert code == 0, output
    soup = sitecheck.soup_of(project / "site" / PRINT_PAGE)
    titles = ["Home", "Other", "Bibliography", "Claims audit", "Method"]
    assert sitecheck.print_page_problems(soup, titles) == []
    numbered = [(e.select_one(".ref-number").get_text(), e["id"]) for e in soup.select(".ref-entry")]
    assert numbered == [("[1]", "references-i-1--ignat2019"), ("[2]", "references-i-2--good2020"),
                        ("[3]", "references-z--zeta2021")]
    # (print_page_problems checked that each marker shows the number of the entry it links to.)
    assert {a.get_text() for a in soup.select("a.footnote-ref")} == {"[1]", "[2]", "[3]"}
    assert [a.get_text() for a in soup.select("nav.print-toc a")][2:6] == [
        "Bibliography", "Bibliography: I 1", "Bibliography: I 2", "Bibliography: Z"]


# ------------------------------------------------------------------------------------------ planted faults
def _plant(soup, fault):
    soup = copy.copy(soup)
    body = sitecheck.article(soup)
    if fault == "missing page":
        body.select("section.print-part")[3].decompose()
    elif fault == "broken link":
        body.select("section.print-part a[href^='#']")[5]["href"] = "#nowhere"
    elif fault == "duplicate id":
        body.select("section.print-part h2[id]")[1]["id"] = body.select("section.print-part h2[id]")[0]["id"]
    elif fault == "wrong number":
        body.select("a.footnote-ref")[0].string = "[999]"
    elif fault == "footnotes left":
        entry = body.select_one(".ref-entry")["id"].split("--", 1)[1]
        body.select("section.print-part")[2].append(soup.new_tag("div", attrs={"class": "footnote"}))
        li = soup.new_tag("li", id=f"faq--fn:{entry}")
        body.select("section.print-part")[2].select(".footnote")[-1].append(li)
    return soup


@pytest.mark.parametrize("fault, message", [
    ("missing page", "no part titled"), ("broken link", "'#nowhere'"), ("duplicate id", "used more than once"),
    ("wrong number", "not a numbered entry"), ("footnotes left", "footnote list of citations left over")])
def test_print_page_check_catches_planted_fault(print_soup, pages, fault, message):
    titles = [_h1(pages[src]) for src in nav_sources()]
    problems = sitecheck.print_page_problems(_plant(print_soup, fault), titles)
    assert any(message in p for p in problems), problems


# -------------------------------------------------------------------------------------------- hook units
class _Page:
    def __init__(self, url):
        self.url = url


@pytest.mark.parametrize("href, page_url, expected", [
    ("#human-studies", "indications/acute-ischemic-stroke/", "#indications-acute-ischemic-stroke--human-studies"),
    ("../../use/safety/", "indications/acute-ischemic-stroke/", "#use-safety"),
    ("../bdnf-trkb/#claim-m03", "mechanisms/melanocortin-hpa/", "#mechanisms-bdnf-trkb--claim-m03"),
    ("../", "faq/", "#home"),
    ("./", "", "#home"),
    ("../data/claims.csv", "evidence/", "../data/claims.csv"),
    ("../../data/claims.json", "evidence/claims-audit/", "../data/claims.json"),
    ("../references/a/#key", "faq/", "../references/a/#key"),
    ("https://pubmed.ncbi.nlm.nih.gov/1/", "faq/", None),
    ("mailto:editors@example.org", "faq/", None),
])
def test_combined_page_link_targets(href, page_url, expected):
    pages = [_Page(u) for u in ("", "faq/", "evidence/", "evidence/claims-audit/", "use/safety/",
                                "indications/acute-ischemic-stroke/", "mechanisms/bdnf-trkb/",
                                "mechanisms/melanocortin-hpa/")]
    assert printing.Combiner(pages, "print/").target(href, page_url) == expected


def test_label_cells_names_every_cell_and_escapes_names():
    table = ("<table><thead><tr><th>A &amp; B</th><th>C <em>\"d\"</em></th></tr></thead>"
             "<tbody><tr><td>1</td><td>2 <sup id=\"fnref:x\"><a href=\"#fn:x\">1</a></sup></td></tr>"
             "<tr><td>3</td></tr></tbody></table>")
    out = BeautifulSoup(printing.label_cells(table), "lxml")
    assert [td["data-label"] for td in out.select("td")] == ["A & B", 'C "d"', "A & B"]
    assert out.select_one("sup#fnref\\:x a")["href"] == "#fn:x"
    assert out.table.get("data-print-layout") is None
    wide = "<table><thead><tr>" + "<th>h</th>" * printing.STACK_MIN_COLUMNS + "</tr></thead><tbody></tbody></table>"
    assert 'data-print-layout="stacked"' in printing.label_cells(wide)


def test_a_title_with_an_ampersand_reads_as_typed_in_the_combined_page(tmp_path):
    """MkDocs gives page titles as HTML (`&amp;` for &): the contents must not escape them a second time."""
    project = make_project(tmp_path, {"other.md": PAGES["other.md"].replace("# Other", "# Rats & mice")})
    code, output = build(project)
    assert code == 0, output
    soup = sitecheck.soup_of(project / "site" / PRINT_PAGE)
    contents = [a.get_text() for a in soup.select("nav.print-toc a")]
    assert "Rats & mice" in contents, contents
