"""One declared schema per data file: the shape of every dataset (which keys, which types, how long), checked
with jsonschema before any loader uses a value, so a list where text belongs or a 5 MB title is a
`file:line: key: message`, never a traceback or a 300 MB site.

The schemas say what a file looks like; the loaders (bibliography, ledger, studies, sequences, checks) keep the
rules that need more than one value (a bib key that exists, a grade its sources can carry). jsonschema's own
messages quote the offending value in full, so `check` writes its own, short ones.
"""

from __future__ import annotations

import datetime
import difflib
import re

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from .base import DataError

# Size limits. Real values are far below them (longest title 260 characters, largest n 1,000s): a value past
# a limit is a mistake or an attack, and one such field could otherwise fill the site.
MAX_TITLE = 1000
MAX_TEXT = 4000  # a summary, a note, an annote, an outcome
MAX_SHORT = 300  # a label, a page title, a description
MAX_N = 10_000_000  # participants in one arm
MIN_YEAR, MAX_YEAR = 1900, 2100


def text(limit=MAX_TEXT, min_length=0):
    return {"type": "string", "maxLength": limit, "minLength": min_length}


def text_list(limit=MAX_SHORT, max_items=50):
    return {"type": "array", "items": text(limit), "maxItems": max_items}


def mapping(properties, required=(), closed=True):
    out = {"type": "object", "properties": properties}
    if closed:
        out["additionalProperties"] = False
    if required:
        out["required"] = list(required)
    return out


# Dates are text (the loader keeps them so). "past-date": a real YYYY-MM-DD not after today (a check or a review
# cannot have happened tomorrow); "partial-date": YYYY, YYYY-MM or YYYY-MM-DD with a real month and day.
FORMATS = FormatChecker(formats=())
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PARTIAL_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def _real_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@FORMATS.checks("past-date")
def _past_date(value):
    if not isinstance(value, str):
        return True  # the type is checked on its own
    date = _real_date(value) if _DATE_RE.fullmatch(value) else None
    return date is not None and date <= datetime.date.today()


@FORMATS.checks("partial-date")
def _partial_date(value):
    m = _PARTIAL_RE.fullmatch(str(value)) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if not m:
        return False
    month, day = m.group(2), m.group(3)
    return (month is None or 1 <= int(month) <= 12) and (day is None or _real_date(str(value)) is not None)


