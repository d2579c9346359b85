"""Studies hook: loads references/studies.yaml, timeline.yaml and sequences.yaml once per build and renders them
where a page has a marker line, so no study figure is typed twice:

    :studies-table: <indication slugs or study ids>   an indication's study table
    :studies-list:                                    every study (the Human studies page)
    :studies-counts:                                  counts by design and by risk of bias
    :rob-table:                                       the risk-of-bias tables, one per tool
    :figure: evidence-map | timeline | sequence-alignment | landscape by-indication | landscape <selection>

It also publishes /data/studies.json and /data/studies.csv."""

import csv
import io
import json

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

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
    DataError,
    relative_link,
    study_label,
)
from sitedata.studies import MARKER_RE, select

HUMAN_STUDIES_PAGE = "evidence/human-studies.md"
LABELS = {}  # study id -> its short, distinct name (one build)
BIBLIOGRAPHY_PAGE = "references.md"
RISK_LEGEND = {"low": "Low", "moderate": "Moderate or some concerns", "unclear": "No information",
               "serious": "Serious or high", "critical": "Critical", "none": "Not assessed"}
CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Column headings of the risk-of-bias tables; the full domain names are in each table's reasons.
DOMAIN_SHORT = {"deviations": "Deviations", "missing-data": "Missing data", "measurement": "Measurement",
                "reporting": "Reporting", "selection": "Selection", "classification": "Classification"}


def on_config(config):
    try:
        SITE.studies = sitedata.load_studies(SITE.refs)
        SITE.studies.timeline = sitedata.load_timeline(SITE.refs)
        SITE.sequences = sitedata.load_sequences(SITE.refs)
        LABELS.clear()
        LABELS.update(sitedata.study_labels(SITE.studies, SITE.refs))
    except DataError as e:
        raise PluginError(str(e)) from None
    return config


def on_files(files, config):
    for src_uri, content in exports(SITE.studies, SITE.refs).items():
        files.append(File.generated(config, src_uri, content=content))
    return files


# ------------------------------------------------------------------------------------------------------ exports
def study_record(study, refs):
    tool = study.tool
    return {
        **{k: v for k, v in study.data.items() if k != "rob"},
        "label": label_of(study),
        "n_total": study.n_total,
        "rob": {"tool": tool.name,
                "domains": {d: dict(study.data["rob"]["domains"][d]) for d in tool.domains},
                "overall": study.overall},
    }


def label_of(study):
    return LABELS.get(study.id) or study_label(study, SITE.refs)


def csv_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_TRIGGERS) else text


