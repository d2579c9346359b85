"""Data is text, never markup: the tiny fixture project built with a hostile entry and claim in every field.

Every payload tries to run script (each sets window.__pwned, which tests/browser/test_hostile_browser.py
watches in Chromium), to make a link, a tag, an attribute list or an event handler, to close the JSON-LD
<script> or open an HTML comment that would swallow the rest of the page. The build must pass and show each
field as the text that was typed.
"""

import csv
import io
import json
import re

import pytest
import yaml
from conftest import ROOT
from pybtex.database import parse_string
from test_planted_errors import CLAIM, GOOD_BIB, PAGES, build, dump_yaml, make_project

import sitecheck
import sitedata
from sitedata import DataError, latex_to_text
from sitedata.base import GUARDED_DIRS, refuse_symlinks

# One payload per kind of attack. Bib fields carry it as BibTeX: braces written \{ \} and -- as -{}- (plain --
# is LaTeX's en dash), which the loader decodes back to the same text.
PAYLOAD = ('</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> '
           "[x](javascript:window.__pwned=3) <!--<script> *em* _u_ `c` & \"q\" 'a' | :claim: c01 "
           '[@good2020] [^1] <svg onload=window.__pwned=4> --8<-- "abbreviations.md"')
BIB_PAYLOAD = PAYLOAD.replace("--", "-{}-") + r' \{: onclick="window.__pwned=5"\}'
TEXT_PAYLOAD = PAYLOAD + ' {: onclick="window.__pwned=5"}'  # what a reader must see for BIB_PAYLOAD
HOSTILE_DOI = '10.1000/x"><svg/onload=window.__pwned=6>'
HOSTILE_URL = "https://example.org/a_(b)*c*'d'?q=1&r=[2]"
PAGE_TITLE = 'Tom & Jerry: 1 < 2 > 0, "quoted" {braces} 50% off #1 $2 _u ~ ^ \\ end'  # a trusted page's title'

