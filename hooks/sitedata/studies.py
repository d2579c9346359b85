"""The human studies (references/studies.yaml) and the dated history (references/timeline.yaml).

Every record is checked against the agreed schema; a problem is a DataError naming the file, the line of the
offending field (read from the YAML node tree) and the study id. Derived values (total n, overall risk of bias)
are computed here, never typed in the data. A missing file means "no studies yet", so a fresh or generated
project without one still builds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .base import DOCS_DIR, REFERENCES_DIR, DataError, Fields, load_yaml
from .bibliography import LANGUAGES
from .schemas import STUDIES, TIMELINE, check, record_of

STUDIES_PATH = REFERENCES_DIR / "studies.yaml"
TIMELINE_PATH = REFERENCES_DIR / "timeline.yaml"

STUDY_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: `$` would let "id\n" through
URL_RE = re.compile(r"^https?://\S+\Z")
EVENT_DATE_RE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?\Z")

DRUGS = {"semax": "Semax", "n-acetyl-semax": "N-Acetyl Semax", "n-acetyl-semax-amidate": "N-Acetyl Semax Amidate",
         "selank": "Selank"}
# A design's words are the bibliography's words for the matching study type (STUDY_TYPE_OF), so a study reads the
# same in a study table and in its bibliography badge.
DESIGNS = {"randomised": "Randomised controlled trial", "controlled": "Controlled human study",
           "open-label": "Open-label human study", "case-series": "Human case series", "crossover": "Crossover trial",
           "pharmacokinetic": "Human pharmacokinetics", "meta-analysis": "Pooled analysis of human studies"}
STUDY_TYPE_OF = {"randomised": "human-rct", "controlled": "human-controlled", "open-label": "human-open-label",
                 "case-series": "human-case-series", "crossover": "human-rct", "pharmacokinetic": "human-pk",
                 "meta-analysis": "meta-analysis"}
# Indications that have no page of their own.
EXTRA_INDICATIONS = {"healthy-volunteers": "Healthy volunteers", "other": "Other"}
DEVELOPER_LINKED = {"yes", "no", "unknown"}
READ = {"abstract": "abstract", "full-text": "full text", "secondary": "secondary source"}
EVENT_KINDS = {"development": "Development", "registration": "Registration", "study": "Study",
               "regulatory": "Regulatory"}


@dataclass(frozen=True)
class Tool:
    name: str
    domains: dict  # slug -> label, in the tool's order
    judgements: tuple  # best to worst: the overall judgement is the worst domain
    status: str = ""  # for the entries that are not a tool: the overall "judgement" they stand for


ROB2 = Tool("RoB 2", {"randomisation": "Randomisation", "deviations": "Deviations from intended interventions",
                      "missing-data": "Missing outcome data", "measurement": "Measurement of the outcome",
                      "reporting": "Selection of the reported result"},
            ("low", "some-concerns", "high"))
# ROBINS-I ranks "no information" above moderate and below serious: the tool's guidance uses it when nothing
# points to serious bias but key information is missing.
ROBINS_I = Tool("ROBINS-I", {"confounding": "Confounding", "selection": "Selection of participants",
                             "classification": "Classification of interventions",
                             "deviations": "Deviations from intended interventions",
                             "missing-data": "Missing data", "measurement": "Measurement of outcomes",
                             "reporting": "Selection of the reported result"},
                ("low", "moderate", "no-information", "serious", "critical"))
NOT_ASSESSED = Tool("n/a", {}, (), "n/a")
# Outside both tools, said as such rather than judged: a study without a comparator group (ROBINS-I assesses
# comparisons), and a study known only from someone else's account, whose primary report was not identified.
NOT_ASSESSABLE = Tool("not assessable", {}, (), "not-assessable")
AWAITING = Tool("awaiting classification", {}, (), "awaiting-classification")
TOOLS = {t.name: t for t in (ROB2, ROBINS_I, NOT_ASSESSED, NOT_ASSESSABLE, AWAITING)}
NOT_ASSESSED_DESIGNS = {"pharmacokinetic", "meta-analysis"}
JUDGEMENT_LABELS = {"low": "Low", "some-concerns": "Some concerns", "high": "High", "moderate": "Moderate",
                    "serious": "Serious", "critical": "Critical", "no-information": "No information",
                    "n/a": "Not assessed", "not-assessable": "Not assessable (no comparator)",
                    "awaiting-classification": "Awaiting classification (no primary report)"}
# One colour scale for both tools (figure colours and CSS classes), as a second cue only: the tool's own word is
# always shown, and RoB 2 and ROBINS-I words are never merged ("some concerns" is not "moderate").
RISK_LEVEL = {"low": "low", "some-concerns": "moderate", "moderate": "moderate", "no-information": "unclear",
              "high": "serious", "serious": "serious", "critical": "critical", "n/a": "none",
              "not-assessable": "none", "awaiting-classification": "none"}
# Text values that mean "the text we read does not say": exported as null with this reason, never as six spellings.
NOT_REPORTED = "not reported"

TEXT_FIELDS = ("country", "allocation", "blinding", "population", "dose", "route", "schedule", "comparator",
               "duration", "follow_up", "registration")
REQUIRED = ("id", "key", "drug", "indication", "year", "design", "arms", *TEXT_FIELDS, "follow_up_days",
            "outcomes", "developer_linked", "language", "seen", "read", "rob")
# n_reported: the total the report gives when it does not split it between the arms (arms then have n: null).
# design_inferred: why the design is ours, when the report does not state it. overlap: other records that may
# share participants with this one ({with, reason}).
OPTIONAL = ("also", "notes", "n_reported", "design_inferred", "overlap")
FIELDS = (*REQUIRED, *OPTIONAL)
EVENT_FIELDS = ("date", "event", "kind", "sources")


@dataclass
class Study(Fields):
    id: str
    data: dict
    line: int
    lines: dict = field(default_factory=dict, repr=False)  # dotted field path -> line

    @property
    def keys(self):
        """The primary report and every other report of the same study."""
        return [self.data["key"], *(self.data.get("also") or [])]

    @property
    def n_total(self):
        """Sum of the arms; the reported total when the report does not split it; None when not reported."""
        ns = [arm["n"] for arm in self.data["arms"]]
        if any(n is None for n in ns):
            return self.data.get("n_reported")
        return sum(ns)

    @property
    def tool(self):
        return TOOLS[self.data["rob"]["tool"]]

    def judgements(self, domain):
        """[(outcome or None, judgement, reason, quote or None)] of one domain: one entry, or one per outcome."""
        entry = self.data["rob"]["domains"][domain]
        items = entry if isinstance(entry, list) else [entry]
        return [(i.get("outcome"), i["judgement"], i["reason"], i.get("quote")) for i in items]

    def judgement(self, domain):
        """A domain's judgement; judged per outcome, the worst of them (what the overall rule needs)."""
        return max((j for _, j, _, _ in self.judgements(domain)), key=self.tool.judgements.index)

    @property
    def computed_overall(self):
        """Each tool's own overall rule from its domains. RoB 2: low only if every domain is low, high if any is
        high, else some concerns; ROBINS-I: the worst domain, "no information" ranking above moderate and below
        serious. Both are the worst domain on the tool's scale."""
        tool = self.tool
        if not tool.domains:
            return tool.status
        return max((self.judgement(d) for d in tool.domains), key=tool.judgements.index)

    @property
    def raised(self):
        """The reviewer's raised overall judgement ({judgement, reason}), or None."""
        return self.data["rob"].get("overall")

    @property
    def overall(self):
        """The overall judgement: the tool's rule, or the reviewer's higher judgement where one is given."""
        return self.raised["judgement"] if self.raised else self.computed_overall


