"""The claims ledger (references/claims.yaml): every audited claim with its verdict, grade and sources."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .base import DOCS_DIR, ISO_DATE_RE, LEDGER_PATH, DataError
from .grading import KINDS, computed_grade, grade_basis

CLAIM_ID_RE = re.compile(r"^[a-z]\d{2}$")
CLAIM_MARKER_RE = re.compile(r"^:claim:\s*(\S+)\s*$", re.M)
YES_NO = {"yes", "no", "mixed", "unknown", "n/a"}
INDEPENDENCE_FLAGS = {"developer_linked": "Developer-linked authors", "russian_only": "Russian-language only",
                      "registered_trial": "Registered trial", "independent_replication": "Independent replication"}


@dataclass
class Claim:
    id: str
    data: dict
    line: int
    computed_grade: str = ""  # what the grading rule gives from the sources' study types
    grade_basis: str = ""  # the sources that set it, for messages and the claim box

    def __getattr__(self, name):
        try:
            return self.__dict__["data"].get(name)
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Ledger:
    verdicts: dict
    grades: dict
    claims: dict = field(default_factory=dict)
    path: Path = LEDGER_PATH


def _line_map(node):
    """Line of each claim mapping in the ledger, read from the YAML node tree."""
    lines = []
    for key_node, value_node in node.value:
        if key_node.value == "claims":
            for item in value_node.value:
                lines.append(item.start_mark.line + 1)
    return lines


def load_ledger(refs, path=LEDGER_PATH, docs_dir=DOCS_DIR):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
        lines = _line_map(yaml.compose(text))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise DataError(path, mark.line + 1 if mark else None, "", f"malformed YAML: {e}") from None
    for section in ("verdicts", "grades", "claims"):
        if not isinstance(raw, dict) or section not in raw:
            raise DataError(path, None, section, "missing top-level section")
    ledger = Ledger(raw["verdicts"], raw["grades"], path=path)
    for item, line in zip(raw["claims"], lines, strict=True):
        claim_id = item.get("id") if isinstance(item, dict) else None

        def fail(msg, claim_id=claim_id, line=line):
            raise DataError(path, line, claim_id or "claim", msg)

        if not claim_id or not CLAIM_ID_RE.match(str(claim_id)):
            fail(f"claim id {claim_id!r} must look like m03")
        if claim_id in ledger.claims:
            fail(f"duplicate claim id (first on line {ledger.claims[claim_id].line})")
        claim = Claim(claim_id, item, line)
        verdict = item.get("verdict")
        page = item.get("page")
        if not page or not (Path(docs_dir) / page).is_file():
            fail(f"page '{page}' does not exist under docs/")
        if verdict not in ledger.verdicts:
            fail(f"verdict '{verdict}' is not one of: {', '.join(ledger.verdicts)}")
        if item.get("grade") not in ledger.grades:
            fail(f"grade '{item.get('grade')}' is not one of: {', '.join(ledger.grades)}")
        for name in ("claim", "summary"):
            if not str(item.get(name) or "").strip():
                fail(f"missing '{name}'")
        sources = item.get("sources") or []
        for key in sources:
            if key not in refs:
                fail(f"source '{key}' is not in references/*.bib")
        if not sources and (verdict != "unsupported" or item.get("grade") != "N"):
            fail("no sources: only an 'unsupported' claim with grade N may have none")
        if sources and item.get("grade") == "N":
            fail("grade N (no source found) but sources are listed")
        _check_grade(item, refs, ledger, claim, fail)
        independence = item.get("independence") or {}
        for flag in INDEPENDENCE_FLAGS:
            if str(independence.get(flag, "")).lower() not in YES_NO:
                fail(f"independence.{flag} must be one of: {', '.join(sorted(YES_NO))} (quote them in YAML)")
        for old in item.get("history") or []:
            known = isinstance(old, dict) and old.get("verdict") in ledger.verdicts
            known = known and old.get("grade") in ledger.grades
            if not known or not ISO_DATE_RE.match(str(old.get("date"))):
                fail("each history entry needs a YYYY-MM-DD date, a known verdict and a known grade")
        reviewed = str(item.get("reviewed") or "")
        if not ISO_DATE_RE.match(reviewed):
            fail(f"reviewed date {reviewed!r} must be YYYY-MM-DD")
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


def claim_markers(markdown):
    """(claim id, line) for every `:claim: id` line of a page."""
    return [(m.group(1), markdown.count("\n", 0, m.start()) + 1) for m in CLAIM_MARKER_RE.finditer(markdown)]