HOSTILE_BIB = f"""@article{{evil2021,
  author = {{Payload, A. and {{{BIB_PAYLOAD}}}}},
  title = {{{BIB_PAYLOAD}}},
  titletranslated = {{{BIB_PAYLOAD}}},
  journal = {{{BIB_PAYLOAD}}},
  volume = {{{BIB_PAYLOAD}}},
  number = {{{BIB_PAYLOAD}}},
  pages = {{{BIB_PAYLOAD}}},
  year = {{2021}},
  doi = {{{HOSTILE_DOI}}},
  url = {{https://example.org/evil}},
  language = {{ru}},
  studytype = {{animal}},
  seenat = {{https://example.org/evil}},
  unverified = {{{BIB_PAYLOAD}}},
  annote = {{{BIB_PAYLOAD}}},
}}

@misc{{evil2022,
  description = {{{BIB_PAYLOAD}}},
  howpublished = {{{BIB_PAYLOAD}}},
  organization = {{{BIB_PAYLOAD}}},
  sourcekind = {{vendor}},
  url = {{{HOSTILE_URL}}},
  language = {{en}},
  studytype = {{other}},
  seenat = {{{HOSTILE_URL}}},
}}

@book{{evil2023,
  title = {{Book}},
  publisher = {{{BIB_PAYLOAD}}},
  url = {{https://example.org/book}},
  language = {{en}},
  studytype = {{review}},
  seenat = {{https://example.org/book}},
}}

@inproceedings{{evil2024,
  title = {{Proceedings}},
  booktitle = {{{BIB_PAYLOAD}}},
  url = {{https://example.org/proc}},
  language = {{en}},
  studytype = {{review}},
  seenat = {{https://example.org/proc}},
}}

@patent{{evil2025,
  title = {{Patent}},
  number = {{{BIB_PAYLOAD}}},
  organization = {{{BIB_PAYLOAD}}},
  sourcekind = {{patent}},
  url = {{https://example.org/patent}},
  language = {{en}},
  studytype = {{other}},
  seenat = {{https://example.org/patent}},
}}
"""
HOSTILE_KEYS = ["evil2021", "evil2022", "evil2023", "evil2024", "evil2025"]
FORMULAS = ["=HYPERLINK(\"https://example.org\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def hostile_ledger():
    real = yaml.safe_load((ROOT / "references" / "claims.yaml").read_text(encoding="utf-8"))
    verdicts = {k: {"label": f"{v['label']} {PAYLOAD}", "meaning": PAYLOAD} for k, v in real["verdicts"].items()}
    grades = {k: {**v, "label": f"{v['label']} {PAYLOAD}", "symbol": PAYLOAD, "meaning": PAYLOAD}
              for k, v in real["grades"].items()}
    claims = [{**CLAIM, "claim": TEXT_PAYLOAD, "summary": TEXT_PAYLOAD, "sources": ["good2020", *HOSTILE_KEYS],
               "history": [{"date": "2026-01-01", "verdict": "unsupported", "grade": "N", "note": TEXT_PAYLOAD}]},
              {**CLAIM, "id": "c02", "claim": FORMULAS[0], "summary": FORMULAS[1], "page": "other.md"}]
    return {"verdicts": verdicts, "grades": grades, "claims": claims}


# Front matter is data too: MkDocs put a `title:` raw into every page's navigation and Material rendered `tags:`
# as HTML in search results.
TAG_PAYLOAD = '<img src=x onerror="window.__pwned=7">'
FRONT_MATTER = {"title": PAYLOAD, "description": PAYLOAD, "tags": [TAG_PAYLOAD, "pwned <b>tag</b>"]}


def make_hostile_project(tmp_path):
    """The fixture project with the hostile entries cited on the home page, the hostile ledger and a page whose
    front matter carries the payload."""
    pages = {"index.md": f"# {PAGE_TITLE}\n\n" + PAGES["index.md"].split("\n", 2)[2]
             + "\nEvery hostile entry is cited here [@evil2021; @evil2022; @evil2023; @evil2024; @evil2025].\n",
             "other.md": f"---\n{dump_yaml(FRONT_MATTER)}---\n" + PAGES["other.md"] + "\n:claim: c02\n",
             "evidence/claims-audit.md": PAGES["evidence/claims-audit.md"] + "\n:grade-history:\n"}
    project = make_project(tmp_path, pages, bib=GOOD_BIB + "\n" + HOSTILE_BIB)
    (project / "references" / "claims.yaml").write_text(dump_yaml(hostile_ledger()), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = make_hostile_project(tmp_path_factory.mktemp("hostile"))
    code, output = build(project)
    assert code == 0, output
    return project / "site"


def html_pages(site):
    """Every content page (not the 404 page, nor the redirect stubs)."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))
            if p.name != "404.html" and "old-other" not in p.parts}


def test_hostile_bib_fields_decode_to_the_typed_text():
    assert latex_to_text(BIB_PAYLOAD) == TEXT_PAYLOAD


def test_no_payload_becomes_markup(hostile_site):
    pages = html_pages(hostile_site)
    assert {"index.html", "references/index.html", "evidence/claims-audit/index.html",
            "evidence/method/index.html", "other/index.html"} <= set(pages)
    for name, path in pages.items():
        soup = sitecheck.soup_of(path)
        for tag in soup.find_all(True):
            handlers = [a for a in tag.attrs if a.lower().startswith("on")]
            assert not handlers, f"{name}: event handler on <{tag.name}>: {handlers}"
            for attr in ("href", "src", "action", "formaction", "data"):
                value = re.sub(r"\s", "", str(tag.get(attr, ""))).lower()
                if value != "javascript:void(0)":  # Material's own search share button
                    assert not value.startswith(("javascript:", "data:", "vbscript:")), f"{name}: {tag}"
        body = sitecheck.article(soup)  # where data is shown (the theme's chrome has its own icons)
        assert not body.find_all(["svg", "iframe", "object", "embed", "form", "img", "style"]), name
        for script in soup.find_all("script"):
            if script.get("type") != "application/ld+json":
                assert "__pwned" not in (script.string or ""), f"{name}: live script {script}"
        comments = [c for c in soup.find_all(string=lambda s: s.__class__.__name__ == "Comment")]
        assert not [c for c in comments if "__pwned" in c or "script" in c], f"{name}: comment swallows {comments}"
        assert soup.select_one("article h1"), f"{name}: the page lost its h1"
        assert soup.select_one("section.cite-page pre.cite-bibtex"), f"{name}: the page lost its cite block"


def text_of(tag):
    return " ".join(tag.get_text().split())


def test_every_field_reads_as_typed(hostile_site):
    refs_page = sitecheck.soup_of(hostile_site / "references" / "index.html")
    expected = " ".join(TEXT_PAYLOAD.split())
    entry = refs_page.select_one("#evil2021")
    assert text_of(entry).count(expected) >= 6, text_of(entry)  # title, translation, venue, volume... annote
    assert expected in text_of(entry.select_one(".unverified"))
    assert f"doi:{HOSTILE_DOI}" in text_of(entry)
    links = {a.get_text(): a["href"] for a in entry.find_all("a")}
    assert links[f"doi:{HOSTILE_DOI}"] == "https://doi.org/10.1000/x%22%3E%3Csvg/onload%3Dwindow.__pwned%3D6%3E"
    misc = refs_page.select_one("#evil2022")
    assert f"Title not confirmed; record: {expected}" in text_of(misc)
    assert misc.find("a", href=re.compile("^https://example.org/a_"))["href"] == \
        "https://example.org/a_%28b%29%2Ac%2A%27d%27?q=1&r=%5B2%5D"
    assert expected in text_of(misc.find("a").find_previous("p") or misc)  # the organisation, as typed
    assert expected in text_of(refs_page.select_one("#evil2023"))
    # AMA writes a proceedings title in title case (its CSL style, text-case="title"): the same text, recased
    assert expected.casefold() in text_of(refs_page.select_one("#evil2024")).casefold()
    assert f"Patent {expected}" in text_of(refs_page.select_one("#evil2025"))

    home = sitecheck.soup_of(hostile_site / "index.html")
    notes = home.select(".footnote li")
    assert len(notes) == 6 and sum(expected.casefold() in text_of(n).casefold() for n in notes) == 5
    box = home.select_one("#claim-c01")
    assert f"The article says: {expected}" in text_of(box)
    assert f"What the evidence shows: {expected}" in text_of(box)
    grade = box.select_one(".grade")
    assert grade["title"] == PAYLOAD and text_of(grade).endswith(" ".join(PAYLOAD.split()))
    assert text_of(box.select_one(".verdict")) == "Supported " + " ".join(PAYLOAD.split())

    audit = sitecheck.soup_of(hostile_site / "evidence" / "claims-audit" / "index.html")
    rows = audit.select(".claims-table tbody tr")
    assert len(rows) == 2 and text_of(rows[0].select("td")[2]) == expected
    history = [t for t in audit.select("table") if "Note" in text_of(t.select_one("thead"))][0]
    assert expected in [text_of(tr.select("td")[4]) for tr in history.select("tbody tr")]
    method = sitecheck.soup_of(hostile_site / "evidence" / "method" / "index.html")
    cells = [text_of(td) for td in method.select("td")]
    assert cells.count(" ".join(PAYLOAD.split())) >= 2 * 7 + 4  # symbol and meaning of 7 grades, 4 meanings


def test_json_ld_parses_and_metadata_reads_as_typed(hostile_site):
    for name, path in html_pages(hostile_site).items():
        soup = sitecheck.soup_of(path)
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["@type"] == "MedicalWebPage", name
    html = (hostile_site / "index.html").read_text(encoding="utf-8")
    jsonld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in jsonld and ">" not in jsonld and "&" not in jsonld
    soup = sitecheck.soup_of(hostile_site / "index.html")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert text_of(soup.select_one("article h1")).removesuffix("¶").strip() == PAGE_TITLE
    assert data["name"] == PAGE_TITLE
    assert [c["name"] for c in data["citation"] if c["name"] != "A well-formed test entry"][0] == TEXT_PAYLOAD
    for name in ("citation_title", "dc.title", "og:title"):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        assert tag["content"] == PAGE_TITLE, name
    refs = [t["content"] for t in soup.find_all("meta", attrs={"name": "citation_reference"})]
    assert any(r.startswith(f"citation_title={TEXT_PAYLOAD.replace(';', ',')}") for r in refs)
    block = soup.select_one("section.cite-page")
    assert PAGE_TITLE in block.select_one("pre.cite-apa").get_text()
    (entry,) = parse_string(block.select_one("pre.cite-bibtex").get_text(), "bibtex").entries.values()
    assert latex_to_text(entry.fields["title"]) == PAGE_TITLE


def test_csv_cells_cannot_run_as_formulas(hostile_site):
    rows = list(csv.DictReader(io.StringIO((hostile_site / "data" / "claims.csv").read_text(encoding="utf-8"))))
    c02 = [r for r in rows if r["id"] == "c02"][0]
    assert c02["claim"] == "'" + FORMULAS[0] and c02["summary"] == "'" + FORMULAS[1]
    data = json.loads((hostile_site / "data" / "claims.json").read_text(encoding="utf-8"))
    assert data["claims"][1]["claim"] == FORMULAS[0]  # JSON keeps the text as typed


def test_front_matter_reads_as_typed(hostile_site):
    """A front-matter title in every page's navigation and <title>, tags in the search index, the description in
    the meta tags: each the text typed, none markup."""
    for name, path in html_pages(hostile_site).items():
        soup = sitecheck.soup_of(path)
        links = [text_of(a) for a in soup.select("nav.md-nav a") if "Other" not in text_of(a)]
        assert " ".join(PAYLOAD.split()) in links, f"{name}: front-matter title not in the navigation as text"
    other = sitecheck.soup_of(hostile_site / "other" / "index.html")
    assert other.title.get_text().startswith(PAYLOAD)
    assert other.find("meta", attrs={"name": "description"})["content"] == PAYLOAD
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    tags = {t for doc in index["docs"] for t in doc.get("tags", [])}
    # Material inserts a tag into the results as HTML: the index must hold it as HTML text.
    assert tags == {"&lt;img src=x onerror=&quot;window.__pwned=7&quot;&gt;", "pwned &lt;b&gt;tag&lt;/b&gt;"}



# ------------------------------------------------------------------------------------ files outside the repository
SECRET = "API_TOKEN=s3cr3t-do-not-publish"


@pytest.mark.parametrize("folder, name", [("docs", "env.md"), ("references", "refs2.bib"),
                                          ("references", "checks"), ("includes", "abbreviations2.md"),
                                          ("overrides", "partials")])
def test_a_symlink_under_any_read_folder_is_refused(tmp_path, folder, name):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "environ").write_text(SECRET, encoding="utf-8")
    project = tmp_path / "project"
    for top in GUARDED_DIRS:
        (project / top / "sub").mkdir(parents=True)
    target = outside if name in ("checks", "partials") else outside / "environ"  # a linked folder too
    (project / folder / "sub" / name).symlink_to(target)
    with pytest.raises(DataError) as err:
        refuse_symlinks(project)
    assert str(err.value) == f"{project}/{folder}/sub/{name}: symlinks are not allowed"


def test_a_linked_data_file_is_never_read(tmp_path):
    (tmp_path / "environ").write_text(SECRET + "\n@article{x,\n", encoding="utf-8")
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "refs.bib").symlink_to(tmp_path / "environ")
    with pytest.raises(DataError) as err:
        sitedata.load_bibliography(folder)
    assert str(err.value) == f"{folder}/refs.bib: symlinks are not allowed"


def test_a_page_linked_to_an_environment_file_fails_the_build_without_publishing_it(tmp_path):
    (tmp_path / "environ").write_text(f"---\ntitle: env\n---\n# Env\n\n{SECRET}\n", encoding="utf-8")
    project = make_project(tmp_path)
    (project / "docs" / "env.md").symlink_to(tmp_path / "environ")
    code, output = build(project)
    assert code != 0 and "docs/env.md: symlinks are not allowed" in output, output
    assert "Traceback" not in output and SECRET not in output
    site = project / "site"
    assert not any(SECRET in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())


def test_a_redirect_over_a_page_that_exists_fails_the_build(tmp_path):
    project = make_project(tmp_path, redirects={"other.md": "index.md"})
    code, output = build(project)
    assert code != 0 and "Traceback" not in output, output
    assert "plugins.redirects.redirect_maps.other.md: docs/other.md still exists: the redirect would replace that " \
           "page" in output, output


# --------------------------------------------------------------------- data fields inert to every later stage
INERT = "Founded [@good2020] :claims-table: :checks-coverage: *x* {: .y} [^1]"


def test_data_in_figures_is_inert_to_later_stages(tmp_path):
    """A timeline event and a claim, drawn in SVG figures, carry a citation, our markers and Markdown: none may
    be expanded by mkdocs-bibtex or a later hook (a footnote added, a table spliced into an attribute)."""
    timeline = dump_yaml({"events": [{"date": "2001", "event": INERT, "kind": "development",
                                      "sources": ["good2020"]}]})
    page = PAGES["other.md"] + "\n:figure: timeline\n\n:figure: evidence-map\n"
    project = make_project(tmp_path, {"other.md": page}, claims=[{**CLAIM, "claim": INERT}])
    (project / "references" / "timeline.yaml").write_text(timeline, encoding="utf-8")
    code, output = build(project)
    assert code == 0, output
    soup = sitecheck.soup_of(project / "site" / "other" / "index.html")
    figures = soup.select("figure.sx-figure")
    assert len(figures) == 2
    for figure in figures:
        assert not figure.select("table, .footnote-ref, sup"), figure.prettify()[:500]
        assert INERT in " ".join(figure.get_text(" ").split()), figure.get_text(" ")[:500]
    assert len(soup.select("article .footnote li")) == 1  # the page's own citation only
    assert "[@good2020]" in soup.select_one("#fig-timeline").get_text()


# ------------------------------------------------------------------------------ the 120 s and 3 GB budget
BUDGET_SECONDS, BUDGET_BYTES = 120, 3 * 1024 ** 3
BIG_INPUTS = {  # each once took minutes, gigabytes or a traceback; each must now fail fast with its line
    "5 MB title": ("bib", GOOD_BIB.replace("A well-formed test entry", "x" * 5_000_000),
                   "references/refs.bib:1: good2020: field 'title': 5,000,000 characters: at most 1,000"),
    "@string bomb": ("bib", "@string{m0 = {xxxxxxxxxx}}\n" + "".join(
        f"@string{{m{i} = m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1}}}\n"
        for i in range(1, 14)) + GOOD_BIB, "references/refs.bib:1: @string: @string is not allowed"),
    "300 KB entry header": ("bib", "@article{" + " " * 300_000 + "{\n" + GOOD_BIB, "references/refs.bib:1: "),
    "300 KB url": ("bib", GOOD_BIB.replace("url = {https://pubmed.ncbi.nlm.nih.gov/12345678/}",
                                           "url = {https://a" + "." * 300_000 + " x}"),
                   "references/refs.bib:1: good2020: field 'url': 300,011 characters: at most 2,000"),
    "line of 100,000 brackets": ("page", "[" * 100_000, "docs/other.md:7: line of 100,000 characters"),
    "4,300-digit n": ("studies", None, "references/studies.yaml:12: good-study: 'arms.0.n' a number is above the "
                                       "limit 10,000,000"),
}


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (BUDGET_BYTES, BUDGET_BYTES))


@pytest.mark.parametrize("case", list(BIG_INPUTS))
def test_big_input_fails_within_the_time_and_memory_budget(tmp_path, case):
    import os
    import subprocess
    import sys
    import time

    from conftest import BUILD_ENV
    from test_planted_errors import studies_yaml

    kind, text, message = BIG_INPUTS[case]
    if kind == "bib":
        project = make_project(tmp_path, bib=text)
    elif kind == "page":
        project = make_project(tmp_path, {"other.md": PAGES["other.md"] + "\n" + text + "\n"})
    else:
        project = make_project(tmp_path)
        (project / "references" / "studies.yaml").write_text(
            studies_yaml(**{"n: 30}": "n: " + "9" * 4300 + "}"}), encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(project / "site")],
                            cwd=project, capture_output=True, text=True, env={**BUILD_ENV, **os.environ},
                            timeout=BUDGET_SECONDS, preexec_fn=_limit_memory)
    output = result.stdout + result.stderr
    assert result.returncode != 0 and message in output, output[-2000:]
    assert "Traceback" not in output and "MemoryError" not in output, output[-2000:]
    assert time.perf_counter() - start < BUDGET_SECONDS
