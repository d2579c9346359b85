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
import math
import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .base import (
    DOCS_DIR,
    REFERENCES_DIR,
    DataError,
    drop_spans,
    load_yaml,
    mask_code,
    page_sources,
    read_text,
    shown_path,
)
from .quotes import parse_derived
from .schemas import CHECKS, check, record_of

CHECKS_DIR = REFERENCES_DIR / "checks"
HISTORY_DIR = REFERENCES_DIR / "checks-history"  # superseded records: what a statement said before a check changed it
VERDICTS = {"supported": "the source says this, at this strength",
            "partly": "the source says less than the text (the text was then rewritten)",
            "not-supported": "the source does not say this (the text was then rewritten or removed)",
            "unchecked": "not checked against its source (the note says why, e.g. the stored page was not found again)"}
WHERE = {"abstract", "full-text", "table", "figure", "label", "register", "record", "title", "summary"}
RECORD_FIELDS = {"statement", "text", "verdict", "checked", "sources", "correction", "note", "review",
                 "derived", "unhedged", "same_as_elsewhere"}
REVIEW_FIELDS = {"checked", "agrees", "note"}
SOURCE_FIELDS = {"says", "where", "seen", "quote", "quote_en", "quote_missing"}
QUOTE_MAX_WORDS = 90  # "at most about 50 words": a hard stop well above that catches a pasted paragraph
_NOT_ENGLISH_RE = re.compile(r"[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")  # Cyrillic, CJK, Hangul

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
    text = drop_spans(text, "](", ")", "]")  # keep a link's words, drop its target (linear: base.drop_spans)
    text = drop_spans(text, "{", "}", " ")  # attribute lists
    text = re.sub(r"[*_`\[\]|>#]", " ", text)
    return " ".join(text.split()).casefold()


@lru_cache(maxsize=1 << 16)  # each statement's is asked for by the coverage count and again by its check button
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
           for p in page_sources(docs_dir)}
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


def load_checks(refs, checks_dir=CHECKS_DIR, history=False):
    """{page source: {fingerprint: Record}}, every record checked. `history`: the superseded records of
    references/checks-history/, read with the same schema (the same statement may have been superseded twice, so
    a fingerprint may repeat there; the later record wins)."""
    checks_dir = Path(checks_dir)
    out = {}
    for path in sorted(checks_dir.rglob("*.yaml")) if checks_dir.is_dir() else ():
        page = page_of(path, checks_dir)
        raw, node = load_yaml(path)
        if raw is None:
            continue
        if not isinstance(raw, list):
            raise DataError(path, 1, "", "a list of records is expected (each starting with '- statement:')")
        check(CHECKS, raw, node, path, record_of(raw, None, "record", "statement"))  # shape (schemas.CHECKS)
        records = out.setdefault(page, {})
        for item, item_node in zip(raw, node.value, strict=True):
            line = item_node.start_mark.line + 1
            record = _check_record(item, path, line, page, refs)
            if record.statement in records and not history:
                first = records[record.statement]
                where = f"line {first.line}" if first.path == path else f"{shown_path(first.path)}:{first.line}"
                raise DataError(path, line, record.statement, f"duplicate record (first on {where})")
            # A statement superseded twice has two history records: both stay (keyed by their line).
            records[f"{record.statement}:{line}" if history else record.statement] = record
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
    if item["verdict"] in ("partly", "not-supported") and not str(item.get("correction") or "").strip():
        fail(fp, "a record that found the text stronger than its source needs 'correction:' (what was changed)")
    if item["verdict"] == "unchecked" and not str(item.get("note") or "").strip():
        fail(fp, "an unchecked record needs 'note:' saying why (e.g. the stored page was not found again)")
    for name in ("unhedged", "same_as_elsewhere", "note", "correction", "text"):
        if name in item and not (isinstance(item[name], str) and item[name].strip()):
            fail(name, "must be a non-empty text (quote it if YAML reads it as something else)")
    derived = item.get("derived")
    if derived is not None:
        if isinstance(derived, str):
            derived = [derived]
        if not isinstance(derived, list) or not derived or not all(isinstance(d, str) for d in derived):
            fail("derived", "a list of quoted texts such as \"18 / 0.4 = 45\"")
        for d in derived:
            try:
                parse_derived(d)
            except ValueError as e:
                fail("derived", f"{d!r}: {e}")
    sources = item.get("sources")
    if not isinstance(sources, dict) or not sources:
        fail(fp, "sources must map each cited key to {says, where, seen}")
    for key, src in sources.items():
        if key not in refs:
            fail(key, "source is not in references/*.bib")
        if not isinstance(src, dict) or not str(src.get("says") or "").strip():
            fail(key, "each source needs 'says' (in our words), 'where' and 'seen' (the stored page read)")
        unknown = set(src) - SOURCE_FIELDS
        if unknown:
            fail(sorted(unknown)[0], f"unknown field of source {key} (allowed: {', '.join(sorted(SOURCE_FIELDS))})")
        if src.get("where") not in WHERE:
            fail(key, f"where must be one of: {', '.join(sorted(WHERE))}")
        if not re.match(r"^https?://\S+$", str(src.get("seen") or "")):
            fail(key, "seen must be the URL of the stored page that was read")
        for name in ("quote", "quote_en", "quote_missing"):
            if name in src and not (isinstance(src[name], str) and src[name].strip()):
                fail(name, f"{key}: must be a non-empty text (the exact words, quoted)")
        if "quote" in src and "quote_missing" in src:
            fail("quote_missing", f"{key}: a source with a quote cannot also say its quote is missing")
        if "quote_en" in src and "quote" not in src:
            fail("quote_en", f"{key}: a translation needs the quote it translates")
        if "quote" in src:
            if _not_english(src["quote"]) and "quote_en" not in src:
                fail("quote_en", f"{key}: the quote is not in English: add our translation as quote_en")
            if len(src["quote"].split()) > QUOTE_MAX_WORDS:
                fail("quote", f"{key}: {len(src['quote'].split())} words; quote only the words that carry the "
                     f"statement (about 50, at most {QUOTE_MAX_WORDS})")
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


