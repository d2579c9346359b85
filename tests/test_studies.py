"""The studies dataset (references/studies.yaml, timeline.yaml, sequences.yaml): every schema rule shown to catch
its planted fault with `file:line: key: message`, the derived values, and prose that must agree with the data."""

import itertools
import re
import textwrap

import pytest
import yaml
from conftest import ROOT
from hypothesis import example, given, settings
from hypothesis import strategies as st

import sitecheck
import sitedata
from sitedata import DataError, screening
from sitedata.studies import ROB2, ROBINS_I, SELANK_PANEL, STUDY_TYPE_OF, landscape_panels

BIB = """@article{good2020,
  author = {Ivanov, I. I. and Petrov, P. P.},
  title = {A well-formed test entry},
  journal = {Journal of Tests},
  year = {2020},
  url = {https://pubmed.ncbi.nlm.nih.gov/12345678/},
  language = {ru},
  studytype = {human-controlled},
  seenat = {https://pubmed.ncbi.nlm.nih.gov/12345678/},
}

@misc{undated-page,
  title = {A web page without a year},
  organization = {example.org},
  sourcekind = {info-site},
  url = {https://example.org/page},
  language = {en},
  studytype = {other},
  seenat = {https://example.org/page},
}
"""

STUDY = """\
studies:
  - id: good-study
    key: good2020
    drug: semax
    indication: stroke
    country: Russia
    year: 2020
    design: controlled
    allocation: not reported
    blinding: not reported
    arms:
      - {label: "Semax", n: 30}
      - {label: "standard therapy", n: 20}
    population: adults in the acute period of a stroke
    dose: "0.1% drops"
    route: intranasal
    schedule: 10 days
    comparator: standard therapy
    duration: 10 days
    follow_up: 21 days
    follow_up_days: 21
    outcomes:
      - {measure: "NIHSS", result: "lower with Semax"}
    developer_linked: "no"
    language: ru
    registration: none found
    seen: ["https://example.org/a"]
    read: abstract
    rob:
      tool: ROBINS-I
      domains:
        confounding: {judgement: serious, reason: "groups compared without adjustment"}
        selection: {judgement: moderate, reason: "consecutive patients"}
        classification: {judgement: low, reason: "treatment recorded"}
        deviations: {judgement: no-information, reason: "not reported"}
        missing-data: {judgement: low, reason: "no losses reported"}
        measurement: {judgement: moderate, reason: "assessors not blinded"}
        reporting: {judgement: low, reason: "outcomes as planned"}
"""

TIMELINE = """\
events:
  - date: "1996-03-28"
    event: "Approved for clinical use"
    kind: registration
    sources: [good2020]
  - date: 1982
    event: "Work begins"
    kind: development
    sources: [good2020]
"""


@pytest.fixture
def refs(tmp_path):
    (tmp_path / "refs").mkdir()
    (tmp_path / "refs" / "a.bib").write_text(BIB, encoding="utf-8")
    return sitedata.load_bibliography(tmp_path / "refs")


@pytest.fixture
def docs(tmp_path):
    (tmp_path / "docs" / "indications").mkdir(parents=True)
    (tmp_path / "docs" / "indications" / "stroke.md").write_text("# Stroke\n", encoding="utf-8")
    return tmp_path / "docs"


def load(tmp_path, refs, docs, text):
    path = tmp_path / "studies.yaml"
    path.write_text(text, encoding="utf-8")
    return sitedata.load_studies(refs, path, docs)


def line_of(text, needle, nth=1):
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def test_fixture_record_loads_with_derived_values(tmp_path, refs, docs):
    data = load(tmp_path, refs, docs, STUDY)
    study = data.studies["good-study"]
    assert study.line == 2
    assert study.n_total == 50
    assert study.overall == "serious"  # worst of low, moderate, no-information, serious
    assert sitedata.study_label(study, refs) == "Ivanov et al. 2020"
    assert [s.id for s in data.for_indication("stroke")] == ["good-study"]


def test_missing_files_are_empty_datasets(tmp_path, refs, docs):
    assert sitedata.load_studies(refs, tmp_path / "none.yaml", docs).studies == {}
    assert sitedata.load_timeline(refs, tmp_path / "none.yaml") == []
    assert sitedata.load_sequences(refs, tmp_path / "none.yaml").sequences == []


