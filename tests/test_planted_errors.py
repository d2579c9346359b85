"""Every integrity check is shown to fail: a tiny project using the real hooks, theme and config gets one
planted error at a time, and the test asserts the exact failure and that the message names file, line and key."""

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, mkdocs_build

import sitecheck
from sitedata import DataError

GOOD_BIB = """@article{good2020,
  author = {Ivanov, I. I. and Petrov, P. P.},
  title = {A well-formed test entry},
  journal = {Journal of Tests},
  year = {2020},
  pmid = {12345678},
  doi = {10.1000/test.1},
  url = {https://pubmed.ncbi.nlm.nih.gov/12345678/},
  language = {ru},
  studytype = {animal},
  seenat = {https://pubmed.ncbi.nlm.nih.gov/12345678/},
}
"""

PAGES = {
    "index.md": "# Home\n\nSemax was tested in rats in this study [@good2020].\n\n:claim: c01\n\n"
                "See [section A](other.md#section-a) for more on the test study [@good2020].\n",
    "other.md": "# Other\n\n## Section A\n\nA second statement about the same rat study here [@good2020].\n",
    "references.md": "# Bibliography\n\n:bibliography:\n",
    "evidence/claims-audit.md": "# Claims audit\n\n:claims-table:\n",
    "evidence/method.md": "# Method\n\n:grades-table:\n\n:verdicts-table:\n",
}

CLAIM = {"id": "c01", "claim": "A test claim.", "verdict": "supported", "grade": "D", "page": "index.md",
         "summary": "A test summary.", "sources": ["good2020"], "reviewed": "2026-11-25",
         "independence": {"developer_linked": "no", "russian_only": "yes", "registered_trial": "n/a",
                          "independent_replication": "unknown"}}


class EnvTagLoader(yaml.SafeLoader):
    pass


EnvTagLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


class PlainDumper(yaml.SafeDumper):
    """Writes shared values out in full: the ledger's loader refuses YAML anchors and aliases."""

    def ignore_aliases(self, data):
        return True


def dump_yaml(data):
    return yaml.dump(data, Dumper=PlainDumper, allow_unicode=True, sort_keys=False)


