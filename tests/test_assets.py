"""How pages load our own assets (issue 25, CONTRIBUTING "Speed"): content-hashed names a host may cache for a
year, print.css only for print, the claims table's script only where a claims table is, no script of ours
blocking the page's first paint."""

import hashlib
import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
OUR_ASSETS = sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "assets").rglob("*")
                    if p.is_file())
HASHED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{8})(?P<ext>\.[a-z]+)$")


@pytest.fixture(scope="module")
def built_pages(built_site):
    """Every HTML page of the built site (redirect stubs included): {site path: soup}."""
    return {p.relative_to(built_site).as_posix(): BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in built_site.rglob("*.html")}


def _ours(url):
    """assets/... path of one of our assets (or None), from a page's href/src."""
    path = url.split("?")[0].split("#")[0]
    m = re.search(r"(?:^|/)(assets/(?:stylesheets|javascripts)/[^/]+)$", path)
    if not m or "bundle." in m.group(1) or ".min." in m.group(1):
        return None  # Material's own (hashed by the theme)
    return m.group(1)


def _assets_of(soup):
    links = [(el, el.get("href")) for el in soup.find_all("link", rel="stylesheet")]
    scripts = [(el, el.get("src")) for el in soup.find_all("script", src=True)]
    return [(el, _ours(url)) for el, url in links + scripts if _ours(url)]


def test_our_assets_are_published_under_content_hashed_names_only(built_site):
    for src in OUR_ASSETS:
        content = (ROOT / "docs" / src).read_bytes()
        stem, ext = posixpath.splitext(src)
        hashed = f"{stem}.{hashlib.sha256(content).hexdigest()[:8]}{ext}"
        assert (built_site / hashed).read_bytes() == content, f"{src}: no {hashed} in the built site"
        assert not (built_site / src).exists(), f"{src} is also published under its unhashed name"


def test_every_page_links_our_assets_by_their_hashed_names(built_site, built_pages):
    seen = set()
    for path, soup in built_pages.items():
        for _el, asset in _assets_of(soup):
            m = HASHED.match(asset)
            assert m, f"{path}: {asset} has no content hash in its name"
            assert (built_site / asset).is_file(), f"{path}: {asset} is not in the built site"
            seen.add(m.group("stem") + m.group("ext"))
    assert {"assets/stylesheets/site.css", "assets/stylesheets/print.css"} <= seen, seen


def test_print_css_is_for_print_only_and_site_css_the_one_blocking_stylesheet(built_pages):
    for path, soup in built_pages.items():
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a redirect stub
        sheets = {HASHED.match(asset).group("stem"): el.get("media") for el, asset in _assets_of(soup)
                  if el.name == "link"}
        assert sheets == {"assets/stylesheets/site": None, "assets/stylesheets/print": "print"}, (path, sheets)


def test_our_scripts_never_block_the_first_paint(built_pages):
    """In the head only with defer; in the body they run after the content is parsed."""
    for path, soup in built_pages.items():
        for el, asset in _assets_of(soup):
            if el.name == "script" and el.find_parent("head"):
                assert el.has_attr("defer"), f"{path}: {asset} blocks rendering (in <head> without defer)"


def test_claims_table_script_only_on_pages_with_a_claims_table(built_pages):
    with_table = set()
    for path, soup in built_pages.items():
        has_script = any("claims-table." in asset for _, asset in _assets_of(soup))
        has_table = soup.select_one("article .claims-table table") is not None
        assert has_script == has_table, f"{path}: claims table {has_table}, its script {has_script}"
        if has_table:
            # Instant navigation runs only the scripts inside the container it swaps in.
            script = next(el for el, asset in _assets_of(soup) if "claims-table." in asset)
            assert script.find_parent(attrs={"data-md-component": "container"}), path
            with_table.add(path)
    assert "evidence/claims-audit/index.html" in with_table
