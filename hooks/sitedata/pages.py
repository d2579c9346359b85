"""The pages' sources: the citations and claim markers of every docs/*.md, checked and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs_bibtex.citation import CITATION_BLOCK_REGEX, Citation

from .base import DOCS_DIR, DataError, mask_code, page_title, read_text
from .ledger import Ledger, claim_markers
from .sequences import Sequences
from .studies import StudyData, marker_keys, markers


@dataclass
class CitationUse:
    key: str
    line: int


def find_citations(markdown, masked=None):
    """Every `[@key]` in a page, with its line, parsed the way mkdocs-bibtex parses it. A citation shown as
    code (inline `[@key]` or inside a fenced block) is not one: hooks/bibliography.py hides it from
    mkdocs-bibtex by the same rule (mask_code). `masked`: mask_code(markdown), when the caller has it."""
    found = []
    line, counted = 1, 0
    for block in CITATION_BLOCK_REGEX.finditer(masked if masked is not None else mask_code(markdown)):
        line += markdown.count("\n", counted, block.start())  # counted as we go, not from the top each time
        counted = block.start()
        for cite in Citation.from_markdown(block.group(1)):
            found.append(CitationUse(cite.key, line))
    return found


SPLIT_CITATION_RE = re.compile(r"\[@[^\]\n]*\n")


def check_citations(markdown, refs, path):
    """The page's citations (find_citations), each checked: on one line, and a key of the bibliography."""
    masked = mask_code(markdown)
    split = SPLIT_CITATION_RE.search(masked)
    if split:
        line = markdown.count("\n", 0, split.start()) + 1
        raise DataError(path, line, "", "citation split across lines: keep [@a; @b] on one line")
    uses = find_citations(markdown, masked)
    for use in uses:
        if use.key not in refs:
            raise DataError(path, use.line, use.key, "unknown citation key (not in references/*.bib)")
    return uses



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
    for path in sorted(docs_dir.rglob("*.md")):
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
    coverage: dict = field(default_factory=dict)  # page -> PageCoverage
    studies: StudyData | None = None
    sequences: Sequences | None = None


SITE = Site()
