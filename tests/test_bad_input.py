"""Every careless or hostile input gets `file:line: key: message`: no traceback, no silent loss.

Each case plants one fault in a copy of the fixture's bibliography, ledger or page and asserts the exact message
of the loader (fast: no build); the last tests build the fixture project to show that the hooks stop the build
with that message and no traceback, and that inputs which must be accepted are accepted.
"""

import pytest
import yaml
from conftest import ROOT
from test_planted_errors import CLAIM, GOOD_BIB, PAGES, assert_fails_with, build, dump_yaml, make_project

import sitedata
from sitedata import DataError, checks
from sitedata.frontmatter import read_front_matter

REAL = yaml.safe_load((ROOT / "references" / "claims.yaml").read_text(encoding="utf-8"))
BASE = {"verdicts": REAL["verdicts"], "grades": REAL["grades"], "claims": [CLAIM]}
GOOD_LEDGER = dump_yaml(BASE)
CLAIM_LINE = GOOD_LEDGER.splitlines().index("- id: c01") + 1  # where the fixture's claim starts
SUMMARY_LINE = GOOD_LEDGER.splitlines().index("  summary: A test summary.") + 1


def bib_error(tmp_path, text=None, data=None):
    """The loader's message for a .bib file, with the temporary folder left out of the path."""
    folder = tmp_path / "references"
    folder.mkdir(exist_ok=True)
    (folder / "refs.bib").write_bytes(data if data is not None else text.encode("utf-8"))
    with pytest.raises(DataError) as err:
        sitedata.load_bibliography(folder)
    return str(err.value).replace(f"{tmp_path}/", "")


def load_bib(tmp_path, text):
    folder = tmp_path / "references"
    folder.mkdir(exist_ok=True)
    (folder / "refs.bib").write_text(text, encoding="utf-8")
    return sitedata.load_bibliography(folder)


def ledger_error(tmp_path, text=None, data=None):
    refs = load_bib(tmp_path, GOOD_BIB)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    path = tmp_path / "references" / "claims.yaml"
    path.write_bytes(data if data is not None else text.encode("utf-8"))
    with pytest.raises(DataError) as err:
        sitedata.load_ledger(refs, path, tmp_path / "docs")
    return str(err.value).replace(f"{tmp_path}/", "")


def ledger_with(**changes):
    return dump_yaml({**BASE, "claims": [{**CLAIM, **changes}]})


