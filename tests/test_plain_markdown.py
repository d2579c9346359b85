"""The site's rendering outlives MkDocs: representative pages rendered by plain Python-Markdown with the render
extension (hooks/render/), in a process that never imports MkDocs, give the claim boxes, citations as footnotes,
tables and figures of the MkDocs build's article HTML (CONTRIBUTING.md, "Rendering without MkDocs")."""

import json
import posixpath
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from render.links import page_url, relative_url

import sitecheck

PAGES = [
    "indications/adhd.md",  # claim boxes with citations and check buttons
    "indications/acute-ischemic-stroke.md",  # a study table
    "evidence/human-studies.md",  # figures (SVG), the studies list, risk-of-bias tables, search log
    "evidence/claims-audit.md",  # the claims table and the grade history
    "faq.md",  # many citations (63 footnotes)
    "references.md",  # the bibliography
    "evidence/method.md",  # the verification coverage and second reading
]

# Runs in its own process: render.load_site, then markdown.Markdown with the extensions of mkdocs.yml and ours.
# PLANT (optional) breaks one renderer first, to show that the comparison notices.
RENDER = r"""
import json, re, sys
sys.path.insert(0, "hooks")
import markdown, yaml
import render
from render.extension import SiteMarkdown

plant = sys.argv[1]
if plant == "claims":
    from render import claims
    claims.verdict_badge = lambda verdict: '<span class="verdict">planted</span>'
elif plant == "studies":
    from render import studies
    studies.md = lambda value: "planted"
elif plant == "bibliography":
    from render import bibliography
    bibliography.SEARCH_EXCLUDE = 'data-planted="true"'
elif plant == "citations":
    from render import citations
    citations.formatted = lambda key: "planted"

class Loader(yaml.SafeLoader):
    pass
Loader.add_constructor("!ENV", lambda loader, node: None)
Loader.add_multi_constructor("tag:", lambda loader, suffix, node: None)
config = yaml.load(open("mkdocs.yml", encoding="utf-8"), Loader)
names, configs = ["toc", "tables", "fenced_code"], {}  # MkDocs always adds these three
for item in config["markdown_extensions"]:
    name, conf = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
    if name not in names:
        names.append(name)
    if conf:
        configs[name] = conf

render.load_site()
front = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.S)  # MkDocs' front matter rule
out = {}
for page in sys.argv[2:]:
    text = open("docs/" + page, encoding="utf-8").read()
    m = front.match(text)
    text = text[m.end():] if m else text
    md = markdown.Markdown(extensions=[SiteMarkdown(page=page), *names], extension_configs=configs)
    out[page] = md.convert(text)
loaded = sorted(m for m in sys.modules if m == "mkdocs" or m.startswith(("mkdocs.", "mkdocs_", "material")))
print(json.dumps({"pages": out, "mkdocs_modules": loaded}))
"""


