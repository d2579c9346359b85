"""Verification records of cited statements (references/checks/<page>.yaml, sitedata.checks).

A page with a record file must be complete: every cited statement has a current, supported record, and no
record is left behind by a statement that changed (unless it documents a correction). Pages without a file yet
are reported as unchecked, so pages can be checked one at a time; once every page has a file the target is 100%.
"""

import re
import textwrap

import pytest
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

import sitedata
from sitedata import checks


def _coverage_table(cov):
    lines = [f"{'page':<45} {'checked':>9}  last checked"]
    for page, c in sorted(cov.items()):
        if c.statements:
            lines.append(f"{page:<45} {len(c.current):>4}/{len(c.statements):<4}  {c.last_checked or '-'}")
    done, total = checks.site_coverage(cov)
    lines.append(f"site-wide: {done}/{total} cited statements checked ({100 * done / max(total, 1):.1f}%), "
                 f"{sum(1 for c in cov.values() if c.statements and not c.missing)} pages complete")
    return "\n".join(lines)


def test_every_page_with_records_is_completely_and_currently_checked():
    refs = sitedata.load_bibliography(ROOT / "references")
    ledger = sitedata.load_ledger(refs, ROOT / "references" / "claims.yaml", ROOT / "docs")
    stmts = checks.page_statements(ROOT / "docs", ledger)
    records = checks.load_checks(refs, ROOT / "references" / "checks")
    print("\n" + _coverage_table(checks.coverage(stmts, records)))
    assert checks.problems(stmts, records, checks.pages_with_file(ROOT / "references" / "checks")) == []


PAGE = textwrap.dedent("""\
    # Test page

    In rats, one intranasal dose raised hippocampal BDNF [@good2020]. A second sentence has no citation.

    - A list item about mice and anxiety in a maze test [@good2020; @other2021]
""")

RECORDS = textwrap.dedent("""\
    - statement: {fp1}
      text: "in rats, one intranasal dose raised hippocampal bdnf"
      verdict: supported
      checked: 2026-12-01
      sources:
        good2020: {{says: "Rats, 50 ug/kg intranasal: BDNF up", where: abstract, seen: "https://example.org/a"}}
    - statement: {fp2}
      text: "a list item about mice"
      verdict: supported
      checked: 2026-12-01
      sources:
        good2020: {{says: "Mice, maze", where: abstract, seen: "https://example.org/a"}}
        other2021: {{says: "Mice, anxiety", where: table, seen: "https://example.org/b"}}
""")
REFS = {"good2020": object(), "other2021": object()}


