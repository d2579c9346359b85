"""The search log and screening decisions (references/screening.yaml), and the PRISMA 2020 flow counts derived
from them and from the studies dataset. Every problem is a DataError naming the file, line and key; the counts
are computed here, never typed."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

from .base import REFERENCES_DIR, DataError
from .bibliography import LANGUAGES
from .studies import AWAITING, URL_RE, _compose, _lines, _section

SCREENING_PATH = REFERENCES_DIR / "screening.yaml"
SEARCH_FIELDS = ("date", "source", "language", "query", "results", "relevant", "new")
REPORT_FIELDS = ("key", "decision", "category", "reason", "quote", "seen")
DECISIONS = {"excluded": "Excluded", "awaiting-classification": "Awaiting classification"}
# A cited report that may hold data on people: a human study type, a patent (its examples are often patients),
# or a title or note that speaks of patients, participants, volunteers, subjects, trials or people. Each must be
# a study record or a decision in screening.yaml (tests/test_studies.py).
HUMAN_WORDS = re.compile(r"\b(patients?|participants?|volunteers?|subjects|trials?|people|children|adults|"
                         r"clinical stud\w*|пациент\w*|больн\w*|добровол\w*)\b", re.I)


@dataclass
class Screening:
    searches: list = field(default_factory=list)  # dicts, in file order
    reports: dict = field(default_factory=dict)  # key -> dict
    path: Path = SCREENING_PATH


def load_screening(refs, path=SCREENING_PATH):
    """The search log and decisions, checked. A missing file is an empty log."""
    path = Path(path)
    out = Screening(path=path)
    if not path.is_file():
        return out
    data, node = _compose(path)
    if data is not None and (not isinstance(data, dict) or set(data) - {"searches", "reports"}):
        raise DataError(path, 1, "screening", "the file holds 'searches' and 'reports' only")
    for name in ("searches", "reports"):
        if not (data or {}).get(name):
            continue
        items, nodes = _section(path, {name: (data or {}).get(name) or []}, _sub(node, name), name)
        for i, (item, item_node) in enumerate(zip(items, nodes, strict=False)):
            lines = _lines(item_node)
            line = item_node.start_mark.line + 1
            where = f"{name} {i + 1}" if name == "searches" else str(item.get("key", f"report {i + 1}"))

            def fail(key, msg, lines=lines, line=line, where=where):
                raise DataError(path, lines.get(key, line), where, msg)

            if not isinstance(item, dict):
                fail("", "each entry must be a mapping")
            if name == "searches":
                out.searches.append(_check_search(item, fail))
            else:
                report = _check_report(item, refs, fail)
                if report["key"] in out.reports:
                    fail("key", f"'{report['key']}' is decided twice")
                out.reports[report["key"]] = report
    return out


def _sub(node, name):
    """The node of a top-level key, wrapped so _section reads it like a whole file."""
    import yaml

    if node is None:
        return yaml.MappingNode("tag:yaml.org,2002:map", [])
    pairs = [(k, v) for k, v in node.value if k.value == name]
    return yaml.MappingNode("tag:yaml.org,2002:map", pairs)


def _check_search(item, fail):
    for name in item:
        if name not in SEARCH_FIELDS:
            fail(name, f"unknown field '{name}' (allowed: {', '.join(SEARCH_FIELDS)})")
    for name in SEARCH_FIELDS:
        if name not in item:
            fail("", f"missing field '{name}'")
    try:
        datetime.date.fromisoformat(str(item["date"]))
    except ValueError:
        fail("date", f"date {item['date']!r} must be YYYY-MM-DD")
    if item["language"] not in LANGUAGES:
        fail("language", f"language '{item['language']}' is not one of: {', '.join(LANGUAGES)}")
    for name in ("source", "query"):
        if not isinstance(item[name], str) or not item[name].strip():
            fail(name, f"{name} must be text")
    for name in ("results", "relevant", "new"):
        if isinstance(item[name], bool) or not isinstance(item[name], int) or item[name] < 0:
            fail(name, f"{name} {item[name]!r} must be a whole number >= 0")
    if not item["new"] <= item["relevant"] <= item["results"]:
        fail("relevant", "counts must satisfy new <= relevant <= results")
    return dict(item, date=str(item["date"]))


def _check_report(item, refs, fail):
    for name in item:
        if name not in REPORT_FIELDS:
            fail(name, f"unknown field '{name}' (allowed: {', '.join(REPORT_FIELDS)})")
    for name in ("key", "decision", "reason"):
        if name not in item:
            fail("", f"missing field '{name}'")
    if item["key"] not in refs:
        fail("key", f"bib key '{item['key']}' is not in references/*.bib")
    if item["decision"] not in DECISIONS:
        fail("decision", f"decision '{item['decision']}' is not one of: {', '.join(DECISIONS)}")
    if item["decision"] == "excluded" and not item.get("category"):
        fail("decision", "an exclusion needs a category (the short reason counted in the flow diagram)")
    for name in ("reason", "quote", "category"):
        if name in item and (not isinstance(item[name], str) or not item[name].strip()):
            fail(name, f"{name} must be text")
    for url in item.get("seen") or []:
        if not isinstance(url, str) or not URL_RE.match(url):
            fail("seen", f"not a URL: {url!r}")
    return dict(item)


def may_hold_human_data(ref):
    """Whether a bibliography entry may report data on people (see HUMAN_WORDS)."""
    if ref.study_type.startswith("human-") or ref.study_type == "meta-analysis" or ref.type == "patent":
        return True
    if ref.study_type in ("animal", "in-vitro", "in-silico"):
        return False
    text = " ".join(str(ref.get(f) or "") for f in ("title", "titletranslated", "annote", "description"))
    return bool(HUMAN_WORDS.search(text))


def unclassified(refs, cited, studies, screening):
    """Cited reports that may hold human data and are neither a study record's report nor decided here."""
    recorded = set(studies.by_key())
    return sorted(k for k in cited if k in refs and may_hold_human_data(refs[k])
                  and k not in recorded and k not in screening.reports)


