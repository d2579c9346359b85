"""The site's data layer: the bibliography (references/*.bib) and the claims ledger (references/claims.yaml).

Everything is loaded and checked here once, so the MkDocs hooks, the tests and the scripts share one reading
of the data. Every problem is raised as a DataError naming the file, the line and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, Citation
from pybtex.database import BibliographyDataError, parse_file
from pybtex.scanner import PybtexSyntaxError

ROOT = Path(__file__).resolve().parent.parent
REFERENCES_DIR = ROOT / "references"
LEDGER_PATH = REFERENCES_DIR / "claims.yaml"
DOCS_DIR = ROOT / "docs"

STUDY_TYPES = {
    "human-rct": "Randomised controlled trial",
    "human-controlled": "Controlled human study",
    "human-open-label": "Open-label human study",
    "human-case-series": "Human case series",
    "human-pk": "Human pharmacokinetics",
    "animal": "Animal study",
    "in-vitro": "Cell or test-tube study",
    "in-silico": "Computational study",
    "review": "Review",
    "regulatory": "Regulatory record",
    "label": "Product label",
    "other": "Other source",
}
LANGUAGES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "cs": "Czech", "de": "German", "fr": "French"}
REQUIRED_FIELDS = ("url", "language", "studytype", "seenat")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^\d{1,9}$")
PMCID_RE = re.compile(r"^PMC\d+$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]*$")
CLAIM_ID_RE = re.compile(r"^[a-z]\d{2}$")
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CLAIM_MARKER_RE = re.compile(r"^:claim:\s*(\S+)\s*$", re.M)
YES_NO = {"yes", "no", "mixed", "unknown", "n/a"}
INDEPENDENCE_FLAGS = {"developer_linked": "Developer-linked authors", "russian_only": "Russian-language only",
                      "registered_trial": "Registered trial", "independent_replication": "Independent replication"}


class DataError(Exception):
    """Bad input data: carries file, line and key so the message points at the fix."""

    def __init__(self, path, line, key, message):
        self.path, self.line, self.key = Path(path), line, key
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        where = f"{shown}:{line}" if line else f"{shown}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


# --------------------------------------------------------------------------------------------- bibliography
@dataclass
class Reference:
    key: str
    type: str
    fields: dict
    authors: list
    path: Path
    line: int
    entry: object = None  # the pybtex Entry, handed to mkdocs-bibtex so it need not parse the files again

    def get(self, name, default=""):
        return self.fields.get(name, default)

    @property
    def year(self):
        return self.get("year")

    @property
    def study_type(self):
        return self.get("studytype")

    @property
    def language(self):
        return self.get("language")

    @property
    def display_title(self):
        """The title as published, else its translation, else the description of an untitled record."""
        return self.get("title") or self.get("titletranslated") or self.get("description")


def _entry_lines(text):
    """Line number of every `@type{key,` in a .bib file's text."""
    lines = {}
    for m in re.finditer(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text):
        lines.setdefault(m.group(2), []).append(text.count("\n", 0, m.start()) + 1)
    return lines


def _clean(value):
    return re.sub(r"\s+", " ", str(value)).strip()


def load_bibliography(ref_dir=REFERENCES_DIR):
    """All entries of every .bib file under ref_dir, checked. Raises DataError on the first problem."""
    refs = {}
    for path in sorted(Path(ref_dir).rglob("*.bib")):
        text = path.read_text(encoding="utf-8")
        lines = _entry_lines(text)
        for key, where in lines.items():
            if len(where) > 1:
                raise DataError(path, where[1], key, f"duplicate key (first defined on line {where[0]})")
        try:
            data = parse_file(str(path), bib_format="bibtex")
        except PybtexSyntaxError as e:
            raise DataError(path, e.lineno, "", f"malformed BibTeX: {e.error_type}: {e}") from None
        except BibliographyDataError as e:
            raise DataError(path, None, "", f"malformed BibTeX: {e}") from None
        for key, entry in data.entries.items():
            line = lines.get(key, [None])[0]
            if key in refs:
                other = refs[key]
                raise DataError(path, line, key, f"duplicate key (also in {other.path.name}:{other.line})")
            fields = {k.lower(): _clean(v) for k, v in entry.fields.items()}
            authors = [_clean(str(p)) for p in entry.persons.get("author", [])]
            ref = Reference(key, entry.type.lower(), fields, authors, path, line, entry)
            check_reference(ref)
            refs[key] = ref
    return refs


