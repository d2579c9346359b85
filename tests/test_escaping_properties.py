"""Property-based tests (Hypothesis) of the one escaping rule: any text in any bib or ledger field reads, once
rendered, exactly as it was typed.

Arbitrary text, rich in what breaks pages (< & quotes braces <!-- backticks pipes markers, Cyrillic), goes
through the pure rendering functions of the hooks; their Markdown is converted with the extensions of
mkdocs.yml and parsed as a browser would, and the text a reader sees must equal the input (white space
collapsed, as HTML shows it). No site is built per example, so the examples stay fast and bounded.
"""

import csv
import io
import json
import re
import time
import unicodedata

import markdown
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string
from test_planted_errors import EnvTagLoader

import sitedata
from sitedata import SITE, Claim, Ledger, Reference, SiteIndex

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FIELDS = settings(SETTINGS, max_examples=100)  # several fields and a whole rendering per example: bounded time

# Pieces that have broken pages or could: HTML, comments, Markdown and our own markers, entities, Cyrillic.
TOKENS = ["<", ">", "&", '"', "'", "{", "}", "<!--", "-->", "</script>", "<script>", "<img src=x onerror=alert(1)>",
          "[", "]", "(", ")", "[x](javascript:alert(1))", "*", "**", "_", "`", "``", "\\", "|", ":", ":claim: c01",
          ":bibliography:", "[@good2020]", "[^1]", "#", "1.", "- ", "+ ", "> ", "!!! note", "===", "~~~", "{: .x}",
          "{ onclick=alert(1) }", "&amp;", "&#42;", "&lt;", "--8<-- \"abbreviations.md\"", "@", "=", "%", "$",
          "Семакс", "BDNF", "ACTH(4-10)", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "é", "ü"]
TEXT = st.lists(st.one_of(st.sampled_from(TOKENS),
                          st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn")), max_size=8)),
                max_size=12).map("".join)
VISIBLE = TEXT.filter(lambda s: reader(s) != "")


def reader(text):
    """What a reader sees of a data field in HTML: runs of ASCII white space are one space, control characters
    and the space around the field none."""
    text = "".join(c for c in text if unicodedata.category(c) != "Cc" or c in "\t\n\r\f")
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


def _markdown():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=EnvTagLoader)
    names, configs = [], {}
    for ext in config["markdown_extensions"]:
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, {})
        if name == "pymdownx.snippets":
            # Snippets read from the repository, so a `--8<--` line in data would include a file; the glossary
            # that every page appends only wraps known words in <abbr> (same text) and makes rendering 10x slower.
            options = {**options, "base_path": [str(ROOT / "includes")], "auto_append": []}
        names.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = _markdown()


def render(source):
    """The HTML of a Markdown source, as a browser would parse it."""
    MD.reset()
    return BeautifulSoup(MD.convert(source), "lxml")


def seen(tag):
    return reader(tag.get_text())


# ------------------------------------------------------------------------------------------ the rule itself
CONTEXTS = {
    "paragraph": ("Before {} after.", "p"),
    "line start": ("{}", "p"),
    "markdown div": ('<div class="x" markdown>\n{}\n\n</div>', "div.x"),
    "raw html": ('<p class="x">{}</p>', "p.x"),
    "inline html": ('<div markdown>\nSee <span class="x">{}</span>.\n</div>', "span.x"),
    "table cell": ("| a | b |\n|---|---|\n| {} | z |", "tbody td"),
    "emphasis": ("*{}*.", "em"),
    "footnote": ("Text[^k]\n\n[^k]: {}", ".footnote li p"),
}


@SETTINGS
@given(text=VISIBLE, context=st.sampled_from(list(CONTEXTS)))
def test_md_text_reads_as_typed_in_every_context(text, context):
    template, selector = CONTEXTS[context]
    soup = render(template.format(sitedata.md_text(text)))
    element = soup.select_one(selector)
    shown = seen(element).removesuffix("↩").strip() if context == "footnote" else seen(element)
    if context == "paragraph":
        assert shown == f"Before {reader(text)} after."
    else:
        assert shown == reader(text)
    assert not soup.find_all(["script", "img", "a", "strong", "code", "h1", "blockquote"]) or context == "footnote"


@SETTINGS
@given(text=TEXT)
def test_md_text_in_an_attribute_reads_as_typed(text):
    soup = render(f'<div markdown>\n<span class="x" title="{sitedata.md_text(text)}">y</span>\n</div>')
    span = soup.select_one("span.x")
    assert span["title"] == reader(text) and set(span.attrs) == {"class", "title"}


# ------------------------------------------------------------------------------------- bibliography fields
def reference(**fields):
    authors = fields.pop("authors", ["Ivanov, I. I."])
    return Reference("key2020", fields.pop("type", "article"), {"url": "https://example.org/x", "language": "en",
                                                                "studytype": "animal", "seenat": "", **fields},
                     authors, ROOT / "references" / "x.bib", 1)


