"""The claims ledger (references/claims.yaml): every audited claim with its verdict, grade and sources."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .base import DOCS_DIR, ISO_DATE_RE, LEDGER_PATH, DataError, Fields, load_yaml
from .grading import KINDS, computed_grade, grade_basis
from .schemas import LEDGER, check, record_of

CLAIM_ID_RE = re.compile(r"^[a-z][0-9]{2}\Z")
CLAIM_MARKER_RE = re.compile(r"^:claim:\s*(\S+)\s*$", re.M)
YES_NO = {"yes", "no", "mixed", "unknown", "n/a"}
INDEPENDENCE_FLAGS = {"developer_linked": "Developer-linked authors", "russian_only": "Russian-language only",
                      "registered_trial": "Registered trial", "independent_replication": "Independent replication"}


@dataclass
class Claim(Fields):
    id: str
    data: dict
    line: int
    computed_grade: str = ""  # what the grading rule gives from the sources' study types
    grade_basis: str = ""  # the sources that set it, for messages and the claim box


@dataclass
class Ledger:
    verdicts: dict
    grades: dict
    claims: dict = field(default_factory=dict)
    path: Path = LEDGER_PATH


# The letter of a claim id says which part of the audited article the claim comes from.
SECTIONS = {"identity": "Identity and origin", "mechanism": "Mechanisms", "clinical": "Clinical use",
            "selank": "Semax and Selank", "variants": "Variants", "protocols": "Dosing as reported",
            "stacking": "Stacking", "safety": "Safety"}
SECTION_OF = {"c": "identity", "m": "mechanism", "k": "clinical", "s": "selank", "v": "variants",
              "p": "protocols", "t": "stacking", "x": "safety"}
VERDICT_NAME_RE = re.compile(r"^[a-z][a-z0-9-]*\Z")  # also a CSS class name: verdict-<name>
GRADE_NAME_RE = re.compile(r"^[A-Z]\Z")
SCALE_FIELDS = {"verdicts": ("label", "meaning"), "grades": ("label", "symbol", "meaning")}


def _line(node):
    return node.start_mark.line + 1


def _mapping_items(node):
    """{key: (key line, value node)} of a YAML mapping node."""
    return {k.value: (_line(k), v) for k, v in node.value}


def _is_text(value):
    return isinstance(value, str) and value.strip() != ""


def real_date(value):
    """True for a YYYY-MM-DD date that exists in the calendar."""
    if not isinstance(value, str) or not ISO_DATE_RE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_scale(path, section, value, node, name_re, example):
    items = _mapping_items(node) if isinstance(node, yaml.MappingNode) else {}
    fields = ", ".join(SCALE_FIELDS[section])
    if not isinstance(value, dict) or not value:
        raise DataError(path, _line(node), section, f"must be a mapping of names to {{{fields}}}")
    for name, entry in value.items():
        line = items.get(name, (_line(node), None))[0]
        if not isinstance(name, str) or not name_re.match(name):
            raise DataError(path, line, f"{section}.{name}", f"name must look like {example}")
        if not isinstance(entry, dict):
            raise DataError(path, line, f"{section}.{name}", f"must be a mapping with {fields}")
        for field_name in SCALE_FIELDS[section]:
            if not _is_text(entry.get(field_name)):
                raise DataError(path, line, f"{section}.{name}", f"missing '{field_name}' (text)")


def load_ledger(refs, path=LEDGER_PATH, docs_dir=DOCS_DIR):
    path = Path(path)
    raw, root = load_yaml(path)
    if raw is None:
        raise DataError(path, 1, "", "the ledger is empty: it needs the sections verdicts, grades and claims")
    if not isinstance(raw, dict):
        raise DataError(path, _line(root), "", "the ledger must be a mapping with the sections verdicts, grades "
                                               "and claims (not a list or a single value)")
    check(LEDGER, raw, root, path, record_of(raw, "claims", "claim"))  # the shape, before any value is used
    sections = _mapping_items(root)
    for section in ("verdicts", "grades", "claims"):
        if section not in raw:
            raise DataError(path, 1, section, "missing top-level section")
    _check_scale(path, "verdicts", raw["verdicts"], sections["verdicts"][1], VERDICT_NAME_RE, "partly-supported")
    _check_scale(path, "grades", raw["grades"], sections["grades"][1], GRADE_NAME_RE, "A (one capital letter)")
    claims_line, claims_node = sections["claims"]
    if not isinstance(raw["claims"], list):
        raise DataError(path, claims_line, "claims", "must be a list of claims, each starting with '- id:'")
    ledger = Ledger(raw["verdicts"], raw["grades"], path=path)
    docs_dir = Path(docs_dir)
    for item, item_node in zip(raw["claims"], claims_node.value, strict=True):
        line = _line(item_node)
        if not isinstance(item, dict):
            raise DataError(path, line, "claim", "each claim must be a mapping starting with 'id:'")
        claim_id = item.get("id")
        claim = _check_claim(item, claim_id, line, ledger, refs, path, docs_dir)
        ledger.claims[claim_id] = claim
    return ledger


def _check_grade(item, refs, ledger, claim, fail):
    """The shown grade is the computed one, or a written override of it: one rule for every claim."""
    kind = item.get("kind", "effect")
    if kind not in KINDS:
        fail(f"kind '{kind}' is not one of: {', '.join(KINDS)}")
    sources = item.get("sources") or []
    claim.computed_grade = computed_grade([refs[k].study_type for k in sources], kind)
    claim.grade_basis = grade_basis(sources, refs, kind)
    override = item.get("grade_override")
    basis = f" ({claim.grade_basis})" if claim.grade_basis else ""
    if override is None:
        if item.get("grade") != claim.computed_grade:
            article = "an" if kind == "effect" else "a"
            fail(f"grade {item.get('grade')} but its sources compute to {claim.computed_grade}{basis} for "
                 f"{article} {kind} claim; set grade: {claim.computed_grade}, or keep {item.get('grade')} with "
                 f"grade_override: {{grade: {item.get('grade')}, reason: \"why\"}}")
        return
    if not isinstance(override, dict) or set(override) != {"grade", "reason"}:
        fail("grade_override must be {grade: X, reason: \"...\"}")
    if override["grade"] not in ledger.grades:
        fail(f"grade_override grade '{override['grade']}' is not one of: {', '.join(ledger.grades)}")
    if not str(override.get("reason") or "").strip():
        fail("grade_override needs a reason, shown in the claim box")
    if override["grade"] == claim.computed_grade:
        fail(f"grade_override repeats the computed grade {claim.computed_grade}; remove it")
    if item.get("grade") != override["grade"]:
        fail(f"grade {item.get('grade')} but grade_override says {override['grade']}")


def _check_claim(item, claim_id, line, ledger, refs, path, docs_dir):
    def fail(msg):
        raise DataError(path, line, claim_id if isinstance(claim_id, str) and claim_id else "claim", msg)

    if not isinstance(claim_id, str) or not CLAIM_ID_RE.match(claim_id):
        fail(f"claim id {claim_id!r} must look like m03")
    if claim_id[0] not in SECTION_OF:
        fail(f"unknown section letter '{claim_id[0]}' in the claim id (one of: "
             + ", ".join(f"{k} {v}" for k, v in SECTION_OF.items()) + ")")
    if claim_id in ledger.claims:
        fail(f"duplicate claim id (first on line {ledger.claims[claim_id].line})")
    verdict = item.get("verdict")
    page = item.get("page")
    target = (docs_dir / page).resolve() if isinstance(page, str) and page else None
    if (target is None or not page.endswith(".md") or not target.is_relative_to(docs_dir.resolve())
            or not target.is_file()):
        fail(f"page '{page}' does not exist under docs/")
    if not isinstance(verdict, str) or verdict not in ledger.verdicts:
        fail(f"verdict '{verdict}' is not one of: {', '.join(ledger.verdicts)}")
    if not isinstance(item.get("grade"), str) or item.get("grade") not in ledger.grades:
        fail(f"grade '{item.get('grade')}' is not one of: {', '.join(ledger.grades)}")
    for name in ("claim", "summary"):
        if item.get(name) is None or not str(item.get(name)).strip():
            fail(f"missing '{name}'")
        if not isinstance(item.get(name), str):
            fail(f"'{name}' must be text (quote it in YAML)")
    sources = item.get("sources")
    if sources is None:
        sources = []
    if not isinstance(sources, list) or not all(isinstance(k, str) for k in sources):
        fail("sources must be a list of bib keys, e.g. [dolotov2006bdnf, kaplan1996operators]")
    for key in sources:
        if key not in refs:
            fail(f"source '{key}' is not in references/*.bib")
    if not sources and (verdict != "unsupported" or item.get("grade") != "N"):
        fail("no sources: only an 'unsupported' claim with grade N may have none")
    if sources and item.get("grade") == "N":
        fail("grade N (no source found) but sources are listed")
    claim = Claim(claim_id, item, line)
    _check_grade(item, refs, ledger, claim, fail)
    independence = item.get("independence")
    if independence is None:
        independence = {}
    if not isinstance(independence, dict):
        fail(f"independence must be a mapping of {', '.join(INDEPENDENCE_FLAGS)}")
    for flag in INDEPENDENCE_FLAGS:
        if str(independence.get(flag, "")).lower() not in YES_NO:
            fail(f"independence.{flag} must be one of: {', '.join(sorted(YES_NO))} (quote them in YAML)")
    history = item.get("history")
    if history is not None and not isinstance(history, list):
        fail("history must be a list of {date, verdict, grade, note}")
    for old in history or []:
        known = isinstance(old, dict) and old.get("verdict") in ledger.verdicts
        known = known and old.get("grade") in ledger.grades
        if not known or not real_date(str(old.get("date"))):
            fail("each history entry needs a real YYYY-MM-DD date, a known verdict and a known grade")
        if old.get("note") is not None and not isinstance(old.get("note"), str):
            fail("a history note must be text")
    reviewed = str(item.get("reviewed") or "")
    if not ISO_DATE_RE.match(reviewed):
        fail(f"reviewed date {reviewed!r} must be YYYY-MM-DD")
    if not real_date(reviewed):
        fail(f"reviewed date {reviewed!r} is not a real date")
    if datetime.date.fromisoformat(reviewed) > datetime.date.today():
        fail(f"reviewed date {reviewed!r} is in the future")
    return claim


def claim_markers(markdown):
    """(claim id, line) for every `:claim: id` line of a page."""
    return [(m.group(1), markdown.count("\n", 0, m.start()) + 1) for m in CLAIM_MARKER_RE.finditer(markdown)]