def _not_english(quote):
    """Mostly Cyrillic or CJK letters (an English quote may name a thing in Russian: 'Selank (Russian: Селанк)')."""
    letters = [c for c in quote if c.isalpha()]
    return len(_NOT_ENGLISH_RE.findall(quote)) > len(letters) / 2


def quoted(record):
    """Whether at least one source of the record carries a quote."""
    return any(src.get("quote") for src in record.sources.values())


def not_yet_quoted(checks):
    """Supported or partly supported live records none of whose sources has a quote yet (counted and shown;
    not a failure while the quotes are being filled in)."""
    return [r for recs in checks.values() for r in recs.values()
            if r.data["verdict"] in ("supported", "partly") and not quoted(r)]


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
    'supported' record (or an 'unchecked' one that says why), and a record whose statement has left the page is
    stale: it belongs in references/checks-history/ (`scripts/checks.py retire` moves it there).
    `complete` names the pages that must be complete (those with their own file; every page with records when
    not given); stale records are reported on every page. Each problem reads `file:line: fingerprint: message`."""
    out = []
    for page, records in sorted(checks.items()):
        stmts = [s for s in page_stmts.get(page, []) if not s.generated]
        on_page = {s.fingerprint: s for s in stmts}
        for s in stmts if complete is None or page in complete else ():
            r = records.get(s.fingerprint)
            if _is_current(r, s) or r and r.data["verdict"] == "unchecked" and set(r.sources) == set(s.keys):
                continue
            why = "no current verification record"
            if r and r.data["verdict"] != "supported":
                why += f" (its record says '{r.data['verdict']}': the statement must be rewritten and checked again)"
            elif r:
                why += (f" (the record lists sources {', '.join(sorted(r.sources))} but the statement cites "
                        f"{', '.join(sorted(s.keys))})")
            out.append(f"{s.where}: {s.fingerprint}: {why}")
        for fp, r in records.items():
            if fp in on_page:
                continue
            where = f"docs/{page}" if page in page_stmts else f"docs/{page} (no such page)"
            out.append(f"{shown_path(r.path)}:{r.line}: {fp}: stale record: its statement is no longer on {where}; "
                       "check the new wording with a new record, and move this one to references/checks-history/ "
                       "(python scripts/checks.py retire)")
    return out


def corrections(*record_sets):
    """Every record that found our text stronger than its source, with what was changed: the changelog's list.
    Read from the history records (where a superseded statement's record goes) and from the live ones (a record
    re-keyed in place to the corrected statement keeps its `correction`)."""
    found = [r for checks in record_sets for records in checks.values() for r in records.values()
             if r.data.get("correction")]
    return sorted(found, key=lambda r: (r.data["checked"], r.page), reverse=True)


# ----------------------------------------------------------------------------------------- second reading
# Every release, a seeded random 10% of the live records is re-read by a second reader who has not seen the
# first record (references/checks-review/<seed>.yaml, drawn by `scripts/checks.py sample --seed <seed>`).
REVIEW_DIR = REFERENCES_DIR / "checks-review"
SAMPLE_SHARE = 0.1
REVIEW_FILE_FIELDS = {"seed", "drawn", "population", "share", "sample"}
REVIEW_ENTRY_FIELDS = {"page", "statement", "text", "sources", "reading", "agrees", "fix", "checked"}


@dataclass
class Review:
    seed: str
    path: Path
    drawn: str
    population: int
    entries: list  # dicts with their line under "line"


def draw_sample(checks, seed, share=SAMPLE_SHARE):
    """A seeded random share (rounded up) of the live supported records, as [(page, fingerprint)] in reading
    order: the same seed and records always give the same sample."""
    population = sorted((page, fp) for page, recs in checks.items() for fp, r in recs.items()
                        if r.data["verdict"] == "supported")
    k = math.ceil(len(population) * share)
    return sorted(random.Random(str(seed)).sample(population, k)), len(population)


def seed_order(seed):
    return tuple(int(x) for x in re.findall(r"\d+", str(seed))), str(seed)


def load_reviews(review_dir=REVIEW_DIR):
    """{seed: Review}, each file checked: every entry names a page and a fingerprint; a reviewed entry has the
    reviewer's own reading, agrees 'yes' or 'no', and a fix when it does not agree."""
    review_dir = Path(review_dir)
    out = {}
    for path in sorted(review_dir.glob("*.yaml")) if review_dir.is_dir() else ():
        raw, node = load_yaml(path)
        if not isinstance(raw, dict):
            raise DataError(path, 1, "", "a mapping with seed, drawn, population, share and sample is expected")
        unknown = set(raw) - REVIEW_FILE_FIELDS
        if unknown:
            allowed = ", ".join(sorted(REVIEW_FILE_FIELDS))
            raise DataError(path, 1, sorted(unknown)[0], f"unknown field (allowed: {allowed})")
        seed = str(raw.get("seed") or "")
        if seed != path.stem:
            raise DataError(path, 1, "seed", f"must be the file's name ({path.stem})")
        if not isinstance(raw.get("population"), int) or not isinstance(raw.get("sample"), list):
            raise DataError(path, 1, "population", "population (a count) and sample (a list) are required")
        lines = {k.value: v for k, v in node.value}
        entries = []
        for item, item_node in zip(raw["sample"], lines["sample"].value, strict=True):
            line = item_node.start_mark.line + 1
            if not isinstance(item, dict) or set(item) - REVIEW_ENTRY_FIELDS or not item.get("page") \
                    or not re.fullmatch(r"[0-9a-f]{10}", str(item.get("statement") or "")):
                raise DataError(path, line, "statement", "each entry has page, statement (fingerprint), text and, "
                                f"once reviewed, reading, agrees ('yes'/'no'), fix, checked; allowed: "
                                f"{', '.join(sorted(REVIEW_ENTRY_FIELDS))}")
            if item.get("agrees") not in (None, "", "yes", "no"):
                raise DataError(path, line, str(item["statement"]), "agrees must be 'yes' or 'no' (quoted)")
            entries.append({**item, "line": line})
        drawn = raw.get("drawn")
        out[seed] = Review(seed, path, str(drawn), raw["population"], entries)
    return out


