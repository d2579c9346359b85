"""References and page citations in named CSL styles (hooks/sitedata/csl.py), checked against strings written
from the style guides, and the head tags as Zotero's "Embedded Metadata" translator reads them."""

import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pybtex.database import parse_string

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

import sitedata  # noqa: E402
from sitedata import csl  # noqa: E402
from sitedata.bibliography import Reference  # noqa: E402

BIB = r"""
@article{dolotov2006bdnf,
  author = {Dolotov, Oleg V. and Karpenko, Ekaterina A.},
  title = {Semax regulates BDNF in the rat hippocampus},
  journal = {Brain Research},
  year = {2006},
  volume = {1117},
  number = {1},
  pages = {54--60},
  doi = {10.1016/j.brainres.2006.07.108},
  url = {https://doi.org/10.1016/j.brainres.2006.07.108},
  language = {en},
  studytype = {animal},
  seenat = {https://doi.org/10.1016/j.brainres.2006.07.108},
}
@misc{vendor-page,
  title = {Semax 30mg},
  organization = {peptides.example},
  sourcekind = {vendor},
  urldate = {2026-12-01},
  url = {https://peptides.example/semax},
  language = {en},
  studytype = {other},
  seenat = {https://peptides.example/semax},
}
@article{gusev1997,
  author = {Gusev, E. I.},
  title = {Эффективность семакса},
  titletranslated = {Efficacy of Semax},
  journal = {Zhurnal Nevrologii i Psikhiatrii},
  year = {1997},
  volume = {97},
  number = {6},
  pages = {26--34},
  pmid = {9463046},
  url = {https://pubmed.ncbi.nlm.nih.gov/9463046/},
  language = {ru},
  studytype = {human-controlled},
  seenat = {https://pubmed.ncbi.nlm.nih.gov/9463046/},
}
"""

# Written from the guides: AMA Manual of Style 11th ed. (journal: "Author AB. Title. Journal. Year;Vol(No):pages.
# doi:"; website: "Title. Website. Accessed date. URL", organisation as author when none is named); NLM
# Citing Medicine (Vancouver: "[Internet]", "[cited YYYY Mon D]", "Available from:"); APA 7 (no date "(n.d.)",
# "Retrieved Month D, YYYY, from"); Cite Them Right Harvard ("(no date)", "Available at: URL (Accessed: D Month
# YYYY)").
EXPECTED = {
    "ama": {
        "dolotov2006bdnf": "Dolotov OV, Karpenko EA. Semax regulates BDNF in the rat hippocampus. Brain Research. "
                           "2006;1117(1):54-60. doi:10.1016/j.brainres.2006.07.108",
        "vendor-page": "peptides.example. Semax 30mg. Accessed December 1, 2026. https://peptides.example/semax",
        "gusev1997": "Gusev EI. Эффективность семакса. Zhurnal Nevrologii i Psikhiatrii. 1997;97(6):26-34. "
                     "https://pubmed.ncbi.nlm.nih.gov/9463046/",
    },
    "vancouver": {
        "dolotov2006bdnf": "Dolotov OV, Karpenko EA. Semax regulates BDNF in the rat hippocampus. Brain Research. "
                           "2006;1117(1):54–60. doi:10.1016/j.brainres.2006.07.108",
        "vendor-page": "peptides.example. Semax 30mg [Internet]. [cited 2026 Dec 1]. "
                       "Available from: https://peptides.example/semax",
        "gusev1997": "Gusev EI. Эффективность семакса. Zhurnal Nevrologii i Psikhiatrii. 1997;97(6):26–34. "
                     "PubMed PMID: 9463046.",
    },
    "apa": {
        "dolotov2006bdnf": "Dolotov, O. V., & Karpenko, E. A. (2006). Semax regulates BDNF in the rat hippocampus. "
                           "Brain Research, 1117(1), 54–60. https://doi.org/10.1016/j.brainres.2006.07.108",
        "vendor-page": "peptides.example. (n.d.). Semax 30mg. Retrieved December 1, 2026, from "
                       "https://peptides.example/semax",
        "gusev1997": "Gusev, E. I. (1997). Эффективность семакса. Zhurnal Nevrologii i Psikhiatrii, 97(6), 26–34. "
                     "https://pubmed.ncbi.nlm.nih.gov/9463046/",
    },
    "harvard": {
        "dolotov2006bdnf": "Dolotov, O.V. and Karpenko, E.A. (2006) ‘Semax regulates BDNF in the rat hippocampus’, "
                           "Brain Research, 1117(1), pp. 54–60. Available at: "
                           "https://doi.org/10.1016/j.brainres.2006.07.108.",
        "vendor-page": "peptides.example (no date) Semax 30mg. Available at: https://peptides.example/semax "
                       "(Accessed: 1 December 2026).",
        "gusev1997": "Gusev, E.I. (1997) ‘Эффективность семакса’, Zhurnal Nevrologii i Psikhiatrii, 97(6), "
                     "pp. 26–34. Available at: https://pubmed.ncbi.nlm.nih.gov/9463046/.",
    },
}


