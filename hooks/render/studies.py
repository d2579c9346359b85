"""Studies, risk of bias, the search log and the figures, rendered where a page has a marker line, so no study
figure is typed twice:

    :studies-table: <indication slugs or study ids>   an indication's study table
    :studies-list:                                    every study (the Human studies page)
    :studies-counts:                                  counts by design and by risk of bias
    :rob-table:                                       the risk-of-bias tables, one per tool
    :search-log:                                      the search log (references/screening.yaml)
    :figure: evidence-map | timeline | sequence-alignment | prisma | landscape by-indication | landscape <selection>

Every study table is one pattern: a compact summary (study, design, n, main result, risk of bias) that fits a
phone without scrolling, and one collapsed "Characteristics of the study" block per study with everything else.

`exports` gives /data/ as a Frictionless Data Package (sitedata.datapackage) and /data/studies.json."""

import datetime
import json
import os

import figures
import sitedata
from sitedata import (
    DESIGNS,
    DRUGS,
    EVENT_KINDS,
    EXTRA_INDICATIONS,
    JUDGEMENT_LABELS,
    RISK_LEVEL,
    SITE,
    TOOLS,
    datapackage,
    screening,
    study_label,
)
from sitedata.studies import MARKER_RE, SELANK_PANEL, landscape_panels, select

from .links import BIBLIOGRAPHY_PAGE, HUMAN_STUDIES_PAGE, Links

LABELS = {}  # study id -> its short, distinct name (one build)
# The figure legend names each tool's own words for a colour: RoB 2 and ROBINS-I are different scales.
RISK_LEGEND = {"low": "RoB 2 low; ROBINS-I low", "moderate": "RoB 2 some concerns; ROBINS-I moderate",
               "unclear": "ROBINS-I no information", "serious": "RoB 2 high; ROBINS-I serious",
               "critical": "ROBINS-I critical",
               "none": "not judged: pooled analysis, no comparator, or awaiting classification"}
# Column headings of the risk-of-bias tables; the full domain names are in each table's reasons.
DOMAIN_SHORT = {"deviations": "Deviations", "missing-data": "Missing data", "measurement": "Measurement",
                "reporting": "Reporting", "selection": "Selection", "classification": "Classification"}


def load_labels():
    """Each study's short, distinct name, once a build (after SITE.studies and SITE.refs are loaded)."""
    LABELS.clear()
    LABELS.update(sitedata.study_labels(SITE.studies, SITE.refs))


def study_record(study, refs):
    tool = study.tool
    rob = json.loads(json.dumps(study.data["rob"], ensure_ascii=False))
    return {
        **{k: v for k, v in study.data.items() if k != "rob"},
        "label": label_of(study),
        "n_total": study.n_total,
        "rob": {**rob, "tool": tool.name, "overall": study.overall,
                "overall_by_rule": study.computed_overall},
    }


def label_of(study):
    return LABELS.get(study.id) or study_label(study, SITE.refs)