@FIELDS
@given(title=VISIBLE, translated=VISIBLE, venue=VISIBLE, volume=VISIBLE, author=VISIBLE,
       doi=st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn", "Zs", "Zl", "Zp")), min_size=1,
                   max_size=20))
def test_reference_fields_read_as_typed(title, translated, venue, volume, author, doi):
    ref = reference(title=title, titletranslated=translated, journal=venue, volume=volume, doi="10.1000/" + doi,
                    authors=[f"{author}, A."])
    soup = render("Text[^k]\n\n[^k]: " + sitedata.format_reference(ref))
    note = soup.select_one(".footnote li p")
    # Formatted by citeproc-py in the house style (AMA): the title as typed, the translation beside it.
    assert reader(title) in seen(note)
    assert f"English: {reader(translated.rstrip('.'))}." in seen(note.select_one(".ref-translated"))
    link = note.find("a", href=re.compile("^https://doi.org/"))
    assert seen(link) == reader(f"doi:10.1000/{doi}")
    assert re.fullmatch(r"https://doi\.org/[A-Za-z0-9\-._~:/;,%]+", link["href"])
    assert not note.find_all(["script", "img", "strong", "code"])


@FIELDS
@given(description=VISIBLE, howpublished=VISIBLE, url_tail=st.text(max_size=20))
def test_untitled_record_and_source_link_read_as_typed(description, howpublished, url_tail):
    url = "https://example.org/" + url_tail
    ref = reference(type="misc", description=description, howpublished=howpublished, url=url,
                    organization="example.org", sourcekind="vendor", authors=[])
    soup = render("Text[^k]\n\n[^k]: " + sitedata.format_reference(ref))
    note = soup.select_one(".footnote li p")
    assert f"[Title not confirmed; record: {reader(description.rstrip('.'))}]" in seen(note)
    assert reader(howpublished) in seen(note)
    (link,) = [a for a in note.find_all("a") if "footnote-backref" not in a.get("class", [])]
    assert link["href"].startswith("https://example.org/") and re.fullmatch(r"[\x21-\x7e]+", link["href"])
    assert note.find("a", string="source page") is None


@FIELDS
@given(annote=VISIBLE, unverified=VISIBLE)
def test_bibliography_entry_reads_as_typed(annote, unverified):
    from render import bibliography

    SITE.index = SiteIndex({}, {})
    try:
        page = bibliography.render_entries("references.md", [reference(title="T", annote=annote,
                                                                       unverified=unverified)])
    finally:
        SITE.index = None
    entry = render(page).select_one("div.ref-entry")
    paragraphs = [seen(p) for p in entry.find_all("p")]
    assert reader(annote) in paragraphs
    assert seen(entry.select_one(".unverified")) == f"Not confirmed on a public page: {reader(unverified)}."


# ------------------------------------------------------------------------------------------ ledger fields
def ledger(label, meaning, symbol):
    verdicts = {"supported": {"label": label, "meaning": meaning}}
    grades = {"D": {"label": label, "symbol": symbol, "meaning": meaning}}
    return Ledger(verdicts, grades)


@FIELDS
@given(claim=VISIBLE, summary=VISIBLE, label=VISIBLE, meaning=VISIBLE, symbol=VISIBLE, note=VISIBLE)
def test_ledger_fields_read_as_typed(claim, summary, label, meaning, symbol, note):
    from render import claims

    saved = SITE.ledger
    SITE.ledger = ledger(label, meaning, symbol)
    data = {"id": "c01", "claim": claim, "summary": summary, "verdict": "supported", "grade": "D",
            "page": "index.md", "sources": [], "reviewed": "2026-11-25",
            "history": [{"date": "2026-01-01", "verdict": "supported", "grade": "D", "note": note}],
            "independence": {f: "no" for f in sitedata.INDEPENDENCE_FLAGS}}
    SITE.ledger.claims["c01"] = Claim("c01", data, 1)
    try:  # one page holding the box and the three tables, as the method and audit pages hold them
        soup = render("\n\n".join([claims.render_claim(SITE.ledger.claims["c01"], "index.md"),
                                    claims.render_claims_table("evidence/claims-audit.md"),
                                    claims.render_scale("grades"),
                                    claims.render_grade_history("evidence/claims-audit.md")]))
    finally:
        SITE.ledger = saved
    box = soup.select_one(".claim-box")
    table, scale, history = soup.select("table")
    texts = [seen(p) for p in box.find_all("p")]
    assert f"The article says: {reader(claim)}" in texts
    assert f"What the evidence shows: {reader(summary)} No published source found." in texts
    assert seen(box.select_one(".verdict")) == reader(label)
    grade = box.select_one(".grade")
    assert grade["title"] == reader(meaning) and seen(grade) == f"Grade D: {reader(label)}"
    assert [seen(td) for td in table.select("tbody td")][2] == reader(claim)
    assert [seen(td) for td in scale.select("tbody td")] == [f"D: {reader(label)}", reader(symbol), reader(meaning)]
    assert seen(history.select("tbody tr")[1].select("td")[4]) == reader(note)