def check_reference(ref):
    def fail(msg):
        raise DataError(ref.path, ref.line, ref.key, msg)

    if not KEY_RE.match(ref.key):
        fail("key must be lowercase letters, digits and hyphens")
    missing = [f for f in REQUIRED_FIELDS if not ref.get(f)]
    if not ref.display_title:
        missing.insert(0, "title (or a description when the title was not seen)")
    if missing:
        fail(f"missing required field(s): {', '.join(missing)}")
    if ref.study_type not in STUDY_TYPES:
        fail(f"studytype '{ref.study_type}' is not one of: {', '.join(STUDY_TYPES)}")
    if ref.language not in LANGUAGES:
        fail(f"language '{ref.language}' is not one of: {', '.join(LANGUAGES)}")
    for name in ("url", *ref.get("seenat").split()):
        url = ref.get("url") if name == "url" else name
        if not URL_RE.match(url):
            fail(f"not a well-formed URL: {url!r}")
    if ref.get("doi") and not DOI_RE.match(ref.get("doi")):
        fail(f"doi '{ref.get('doi')}' is not a bare DOI like 10.1234/abc")
    if ref.get("pmid") and not PMID_RE.match(ref.get("pmid")):
        fail(f"pmid '{ref.get('pmid')}' must be digits only")
    if ref.get("pmcid") and not PMCID_RE.match(ref.get("pmcid")):
        fail(f"pmcid '{ref.get('pmcid')}' must look like PMC123456")
    if ref.get("year") and not re.fullmatch(r"\d{4}", ref.get("year")):
        fail(f"year '{ref.get('year')}' must be four digits")


def escape_md(text):
    """Escape the characters that Markdown would read as emphasis inside bibliographic text."""
    return re.sub(r"([*_`\\])", r"\\\1", text)


def short_authors(ref):
    names = [a.split(",")[0].strip() for a in ref.authors if a.lower() != "others"]
    if not names:
        return ""
    more = len(names) > 3 or any(a.lower() == "others" for a in ref.authors)
    return ", ".join(names[:3]) + (" et al." if more else "")


def format_reference(ref, with_badges=True):
    """One-line Markdown rendering of a reference, used for footnotes and the bibliography page."""
    parts = []
    authors = short_authors(ref)
    head = f"{authors} ({ref.year or 'n.d.'})." if authors else f"({ref.year or 'n.d.'})."
    parts.append(head)
    title = ref.get("title") or ref.get("titletranslated")
    if title:
        text = escape_md(title.rstrip("."))
        if re.search(r"[\u0400-\u04FF]", title):  # marked so screen readers switch to Russian
            text = f'<span lang="{ref.language}">{text}</span>'
        parts.append(f"*{text}*.")
    else:  # the record was read but its title was not: say so rather than invent one
        parts.append(f"[Title not confirmed; record: {escape_md(ref.get('description').rstrip('.'))}].")
    if ref.get("title") and ref.get("titletranslated"):
        parts.append(f"[English: {escape_md(ref.get('titletranslated').rstrip('.'))}]")
    venue = ref.get("journal") or ref.get("booktitle") or ref.get("publisher") or ref.get("howpublished")
    if venue:
        detail = venue
        if ref.get("volume"):
            detail += f" {ref.get('volume')}"
        if ref.get("number"):
            detail += f"({ref.get('number')})" if ref.get("volume") else f", no. {ref.get('number')}"
        if ref.get("pages"):
            detail += f": {ref.get('pages').replace('--', '–')}"
        parts.append(escape_md(detail) + ".")
    elif ref.type == "patent" and ref.get("number"):
        parts.append(f"Patent {ref.get('number')}.")
    links = []
    if ref.get("pmid"):
        links.append(f"[PMID {ref.get('pmid')}](https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/)")
    if ref.get("doi"):
        links.append(f"[doi:{ref.get('doi')}](https://doi.org/{ref.get('doi')})")
    if not links:
        links.append(f"[source page]({ref.get('url')})")
    parts.append(" · ".join(links))
    if with_badges:
        parts.append(badges(ref))
    return " ".join(parts)