def build_date():
    """The build's date: SOURCE_DATE_EPOCH when set (editions and reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC) if epoch else datetime.datetime.now(datetime.UTC)
    return when.strftime("%Y-%m-%dT00:00:00Z")


def exports(data, refs):
    records = [study_record(s, refs) for s in data.studies.values()]
    meta = {"designs": DESIGNS, "drugs": DRUGS,
            "tools": {t.name: {"domains": t.domains, "judgements": list(t.judgements)} for t in TOOLS.values()},
            "overall": "each tool's own rule (the worst domain on its scale), or the reviewer's higher judgement "
                       "with its reason; n/a for pooled analyses; not assessable without a comparator group; "
                       "awaiting classification without a primary report"}
    timeline = [{"date": e.date, "event": e.event, "kind": e.kind, "sources": e.sources} for e in data.timeline]
    labels = {s.id: label_of(s) for s in data.studies.values()}
    version = os.environ.get("SEMAX_EDITION") or "living"
    files = {f"data/{name}": text for name, text in
             datapackage.files(data, refs, labels, version=version, created=build_date()).items()}
    return {
        "data/studies.json": json.dumps({**meta, "studies": records, "timeline": timeline}, ensure_ascii=False,
                                        indent=1),
        **files,
    }


# ---------------------------------------------------------------------------------------------------- markdown
def md(value):
    """Data as Markdown text, never markup (the data layer's one rule, safe in table cells too)."""
    return sitedata.md_text(value)


def shown_n(n):
    return "not reported" if n is None else f"{n:,}"


def n_text(study):
    """The total n (bold), or 'not reported'; how it was reached is in the characteristics."""
    total = study.n_total
    return f"**{total:,}**" if total is not None else "not reported"


def place(study):
    return "" if study.country.strip().lower() == "not reported" else f", {md(study.country)}"


def judgement_badge(judgement):
    return f'<span class="rob rob-{RISK_LEVEL[judgement]}">{JUDGEMENT_LABELS[judgement]}</span>'


def rob_badge(study):
    return judgement_badge(study.overall)


def rob_cell(study):
    """Overall risk of bias with its tool: the tool's words, never one merged scale."""
    if not study.tool.domains:
        return rob_badge(study)
    raised = " (raised by the reviewer)" if study.raised else ""
    return f"{rob_badge(study)} {md(study.tool.name)}{raised}"


def indication_name(slug):
    if slug in EXTRA_INDICATIONS:
        return EXTRA_INDICATIONS[slug]
    info = SITE.index.pages.get(f"indications/{slug}.md") if SITE.index else None
    return info.title if info else slug


def drug_note(study):
    return "" if study.drug == "semax" else f" ({DRUGS[study.drug]})"


def design_text(study):
    inferred = ' <span class="sx-note">(our inference)</span>' if study.data.get("design_inferred") else ""
    return md(DESIGNS[study.design]) + inferred


def main_result(study):
    """The first outcome as reported; how many more there are, which the characteristics list."""
    first = study.outcomes[0]
    more = len(study.outcomes) - 1
    extra = f' <span class="sx-note">(+{more} more)</span>' if more else ""
    return md(f"{first['measure']}: {first['result']}") + extra


def characteristics_id(study):
    return f"characteristics-{study.id}"


def study_anchor(study, links):
    """The study's anchor on the Human studies page (figures and other pages link there), given once a page."""
    if links.uri != HUMAN_STUDIES_PAGE or study.id in links.anchors:
        return ""
    links.anchors.add(study.id)
    return f'<span class="sx-anchor" id="{study.id}"></span>'


def summary_rows(studies, links, show_indication=False):
    """The compact summary: what a clinician scans first. Everything else is in the characteristics blocks."""
    rows = ["| Study | Design | n | Main result | Risk of bias |", "|---|---|---|---|---|"]
    for s in studies:
        where = ""
        if show_indication:
            page = f"indications/{s.indication}.md"
            name = md(indication_name(s.indication))
            where = f'<br><span class="sx-note">{f"[{name}]({links.md(page)})" if links.has(page) else name}</span>'
        also = "".join(f"; @{k}" for k in s.also or []) if show_indication else ""
        study = (f"{study_anchor(s, links)}[{md(label_of(s))}](#{characteristics_id(s)}){md(drug_note(s))}"
                 f"{place(s)} [@{s.key}{also}]{where}")
        rows.append(f"| {study} | {design_text(s)} | {n_text(s)} | {main_result(s)} | {rob_cell(s)} |")
    return rows


def rob_lines(study):
    """Each domain's judgement with its reason and the report's words, per outcome where judged so."""
    tool = study.tool
    if not tool.domains:
        reason = study.data["rob"].get("reason") or "pooled analysis or pharmacokinetic study: no tool applies"
        return [md(f"{JUDGEMENT_LABELS[study.overall]}: {reason}")]
    out = []
    for domain, label in tool.domains.items():
        for outcome, judgement, reason, quote in study.judgements(domain):
            who = f" ({outcome})" if outcome else ""
            said = f' The report: "{quote}"' if quote else ""
            out.append(md(f"{label}{who}: {JUDGEMENT_LABELS[judgement].lower()}. {reason}.{said}"))
    rule = JUDGEMENT_LABELS[study.computed_overall].lower()
    if study.raised:
        out.append(md(f"Overall: {JUDGEMENT_LABELS[study.overall].lower()}, raised by the reviewer from "
                      f"{rule} (the tool's rule): {study.raised['reason']}."))
    else:
        out.append(md(f"Overall: {rule} (the tool's rule: the worst domain on its scale)."))
    return out


def characteristics_link(study, links):
    """A link to a study's characteristics on the Human studies page, which shows every study."""
    target = f"#{characteristics_id(study)}" if links.uri == HUMAN_STUDIES_PAGE else \
        links.md(HUMAN_STUDIES_PAGE, characteristics_id(study)) if links.has(HUMAN_STUDIES_PAGE) else \
        links.md(BIBLIOGRAPHY_PAGE, study.key)
    return f"[{md(label_of(study))}]({target})"


def characteristics(study, links):
    """One collapsed block per study, as systematic reviews present a study's characteristics."""
    s, d = study, study.data
    arms = "; ".join(md(f"{a['label']}: {shown_n(a['n'])}") for a in s.arms)
    total = (f"{s.n_total:,} in total" + (" (the report does not split it between the arms)"
                                           if d.get("n_reported") else "")) if s.n_total else "total not reported"
    overlap = "; ".join(f"{characteristics_link(SITE.studies.studies[o['with']], links)}: {md(o['reason'])}"
                        for o in d.get("overlap") or [])
    items = [
        ("Report", f"{md(label_of(s))}{md(drug_note(s))}: {md(sitedata.studies.READ[s.read])} read, in "
                   f"{md(s.language)}; developer-linked: {md(s.developer_linked)}; registration: "
                   f"{md(s.registration)} [@{s.key}]"),
        ("Methods", md(f"{DESIGNS[s.design]}; allocation: {s.allocation}; blinding: {s.blinding}")
         + (md(f". Design is our inference: {d['design_inferred']}") if d.get("design_inferred") else "")),
        ("Participants", f"{md(s.population)}. {md(total)}: {arms}"),
        ("Interventions", md(f"Dose: {s.dose}; route: {s.route}; schedule: {s.schedule}; comparator: "
                             f"{s.comparator}; treatment: {s.duration}")),
        ("Outcomes", "<br>".join(md(f"{o['measure']}: {o['result']}") for o in s.outcomes)),
        ("Follow-up", md(s.follow_up)),
        (f"Risk of bias ({s.tool.name})" if s.tool.domains else "Risk of bias", "<br>".join(rob_lines(s))),
    ]
    if overlap:
        items.append(("Possible overlap", overlap))
    if d.get("notes"):
        items.append(("Notes", md(d["notes"])))
    body = []
    for term, value in items:
        body += [f"    {term}", f"    :   {value}", ""]
    return "\n".join([f'<div class="sx-characteristics" id="{characteristics_id(s)}" markdown>', "",
                      f'??? info "Characteristics of the study: {md(label_of(s))}{md(drug_note(s))}"', "",
                      *body, "</div>"])


def study_tables(studies, links, show_indication=False):
    """The one pattern for every study table: the summary, then the characteristics of each study."""
    rows = summary_rows(studies, links, show_indication)
    return "\n".join(['<div class="studies-table sx-summary" markdown>', "", *rows, "", "</div>", "",
                      *(characteristics(s, links) + "\n" for s in studies)])


def render_studies_table(studies, links):
    if not studies:
        return '!!! nosource "No human study in our data"\n    No record in the studies dataset matches this table.'
    return study_tables(studies, links)


def render_studies_list(data, links):
    return study_tables(list(data.studies.values()), links, show_indication=True)


SEVERITY = ("critical", "high", "serious", "no-information", "some-concerns", "moderate", "low", "n/a",
            "not-assessable", "awaiting-classification")


def render_counts(data):
    """Counts by design and by overall risk of bias, Semax and Selank in separate columns: a Selank study is never
    counted as Semax evidence."""
    studies = list(data.studies.values())
    semax = [s for s in studies if s.drug != "selank"]
    selank = [s for s in studies if s.drug == "selank"]

    def count(group, test):
        matched = [s for s in group if test(s)]
        inferred = sum(1 for s in matched if s.data.get("design_inferred"))
        return len(matched), inferred

    def cell(n, inferred=0):
        return f"{n} ({inferred} inferred)" if inferred else str(n)

    designs = ["| Design | Semax and variants | Selank |", "|---|---|---|"]
    for d, label in DESIGNS.items():
        a, ai = count(semax, lambda s, d=d: s.design == d)
        b, bi = count(selank, lambda s, d=d: s.design == d)
        if a or b:
            designs.append(f"| {label} | {cell(a, ai)} | {cell(b, bi)} |")
    risks = ["| Overall risk of bias | Semax and variants | Selank |", "|---|---|---|"]
    for j in SEVERITY:
        a = sum(1 for s in semax if s.overall == j)
        b = sum(1 for s in selank if s.overall == j)
        if a or b:
            tools = sorted({s.tool.name for s in studies if s.overall == j and s.tool.domains})
            word = judgement_badge(j) + (f" ({md(', '.join(tools))})" if tools else "")
            risks.append(f"| {word} | {a} | {b} |")
    inferred = sum(1 for s in studies if s.data.get("design_inferred"))
    return "\n".join(['<div class="editorial sx-counts" markdown>', "",
                      f"{len(studies)} studies in the dataset: {len(semax)} of Semax and its variants and "
                      f"{len(selank)} of Selank, the comparison peptide, counted apart. The design of {inferred} "
                      "is our inference where the report does not state it.", "",
                      '<div class="sx-count-tables" markdown>', "", *designs, "", *risks, "", "</div>", "", "</div>"])


def rob_domain_cell(study, domain):
    judged = study.judgements(domain)
    if len(judged) == 1:
        return judgement_badge(judged[0][1])
    return "<br>".join(f"{judgement_badge(j)} {md(outcome)}" for outcome, j, _, _ in judged)


def render_rob_tables(data, links):
    out = []
    for tool in (t for t in TOOLS.values() if t.domains):
        studies = [s for s in data.studies.values() if s.tool is tool]
        if not studies:
            continue
        heads = [DOMAIN_SHORT.get(d, label) for d, label in tool.domains.items()] + ["Overall"]
        out += [f"### {tool.name}", "", '<div class="rob-table" markdown>', "",
                "| Study | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
        reasons = []
        for s in studies:
            cells = [rob_domain_cell(s, d) for d in tool.domains]
            cite = f"[{md(label_of(s))}](#{characteristics_id(s)}){md(drug_note(s))} [@{s.key}]"
            overall = rob_badge(s) + (" raised by the reviewer" if s.raised else "")
            out.append(f"| {cite} | " + " | ".join(cells) + f" | {overall} |")
            reasons.append(f"    | {cite} | {'<br>'.join(rob_lines(s))} |")
        out += ["", "</div>", "", f'??? note "{tool.name}: the reason for each judgement"', "",
                "    | Study | Reasons |", "    |---|---|", *reasons, ""]
    outside = [s for s in data.studies.values() if not s.tool.domains]
    if outside:
        out += ["### Outside the tools", "", '<div class="rob-outside" markdown>', "",
                "| Study | Status | Why |", "|---|---|---|"]
        for s in outside:
            why = s.data["rob"].get("reason") or "a pooled analysis or pharmacokinetic study, which these tools do " \
                                                  "not assess"
            out.append(f"| [{md(label_of(s))}](#{characteristics_id(s)}){md(drug_note(s))} [@{s.key}] "
                       f"| {rob_badge(s)} | {md(why)} |")
        out += ["", "</div>", ""]
    return "\n".join(out)


def render_search_log(links):
    log = SITE.screening
    rows = ["| Date | Source | Language | Query | Results | Reports of human data | New |",
            "|---|---|---|---|---|---|---|"]
    for s in log.searches:
        rows.append(f"| {md(s['date'])} | {md(s['source'])} | {md(s['language'])} | {md(s['query'])} "
                    f"| {s['results']} | {s['relevant']} | {s['new']} |")
    decided = ["| Report | Decision | Reason |", "|---|---|---|"]
    for key, r in log.reports.items():
        said = f' The report: "{r["quote"]}"' if r.get("quote") else ""
        decided.append(f"| [@{key}] | {screening.DECISIONS[r['decision']]}"
                       f"{md(': ' + r['category']) if r.get('category') else ''} | {md(r['reason'] + '.' + said)} |")
    return "\n".join(['<div class="editorial sx-search-log" markdown>', "", *rows, "", "</div>", "",
                      '??? note "Reports of human data cited on this site that are not study records"', "",
                      *("    " + r for r in decided), ""])


# ------------------------------------------------------------------------------------------------------ figures
def figure_block(fig_id, svg, caption, extra_class=""):
    return figures.frame(fig_id, svg, caption, extra_class)  # one frame (scroll box and cue) for every figure


def render_evidence_map(links):
    ledger = SITE.ledger
    verdicts = [(v, d["label"]) for v, d in ledger.verdicts.items()]
    grades = [(g, d["label"]) for g, d in ledger.grades.items()]
    claims = []
    for c in ledger.claims.values():
        label = (f"Claim {c.id.upper()}: {ledger.verdicts[c.verdict]['label'].lower()}, grade {c.grade}. "
                 f"{c.claim}")
        claims.append({"id": c.id, "verdict": c.verdict, "grade": c.grade, "label": label,
                       "href": links.url(c.page, f"claim-{c.id}")})
    svg = figures.evidence_map("fig-evidence-map", verdicts, grades, claims)
    rows = ["    | Verdict | Grade | Claims |", "    |---|---|---|"]
    for v, vlabel in verdicts:
        for g, glabel in grades:
            ids = [c for c in ledger.claims.values() if c.verdict == v and c.grade == g]
            if ids:
                cells = ", ".join(f"[{c.id.upper()}]({links.md(c.page, 'claim-' + c.id)})" for c in ids)
                rows.append(f"    | {md(vlabel)} | {g}: {md(glabel)} | {cells} |")
    caption = (f"Evidence map: each of the {len(claims)} audited claims by verdict (rows) and by the grade of the "
               "best evidence behind it (columns). Select a claim to open its verdict box.")
    return "\n".join([figure_block("fig-evidence-map", svg, caption, "sx-wide"), "",
                      '??? info "The evidence map as a table"', "", *rows, ""])


def landscape_point(study, links):
    label = label_of(study)
    n = study.n_total
    size = f"{n:,} participants" if n is not None else "number of participants not fully reported"
    year = study.year or "year not seen"
    risk = JUDGEMENT_LABELS[study.overall].lower()
    aria = f"{label}{drug_note(study)}: {DESIGNS[study.design].lower()}, {size}, {year}, risk of bias {risk}"
    return {"label": label, "year": study.year, "n": n, "design": study.design,
            "risk": RISK_LEVEL[study.overall], "href": links.study_url(study), "aria": aria}


def landscape_legend(data):
    designs = list(dict.fromkeys(s.design for s in data.studies.values()))
    risks = list(dict.fromkeys(RISK_LEVEL[s.overall] for s in data.studies.values()))
    inferred = {d: sum(1 for s in data.studies.values() if s.design == d and s.data.get("design_inferred"))
                for d in designs}
    items = [f'<li>{figures.icon(figures.DESIGN_SHAPES[d], "sx-marker risk-none")} {DESIGNS[d]}'
             f'{f" ({inferred[d]} of them our inference)" if inferred[d] else ""}</li>'
             for d in DESIGNS if d in designs]
    risk_items = [f'<li>{figures.icon("square", f"sx-marker risk-{r}")} '
                  f'<b>{figures.esc(figures.RISK_LETTERS[r])}</b> {RISK_LEGEND[r]}</li>'
                  for r in RISK_LEGEND if r in risks]
    return "\n".join(['<div class="sx-legend editorial" data-search-exclude>',
                      '<p class="sx-legend-title">Shape: design</p>', '<ul>', *items, "</ul>",
                      '<p class="sx-legend-title">Letter and colour: overall risk of bias, in each tool\'s words '
                      "(RoB 2 and ROBINS-I are different scales)</p>", '<ul>', *risk_items, "</ul>",
                      '<p class="sx-legend-title">Selank, the comparison peptide, is drawn in a panel of its own, '
                      "never among Semax evidence.</p>", "</div>"])


def panel_name(slug, args, data):
    if slug == SELANK_PANEL:
        return "Selank, the comparison peptide (not Semax evidence)"
    if slug == "all":
        return "Semax and its variants, all indications"
    if slug == "selection":
        single = args[0] if len(args) == 1 and args[0] not in data.studies and args[0] != "all" else None
        return semax_title(indication_name(single)) if single else "Semax: these studies"
    return semax_title(indication_name(slug))


def semax_title(name):
    """A panel title that says Semax: the indication page's title when it does, else 'Semax, <indication>'."""
    return name if "semax" in name.lower() else f"Semax, {name[:1].lower()}{name[1:]}"


def render_landscape(data, args, links):
    all_studies = list(data.studies.values())
    if not all_studies:
        return ""
    years = figures.year_domain([s.year for s in all_studies])
    top = figures.n_domain([s.n_total for s in all_studies])
    unknown_year = any(s.year is None for s in all_studies)
    panels = []
    for slug, studies in landscape_panels(data, args):
        name = panel_name(slug, args, data)
        fig_id = f"fig-landscape-{slug}"
        label = f"{name}: {len(studies)} human {'study' if len(studies) == 1 else 'studies'} by year and size"
        svg = figures.landscape(fig_id, label, [landscape_point(s, links) for s in studies], years, top,
                                unknown_year)
        caption = f"{name}: {len(studies)} {'study' if len(studies) == 1 else 'studies'}"
        extra = {"all": "sx-panel sx-panel-all", SELANK_PANEL: "sx-panel sx-panel-selank"}.get(slug, "sx-panel")
        panels.append(figure_block(fig_id, svg, caption, extra))
    if not panels:
        return ""
    return "\n".join(['<div class="sx-landscape-group">', landscape_legend(data), '<div class="sx-panels">',
                      *panels, "</div>", "</div>"])


def render_prisma(links):
    f = screening.flow(SITE.refs, SITE.index.cited_by if SITE.index else {}, SITE.studies, SITE.screening)
    excluded = [f"{reason}: {n}" for reason, n in sorted(f.excluded.items())]
    stages = [
        {"stage": "Identification",
         "main": [f"Reports cited on this site: {f.bibliography}",
                  f"Results of {f.searches} logged searches of stored pages: {f.search_results}"],
         "side": [f"Removed before screening: {f.duplicates} search results that were reports already in the "
                  "bibliography"]},
        {"stage": "Screening", "main": [f"Records screened: {f.screened}"],
         "side": [f"Excluded: {f.excluded_at_screening} not a report of data on people given Semax, its variants "
                  "or Selank"]},
        {"stage": "Screening", "main": [f"Reports of human data sought: {f.sought}"],
         "side": [f"Awaiting classification: {f.awaiting} (no primary report found, or its data not read)"]},
        {"stage": "Screening", "main": [f"Reports assessed for eligibility: {f.assessed}"],
         "side": [f"Reports excluded: {sum(f.excluded.values())}", *excluded]},
        {"stage": "Included",
         "main": [f"Studies included: {f.included_studies} ({f.semax_studies} of Semax and its variants, "
                  f"{f.selank_studies} of Selank)", f"Reports of included studies: {f.included_reports}"],
         "side": None},
    ]
    desc = ("PRISMA 2020 flow diagram of the human-studies dataset: " + "; ".join(
        " ".join([*st["main"], *(st["side"] or [])]) for st in stages) + ". The same counts are in the table below.")
    svg = figures.prisma("fig-prisma", "PRISMA 2020 flow diagram: how the human studies were found and screened",
                         desc, stages)
    rows = ["| Step | Count | Left the flow |", "|---|---|---|"]
    for st in stages:
        rows.append(f"| {md(st['stage'])} | {md('; '.join(st['main']))} | {md('; '.join(st['side'] or ['none']))} |")
    caption = ("PRISMA 2020 flow diagram, computed from the search log and screening decisions "
               "(references/screening.yaml) and the studies dataset.")
    return "\n".join([figure_block("fig-prisma", svg, caption, "sx-narrow"), "",
                      '<div class="editorial" markdown>', "", *rows, "", "</div>"])


def render_timeline(data, links):
    if not data.timeline:
        return ""
    events = []
    for i, e in enumerate(data.timeline, 1):
        aria = f"{i}. {e.date}, {EVENT_KINDS[e.kind].lower()}: {e.event.rstrip('.')}. Source: {e.sources[0]}."
        events.append({"number": i, "when": e.when, "date": e.date, "kind": e.kind, "text": e.event, "aria": aria,
                       "href": links.url(BIBLIOGRAPHY_PAGE, e.sources[0])})
    kinds = [(k, label) for k, label in EVENT_KINDS.items() if any(e.kind == k for e in data.timeline)]
    svg = figures.timeline("fig-timeline", events, kinds)
    rows = ["| # | Date | Kind | Event |", "|---|---|---|---|"]
    for i, e in enumerate(data.timeline, 1):
        cites = "; ".join(f"@{k}" for k in e.sources)
        rows.append(f"| {i} | {md(e.date)} | {EVENT_KINDS[e.kind]} | {md(e.event)} [{cites}] |")
    caption = ("Timeline: dated events in Semax's history, one lane per kind; each numbered marker links to its "
               "source, and the table below lists the events by number.")
    return "\n".join([figure_block("fig-timeline", svg, caption, "sx-wide"), "",
                      '<div class="sx-timeline-table" markdown>', "", *rows, "", "</div>"])


def render_alignment(sequences):
    if not sequences.sequences:
        return ""
    origins = {slug: {"label": o["label"], "short": o.get("short") or o["label"]}
               for slug, o in sequences.origins.items()}
    seqs = [{"name": s.name, "note": s.note, "segments": s.segments} for s in sequences.sequences]
    svg = figures.alignment("fig-sequence-alignment", seqs, origins)
    legend = [f'<li>{figures.icon("square", f"sx-residue origin-{slug}")} {figures.esc(o["label"])}</li>'
              for slug, o in origins.items()]
    rows = ["| Peptide | Sequence | Parts and their origin |", "|---|---|---|"]
    for s in sequences.sequences:
        parts = "; ".join(md(f"{'-'.join(rs)}: {origins[o]['label'].lower()}") for o, rs in s.segments)
        cites = "; ".join(f"@{k}" for k in dict.fromkeys(
            [*s.sources, *(k for o, _ in s.segments for k in sequences.origins[o]["sources"])]))
        rows.append(f"| {md(s.name)} | {md(s.text)} | {parts} [{cites}] |")
    caption = ("Sequence alignment: each residue coloured by where it comes from, with a bracket under each part "
               "naming its origin; Ac and NH2 are the acetyl and amide end groups.")
    return "\n".join([figure_block("fig-sequence-alignment", svg, caption, "sx-narrow"),
                      '<div class="sx-legend editorial" data-search-exclude>', "<ul>", *legend, "</ul>", "</div>", "",
                      '<div class="sx-alignment-table" markdown>', "", *rows, "", "</div>"])


# ------------------------------------------------------------------------------------------------------- markers
def render_marker(name, args, links):
    data = SITE.studies
    if name == "studies-table":
        return render_studies_table(select(data, args), links)
    if name == "studies-list":
        return render_studies_list(data, links)
    if name == "studies-counts":
        return render_counts(data)
    if name == "rob-table":
        return render_rob_tables(data, links)
    if name == "search-log":
        return render_search_log(links)
    figure, rest = (args or [""])[0], args[1:]
    if figure == "evidence-map":
        return render_evidence_map(links)
    if figure == "landscape":
        return render_landscape(data, rest, links)
    if figure == "timeline":
        return render_timeline(data, links)
    if figure == "prisma":
        return render_prisma(links)
    return render_alignment(SITE.sequences)


def render_markers(markdown, page_uri):
    """Every marker line of a page replaced by what it shows (ValueError names the marker)."""
    if ":" not in markdown or not MARKER_RE.search(markdown):
        return markdown
    links = Links(page_uri)

    def replace(match):
        try:
            return render_marker(match.group(1), match.group(2).split(), links)
        except ValueError as e:  # already reported with its line by sitedata.scan_docs; kept as a safety net
            raise ValueError(f"docs/{page_uri}: :{match.group(1)}: {e}") from None

    return MARKER_RE.sub(replace, markdown)
