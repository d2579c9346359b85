"""The bibliography: every entry of references/*.bib, loaded and checked, and its one-line rendering."""

from __future__ import annotations

import datetime
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from pybtex.backends.plaintext import Backend as PlainText
from pybtex.database import BibliographyData
from pybtex.database.input.bibtex import LowLevelParser, Parser, SkipEntry
from pybtex.exceptions import PybtexError
from pybtex.richtext import Text
from pybtex.scanner import PybtexSyntaxError

from .base import REFERENCES_DIR, DataError, excerpt, line_of, md_text, read_text

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
LANGUAGES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "cs": "Czech", "de": "German", "fr": "French",
             "id": "Indonesian"}
REQUIRED_FIELDS = ("url", "language", "studytype", "seenat")
KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*\Z")
DOI_RE = re.compile(r"^10\.[0-9]{4,9}/\S+\Z")
PMID_RE = re.compile(r"^[0-9]{1,9}\Z")
PMCID_RE = re.compile(r"^PMC[0-9]{1,12}\Z")
# Linear: the host's first character, then everything up to the first dot (possessive: never handed back),
# then the rest; used with fullmatch. `[^\s]*\.[^\s]*$` took time growing with the square of a long URL.
URL_RE = re.compile(r"https?://[^\s/$.?#][^\s.]*+\.\S*+")
# Characters a URL may contain as written (RFC 3986); anything else (spaces, quotes, < >, braces, non-ASCII)
# must be percent-encoded in the .bib, so a URL can never carry markup.
URL_CHARS_RE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+\Z")


@dataclass
class Reference:
    key: str
    type: str
    fields: dict
    authors: list
    path: Path
    line: int
    entry: object = None  # the pybtex Entry (its persons, for CSL names; editions compare entries)

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


# BibTeX and biblatex entry types a source of this site can be; anything else (a typo such as @artcle) is refused
# rather than rendered as an untyped entry.
ENTRY_TYPES = ("article", "book", "inbook", "incollection", "inproceedings", "misc", "online", "patent",
               "phdthesis", "mastersthesis", "techreport", "manual", "report", "unpublished")
# Fields kept exactly as written (identifiers and URLs); every other field is LaTeX text, decoded to Unicode.
RAW_FIELDS = {"url", "seenat", "doi", "pmid", "pmcid", "language", "studytype", "year"}
# An entry's type and key. Possessive white space (`\s*+`) and a greedy key trimmed afterwards keep it linear:
# a lazy key between two optional runs of spaces took time growing with the square of a long header line.
_HEADER_RE = re.compile(r"@\s*+(\w++)\s*+[{(]\s*+([^,{}()\n]*+)(?:,|$)", re.M)
_GAP_RE = re.compile(r"(?:\s+|%[^\n]*)*")  # what may stand between entries: white space and % comments
_ENTRY_START_RE = re.compile(r"^[ \t]*@\s*\w+\s*[{(]", re.M)


# Every field an entry may have. Any other is refused with a did-you-mean: a misspelt `dio` or `pmdi` would
# vanish in silence, and one named like a key of the /data/references.json export (`key`, `type`, `authors`,
# `cited_on`) would overwrite that record's own value.
KNOWN_FIELDS = ("title", "titletranslated", "description", "author", "editor", "journal", "booktitle",
                "publisher", "howpublished", "institution", "school", "organization", "series", "edition",
                "chapter", "address", "year", "month", "volume", "number", "pages", "isbn", "issn", "pmid",
                "pmcid", "doi", "url", "urldate", "sourcekind", "language", "studytype", "seenat", "unverified",
                "annote", "note")
# Length limits, far above any real value (longest title 260 characters, annote 700): a field past its limit
# is a mistake or an attack (a 5 MB title made a 300 MB site).
FIELD_LIMITS = {"title": 1000, "titletranslated": 1000, "description": 1000, "annote": 4000, "note": 4000,
                "unverified": 1000, "url": 2000, "seenat": 20000}
DEFAULT_FIELD_LIMIT = 500
MAX_AUTHORS_CHARS = 5000
MAX_BRACE_DEPTH = 8  # LaTeX in a field is decoded recursively: deeper nesting is refused, not a RecursionError
MIN_YEAR = 1800


def _brace_depth(value):
    depth = deepest = 0
    for char in value:
        if char == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif char == "}":
            depth -= 1
    return deepest


