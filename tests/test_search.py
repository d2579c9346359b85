"""Search tuning without a browser: the relevance suite's data, the search index the build writes (aliases,
claim entries, bibliography kept to references), the word separator, and the front-matter checks.

The ranking itself is tested in a real browser: tests/browser/test_browser.py, test_search_relevance_suite."""

import html
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from render.bibliography import BIBLIOGRAPHY_SEARCH_BOOST
from test_planted_errors import GOOD_BIB, PAGES, assert_fails_with, build, make_project

import sitecheck
from sitedata import DataError
from sitedata.search import (
    MAX_ALIASES,
    PUNCTUATION,
    RUSSIAN_STOP_WORDS,
    STOP_WORDS,
    alias_text,
    read_search_tuning,
    search_separator,
    search_words,
    word_forms,
)

QUERIES = yaml.safe_load((ROOT / "tests" / "search-queries.yaml").read_text(encoding="utf-8"))
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def index_of(site):
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def js_tokens(separator, text):
    """Split text the way Material's search does: the separator as a JavaScript RegExp (no `u` flag, so \\b only
    knows ASCII letters), then lower-case."""
    out, start = [], 0
    for m in re.compile(separator, re.ASCII).finditer(text):
        if m.start() > start:
            out.append(text[start:m.start()].lower())
        start = m.end()
    if start < len(text):
        out.append(text[start:].lower())
    return out


# ------------------------------------------------------------------------------------------- the suite's data
def test_relevance_suite_is_large_mixed_and_lay():
    assert len(QUERIES) >= 40
    russian = [q for q in QUERIES if CYRILLIC.search(q["query"])]
    assert len(russian) * 3 >= len(QUERIES), f"only {len(russian)} of {len(QUERIES)} queries are Russian"
    assert sum(q.get("top", 1) > 1 for q in QUERIES) >= 3, "some queries should only need a top-three place"
    assert sum("misspelling" in q.get("why", "") for q in QUERIES) >= 2
    assert any(re.fullmatch(r"[a-zA-Z]\d\d", q["query"]) and "#claim-" in q["expect"] for q in QUERIES)
    assert len({q["query"] for q in QUERIES}) == len(QUERIES), "a query is listed twice"


def test_relevance_suite_expects_pages_and_anchors_that_exist(built_site):
    missing = []
    for q in QUERIES:
        page, _, anchor = q["expect"].partition("#")
        built = built_site / page / "index.html"
        if not built.is_file():
            missing.append(f"{q['query']!r}: no page /{page}")
        elif anchor and not sitecheck.soup_of(built).find(id=anchor):
            missing.append(f"{q['query']!r}: no #{anchor} on /{page}")
    assert missing == []


# ----------------------------------------------------------------------------------------- the built index
def test_every_claim_box_has_an_index_entry_at_its_anchor(built_site, project):
    _, ledger, _ = project
    docs = {d["location"]: d for d in index_of(built_site)["docs"]}
    for claim in ledger.claims.values():
        location = f"{sitecheck.page_url(claim.page)}#claim-{claim.id}"
        assert location in docs, f"{claim.id}: no search entry at {location}"
        assert docs[location]["title"] == f"Claim {claim.id.upper()}"


def test_aliases_and_misspellings_reach_the_index(built_site):
    index = index_of(built_site)
    assert {"aliases", "misspellings"} <= set(index["config"]["fields"])
    docs = {d["location"]: d for d in index["docs"]}
    stroke = docs["indications/acute-ischemic-stroke/"]["aliases"]
    assert "инсультом" in stroke and "инсульта" in stroke.replace("инсультами", ""), stroke  # word forms
    assert "беременность" in docs["use/safety/#pregnancy"]["aliases"]  # a section's aliases
    assert "semaxx" in docs[""]["misspellings"]
    assert "semaxx" not in docs[""].get("aliases", "")


def test_bibliography_keeps_references_but_not_notes_in_the_index(built_site, project):
    refs, _, _ = project
    docs = index_of(built_site)["docs"]
    bibliography = [d for d in docs if d["location"].startswith("references/")]
    boost = read_search_tuning(ROOT / "docs" / "references.md", "references.md").boost
    assert boost == BIBLIOGRAPHY_SEARCH_BOOST < 1  # one rank for the page and for its generated parts
    assert bibliography and all(d.get("boost") == boost for d in bibliography)
    text = " ".join(d["text"] for d in bibliography)
    annotated = [r for r in refs.values() if r.get("annote")]
    leaked = [r.key for r in annotated if html.escape(r.get("annote")[:60], quote=False) in text]
    assert leaked == [], f"bibliography notes in the search index: {leaked}"
    assert "Cited on:" not in text
    assert all(r.key in text for r in refs.values()), "every reference stays findable by its key"