# ------------------------------------------------------------------------------------------------ the ledger
LEDGER_CASES = {
    "non-UTF-8 bytes": (GOOD_LEDGER.encode().replace(b"A test summary", b"A t\xffst summary"),
                        f"{SUMMARY_LINE}: not UTF-8: byte 0xff at column 15 (save the file as UTF-8)"),
    "empty file": ("", "1: the ledger is empty: it needs the sections verdicts, grades and claims"),
    "comments only": ("# to do\n", "1: the ledger is empty: it needs the sections verdicts, grades and claims"),
    "top level a list": (dump_yaml([BASE]), "1: the ledger must be a mapping with the sections verdicts, grades "
                                            "and claims (not a list or a single value)"),
    "claims as a mapping": (dump_yaml({**BASE, "claims": {"c01": CLAIM}}),
                            f"{CLAIM_LINE - 1}: claims: must be a list of claims, each starting with '- id:'"),
    "a claim that is not a mapping": (dump_yaml({**BASE, "claims": ["c01"]}),
                                      f"{CLAIM_LINE}: claim: each claim must be a mapping starting with 'id:'"),
    "unknown section letter": (ledger_with(id="z01"),
                               f"{CLAIM_LINE}: z01: unknown section letter 'z' in the claim id (one of: c identity, "
                               "m mechanism, k clinical, s selank, v variants, p protocols, t stacking, x safety)"),
    "independence as a list": (ledger_with(independence=["no", "yes"]),
                               f"{CLAIM_LINE}: c01: independence must be a mapping of developer_linked, "
                               "russian_only, registered_trial, independent_replication"),
    "verdict without label": (dump_yaml({**BASE, "verdicts": {**BASE["verdicts"], "supported": {"meaning": "x"}}}),
                              "2: verdicts.supported: missing 'label' (text)"),
    "grade without meaning": (dump_yaml({**BASE, "grades": {**BASE["grades"], "D": {"label": "x", "symbol": "y"}}}),
                              f"{GOOD_LEDGER.splitlines().index('  D:') + 1}: grades.D: missing 'meaning' (text)"),
    "verdict name that is not a name": (
        dump_yaml({**BASE, "verdicts": {'x" onclick="y': {"label": "x", "meaning": "y"}}}),
        "2: verdicts.x\" onclick=\"y: name must look like partly-supported"),
    "impossible unquoted date": (GOOD_LEDGER.replace("reviewed: '2026-11-25'", "reviewed: 2026-13-45"),
                                 f"{CLAIM_LINE}: c01: reviewed date '2026-13-45' is not a real date"),
    "impossible quoted date": (ledger_with(reviewed="2026-02-30"),
                               f"{CLAIM_LINE}: c01: reviewed date '2026-02-30' is not a real date"),
    "impossible history date": (
        ledger_with(history=[{"date": "2026-13-45", "verdict": "supported", "grade": "D"}]).replace("'2026-13-45'",
                                                                                                    "2026-13-45"),
        f"{CLAIM_LINE}: c01: each history entry needs a real YYYY-MM-DD date, a known verdict and a known grade"),
    "sources as a string": (GOOD_LEDGER.replace("  sources:\n  - good2020\n", "  sources: good2020\n"),
                            f"{CLAIM_LINE + 6}: c01: 'sources' must be a list, not text"),
    "summary that is not text": (ledger_with(summary=["a", "b"]), f"{CLAIM_LINE + 5}: c01: 'summary' must be text, "
                                                                  "not list (quote text in YAML)"),
    "page outside docs": (ledger_with(page="../references/claims.yaml"),
                          f"{CLAIM_LINE}: c01: page '../references/claims.yaml' does not exist under docs/"),
    "alias bomb": (GOOD_LEDGER.replace(
        "  summary: A test summary.\n",
        "  summary: A test summary.\n  bomb:\n    a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"),
        f"{SUMMARY_LINE + 2}: malformed YAML: anchors (&a) are not allowed: write the value out"),
    "alias": (GOOD_LEDGER + "again: *x\n",
              f"{len(GOOD_LEDGER.splitlines()) + 1}: malformed YAML: aliases (*x) are not allowed: write the value "
              "out"),
    "key given twice": (GOOD_LEDGER.replace("  summary: A test summary.\n", "  summary: A test summary.\n"
                                            "  summary: A second one.\n"),
                        f"{SUMMARY_LINE + 1}: malformed YAML: duplicate key 'summary' (first on line {SUMMARY_LINE})"),
    "unclosed quote": (GOOD_LEDGER.replace("summary: A test summary.", 'summary: "A test summary.'),
                       f"{SUMMARY_LINE}: malformed YAML: a quoted value starts here and its quote is never closed "
                       "(while scanning a quoted scalar, found unexpected end of stream)"),
    "nesting too deep": ("x: " + "[" * 200 + "]" * 200 + "\n",
                         "1: malformed YAML: nested more than 50 levels deep"),
}


@pytest.mark.parametrize("case", list(LEDGER_CASES))
def test_bad_ledger_gets_file_line_key_message(tmp_path, case):
    planted, message = LEDGER_CASES[case]
    if isinstance(planted, bytes):
        assert ledger_error(tmp_path, data=planted) == f"references/claims.yaml:{message}"
    else:
        assert ledger_error(tmp_path, planted) == f"references/claims.yaml:{message}"