@dataclass
class Event:
    date: str
    event: str
    kind: str
    sources: list
    line: int

    @property
    def year(self):
        return int(self.date[:4])

    @property
    def when(self):
        """Fractional year, for placing the event on an axis."""
        parts = [int(p) for p in self.date.split("-")]
        month = parts[1] if len(parts) > 1 else 7  # a bare year sits mid-year
        day = parts[2] if len(parts) > 2 else 15
        return parts[0] + (month - 1) / 12 + (day - 1) / 365


@dataclass
class StudyData:
    studies: dict = field(default_factory=dict)  # id -> Study, in file order
    timeline: list = field(default_factory=list)  # Events, by date
    path: Path = STUDIES_PATH
    indications: set = field(default_factory=set)  # slugs of the pages docs/indications/<slug>.md

    def for_indication(self, slug):
        return [s for s in self.studies.values() if s.indication == slug]

    def by_key(self):
        out = {}
        for study in self.studies.values():
            for key in study.keys:
                out.setdefault(key, []).append(study)
        return out


def _check_fields(item, allowed, required, fail):
    """No field outside `allowed`, none of `required` missing: fail(field, message) names the line."""
    for name in item:
        if name not in allowed:
            fail(str(name), f"unknown field '{name}' (allowed: {', '.join(allowed)})")
    for name in required:
        if name not in item:
            fail("", f"missing field '{name}'")


