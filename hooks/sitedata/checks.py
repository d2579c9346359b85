"""Verification records (references/checks/<page>.yaml): for every cited statement of a page, what its sources
say in our words, where in the source, the stored page it was read on, the verdict and the date.

A statement is the text of a paragraph, list item or table row up to one citation group `[@a; @b]` (a table row
is one statement with all its citations). Records are keyed by a fingerprint of the statement's normalised text,
so editing a statement, or changing its citations, leaves its record stale until it is checked again.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .base import DOCS_DIR, REFERENCES_DIR, DataError, load_yaml, mask_code, read_text, shown_path

CHECKS_DIR = REFERENCES_DIR / "checks"
VERDICTS = {"supported": "the source says this, at this strength",
            "partly": "the source says less than the text (the text was then rewritten)",
            "not-supported": "the source does not say this (the text was then rewritten or removed)"}
WHERE = {"abstract", "full-text", "table", "figure", "label", "register", "record", "title", "summary"}
RECORD_FIELDS = {"statement", "text", "verdict", "checked", "sources", "correction", "note", "review"}
REVIEW_FIELDS = {"checked", "agrees", "note"}
SOURCE_FIELDS = {"says", "where", "seen"}

_CITE_RE = re.compile(r"\[(?:[^\[\]\n]*?;\s*)?@[\w-]+[^\[\]\n]*\]")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d+\.)\s+")
_KEY_RE = re.compile(r"@([\w-]+)")
STUDY_TABLE_HEADER = "study design n comparator blinding"


@dataclass
class Statement:
    page: str
    line: int
    text: str
    keys: list
    header: str = ""  # for a table row: its table's header row
    file: str = ""  # where the statement is written, when not on the page itself (a claim's summary)

    @property
    def where(self):
        return f"{self.file or 'docs/' + self.page}:{self.line}"

    @property
    def generated(self):
        """A row of the standard study table of an indication page: that table is generated from
        references/studies.yaml, whose records are checked there, so the row needs no record here."""
        return (self.page.startswith("indications/")
                and normalise(self.header).startswith(STUDY_TABLE_HEADER))

    @property
    def fingerprint(self):
        return fingerprint(self.text)


def normalise(text):
    """What a reader reads: citations, Markdown punctuation and link targets dropped, spacing and case folded."""
    text = _CITE_RE.sub(" ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # keep a link's words, drop its target
    text = re.sub(r"\{[^}]*\}", " ", text)  # attribute lists
    text = re.sub(r"[*_`\[\]|>#]", " ", text)
    return " ".join(text.split()).casefold()


def fingerprint(text):
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()[:10]


def units(markdown):
    """[first line, text, kind, table header] of every paragraph, list item and table row (header rows
    excluded), outside front matter and code."""
    lines = markdown.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                start = i + 1
                break
    units, current, in_fence, header = [], None, False, ""

    def close():
        nonlocal current
        if current:
            units.append(current)
        current = None

    for i in range(start, len(lines)):
        raw = lines[i]
        if _FENCE_RE.match(raw):
            close()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith(("<", "!!!", "???", "#", ":")) and "[@" not in stripped:
            close()
            continue
        if stripped.startswith("|"):
            close()
            if not lines[i - 1].strip().startswith("|"):
                header = stripped  # a table's first row is its header
            elif not re.fullmatch(r"\|[\s:|-]*", stripped):
                units.append([i + 1, stripped, "row", header])
            continue
        if _ITEM_RE.match(raw):
            close()
            current = [i + 1, _ITEM_RE.sub("", raw, count=1).strip(), "item", ""]
            continue
        if current is None:
            current = [i + 1, stripped, "paragraph", ""]
        else:
            current[1] += " " + stripped
    close()
    return units


def statements(markdown, page=""):
    """Every cited statement of a page's Markdown, in order."""
    out, starts = [], None
    for line, text, kind, header in units(markdown):
        groups = list(_CITE_RE.finditer(mask_code(text)))  # `[@key]` shown as code is no citation
        if not groups:
            continue
        starts = starts or _line_starts(markdown)
        line_of = _line_finder(markdown, line, starts)
        if kind == "row":
            keys = [k for g in groups for k in _KEY_RE.findall(g.group(0))]
            out.append(Statement(page, line, text, list(dict.fromkeys(keys)), header))
            continue
        pos = 0
        for g in groups:
            piece = text[pos:g.start()].lstrip(" .,;:")
            keys = _KEY_RE.findall(g.group(0))
            if out and out[-1].page == page and len(normalise(piece).split()) < 3 and pos > 0:
                out[-1].keys = list(dict.fromkeys(out[-1].keys + keys))  # "[@a] and [@b]": one statement
                out[-1].text += piece + g.group(0)
            else:
                out.append(Statement(page, line_of(g.group(0)), piece + g.group(0), keys))
            pos = g.end()
    return out