# ------------------------------------------------------------------------------------------ the bibliography
NEXT = GOOD_BIB.replace("good2020", "next2021")
BIB_CASES = {
    "non-UTF-8 bytes": (GOOD_BIB.encode().replace(b"well-formed", b"well-f\xe9rmed"),
                        "3: not UTF-8: byte 0xe9 at column 20 (save the file as UTF-8)"),
    "stray brace drops the fields after it": (
        GOOD_BIB.replace("  seenat = {https://pubmed.ncbi.nlm.nih.gov/12345678/},",
                         "  seenat = {https://pubmed.ncbi.nlm.nih.gov/12345678/}},\n  unverified = {pages},\n"
                         "  annote = {Note.},"),
        "11: good2020: text after the end of the entry, which a '}' on line 11 closed: ', unverified = {pages}, "
        "annote = {Note.}, }' would be lost (a stray '}'? outside entries only blank lines and % comments are "
        "allowed)"),
    "text before the first entry": ("stray text\n" + GOOD_BIB, "1: text before the first entry: 'stray text' "
                                    "(outside entries only blank lines and % comments are allowed)"),
    "typo in the entry type": (GOOD_BIB.replace("@article", "@artcle"),
                               "1: good2020: unknown entry type '@artcle' (one of: article, book, inbook, "
                               "incollection, inproceedings, misc, online, patent, phdthesis, mastersthesis, "
                               "techreport, manual, report, unpublished)"),
    "unbalanced brace": (GOOD_BIB.replace("{A well-formed test entry}", "{A well-formed {test entry}") + "\n" + NEXT,
                         "1: good2020: unbalanced braces: 1 '{' never closed before the next entry (line 14)"),
    "unbalanced brace in the last entry": (
        GOOD_BIB + "\n" + NEXT.replace("{A well-formed test entry}", "{A well-formed {test entry}"),
        "14: next2021: unbalanced braces: 1 '{' never closed before the end of the file"),
    "key with a space": (GOOD_BIB.replace("good2020", "good 2020"),
                         "1: good 2020: the key contains a space: keys are lowercase letters, digits and hyphens, "
                         "e.g. dolotov2006bdnf"),
    "keys differing only in case": (GOOD_BIB + "\n" + GOOD_BIB.replace("good2020", "Good2020"),
                                    "14: Good2020: duplicate key (first defined on line 1 as 'good2020'; keys may "
                                    "not differ only in case)"),
    "field given twice": (GOOD_BIB.replace("  year = {2020},", "  year = {2020},\n  year = {2021},"),
                          "1: good2020: malformed BibTeX: entry with key good2020 has a duplicate year field"),
    "LaTeX that cannot be text": (GOOD_BIB.replace("A well-formed test entry", r"A \foo{x} entry"),
                                  "1: good2020: field 'title': LaTeX command '\\foo' cannot be shown as text: write "
                                  "the character itself (UTF-8) or plain words"),
    "URL with markup": (GOOD_BIB.replace("url = {https://pubmed.ncbi.nlm.nih.gov/12345678/}",
                                         'url = {https://example.org/a"b<c>}'),
                        "1: good2020: not a well-formed URL: 'https://example.org/a\"b<c>' (percent-encode spaces, "
                        "quotes, <, >, braces and non-ASCII characters)"),
    "javascript URL": (GOOD_BIB.replace("url = {https://pubmed.ncbi.nlm.nih.gov/12345678/}",
                                        "url = {javascript:alert(1)//x.y}"),
                       "1: good2020: not a well-formed URL: 'javascript:alert(1)//x.y'"),
    # Hostile contributions, round two: macros, fields that vanish or overwrite the export, sizes, digits.
    "@string macro": ("@string{a = {x}}\n\n" + GOOD_BIB,
                      "1: @string: @string is not allowed: write the value out in each field"),
    "@preamble": (GOOD_BIB + "\n@preamble{{x}}\n", "14: @preamble: @preamble is not allowed: write the value out "
                                                    "in each field"),
    "misspelt doi": (GOOD_BIB.replace("  doi =", "  dio ="),
                     "1: good2020: field 'dio': unknown field: did you mean 'doi'?"),
    "misspelt pmid": (GOOD_BIB.replace("  pmid =", "  pmdi ="),
                      "1: good2020: field 'pmdi': unknown field: did you mean 'pmid'?"),
    "field named like the export's authors": (GOOD_BIB.replace("  author =", "  authors ="),
                                              "1: good2020: field 'authors': unknown field: did you mean 'author'?"),
    "field named like the export's type": (GOOD_BIB.replace("  year = {2020},", "  year = {2020},\n  type = {x},"),
                                           "1: good2020: field 'type': unknown field: did you mean 'studytype'?"),
    "5 MB title": (GOOD_BIB.replace("A well-formed test entry", "x" * 5_000_000),
                   "1: good2020: field 'title': 5,000,000 characters: at most 1,000"),
    "4,300-digit year": (GOOD_BIB.replace("{2020}", "{" + "9" * 4300 + "}"),
                         "1: good2020: field 'year': 4,300 characters: at most 500"),
    "year in the future": (GOOD_BIB.replace("{2020}", "{2999}"),
                           "1: good2020: year 2999 is not between 1800 and next year"),
    "PMID in Arabic-Indic digits": (GOOD_BIB.replace("{12345678}", "{١٢٣٤٥٦٧٨}"),
                                    "1: good2020: pmid '١٢٣٤٥٦٧٨' must be digits only"),
    "braces nested deep": (GOOD_BIB.replace("A well-formed test entry", "{" * 9 + "x" + "}" * 9),
                           "1: good2020: field 'title': braces nested more than 8 deep"),
    "bidi override": (GOOD_BIB.replace("A well-formed", "A \u202ewell-formed"),
                      "3: bidirectional control character U+202E at column 14 is not allowed (delete it)"),
    "NUL": (GOOD_BIB.replace("A well-formed", "A \x00well-formed"),
            "3: NUL character U+0000 at column 14 is not allowed (delete it)"),
    "500 authors": (GOOD_BIB.replace("Ivanov, I. I. and Petrov, P. P.", " and ".join(["Ivanov, I. I."] * 500)),
                    "1: good2020: field 'author': 6,500 characters: at most 5,000"),
}