def badges(ref):
    lang = ref.language
    out = [f'<span class="badge study study-{ref.study_type}">{STUDY_TYPES[ref.study_type]}</span>']
    if lang != "en":
        out.append(f'<span class="badge lang lang-{lang}" title="Published in {LANGUAGES[lang]}">'
                   f"{LANGUAGES[lang]}</span>")
    return " ".join(out)


# ---------------------------------------------------------------------------------------------- citations
@dataclass
class CitationUse:
    key: str
    line: int


def find_citations(markdown):
    """Every `[@key]` in a page, with its line, parsed the way mkdocs-bibtex parses it."""
    found = []
    for block in CITATION_BLOCK_REGEX.finditer(markdown):
        line = markdown.count("\n", 0, block.start()) + 1
        for cite in Citation.from_markdown(block.group(1)):
            found.append(CitationUse(cite.key, line))
    return found


SPLIT_CITATION_RE = re.compile(r"\[@[^\]\n]*\n")


def check_citations(markdown, refs, path):
    split = SPLIT_CITATION_RE.search(markdown)
    if split:
        line = markdown.count("\n", 0, split.start()) + 1
        raise DataError(path, line, "", "citation split across lines: keep [@a; @b] on one line")
    for use in find_citations(markdown):
        if use.key not in refs:
            raise DataError(path, use.line, use.key, "unknown citation key (not in references/*.bib)")


# ------------------------------------------------------------------------------------------------- ledger
@dataclass
class Claim:
    id: str
    data: dict
    line: int

    def __getattr__(self, name):
        try:
            return self.__dict__["data"].get(name)
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Ledger:
    verdicts: dict
    grades: dict
    claims: dict = field(default_factory=dict)
    path: Path = LEDGER_PATH


def _line_map(node):
    """Line of each claim mapping in the ledger, read from the YAML node tree."""
    lines = []
    for key_node, value_node in node.value:
        if key_node.value == "claims":
            for item in value_node.value:
                lines.append(item.start_mark.line + 1)
    return lines


def load_ledger(refs, path=LEDGER_PATH, docs_dir=DOCS_DIR):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
        lines = _line_map(yaml.compose(text))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else None, "", f"malformed YAML: {e}") from None
    for section in ("verdicts", "grades", "claims"):
        if not isinstance(raw, dict) or section not in raw:
            raise DataError(path, None, section, "missing top-level section")
    ledger = Ledger(raw["verdicts"], raw["grades"], path=path)
    for item, line in zip(raw["claims"], lines, strict=True):
        claim_id = item.get("id") if isinstance(item, dict) else None

        def fail(msg, claim_id=claim_id, line=line):
            raise DataError(path, line, claim_id or "claim", msg)

        if not claim_id or not CLAIM_ID_RE.match(str(claim_id)):
            fail(f"claim id {claim_id!r} must look like m03")
        if claim_id in ledger.claims:
            fail(f"duplicate claim id (first on line {ledger.claims[claim_id].line})")
        claim = Claim(claim_id, item, line)
        verdict = item.get("verdict")
        page = item.get("page")
        if not page or not (Path(docs_dir) / page).is_file():
            fail(f"page '{page}' does not exist under docs/")
        if verdict not in ledger.verdicts:
            fail(f"verdict '{verdict}' is not one of: {', '.join(ledger.verdicts)}")
        if item.get("grade") not in ledger.grades:
            fail(f"grade '{item.get('grade')}' is not one of: {', '.join(ledger.grades)}")
        for name in ("claim", "summary"):
            if not str(item.get(name) or "").strip():
                fail(f"missing '{name}'")
        sources = item.get("sources") or []
        for key in sources:
            if key not in refs:
                fail(f"source '{key}' is not in references/*.bib")
        if not sources and (verdict != "unsupported" or item.get("grade") != "N"):
            fail("no sources: only an 'unsupported' claim with grade N may have none")
        if sources and item.get("grade") == "N":
            fail("grade N (no source found) but sources are listed")
        independence = item.get("independence") or {}
        for flag in INDEPENDENCE_FLAGS:
            if str(independence.get(flag, "")).lower() not in YES_NO:
                fail(f"independence.{flag} must be one of: {', '.join(sorted(YES_NO))} (quote them in YAML)")
        for old in item.get("history") or []:
            known = isinstance(old, dict) and old.get("verdict") in ledger.verdicts
            known = known and old.get("grade") in ledger.grades
            if not known or not ISO_DATE_RE.match(str(old.get("date"))):
                fail("each history entry needs a YYYY-MM-DD date, a known verdict and a known grade")
        reviewed = str(item.get("reviewed") or "")
        if not ISO_DATE_RE.match(reviewed):
            fail(f"reviewed date {reviewed!r} must be YYYY-MM-DD")
        ledger.claims[claim_id] = claim
    return ledger


