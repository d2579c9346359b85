"""/data/ as a Frictionless Data Package: the studies dataset as lossless CSV tables (studies, arms, outcomes, and
the risk-of-bias judgements of each tool in its own table, since RoB 2 and ROBINS-I use different scales), and a
datapackage.json that describes every CSV of /data/ with a Table Schema (types, enumerations, units, keys).

Pure functions of the data: hooks/render/studies.py exports what they return, and the build (or
scripts/generate.py) writes it. One coding of a missing value: an empty cell (null), with the reason in a column
of its own (`*_missing`, `not_reported`).
"""

from __future__ import annotations

import csv
import io
import json

from .base import csv_cell
from .studies import DESIGNS, DRUGS, NOT_REPORTED, READ, ROB2, ROBINS_I, TOOLS

LICENSE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
           "path": "https://creativecommons.org/licenses/by/4.0/"}
# Text fields of a study record; "not reported" becomes null, named in the row's not_reported column.
TEXT_FIELDS = ("country", "allocation", "blinding", "population", "dose", "route", "schedule", "comparator",
               "duration", "follow_up", "registration")
TEXT_DESCRIPTIONS = {
    "country": "Where the study was done, as the report says.", "allocation": "How participants were allocated.",
    "blinding": "Who was blinded.", "population": "Who took part.", "dose": "Dose, as reported.",
    "route": "Route of administration.", "schedule": "Dosing schedule.", "comparator": "What the drug was compared "
    "with.", "duration": "How long treatment lasted.", "follow_up": "Follow-up, as reported.",
    "registration": "Trial registration found ('none found'; 'not searched' where no register was searched)."}


def _f(name, type_, description, **extra):
    field = {"name": name, "type": type_, "description": description}
    constraints = {k: v for k, v in extra.items() if k in ("required", "unique", "enum", "minimum", "pattern")}
    if constraints:
        field["constraints"] = constraints
    field.update({k: v for k, v in extra.items() if k not in constraints})
    return field


def _judgements(tool):
    return list(tool.judgements)


STUDY_FIELDS = [
    _f("id", "string", "Study id (also the anchor of the study on the Human studies page).", required=True,
       unique=True),
    _f("label", "string", "Short name: first author or source and year."),
    _f("drug", "string", "The peptide studied.", enum=list(DRUGS), required=True),
    _f("indication", "string", "Indication: a page slug under /indications/, or healthy-volunteers / other."),
    _f("year", "integer", "Year of publication; null when not seen.", minimum=1900),
    _f("year_missing", "string", "Why year is null.", enum=["not seen"]),
    _f("design", "string", "Study design.", enum=list(DESIGNS), required=True),
    _f("design_inferred", "boolean", "True when the report does not state the design and the value is ours.",
       required=True),
    _f("design_inferred_reason", "string", "Why the design is ours, when design_inferred is true."),
    *[_f(name, "string", TEXT_DESCRIPTIONS[name] + " Null when not reported (see not_reported).")
      for name in TEXT_FIELDS],
    _f("follow_up_days", "integer", "Longest follow-up in days; null when not reported.", minimum=0,
       unit="day"),
    _f("n_total", "integer", "Participants: the sum of the arms, or the total the report gives without its "
       "split; null when not reported.", minimum=1, unit="participant"),
    _f("n_total_from", "string", "Where n_total comes from.", enum=["sum of arms", "reported total"]),
    _f("n_missing", "string", "Why n_total is null.", enum=[NOT_REPORTED]),
    _f("developer_linked", "string", "Authors from the developer groups.", enum=["yes", "no", "unknown"]),
    _f("language", "string", "Language of the report (ISO 639-1)."),
    _f("read", "string", "How much of the report we could read.", enum=list(READ)),
    _f("seen", "string", "Space-separated addresses of the stored pages read for this record."),
    _f("key", "string", "Bibliography key of the primary report (see references.json).", required=True),
    _f("also", "string", "Space-separated keys of other reports of the same study."),
    _f("title", "string", "Title of the primary report; null when not seen."),
    _f("first_author", "string", "First author of the primary report; null when not seen."),
    _f("doi", "string", "DOI of the primary report; null when not seen."),
    _f("pmid", "string", "PubMed id of the primary report; null when not seen.", pattern=r"\d+"),
    _f("rob_tool", "string", "Risk-of-bias tool, or why none applies.", enum=list(TOOLS), required=True),
    _f("rob_reason", "string", "Why the study is not assessable or awaiting classification."),
    _f("rob2_overall", "string", "RoB 2 overall judgement (the tool's rule, or the reviewer's higher judgement).",
       enum=_judgements(ROB2)),
    _f("robins_i_overall", "string", "ROBINS-I overall judgement (the tool's rule, or the reviewer's higher "
       "judgement).", enum=_judgements(ROBINS_I)),
    _f("overall_by_rule", "string", "The overall judgement the tool's own rule gives from the domains.",
       enum=list(dict.fromkeys([*ROB2.judgements, *ROBINS_I.judgements]))),
    _f("overall_raised_reason", "string", "Why the reviewer judged the overall risk higher than the rule."),
    _f("overlap_with", "string", "Space-separated ids of studies that may share participants with this one."),
    _f("overlap_reason", "string", "Why participants may be shared."),
    _f("not_reported", "string", "Space-separated names of the text fields the report does not report "
       "(their cells are null)."),
    _f("notes", "string", "Our notes; facts not from the report say where they come from."),
]
ARM_FIELDS = [
    _f("study_id", "string", "Study id (studies.csv).", required=True),
    _f("arm", "integer", "Arm number within the study, from 1.", required=True, minimum=1),
    _f("label", "string", "The arm, as reported.", required=True),
    _f("n", "integer", "Participants in the arm; null when not reported.", minimum=1, unit="participant"),
    _f("n_missing", "string", "Why n is null.", enum=[NOT_REPORTED]),
]
OUTCOME_FIELDS = [
    _f("study_id", "string", "Study id (studies.csv).", required=True),
    _f("outcome", "integer", "Outcome number within the study, from 1.", required=True, minimum=1),
    _f("measure", "string", "What was measured.", required=True),
    _f("result", "string", "What the report says about it.", required=True),
]


