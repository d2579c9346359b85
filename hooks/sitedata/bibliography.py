"""The bibliography: every entry of references/*.bib, loaded and checked, and its one-line rendering."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.database import BibliographyDataError, parse_file
from pybtex.scanner import PybtexSyntaxError

from .base import REFERENCES_DIR, DataError

STUDY_TYPES = {
    "human-rct": "Randomised controlled trial",
    "human-controlled": "Controlled human study",
    "meta-analysis": "Pooled analysis of human studies",
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