# ------------------------------------------------------------------------------------------------- YAML nodes
def _compose(path):
    """(data, node tree) of a YAML file, read by the data layer's one strict loader (no aliases, no key twice)."""
    return load_yaml(path)


def _lines(node, prefix=""):
    """Line of every mapping key and sequence item under node, by dotted path ('arms.0.n', 'rob.tool')."""
    out = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = f"{prefix}.{key.value}" if prefix else str(key.value)
            out[path] = key.start_mark.line + 1
            out.update(_lines(value, path))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}.{i}" if prefix else str(i)
            out[path] = item.start_mark.line + 1
            out.update(_lines(item, path))
    return out


def _section(path, data, node, name):
    """The list under a top-level key, with the node of each item."""
    if data is None:
        return [], []
    if not isinstance(data, dict) or name not in data:
        raise DataError(path, 1, name, "missing top-level section")
    items = data[name] or []
    if not isinstance(items, list):
        raise DataError(path, node.start_mark.line + 1, name, "must be a list")
    unknown = [k for k in data if k != name]
    if unknown:
        line = next(k.start_mark.line + 1 for k, _ in node.value if k.value == unknown[0])
        raise DataError(path, line, unknown[0], f"unknown top-level section (only '{name}')")
    nodes = next(v for k, v in node.value if k.value == name)
    return items, (nodes.value if isinstance(nodes, yaml.SequenceNode) else [])


# ---------------------------------------------------------------------------------------------------- studies
def load_studies(refs, path=STUDIES_PATH, docs_dir=DOCS_DIR):
    """Every study record, checked against the schema. A missing file is an empty dataset."""
    path, docs_dir = Path(path), Path(docs_dir)
    indications = {p.stem for p in (docs_dir / "indications").glob("*.md") if p.stem != "index"}
    data = StudyData(path=path, indications=indications)
    if not path.is_file():
        return data
    raw, root = _compose(path)
    check(STUDIES, raw, root, path, record_of(raw, "studies", "study"))  # the shape, before any value is used
    items, nodes = _section(path, raw, root, "studies")
    for item, node in zip(items, nodes, strict=True):
        study = _check_study(path, item, node, refs, indications)
        if study.id in data.studies:
            raise DataError(path, study.line, study.id,
                            f"duplicate study id (first on line {data.studies[study.id].line})")
        data.studies[study.id] = study
    for study in data.studies.values():
        for i, entry in enumerate(study.data.get("overlap") or []):
            if entry["with"] not in data.studies or entry["with"] == study.id:
                raise DataError(path, study.lines.get(f"overlap.{i}", study.line), study.id,
                                f"overlap: '{entry['with']}' is not another study id of this file")
    return data