def refs_from(text):
    refs = {}
    for key, entry in parse_string(text, "bibtex").entries.items():
        fields = {k.lower(): sitedata.latex_to_text(str(v)) if k.lower() not in ("url", "doi") else str(v)
                  for k, v in entry.fields.items()}
        authors = [str(p) for p in entry.persons.get("author", [])]
        refs[key] = Reference(key, entry.type, fields, authors, Path("t.bib"), 1, entry)
    return refs


@pytest.mark.parametrize("style", sorted(EXPECTED))
def test_each_style_formats_three_kinds_of_source_as_the_guides_say(style):
    from citeproc import formatter

    refs = refs_from(BIB)
    got = csl.format_items([csl.to_csl(r) for r in refs.values()], style, formatter.plain)
    for key, expected in EXPECTED[style].items():
        assert got[key] == expected, f"{style} {key}"


@pytest.mark.parametrize("style", sorted(csl.STYLES))
def test_citeproc_lookups_kept_once_give_the_same_text(style, monkeypatch):
    # csl replaces citeproc-py's lookups with ones that keep their answers (build time): every source of the real
    # bibliography, in every style, must come out exactly as citeproc-py's own lookups give it.
    from citeproc import formatter

    items = [csl._escaped(csl.to_csl(r)) for r in sitedata.load_bibliography().values()]
    fast = csl.format_items(items, style, formatter.html)
    for name, (cls, attr) in csl._LOOKUPS.items():
        assert getattr(cls, attr) is not csl.CITEPROC_LOOKUPS[name], f"{name} is not kept once"
        monkeypatch.setattr(cls, attr, csl.CITEPROC_LOOKUPS[name])
    assert csl.format_items(items, style, formatter.html) == fast


def test_translated_title_and_kinds_stay_beside_the_formatted_reference():
    refs = refs_from(BIB)
    text = sitedata.format_reference(refs["gusev1997"], refs=refs)
    formatted, extra = text.split('<span class="ref-translated">', 1)
    assert "Efficacy of Semax" not in formatted and "Efficacy of Semax" in extra
    assert '<span lang="ru">Эффективность семакса</span>' in formatted
    vendor = sitedata.format_reference(refs["vendor-page"], refs=refs)
    assert "Vendor page" in vendor.split("peptides.example/semax</a>", 1)[1]


def test_planted_markup_in_a_field_stays_text():
    planted = BIB.replace("title = {Semax 30mg}", "title = {<script>alert(1)</script> *x* [a](https://e.org)}")
    refs = refs_from(planted)
    html = sitedata.md_text("") + sitedata.format_reference(refs["vendor-page"], refs=refs)
    import markdown

    soup = BeautifulSoup(markdown.markdown(html), "html.parser")
    assert soup.find("script") is None and soup.find("em") is None
    assert "<script>alert(1)</script> *x* [a](https://e.org)" in soup.get_text()
    assert [a["href"] for a in soup.find_all("a")] == ["https://peptides.example/semax"]


def test_a_web_source_without_site_or_kind_stops_the_build():
    for field in ("organization", "sourcekind"):
        bad = "\n".join(line for line in BIB.splitlines() if not line.strip().startswith(field))
        refs = refs_from(bad)
        with pytest.raises(sitedata.DataError, match=field):
            csl.to_csl(refs["vendor-page"])