def make_project(tmp_path, pages=None, bib=GOOD_BIB, claims=None, redirects=None, extra=None, checks=None,
                 history=None, reviews=None):
    """A small copy of the real project: same hooks, theme overrides, glossary and mkdocs.yml settings;
    `checks` maps a page to the text of its verification-record file, `history` to its superseded records."""
    project = tmp_path / "project"
    for folder in ("hooks", "overrides", "includes", "docs/assets"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    pages = {**PAGES, **(pages or {})}
    for name, text in pages.items():
        (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "docs" / name).write_text(text, encoding="utf-8")
    (project / "references").mkdir()
    (project / "references" / "refs.bib").write_text(bib, encoding="utf-8")
    for seed, text in (reviews or {}).items():  # second-reading samples, references/checks-review/<seed>.yaml
        path = project / "references" / "checks-review" / f"{seed}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder, files in (("checks", checks), ("checks-history", history)):
        for page, text in (files or {}).items():
            path = project / "references" / folder / (page.removesuffix(".md") + ".yaml")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    real_ledger = yaml.safe_load((ROOT / "references" / "claims.yaml").read_text(encoding="utf-8"))
    ledger = {"verdicts": real_ledger["verdicts"], "grades": real_ledger["grades"],
              "claims": claims if claims is not None else [CLAIM]}
    (project / "references" / "claims.yaml").write_text(dump_yaml(ledger), encoding="utf-8")
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=EnvTagLoader)
    config["nav"] = list(pages)
    config.setdefault("extra", {}).update(extra or {})
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "redirects" in plugin:
            plugin["redirects"]["redirect_maps"] = redirects or {"old-other.md": "other.md"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return project


def build(project):
    result = mkdocs_build(project, project / "site")
    return result.returncode, result.stdout + result.stderr


def assert_fails_with(project, *expected):
    code, output = build(project)
    assert code != 0, f"build should have failed:\n{output}"
    for text in expected:
        assert text in output, f"expected {text!r} in build output:\n{output}"
    assert "Traceback" not in output, output


@pytest.fixture
def good_project(tmp_path):
    return make_project(tmp_path)


def test_fixture_project_builds_clean(good_project):
    code, output = build(good_project)
    assert code == 0, output
    site = good_project / "site"
    assert not sitecheck.uncited_blocks(sitecheck.soup_of(site / "index.html"))
    ok, report = sitecheck.run_lychee(site)
    assert ok, report


def test_moved_page_keeps_its_old_address(good_project):
    code, output = build(good_project)
    assert code == 0, output
    redirect = (good_project / "site" / "old-other" / "index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../other/"' in redirect


def split_bibliography_project(tmp_path):
    """Three sources and bibliography_page_limit 1: the bibliography splits into pages per initial."""
    bib = GOOD_BIB + "".join("\n" + GOOD_BIB.replace("good2020", key).replace("Ivanov, I. I.", author)
                             for key, author in (("zeta2021", "Zhukov, Z. Z."), ("ignat2019", "Ignatov, I. I.")))
    text = "\nRat studies by two other groups [@zeta2021; @ignat2019].\n"
    project = make_project(tmp_path, {"other.md": PAGES["other.md"] + text}, bib=bib,
                           extra={"bibliography_page_limit": 1})
    return project


def test_large_bibliography_is_split_by_initial_and_keeps_its_anchors(tmp_path):
    # Limit 1: every page holds one entry, so the two I-authors go to numbered parts i-1 and i-2.
    project = split_bibliography_project(tmp_path)
    code, output = build(project)
    assert code == 0, output
    site = project / "site"
    index = sitecheck.soup_of(site / "references" / "index.html")
    forward = {a["id"]: a["href"] for a in index.select("a.ref-forward")}
    assert forward == {"ignat2019": "i-1/#ignat2019", "good2020": "i-2/#good2020", "zeta2021": "z/#zeta2021"}
    for href in forward.values():
        part, key = href.split("/#")
        assert sitecheck.soup_of(site / "references" / part / "index.html").select_one(f"#{key}.ref-entry")
    ok, report = sitecheck.run_lychee(site)
    assert ok, report


def test_redirect_to_a_missing_page_fails(tmp_path):
    project = make_project(tmp_path, redirects={"old.md": "gone.md"})
    assert_fails_with(project, "Redirect target 'gone.md' does not exist!")


def test_dangling_link_fails_build_with_page_line_and_target(tmp_path):
    page = PAGES["other.md"] + "\nBroken: [nowhere](missing.md) [@good2020].\n"
    project = make_project(tmp_path, {"other.md": page})
    assert_fails_with(project, "docs/other.md:7: missing.md:", "the target is not found among documentation files")


def test_missing_anchor_fails_build_with_page_line_and_target(tmp_path):
    page = PAGES["index.md"] + "\nBad anchor: [here](other.md#no-such-section) [@good2020].\n"
    project = make_project(tmp_path, {"index.md": page})
    assert_fails_with(project, "docs/index.md:9: other.md#no-such-section:",
                      "does not contain an anchor '#no-such-section'")


def test_unknown_citation_key_fails_build(tmp_path):
    page = PAGES["other.md"] + "\nThis cites a key that does not exist [@nokey1999].\n"
    project = make_project(tmp_path, {"other.md": page})
    assert_fails_with(project, "docs/other.md:7: nokey1999: unknown citation key")


def test_malformed_bibtex_names_file_and_line_without_traceback(tmp_path):
    bib = GOOD_BIB + "\n@article{broken2021,\n  title = {Unclosed brace,\n  year = {2021}\n}\n"
    project = make_project(tmp_path, bib=bib)
    assert_fails_with(project, "references/refs.bib:14: broken2021: unbalanced braces: 1 '{' never closed before "
                               "the end of the file")


def test_entry_missing_required_field_fails(tmp_path):
    bib = GOOD_BIB.replace("  studytype = {animal},\n", "")
    project = make_project(tmp_path, bib=bib)
    assert_fails_with(project, "references/refs.bib:1: good2020: missing required field(s): studytype")


def test_duplicate_key_fails(tmp_path):
    project = make_project(tmp_path, bib=GOOD_BIB + "\n" + GOOD_BIB)
    assert_fails_with(project, "references/refs.bib:14: good2020: duplicate key (first defined on line 1)")


@pytest.mark.parametrize("field, bad, message", [
    ("doi", "https://doi.org/10.1000/x", "is not a bare DOI"),
    ("pmid", "PMID12345", "must be digits only"),
    ("url", "pubmed/12345", "not a well-formed URL"),
    ("studytype", "anecdote", "studytype 'anecdote' is not one of"),
])
def test_malformed_identifiers_fail(tmp_path, field, bad, message):
    lines = [f"  {field} = {{{bad}}}," if line.startswith(f"  {field} =") else line
             for line in GOOD_BIB.splitlines()]
    project = make_project(tmp_path, bib="\n".join(lines) + "\n")
    assert_fails_with(project, "references/refs.bib:1: good2020:", message)


def test_unknown_claim_id_on_page_fails(tmp_path):
    page = PAGES["other.md"] + "\n:claim: z99\n"
    project = make_project(tmp_path, {"other.md": page})
    assert_fails_with(project, "docs/other.md:7: z99: unknown claim id")


def test_claim_shown_on_wrong_page_fails(tmp_path):
    project = make_project(tmp_path, {"index.md": PAGES["index.md"].replace(":claim: c01", ""),
                                      "other.md": PAGES["other.md"] + "\n:claim: c01\n"})
    assert_fails_with(project, "docs/other.md:7: c01: the ledger puts this claim on index.md")


def test_ledger_claim_with_unknown_source_fails(tmp_path):
    project = make_project(tmp_path, claims=[{**CLAIM, "sources": ["ghost2000"]}])
    assert_fails_with(project, "references/claims.yaml:", "c01: source 'ghost2000' is not in references")


def test_ledger_id_not_in_seed_is_reported(tmp_path):
    project = make_project(tmp_path, {"index.md": PAGES["index.md"].replace("c01", "c77")},
                           claims=[{**CLAIM, "id": "c77"}])
    _, ledger, _ = sitecheck.load_project(project)
    problems = sitecheck.ledger_vs_seed(ledger, {"c01"})
    assert "claims.yaml:" in problems[0] and "c77: not a claim id of the seed article" in problems[0]
    assert problems[1] == "claims.yaml: c01: seed claim missing from the ledger"


def test_orphan_bib_entry_is_reported(tmp_path):
    orphan = GOOD_BIB.replace("good2020", "orphan2021")
    project = make_project(tmp_path, bib=GOOD_BIB + "\n" + orphan)
    refs, _, index = sitecheck.load_project(project)
    assert sitecheck.uncited_keys(refs, index) == ["refs.bib:14: orphan2021: not cited anywhere"]


def build_with_other_page_text(tmp_path, extra):
    """The fixture with text appended to other.md. The build passes: these errors are caught after it."""
    project = make_project(tmp_path, {"other.md": PAGES["other.md"] + extra})
    code, output = build(project)
    assert code == 0, output
    return project


def test_uncited_paragraph_is_reported(tmp_path):
    project = build_with_other_page_text(
        tmp_path, "\nSemax cures everything in everyone, says this sentence without a source.\n")
    problems = sitecheck.uncited_blocks(sitecheck.soup_of(project / "site" / "other" / "index.html"))
    assert problems == ["<p> without a citation: 'Semax cures everything in everyone, says this sentence "
                        "without a source.'"]


def test_lychee_catches_a_dangling_raw_html_link(tmp_path):
    # Raw HTML links escape MkDocs' own validation: the link checker on the built site is the safety net.
    project = build_with_other_page_text(
        tmp_path, '\n<p><a href="../nowhere/">raw link</a></p>\n\n<a href="#nope">bad fragment</a>\n')
    ok, report = sitecheck.run_lychee(project / "site")
    assert not ok
    assert "nowhere" in report and "nope" in report, report


def test_html_checks_catch_raw_citations_duplicate_headings_and_missing_alt():
    soup = sitecheck.BeautifulSoup(
        '<article class="md-content__inner"><h2 id="a">Results</h2><h2 id="b">Results</h2>'
        '<p>Left raw [@dolotov2006bdnf] by a tool that ignores mkdocs-bibtex.</p><img src="x.png"></article>',
        "lxml")
    assert sitecheck.raw_citations(soup) == ["unprocessed citation '[@dolotov2006bdnf]'"]
    assert sitecheck.duplicate_headings(soup) == ["heading 'Results' appears twice (h2 and h2)"]
    assert sitecheck.images_without_alt(soup) == ["<img src='x.png'> has no alt text"]


def test_unrendered_markdown_is_reported(tmp_path):
    # An unclosed emphasis and a hook marker with a typo both reach the reader as raw syntax.
    project = build_with_other_page_text(
        tmp_path, "\nA **stray emphasis marker in this sentence [@good2020].\n\nSee :claim: c01 here.\n")
    problems = sitecheck.markdown_leftovers(sitecheck.soup_of(project / "site" / "other" / "index.html"))
    assert [p.split(" near ")[0] for p in problems] == ["unrendered ':claim:'", "unrendered '**'"]


def test_data_error_message_format():
    err = DataError(ROOT / "references" / "x.bib", 12, "key1", "something is wrong")
    assert str(err) == "references/x.bib:12: key1: something is wrong"
    assert isinstance(err, Exception) and Path(err.path).name == "x.bib"


# Verification records (references/checks/) and the computed grade.

def _record(verdict="supported", extra=""):
    """A record for the one cited statement of the fixture's other.md."""
    from sitedata.checks import statements
    (stmt,) = statements(PAGES["other.md"], "other.md")
    return (f"- statement: {stmt.fingerprint}\n  text: \"a second statement\"\n  verdict: {verdict}\n"
            f"{extra}  checked: 2026-12-01\n  sources:\n"
            "    good2020: {says: \"Rats\", where: abstract, seen: \"https://pubmed.ncbi.nlm.nih.gov/12345678/\"}\n")


def test_malformed_verification_record_fails_build_with_file_line_key(tmp_path):
    project = make_project(tmp_path, checks={"other.md": _record().replace("where: abstract", "where: somewhere")})
    assert_fails_with(project, "references/checks/other.yaml:1: good2020: where must be one of:")


def test_verification_record_without_correction_fails_build(tmp_path):
    project = make_project(tmp_path, checks={"other.md": _record(verdict="partly")})
    assert_fails_with(project, "references/checks/other.yaml:1:", "needs 'correction:'")


def test_pages_show_how_much_was_checked_and_the_changelog_lists_corrections_as_text(tmp_path):
    correction = _record(verdict="partly", extra="  correction: \"said <b>all</b> *rats*; now says some\"\n")
    stale = correction.replace("statement: ", "statement: 0", 1)[:len("- statement: ")] + "0123456789" + \
        correction[len("- statement: ") + 10:]
    review = ("seed: '2026.12'\ndrawn: '2026-12-07'\npopulation: 1\nshare: 0.1\nsample:\n"
              "- page: other.md\n  statement: '0123456789'\n  reading: \"It said <b>mice</b>.\"\n  agrees: 'no'\n"
              "  fix: \"Now says rats.\"\n  checked: '2026-12-07'\n")
    project = make_project(tmp_path, pages={"evidence/changelog.md": "# Changelog\n\n:corrections:\n",
                                            "evidence/method.md": PAGES["evidence/method.md"]
                                            + "\n## Verification records\n\n:checks-coverage:\n\n:second-reading:\n"},
                           checks={"other.md": _record()}, history={"other.md": stale}, reviews={"2026.12": review})
    code, output = build(project)
    assert code == 0, output
    site = project / "site"
    other = sitecheck.soup_of(site / "other" / "index.html").select_one("p.checks-line").get_text(" ")
    assert "1 of 1 cited statements on this page checked against their sources, most recently on 2026-12-01" in other
    home = sitecheck.soup_of(site / "index.html").select_one("p.checks-line").get_text(" ")
    assert home.startswith("Not yet checked statement by statement.")
    method = sitecheck.soup_of(site / "evidence" / "method" / "index.html")
    assert "1 of 4 cited statements (25%)" in method.get_text(" ")  # three on pages, one claim summary
    line = " ".join(method.get_text(" ").split())
    assert ("0 of them quote the words of their sources" in line and "An independent re-reading of 1 randomly "
            "drawn records (release 2026.12) found 1 needing correction, all fixed." in line), line
    rate = " ".join(method.select_one(".second-reading table").get_text(" ").split())
    assert "2026.12 2026-12-07 1 of 1 1 1 100.0% 1" in rate, rate
    other_html = (site / "other" / "index.html").read_text(encoding="utf-8")
    assert 'class="check-btn" data-check="other#' in other_html
    assert (site / "data" / "checks" / "other.json").is_file()
    changelog = (site / "evidence" / "changelog" / "index.html").read_text(encoding="utf-8")
    shown = sitecheck.soup_of(site / "evidence" / "changelog" / "index.html").get_text(" ")
    assert "said <b>all</b> *rats*; now says some" in shown  # shown as typed, not as markup
    assert "<b>all</b>" not in changelog and "<em>rats</em>" not in changelog
    ok, report = sitecheck.run_lychee(site)
    assert ok, report


def test_grade_that_disagrees_with_its_sources_fails_build(tmp_path):
    project = make_project(tmp_path, claims=[{**CLAIM, "grade": "B"}])
    assert_fails_with(project, "references/claims.yaml:", "c01: grade B but its sources compute to D "
                      "(animal: good2020) for an effect claim; set grade: D, or keep B with grade_override")


def test_override_needs_a_reason_and_the_reason_is_shown_as_text(tmp_path):
    project = make_project(tmp_path, claims=[{**CLAIM, "grade": "S", "grade_override": {"grade": "S", "reason": ""}}])
    assert_fails_with(project, "c01: grade_override needs a reason")
    reason = "Only <i>one</i> *small* study"
    project = make_project(tmp_path / "ok", claims=[{**CLAIM, "grade": "S",
                                                     "grade_override": {"grade": "S", "reason": reason}}])
    code, output = build(project)
    assert code == 0, output
    box = sitecheck.soup_of(project / "site" / "index.html").select_one("#claim-c01 .grade-override")
    assert box.get_text(" ", strip=True) == "Grade S, not the computed D: Only <i>one</i> *small* study"


def test_record_claim_is_graded_by_its_documentary_sources(tmp_path):
    label = GOOD_BIB.replace("good2020", "label2020").replace("{animal}", "{label}")
    text = PAGES["index.md"] + "\nThe label lists the drops for stroke [@label2020].\n"
    project = make_project(tmp_path, {"index.md": text}, bib=GOOD_BIB + "\n" + label,
                           claims=[{**CLAIM, "kind": "record", "grade": "D", "sources": ["good2020", "label2020"]}])
    assert_fails_with(project, "c01: grade D but its sources compute to R (label: label2020) for a record claim")


# ------------------------------------------------------------------------------------------------ studies
def studies_yaml(**changes):
    """A one-study references/studies.yaml for the fixture project (its bib entry good2020 is in Russian, 2020)."""
    from test_studies import STUDY

    text = STUDY.replace("indication: stroke", "indication: other")
    for old, new in changes.items():
        text = text.replace(old, new, 1)
    return text


def project_with_studies(tmp_path, text, pages=None):
    project = make_project(tmp_path, pages)
    (project / "references" / "studies.yaml").write_text(text, encoding="utf-8")
    return project


def test_study_table_and_figure_are_generated_in_a_fixture_project(tmp_path):
    page = PAGES["other.md"] + "\n## Studies\n\n:figure: landscape all\n\n:studies-table: good-study\n"
    project = project_with_studies(tmp_path, studies_yaml(), {"other.md": page})
    code, output = build(project)
    assert code == 0, output
    soup = sitecheck.soup_of(project / "site" / "other" / "index.html")
    row = soup.select_one(".studies-table tbody tr")
    assert row.select_one("a.footnote-ref") and "50" in row.get_text() and "Serious" in row.get_text()
    assert soup.select_one("svg#fig-landscape-selection[role=group]")
    assert (project / "site" / "data" / "studies.json").is_file()


def test_bad_study_record_fails_the_build_with_file_line_and_id(tmp_path):
    project = project_with_studies(tmp_path, studies_yaml(**{'n: 30}': 'n: 0}'}))
    assert_fails_with(project, "references/studies.yaml:12: good-study: n 0 must be a whole number >= 1")


def test_unknown_study_in_a_page_marker_fails_with_page_and_line(tmp_path):
    page = PAGES["other.md"] + "\n:studies-table: no-such-study\n"
    project = project_with_studies(tmp_path, studies_yaml(), {"other.md": page})
    assert_fails_with(project, "docs/other.md:7: studies-table: 'no-such-study' is neither a study id nor an "
                               "indication")
