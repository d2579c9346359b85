"""The built site's study tables, risk-of-bias tables, figures and /data/studies.* exports, checked against the
data they are generated from."""

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from render import studies as hook

import sitecheck
import sitedata
from sitedata import JUDGEMENT_LABELS, TOOLS

HREF = "href"  # a plain href: crawlers read it (hooks/figures/svg.py link)
SVG_NS = "{http://www.w3.org/2000/svg}"
FIGURES = {"evidence/claims-audit.md": ["fig-evidence-map"], "index.md": ["fig-timeline"],
           "variants/index.md": ["fig-sequence-alignment"],
           "evidence/human-studies.md": ["fig-landscape-acute-ischemic-stroke", "fig-landscape-selank", "fig-prisma"],
           "indications/acute-ischemic-stroke.md": ["fig-landscape-selection"]}
BASE = "https://site.example/"


@pytest.fixture(scope="module")
def data(project):
    refs, _, _ = project
    studies = sitedata.load_studies(refs)
    studies.timeline = sitedata.load_timeline(refs)
    return studies


def svgs(site, src):
    """Every figure SVG of a built page, parsed as XML: {id: root element}."""
    text = sitecheck.html_file(site, src).read_text(encoding="utf-8")
    found = {}
    for m in re.finditer(r'<svg\b[^>]*\bid="(fig-[^"]+)"[^>]*>.*?</svg>', text, re.S):
        found[m.group(1)] = ET.fromstring(m.group(0))
    return found


class Resolver:
    """Does a link from a built page reach an existing page and, if it has one, an existing fragment?"""

    def __init__(self, site):
        self.site, self.cache = Path(site), {}

    def ids(self, path):
        if path not in self.cache:
            file = self.site / path / "index.html" if not path.endswith(".html") else self.site / path
            self.cache[path] = None if not file.is_file() else \
                {t["id"] for t in sitecheck.soup_of(file).find_all(id=True)}
        return self.cache[path]

    def problem(self, src, href):
        url = urlsplit(urljoin(BASE + sitecheck.page_url(src), href))
        if url.netloc != urlsplit(BASE).netloc:
            return f"{src}: {href} leaves the site"
        ids = self.ids(url.path.lstrip("/"))
        if ids is None:
            return f"{src}: {href} points to no page"
        if url.fragment and url.fragment not in ids:
            return f"{src}: {href} points to no #{url.fragment}"
        return None


def figure_links(root):
    return [a for a in root.iter(f"{SVG_NS}a")]


def test_each_figure_is_on_its_page_labelled_and_linked(built_site):
    resolver, problems = Resolver(built_site), []
    for src, ids in FIGURES.items():
        found = svgs(built_site, src)
        for fig_id in ids:
            root = found.get(fig_id)
            assert root is not None, f"{src}: no <svg id={fig_id}>"
            assert root.get("role") in ("img", "group") and root.get("viewBox")
            title_id, desc_id = root.get("aria-labelledby").split()
            assert root.find(f"{SVG_NS}title").get("id") == title_id and root.find(f"{SVG_NS}title").text.strip()
            assert root.find(f"{SVG_NS}desc").get("id") == desc_id and root.find(f"{SVG_NS}desc").text.strip()
            for a in figure_links(root):
                assert a.get("aria-label"), f"{src} {fig_id}: a link without an accessible name"
                problems.append(resolver.problem(src, a.get(HREF)))
    assert [p for p in problems if p] == []


def test_no_figure_loads_anything(built_site):
    for src in FIGURES:
        for fig_id, root in svgs(built_site, src).items():
            for el in root.iter():
                for name, value in el.attrib.items():
                    assert not (name.endswith("href") and re.match(r"^(https?:)?//", value)), f"{fig_id}: {value}"
                assert not el.tag.endswith(("script", "image", "foreignObject")), f"{fig_id}: <{el.tag}>"