def _check_study(path, item, node, refs, indications):
    line = node.start_mark.line + 1
    lines = _lines(node)
    sid = item.get("id") if isinstance(item, dict) else None

    def fail(where, msg):
        # The line of the field, else of its nearest parent, else of the record.
        parts = where.split(".") if where else []
        while parts and ".".join(parts) not in lines:
            parts.pop()
        raise DataError(path, lines.get(".".join(parts), line), sid or "study", msg)

    if not isinstance(item, dict):
        fail("", "each study must be a mapping of fields")
    _check_fields(item, FIELDS, REQUIRED, fail)
    if not isinstance(sid, str) or not STUDY_ID_RE.match(sid):
        fail("id", f"id {sid!r} must be lowercase letters, digits and single hyphens")
    also = item.get("also", [])
    if not isinstance(also, list):
        fail("also", "also must be a list of bib keys")
    for where, key in [("key", item["key"]), *((f"also.{i}", k) for i, k in enumerate(also))]:
        if not isinstance(key, str) or key not in refs:
            fail(where, f"bib key '{key}' is not in references/*.bib")
    ref = refs[item["key"]]
    if item["drug"] not in DRUGS:
        fail("drug", f"drug '{item['drug']}' is not one of: {', '.join(DRUGS)}")
    if item["indication"] not in indications and item["indication"] not in EXTRA_INDICATIONS:
        fail("indication", f"indication '{item['indication']}' is not a page docs/indications/<slug>.md "
                           f"nor one of: {', '.join(EXTRA_INDICATIONS)}")
    year = item["year"]
    if ref.year:
        if year is None or str(year) != ref.year or isinstance(year, bool):
            fail("year", f"year {year!r} does not match the bib entry {item['key']} ({ref.year})")
    elif year is not None:
        fail("year", f"year {year!r} given but the bib entry {item['key']} has no year: leave it null")
    if item["design"] not in DESIGNS:
        fail("design", f"design '{item['design']}' is not one of: {', '.join(DESIGNS)}")
    _check_arms(item, fail)
    for name in TEXT_FIELDS:
        if not isinstance(item[name], str) or not item[name].strip():
            fail(name, f"'{name}' must be text (write \"not reported\" when the paper does not say)")
    days = item["follow_up_days"]
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 0):
        fail("follow_up_days", f"follow_up_days {days!r} must be a whole number of days >= 0, or null")
    outcomes = item["outcomes"]
    if not isinstance(outcomes, list) or not outcomes:
        fail("outcomes", "outcomes must be a non-empty list of {measure, result}")
    for i, outcome in enumerate(outcomes):
        _check_mapping(outcome, ("measure", "result"), f"outcomes.{i}", fail)
    if str(item["developer_linked"]) not in DEVELOPER_LINKED or isinstance(item["developer_linked"], bool):
        fail("developer_linked", f"developer_linked must be one of: {', '.join(sorted(DEVELOPER_LINKED))} "
                                 "(quote it in YAML)")
    if item["language"] not in LANGUAGES:
        fail("language", f"language '{item['language']}' is not one of: {', '.join(LANGUAGES)}")
    if item["language"] != ref.language:
        fail("language", f"language '{item['language']}' differs from the bib entry {item['key']} ({ref.language})")
    seen = item["seen"]
    if not isinstance(seen, list) or not seen:
        fail("seen", "seen must list the stored pages read for this record")
    for i, url in enumerate(seen):
        if not isinstance(url, str) or not URL_RE.match(url):
            fail(f"seen.{i}", f"not a URL: {url!r}")
    if item["read"] not in READ:
        fail("read", f"read '{item['read']}' is not one of: {', '.join(READ)}")
    _check_rob(item, fail)
    if "notes" in item and not isinstance(item["notes"], str):
        fail("notes", "notes must be one line of text")
    _check_extras(item, fail)
    return Study(sid, item, line, lines)


