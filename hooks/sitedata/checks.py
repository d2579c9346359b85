"""Verification records (references/checks/<page>.yaml): for every cited statement of a page, what its sources
say in our words, where in the source, the stored page it was read on, the verdict and the date.

A statement is the text of a paragraph, list item or table row up to one citation group `[@a; @b]` (a table row
is one statement with all its citations). Records are keyed by a fingerprint of the statement's normalised text,
so editing a statement, or changing its citations, leaves its record stale until it is checked again.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .base import DOCS_DIR, REFERENCES_DIR, DataError, load_yaml, mask_code, read_text

CHECKS_DIR = REFERENCES_DIR / "checks"
VERDICTS = {"supported": "the source says this, at this strength",
            "partly": "the source says less than the text (the text was then rewritten)",
            "not-supported": "the source does not say this (the text was then rewritten or removed)"}
WHERE = {"abstract", "full-text", "table", "figure", "label", "register", "record", "title", "summary"}
RECORD_FIELDS = {"statement", "text", "verdict", "checked", "sources", "correction", "note"}
SOURCE_FIELDS = {"says", "where", "seen"}

_CITE_RE = re.compile(r"\[(?:[^\[\]\n]*?;\s*)?@[\w-]+[^\[\]\n]*\]")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_ITEM_RE = re.compile(r"^(\s*)(?:[-*+]|\d+\.)\s+")
_KEY_RE = re.compile(r"@([\w-]+)")


@dataclass
class Statement:
    page: str
    line: int
    text: str
    keys: list

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


def _units(markdown):
    """(first line, text, kind) of every paragraph, list item and table row, outside front matter and code."""
    lines = markdown.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                start = i + 1
                break
    units, current, in_fence = [], None, False

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
            if not re.fullmatch(r"\|[\s:|-]*", stripped):
                units.append([i + 1, stripped, "row"])
            continue
        if _ITEM_RE.match(raw):
            close()
            current = [i + 1, _ITEM_RE.sub("", raw, count=1).strip(), "item"]
            continue
        if current is None:
            current = [i + 1, stripped, "paragraph"]
        else:
            current[1] += " " + stripped
    close()
    return units


def statements(markdown, page=""):
    """Every cited statement of a page's Markdown, in order."""
    out = []
    for line, text, kind in _units(markdown):
        groups = list(_CITE_RE.finditer(mask_code(text)))  # `[@key]` shown as code is no citation
        if not groups:
            continue
        line_of = _line_finder(markdown, line)
        if kind == "row":
            keys = [k for g in groups for k in _KEY_RE.findall(g.group(0))]
            out.append(Statement(page, line, text, list(dict.fromkeys(keys))))
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


def _line_finder(markdown, first_line):
    """Line of a citation group at or after a unit's first line."""
    offset = sum(len(x) + 1 for x in markdown.split("\n")[:first_line - 1])

    def find(group):
        at = markdown.find(group, offset)
        return markdown.count("\n", 0, at) + 1 if at >= 0 else first_line
    return find


def page_statements(docs_dir=DOCS_DIR):
    """{page source: [Statement]} for every page under docs/."""
    docs_dir = Path(docs_dir)
    return {p.relative_to(docs_dir).as_posix(): statements(read_text(p),
                                                           p.relative_to(docs_dir).as_posix())
            for p in sorted(docs_dir.rglob("*.md"))}


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


def load_checks(refs, checks_dir=CHECKS_DIR):
    """{page source: {fingerprint: Record}}, every record checked."""
    checks_dir = Path(checks_dir)
    out = {}
    for path in sorted(checks_dir.rglob("*.yaml")) if checks_dir.is_dir() else ():
        page = path.relative_to(checks_dir).as_posix().removesuffix(".yaml") + ".md"
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
                raise DataError(path, line, record.statement,
                                f"duplicate record (first on line {records[record.statement].line})")
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
    return Record(page, fp, {**item, "checked": str(checked)}, path, line, sources)


@dataclass
class PageCoverage:
    page: str
    statements: list  # Statement
    current: list  # Statement with a current 'supported' record
    missing: list  # Statement without a current record
    last_checked: str | None


def coverage(page_stmts, checks):
    """Per page: which cited statements have a current, supported record."""
    out = {}
    for page, stmts in page_stmts.items():
        records = checks.get(page, {})
        current, missing, dates = [], [], []
        for s in stmts:
            r = records.get(s.fingerprint)
            if r and r.data["verdict"] == "supported" and set(r.sources) == set(s.keys):
                current.append(s)
                dates.append(r.data["checked"])
            else:
                missing.append(s)
        out[page] = PageCoverage(page, stmts, current, missing, max(dates) if dates else None)
    return out


def corrections(checks):
    """Every record that found our text stronger than its source, with what was changed: the changelog's list."""
    found = [r for records in checks.values() for r in records.values() if r.data["verdict"] != "supported"]
    return sorted(found, key=lambda r: (r.data["checked"], r.page), reverse=True)
