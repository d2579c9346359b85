"""Citing by URL: reference-manager metadata, JSON-LD, the cite block, dates and permanent addresses."""

import json
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT
from pybtex.database import parse_string

import sitecheck

PUBLISHED_URLS = ROOT / "tests" / "published-urls.txt"


def meta(soup, name):
    tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
    return tag["content"] if tag else None


def test_every_page_has_highwire_and_dublin_core_tags(pages):
    for src, soup in pages.items():
        canonical = soup.find("link", rel="canonical")["href"]
        assert meta(soup, "citation_title"), src
        # The trailing comma keeps the organisation whole in Zotero (tests/test_citation_styles.py)
        assert meta(soup, "citation_author") == "Semax Evidence editors,", src
        assert meta(soup, "citation_publisher") == "Semax Evidence", src
        assert len(meta(soup, "citation_publication_date")) == 10, src
        assert meta(soup, "citation_online_date") == meta(soup, "citation_publication_date"), src
        assert meta(soup, "citation_public_url") == canonical, src
        assert meta(soup, "og:type") == "website", src  # a web page to Zotero, not a journal article
        assert meta(soup, "dc.type") is None, src


def test_json_ld_describes_a_medical_web_page_with_its_citations(pages, project):
    _, _, index = project
    for src, soup in pages.items():
        data = json.loads(soup.find("script", type="application/ld+json").string)
        assert data["@type"] == "MedicalWebPage", src
        assert data["about"] == {"@type": "Drug", "name": "Semax"}, src
        assert data["lastReviewed"] == data["dateModified"] == data["datePublished"], src
        assert data["datePublished"] == meta(soup, "citation_publication_date"), src
        assert data["url"] == soup.find("link", rel="canonical")["href"], src
        assert len(data["citation"]) == len(index.pages[src].keys), src
        tags = soup.find_all("meta", attrs={"name": "citation_reference"})
        assert len(tags) == len(index.pages[src].keys), src
        for tag in tags:
            assert tag["content"].startswith("citation_title="), src


def test_cite_block_gives_canonical_url_and_valid_bibtex(pages):
    for src, soup in pages.items():
        block = soup.select_one("section.cite-page")
        canonical = soup.find("link", rel="canonical")["href"]
        assert block.select_one("a.cite-url")["href"] == canonical, src
        # The text cites the newest edition when the page still reads as it did there (hooks/editions.py).
        edition = block.select_one("a.cite-edition")
        cited = edition["href"] if edition else canonical
        assert cited in block.select_one("pre.cite-apa").get_text(), src
        bib = parse_string(block.select_one("pre.cite-bibtex").get_text(), "bibtex")
        (entry,) = bib.entries.values()
        assert entry.fields["url"] == cited, src
        assert block.find("time")["datetime"] == meta(soup, "citation_online_date"), src


def test_last_updated_date_comes_from_git_history(pages):
    src = "evidence/method.md"
    committed = subprocess.run(["git", "log", "-1", "--format=%cs", "--", f"docs/{src}"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
    if not committed:
        pytest.skip("page not committed yet")
    assert meta(pages[src], "citation_online_date") == committed


def test_claim_anchor_is_independent_of_claim_text(project, pages):
    # The anchor is made from the id alone, so editing the claim or its summary never moves it.
    _, ledger, _ = project
    for claim in ledger.claims.values():
        box = pages[claim.page].find(id=f"claim-{claim.id}")
        assert box is not None and box["id"] == f"claim-{claim.id}"


def test_every_published_url_still_resolves(built_site):
    """Addresses once published must keep working: a moved page needs a redirect in mkdocs.yml."""
    urls = [u.strip() for u in PUBLISHED_URLS.read_text(encoding="utf-8").splitlines()
            if u.strip() and not u.startswith("#")]
    assert len(urls) > 40
    missing, ids = [], {}  # ids per page: parse each page once, not once per anchor
    for url in urls:
        path, _, anchor = url.partition("#")
        target = Path(built_site) / path.lstrip("/")
        if path.endswith("/") or not path:
            target = target / "index.html"
        if not target.is_file():
            missing.append(url)
            continue
        if anchor:
            if target not in ids:
                ids[target] = {t["id"] for t in sitecheck.soup_of(target).find_all(id=True)}
            if anchor not in ids[target]:
                missing.append(url)
    assert missing == []