def _check_extras(item, fail):
    """The optional fields n_reported, design_inferred and overlap."""
    if "n_reported" in item:
        n = item["n_reported"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            fail("n_reported", f"n_reported {n!r} must be a whole number >= 1")
        if all(a["n"] is not None for a in item["arms"]):
            fail("n_reported", "n_reported is only for a total that the report does not split between the arms "
                               "(give the arms n: null)")
    if "design_inferred" in item and (not isinstance(item["design_inferred"], str)
                                      or not item["design_inferred"].strip()):
        fail("design_inferred", "design_inferred says why the design is ours: one line of text")
    overlap = item.get("overlap", [])
    if not isinstance(overlap, list):
        fail("overlap", "overlap must be a list of {with, reason}")
    for i, entry in enumerate(overlap):
        _check_mapping(entry, ("with", "reason"), f"overlap.{i}", fail)


def _check_mapping(value, fields, where, fail):
    if not isinstance(value, dict):
        fail(where, f"must be a mapping with {', '.join(fields)}")
    for name in value:
        if name not in fields:
            fail(f"{where}.{name}", f"unknown field '{name}' in {where} (allowed: {', '.join(fields)})")
    for name in fields:
        if name not in value:
            fail(where, f"missing '{name}' in {where}")


def _check_arms(item, fail):
    arms = item["arms"]
    if not isinstance(arms, list) or not arms:
        fail("arms", "arms must be a non-empty list of {label, n}")
    for i, arm in enumerate(arms):
        _check_mapping(arm, ("label", "n"), f"arms.{i}", fail)
        n = arm["n"]
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
            fail(f"arms.{i}.n", f"n {n!r} must be a whole number >= 1, or null when not reported")
        if not isinstance(arm["label"], str) or not arm["label"].strip():
            fail(f"arms.{i}.label", "each arm needs a label")


ROB_FIELDS = ("tool", "domains", "reason", "overall")
JUDGED_FIELDS = ("judgement", "reason", "quote", "outcome")


def _check_rob(item, fail):
    rob = item["rob"]
    if not isinstance(rob, dict):
        fail("rob", "rob must be a mapping with tool and domains")
    _check_fields(rob, ROB_FIELDS, ("tool",), lambda where, msg: fail(f"rob.{where}" if where else "rob", msg))
    tool = TOOLS.get(rob["tool"])
    if tool is None:
        fail("rob.tool", f"tool '{rob['tool']}' is not one of: {', '.join(TOOLS)}")
    if tool is NOT_ASSESSED and item["design"] not in NOT_ASSESSED_DESIGNS:
        fail("rob.tool", f"tool n/a is only for {' and '.join(sorted(NOT_ASSESSED_DESIGNS))} designs")
    if item["design"] == "randomised" and tool not in (ROB2, AWAITING):
        fail("rob.tool", "a randomised study is judged with RoB 2")
    if tool in (NOT_ASSESSABLE, AWAITING):
        if not isinstance(rob.get("reason"), str) or not rob["reason"].strip():
            fail("rob.tool", f"'{tool.name}' needs a reason: why the study is outside the tools")
    elif "reason" in rob:
        fail("rob.reason", f"a reason for the whole study is only for {NOT_ASSESSABLE.name} and {AWAITING.name}: "
                           "give each domain its reason")
    if "domains" not in rob and tool.domains:
        fail("rob", f"missing field 'domains' ({tool.name} domains)")
    domains = rob.get("domains") or {}
    if not isinstance(domains, dict):
        fail("rob.domains", "domains must be a mapping of domain: {judgement, reason}")
    for name in domains:
        if name not in tool.domains:
            fail(f"rob.domains.{name}", f"'{name}' is not a {tool.name} domain "
                                        f"(domains: {', '.join(tool.domains) or 'none'})")
    for name in tool.domains:
        if name not in domains:
            fail("rob.domains", f"missing {tool.name} domain '{name}'")
        where = f"rob.domains.{name}"
        entry = domains[name]
        # One judgement, or one per outcome (each naming its outcome) where outcomes differ in kind.
        per_outcome = isinstance(entry, list)
        if per_outcome and len(entry) < 2:
            fail(where, "judge a domain per outcome only for two or more outcomes")
        for i, judged in enumerate(entry if per_outcome else [entry]):
            at = f"{where}.{i}" if per_outcome else where
            if not isinstance(judged, dict):
                fail(at, "must be a mapping with judgement and reason")
            _check_fields(judged, JUDGED_FIELDS, ("judgement", "reason", *(("outcome",) if per_outcome else ())),
                          lambda field, msg, at=at: fail(f"{at}.{field}" if field else at, msg))
            if "outcome" in judged and not per_outcome:
                fail(f"{at}.outcome", "an outcome is named only in a list of per-outcome judgements")
            if judged["judgement"] not in tool.judgements:
                fail(f"{at}.judgement", f"judgement '{judged['judgement']}' is not one of: "
                                        f"{', '.join(tool.judgements)}")
            for text in ("reason", "quote", "outcome"):
                if text in judged and (not isinstance(judged[text], str) or not judged[text].strip()):
                    fail(f"{at}.{text}", f"{text} must be one line of text")
    raised = rob.get("overall")
    if raised is not None:
        if not tool.domains:
            fail("rob.overall", f"no overall judgement to raise under '{tool.name}'")
        _check_mapping(raised, ("judgement", "reason"), "rob.overall", fail)
        computed = max((max((j["judgement"] for j in (domains[d] if isinstance(domains[d], list) else [domains[d]])),
                            key=tool.judgements.index) for d in tool.domains), key=tool.judgements.index)
        if raised["judgement"] not in tool.judgements or \
                tool.judgements.index(raised["judgement"]) <= tool.judgements.index(computed):
            fail("rob.overall.judgement", f"a reviewer's overall judgement must be worse than the tool's rule "
                                          f"gives ({computed}) and one of: {', '.join(tool.judgements)}")
        if not isinstance(raised["reason"], str) or not raised["reason"].strip():
            fail("rob.overall.reason", "a raised overall judgement needs its reason")


# --------------------------------------------------------------------------------------------------- timeline
def load_timeline(refs, path=TIMELINE_PATH):
    """Dated events, checked and sorted by date. A missing file is an empty timeline."""
    path = Path(path)
    if not path.is_file():
        return []
    raw, root = _compose(path)
    check(TIMELINE, raw, root, path, record_of(raw, "events", "event"))
    items, nodes = _section(path, raw, root, "events")
    events = []
    for i, (item, node) in enumerate(zip(items, nodes, strict=True), 1):
        line = node.start_mark.line + 1
        lines = _lines(node)
        name = f"event {i}"

        def fail(where, msg, line=line, lines=lines, name=name):
            raise DataError(path, lines.get(where, line), name, msg)

        if not isinstance(item, dict):
            fail("", "each event must be a mapping")
        _check_fields(item, EVENT_FIELDS, EVENT_FIELDS, fail)
        date = item["date"]
        if isinstance(date, datetime.date | int) and not isinstance(date, bool):
            date = date.isoformat() if isinstance(date, datetime.date) else str(date)
        if not isinstance(date, str) or not EVENT_DATE_RE.match(date):
            fail("date", f"date {item['date']!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
        if not isinstance(item["event"], str) or not item["event"].strip():
            fail("event", "event must be text")
        if item["kind"] not in EVENT_KINDS:
            fail("kind", f"kind '{item['kind']}' is not one of: {', '.join(EVENT_KINDS)}")
        sources = item["sources"]
        if not isinstance(sources, list) or not sources:
            fail("sources", "sources must list at least one bib key")
        for j, key in enumerate(sources):
            if key not in refs:
                fail(f"sources.{j}", f"bib key '{key}' is not in references/*.bib")
        events.append(Event(date, item["event"].strip(), item["kind"], list(sources), line))
    return sorted(events, key=lambda e: (e.when, e.line))


# ---------------------------------------------------------------------------------------------------- markers
# Lines of a page that the studies hook replaces with generated tables and figures.
MARKER_RE = re.compile(r"^:(studies-table|studies-list|studies-counts|rob-table|search-log|figure):[ \t]*(.*?)[ \t]*$",
                       re.M)
FIGURES = ("evidence-map", "landscape", "timeline", "sequence-alignment", "prisma")


def select(data, tokens):
    """The studies a marker names: 'all', indication slugs and study ids, in file order. ValueError if unknown."""
    if not tokens:
        raise ValueError("name what to show: 'all', an indication slug or study ids")
    chosen = set()
    for token in tokens:
        if token == "all":
            chosen.update(data.studies)
        elif token in data.studies:
            chosen.add(token)
        elif token in data.indications or token in EXTRA_INDICATIONS:
            chosen.update(s.id for s in data.for_indication(token))
        else:
            raise ValueError(f"'{token}' is neither a study id nor an indication")
    return [s for s in data.studies.values() if s.id in chosen]


def markers(markdown):
    """(name, arguments, line) of every studies marker of a page."""
    return [(m.group(1), m.group(2).split(), markdown.count("\n", 0, m.start()) + 1)
            for m in MARKER_RE.finditer(markdown)]


def marker_keys(name, args, data, sequences):
    """The bib keys a marker's output cites (for the bibliography's backlinks). ValueError on a bad marker."""
    if name == "studies-table":
        return [s.key for s in select(data, args)]
    if name in ("studies-list", "rob-table"):
        return [s.key for s in data.studies.values()]
    if name in ("studies-counts", "search-log"):
        return []
    figure = args[0] if args else None
    if figure not in FIGURES:
        raise ValueError(f"figure '{figure}' is not one of: {', '.join(FIGURES)}")
    if figure == "landscape" and args[1:] != ["by-indication"]:
        select(data, args[1:])
    if figure == "timeline":
        return [k for e in data.timeline for k in e.sources]
    if figure == "sequence-alignment":
        return [k for s in sequences.sequences for k in s.sources] + \
            [k for o in sequences.origins.values() for k in o["sources"]]
    return []


SELANK_PANEL = "selank"


def landscape_panels(data, tokens):
    """The panels of a landscape figure: [(slug, studies)]. A Selank study is never drawn in a panel of Semax
    evidence: every Selank study goes to one panel of its own ('selank'), whatever its indication.

    tokens == ['by-indication']: every Semax study ('all'), then one panel per indication, largest first, then
    Selank; otherwise the selection ('selection'), with its Selank studies split off."""
    chosen = list(data.studies.values()) if tokens == ["by-indication"] else select(data, tokens)
    semax = [s for s in chosen if s.drug != "selank"]
    selank = [s for s in chosen if s.drug == "selank"]
    panels = []
    if tokens == ["by-indication"]:
        groups = {}
        for s in semax:
            groups.setdefault(s.indication, []).append(s)
        panels.append(("all", semax))
        panels += sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
    else:
        panels.append(("selection", semax))
    panels.append((SELANK_PANEL, selank))
    return [(slug, studies) for slug, studies in panels if studies]


# ------------------------------------------------------------------------------------------------- rendering
def study_label(study, refs):
    """Short name of a study for tables and figures: first author and year; for a report without authors, the
    journal, else the website's host, else the start of the title."""
    ref = refs[study.key]
    names = [a.split(",")[0].strip() for a in ref.authors if a.lower() != "others"]
    if names:
        who = names[0] + (" et al." if len(ref.authors) > 1 else "")
    elif ref.get("journal"):
        who = ref.get("journal")
    elif ref.type == "misc" and ref.get("url"):
        who = re.sub(r"^www\.", "", ref.get("url").split("/")[2])
    else:
        words = ref.display_title.split()
        who = " ".join(words[:5]) + ("…" if len(words) > 5 else "")
    return f"{who} {ref.year}" if ref.year else f"{who} (year not seen)"


def study_labels(data, refs):
    """A distinct short name for every study: where two share one (two studies in one report, or two reports
    by one first author without a year), the indication is added, else the size, else the study id."""
    base = {sid: study_label(s, refs) for sid, s in data.studies.items()}
    out = {}
    for sid, s in data.studies.items():
        twins = [t for t in data.studies.values() if base[t.id] == base[sid] and t.id != sid]
        if not twins:
            out[sid] = base[sid]
        elif all(t.indication != s.indication for t in twins):
            out[sid] = f"{base[sid]}, {EXTRA_INDICATIONS.get(s.indication, s.indication.replace('-', ' '))}"
        elif s.n_total is not None and all(t.n_total != s.n_total for t in twins):
            out[sid] = f"{base[sid]}, n = {s.n_total}"
        else:
            out[sid] = f"{base[sid]} ({sid})"
    return out
