"""The pages' sources: the citations and claim markers of every docs/*.md, checked and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .base import DOCS_DIR, DataError, excerpt, mask_code, page_sources, page_title, read_text
from .ledger import Ledger, claim_markers
from .sequences import Sequences
from .studies import StudyData, marker_keys, markers


@dataclass
class CitationUse:
    key: str
    line: int


# mkdocs-bibtex reads a page with regular expressions whose time grows with the square of a line (from every
# '[' its block pattern scans to the line's end) or of a bracketed block (its citation pattern, on a run of
# spaces). A page past these limits is refused before mkdocs-bibtex sees it; real pages stay far below them
# (longest line 1,265 characters, 5 '[' on a line, longest block 162 characters, largest page 19 KB).
MAX_PAGE_CHARS = 500_000
MAX_LINE_CHARS = 10_000
MAX_BRACKETS_PER_LINE = 100
MAX_BLOCK_CHARS = 1_000


def check_page_size(markdown, path):
    """DataError at the first line of a page past the limits above."""
    if len(markdown) > MAX_PAGE_CHARS:
        raise DataError(path, 1, "", f"{len(markdown):,} characters: a page may have at most {MAX_PAGE_CHARS:,} "
                                     "(split it)")
    for number, line in enumerate(markdown.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise DataError(path, number, "", f"line of {len(line):,} characters: at most {MAX_LINE_CHARS:,}")
        if line.count("[") > MAX_BRACKETS_PER_LINE:
            raise DataError(path, number, "", f"{line.count('['):,} '[' on one line: at most "
                                              f"{MAX_BRACKETS_PER_LINE}")
        for start, inner in _blocks_of_line(line):
            if len(inner) > MAX_BLOCK_CHARS:
                raise DataError(path, number, "", f"text in [ ] of {len(inner):,} characters from column "
                                                  f"{start + 1}: at most {MAX_BLOCK_CHARS:,}")


def _blocks_of_line(line):
    r"""(offset, inner text) of each `[...]` of one line, as mkdocs-bibtex's `\[(.*?)\]` finds them (from a '['
    to the first ']' after it), in linear time."""
    start = line.find("[")
    while start >= 0:
        end = line.find("]", start + 1)
        if end < 0:
            return
        yield start, line[start + 1:end]
        start = line.find("[", end + 1)


# A part of a block that is an e-mail address is not a citation (as mkdocs-bibtex 4.4 reads a block, so pages
# written for it read the same); bounded by MAX_BLOCK_CHARS.
_EMAIL_RE = re.compile(r"[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}")
_KEY_RE = re.compile(r"[\w-]+")


def citation_keys(inner):
    """The keys cited in the text of one `[...]` block, in order: its `;`-separated parts that are not an
    e-mail address, each `prefix @key, suffix` with the key the word after its first '@' (Pandoc's syntax, as
    mkdocs-bibtex reads it). A part whose '@' is not followed by a key cites nothing."""
    keys = []
    for part in inner.split(";"):
        if _EMAIL_RE.match(part):
            continue
        at = part.find("@")
        if at < 0:
            continue
        key = _KEY_RE.match(part, at + 1)
        if key:
            keys.append(key.group(0))
    return keys


def citation_blocks(markdown):
    """(offset, inner text) of every bracketed block of a page, the blocks CITATION_BLOCK_REGEX finds."""
    offset = 0
    for line in markdown.split("\n"):
        for start, inner in _blocks_of_line(line):
            yield offset + start, inner
        offset += len(line) + 1


def find_citations(markdown, masked=None):
    """Every `[@key]` in a page, with its line, parsed the way mkdocs-bibtex parses it. A citation shown as
    code (inline `[@key]` or inside a fenced block) is not one: render/citations.py leaves it as it is, by the
    same rule (mask_code). `masked`: mask_code(markdown), when the caller has it."""
    found = []
    masked = masked if masked is not None else mask_code(markdown)
    line, counted = 1, 0
    for start, inner in citation_blocks(masked):
        if "@" not in inner:
            continue  # no citation
        line += masked.count("\n", counted, start)  # counted as we go, not from the top each time
        counted = start
        for key in citation_keys(inner):
            found.append(CitationUse(key, line))
    return found


def _split_citation_line(markdown):
    """Line of the first `[@` whose ']' is not on its line (a citation split across lines), or None."""
    lines = markdown.split("\n")
    for number, line in enumerate(lines[:-1], 1):  # the last line has no line break to split at
        if "[@" in line[line.rfind("]") + 1:]:
            return number
    return None


def check_citations(markdown, refs, path):
    """The page's citations (find_citations), each checked: on one line, and a key of the bibliography."""
    check_page_size(markdown, path)
    masked = mask_code(markdown)
    line = _split_citation_line(masked)
    if line:
        raise DataError(path, line, "", "citation split across lines: keep [@a; @b] on one line")
    uses = find_citations(markdown, masked)
    for use in uses:
        if use.key not in refs:
            raise DataError(path, use.line, use.key, "unknown citation key (not in references/*.bib)")
    return uses