def planted(tmp_path, page_text, records_text):
    docs, recs = tmp_path / "docs", tmp_path / "references" / "checks"
    (docs / "mechanisms").mkdir(parents=True)
    recs.joinpath("mechanisms").mkdir(parents=True)
    (docs / "mechanisms" / "test.md").write_text(page_text, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n\nAn unchecked page with one statement here [@good2020].\n")
    stmts = checks.page_statements(docs)
    fps = [s.fingerprint for s in stmts["mechanisms/test.md"]]
    (recs / "mechanisms" / "test.yaml").write_text(records_text.format(fp1=fps[0], fp2=fps[1]), encoding="utf-8")
    return docs, recs


def test_checked_page_passes_and_unchecked_page_is_only_reported(tmp_path):
    docs, recs = planted(tmp_path, PAGE, RECORDS)
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    assert checks.problems(stmts, records) == []
    cov = checks.coverage(stmts, records)
    assert (len(cov["mechanisms/test.md"].current), len(cov["mechanisms/test.md"].missing)) == (2, 0)
    assert cov["mechanisms/test.md"].last_checked == "2026-12-01"
    assert (len(cov["index.md"].current), len(cov["index.md"].missing)) == (0, 1)  # no file: not a failure
    assert checks.site_coverage(cov) == (2, 3)


def test_edited_statement_makes_its_record_stale_and_the_test_names_the_line(tmp_path):
    docs, recs = planted(tmp_path, PAGE, RECORDS)
    page = docs / "mechanisms" / "test.md"
    old_fp = checks.page_statements(docs)["mechanisms/test.md"][0].fingerprint
    page.write_text(PAGE.replace("raised hippocampal BDNF", "strongly raised hippocampal BDNF"), encoding="utf-8")
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    new_fp = stmts["mechanisms/test.md"][0].fingerprint
    assert new_fp != old_fp
    found = checks.problems(stmts, records)
    assert f"docs/mechanisms/test.md:3: {new_fp}: no current verification record" in found
    assert any(p.endswith(f"test.yaml:1: {old_fp}: stale record: its statement is no longer on "
                          "docs/mechanisms/test.md; check the new wording with a new record, and move this one to "
                          "references/checks-history/ (python scripts/checks.py retire)") for p in found)


def test_a_superseded_record_is_stale_in_the_live_file_and_kept_in_the_history(tmp_path):
    correction = RECORDS.replace("verdict: supported\n  checked: 2026-12-01\n  sources:\n    good2020: {{says: \"Rats",
                                 "verdict: partly\n  correction: \"said 'strongly'; the source gives no size\"\n"
                                 "  checked: 2026-12-01\n  sources:\n    good2020: {{says: \"Rats", 1)
    docs, recs = planted(tmp_path, PAGE, correction)
    page = docs / "mechanisms" / "test.md"
    # The partly-supported statement is still on the page: it must be rewritten.
    found = checks.problems(checks.page_statements(docs), checks.load_checks(REFS, recs))
    assert len(found) == 1 and "its record says 'partly': the statement must be rewritten" in found[0]
    # Rewritten: the old record left in the live file is stale; moved to the history, it is the changelog's.
    page.write_text(PAGE.replace("raised hippocampal BDNF", "raised BDNF in the hippocampus"), encoding="utf-8")
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    found = checks.problems(stmts, records)
    assert found[0] == (f"docs/mechanisms/test.md:3: {stmts['mechanisms/test.md'][0].fingerprint}: "
                        "no current verification record")
    assert "stale record: its statement is no longer on docs/mechanisms/test.md" in found[1]
    live = (recs / "mechanisms" / "test.yaml").read_text("utf-8")
    first, second = live.split("- statement: ", 2)[1:]
    (recs / "mechanisms" / "test.yaml").write_text("- statement: " + second, "utf-8")
    history = tmp_path / "references" / "checks-history"
    (history / "mechanisms").mkdir(parents=True)
    (history / "mechanisms" / "test.yaml").write_text(("- statement: " + first) * 2, "utf-8")  # superseded twice
    records = checks.load_checks(REFS, recs)
    assert checks.problems(stmts, records) == [found[0]]
    past = checks.load_checks(REFS, history, history=True)
    assert [r.data["correction"] for r in checks.corrections(past)] == ["said 'strongly'; the source gives no size"] * 2
    # A live record corrected in place is listed too: the changelog shows every correction, wherever it is kept.
    assert len(checks.corrections(past, {"mechanisms/test.md": dict.fromkeys("ab", first_record(records))})) == 4


def first_record(records):
    record = next(iter(next(iter(records.values())).values()))
    record.data["correction"] = "planted"
    return record


def test_record_with_other_sources_than_the_statement_is_not_current(tmp_path):
    docs, recs = planted(tmp_path, PAGE, RECORDS)
    page = docs / "mechanisms" / "test.md"
    page.write_text(PAGE.replace("[@good2020; @other2021]", "[@good2020]"), encoding="utf-8")
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    # The words are the same, so is the fingerprint; the record no longer matches what the statement cites.
    fp = stmts["mechanisms/test.md"][1].fingerprint
    assert checks.problems(stmts, records) == [
        f"docs/mechanisms/test.md:5: {fp}: no current verification record (the record lists sources "
        "good2020, other2021 but the statement cites good2020)"]


def test_rows_of_the_generated_study_table_need_no_record():
    table = ("| Study | Design | n | Comparator | Blinding | Dose and route | Duration | Outcome | Result |\n"
             "|---|---|---|---|---|---|---|---|---|\n"
             "| Rat study [@good2020] | Animal | 10 | Saline | No | 1 mg | 1 day | BDNF | Up |\n")
    other = "| Receptor | Result |\n|---|---|\n| MC4R | Blocked [@good2020] |\n"
    rows = checks.statements(table + "\n" + other, "indications/x.md")
    assert [s.generated for s in rows] == [True, False]
    assert [s.generated for s in checks.statements(table, "mechanisms/x.md")] == [False]
    cov = checks.coverage({"indications/x.md": rows}, {})["indications/x.md"]
    assert (len(cov.statements), len(cov.skipped)) == (1, 1)


words = st.lists(st.sampled_from(["rats", "BDNF", "rose", "1.4-fold", "in", "the", "hippocampus", "*dose*"]),
                 min_size=3, max_size=12)


@given(words, st.sampled_from([" ", "  ", "\n"]))
def test_fingerprint_ignores_layout_but_not_words(ws, gap):
    text = " ".join(ws) + " [@good2020]"
    assert checks.fingerprint(text) == checks.fingerprint(gap.join(ws) + gap + "[@good2020]")
    assert checks.fingerprint(text) == checks.fingerprint(text.upper().replace("[@GOOD2020]", "[@good2020]"))
    assert checks.fingerprint(text) != checks.fingerprint("not " + text)


def test_a_record_the_second_checker_disputes_is_not_current(tmp_path):
    review = "  review: {{checked: 2026-12-02, agrees: 'no', note: 'gives mice, not rats'}}\n"
    disputed = RECORDS.replace("- statement: {fp2}", review + "- statement: {fp2}")
    docs, recs = planted(tmp_path, PAGE, disputed)
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    fp = stmts["mechanisms/test.md"][0].fingerprint
    assert records["mechanisms/test.md"][fp].data["review"]["agrees"] == "no"
    assert [p.split(": ")[:2] for p in checks.problems(stmts, records)] == [["docs/mechanisms/test.md:3", fp]]
    agreed = disputed.replace("agrees: 'no'", "agrees: 'yes'")
    fp2 = stmts["mechanisms/test.md"][1].fingerprint
    (recs / "mechanisms" / "test.yaml").write_text(agreed.format(fp1=fp, fp2=fp2), encoding="utf-8")
    assert checks.problems(stmts, checks.load_checks(REFS, recs)) == []


# ---------------------------------------------------------------------------------------------------------------
# Quotes on record: numbers, hedges and consistency (sitedata.quotes).

from sitedata import quotes  # noqa: E402

QUOTED = textwrap.dedent("""\
    - statement: {fp1}
      text: "in rats, one intranasal dose raised hippocampal bdnf"
      verdict: supported
      checked: 2026-12-01
      sources:
        good2020:
          says: "Rats, 50 ug/kg intranasal: BDNF up"
          where: abstract
          seen: "https://example.org/a"
          quote: "A single intranasal administration of Semax (50 μg/kg) increased BDNF protein 1.4-fold within 3 h."
    - statement: {fp2}
      text: "a list item about mice"
      verdict: supported
      checked: 2026-12-01
      sources:
        good2020: {{says: "Mice, maze", where: abstract, seen: "https://example.org/a",
                    quote_missing: "not found again"}}
        other2021:
          says: "Mice, anxiety"
          where: table
          seen: "https://example.org/b"
          quote: "Семакс, по-видимому, снижает тревожность у 12 мышей"
          quote_en: "Semax apparently lowers anxiety in 12 mice"
""")
QUOTED_PAGE = textwrap.dedent("""\
    # Test page

    In rats, one intranasal dose of 50 μg/kg raised hippocampal BDNF 1.4-fold at 3 hours [@good2020].

    - In 12 mice, Semax may lower anxiety in a maze test [@good2020; @other2021]
""")


def quoted_project(tmp_path, page=QUOTED_PAGE, records=QUOTED):
    docs, recs = planted(tmp_path, page, records)
    stmts = checks.page_statements(docs)
    return stmts, checks.load_checks(REFS, recs)


def number_messages(stmts, records):
    """The number problems without their `file:line: fingerprint:` prefix."""
    return [p.split(": ", 2)[2] for p in quotes.number_problems(stmts, records)]


def test_quoted_numbers_and_hedges_pass(tmp_path):
    stmts, records = quoted_project(tmp_path)
    assert quotes.number_problems(stmts, records) == []
    assert checks.not_yet_quoted(records) == []


def test_planted_wrong_number_fails_with_page_line_fingerprint(tmp_path):
    stmts, records = quoted_project(tmp_path, QUOTED_PAGE.replace("1.4-fold", "1.6-fold"))
    fp = stmts["mechanisms/test.md"][0].fingerprint
    assert quotes.number_problems(stmts, records) == [
        f"docs/mechanisms/test.md:3: {fp}: number 1.6-fold not in any quote"]


@pytest.mark.parametrize("planted_text, shown", [
    ("In 13 mice", "13"), ("In twelve mice, three of them", "three"), ("In 12 mice (40%)", "40%")])
def test_planted_number_words_and_percentages_are_checked(tmp_path, planted_text, shown):
    stmts, records = quoted_project(tmp_path, QUOTED_PAGE.replace("In 12 mice", planted_text))
    found = quotes.number_problems(stmts, records)
    assert [p.split(": ", 2)[2] for p in found] == [f"number {shown} not in any quote"]


def test_planted_dropped_hedge_fails_unless_the_record_says_why(tmp_path):
    page = QUOTED_PAGE.replace("Semax may lower", "Semax lowers")
    stmts, records = quoted_project(tmp_path, page)
    fp = stmts["mechanisms/test.md"][1].fingerprint
    assert quotes.number_problems(stmts, records) == [
        f"docs/mechanisms/test.md:5: {fp}: the quote of other2021 says 'по-видимому' but the statement carries no "
        "qualifier (add one, or give the reason in 'unhedged')"]
    reasoned = QUOTED.replace('  text: "a list item about mice"\n',
                              '  text: "a list item about mice"\n  unhedged: "the full text confirms it"\n')
    stmts, records = quoted_project(tmp_path / "b", page, reasoned)
    assert quotes.number_problems(stmts, records) == []


def test_derived_numbers_are_evaluated_from_quoted_operands(tmp_path):
    page = QUOTED_PAGE.replace("1.4-fold at 3 hours", "1.4-fold at 3 hours, 70 μg/kg in total")
    stmts, records = quoted_project(tmp_path, page)
    assert number_messages(stmts, records) == ["number 70 not in any quote"]
    derived = QUOTED.replace("  verdict: supported\n", "  verdict: supported\n  derived: ['50 + 20 = 70']\n", 1)
    stmts, records = quoted_project(tmp_path / "b", page, derived)
    assert number_messages(stmts, records) == [
        "derived '50 + 20 = 70': operand 20 not in any quote", "number 70 not in any quote"]
    derived = derived.replace("50 + 20 = 70", "50 * 1.4 = 70")
    stmts, records = quoted_project(tmp_path / "c", page, derived)
    assert quotes.number_problems(stmts, records) == []


@pytest.mark.parametrize("text, error", [
    ("18 / 0.4", "write it as"), ("__import__('os') = 1", "only numbers"), ("2 ** 10 = 1024", "only numbers"),
    ("18 / 0.4 = 46", "gives 45, not 46"), ("1 / 0 = 1", "division by zero")])
def test_derived_accepts_only_plain_arithmetic_that_holds(text, error):
    with pytest.raises(ValueError, match=error):
        quotes.parse_derived(text)


@pytest.mark.parametrize("text, expected", [
    ("50 μg/kg raised BDNF 1.4-fold in 3 h", [50, 1.4, 3]),
    ("ACTH(4-10), ACTH 4-10, MC4R, IL-10, 5-HT and 3H-Semax", []),
    ("tenfold, twice, half of them, 1,000 and 10 000 people, 44,8 %", [10, 2, 0.5, 1000, 10000, 44.8]),
    ("one of the trials, no one, in one trial", [1]),
    ("дважды, вдвое, трёх пациентов, половина", [2, 2, 3, 0.5]),
    ("published in 2006; 6-8 hours", [2006, 6, 8]),
    ("a sentence [@key2020] with a footnote[^3] and [a link](../page-2.md)", []),
])
def test_numbers_are_read_as_a_reader_reads_them(text, expected):
    assert [n.value for n in quotes.numbers(text)] == expected


def test_units_and_rounding_are_normalised():
    pool = quotes.quote_pool(["0.05 mg/kg for 2 h; 44.8% improved; 1,25 мг"])
    for stated in ("50 μg/kg", "120 min", "45%", "0.448", "1.25 mg"):
        (n,) = quotes.numbers(stated)
        assert quotes.matches(n, pool), stated
    (n,) = quotes.numbers("44.9%")
    assert not quotes.matches(n, pool)  # a statement never claims more precision than its quote


def test_schema_refuses_unknown_fields_and_a_quote_that_is_also_missing(tmp_path):
    bad = QUOTED.replace("quote_missing: \"not found again\"", "quote: \"x\", quote_missing: \"not found\"")
    with pytest.raises(sitedata.DataError, match=r"test.yaml:11: quote_missing: good2020: a source with a quote"):
        quoted_project(tmp_path, records=bad)
    with pytest.raises(sitedata.DataError, match=r"test.yaml:1: qoute: unknown field of source good2020"):
        quoted_project(tmp_path / "b", records=QUOTED.replace("      quote: \"A single", "      qoute: \"A single"))
    with pytest.raises(sitedata.DataError, match=r"test.yaml:11: quote_en: other2021: the quote is not in English"):
        untranslated = QUOTED.replace('      quote_en: "Semax apparently lowers anxiety in 12 mice"\n', "")
        quoted_project(tmp_path / "c", records=untranslated)
    with pytest.raises(sitedata.DataError, match=r"test.yaml:1: derived: '2 \*\* 3 = 8'"):
        power = QUOTED.replace("verdict: supported\n", "verdict: supported\n  derived: ['2 ** 3 = 8']\n", 1)
        quoted_project(tmp_path / "d", records=power)


def test_unchecked_record_needs_a_note_and_is_not_counted(tmp_path):
    unchecked = RECORDS.replace("verdict: supported", "verdict: unchecked", 1)
    with pytest.raises(sitedata.DataError, match="an unchecked record needs 'note:'"):
        planted(tmp_path, PAGE, unchecked) and checks.load_checks(REFS, tmp_path / "references" / "checks")
    unchecked = unchecked.replace("verdict: unchecked", "verdict: unchecked\n  note: stored page not found again", 1)
    docs, recs = planted(tmp_path / "b", PAGE, unchecked)
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    assert checks.problems(stmts, records) == []
    assert len(checks.coverage(stmts, records)["mechanisms/test.md"].current) == 1


def test_not_yet_quoted_records_are_counted():
    docs_records = {"p.md": {"a": checks.Record("p.md", "a", {"verdict": "supported"}, ROOT, 1, {"k": {"says": "x"}}),
                             "b": checks.Record("p.md", "b", {"verdict": "supported"}, ROOT, 2,
                                                {"k": {"says": "x", "quote": "y"}})}}
    assert [r.statement for r in checks.not_yet_quoted(docs_records)] == ["a"]


def test_planted_contradiction_between_pages_is_found_until_resolved(tmp_path):
    a = checks.statements("A trial in 40 patients found less pain [@good2020].\n", "a.md")
    b = checks.statements("The same trial treated 45 patients [@good2020].\n", "b.md")
    found = quotes.contradictions({"a.md": a, "b.md": b}, {})
    assert found == [f"docs/a.md:1: {a[0].fingerprint}: good2020: 'patients' 40 here, but 45 on docs/b.md:1 "
                     f"({b[0].fingerprint}); fix one, or give the reason in 'same_as_elsewhere'"]
    same = {"b.md": {b[0].fingerprint: checks.Record("b.md", b[0].fingerprint,
                                                     {"same_as_elsewhere": "45 enrolled, 40 analysed"}, ROOT, 1)}}
    assert quotes.contradictions({"a.md": a, "b.md": b}, same) == []
    agree = checks.statements("The same trial treated 40 patients and 45 controls [@good2020].\n", "b.md")
    assert quotes.contradictions({"a.md": a, "b.md": agree}, {}) == []


def test_planted_contradiction_with_the_bibliography_is_found():
    s = checks.statements("We could not find the paper itself or its volume and pages [@good2020].\n", "a.md")
    refs = {"good2020": {"volume": "19", "pages": "115"}}
    assert quotes.bibliography_contradictions({"a.md": s}, refs) == [
        f"docs/a.md:1: {s[0].fingerprint}: says of good2020 'could not find ... volume', but its bib entry gives "
        "volume = 19"]
    assert quotes.bibliography_contradictions({"a.md": s}, {"good2020": {"year": "1996"}}) == []


def test_every_quoted_statement_keeps_its_numbers_and_hedges_and_the_site_agrees_with_itself():
    refs = sitedata.load_bibliography(ROOT / "references")
    ledger = sitedata.load_ledger(refs, ROOT / "references" / "claims.yaml", ROOT / "docs")
    stmts = checks.page_statements(ROOT / "docs", ledger)
    records = checks.load_checks(refs, ROOT / "references" / "checks")
    quoted = sum(1 for recs in records.values() for r in recs.values() if checks.quoted(r))
    print(f"\n{quoted} records quoted; {len(checks.not_yet_quoted(records))} supported/partly not yet quoted")
    found = (quotes.number_problems(stmts, records, refs) + quotes.contradictions(stmts, records)
             + quotes.bibliography_contradictions(stmts, refs))
    assert found == [], "\n".join(found)


def test_quotes_are_read_generously_and_statements_strictly():
    # A scraped page glues digits to words; a statement's PMID or receptor name is no claim.
    assert quotes.quote_pool(["Mol. mass813.92 g/mol"]) >= {813.92}
    assert quotes.numbers("PMID 10358912, MC4R and a single-centre study") == []
    assert [n.value for n in quotes.numbers("Selank (Russian: Cеланк) in 12 mice")] == [12]


def test_derived_may_use_conversion_constants(tmp_path):
    page = QUOTED_PAGE.replace("1.4-fold", "1.4-fold (a 40% rise)")
    stmts, records = quoted_project(tmp_path, page)
    assert number_messages(stmts, records) == ["number 40% not in any quote"]
    derived = QUOTED.replace("  verdict: supported\n", "  verdict: supported\n  derived: ['(1.4 - 1) * 100 = 40']\n", 1)
    stmts, records = quoted_project(tmp_path / "b", page, derived)
    assert quotes.number_problems(stmts, records) == []


# ---------------------------------------------------------------------------------------------------------------
# What readers see (sitedata.checks_view): a button after every checked statement, the record as data.

from sitedata import checks_view  # noqa: E402


def test_every_recorded_statement_gets_one_button_after_its_own_citation(tmp_path):
    page = ("# T\n\nFirst claim about rats [@good2020]. Second claim about mice [@good2020].\n"
            "Third, with no record [@other2021].\n\n| A | B |\n|---|---|\n| row [@good2020] | more [@other2021] |\n")
    stmts = checks.statements(page, "x.md")
    records = {s.fingerprint: object() for s in stmts if "no record" not in s.text}
    out = checks_view.annotate(page, "x.md", records)
    buttons = re.findall(r'\[@[\w-]+\](<button[^>]*data-check="x#([0-9a-f]{10})"[^>]*></button>)?', out)
    assert [fp for _, fp in buttons] == [stmts[0].fingerprint, stmts[1].fingerprint, "", "", stmts[3].fingerprint]
    assert checks.statements(out, "x.md")[0].keys == ["good2020"]  # citations still read as before


def test_the_records_data_is_text_for_any_context():
    rec = checks.Record("x.md", "0123456789", {"verdict": "supported", "checked": "2026-12-01"}, ROOT, 1,
                        {"good2020": {"says": "s", "where": "abstract", "seen": "https://e.org/?a=1&b=<2>",
                                      "quote": "</script><img src=x onerror=alert(1)>"}})
    text = checks_view.page_data("x.md", {"0123456789": rec}, {})
    assert "<" not in text and ">" not in text and "&" not in text
    import json
    data = json.loads(text)["0123456789"]
    assert data["sources"][0]["quote"] == "</script><img src=x onerror=alert(1)>"
    assert (data["verdict"], data["checked"], data["sources"][0]["label"]) == ("supported", "2026-12-01", "good2020")
    assert checks_view.data_path("mechanisms/index.md") == "data/checks/mechanisms/index.json"


# ---------------------------------------------------------------------------------------------------------------
# Second reading: a seeded 10% sample per release, reviewed in references/checks-review/<seed>.yaml.

def test_the_current_second_reading_sample_is_fully_reviewed():
    reviews = checks.load_reviews(ROOT / "references" / "checks-review")
    current = checks.current_review(reviews)
    assert current is not None, "no second-reading sample: python scripts/checks.py sample --seed <release>"
    done, no, fixed = checks.review_summary(current)
    print(f"\nsecond reading {current.seed}: {done} of {len(current.entries)} re-read, {no} needed correction, "
          f"{fixed} fixed")
    assert checks.review_problems(current) == []


def _records(n):
    return {"p.md": {f"{i:010x}": checks.Record("p.md", f"{i:010x}", {"verdict": "supported"}, ROOT, i)
                     for i in range(n)}}


def test_the_sample_is_a_seeded_tenth_drawn_the_same_way_every_time():
    drawn, population = checks.draw_sample(_records(95), "2026.12")
    assert (len(drawn), population) == (10, 95)
    assert drawn == checks.draw_sample(_records(95), "2026.12")[0]
    assert drawn != checks.draw_sample(_records(95), "2027.03")[0]
    assert checks.seed_order("2026.12.1") > checks.seed_order("2026.12") > checks.seed_order("2026.9")


REVIEW = textwrap.dedent("""\
    seed: '2026.12'
    drawn: '2026-12-07'
    population: 15
    share: 0.1
    sample:
    - page: p.md
      statement: '0000000001'
      text: "In rats [@a]"
      reading: "The abstract gives rats, 50 ug/kg."
      agrees: 'yes'
      checked: '2026-12-07'
    - page: p.md
      statement: '0000000002'
      text: "In mice [@a]"
      reading: "It was rats."
      agrees: 'no'
      fix: "Now says rats."
      checked: '2026-12-07'
""")


def test_a_sample_with_an_unread_entry_or_an_unfixed_disagreement_fails(tmp_path):
    (tmp_path / "2026.12.yaml").write_text(REVIEW, "utf-8")
    review = checks.current_review(checks.load_reviews(tmp_path))
    assert checks.review_problems(review) == [] and checks.review_summary(review) == (2, 1, 1)
    (tmp_path / "2026.12.yaml").write_text(REVIEW.replace('  fix: "Now says rats."\n', "")
                                           .replace("agrees: 'yes'", "agrees: ''"), "utf-8")
    review = checks.current_review(checks.load_reviews(tmp_path))
    assert [p.split(": ", 2)[2][:20] for p in checks.review_problems(review)] == ["not yet reviewed (ne",
                                                                                 "the reviewer disagre"]
    assert checks.review_problems(review)[0].endswith("2026.12.yaml:6: 0000000001: not yet reviewed (needs the "
                                                      "reviewer's own reading and agrees: 'yes' or 'no')")
    (tmp_path / "2027.03.yaml").write_text(REVIEW.replace("2026.12", "2027.03").replace("population: 15",
                                                                                       "population: 30"), "utf-8")
    review = checks.current_review(checks.load_reviews(tmp_path))
    assert review.seed == "2027.03" and checks.review_problems(review)[-1].endswith("fewer than 10% of 30")
    (tmp_path / "2027.03.yaml").write_text(REVIEW.replace("agrees: 'yes'", "agrees: yes"), "utf-8")
    with pytest.raises(sitedata.DataError, match="seed: must be the file's name"):
        checks.load_reviews(tmp_path)


def test_a_claim_box_summary_gets_its_button_after_its_citations():
    class Claim:
        page, sources, summary = "x.md", ["good2020"], "Rats <b>only</b>; dose 50 ug/kg"
    fp = checks.fingerprint(Claim.summary)
    box = f"**What the evidence shows:** {sitedata.md_text(Claim.summary)} [@good2020]\n\nNext paragraph [@good2020]."
    out = checks_view.annotate_claims(box, "x.md", {fp: object()}, [Claim])
    assert out.count("check-btn") == 1
    assert f'[@good2020]<button type="button" class="check-btn" data-check="x#{fp}"' in out.split("\n")[0]
    assert checks_view.annotate_claims(box, "x.md", {}, [Claim]) == box  # no record, no button
