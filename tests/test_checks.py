"""Verification records of cited statements (references/checks/<page>.yaml, sitedata.checks).

A page with a record file must be complete: every cited statement has a current, supported record, and no
record is left behind by a statement that changed (unless it documents a correction). Pages without a file yet
are reported as unchecked, so pages can be checked one at a time; once every page has a file the target is 100%.
"""

import textwrap

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
                          "docs/mechanisms/test.md; check the new wording and replace the record") for p in found)


def test_a_record_of_a_correction_stays_as_history(tmp_path):
    correction = RECORDS.replace("verdict: supported\n  checked: 2026-12-01\n  sources:\n    good2020: {{says: \"Rats",
                                 "verdict: partly\n  correction: \"said 'strongly'; the source gives no size\"\n"
                                 "  checked: 2026-12-01\n  sources:\n    good2020: {{says: \"Rats", 1)
    docs, recs = planted(tmp_path, PAGE, correction)
    page = docs / "mechanisms" / "test.md"
    # The partly-supported statement is still on the page: it must be rewritten.
    found = checks.problems(checks.page_statements(docs), checks.load_checks(REFS, recs))
    assert len(found) == 1 and "its record says 'partly': the statement must be rewritten" in found[0]
    # Rewritten: the old record is history (no failure), the new wording needs its own record.
    page.write_text(PAGE.replace("raised hippocampal BDNF", "raised BDNF in the hippocampus"), encoding="utf-8")
    stmts, records = checks.page_statements(docs), checks.load_checks(REFS, recs)
    found = checks.problems(stmts, records)
    assert found == [f"docs/mechanisms/test.md:3: {stmts['mechanisms/test.md'][0].fingerprint}: "
                     "no current verification record"]
    assert [r.data["correction"] for r in checks.corrections(records)] == ["said 'strongly'; the source gives no size"]


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