def test_index_uses_our_separator_and_stays_utf8(built_site):
    raw = (built_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert index_of(built_site)["config"]["separator"] == search_separator()
    assert "\\u04" not in raw and "Семакс" in raw  # Cyrillic as UTF-8, a third of the size of \u escapes


# ---------------------------------------------------------------------------------------------- separator
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9) | st.sampled_from(STOP_WORDS)
WORDS = st.lists(st.tuples(WORD, st.booleans()).map(lambda w: w[0].capitalize() if w[1] else w[0]), max_size=12)
GAPS = st.sampled_from([" ", ", ", " (", ") ", "-", " / ", ": "])


@given(WORDS, GAPS)
def test_separator_cuts_whole_stop_words_and_nothing_else(words, gap):
    text = gap.join(words)
    plain = js_tokens(PUNCTUATION, text)
    assert js_tokens(search_separator(), text) == [t for t in plain if t not in STOP_WORDS]


def test_cut_words_are_ones_lunr_drops_anyway():
    """So the index loses nothing: every word the separator cuts is on the stop-word list of the lunr (English)
    or lunr-languages (Russian) build that Material ships."""
    import material

    scripts = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
    worker = next((scripts / "workers").glob("search.*.min.js")).read_text(encoding="utf-8")
    english = json.loads(re.search(r'generateStopWordFilter\((\["a","able"[^\]]*\])', worker)[1])
    russian = re.search(r'generateStopWordFilter\("([^"]*)"', (scripts / "lunr" / "min" / "lunr.ru.min.js")
                        .read_text(encoding="utf-8"))[1].split()
    assert set(STOP_WORDS) == set(english)
    assert set(RUSSIAN_STOP_WORDS) <= set(russian), set(RUSSIAN_STOP_WORDS) - set(russian)


def test_separator_examples():
    separator = search_separator()
    assert js_tokens(separator, "Is Semax legal in the US") == ["semax", "legal", "us"]  # "US" is not "us"
    assert js_tokens(separator, "its ischemia isoform") == ["ischemia", "isoform"]
    assert js_tokens(separator, "ACTH(4-7)-PGP, 0.1% drops.") == ["acth", "4", "7", "pgp", "0.1%", "drops"]
    assert js_tokens(separator, "законно ли после инсульта") == ["законно", "инсульта"]
    assert js_tokens(separator, "Лишь волна") == ["лишь", "волна"]  # "ли", "во" only as whole words


def highlighter_pattern(separator, query):
    """The pattern Material's in-page highlighter (feature search.highlight) builds from the separator and a
    query (setupSearchHighlighter, Material 9.8): the separator is embedded as its first group."""
    parts = [part if re.sub(r"(\(\?[!=<][^)]+\))", "", part) else "\ufffd" for part in separator.split("|")]
    split = re.compile("|".join(parts), re.IGNORECASE | re.ASCII)
    query = re.sub(r"[\s*+\-:~^]+", " ", query).strip()
    terms = split.sub("|", re.sub(r"[|\\{}()\[\]^$+*?.-]", lambda m: "\\" + m[0], query))
    return re.compile(f"(^|{separator}|)({terms})", re.IGNORECASE | re.ASCII)


@pytest.mark.parametrize("query, marks", [("semax", ["Semax"]), ("side effects", ["side", "effects"]),
                                          ("ischemia", ["ischemia"]), ("инсульт", ["инсульт"])])
def test_separator_keeps_materials_highlighter_working(query, marks):
    text = "The side effects of Semax in ischemia after инсульта."
    # Material's replacement reads the query terms from the pattern's second group.
    marked = highlighter_pattern(search_separator(), query).sub(lambda m: f"{m[1]}<mark>{m[2]}</mark>", text)
    assert re.findall("<mark>(.*?)</mark>", marked) == marks, marked


def test_a_capturing_separator_would_break_the_highlighter():
    """The planted fault: a group in the separator shifts the query terms out of the highlighter's group 2."""
    capturing = PUNCTUATION + "|\\b(is|a)\\b"
    pattern = highlighter_pattern(capturing, "semax")
    assert pattern.search("Semax")[2] != "Semax"
    assert re.compile(search_separator()).groups == 0


# ------------------------------------------------------------------------------------------- Russian forms
def test_russian_aliases_are_indexed_in_all_their_forms():
    words = search_words(["ишемический инсульт"])
    for form in ("инсульт", "инсульта", "инсультом", "инсульте", "ишемического", "ишемическом"):
        assert any(w.startswith(form) for w in words), f"{form!r} not found by prefix in {words}"
    assert "мясоедовым" in word_forms("Мясоедов") or "мясоедова" in word_forms("Мясоедов")  # the surname


@given(st.sampled_from(["инсульт", "побочный эффект", "дозировка", "беременность", "Гусев", "тревога",
                        "зрительный нерв", "черепно-мозговая травма", "хранение", "Селанк"]))
