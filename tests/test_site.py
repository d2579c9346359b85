"""The strictly built real site: pages, citations, claim anchors, links and offline-ness."""

import json
import re
from urllib.parse import urljoin

import yaml
from conftest import ROOT, all_sources
from test_planted_errors import EnvTagLoader

import sitecheck
import sitedata
from sitedata.studies import markers, select


def nav_sources():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=EnvTagLoader)
    found = []

    def walk(node):
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)

    walk(config["nav"])
    return found


def test_every_nav_page_is_built(built_site):
    missing = [src for src in nav_sources() if not sitecheck.html_file(built_site, src).is_file()]
    assert missing == []
    assert set(nav_sources()) == set(all_sources()), "every page must be in the navigation"


def test_no_unprocessed_citations(pages):
    problems = [f"{src}: {p}" for src, soup in pages.items() for p in sitecheck.raw_citations(soup)]
    assert problems == []


def test_no_markdown_syntax_leaks_into_pages(pages):
    problems = [f"{src}: {p}" for src, soup in pages.items() for p in sitecheck.markdown_leftovers(soup)]
    assert problems == []


def test_every_content_page_cites_a_source_for_every_statement(pages):
    problems = [f"{src}: {p}" for src, soup in pages.items() if src not in sitecheck.CITATION_EXEMPT
                for p in sitecheck.uncited_blocks(soup)]
    assert problems == [], "\n".join(problems)


def test_every_page_has_disclaimer_and_cite_block(pages):
    for src, soup in pages.items():
        assert soup.select_one("p.disclaimer"), f"{src}: no medical disclaimer"
        assert soup.select_one("section.cite-page pre.cite-bibtex code"), f"{src}: no cite-this-page block"


def test_headings_unique_and_images_have_alt(pages):
    problems = [f"{src}: {p}" for src, soup in pages.items()
                for p in sitecheck.duplicate_headings(soup) + sitecheck.images_without_alt(soup)]
    assert problems == []


def test_all_internal_links_and_anchors_resolve(built_site):
    ok, report = sitecheck.run_lychee(built_site)
    assert ok, report


def test_every_footnote_reference_has_its_footnote(pages):
    problems = []
    for src, soup in pages.items():
        ids = {t["id"] for t in soup.find_all(id=True)}
        for ref in soup.select("a.footnote-ref"):
            if ref["href"].lstrip("#") not in ids:
                problems.append(f"{src}: footnote {ref['href']} missing")
    assert problems == []


def test_claim_boxes_have_anchors_reachable_from_the_audit_page(project, pages):
    _, ledger, _ = project
    audit = pages["evidence/claims-audit.md"]
    base = "https://site.example/evidence/claims-audit/"
    audit_links = {urljoin(base, a["href"]) for a in audit.select(".claims-table a[href*='#claim-']")}
    for claim in ledger.claims.values():
        box = pages[claim.page].find(id=f"claim-{claim.id}")
        assert box is not None and "claim-box" in box["class"], f"{claim.id}: no box on {claim.page}"
        assert box.select_one(".verdict") and box.select_one(".grade"), f"{claim.id}: box lacks verdict/grade"
        if claim.sources:
            assert box.select("a.footnote-ref"), f"{claim.id}: box shows no sources"
        else:
            assert "No published source found." in box.get_text(), f"{claim.id}: box hides that nothing was found"
        expected = f"https://site.example/{sitecheck.page_url(claim.page)}#claim-{claim.id}"
        assert expected in audit_links, f"{claim.id}: audit page does not link {expected}"


def test_site_is_offline(pages):
    problems = []
    for src, soup in pages.items():
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for el in soup.find_all(tag):
                url = el.get(attr) or ""
                if tag == "link" and "canonical" in (el.get("rel") or []):
                    continue
                if re.match(r"^(https?:)?//", url):
                    problems.append(f"{src}: <{tag} {attr}={url}> loads from the network")
    assert problems == []