def test_evidence_map_links_every_audited_claim(built_site, project, pages):
    _, ledger, _ = project
    root = svgs(built_site, "evidence/claims-audit.md")["fig-evidence-map"]
    fragments = [urlsplit(a.get(HREF)).fragment for a in figure_links(root)]
    assert sorted(fragments) == sorted(f"claim-{c}" for c in ledger.claims)
    labels = {a.find(f"{SVG_NS}text").text for a in figure_links(root)}
    assert labels == {c.upper() for c in ledger.claims}
    table = pages["evidence/claims-audit.md"].select("details table a[href*='#claim-']")
    assert len(table) == len(ledger.claims), "the text equivalent must list every claim once"


def test_landscape_shows_every_study_once(built_site, data):
    panels = {k: v for k, v in svgs(built_site, "evidence/human-studies.md").items() if k.startswith("fig-landscape")}
    semax = [s for s in data.studies.values() if s.drug != "selank"]
    selank = [s for s in data.studies.values() if s.drug == "selank"]
    everything = panels.pop("fig-landscape-all")
    assert sorted(a.get(HREF) for a in figure_links(everything)) == sorted(f"#{s.id}" for s in semax)
    hrefs = [a.get(HREF) for root in panels.values() for a in figure_links(root)]
    assert sorted(hrefs) == sorted(f"#{s}" for s in data.studies)
    assert set(panels) == {f"fig-landscape-{s.indication}" for s in semax} | {"fig-landscape-selank"}
    assert sorted(a.get(HREF) for a in figure_links(panels["fig-landscape-selank"])) == \
        sorted(f"#{s.id}" for s in selank)
    stroke = svgs(built_site, "indications/acute-ischemic-stroke.md")["fig-landscape-selection"]
    assert sorted(urlsplit(a.get(HREF)).fragment for a in figure_links(stroke)) == \
        sorted(s.id for s in data.for_indication("acute-ischemic-stroke"))


def test_no_selank_study_is_drawn_or_titled_as_semax(built_site, data):
    """Every landscape panel on the site: a Selank study only in the panel titled Selank, which holds nothing else,
    and no other panel's title without the word Semax."""
    selank = {s.id for s in data.studies.values() if s.drug == "selank"}
    seen = 0
    for html in built_site.rglob("index.html"):
        for m in re.finditer(r'<svg\b[^>]*\bid="(fig-landscape-[^"]+)"[^>]*>.*?</svg>', html.read_text("utf-8"), re.S):
            root = ET.fromstring(m.group(0))
            title = root.find(f"{SVG_NS}title").text
            ids = {urlsplit(a.get(HREF)).fragment for a in figure_links(root)}
            if ids & selank:
                seen += 1
                assert ids <= selank and title.startswith("Selank"), f"{html}: {title}"
            else:
                assert "Semax" in title and "Selank" not in title, f"{html}: {title}"
    assert seen >= 1


def test_prisma_flow_counts_come_from_the_data(built_site, project, data, pages):
    import sitedata.screening as sc

    refs, _, index = project
    flow = sc.flow(refs, index.cited_by, data, sc.load_screening(refs))
    root = svgs(built_site, "evidence/human-studies.md")["fig-prisma"]
    text = " ".join(t.text or "" for t in root.iter() if t.tag in (f"{SVG_NS}text", f"{SVG_NS}tspan"))
    for phrase in (f"Records screened: {flow.screened}", f"Studies included: {flow.included_studies}",
                   f"Awaiting classification: {flow.awaiting}", f"Reports excluded: {sum(flow.excluded.values())}"):
        assert phrase in text
    assert flow.included_studies == sum(1 for s in data.studies.values() if s.tool.name != "awaiting classification")
    assert flow.assessed - sum(flow.excluded.values()) == flow.included_reports
    log = pages["evidence/human-studies.md"].select(".sx-search-log table tbody tr")
    assert len(log) == flow.searches