def test_every_word_form_is_found_by_prefix(alias):
    words = search_words([alias])
    for token in re.findall(r"[а-яё-]+", alias.lower()):
        for form in word_forms(token):
            assert any(w.startswith(form) for w in words), form


@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5))
def test_alias_text_is_never_markup(aliases):
    text = alias_text(aliases)
    assert "<" not in text and ">" not in text
    assert not re.search(r"&(?!amp;|lt;|gt;)", text)


# ------------------------------------------------------------------------------------ front-matter checks
BAD_FRONT_MATTER = [
    ("search:\n  alias: [x]\n", 3, "search.alias", "unknown key"),
    ("search:\n  boost: 50\n", 3, "search.boost", "not a number above 0 and up to 10"),
    ("search:\n  aliases: Семакс\n", 3, "search.aliases", "must be a non-empty list"),
    ("search:\n  aliases: [ok, 2024]\n", 3, "search.aliases", "each alias must be a word or short phrase"),
    ("search:\n  aliases: [a, A]\n", 3, "search.aliases", "listed twice"),
    ("search:\n  aliases: [" + ", ".join(f"w{n}" for n in range(MAX_ALIASES + 1)) + "]\n", 3, "search.aliases",
     f"at most {MAX_ALIASES}"),
    ("search:\n  misspellings: [" + "x" * 41 + "]\n", 3, "search.misspellings", "longer than 40"),
    ("search:\n  sections:\n    '#bad': [x]\n", 4, "search.sections.#bad", "not a heading anchor"),
    ("search: yes\n", 2, "search", "must be a mapping"),
]


@pytest.mark.parametrize("front, line, key, message", BAD_FRONT_MATTER, ids=[b[2] for b in BAD_FRONT_MATTER])
def test_bad_search_front_matter_names_file_line_and_key(tmp_path, front, line, key, message):
    page = tmp_path / "page.md"
    page.write_text(f"---\n{front}---\n# Page\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        read_search_tuning(page, "page.md")
    text = str(error.value)
    assert text.startswith(f"{page}:{line}: {key}: ") and message in text, text


def test_good_search_front_matter_is_read(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("---\nsearch:\n  boost: 0.5\n  aliases: [Семакс, side effects]\n  misspellings: [semaxx]\n"
                    "  sections:\n    pregnancy: [беременность]\n---\n# Page\n", encoding="utf-8")
    tuning = read_search_tuning(page, "page.md")
    assert (tuning.boost, tuning.aliases, tuning.misspellings) == (0.5, ["Семакс", "side effects"], ["semaxx"])
    assert tuning.sections == {"pregnancy": (["беременность"], 7)}


def test_section_alias_for_a_missing_heading_fails_the_build(tmp_path):
    project = make_project(tmp_path, pages={
        "other.md": "---\nsearch:\n  sections:\n    section-b: [x]\n---\n# Other\n\n## Section A\n\n"
                    "A second statement about the same rat study here [@good2020].\n"})
    assert_fails_with(project, "docs/other.md:4: search.sections.section-b: no heading with this anchor on the page")


def test_bad_search_front_matter_fails_the_build(tmp_path):
    page = "---\nsearch:\n  aliases: [ok, 12]\n---\n# Other\n\n## Section A\n\nA statement on the study [@good2020].\n"
    project = make_project(tmp_path, pages={"other.md": page})
    assert_fails_with(project, "docs/other.md:3: search.aliases: each alias must be a word or short phrase")


@pytest.mark.parametrize("change, message", [
    (lambda search: search.pop("fields"), "plugins.search.fields"),
    (lambda search: search.update(separator="[\\s]+"), "plugins.search.separator"),
], ids=["no-alias-fields", "separator-in-mkdocs-yml"])
def test_search_plugin_settings_are_checked(tmp_path, change, message):
    project = make_project(tmp_path)
    config_path = project / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    search = next(p["search"] for p in config["plugins"] if isinstance(p, dict) and "search" in p)
    change(search)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert_fails_with(project, message)


def test_split_bibliography_parts_rank_low_too(tmp_path):
    bib = GOOD_BIB + "\n" + GOOD_BIB.replace("good2020", "zeta2021").replace("Ivanov, I. I.", "Zhukov, Z. Z.")
    other = PAGES["other.md"] + "\nA rat study by another group [@zeta2021].\n"
    project = make_project(tmp_path, {"other.md": other}, bib=bib, extra={"bibliography_page_limit": 1})
    code, output = build(project)
    assert code == 0, output
    parts = [d for d in index_of(project / "site")["docs"] if re.match(r"references/[a-z]", d["location"])]
    assert parts and all(d.get("boost") == BIBLIOGRAPHY_SEARCH_BOOST for d in parts), parts


def test_planted_project_index_has_its_claim_entry(tmp_path):
    project = make_project(tmp_path)
    code, output = build(project)
    assert code == 0, output
    docs = {d["location"] for d in index_of(project / "site")["docs"]}
    assert "#claim-c01" in docs