def _rob_fields(tool):
    return [
        _f("study_id", "string", "Study id (studies.csv).", required=True),
        _f("domain", "string", f"{tool.name} domain.", enum=list(tool.domains), required=True),
        _f("domain_label", "string", "The domain's name."),
        _f("outcome", "string", "The outcome this judgement is for, where the domain is judged per outcome; null "
           "when one judgement covers every outcome."),
        _f("judgement", "string", f"{tool.name} judgement.", enum=_judgements(tool), required=True),
        _f("reason", "string", "Why.", required=True),
        _f("quote", "string", "The report's exact words behind the judgement, where there are any."),
    ]


CLAIM_FIELDS = [
    _f("id", "string", "Claim id.", required=True, unique=True),
    _f("section", "string", "Section of the audited article."),
    _f("claim", "string", "The article's claim, in our words."),
    _f("verdict", "string", "Our verdict.", enum=["supported", "partly-supported", "unsupported", "contradicted"]),
    _f("grade", "string", "Evidence grade (see the method page).", enum=list("ABCDRSN")),
    _f("summary", "string", "What the evidence shows."),
    _f("sources", "string", "Space-separated bibliography keys."),
    _f("page", "string", "The page that shows the claim (docs path)."),
    _f("anchor", "string", "The claim box's anchor on that page."),
]


def _missing(value):
    return value is None or (isinstance(value, str) and value.strip().lower() == NOT_REPORTED)


def study_rows(data, refs, labels):
    """Rows of studies.csv, study-arms.csv, study-outcomes.csv, rob2.csv and robins-i.csv, as dicts."""
    studies, arms, outcomes, rob = [], [], [], {ROB2.name: [], ROBINS_I.name: []}
    for s in data.studies.values():
        d, ref = s.data, refs[s.key]
        authors = [a for a in ref.authors if a.lower() != "others"]
        n_arms_known = all(a["n"] is not None for a in d["arms"])
        tool = s.tool
        overlap = d.get("overlap") or []
        row = {
            "id": s.id, "label": labels.get(s.id, s.id), "drug": d["drug"], "indication": d["indication"],
            "year": d["year"], "year_missing": None if d["year"] is not None else "not seen",
            "design": d["design"], "design_inferred": "design_inferred" in d,
            "design_inferred_reason": d.get("design_inferred"),
            **{name: None if _missing(d[name]) else d[name] for name in TEXT_FIELDS},
            "follow_up_days": d["follow_up_days"], "n_total": s.n_total,
            "n_total_from": None if s.n_total is None else ("sum of arms" if n_arms_known else "reported total"),
            "n_missing": NOT_REPORTED if s.n_total is None else None,
            "developer_linked": str(d["developer_linked"]), "language": d["language"], "read": d["read"],
            "seen": " ".join(d["seen"]), "key": s.key, "also": " ".join(d.get("also") or []) or None,
            "title": ref.get("title") or None, "first_author": authors[0] if authors else None,
            "doi": ref.get("doi") or None, "pmid": ref.get("pmid") or None,
            "rob_tool": tool.name, "rob_reason": d["rob"].get("reason"),
            "rob2_overall": s.overall if tool is ROB2 else None,
            "robins_i_overall": s.overall if tool is ROBINS_I else None,
            "overall_by_rule": s.computed_overall if tool.domains else None,
            "overall_raised_reason": (s.raised or {}).get("reason"),
            "overlap_with": " ".join(o["with"] for o in overlap) or None,
            "overlap_reason": " | ".join(o["reason"] for o in overlap) or None,
            "not_reported": " ".join(name for name in TEXT_FIELDS if _missing(d[name])) or None,
            "notes": d.get("notes"),
        }
        studies.append(row)
        for i, arm in enumerate(d["arms"], 1):
            arms.append({"study_id": s.id, "arm": i, "label": arm["label"], "n": arm["n"],
                         "n_missing": NOT_REPORTED if arm["n"] is None else None})
        for i, o in enumerate(d["outcomes"], 1):
            outcomes.append({"study_id": s.id, "outcome": i, "measure": o["measure"], "result": o["result"]})
        if tool.name in rob:
            for domain, label in tool.domains.items():
                for outcome, judgement, reason, quote in s.judgements(domain):
                    rob[tool.name].append({"study_id": s.id, "domain": domain, "domain_label": label,
                                           "outcome": outcome, "judgement": judgement, "reason": reason,
                                           "quote": quote})
    return {"studies": studies, "study-arms": arms, "study-outcomes": outcomes, "rob2": rob[ROB2.name],
            "robins-i": rob[ROBINS_I.name]}