def test_timeline_marks_every_event_with_its_source(built_site, data, pages):
    root = svgs(built_site, "index.md")["fig-timeline"]
    marks = figure_links(root)
    assert [urlsplit(a.get(HREF)).fragment for a in marks] == [e.sources[0] for e in data.timeline]
    assert [a.find(f"{SVG_NS}text").text for a in marks] == [str(i) for i in range(1, len(data.timeline) + 1)]
    rows = pages["index.md"].select(".sx-timeline-table tbody tr")
    assert len(rows) == len(data.timeline) and all(r.select("a.footnote-ref") for r in rows)


def test_alignment_draws_the_sequences_of_the_data_file(built_site, project, pages):
    refs, _, _ = project
    sequences = sitedata.load_sequences(refs)
    root = svgs(built_site, "variants/index.md")["fig-sequence-alignment"]
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    for seq in sequences.sequences:
        assert seq.name in texts
    residues = [t.text for t in root.iter(f"{SVG_NS}text") if t.get("class") == "sx-residue-text"]
    assert residues == [r for s in sequences.sequences for r, _ in s.residues]
    rows = pages["variants/index.md"].select(".sx-alignment-table tbody tr")
    assert [r.find("td").get_text(strip=True) for r in rows] == [s.name for s in sequences.sequences]
    assert all(r.select("a.footnote-ref") for r in rows), "every sequence row must cite its sources"


def test_human_studies_page_lists_every_study_and_its_risk_of_bias(pages, data, project):
    soup = pages["evidence/human-studies.md"]
    labels = sitedata.study_labels(data, project[0])
    for sid in data.studies:
        assert soup.select_one(f".sx-summary span.sx-anchor[id='{sid}']"), f"no anchor #{sid}"
        assert soup.select_one(f".sx-characteristics[id='characteristics-{sid}'] details"), f"no characteristics {sid}"
    tables = soup.select(".rob-table table")
    tools = [t for t in TOOLS.values() if t.domains and any(s.tool is t for s in data.studies.values())]
    assert len(tables) == len(tools)
    for tool, table in zip(tools, tables, strict=True):
        heads = [th.get_text(" ", strip=True) for th in table.select("thead th")]
        assert heads == ["Study", *(hook.DOMAIN_SHORT.get(d, label) for d, label in tool.domains.items()), "Overall"]
        studies = [s for s in data.studies.values() if s.tool is tool]
        rows = table.select("tbody tr")
        assert len(rows) == len(studies)
        for study, row in zip(studies, rows, strict=True):
            cells = row.find_all("td")
            assert cells[0].select_one(f"a[href='#characteristics-{study.id}']"), f"{study.id}: not linked"
            assert cells[0].select_one("a.footnote-ref"), f"{study.id}: no citation"
            words = [c.get_text(strip=True) for c in cells[1:]]
            wanted = ["".join(JUDGEMENT_LABELS[j] + (o or "") for o, j, _, _ in study.judgements(d)) if
                      len(study.judgements(d)) > 1 else JUDGEMENT_LABELS[study.judgement(d)] for d in tool.domains]
            overall = JUDGEMENT_LABELS[study.overall] + ("raised by the reviewer" if study.raised else "")
            assert words == [*wanted, overall]
            assert all(c.select_one("span.rob[class*='rob-']") for c in cells[1:]), "a cell without its class"
    outside = [s for s in data.studies.values() if not s.tool.domains]
    rows = soup.select(".rob-outside table tbody tr")
    assert [r.find("td").get_text(" ", strip=True).split(" ")[0] for r in rows] == \
        [labels[s.id].split(" ")[0] for s in outside]


def test_studies_exports_match_the_data(built_site, data):
    exported = json.loads((built_site / "data" / "studies.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in exported["studies"]}
    assert list(records) == list(data.studies)
    for sid, study in data.studies.items():
        assert records[sid]["n_total"] == study.n_total and records[sid]["rob"]["overall"] == study.overall
    assert len(exported["timeline"]) == len(data.timeline)
    rows = list(csv.reader(io.StringIO((built_site / "data" / "studies.csv").read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["id", "label", "drug"] and [r[0] for r in rows[1:]] == list(data.studies)
    risky = [c for r in rows for c in r if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == [], "a CSV cell a spreadsheet would run as a formula"