# (what to change, message, the line the message must name)
PLANTED = [
    (("    country: Russia\n", "    country: Russia\n    sponsor: none\n"), "unknown field 'sponsor'", "sponsor:"),
    (("    key: good2020\n", "    key: ghost1999\n"), "bib key 'ghost1999' is not in references/*.bib", "key:"),
    (("    drug: semax\n", "    drug: selanc\n"), "drug 'selanc' is not one of", "drug:"),
    (("    indication: stroke\n", "    indication: migraine\n"), "indication 'migraine' is not a page", "indication:"),
    (("    design: controlled\n", "    design: cohort\n"), "design 'cohort' is not one of", "design:"),
    (("    year: 2020\n", "    year: 2019\n"), "year 2019 does not match the bib entry good2020 (2020)", "year:"),
    (('n: 30}', 'n: 0}'), "n 0 must be a whole number >= 1, or null", '"Semax"'),
    (('n: 30}', 'n: -3}'), "n -3 must be a whole number >= 1", '"Semax"'),
    (('n: 30}', 'n: "30"}'), "n '30' must be a whole number >= 1", '"Semax"'),
    (('n: 30}', 'n: 2.5}'), "n 2.5 must be a whole number >= 1", '"Semax"'),
    (('n: 30}', 'n: true}'), "n True must be a whole number >= 1", '"Semax"'),
    (('{label: "Semax", n: 30}', '{label: "Semax"}'), "missing 'n' in arms.0", '"Semax"'),
    (("        reporting: {judgement: low, reason: \"outcomes as planned\"}\n", ""),
     "missing ROBINS-I domain 'reporting'", "domains:"),
    (("confounding: {judgement: serious,", "confounding: {judgement: unclear,"),
     "judgement 'unclear' is not one of: low, moderate, no-information, serious, critical", "confounding:"),
    (("        selection: {judgement",
      "        allocation: {judgement: low, reason: x}\n        selection: {judgement"),
     "'allocation' is not a ROBINS-I domain", "allocation: {"),
    (("      tool: ROBINS-I\n", "      tool: Cochrane\n"), "tool 'Cochrane' is not one of", "tool:"),
    (("    design: controlled\n", "    design: randomised\n"), "a randomised study is judged with RoB 2", "tool:"),
    (("    language: ru\n", "    language: en\n"), "language 'en' differs from the bib entry good2020 (ru)",
     "language:"),
    (('    developer_linked: "no"\n', "    developer_linked: no\n"), "developer_linked must be one of", "developer_"),
    (("    follow_up_days: 21\n", "    follow_up_days: three weeks\n"), "follow_up_days 'three weeks' must be",
     "follow_up_days"),
    (("    read: abstract\n", "    read: skimmed\n"), "read 'skimmed' is not one of", "read:"),
    (("    comparator: standard therapy\n", ""), "missing field 'comparator'", "- id:"),
    (("    population: adults in the acute period of a stroke\n", "    population: \"\"\n"),
     "'population' must be text", "population:"),
    (("    design: controlled\n", "    design: controlled\n    design: open-label\n"),
     "malformed YAML: duplicate key 'design' (first on line 8)", "design: open-label"),
    # risk of bias by each tool's rules
    (('        measurement: {judgement: moderate, reason: "assessors not blinded"}\n',
      '        measurement:\n          - {outcome: "Bcl-2", judgement: low, reason: "lab"}\n'
      '          - {judgement: serious, reason: "rater"}\n'), "missing field 'outcome'", 'reason: "rater"'),
    (('        measurement: {judgement: moderate, reason: "assessors not blinded"}\n',
      '        measurement:\n          - {outcome: "Bcl-2", judgement: low, reason: "lab"}\n'),
     "judge a domain per outcome only for two or more outcomes", "measurement:"),
    (('reason: "assessors not blinded"}', 'reason: "assessors not blinded", quote: ""}'),
     "quote must be one line of text", "measurement:"),
    (("      tool: ROBINS-I\n", "      tool: ROBINS-I\n      overall: {judgement: moderate, reason: \"x\"}\n"),
     "a reviewer's overall judgement must be worse than the tool's rule gives (serious)", "overall: {"),
    (("      tool: ROBINS-I\n", "      tool: awaiting classification\n"),
     "'awaiting classification' needs a reason", "tool:"),
    (("      tool: ROBINS-I\n", "      tool: ROBINS-I\n      reason: \"no comparator\"\n"),
     "a reason for the whole study is only for", "reason: \"no comparator"),
    (("    comparator: standard therapy\n", "    comparator: standard therapy\n    n_reported: 50\n"),
     "n_reported is only for a total that the report does not split", "n_reported"),
    (("    comparator: standard therapy\n", "    comparator: standard therapy\n    overlap:\n"
      "      - {with: ghost-study, reason: \"same group\"}\n"),
     "overlap: 'ghost-study' is not another study id of this file", "with: ghost"),
]