def _line_finder(markdown, first_line, starts=None):
    """Line of a citation group at or after a unit's first line. `starts`: the offsets of the page's lines
    (_line_starts), computed once per page rather than once per unit."""
    starts = starts or _line_starts(markdown)
    offset = starts[first_line - 1]

    def find(group):
        at = markdown.find(group, offset)
        return bisect.bisect_right(starts, at) if at >= 0 else first_line
    return find


def _line_starts(markdown):
    starts = [0]
    starts += [m.end() for m in re.finditer("\n", markdown)]
    return starts


def page_statements(docs_dir=DOCS_DIR, ledger=None):
    """{page source: [Statement]} for every page under docs/; with the ledger, each claim's summary counts as a
    statement of the page whose claim box shows it."""
    docs_dir = Path(docs_dir)
    out = {p.relative_to(docs_dir).as_posix(): statements(read_text(p),
                                                          p.relative_to(docs_dir).as_posix())
           for p in sorted(docs_dir.rglob("*.md"))}
    for claim in ledger.claims.values() if ledger else ():
        if claim.sources:
            out.setdefault(claim.page, []).append(Statement(claim.page, claim.line, str(claim.summary),
                                                            list(claim.sources), file=shown_path(ledger.path)))
    return out


@dataclass
class Record:
    page: str
    statement: str
    data: dict
    path: Path
    line: int
    sources: dict = field(default_factory=dict)


def checks_path(page, checks_dir=CHECKS_DIR):
    return Path(checks_dir) / (page.removesuffix(".md") + ".yaml")


def page_of(path, checks_dir=CHECKS_DIR):
    """The page a record file belongs to: references/checks/mechanisms/index.yaml -> mechanisms/index.md."""
    return Path(path).relative_to(checks_dir).as_posix().removesuffix(".yaml") + ".md"


def pages_with_file(checks_dir=CHECKS_DIR):
    """Pages whose record file exists: from then on the page must be completely checked."""
    checks_dir = Path(checks_dir)
    return {page_of(p, checks_dir) for p in checks_dir.rglob("*.yaml")} if checks_dir.is_dir() else set()


def load_checks(refs, checks_dir=CHECKS_DIR):
    """{page source: {fingerprint: Record}}, every record checked."""
    checks_dir = Path(checks_dir)
    out = {}
    for path in sorted(checks_dir.rglob("*.yaml")) if checks_dir.is_dir() else ():
        page = page_of(path, checks_dir)
        raw, node = load_yaml(path)
        if raw is None:
            continue
        if not isinstance(raw, list):
            raise DataError(path, 1, "", "a list of records is expected (each starting with '- statement:')")
        records = out.setdefault(page, {})
        for item, item_node in zip(raw, node.value, strict=True):
            line = item_node.start_mark.line + 1
            record = _check_record(item, path, line, page, refs)
            if record.statement in records:
                first = records[record.statement]
                where = f"line {first.line}" if first.path == path else f"{shown_path(first.path)}:{first.line}"
                raise DataError(path, line, record.statement, f"duplicate record (first on {where})")
            records[record.statement] = record
    return out