# pymdownx.snippets lines, as it reads them: `--8<-- "file"` inline, or `--8<--` alone opening and closing a
# block of file names.
_SNIPPET_RE = re.compile(r"[ \t]*+-++8<-++[ \t]++(.*)")  # the name is stripped of spaces and quotes after
_SNIPPET_BLOCK_RE = re.compile(r"[ \t]*+-++8<-++[ \t]*+")


def _is_file(path):
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return False


def check_snippets(markdown, path, base_dir, first_line=1):
    """Every file a page includes with `--8<--` exists under base_dir (includes/): pymdownx.snippets stops the
    build with a traceback on a missing one. DataError at the page's line."""
    base_dir = Path(base_dir)
    in_block = False
    for number, line in enumerate(markdown.split("\n"), first_line):
        if _SNIPPET_BLOCK_RE.fullmatch(line):
            in_block = not in_block
            continue
        m = _SNIPPET_RE.fullmatch(line)
        name = m.group(1).strip() if m else (line.strip() if in_block else None)
        if name and len(name) > 1 and name[0] in "\"'" and name[-1] == name[0]:
            name = name[1:-1]
        if not name or name.startswith(";"):  # `;--8<--` is the escaped form: shown, not included
            continue
        name = name.split(":", 1)[0] if not _is_file(base_dir / name) else name  # file:lines or file:section
        target = base_dir / name
        if not _is_file(target) or not target.resolve().is_relative_to(base_dir.resolve()):
            raise DataError(path, number, "--8<--", f"no file {excerpt(name)} under {base_dir.name}/ to include")


def check_redirects(redirect_maps, docs_dir, config_path):
    """A redirect's old address must be free: mkdocs-redirects writes its stub over a page still at that path,
    so the page would silently vanish. DataError at the redirect's line of mkdocs.yml."""
    for old in redirect_maps or {}:
        if (Path(docs_dir) / old).is_file():
            text = read_text(config_path)
            at = text.find(f"{old}:")
            raise DataError(config_path, text.count("\n", 0, at) + 1 if at >= 0 else 1,
                            f"plugins.redirects.redirect_maps.{old}",
                            f"docs/{old} still exists: the redirect would replace that page (delete the page or "
                            "the redirect)")


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


def scan_docs(refs, ledger, docs_dir=DOCS_DIR, studies=None, sequences=None):
    """Read every page's source once: check its citations, claim markers and studies markers, and index who
    cites what (the keys that generated tables and figures cite included)."""
    docs_dir = Path(docs_dir)
    studies = studies or StudyData()
    sequences = sequences or Sequences({}, [])
    pages, cited_by, placed = {}, {}, {}
    for path in page_sources(docs_dir):
        src_uri = path.relative_to(docs_dir).as_posix()
        text = read_text(path)
        uses = check_citations(text, refs, path)  # read once: the page's citations, checked
        info = PageInfo(src_uri, page_title(text, src_uri), [], [])

        def cite(key, claim_id=None, info=info):
            if key not in info.keys:
                info.keys.append(key)
            uses = cited_by.setdefault(key, [])
            if (info.src_uri, claim_id) not in uses:
                uses.append((info.src_uri, claim_id))

        for use in uses:
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
        for name, args, line in markers(text):
            try:
                keys = marker_keys(name, args, studies, sequences)
            except ValueError as e:
                raise DataError(path, line, name, str(e)) from None
            for key in keys:
                cite(key)
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
    checks: dict = field(default_factory=dict)  # page -> {fingerprint: Record}
    checks_history: dict = field(default_factory=dict)  # superseded records, same shape (references/checks-history)
    reviews: dict = field(default_factory=dict)  # seed -> checks.Review (references/checks-review)
    coverage: dict = field(default_factory=dict)  # page -> PageCoverage
    studies: StudyData | None = None
    sequences: Sequences | None = None
    screening: object = None  # sitedata.screening.Screening: the search log and screening decisions


SITE = Site()