@pytest.mark.parametrize("change, message, needle", PLANTED, ids=[p[1][:40] for p in PLANTED])
def test_each_schema_rule_names_file_line_and_study(tmp_path, refs, docs, change, message, needle):
    old, new = change
    assert old in STUDY
    text = STUDY.replace(old, new, 1)
    with pytest.raises(DataError) as err:
        load(tmp_path, refs, docs, text)
    key = "" if "malformed YAML" in message else "good-study: "
    assert f"studies.yaml:{line_of(text, needle)}: {key}{message}" in str(err.value)


def test_duplicate_study_id_names_both_lines(tmp_path, refs, docs):
    text = STUDY + STUDY.split("\n", 1)[1]
    with pytest.raises(DataError, match=r"studies.yaml:\d+: good-study: duplicate study id \(first on line 2\)"):
        load(tmp_path, refs, docs, text)


def test_year_must_be_null_when_the_bib_entry_has_none(tmp_path, refs, docs):
    text = STUDY.replace("key: good2020", "key: undated-page").replace("language: ru", "language: en")
    with pytest.raises(DataError, match="year 2020 given but the bib entry undated-page has no year"):
        load(tmp_path, refs, docs, text)
    assert load(tmp_path, refs, docs, text.replace("year: 2020", "year: null")).studies["good-study"].year is None


def test_timeline_loads_sorted_and_rejects_bad_events(tmp_path, refs):
    path = tmp_path / "timeline.yaml"
    path.write_text(TIMELINE, encoding="utf-8")
    events = sitedata.load_timeline(refs, path)
    assert [(e.date, e.kind) for e in events] == [("1982", "development"), ("1996-03-28", "registration")]
    for old, new, message, needle in [
        ("kind: registration", "kind: approval", "kind 'approval' is not one of", "kind: approval"),
        ('date: "1996-03-28"', 'date: "March 1996"', "must be YYYY, YYYY-MM or YYYY-MM-DD", "date:"),
        ("sources: [good2020]\n  - date: 1982", "sources: [nokey]\n  - date: 1982", "bib key 'nokey'", "nokey"),
        ("    kind: development\n", "    kind: development\n    where: Moscow\n", "unknown field 'where'", "where:"),
    ]:
        text = TIMELINE.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
        with pytest.raises(DataError) as err:
            sitedata.load_timeline(refs, path)
        assert f"timeline.yaml:{line_of(text, needle)}: event " in str(err.value) and message in str(err.value)


def test_sequences_reject_unknown_origin_and_residue(tmp_path, refs):
    path = tmp_path / "sequences.yaml"
    good = textwrap.dedent("""\
        origins:
          acth: {label: ACTH-derived, sources: [good2020]}
        sequences:
          - id: semax
            name: Semax
            note: test
            segments:
              - {origin: acth, residues: [Met, Glu]}
            sources: [good2020]
        """)
    path.write_text(good, encoding="utf-8")
    assert sitedata.load_sequences(refs, path).sequences[0].text == "Met-Glu"
    for old, new, message in [("origin: acth,", "origin: tail,", "origin 'tail' is not one of"),
                              ("[Met, Glu]", "[Met, Xyz]", "unknown residue(s) ['Xyz']"),
                              ("[Met, Glu]", "[Met, Ac]", "Ac can only start a sequence")]:
        path.write_text(good.replace(old, new), encoding="utf-8")
        with pytest.raises(DataError, match=re.escape(message)) as err:
            sitedata.load_sequences(refs, path)
        assert "sequences.yaml:8: semax: " in str(err.value) or "sequences.yaml:7: semax: " in str(err.value)


# ------------------------------------------------------------------------------------------- derived values
arm_n = st.one_of(st.none(), st.integers(min_value=1, max_value=100_000))


@settings(max_examples=60, deadline=None)
@given(ns=st.lists(arm_n, min_size=1, max_size=6),
       judgements=st.lists(st.sampled_from(ROBINS_I.judgements), min_size=7, max_size=7))