def test_bibliography_page_has_an_anchor_and_backlinks_per_source(project, pages):
    refs, _, index = project
    bib = pages["references.md"]
    for key in refs:
        entry = bib.find(id=key)
        assert entry is not None, f"/references/#{key} missing"
        assert entry.select_one(".badge.study"), f"{key}: no study-type badge"
        backlinks = entry.select("p.cited-on a")
        assert len(backlinks) >= len({p for p, _ in index.cited_by.get(key, [])}), f"{key}: backlinks missing"
    assert bib.select_one(".badge.lang-ru"), "Russian-language sources must be marked"


def test_data_exports_are_published(built_site, project):
    refs, ledger, _ = project
    claims = json.loads((built_site / "data" / "claims.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in claims["claims"]] == list(ledger.claims)
    assert all(c["verdict"] and c["grade"] and c["anchor"] == f"claim-{c['id']}" for c in claims["claims"])
    references = json.loads((built_site / "data" / "references.json").read_text(encoding="utf-8"))
    assert {r["key"] for r in references["references"]} == set(refs)
    csv_lines = (built_site / "data" / "claims.csv").read_text(encoding="utf-8").strip().splitlines()
    assert len(csv_lines) == len(ledger.claims) + 1
    assert (built_site / "data" / "semax.bib").read_text(encoding="utf-8").count("@") >= len(refs)


def test_search_index_covers_russian_names(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["en", "ru"]
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "Myasoedov" in text or "Мясоедов" in text


def test_every_page_has_valid_front_matter_with_a_description(pages):
    # Broken YAML front matter is not an error in MkDocs: it silently turns into a visible heading and the page
    # loses its description and title. Read it the way MkDocs does.
    from mkdocs.utils.meta import get_data

    problems = []
    for src, soup in pages.items():
        _, meta = get_data((ROOT / "docs" / src).read_text(encoding="utf-8"))
        if not meta.get("description"):
            problems.append(f"docs/{src}: front matter missing, malformed or without a description")
        elif soup.find("meta", attrs={"name": "description"})["content"] != meta["description"]:
            problems.append(f"docs/{src}: built page does not carry its description")
    assert problems == []


# The compact summary every study table shows (the rest is in each study's characteristics block).
STUDY_TABLE_COLUMNS = ["Study", "Design", "n", "Main result", "Risk of bias"]


def test_every_indication_page_has_a_study_table_generated_from_the_data(pages, project):
    # The tables are rendered from references/studies.yaml by `:studies-table:` markers, never typed by hand.
    data = sitedata.load_studies(project[0])
    problems = []
    for src, soup in pages.items():
        if not src.startswith("indications/") or src.endswith("index.md"):
            continue
        text = (ROOT / "docs" / src).read_text(encoding="utf-8")
        wanted = [s for name, args, _ in markers(text) if name == "studies-table" for s in select(data, args)]
        tables = soup.select(".sx-summary table")
        if not wanted or not tables:
            problems.append(f"docs/{src}: no study table generated from references/studies.yaml")
            continue
        rows = [r for t in tables for r in t.select("tbody tr")]
        heads = [th.get_text(" ", strip=True) for th in tables[0].select("thead th")]
        if heads != STUDY_TABLE_COLUMNS or len(rows) != len(wanted):
            problems.append(f"docs/{src}: columns {heads}, {len(rows)} rows for {len(wanted)} studies")
        problems += [f"docs/{src}: a study row without its citation" for r in rows if not r.select("a.footnote-ref")]
        blocks = soup.select(".sx-characteristics details")
        if len(blocks) != len(wanted):
            problems.append(f"docs/{src}: {len(blocks)} characteristics blocks for {len(wanted)} studies")
    assert problems == []


def test_every_content_page_opens_with_a_bottom_line(pages):
    missing = [src for src, soup in pages.items() if src not in sitecheck.CITATION_EXEMPT
               and not any(t.get_text(strip=True) == "Bottom line"
                           for t in soup.select("article .admonition.abstract > .admonition-title"))]
    assert missing == []


def test_cyrillic_titles_are_marked_as_russian(pages, project):
    # Screen readers only switch pronunciation for text marked with its language.
    refs = project[0]
    page = pages["references.md"]
    titled = [r for r in refs.values() if re.search(r"[\u0400-\u04FF]", r.get("title"))]
    unmarked = [r.key for r in titled
                if r.get("title") not in [s.get_text() for s in page.select(f"#{r.key} span[lang='{r.language}']")]]
    assert titled and unmarked == []