PAST_DATE = {"type": "string", "format": "past-date"}
ID = {"type": "string", "pattern": r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", "maxLength": 80}
KEY_LIST = {"type": "array", "items": {"type": "string", "maxLength": 80}, "maxItems": 100}
NULLABLE_COUNT = {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_N}

# ------------------------------------------------------------------------------------------ page front matter
# The keys a page of docs/ may set (Material's and ours, hooks/sitedata/search.py); every text value is data.
FRONT_MATTER = mapping({
    "title": text(MAX_SHORT, 1),
    "description": text(MAX_SHORT, 1),
    "tags": text_list(60, 20),
    "hide": {"type": "array", "items": {"enum": ["navigation", "toc", "footer", "feedback", "tags", "path"]}},
    "search": {},  # checked, with its own limits and messages, by sitedata.search (read_search_tuning)
})

# ------------------------------------------------------------------------------ references/studies.yaml
STUDY = mapping({
    "id": ID, "key": {"type": "string", "maxLength": 80}, "also": KEY_LIST,
    "drug": text(80), "indication": text(80),
    "year": {"type": ["integer", "null"], "minimum": MIN_YEAR, "maximum": MAX_YEAR},
    "design": text(80),
    "arms": {"type": "array", "maxItems": 50, "items": mapping(
        {"label": text(MAX_SHORT), "n": {"maximum": MAX_N}})},  # its type and minimum: the loader's message
    **{name: text(MAX_SHORT * 2) for name in ("country", "allocation", "blinding", "population", "dose",
                                              "route", "schedule", "comparator", "duration", "follow_up",
                                              "registration")},
    "follow_up_days": {"maximum": 100_000},
    "outcomes": {"type": "array", "maxItems": 50, "items": mapping(
        {"measure": text(MAX_SHORT * 2), "result": text()})},
    "language": text(10),
    "seen": {"type": "array", "maxItems": 50, "items": text(2000)},
    "read": text(20),
    "rob": mapping({
        "tool": text(40), "reason": text(), "overall": mapping({"judgement": text(40), "reason": text()}),
        # A domain is one judgement, or one per outcome where outcomes differ in kind (both tools allow it).
        "domains": {"type": ["object", "null"], "additionalProperties": {"anyOf": [
            mapping({"judgement": text(40), "reason": text(MAX_SHORT * 2), "quote": text(MAX_SHORT * 2)}),
            {"type": "array", "maxItems": 20, "items": mapping(
                {"outcome": text(MAX_SHORT), "judgement": text(40), "reason": text(MAX_SHORT * 2),
                 "quote": text(MAX_SHORT * 2)})}]}}}),
    "notes": text(),
}, closed=False)  # unknown and missing fields are named by the loader's own messages
STUDIES = mapping({"studies": {"type": ["array", "null"], "items": STUDY}}, closed=False)

# ------------------------------------------------------------------------------ references/timeline.yaml
EVENT = mapping({"date": {"type": ["string", "integer"], "format": "partial-date"}, "event": text(MAX_SHORT * 2),
                 "kind": text(40), "sources": KEY_LIST}, closed=False)
TIMELINE = mapping({"events": {"type": ["array", "null"], "items": EVENT}}, closed=False)

# ------------------------------------------------------------------------------ references/sequences.yaml
SEQUENCE = mapping({"id": text(80), "name": text(MAX_SHORT), "note": text(), "sources": KEY_LIST,
                    "segments": {"type": ["array", "null"], "maxItems": 100, "items": mapping(
                        {"origin": text(80), "residues": {"type": ["array", "null"], "maxItems": 200,
                                                          "items": text(10)}}, closed=False)}}, closed=False)
SEQUENCES = mapping({
    "sequences": {"type": ["array", "null"], "maxItems": 100, "items": SEQUENCE},
    "origins": {"type": ["object", "null"], "additionalProperties": mapping(
        {"label": text(MAX_SHORT), "short": text(80), "sources": KEY_LIST}, closed=False)},
}, closed=False)

# ------------------------------------------------------------------------- references/checks/<page>.yaml
RECORD = mapping({
    # A fingerprint of digits only is a number to YAML: the loader reads it as text.
    "statement": {"type": ["string", "integer"], "maxLength": 10}, "text": text(), "verdict": text(40),
    "checked": PAST_DATE,
    "correction": text(), "note": text(),
    "derived": text_list(MAX_SHORT, 50), "unhedged": text(), "same_as_elsewhere": text(),
    "sources": {"type": "object", "maxProperties": 100, "additionalProperties": mapping(
        {"says": text(), "where": text(40), "seen": text(2000), "quote": text(), "quote_en": text(),
         "quote_missing": text()}, closed=False)},
    "review": {"type": ["object", "null"], "properties": {"checked": PAST_DATE, "agrees": text(3), "note": text()}},
}, closed=False)
CHECKS = {"type": ["array", "null"], "items": RECORD}

# ---------------------------------------------------------------------------------- references/claims.yaml
_LABELLED = {"type": "object", "additionalProperties": mapping(
    {"label": text(MAX_SHORT), "meaning": text(), "symbol": text(MAX_SHORT)}, closed=False)}
CLAIM = mapping({
    "id": {"type": "string", "maxLength": 20}, "claim": text(), "summary": text(), "verdict": text(40),
    "grade": text(10), "page": text(200), "sources": KEY_LIST, "reviewed": text(10),
    "grade_override": mapping({"grade": text(10), "reason": text()}, closed=False),
    "history": {"type": "array", "maxItems": 100, "items": mapping(
        {"date": text(10), "verdict": text(40), "grade": text(10), "note": text()}, closed=False)},
}, closed=False)  # unknown and missing fields, real dates: the loader's own messages
del CLAIM["type"]  # a claim that is not a mapping: the loader says how one starts
LEDGER = mapping({"verdicts": _LABELLED, "grades": _LABELLED, "claims": {"items": CLAIM}}, closed=False)


# --------------------------------------------------------------------------------------------------- checking
def node_at(node, path):
    """The YAML node at a path of keys and indices (as far down as it exists)."""
    for step in path:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == str(step)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            found = node.value[step]
        else:
            found = None
        if found is None:
            break
        node = found
    return node


def key_node_at(node, path):
    """The node of the last key of path when it names a mapping key (its line is where the key is written)."""
    parent = node_at(node, list(path)[:-1])
    if path and isinstance(parent, yaml.MappingNode):
        return next((k for k, _ in parent.value if k.value == str(path[-1])), None)
    return None


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
               "array": "a list", "object": "a mapping", "null": "empty (null)"}