def test_string_macros_never_expand(tmp_path):
    """The 500-byte file that aimed at 10^10 characters: refused at its first @string, before any expansion."""
    bomb = "".join(f"@string{{m{i} = m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1} # m{i - 1}}}\n" for i in range(1, 15))
    message = bib_error(tmp_path, "@string{m0 = {xxxxxxxxxx}}\n" + bomb + GOOD_BIB.replace("{A well-formed test "
                                                                                          "entry}", "m14"))
    assert message == "references/refs.bib:1: @string: @string is not allowed: write the value out in each field"


@pytest.mark.parametrize("case", list(BIB_CASES))
def test_bad_bib_gets_file_line_key_message(tmp_path, case):
    planted, message = BIB_CASES[case]
    if isinstance(planted, bytes):
        assert bib_error(tmp_path, data=planted) == f"references/refs.bib:{message}"
    else:
        assert bib_error(tmp_path, planted) == f"references/refs.bib:{message}"


def test_latex_is_decoded_to_unicode(tmp_path):
    bib = GOOD_BIB.replace("Ivanov, I. I.", r'M{\"u}ller, J{\"o}rg').replace(
        "A well-formed test entry", r"\textit{In vitro} {\"u}ber {BDNF}: 54--60, 5\% and 1% \{x\} {\o}")
    ref = load_bib(tmp_path, bib)["good2020"]
    assert ref.display_title == "In vitro über BDNF: 54–60, 5% and 1% {x} ø"
    assert ref.authors == ["Müller, Jörg", "Petrov, P. P."]


def test_comment_entries_and_comments_are_not_entries(tmp_path):
    bib = "% a note\n@comment{good2020, an old note about good2020}\n@comment(another)\n\n" + GOOD_BIB
    assert list(load_bib(tmp_path, bib)) == ["good2020"]


def test_byte_order_mark_is_accepted(tmp_path):
    folder = tmp_path / "references"
    folder.mkdir()
    (folder / "refs.bib").write_bytes(b"\xef\xbb\xbf" + GOOD_BIB.encode("utf-8"))
    assert list(sitedata.load_bibliography(folder)) == ["good2020"]