def to_csv(fields, rows):
    """CSV text with a header row; null is an empty cell, booleans are true/false, and a text cell that a
    spreadsheet would run as a formula is written as text (sitedata.csv_cell)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f["name"] for f in fields])
    for row in rows:
        cells = []
        for f in fields:
            value = row.get(f["name"])
            if value is None:
                cells.append("")
            elif isinstance(value, bool):
                cells.append("true" if value else "false")
            elif isinstance(value, int):
                cells.append(str(value))
            else:
                cells.append(csv_cell(value))
        writer.writerow(cells)
    return out.getvalue()


RESOURCES = {  # name -> (title, description, fields, primary key, foreign key to studies)
    "studies": ("Human studies", "One row per study: design, size, population, dosing, follow-up, the source "
                "report, and the overall risk of bias (RoB 2 and ROBINS-I in separate columns).", STUDY_FIELDS,
                ["id"], False),
    "study-arms": ("Arms of the studies", "One row per arm: label and number of participants.", ARM_FIELDS,
                   ["study_id", "arm"], True),
    "study-outcomes": ("Outcomes of the studies", "One row per outcome: what was measured and what the report "
                       "says.", OUTCOME_FIELDS, ["study_id", "outcome"], True),
    "rob2": ("RoB 2 judgements", "Cochrane RoB 2 (randomised trials): one row per domain, or per domain and "
             "outcome, with reason and quote. Scale: low, some concerns, high.", _rob_fields(ROB2), None, True),
    "robins-i": ("ROBINS-I judgements", "ROBINS-I (non-randomised studies of interventions): one row per domain, "
                 "or per domain and outcome, with reason and quote. Scale: low, moderate, no information, serious, "
                 "critical.", _rob_fields(ROBINS_I), None, True),
    "claims": ("Audited claims", "One row per claim of the audited article: verdict, grade, summary and sources "
               "(the full records are in claims.json).", CLAIM_FIELDS, ["id"], False),
}


def schema(name):
    _, _, fields, key, foreign = RESOURCES[name]
    out = {"fields": fields, "missingValues": [""]}
    if key:
        out["primaryKey"] = key
    if foreign:
        out["foreignKeys"] = [{"fields": "study_id", "reference": {"resource": "studies", "fields": "id"}}]
    return out


def descriptor(version, created):
    """datapackage.json: every CSV of /data/ with its Table Schema; the licence is said once, for the package."""
    resources = []
    for name, (title, description, _, _, _) in RESOURCES.items():
        resources.append({"name": name, "path": f"{name}.csv", "title": title, "description": description,
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                          "profile": "tabular-data-resource", "schema": schema(name)})
    return {
        "profile": "tabular-data-package",
        "name": "semax-evidence",
        "title": "Semax Evidence: human studies, risk of bias and audited claims",
        "description": "The human studies of Semax (and the Selank studies the comparison relies on) with their "
                       "arms, outcomes and risk-of-bias judgements, and the audited claims. Each study lists the "
                       "stored pages read for it (seen); bibliographic details of every key are in "
                       "references.json and semax.bib. A cell that a spreadsheet would run as a formula starts "
                       "with an apostrophe; the JSON files keep the text exactly.",
        "version": version,
        "created": created,
        "licenses": [LICENSE],
        "sources": [{"title": "Semax Evidence bibliography (references.json, semax.bib): one entry per report, "
                              "with the stored public pages where it was read"}],
        "resources": resources,
    }


def files(data, refs, labels, claims_csv_rows=None, version="living", created="1970-01-01T00:00:00Z"):
    """{file name: text} for the studies tables and datapackage.json (claims.csv is written by the claims hook;
    claims_csv_rows, when given, is written here too, for tests)."""
    rows = study_rows(data, refs, labels)
    out = {f"{name}.csv": to_csv(RESOURCES[name][2], rows[name]) for name in rows}
    if claims_csv_rows is not None:
        out["claims.csv"] = to_csv(CLAIM_FIELDS, claims_csv_rows)
    out["datapackage.json"] = json.dumps(descriptor(version, created), ensure_ascii=False, indent=1)
    return out