def _check_field(name, value):
    """Raise ValueError if a raw field is not one we know, is too long or is nested too deep."""
    if name not in KNOWN_FIELDS:
        close = difflib.get_close_matches(name, KNOWN_FIELDS, n=3)
        hint = [c for c in close if sorted(c) == sorted(name)] or close  # a transposition (dio) first
        raise ValueError("unknown field" + (f": did you mean '{hint[0]}'?" if hint else
                                            f" (known: {', '.join(KNOWN_FIELDS)})"))
    limit = FIELD_LIMITS.get(name, DEFAULT_FIELD_LIMIT)
    if len(value) > limit:
        raise ValueError(f"{len(value):,} characters: at most {limit:,}")
    if _brace_depth(value) > MAX_BRACE_DEPTH:
        raise ValueError(f"braces nested more than {MAX_BRACE_DEPTH} deep")


def _raise(error):
    raise error


def _decode_error(message):
    raise ValueError(message)


# Text-formatting commands whose argument is kept as plain text, and symbol commands, mapped before pybtex
# and latexcodec decode the rest (accents {\"u}, \ss, $\alpha$, -- and ~) and drop protective braces.
_FORMAT_COMMANDS_RE = re.compile(r"\\(?:textit|emph|textbf|textsc|textrm|textsf|texttt|textup|textnormal|"
                                 r"textsubscript|textsuperscript|mbox|mathrm|mathit)\s*(?=\{)")
_SYMBOLS = {r"\textbraceleft": "{", r"\textbraceright": "}", r"\textbackslash": "\\", r"\textasciitilde": "~",
            r"\textasciicircum": "^", r"\textunderscore": "_",
            **{"\\" + c: c for c in "{}$&#_%"}}
_SYMBOL_RE = re.compile(r"\\(?:textbraceleft|textbraceright|textbackslash|textasciitilde|textasciicircum|"
                        r"textunderscore)(?![A-Za-z])(?:\s*\{\})?|\\[{}$&#_%]")
_PLACEHOLDER = "\ue000{}\ue001"
_PLAIN = PlainText()  # render_as("text") would look the backend up in the package metadata on every call
# What latexcodec would change: commands, braces, math, ~ and the ligatures -- `` '' !` ?` ,,
_LATEX_SYNTAX_RE = re.compile(r"[\\{}$~]|--|``|''|!`|\?`|,,")


def latex_to_text(value):
    """A BibTeX field as the Unicode text a reader should see: `{\"u}` -> ü, `\textit{x}` -> x, braces that
    protect capitals dropped. `%` is a literal per cent sign (as titles use it), not a LaTeX comment. A command
    that cannot be shown as text raises ValueError naming it: it is never printed raw."""
    if not _LATEX_SYNTAX_RE.search(value):
        return value  # plain text, the common case: nothing to decode (latexcodec is slow on long fields)
    if _brace_depth(value) > MAX_BRACE_DEPTH:  # pybtex decodes groups recursively
        _decode_error(f"braces nested more than {MAX_BRACE_DEPTH} deep")
    symbols = []

    def keep(m):
        symbols.append(_SYMBOLS[re.sub(r"\s*\{\}$", "", m.group(0))])
        return _PLACEHOLDER.format(len(symbols) - 1)

    text = _SYMBOL_RE.sub(keep, value)
    text = _FORMAT_COMMANDS_RE.sub("", text)
    text = re.sub(r"(?<!\\)%", r"\\%", text)
    try:
        text = Text.from_latex(text).render(_PLAIN)
    except PybtexError as e:
        _decode_error(f"cannot be read as LaTeX text ({e})")
    command = re.search(r"\\([A-Za-z]+|.)", text)
    if command:
        _decode_error(f"LaTeX command '\\{command.group(1)}' cannot be shown as text: write the character "
                      "itself (UTF-8) or plain words")
    return re.sub("\ue000(\\d+)\ue001", lambda m: symbols[int(m.group(1))], text)


def _clean(value):
    return re.sub(r"\s+", " ", str(value)).strip()


def _brace_balance(text, start):
    """'{' minus '}' from an entry's `@` to the next line that starts an entry (or the end of the file)."""
    nxt = _ENTRY_START_RE.search(text, start + 1)
    region = text[start:nxt.start() if nxt else len(text)]
    return region.count("{") - region.count("}"), nxt.start() if nxt else None


