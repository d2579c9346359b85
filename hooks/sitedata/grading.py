"""The grading rule: a claim's evidence grade computed from the study types of its sources (bib `studytype`),
by the rubric on the method page. One pure function, so the ledger, the tests and the method page share it.

A claim is of one of three kinds (its `kind:` in references/claims.yaml, `effect` when absent):
- effect: what Semax does or how it is used clinically; graded by the best study design among its sources;
- record: a fact about identity, registration or labelling; R when a label or regulatory record is among its
  sources (the right kind of proof for such a fact), otherwise S;
- literature: a claim about the body of research itself (who did it, where it was published, what was never
  studied); it rests on our reading of the sources, not on a result, so it is graded S.

A claim may show a different grade only through `grade_override: {grade: X, reason: "..."}`; the reason is
printed in its claim box. Lowering for small samples, indirect outcomes or a trial of another drug is such an
override.
"""

from __future__ import annotations

KINDS = {"effect": "what Semax does or how it is used: graded by the best study design among the sources",
         "record": "a fact about identity, registration or labelling: R with a label or regulatory record, else S",
         "literature": "a claim about the research itself (who, where, what is missing): graded S"}

# Best design first: the first rung any source reaches is the grade.
LADDER = (
    ("A", frozenset({"human-rct"})),
    ("B", frozenset({"human-controlled", "meta-analysis"})),
    ("C", frozenset({"human-open-label", "human-case-series", "human-pk"})),
    ("D", frozenset({"animal", "in-vitro", "in-silico"})),
)
DOCUMENTARY_TYPES = frozenset({"label", "regulatory"})


def computed_grade(study_types, kind="effect"):
    """The grade a claim's sources support: N with no source; for an effect claim the best design among the
    sources (A randomised trial, B controlled human study or pooled analysis, C uncontrolled human data,
    D animal, cell or computer study, S reviews, labels and other secondary sources only)."""
    types = set(study_types)
    if kind not in KINDS:
        raise ValueError(f"unknown claim kind {kind!r}")
    if not types:
        return "N"
    if kind == "record":
        return "R" if types & DOCUMENTARY_TYPES else "S"
    if kind == "literature":
        return "S"
    for grade, designs in LADDER:
        if types & designs:
            return grade
    return "S"


def grade_basis(sources, refs, kind="effect"):
    """The sources that set the computed grade, as 'studytype: key, key' (for messages and the claim box)."""
    grade = computed_grade([refs[k].study_type for k in sources], kind)
    if grade in {"N"} or kind == "literature":
        return ""
    wanted = DOCUMENTARY_TYPES if grade == "R" else dict(LADDER).get(grade)
    if wanted is None:  # S for an effect or record claim: every source is secondary
        wanted = {refs[k].study_type for k in sources}
    by_type = {}
    for key in sources:
        if refs[key].study_type in wanted:
            by_type.setdefault(refs[key].study_type, []).append(key)
    return "; ".join(f"{t}: {', '.join(keys)}" for t, keys in sorted(by_type.items()))
