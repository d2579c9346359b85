"""The shortcuts that keep citation processing within its benchmark budget (scripts/benchmark.py, issue 25) give
exactly what the plain ways gave: the same control characters dropped, the same lines for citations and
statements."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

import sitedata
from sitedata import base, checks
from sitedata.base import _CONTROL_RE

PAGE = "\n".join([
    "---", "description: x", "---", "# Title", "",
    "A statement [@a2020]. Another one [@b2021; @c2022].", "",
    "```", "[@code2020] in a fence is no citation", "```", "",
    "- an item [@d2019]", "- `[@inline2020]` is code, [@e2018] is not", "",
    "| Study | n |", "|---|---|", "| One [@f2017] | 3 |", "| Two [@a2020] | 4 |", "",
    "Last paragraph,", "over two lines [@g2016].", "",
    "A citation that starts its line,", "[@h2015] after a break.", "",
])


def test_control_character_pattern_is_unicode_category_cc():
    assert {chr(i) for i in range(0x110000) if _CONTROL_RE.fullmatch(chr(i))} == \
        {chr(i) for i in range(0x110000) if unicodedata.category(chr(i)) == "Cc"}


def test_citation_lines_are_those_counted_from_the_top():
    found = [(u.key, u.line) for u in sitedata.find_citations(PAGE)]
    expected = []
    for number, line in enumerate(PAGE.split("\n"), 1):
        for key in ("a2020", "b2021", "c2022", "d2019", "e2018", "f2017", "g2016", "h2015"):
            if f"@{key}" in line:
                expected.append((key, number))
    assert found == expected
    assert sitedata.check_citations(PAGE, dict.fromkeys(k for k, _ in expected), "page.md") == \
        sitedata.find_citations(PAGE)


def test_statement_lines_are_those_counted_from_the_top():
    lines = PAGE.split("\n")
    for statement in checks.statements(PAGE, "page.md"):
        cited = statement.text[statement.text.rfind("[@"):]
        assert cited in lines[statement.line - 1], (statement.line, statement.text)
    assert [s.line for s in checks.statements(PAGE, "page.md")] == [6, 12, 13, 17, 18, 21, 24]


# Text that mask_code returns at once: no backtick, no ~~~ (Markdown's two ways to write code), anything else.
NO_CODE = st.text(st.characters(blacklist_characters="`"), max_size=300).filter(lambda t: "~~~" not in t)


@given(NO_CODE)
def test_text_without_code_is_what_the_full_masking_returns(text):
    assert base.mask_code(text) == base._mask_code(text) == text


def test_code_is_still_masked():
    assert base.mask_code("see `[@a2020]` here") == "see `        ` here"
    assert base.mask_code("~~~\n[@b2021]\n~~~\n") == "~~~\n        \n~~~\n"  # a fence, and no backtick


def test_pages_are_listed_in_path_order():
    assert base.page_sources(base.DOCS_DIR) == sorted(base.DOCS_DIR.rglob("*.md"))