def claim_markers(markdown):
    """(claim id, line) for every `:claim: id` line of a page."""
    return [(m.group(1), markdown.count("\n", 0, m.start()) + 1) for m in CLAIM_MARKER_RE.finditer(markdown)]


def relative_link(from_uri, to_uri):
    """Relative Markdown link from one page source to another (both relative to docs/), so MkDocs checks it."""
    return "../" * from_uri.count("/") + to_uri


def page_title(markdown, fallback):
    m = re.search(r"^#\s+(.+?)\s*$", markdown, re.M)
    return m.group(1) if m else fallback


# --------------------------------------------------------------------------------------- the pages' sources
@dataclass
class PageInfo:
    src_uri: str
    title: str
    keys: list  # cited keys in order of first use, claim-box sources included
    claims: list  # claim ids placed on the page


@dataclass
class SiteIndex:
    pages: dict  # src_uri -> PageInfo
    cited_by: dict  # key -> list of (src_uri, claim id or None)


def scan_docs(refs, ledger, docs_dir=DOCS_DIR):
    """Read every page's source once: check its citations and claim markers, and index who cites what."""
    docs_dir = Path(docs_dir)
    pages, cited_by, placed = {}, {}, {}
    for path in sorted(docs_dir.rglob("*.md")):
        src_uri = path.relative_to(docs_dir).as_posix()
        text = path.read_text(encoding="utf-8")
        check_citations(text, refs, path)
        info = PageInfo(src_uri, page_title(text, src_uri), [], [])

        def cite(key, claim_id=None, info=info):
            if key not in info.keys:
                info.keys.append(key)
            uses = cited_by.setdefault(key, [])
            if (info.src_uri, claim_id) not in uses:
                uses.append((info.src_uri, claim_id))

        for use in find_citations(text):
            cite(use.key)
        for claim_id, line in claim_markers(text):
            claim = ledger.claims.get(claim_id)
            if claim is None:
                raise DataError(path, line, claim_id, "unknown claim id (not in references/claims.yaml)")
            if claim_id in placed:
                raise DataError(path, line, claim_id, f"claim already shown on {placed[claim_id]}")
            if claim.page != src_uri:
                raise DataError(path, line, claim_id, f"the ledger puts this claim on {claim.page}")
            placed[claim_id] = f"{src_uri}:{line}"
            info.claims.append(claim_id)
            for key in claim.sources or []:
                cite(key, claim_id)
        pages[src_uri] = info
    for claim in ledger.claims.values():
        if claim.id not in placed:
            raise DataError(ledger.path, claim.line, claim.id, f"no ':claim: {claim.id}' line on {claim.page}")
    return SiteIndex(pages, cited_by)


@dataclass
class Site:
    """What the hooks share during one build."""

    refs: dict = field(default_factory=dict)
    ledger: Ledger | None = None
    index: SiteIndex | None = None


SITE = Site()