def _next_entry(path, text, pos, previous):
    """Offset of the next `@` after pos, or None at the end of the file. Anything but blank lines and % comments
    on the way is an error naming the entry before it: pybtex would skip it in silence, and it is typically
    the rest of an entry that a stray '}' closed early."""
    gap = _GAP_RE.match(text, pos)
    if gap.end() == len(text):
        return None
    if text[gap.end()] == "@":
        return gap.end()
    junk = " ".join(text[gap.end():gap.end() + 200].split("@", 1)[0].split())[:60]
    if previous is None:
        raise DataError(path, line_of(text, gap.end()), "", f"text before the first entry: {junk!r} (outside "
                        "entries only blank lines and % comments are allowed)")
    closed = line_of(text, text.rfind("}", 0, gap.start()))
    raise DataError(path, line_of(text, gap.end()), previous,
                    f"text after the end of the entry, which a '}}' on line {closed} closed: {junk!r} would be "
                    "lost (a stray '}'? outside entries only blank lines and % comments are allowed)")


def _parse_file(path, text):
    """(key, pybtex Entry, line) of every entry of one .bib file, read with pybtex's own scanner so that what
    pybtex would skip in silence (text between entries, e.g. after a stray '}' closed an entry early) or report
    at the wrong place (an unclosed brace, found only at the next entry) is reported at its entry, by key."""
    scanner = LowLevelParser(text, filename=str(path))
    builder = Parser()
    builder.handle_error = _raise  # e.g. a field given twice: an error, not a warning
    previous = None  # key of the entry before the current position, named when junk follows it
    line, counted = 1, 0
    while True:
        start = _next_entry(path, text, scanner.pos, previous)
        if start is None:
            return
        line += text.count("\n", counted, start)  # counted as we go: a file may hold thousands of entries
        counted = start
        header = _HEADER_RE.match(text, start)
        kind = header.group(1).lower() if header else ""
        key = header.group(2).strip() if header and kind not in ("comment", "string", "preamble") else ""
        if re.search(r"\s", key):
            raise DataError(path, line, key, "the key contains a space: keys are lowercase letters, digits and "
                                             "hyphens, e.g. dolotov2006bdnf")
        balance, next_start = _brace_balance(text, start)
        if balance > 0:  # pybtex would read on into the next entry; more '}' is caught as text after the entry
            until = (f"before the next entry (line {line_of(text, next_start)})" if next_start is not None
                     else "before the end of the file")
            raise DataError(path, line, key or f"@{kind}", f"unbalanced braces: {balance} '{{' never closed {until}")
        scanner.pos, scanner.lineno, scanner.command_start = start + 1, line, start
        try:
            command, body = scanner.parse_command()
        except SkipEntry:  # @comment{...} or @comment(...): skip it, it is no entry
            if text[scanner.pos - 1] == "{":
                try:
                    list(scanner.parse_string(scanner.RBRACE))
                except PybtexSyntaxError as e:
                    raise DataError(path, line, "@comment", f"malformed BibTeX: {e}") from None
            else:
                end = text.find(")", scanner.pos)
                if end < 0:
                    raise DataError(path, line, "@comment", "'(' never closed") from None
                scanner.pos = end + 1
            continue
        except PybtexSyntaxError as e:
            raise DataError(path, line, key, f"malformed BibTeX: {e}") from None
        kind = command.lower()
        if kind in ("string", "preamble"):  # macros expand without limit and leak into the next file
            raise DataError(path, line, f"@{kind}", f"@{kind} is not allowed: write the value out in each field")
        if kind not in ENTRY_TYPES:
            raise DataError(path, line, key, f"unknown entry type '@{command}' (one of: {', '.join(ENTRY_TYPES)})")
        key, fields = body
        _next_entry(path, text, scanner.pos, key)  # what follows the entry, before the entry is used
        builder.data = BibliographyData()
        try:
            builder.process_entry(command, key, fields)
        except PybtexError as e:
            raise DataError(path, line, key, f"malformed BibTeX: {e}") from None
        previous = key
        yield key, builder.data.entries[key], line