def test_the_real_bibliography_passes_every_check():
    assert len(sitedata.load_bibliography()) >= 145


# -------------------------------------------------------------------------------------------------- pages
def test_citation_shown_as_code_is_not_a_citation():
    page = ("Cite with `[@key]`, several with ``[@a; @b]``.\n\n```markdown\nA sentence [@nokey1999].\n```\n\n"
            "~~~\n[@other]\n~~~\n\nA real one [@good2020].\n")
    assert [(u.key, u.line) for u in sitedata.find_citations(page)] == [("good2020", 11)]
    sitedata.check_citations(page, {"good2020": None}, "page.md")  # no unknown key
    assert [s.keys for s in checks.statements(page)] == [["good2020"]]


def test_page_with_bytes_that_are_not_utf8_fails_build(tmp_path):
    project = make_project(tmp_path)
    (project / "docs" / "other.md").write_bytes(PAGES["other.md"].encode() + b"\nCaf\xe9 [@good2020].\n")
    assert_fails_with(project, "docs/other.md:7: not UTF-8: byte 0xe9 at column 4 (save the file as UTF-8)")


def test_alias_bomb_in_the_ledger_fails_build_at_once(tmp_path):
    project = make_project(tmp_path)
    ledger = project / "references" / "claims.yaml"
    text = ledger.read_text(encoding="utf-8")
    bomb = "".join(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 12))
    ledger.write_text(text.replace("- id: c01\n", "- id: c01\n  l0: &l0 [lol]\n" + bomb), encoding="utf-8")
    line = text.splitlines().index("- id: c01") + 2
    assert_fails_with(project, f"references/claims.yaml:{line}: malformed YAML: anchors (&l0) are not allowed")


def test_code_citations_stay_code_in_the_built_page(tmp_path):
    page = PAGES["other.md"] + "\nWrite `[@nokey1999]` to cite a key, as in this study [@good2020].\n"
    project = make_project(tmp_path, {"other.md": page})
    code, output = build(project)
    assert code == 0, output
    html = (project / "site" / "other" / "index.html").read_text(encoding="utf-8")
    assert "<code>[@nokey1999]</code>" in html


# ------------------------------------------------------------------------------------------- page front matter
FRONT_MATTER_CASES = {
    "malformed YAML": ("title: [unclosed\n", "3: malformed YAML: while parsing a flow sequence, did not find "
                                              "expected ',' or ']'"),
    "never closed": None,
    "alias": ("a: &x 1\ntitle: *x\n", "2: malformed YAML: anchors (&x) are not allowed: write the value out"),
    "merge key": ("search:\n  <<: {boost: 2}\n", "3: malformed YAML: merge keys (<<) are not allowed: write the "
                                                  "keys out"),
    "description as a list": ("description: [a, b]\n", "2: description: must be text, not list (quote text in "
                                                        "YAML)"),
    "nested thousands deep": ("title: " + "[" * 5000 + "]" * 5000 + "\n",
                              "2: malformed YAML: nested more than 50 levels deep"),
    "misspelt key": ("description: ok\ntitel: x\n", "3: titel: unknown key 'titel': did you mean 'title'? "
                                                    "(allowed: title, description, tags, hide, search)"),
    "5 MB title": ("title: " + "x" * 5_000_000 + "\n", "2: title: 5,000,000 characters: at most 300"),
    "a list, not a mapping": ("- title\n", "2: front matter: must be a mapping of keys (title:, description:, "
                                           "search:...)"),
    "a tag that is a mapping": ("tags: [{a: b}]\n", "2: tags.0: must be text, not mapping (quote text in YAML)"),
    "NUL in the description": ("description: a\x00b\n", "2: NUL character U+0000 at column 15 is not allowed "
                                                         "(delete it)"),
}