def test_page_citation_gives_the_version_date_and_retrieval_date():
    item = csl.page_item("semaxevidence-x", "Acute ischemic stroke", "Semax Evidence editors", "Semax Evidence",
                         "2026-12-01", "https://example.org/x/")
    out = csl.cite_formats(item, retrieved="2026-12-07")
    assert out["styles"]["apa"]["text"] == ("Semax Evidence editors. (2026, December 1). Acute ischemic stroke. "
                                            "Semax Evidence. Retrieved December 7, 2026, from https://example.org/x/")
    assert out["styles"]["ama"]["text"] == ("Semax Evidence editors. Acute ischemic stroke. Semax Evidence. "
                                            "December 1, 2026. Accessed December 7, 2026. https://example.org/x/")
    assert "[cited 2026 Dec 7]" in out["styles"]["vancouver"]["text"]
    assert "(Accessed: 7 December 2026)" in out["styles"]["harvard"]["text"]
    (entry,) = parse_string(out["bibtex"], "bibtex").entries.values()
    assert entry.type == "misc" and entry.fields["urldate"] == "2026-12-07" and "howpublished" not in entry.fields
    assert entry.fields["date"] == "2026-12-01" and str(entry.persons["author"][0]) == "{Semax Evidence editors}"
    assert out["ris"].startswith("TY  - ELEC\r\nAU  - Semax Evidence editors,\r\n")
    assert "DA  - 2026/12/01" in out["ris"] and "Y2  - 2026/12/07" in out["ris"]


# ------------------------------------------------------------------------------------------------- built site
@pytest.fixture(scope="module")
def built(built_site):
    return built_site  # the session's strict build (tests/conftest.py): never skipped for want of a site/


def test_no_footnote_link_reads_source_page_and_every_web_source_names_its_site(built):
    refs = sitedata.load_bibliography()
    for page in built.rglob("index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for note in soup.select("div.footnote li"):
            assert note.find("a", string="source page") is None, page
    for ref in refs.values():
        if ref.type in ("misc", "online"):  # a patent is named by its number and office
            assert ref.get("organization") and ref.get("organization") in csl.format_references(refs)[ref.key], \
                ref.key


def zotero_read(soup):
    """What Zotero's Embedded Metadata translator takes from the head (zotero/translators, "Embedded Metadata.js"):
    the item type from og:type through its RDF reader (citation_title alone guesses journalArticle), the date from
    citation_publication_date, and each citation_author split at a comma into last, first."""
    def meta(name):
        tag = soup.find("meta", attrs={"name": name}) or soup.find("meta", attrs={"property": name})
        return tag["content"] if tag else None

    og_type = meta("og:type")
    item_type = "webpage" if og_type == "website" else "journalArticle"
    authors = []
    for tag in soup.find_all("meta", attrs={"name": "citation_author"}):
        last, _, first = tag["content"].partition(",")
        authors.append({"lastName": last.strip(), "firstName": first.strip()} if _ else
                       {"lastName": last.rsplit(" ", 1)[-1], "firstName": last.rsplit(" ", 1)[0]})
    return {"itemType": item_type, "creators": authors, "date": meta("citation_publication_date"),
            "websiteTitle": meta("og:site_name"), "dcType": meta("dc.type")}


def test_head_tags_as_zotero_reads_them(built):
    page = built / "indications" / "acute-ischemic-stroke" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    item = zotero_read(soup)
    assert item["itemType"] == "webpage"
    assert item["creators"] == [{"lastName": "Semax Evidence editors", "firstName": ""}]
    assert item["websiteTitle"] == "Semax Evidence" and item["dcType"] is None
    block = soup.select_one("section.cite-page")
    assert item["date"] == block.find("time")["datetime"]
    assert '"datePublished": "' + item["date"] in soup.find("script", type="application/ld+json").string
    claim = block.select_one("details.cite-claim")
    assert claim is not None and "claim " in claim.select_one("pre.cite-claim-apa").get_text()
    assert len(block.select("a[download]")) >= 3