def load_bibliography(ref_dir=REFERENCES_DIR):
    """All entries of every .bib file under ref_dir, checked. Raises DataError on the first problem."""
    refs, folded = {}, {}
    for path in sorted(Path(ref_dir).rglob("*.bib")):
        text = read_text(path)
        for key, entry, line in _parse_file(path, text):
            other = folded.get(key.casefold())
            if other:
                where = f"line {other.line}" if other.path == path else f"{other.path.name}:{other.line}"
                case = f" as '{other.key}'; keys may not differ only in case" if other.key != key else ""
                msg = (f"duplicate key (first defined on {where}{case})" if other.path == path
                       else f"duplicate key (also in {where}{case})")
                raise DataError(path, line, key, msg)
            fields, authors = {}, []
            try:
                for name, value in entry.fields.items():
                    name = name.lower()
                    _check_field(name, value)
                    fields[name] = _clean(value) if name in RAW_FIELDS else _clean(latex_to_text(value))
                name = "author"
                persons = [str(p) for p in entry.persons.get("author", [])]
                if sum(map(len, persons)) > MAX_AUTHORS_CHARS:
                    raise ValueError(f"{sum(map(len, persons)):,} characters: at most {MAX_AUTHORS_CHARS:,}")
                for person in persons:
                    _check_field(name, person)
                authors = [_clean(latex_to_text(p)) for p in persons]
            except ValueError as e:
                raise DataError(path, line, key, f"field '{name}': {e}") from None
            ref = Reference(key, entry.type.lower(), fields, authors, path, line, entry)
            check_reference(ref)
            folded[key.casefold()] = refs[key] = ref
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
        if not URL_RE.fullmatch(url):
            fail(f"not a well-formed URL: {excerpt(url, 120)}")
        if not URL_CHARS_RE.match(url):
            fail(f"not a well-formed URL: {excerpt(url, 120)} (percent-encode spaces, quotes, <, >, braces and "
                 "non-ASCII characters)")
    if ref.get("doi") and not DOI_RE.match(ref.get("doi")):
        fail(f"doi '{ref.get('doi')}' is not a bare DOI like 10.1234/abc")
    if ref.get("pmid") and not PMID_RE.match(ref.get("pmid")):
        fail(f"pmid '{ref.get('pmid')}' must be digits only")
    if ref.get("pmcid") and not PMCID_RE.match(ref.get("pmcid")):
        fail(f"pmcid '{ref.get('pmcid')}' must look like PMC123456")
    if ref.get("year") and not re.fullmatch(r"[0-9]{4}", ref.get("year")):
        fail(f"year {excerpt(ref.get('year'))} must be four digits")
    if ref.get("year") and not MIN_YEAR <= int(ref.get("year")) <= datetime.date.today().year + 1:
        fail(f"year {ref.get('year')} is not between {MIN_YEAR} and next year")




def short_authors(ref):
    names = [a.split(",")[0].strip() for a in ref.authors if a.lower() != "others"]
    if not names:
        return ""
    more = len(names) > 3 or any(a.lower() == "others" for a in ref.authors)
    return ", ".join(names[:3]) + (" et al." if more else "")


def format_reference(ref, with_badges=True, refs=None):
    """The reference in the house style (sitedata.csl, formatted once per build for `refs`, else alone), with our
    additions beside it: the English title of a non-English one, and the badges. Markdown-safe HTML."""
    from . import csl  # csl reads this module's LaTeX decoding

    text = csl.format_references(refs if refs is not None and ref.key in refs else {ref.key: ref})[ref.key]
    extra = []
    if ref.type == "patent" and ref.get("number"):
        extra.append(f'<span class="ref-patent">Patent {md_text(ref.get("number"))}.</span>')
    if ref.get("title") and ref.get("titletranslated"):
        extra.append(f'<span class="ref-translated">English: {md_text(ref.get("titletranslated").rstrip("."))}.</span>')
    if with_badges:  # labels, not words of the work: left out of the search index (Material's attribute)
        extra.append(f'<span class="ref-badges" data-search-exclude="true">{badges(ref)}</span>')
    return " ".join([text, *extra])


def badges(ref):
    from .csl import SOURCE_KINDS

    lang = ref.language
    out = [f'<span class="badge study study-{ref.study_type}">{STUDY_TYPES[ref.study_type]}</span>']
    if ref.get("sourcekind") in SOURCE_KINDS:
        kind = ref.get("sourcekind")
        out.append(f'<span class="badge kind kind-{kind}">{SOURCE_KINDS[kind]}</span>')
    if lang != "en":
        out.append(f'<span class="badge lang lang-{lang}" title="Published in {LANGUAGES[lang]}">'
                   f"{LANGUAGES[lang]}</span>")
    return " ".join(out)