def _check_record(item, path, line, page, refs):
    def fail(key, msg):
        raise DataError(path, line, key, msg)

    if not isinstance(item, dict):
        fail("statement", "each record is a mapping starting with 'statement:'")
    unknown = set(item) - RECORD_FIELDS
    if unknown:
        fail(sorted(unknown)[0], f"unknown field (allowed: {', '.join(sorted(RECORD_FIELDS))})")
    fp = str(item.get("statement") or "")
    if not re.fullmatch(r"[0-9a-f]{10}", fp):
        fail("statement", "must be the 10-character fingerprint printed by scripts/checks.py")
    if item.get("verdict") not in VERDICTS:
        fail(fp, f"verdict must be one of: {', '.join(VERDICTS)}")
    checked = item.get("checked")
    if isinstance(checked, datetime.date):
        checked = checked.isoformat()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(checked or "")):
        fail(fp, "checked must be a YYYY-MM-DD date")
    if item["verdict"] != "supported" and not str(item.get("correction") or "").strip():
        fail(fp, "a record that found the text stronger than its source needs 'correction:' (what was changed)")
    sources = item.get("sources")
    if not isinstance(sources, dict) or not sources:
        fail(fp, "sources must map each cited key to {says, where, seen}")
    for key, src in sources.items():
        if key not in refs:
            fail(key, "source is not in references/*.bib")
        if not isinstance(src, dict) or set(src) - SOURCE_FIELDS or not str(src.get("says") or "").strip():
            fail(key, "each source needs 'says' (in our words), 'where' and 'seen' (the stored page read)")
        if src.get("where") not in WHERE:
            fail(key, f"where must be one of: {', '.join(sorted(WHERE))}")
        if not re.match(r"^https?://\S+$", str(src.get("seen") or "")):
            fail(key, "seen must be the URL of the stored page that was read")
    review = item.get("review")
    if review is not None:  # a second checker re-read the sources of a sample of records
        if not isinstance(review, dict) or set(review) - REVIEW_FIELDS or review.get("agrees") not in ("yes", "no"):
            fail(fp, "review needs checked (YYYY-MM-DD), agrees ('yes' or 'no', quoted) and a note")
        when = review.get("checked")
        when = when.isoformat() if isinstance(when, datetime.date) else str(when or "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", when) or not str(review.get("note") or "").strip():
            fail(fp, "review needs checked (YYYY-MM-DD), agrees ('yes' or 'no', quoted) and a note")
        review = {**review, "checked": when}
    return Record(page, fp, {**item, "checked": str(checked), "review": review}, path, line, sources)


@dataclass
class PageCoverage:
    page: str
    statements: list  # Statement that needs a record (generated study-table rows left out)
    current: list  # Statement with a current 'supported' record
    missing: list  # Statement without a current record
    last_checked: str | None
    skipped: list = field(default_factory=list)  # generated study-table rows, checked in studies.yaml


def _is_current(record, stmt):
    disputed = (record.data.get("review") or {}).get("agrees") == "no" if record else False
    return record and record.data["verdict"] == "supported" and not disputed and set(record.sources) == set(stmt.keys)


def coverage(page_stmts, checks):
    """Per page: which cited statements have a current, supported record."""
    out = {}
    for page, stmts in page_stmts.items():
        records = checks.get(page, {})
        current, missing, dates = [], [], []
        skipped = [s for s in stmts if s.generated]
        stmts = [s for s in stmts if not s.generated]
        for s in stmts:
            r = records.get(s.fingerprint)
            if _is_current(r, s):
                current.append(s)
                dates.append(r.data["checked"])
            else:
                missing.append(s)
        out[page] = PageCoverage(page, stmts, current, missing, max(dates) if dates else None, skipped)
    return out


def site_coverage(cov):
    """(checked, total) cited statements over every page."""
    return sum(len(c.current) for c in cov.values()), sum(len(c.statements) for c in cov.values())


def problems(page_stmts, checks, complete=None):
    """What stops a page with a record file from counting as checked: every cited statement needs a current
    'supported' record, and a record whose statement has left the page is stale unless it documents a
    correction (partly / not-supported with correction:), which is kept as the history of that correction.
    `complete` names the pages that must be complete (those with their own file; every page with records when
    not given); stale records are reported on every page. Each problem reads `file:line: fingerprint: message`."""
    out = []
    for page, records in sorted(checks.items()):
        stmts = [s for s in page_stmts.get(page, []) if not s.generated]
        on_page = {s.fingerprint: s for s in stmts}
        for s in stmts if complete is None or page in complete else ():
            r = records.get(s.fingerprint)
            if _is_current(r, s):
                continue
            why = "no current verification record"
            if r and r.data["verdict"] != "supported":
                why += f" (its record says '{r.data['verdict']}': the statement must be rewritten and checked again)"
            elif r:
                why += (f" (the record lists sources {', '.join(sorted(r.sources))} but the statement cites "
                        f"{', '.join(sorted(s.keys))})")
            out.append(f"{s.where}: {s.fingerprint}: {why}")
        for fp, r in records.items():
            if fp in on_page or r.data["verdict"] != "supported":
                continue
            where = f"docs/{page}" if page in page_stmts else f"docs/{page} (no such page)"
            out.append(f"{shown_path(r.path)}:{r.line}: {fp}: stale record: its statement is no longer on {where}; "
                       "check the new wording and replace the record")
    return out


def corrections(checks):
    """Every record that found our text stronger than its source, with what was changed: the changelog's list."""
    found = [r for records in checks.values() for r in records.values() if r.data["verdict"] != "supported"]
    return sorted(found, key=lambda r: (r.data["checked"], r.page), reverse=True)