def _message(error):
    """A short message for a jsonschema error: never the value itself (it may be megabytes)."""
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        types = [expected] if isinstance(expected, str) else expected
        got = type(error.instance).__name__.replace("str", "text").replace("dict", "mapping")
        hint = " (quote text in YAML)" if "string" in types else ""
        return f"must be {' or '.join(_TYPE_WORDS[t] for t in types)}, not {got}{hint}"
    if kind == "maxLength":
        return f"{len(error.instance):,} characters: at most {expected:,}"
    if kind == "minLength":
        return "must not be empty"
    if kind in ("maxItems", "maxProperties"):
        return f"{len(error.instance):,} items: at most {expected:,}"
    if kind == "maximum":
        return f"{'a number' if abs(error.instance) > 10 ** 12 else error.instance} is above the limit {expected:,}"
    if kind == "minimum":
        return f"{error.instance} is below the minimum {expected}"
    if kind == "enum":
        return f"must be one of: {', '.join(map(str, expected))}"
    if kind == "format":
        return {"past-date": "must be a real YYYY-MM-DD date, not after today",
                "partial-date": "must be YYYY, YYYY-MM or YYYY-MM-DD, with a real month and day"}[expected]
    if kind == "pattern":
        return "must be lowercase letters, digits and single hyphens"
    if kind == "required":
        missing = [k for k in expected if k not in error.instance]
        return f"missing '{missing[0]}'"
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unknown = [k for k in error.instance if k not in allowed]
        hint = difflib.get_close_matches(str(unknown[0]), allowed, n=1)
        return (f"unknown key '{unknown[0]}'" + (f": did you mean '{hint[0]}'?" if hint else "")
                + f" (allowed: {', '.join(allowed)})")
    return f"does not fit the schema ({kind})"


def check(schema, data, node, path, record=None):
    """Raise DataError at the line of the first value of `data` (read from the YAML `node`) that does not fit
    `schema`. `record(where)` gives (key, field) for a path of keys and indices, so a message names the record
    (a claim's or study's id) and its field; by default the key is the dotted path."""
    errors = Draft202012Validator(schema, format_checker=FORMATS).iter_errors(data)
    error = min(errors, key=lambda e: (_line(node, e), len(e.absolute_path)), default=None)
    if error is None:
        return
    where = list(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        where.append(next(k for k in error.instance if k not in allowed))
    if record:
        key, field = record(where)
        message = (f"'{field}' " if field else "") + _message(error)
    else:
        key, message = ".".join(map(str, where)), _message(error)
    raise DataError(path, _line(node, error, where), key, message)


def record_of(data, section=None, name="record", id_field="id"):
    """A `record` function for check(): items of a list (under `section`) named by their `id_field`."""
    def record(where):
        items = data.get(section) if section and isinstance(data, dict) else data
        if section and (not where or where[0] != section):
            return ".".join(map(str, where)), ""
        rest = where[1:] if section else where
        if not rest or not isinstance(items, list) or not isinstance(rest[0], int):
            return ".".join(map(str, where)), ""
        item = items[rest[0]]
        rid = item.get(id_field) if isinstance(item, dict) else None
        key = rid if isinstance(rid, str) and len(rid) <= 80 else f"{name} {rest[0] + 1}"
        return key, ".".join(map(str, rest[1:]))
    return record


def _line(node, error, where=None):
    where = list(error.absolute_path) if where is None else where
    if node is None:
        return 1
    key = key_node_at(node, where)
    return (key or node_at(node, where)).start_mark.line + 1