def plain_render(pages, plant=""):
    result = subprocess.run([sys.executable, "-c", RENDER, plant, *pages], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _site_url(page, href, site):
    """The address MkDocs gives a relative link to a source file (a page's `x.md`, a data file): relative to the
    page's own URL. Raw HTML (the figures' SVG links) is left alone, by MkDocs too: it is written as URLs."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("/"):
        return href
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), parts.path))
    if target.endswith(".md"):
        url = page_url(target)
    elif (site / target).is_file():
        url = target
    else:
        return href
    return relative_url(url, page_url(page)) + (f"#{parts.fragment}" if parts.fragment else "")


def normalise(element, page=None, site=None):
    """An element as comparable text: whitespace collapsed; the attributes that the build changes after the
    rendering dropped (hooks/printing.py adds data-label to table cells and rel=external to outside links;
    Material's search plugin removes data-search-exclude once it has indexed the page); the links of the plain
    rendering (page given) written as MkDocs rewrites them."""
    for tag in [element, *element.find_all(True)]:
        for attr in ("data-label", "data-print-layout", "data-search-exclude"):
            tag.attrs.pop(attr, None)
        if tag.get("rel") == ["external"]:
            del tag["rel"]
        if page is not None and tag.name == "a" and tag.get("href"):
            tag["href"] = _site_url(page, tag["href"], site)
    return re.sub(r"\s+", " ", str(element)).replace("> <", "><").strip()


def parts_of(html, page=None, site=None):
    """What the rendering makes of a page: claim boxes, the footnote list, tables, figures, check lines."""
    soup = BeautifulSoup(html, "lxml")
    selectors = ["div.claim-box", "div.footnote", "table", "svg", "p.checks-line", "div.sx-study",
                 "div.second-reading", "div.corrections", "div.ref-entry", "nav.ref-jump"]
    return {sel: [normalise(e, page, site) for e in soup.select(sel)] for sel in selectors}


@pytest.fixture(scope="module")
def plain():
    return plain_render(PAGES)


def test_plain_rendering_imports_no_mkdocs(plain):
    assert plain["mkdocs_modules"] == []


@pytest.mark.parametrize("page", PAGES)
def test_plain_rendering_matches_the_mkdocs_build(plain, built_site, page):
    built = sitecheck.article(sitecheck.soup_of(sitecheck.html_file(built_site, page)))
    want = parts_of(str(built))
    got = parts_of(plain["pages"][page], page, built_site)
    assert sum(len(v) for v in want.values()) > 0
    for selector in want:
        assert got[selector] == want[selector], f"{page}: {selector} differs"


def test_the_representative_pages_hold_what_they_stand_for(plain):
    found = {page: parts_of(html) for page, html in plain["pages"].items()}
    assert found["indications/adhd.md"]["div.claim-box"]
    assert found["indications/acute-ischemic-stroke.md"]["table"]
    assert found["evidence/human-studies.md"]["svg"]
    assert found["evidence/claims-audit.md"]["table"]
    assert len(BeautifulSoup(plain["pages"]["faq.md"], "lxml").select("div.footnote li")) >= 50
    assert found["evidence/method.md"]["div.second-reading"]
    assert len(found["references.md"]["div.ref-entry"]) >= 100


@pytest.mark.parametrize("plant, page, selector", [
    ("claims", "indications/adhd.md", "div.claim-box"),
    ("studies", "indications/acute-ischemic-stroke.md", "table"),
    ("citations", "faq.md", "div.footnote"),
    ("bibliography", "references.md", "div.ref-entry"),
])
def test_a_broken_renderer_is_noticed(built_site, plant, page, selector):
    """The comparison above is not vacuous: one renderer broken on purpose, the page no longer matches."""
    broken = plain_render([page], plant)["pages"][page]
    built = sitecheck.article(sitecheck.soup_of(sitecheck.html_file(built_site, page)))
    assert parts_of(broken, page, built_site)[selector] != parts_of(str(built))[selector]


def test_generate_script_writes_the_files_the_build_publishes(built_site, tmp_path):
    """scripts/generate.py (no MkDocs) writes the very files the build adds: /data/*, data/checks/*.json."""
    result = subprocess.run([sys.executable, "scripts/generate.py", str(tmp_path)], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert "data/claims.json" in written and any(w.startswith("data/checks/") for w in written)
    for path in written:
        if not path.endswith(".md"):  # the bibliography's pages (when split) are sources, rendered by the build
            assert (tmp_path / path).read_bytes() == (built_site / path).read_bytes(), path


FIND_PAGE = r"""
import json, sys
sys.path.insert(0, "hooks")
import markdown
from render.extension import SiteMarkdown
from sitedata.frontmatter import FRONT_MATTER_RE

out = []
for page in sys.argv[1:]:
    text = open("docs/" + page, encoding="utf-8").read()
    m = FRONT_MATTER_RE.match(text)
    text = text[m.end():] if m else text
    # find_page loads the data itself on first use, as a generator that only reads mkdocs.yml would need
    found = markdown.Markdown(extensions=[SiteMarkdown(find_page=True), "footnotes", "md_in_html", "attr_list",
                                          "tables"]).convert(text)
    given = markdown.Markdown(extensions=[SiteMarkdown(page=page), "footnotes", "md_in_html", "attr_list",
                                          "tables"]).convert(text)
    nothing = markdown.Markdown(extensions=[SiteMarkdown(), "footnotes", "md_in_html", "attr_list",
                                            "tables"]).convert(text)
    out.append([found == given, "claim-box" in found, "claim-box" in nothing])
print(json.dumps(out))
"""


def test_the_extension_can_find_the_page_by_its_source():
    """For a generator that passes extension settings from its configuration but not the page being converted."""
    result = subprocess.run([sys.executable, "-c", FIND_PAGE, "indications/adhd.md"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [[True, True, False]]