# ------------------------------------------------------------------------------- JSON-LD, CSV and BibTeX
@SETTINGS
@given(text=TEXT)
def test_json_ld_cannot_leave_its_script_element(text):
    data = {"name": text, "citation": [{"name": text}]}
    out = sitedata.script_json(data, indent=1)
    assert not set("<>&") & set(out) and json.loads(out) == data
    soup = BeautifulSoup(f'<head><script type="application/ld+json">{out}</script></head><h1>Title</h1>', "lxml")
    assert json.loads(soup.find("script").string) == data and seen(soup.find("h1")) == "Title"


@SETTINGS
@given(text=TEXT)
def test_csv_cell_is_never_a_formula(text):
    out = io.StringIO()
    csv.writer(out).writerow([sitedata.csv_cell(text), "x"])
    cell = next(csv.reader(io.StringIO(out.getvalue())))[0]
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell == ("'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text)


@FIELDS
@given(text=TEXT)
def test_bibtex_text_survives_bibtex_and_reads_back(text):
    entry = parse_string(f"@misc{{k,\n  title = {{{sitedata.bibtex_text(text)}}},\n}}\n", "bibtex").entries["k"]
    assert sitedata.latex_to_text(entry.fields["title"]).split() == text.split()  # BibTeX: any space is a space


@SETTINGS
@given(text=TEXT.filter(lambda s: not re.search(r"[\\{}$~]|--|``|''|!`|\?`|,,", s)))
def test_plain_bib_text_is_kept_as_typed(text):
    assert sitedata.latex_to_text(text) == text


# ------------------------------------------------------------------------------------------ no quadratic scans
# Long adversarial strings: a short piece of what the scanners look for, repeated tens of thousands of times.
# Each scan must stay linear: a few hundred KB in well under a second (quadratic ones took minutes).
PIECES = ["[", "]", "[@", "[;", "[^", "@", " ", "{", "}", "(", ")", ".", "a.", "`", "` a", "#", "# ", "\t", ",",
          "](", "[ ", "\\", "a ", "%", "~", "-", "=", ":"]
LONG = st.tuples(st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join),
                 st.integers(2_000, 20_000)).map(lambda t: t[0] * t[1])
BUDGET = 1.0  # seconds per call, on a shared 2-core machine
LINEAR = settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))


def _timed(function, *args):
    start = time.perf_counter()
    try:
        function(*args)
    except (sitedata.DataError, ValueError):
        pass  # refusing the input is fine; taking minutes is not
    return time.perf_counter() - start


@LINEAR
@given(LONG, st.sampled_from(["", "A line [@good2020].\n", "# "]))
@example("[" * 100_000, "")  # the page that hung the build
@example("[@" * 50_000, "")
@example(" " * 100_000 + "x", "# ")
def test_page_scans_are_linear(text, prefix):
    page = prefix + text
    for function in (sitedata.find_citations, lambda t: sitedata.check_citations(t, {}, "page.md"),
                     sitedata.mask_code, lambda t: sitedata.page_title(t, "x")):
        assert _timed(function, page) < BUDGET, (function, page[:40], len(page))


@LINEAR
@given(LONG)
@example(" " * 100_000)  # an entry header, a URL: each past 120 s on a few hundred KB before
@example("a." * 50_000)
def test_bib_scans_are_linear(text):
    from sitedata.bibliography import URL_RE, _parse_file

    for bib in (f"@article{{{text}", f"@article{{k,\n  title = {{{text}}},\n}}\n", f"@{text}",
                f"@article{{ {text}\n"):
        assert _timed(lambda b: list(_parse_file("refs.bib", b)), bib) < BUDGET, (bib[:40], len(bib))
    for url in (f"https://{text}", f"https://a{text} x", f"https://a.{text}\n"):
        assert _timed(URL_RE.fullmatch, url) < BUDGET, (url[:40], len(url))


@LINEAR
@given(LONG)
@example("{" * 100_000)  # a ledger summary's braces
@example("](" * 50_000)
def test_data_text_scans_are_linear(text):
    for function in (sitedata.md_text, sitedata.checks.statements, sitedata.checks.normalise):
        assert _timed(function, text) < BUDGET, (function, text[:40], len(text))
    # LaTeX is decoded only in bib fields, which are at most 4,000 characters (FIELD_LIMITS).
    assert _timed(sitedata.latex_to_text, text[:4000]) < BUDGET, text[:40]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="{}]()ab\n", max_size=40))
def test_drop_spans_is_the_regular_expression_it_replaces(text):
    from sitedata.base import drop_spans

    assert drop_spans(text, "{", "}", " ") == re.sub(r"\{[^}]*\}", " ", text)
    assert drop_spans(text, "](", ")", "]") == re.sub(r"\]\([^)]*\)", "]", text)