def exports(data, refs):
    records = [study_record(s, refs) for s in data.studies.values()]
    domains = list(dict.fromkeys(d for t in TOOLS.values() for d in t.domains))
    head = ["id", "key", "also", "label", "drug", "indication", "country", "year", "design", "allocation",
            "blinding", "arms", "n_total", "population", "dose", "route", "schedule", "comparator", "duration",
            "follow_up", "follow_up_days", "outcomes", "developer_linked", "language", "registration", "read",
            "rob_tool", *[f"rob_{d}" for d in domains], "rob_overall", "notes"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(head)
    for r in records:
        row = {**r, "also": " ".join(r.get("also") or []),
               "arms": "; ".join(f"{a['label']}: {a['n'] if a['n'] is not None else 'not reported'}"
                                 for a in r["arms"]),
               "outcomes": "; ".join(f"{o['measure']}: {o['result']}" for o in r["outcomes"]),
               "rob_tool": r["rob"]["tool"], "rob_overall": r["rob"]["overall"],
               **{f"rob_{d}": r["rob"]["domains"].get(d, {}).get("judgement", "") for d in domains}}
        writer.writerow([csv_cell(row.get(h)) for h in head])
    meta = {"designs": DESIGNS, "drugs": DRUGS,
            "tools": {t.name: {"domains": t.domains, "judgements": list(t.judgements)} for t in TOOLS.values()},
            "overall": "worst domain judgement; n/a where no tool applies (pharmacokinetic and pooled analyses)"}
    timeline = [{"date": e.date, "event": e.event, "kind": e.kind, "sources": e.sources} for e in data.timeline]
    return {
        "data/studies.json": json.dumps({**meta, "studies": records, "timeline": timeline}, ensure_ascii=False,
                                        indent=1),
        "data/studies.csv": out.getvalue(),
    }


# ---------------------------------------------------------------------------------------------------- markdown
def md(value):
    """Data as Markdown text, never markup (the data layer's one rule, safe in table cells too)."""
    return sitedata.md_text(value)


class Links:
    """Where things are, seen from one page: Markdown links (checked by MkDocs) and URLs for raw SVG."""

    def __init__(self, page, files):
        self.page, self.files = page, files
        self.uri = page.file.src_uri

    def has(self, src_uri):
        return self.files.get_file_from_path(src_uri) is not None

    def md(self, src_uri, anchor=""):
        return relative_link(self.uri, src_uri) + (f"#{anchor}" if anchor else "")

    def url(self, src_uri, anchor=""):
        target = self.files.get_file_from_path(src_uri)
        url = get_relative_url(target.url, self.page.file.url) if target else ""
        return url + (f"#{anchor}" if anchor else "")

    def study_md(self, study):
        if self.uri == HUMAN_STUDIES_PAGE:
            return f"#{study.id}"
        if self.has(HUMAN_STUDIES_PAGE):
            return self.md(HUMAN_STUDIES_PAGE, study.id)
        return self.md(BIBLIOGRAPHY_PAGE, study.key)

    def study_url(self, study):
        if self.uri == HUMAN_STUDIES_PAGE:
            return f"#{study.id}"
        return self.url(HUMAN_STUDIES_PAGE if self.has(HUMAN_STUDIES_PAGE) else BIBLIOGRAPHY_PAGE,
                        study.id if self.has(HUMAN_STUDIES_PAGE) else study.key)


def n_text(study):
    """Total n first (bold), then the arms as reported."""
    arms, total = study.arms, study.n_total

    def shown(n):
        return "not reported" if n is None else f"{n:,}"

    head = f"**{total:,}**" if total is not None else "total not reported"
    if len(arms) == 1 and arms[0]["n"] is None:
        head = "not reported"
    detail = "; ".join(md(f"{a['label']}: {shown(a['n'])}") if len(arms) > 1 else md(a["label"]) for a in arms)
    return f'{head}<br><span class="sx-arms">{detail}</span>'


def place(study):
    return "" if study.country.strip().lower() == "not reported" else f", {md(study.country)}"


def rob_badge(study):
    level = RISK_LEVEL[study.overall]
    word = JUDGEMENT_LABELS[study.overall]
    return f'<span class="rob rob-{level}">{word}</span>'


def indication_name(slug):
    if slug in EXTRA_INDICATIONS:
        return EXTRA_INDICATIONS[slug]
    info = SITE.index.pages.get(f"indications/{slug}.md") if SITE.index else None
    return info.title if info else slug


def drug_note(study):
    return "" if study.drug == "semax" else f" ({DRUGS[study.drug]})"


def render_studies_table(studies, links):
    if not studies:
        return '!!! nosource "No human study in our data"\n    No record in the studies dataset matches this table.'
    rows = ["| Study | Design | n | Population | Comparator | Dose, route and schedule | Treatment and follow-up "
            "| Main outcomes | Risk of bias |", "|---|---|---|---|---|---|---|---|---|"]
    for s in studies:
        study = f"[{md(label_of(s))}]({links.study_md(s)}){md(drug_note(s))}{place(s)} [@{s.key}]"
        design = md(f"{DESIGNS[s.design]}; allocation: {s.allocation}; blinding: {s.blinding}")
        dose = md(f"{s.dose}; {s.route}; {s.schedule}")
        timing = md(f"Treatment: {s.duration}. Follow-up: {s.follow_up}.")
        outcomes = "; ".join(md(f"{o['measure']}: {o['result']}") for o in s.outcomes)
        rob = f"{rob_badge(s)} ({md(s.tool.name)})" if s.tool.domains else rob_badge(s)
        rows.append(f"| {study} | {design} | {n_text(s)} | {md(s.population)} | {md(s.comparator)} | {dose} "
                    f"| {timing} | {outcomes} | {rob} |")
    return "\n".join(['<div class="studies-table" markdown>', "", *rows, "", "</div>"])


def render_studies_list(data, links):
    rows = ["| Study | Indication | Design | n | Follow-up | Read | Developer-linked | Risk of bias |",
            "|---|---|---|---|---|---|---|---|"]
    for s in data.studies.values():
        page = f"indications/{s.indication}.md"
        where = f"[{md(indication_name(s.indication))}]({links.md(page)})" if links.has(page) else \
            md(indication_name(s.indication))
        also = "".join(f"; @{k}" for k in s.also or [])
        study = (f'<span class="sx-anchor" id="{s.id}"></span>{md(label_of(s))}{md(drug_note(s))}'
                 f"{place(s)} [@{s.key}{also}]")
        rows.append(f"| {study} | {where} | {md(DESIGNS[s.design])} | {n_text(s)} | {md(s.follow_up)} "
                    f"| {md(sitedata.studies.READ[s.read])}, {md(s.language)} | {md(s.developer_linked)} "
                    f"| {rob_badge(s)} |")
    return "\n".join(['<div class="studies-table studies-list" markdown>', "", *rows, "", "</div>"])


SEVERITY = ("critical", "high", "serious", "no-information", "some-concerns", "moderate", "low", "n/a")


def render_counts(data):
    studies = list(data.studies.values())
    by_design = {d: sum(1 for s in studies if s.design == d) for d in DESIGNS}
    by_risk = {j: sum(1 for s in studies if s.overall == j) for j in SEVERITY}
    drugs = {d: sum(1 for s in studies if s.drug == d) for d in DRUGS}
    of = " and ".join(f"{n} of {label}" for d, label in DRUGS.items() if (n := drugs[d]))
    designs = ["| Design | Studies |", "|---|---|"] + [f"| {label} | {by_design[d]} |"
                                                      for d, label in DESIGNS.items() if by_design[d]]
    risks = ["| Overall risk of bias | Studies |", "|---|---|"] + [
        f'| <span class="rob rob-{RISK_LEVEL[j]}">{JUDGEMENT_LABELS[j]}</span> | {n} |'
        for j, n in by_risk.items() if n]
    return "\n".join(['<div class="editorial sx-counts" markdown>', "",
                      f"{len(studies)} studies in the dataset ({of}), by design and by overall risk of bias:", "",
                      '<div class="sx-count-tables" markdown>', "", *designs, "", *risks, "", "</div>", "", "</div>"])


def render_rob_tables(data, links):
    out = []
    for tool in TOOLS.values():
        studies = [s for s in data.studies.values() if s.tool is tool]
        if not studies:
            continue
        if not tool.domains:
            names = ", ".join(f"[{md(label_of(s))}]({links.md(BIBLIOGRAPHY_PAGE, s.key)}) [@{s.key}]"
                              for s in studies)
            out += ["### Not assessed with a risk-of-bias tool", "",
                    f"Pharmacokinetic studies and pooled analyses: {names}.", ""]
            continue
        heads = [DOMAIN_SHORT.get(d, label) for d, label in tool.domains.items()] + ["Overall"]
        out += [f"### {tool.name}", "", '<div class="rob-table" markdown>', "",
                "| Study | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
        reasons = []
        for s in studies:
            cells = []
            for domain in tool.domains:
                j = s.judgement(domain)
                cells.append(f'<span class="rob rob-{RISK_LEVEL[j]}">{JUDGEMENT_LABELS[j]}</span>')
            cite = f"[{md(label_of(s))}]({links.md(BIBLIOGRAPHY_PAGE, s.key)}){md(drug_note(s))} [@{s.key}]"
            out.append(f"| {cite} | " + " | ".join(cells) + f" | {rob_badge(s)} |")
            why = "; ".join(md(f"{label}: {JUDGEMENT_LABELS[s.judgement(d)].lower()}, "
                               f"{s.data['rob']['domains'][d]['reason']}") for d, label in tool.domains.items())
            reasons.append(f"    | {cite} | {why} |")
        out += ["", "</div>", "", f'??? note "{tool.name}: the reason for each judgement"', "",
                "    | Study | Reasons |", "    |---|---|", *reasons, ""]
    return "\n".join(out)


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
    items = [f'<li>{figures.icon(figures.DESIGN_SHAPES[d], "sx-marker risk-none")} {DESIGNS[d]}</li>'
             for d in DESIGNS if d in designs]
    risk_items = [f'<li>{figures.icon("square", f"sx-marker risk-{r}")} '
                  f'<b>{figures.esc(figures.RISK_LETTERS[r])}</b> {RISK_LEGEND[r]}</li>'
                  for r in RISK_LEGEND if r in risks]
    return "\n".join(['<div class="sx-legend editorial" data-search-exclude>',
                      '<p class="sx-legend-title">Shape: design</p>', '<ul>', *items, "</ul>",
                      '<p class="sx-legend-title">Letter and colour: overall risk of bias</p>', '<ul>', *risk_items,
                      "</ul>", "</div>"])


def render_landscape(data, args, links):
    all_studies = list(data.studies.values())
    if not all_studies:
        return ""
    years = figures.year_domain([s.year for s in all_studies])
    top = figures.n_domain([s.n_total for s in all_studies])
    unknown_year = any(s.year is None for s in all_studies)
    if args == ["by-indication"]:
        # Every study in one panel first (no large randomised trial shows at a glance), then one per indication.
        groups = {"all": all_studies}
        for s in all_studies:
            groups.setdefault(s.indication, []).append(s)
        order = ["all", *sorted((g for g in groups if g != "all"), key=lambda g: (-len(groups[g]), indication_name(g)))]
    else:
        chosen = select(data, args)
        groups, order = {"selection": chosen}, ["selection"]
        if not chosen:
            return ""
    panels = []
    for slug in order:
        studies = groups[slug]
        single = args[0] if len(args) == 1 and args[0] not in data.studies and args[0] != "all" else None
        name = {"selection": indication_name(single) if single else "These studies",
                "all": "All indications"}.get(slug) or indication_name(slug)
        fig_id = f"fig-landscape-{slug}"
        label = f"{name}: {len(studies)} human {'study' if len(studies) == 1 else 'studies'} by year and size"
        svg = figures.landscape(fig_id, label, [landscape_point(s, links) for s in studies], years, top,
                                unknown_year)
        caption = f"{name}: {len(studies)} {'study' if len(studies) == 1 else 'studies'}"
        panels.append(figure_block(fig_id, svg, caption, "sx-panel sx-panel-all" if slug == "all" else "sx-panel"))
    return "\n".join(['<div class="sx-landscape-group">', landscape_legend(data), '<div class="sx-panels">',
                      *panels, "</div>", "</div>"])


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
    figure, rest = (args or [""])[0], args[1:]
    if figure == "evidence-map":
        return render_evidence_map(links)
    if figure == "landscape":
        return render_landscape(data, rest, links)
    if figure == "timeline":
        return render_timeline(data, links)
    return render_alignment(SITE.sequences)


@event_priority(50)  # before mkdocs-bibtex, which must see the citations in the generated tables
def on_page_markdown(markdown, page, config, files):
    if ":" not in markdown or not MARKER_RE.search(markdown):
        return markdown
    links = Links(page, files)

    def replace(match):
        try:
            return render_marker(match.group(1), match.group(2).split(), links)
        except ValueError as e:  # already reported with its line by sitedata.scan_docs; kept as a safety net
            raise PluginError(f"docs/{page.file.src_uri}: :{match.group(1)}: {e}") from None

    return MARKER_RE.sub(replace, markdown)