def test_n_total_and_overall_are_derived_through_yaml(tmp_path_factory, ns, judgements):
    tmp = tmp_path_factory.mktemp("derived")
    (tmp / "refs").mkdir()
    (tmp / "refs" / "a.bib").write_text(BIB, encoding="utf-8")
    (tmp / "docs" / "indications").mkdir(parents=True)
    (tmp / "docs" / "indications" / "stroke.md").write_text("# Stroke\n", encoding="utf-8")
    record = yaml.safe_load(STUDY)
    record["studies"][0]["arms"] = [{"label": f"arm {i}", "n": n} for i, n in enumerate(ns)]
    for domain, judgement in zip(ROBINS_I.domains, judgements, strict=True):
        record["studies"][0]["rob"]["domains"][domain]["judgement"] = judgement
    path = tmp / "studies.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    study = sitedata.load_studies(sitedata.load_bibliography(tmp / "refs"), path, tmp / "docs").studies["good-study"]
    assert study.n_total == (None if None in ns else sum(ns))
    assert study.overall in judgements
    worst = ROBINS_I.judgements.index(study.overall)
    assert all(ROBINS_I.judgements.index(j) <= worst for j in judgements)


def test_rob2_and_robins_i_orders():
    assert ROB2.judgements == ("low", "some-concerns", "high")
    # ROBINS-I guidance: "no information" when nothing points to serious bias but key information is missing
    assert ROBINS_I.judgements.index("moderate") < ROBINS_I.judgements.index("no-information") \
        < ROBINS_I.judgements.index("serious")


# ------------------------------------------------------------------------------------------------ the real data
# Human studies cited on the site that are not studies of Semax, its variants or Selank (the stacking page cites
# them for the other peptide).
OTHER_PEPTIDES = {}  # now decided in references/screening.yaml


def test_every_report_of_human_data_cited_on_the_site_is_a_record_or_a_decision(project):
    """Not only bib entries typed human-*: patents and any report whose title or note speaks of patients,
    participants, volunteers or trials must be a study record or a decision in references/screening.yaml."""
    refs, _, index = project
    data = sitedata.load_studies(refs)
    assert data.studies, "references/studies.yaml has no records"
    decisions = screening.load_screening(refs)
    missing = screening.unclassified(refs, index.cited_by, data, decisions)
    assert missing == [], f"reports of human data cited on pages without a record or a screening decision: {missing}"
    for key in ("semaxint-trials-claims", "peptidesacademy-semax-neuroprotection", "patent-ru2124365-stroke",
                "zubova2024anosmia"):  # the four found missing in December 2026
        assert key in data.by_key() or key in decisions.reports


def test_coverage_check_catches_a_cited_patent_and_a_patient_report(tmp_path, refs, docs):
    bib = BIB + """
@patent{ivanov2001patent,
  title = {Method of treating stroke},
  url = {https://example.org/patent},
  language = {ru},
  studytype = {other},
  seenat = {https://example.org/patent},
}

@misc{vendor-trial-page,
  title = {Our trials},
  url = {https://example.org/trials},
  language = {en},
  studytype = {other},
  seenat = {https://example.org/trials},
  annote = {Says 303 patients were treated in military hospitals.},
}
"""
    (tmp_path / "refs" / "a.bib").write_text(bib, encoding="utf-8")
    refs = sitedata.load_bibliography(tmp_path / "refs")
    data = load(tmp_path, refs, docs, STUDY)
    cited = {"good2020", "undated-page", "ivanov2001patent", "vendor-trial-page"}
    empty = screening.load_screening(refs, tmp_path / "none.yaml")
    assert screening.unclassified(refs, cited, data, empty) == ["ivanov2001patent", "vendor-trial-page"]
    path = tmp_path / "screening.yaml"
    path.write_text("reports:\n  - {key: ivanov2001patent, decision: awaiting-classification, reason: not read}\n"
                    "  - {key: vendor-trial-page, decision: excluded, category: no data, reason: no data}\n",
                    encoding="utf-8")
    assert screening.unclassified(refs, cited, data, screening.load_screening(refs, path)) == []