@pytest.mark.parametrize("case", [c for c in FRONT_MATTER_CASES if FRONT_MATTER_CASES[c]])
def test_bad_front_matter_gets_file_line_key_message(tmp_path, case):
    front, message = FRONT_MATTER_CASES[case]
    page = tmp_path / "page.md"
    page.write_text(f"---\n{front}---\n# Page\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_front_matter(page, sitedata.read_text(page))
    assert str(err.value) == f"{page}:{message}"


def test_front_matter_never_closed_is_refused(tmp_path):
    with pytest.raises(DataError, match="page.md:1: front matter: opened with --- but never closed"):
        read_front_matter(tmp_path / "page.md", "---\ndescription: x\n# Page\n\nText.\n")


@pytest.mark.parametrize("front, message", [
    ("description: [a, b]\n", "docs/other.md:2: description: must be text, not list"),
    ("description: 'unclosed\n", "docs/other.md:2: malformed YAML: a quoted value starts here"),
], ids=["description-list", "invalid-yaml"])
def test_bad_front_matter_fails_the_build(tmp_path, front, message):
    project = make_project(tmp_path, {"other.md": f"---\n{front}---\n" + PAGES["other.md"]})
    assert_fails_with(project, message)


# ------------------------------------------------------------------------------------------ pages past limits
@pytest.mark.parametrize("line, message", [
    ("[" * 100_000, "line of 100,000 characters: at most 10,000"),
    ("[x] " * 101, "101 '[' on one line: at most 100"),
    ("See [" + " " * 2000 + "@good2020].", "text in [ ] of 2,009 characters from column 5: at most 1,000"),
], ids=["100000-brackets", "101-brackets", "long-block"])
def test_page_past_the_scanning_limits_is_refused(line, message):
    with pytest.raises(DataError) as err:
        sitedata.check_citations(f"# Page\n\n{line}\n", {"good2020": None}, "docs/page.md")
    assert str(err.value) == f"docs/page.md:3: {message}"


def test_a_line_of_brackets_fails_the_build_at_once(tmp_path):
    import time

    project = make_project(tmp_path, {"other.md": PAGES["other.md"] + "\n" + "[" * 100_000 + "\n"})
    start = time.perf_counter()
    assert_fails_with(project, "docs/other.md:7: line of 100,000 characters: at most 10,000")
    assert time.perf_counter() - start < 120


# ------------------------------------------------------------------------------- shapes: one schema per file
# Each planted value once ended in a traceback (a list where one value belongs, a quoted year...); each file's
# schema (sitedata.schemas) now names file, line, record and field. Planted in a copy of the real file; the line
# named is the planted one's, found in the copy (the real files grow, so a fixed number would go stale).
def _planted(name, old, new):
    text = (ROOT / "references" / name).read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


SHAPE_CASES = {
    "a study's drug as a list": ("studies.yaml", "    drug: semax\n", "    drug: [semax, selank]\n",
                                 "shmonin2018-stroke-meta: 'drug' must be text, not list (quote text in YAML)"),
    "a quoted year": ("studies.yaml", "    year: 2018\n", "    year: '2018'\n",
                      "shmonin2018-stroke-meta: 'year' must be a whole number or empty (null), not text"),
    "a 4,300-digit n": ("studies.yaml", "    year: 2018\n", "    year: " + "9" * 4300 + "\n",
                        "shmonin2018-stroke-meta: 'year' a number is above the limit 2,100"),
    "a timeline source as a list": ("timeline.yaml", "    sources: [semaxint-history-1996]\n",
                                    "    sources: [[semaxint-history-1996]]\n",
                                    "event 1: 'sources.0' must be text, not list (quote text in YAML)"),
    "a timeline date of month 13": ("timeline.yaml", 'date: "1990"', 'date: "1990-13"',
                                    "event 2: 'date' must be YYYY, YYYY-MM or YYYY-MM-DD, with a real month "
                                    "and day"),
    "sequences as text": ("sequences.yaml", "sequences:\n", "sequences: none\nx:\n",
                          "sequences: must be a list or empty (null), not text"),
    "sequence origins as a list": ("sequences.yaml", "  acth: {label:", "  acth: [x]\n  acth2: {label:",
                                   "origins.acth: must be a mapping, not list"),
    "a history verdict as a list": ("claims.yaml", "verdict: supported, grade: R, note:",
                                    "verdict: [supported], grade: R, note:",
                                    "c01: 'history.0.verdict' must be text, not list (quote text in YAML)"),
    "a grade override's grade as a list": ("claims.yaml", "grade_override: {grade: D,", "grade_override: {grade: [D],",
                                           "c11: 'grade_override.grade' must be text, not "
                                           "list (quote text in YAML)"),
}


@pytest.mark.parametrize("case", list(SHAPE_CASES))
def test_wrong_shape_gets_file_line_key_message(tmp_path, case):
    name, old, new, message = SHAPE_CASES[case]
    path = tmp_path / name
    planted = _planted(name, old, new)
    path.write_text(planted, encoding="utf-8")
    line = planted.count("\n", 0, planted.index(new)) + 1
    refs = sitedata.load_bibliography()
    loader = {"studies.yaml": lambda: sitedata.load_studies(refs, path),
              "timeline.yaml": lambda: sitedata.load_timeline(refs, path),
              "sequences.yaml": lambda: sitedata.load_sequences(refs, path),
              "claims.yaml": lambda: sitedata.load_ledger(refs, path)}[name]
    with pytest.raises(DataError) as err:
        loader()
    assert str(err.value).replace(f"{tmp_path}/", "") == f"{name}:{line}: {message}"


@pytest.mark.parametrize("old, new, message", [
    ("      where: abstract\n", "      where: [abstract]\n", "'sources.", ),
    ("  checked: '2026-12-01'\n", "  checked: '2026-13-01'\n", "'checked' must be a real YYYY-MM-DD date, not after "
                                                               "today"),
    ("  checked: '2026-12-01'\n", "  checked: '2999-12-01'\n", "'checked' must be a real YYYY-MM-DD date, not after "
                                                               "today"),
], ids=["where-as-a-list", "month-13", "in-the-future"])
def test_bad_verification_record_gets_file_line_key_message(tmp_path, old, new, message):
    source = ROOT / "references" / "checks" / "indications" / "acute-ischemic-stroke.yaml"
    text = source.read_text(encoding="utf-8")
    folder = tmp_path / "checks" / "indications"
    folder.mkdir(parents=True)
    (folder / source.name).write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        checks.load_checks(sitedata.load_bibliography(), tmp_path / "checks")
    assert message in str(err.value) and ".yaml:" in str(err.value)


def test_review_date_in_the_future_is_refused(tmp_path):
    assert ledger_error(tmp_path, ledger_with(reviewed="2999-01-01")) == (
        f"references/claims.yaml:{CLAIM_LINE}: c01: reviewed date '2999-01-01' is in the future")


def test_missing_snippet_fails_the_build_with_page_and_line(tmp_path):
    page = "---\ndescription: x\n---\n" + PAGES["other.md"] + '\n--8<-- "missing.md"\n'
    project = make_project(tmp_path, {"other.md": page})
    assert_fails_with(project, "docs/other.md:10: --8<--: no file 'missing.md' under includes/ to include")


@pytest.mark.parametrize("field, value, message", [
    ("id", "c01\n", "claim id 'c01\\n' must look like m03"),
    ("id", "c٠1", "claim id 'c٠1' must look like m03"),
], ids=["trailing-newline", "arabic-indic-digit"])
def test_identifier_patterns_take_no_trailing_newline_nor_other_digits(tmp_path, field, value, message):
    assert message in ledger_error(tmp_path, ledger_with(**{field: value}))


@pytest.mark.parametrize("line", ['--8<-- "' + "x" * 5000 + '"', '--8<-- "../mkdocs.yml"',
                                  "--8<--\nnothere.md\n--8<--"], ids=["name-too-long", "outside-includes", "block"])
def test_snippet_that_cannot_be_included_is_page_line(line):
    from sitedata.pages import check_snippets

    with pytest.raises(DataError, match=r"^docs/p\.md:3: --8<--: no file .* under includes/ to include$"):
        check_snippets(f"# P\n\n{line}\n" if "\n" not in line else f"# P\n{line}\n", "docs/p.md",
                       ROOT / "includes")