@dataclass(frozen=True)
class Flow:
    """The PRISMA 2020 flow counts (identification, screening, included)."""
    bibliography: int  # reports cited on the site
    searches: int  # number of logged searches
    search_results: int  # results those searches returned
    duplicates: int  # relevant results already in the bibliography
    screened: int
    excluded_at_screening: int  # not a report of human data of Semax, its variants or Selank
    sought: int  # reports of human data
    awaiting: int  # awaiting classification: no primary report, or the data not read
    assessed: int
    excluded: dict  # category -> count
    included_studies: int
    included_reports: int
    semax_studies: int
    selank_studies: int


def flow(refs, cited, studies, screening):
    cited = {k for k in cited if k in refs}
    results = sum(s["results"] for s in screening.searches)
    duplicates = sum(s["relevant"] - s["new"] for s in screening.searches)
    new = sum(s["new"] for s in screening.searches)
    record_keys = set(studies.by_key())
    awaiting_records = [s for s in studies.studies.values() if s.tool is AWAITING]
    included = [s for s in studies.studies.values() if s.tool is not AWAITING]
    included_keys = {k for s in included for k in s.keys}
    awaiting_keys = {k for s in awaiting_records for k in s.keys} - included_keys
    decided = screening.reports
    sought = len(record_keys | set(decided)) + new
    awaiting = len(awaiting_keys) + sum(1 for r in decided.values() if r["decision"] == "awaiting-classification")
    excluded = {}
    for r in decided.values():
        if r["decision"] == "excluded":
            excluded[r["category"]] = excluded.get(r["category"], 0) + 1
    screened = len(cited) + results - duplicates
    return Flow(bibliography=len(cited), searches=len(screening.searches), search_results=results,
                duplicates=duplicates, screened=screened, excluded_at_screening=screened - sought, sought=sought,
                awaiting=awaiting, assessed=sought - awaiting, excluded=excluded, included_studies=len(included),
                included_reports=len(included_keys),
                semax_studies=sum(1 for s in included if s.drug != "selank"),
                selank_studies=sum(1 for s in included if s.drug == "selank"))