@pytest.mark.parametrize("text, message", [
    ("reports:\n  - {key: ghost, decision: excluded, category: x, reason: y}\n",
     "screening.yaml:2: ghost: bib key 'ghost' is not in references/*.bib"),
    ("reports:\n  - {key: good2020, decision: maybe, reason: y}\n",
     "screening.yaml:2: good2020: decision 'maybe' is not one of"),
    ("reports:\n  - {key: good2020, decision: excluded, reason: y}\n",
     "screening.yaml:2: good2020: an exclusion needs a category"),
    ("searches:\n  - {date: '2026-12-07', source: s, language: en, query: q, results: 2, relevant: 3, new: 0}\n",
     "screening.yaml:2: searches 1: counts must satisfy new <= relevant <= results"),
    ("searches:\n  - {date: '2026-13-07', source: s, language: en, query: q, results: 2, relevant: 1, new: 0}\n",
     "screening.yaml:2: searches 1: date '2026-13-07' must be YYYY-MM-DD"),
])
def test_screening_rules_name_file_line_and_entry(tmp_path, refs, text, message):
    path = tmp_path / "screening.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        screening.load_screening(refs, path)
    assert message in str(err.value)


def test_a_selank_study_is_never_in_a_semax_panel(project):
    refs, _, _ = project
    data = sitedata.load_studies(refs)
    selank = {s.id for s in data.studies.values() if s.drug == "selank"}
    assert selank, "the dataset should hold the Selank benchmark trial"
    for tokens in (["by-indication"], ["all"], ["anxiety"], *([i] for i in sorted(data.indications))):
        try:
            panels = landscape_panels(data, tokens)
        except ValueError:
            continue
        for slug, studies in panels:
            ids = {s.id for s in studies}
            assert (slug == SELANK_PANEL) == bool(ids & selank), (tokens, slug)
            assert slug != SELANK_PANEL or ids <= selank, (tokens, slug)


def test_labels_agree_between_the_study_tables_and_the_bibliography(project):
    """A study's design reads as its bibliography badge; RoB words are each tool's own, one wording each."""
    refs, _, _ = project
    for study in sitedata.load_studies(refs).studies.values():
        kind = refs[study.key].study_type
        if kind.startswith("human-") or kind == "meta-analysis":
            assert STUDY_TYPE_OF[study.design] == kind, f"{study.id}: design {study.design}, bib {kind}"
            assert sitedata.DESIGNS[study.design] == sitedata.STUDY_TYPES[kind]
    assert sitedata.JUDGEMENT_LABELS["some-concerns"] == "Some concerns"
    assert sitedata.JUDGEMENT_LABELS["moderate"] == "Moderate"
    legend = " ".join(hook_legend())
    assert "Moderate or some concerns" not in legend and "RoB 2 some concerns; ROBINS-I moderate" in legend


def hook_legend():
    from render import studies as hook

    return hook.RISK_LEGEND.values()


def test_differential_deaths_are_judged_at_least_moderate_for_missing_data(project):
    refs, _, _ = project
    for study in sitedata.load_studies(refs).studies.values():
        deaths = [o for o in study.outcomes if o["measure"].lower().startswith("death")]
        if deaths and study.tool is ROBINS_I:
            assert study.judgement("missing-data") in ("moderate", "serious", "critical"), study.id


def test_uncontrolled_and_unreported_studies_are_not_judged_as_if_a_tool_applied(project):
    refs, _, _ = project
    for study in sitedata.load_studies(refs).studies.values():
        if study.read == "secondary" and study.tool.name == "ROBINS-I":
            # a secondary account may be judged only when a primary report is identified (kaplan1996)
            assert refs[study.key].type == "article", study.id
        if "no comparator" in " ".join(str(study.data["rob"].get("reason", ""))):
            assert study.tool.name == "not assessable"


def test_real_timeline_and_sequences_load(project):
    refs, _, _ = project
    events = sitedata.load_timeline(refs)
    assert events and all(a.when <= b.when for a, b in itertools.pairwise(events))
    sequences = sitedata.load_sequences(refs)
    assert [s.text for s in sequences.sequences] == [
        "Met-Glu-His-Phe-Arg-Trp-Gly", "Met-Glu-His-Phe-Pro-Gly-Pro", "Ac-Met-Glu-His-Phe-Pro-Gly-Pro-NH2",
        "Thr-Lys-Pro-Arg-Pro-Gly-Pro"]