def current_review(reviews):
    return reviews[max(reviews, key=seed_order)] if reviews else None


def review_problems(review):
    """What keeps a sample from being fully reviewed: `file:line: fingerprint: message`."""
    out = []
    for e in review.entries if review else ():
        where = f"{shown_path(review.path)}:{e['line']}: {e['statement']}"
        if e.get("agrees") not in ("yes", "no") or not str(e.get("reading") or "").strip():
            out.append(f"{where}: not yet reviewed (needs the reviewer's own reading and agrees: 'yes' or 'no')")
        elif e["agrees"] == "no" and not str(e.get("fix") or "").strip():
            out.append(f"{where}: the reviewer disagreed: fix the statement or record and say how in 'fix'")
    if review and len(review.entries) < math.ceil(review.population * SAMPLE_SHARE):
        out.append(f"{shown_path(review.path)}:1: sample: {len(review.entries)} entries, fewer than "
                   f"{SAMPLE_SHARE:.0%} of {review.population}")
    return out


def review_summary(review):
    """(reviewed, disagreed, fixed) of one sample."""
    done = [e for e in review.entries if e.get("agrees") in ("yes", "no")]
    no = [e for e in done if e["agrees"] == "no"]
    return len(done), len(no), sum(1 for e in no if str(e.get("fix") or "").strip())