def test_sequences_match_what_the_pages_state():
    # The alignment is drawn from references/sequences.yaml; the pages state the same sequences in prose.
    pages = {p: (ROOT / "docs" / p).read_text(encoding="utf-8") for p in
             ("index.md", "variants/index.md", "variants/n-acetyl-semax-amidate.md", "compare/semax-vs-selank.md")}
    text = " ".join(pages.values())
    for sequence in sitedata.load_sequences(sitedata.load_bibliography()).sequences:
        assert sequence.text in text, f"{sequence.name}: {sequence.text} is not stated on the pages"


def test_the_human_studies_bottom_line_still_holds(project):
    """docs/evidence/human-studies.md sums the data up in words: if a new record changes the picture, this fails
    and the page must be rewritten."""
    refs, _, _ = project
    studies = list(sitedata.load_studies(refs).studies.values())
    semax = [s for s in studies if s.drug != "selank"]
    assert all(s.registration in ("none found", "not searched") for s in studies), "a study now has a registration"
    assert not any(s.design == "randomised" for s in semax), "a Semax study is now randomised"
    assert [s.drug for s in studies if s.design == "randomised"] == ["selank"]
    assert {s.overall for s in semax} <= {"serious", "critical", "no-information", "n/a", "not-assessable",
                                          "awaiting-classification"}
    assert sum(s.blinding == "not reported" for s in semax) > len(semax) / 2
    pooled = max((s for s in semax if s.design == "meta-analysis"), key=lambda s: s.n_total or 0)
    assert (pooled.key, pooled.n_total, pooled.follow_up_days) == ("shmonin2018metaanalysis", 181, 21)


# --------------------------------------------------------------------------------------- prose against data
def test_prose_agrees_with_the_study_records(project):
    refs, _, _ = project
    data = sitedata.load_studies(refs)
    assert sitecheck.prose_vs_studies(ROOT / "docs", data) == []


def test_prose_check_catches_a_wrong_n_and_a_wrong_follow_up(tmp_path, refs, docs):
    data = load(tmp_path, refs, docs, STUDY)
    (docs / "indications" / "stroke.md").write_text(
        "# Stroke\n\nIn the controlled study 50 patients took part [@good2020].\n\n"
        "The Semax arm had 30 participants and the control arm 20 participants [@good2020].\n\n"
        "Here 60 patients were enrolled and follow-up lasted 6 months [@good2020].\n\n"
        "No study followed patients to day 90 [@good2020].\n", encoding="utf-8")
    problems = sitecheck.prose_vs_studies(docs, data)
    assert problems == [
        "docs/indications/stroke.md:7: good2020: prose says '60 patients', the record has n = 50",
        "docs/indications/stroke.md:7: good2020: prose says 'follow-up lasted 6 months', the record's follow-up "
        "is 21 days",
    ]


# ---------------------------------------------------------------------------------------------- rendering
def _cell_text(cell_markdown):
    import markdown
    from bs4 import BeautifulSoup

    html = markdown.markdown(f"| a |\n|---|\n| {cell_markdown} |\n", extensions=["tables", "attr_list", "abbr"])
    cells = BeautifulSoup(html, "lxml").select("tbody td")
    assert len(cells) == 1, html
    return cells[0]


@settings(max_examples=200, deadline=None)
@example("<b>bold</b> & <script>x</script>")
@example("[a link](https://example.org) and [@good2020]")
@example("*em* __strong__ `code` \\*")
@example("a | b | c")
@example("text {: .cls } more { #id }")
@example("![img](x.png)")
@given(value=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    list("|[]{}*_`\\<>&#@!:^~-=+")), min_size=1, max_size=50))
def test_data_text_stays_text_in_a_table_cell(value):
    """Whatever a data field holds, in a study table it is one cell of plain text: no tag, link, citation,
    emphasis, attribute list or extra cell."""
    from render import studies as hook

    cell = _cell_text(hook.md(value))
    assert cell.find(True) is None, f"markup from data: {cell}"
    assert cell.get_text() == " ".join(re.split(r"[ \t\n\r\f\v]+", value)).strip()  # HTML's own white space


@pytest.mark.parametrize("value, shown", [("=1+1", "'=1+1"), ("+7", "'+7"), ("-3 days", "'-3 days"),
                                          ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("30 days", "30 days"),
                                          (None, ""), (12, "12")])
def test_csv_cells_cannot_run_as_formulas(value, shown):
    import csv
    import io

    from sitedata import datapackage

    text = datapackage.to_csv([{"name": "x"}], [{"x": value}])
    assert list(csv.reader(io.StringIO(text)))[1:] == [[shown]]
