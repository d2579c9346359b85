"""The ledger (references/claims.yaml) rendered: a verdict box wherever a page has
`:claim: id`, the sortable table of all claims on the audit page, the grade and verdict scales on the method
page, and /data/claims.json and /data/claims.csv."""

import csv
import io
import json

from sitedata import (
    CLAIM_MARKER_RE,
    INDEPENDENCE_FLAGS,
    SECTION_OF,
    SECTIONS,
    SITE,
    csv_cell,
    md_text,
    relative_link,
)


def claim_record(claim):
    return {
        "id": claim.id,
        "section": SECTION_OF[claim.id[0]],
        "claim": claim.claim,
        "verdict": claim.verdict,
        "grade": claim.grade,
        "computed_grade": claim.computed_grade,
        "kind": claim.kind or "effect",
        "grade_override": dict(claim.grade_override) if claim.grade_override else None,
        "summary": claim.summary,
        "sources": list(claim.sources or []),
        "independence": dict(claim.independence),
        "page": claim.page,
        "reviewed": str(claim.reviewed),
        "history": [{k: str(v) for k, v in h.items()} for h in claim.history or []],
        "anchor": f"claim-{claim.id}",
    }


def exports(ledger):
    records = [claim_record(c) for c in ledger.claims.values()]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "section", "claim", "verdict", "grade", "summary", "sources", "page", "anchor"])
    for r in records:  # csv_cell: a cell that a spreadsheet would run as a formula is written as text
        writer.writerow([csv_cell(v) for v in (r["id"], r["section"], r["claim"], r["verdict"], r["grade"],
                                                r["summary"], " ".join(r["sources"]), r["page"], r["anchor"])])
    meta = {"verdicts": ledger.verdicts, "grades": ledger.grades}
    return {
        "data/claims.json": json.dumps({**meta, "claims": records}, ensure_ascii=False, indent=1),
        "data/claims.csv": out.getvalue(),
    }


def verdict_badge(verdict):
    label = md_text(SITE.ledger.verdicts[verdict]["label"])
    return f'<span class="verdict verdict-{verdict}">{label}</span>'


def grade_badge(grade):
    g = SITE.ledger.grades[grade]
    return (f'<span class="grade grade-{grade}" title="{md_text(g["meaning"])}">'
            f'Grade {grade}: {md_text(g["label"])}</span>')


def render_claim(claim, page_uri):
    audit = relative_link(page_uri, "evidence/claims-audit.md")
    method = relative_link(page_uri, "evidence/method.md")
    sources = claim.sources or []
    cites = f" [{'; '.join('@' + k for k in sources)}]" if sources else " **No published source found.**"
    flags = claim.independence
    meta = " · ".join(f"{label}: {md_text(flags.get(k, 'unknown'))}" for k, label in INDEPENDENCE_FLAGS.items())
    return "\n".join([
        f'<div class="claim-box verdict-{claim.verdict}" id="claim-{claim.id}" markdown>',
        f'<p class="claim-head"><a class="claim-id" href="#claim-{claim.id}">Claim {claim.id.upper()}</a> '
        f"{verdict_badge(claim.verdict)} {grade_badge(claim.grade)}</p>",
        "",
        f"**[The article]({audit}) says:** {md_text(claim.claim)}",  # the audit page opens by naming it
        "",
        f"**What the evidence shows:** {md_text(claim.summary)}{cites}",
        "",
        *override_note(claim),
        f'<p class="claim-meta">{meta} · Last reviewed {claim.reviewed}</p>',
        "",
        f"[How we grade]({method}) · [All claims]({audit})",
        "</div>",
    ])


def override_note(claim):
    """The written reason when a claim shows another grade than its sources compute to (data: escaped)."""
    if not claim.grade_override:
        return []
    reason = md_text(claim.grade_override["reason"])
    return [f'<p class="grade-override"><strong>Grade {claim.grade}, not the computed {claim.computed_grade}:'
            f"</strong> {reason}</p>", ""]


def render_claims_table(page_uri):
    claims = list(SITE.ledger.claims.values())
    counts = {}
    for c in claims:
        counts[c.verdict] = counts.get(c.verdict, 0) + 1
    summary = ", ".join(f"{n} {md_text(SITE.ledger.verdicts[v]['label'].lower())}" for v, n in counts.items())
    rows = ["| Claim | Topic | What the article says | Verdict | Grade | Sources |",
            "|---|---|---|---|---|---|"]
    for c in claims:
        link = f"[{c.id.upper()}]({relative_link(page_uri, c.page)}#claim-{c.id})"
        text = md_text(c.claim)
        rows.append(f"| {link} | {SECTIONS[SECTION_OF[c.id[0]]]} | {text} | {verdict_badge(c.verdict)} "
                    f"| {c.grade} | {len(c.sources or [])} |")
    return "\n".join([f"{len(claims)} claims: {summary}.", "",
                      '<div class="claims-table" markdown>', "", *rows, "", "</div>"])


def render_scale(kind):
    items = SITE.ledger.grades if kind == "grades" else SITE.ledger.verdicts
    head = "| Grade | Symbol | Meaning |" if kind == "grades" else "| Verdict | Meaning |"
    rows = [head, "|---|---|---|" if kind == "grades" else "|---|---|"]
    for name, d in items.items():
        if kind == "grades":
            rows.append(f"| **{name}**: {md_text(d['label'])} | {md_text(d['symbol'])} | {md_text(d['meaning'])} |")
        else:
            rows.append(f"| {verdict_badge(name)} | {md_text(d['meaning'])} |")
    return "\n".join(rows)


def render_grade_key(page_uri):
    """The grade letters explained where grades are shown (home page, claims audit), from the ledger's scale."""
    method = relative_link(page_uri, "evidence/method.md")
    items = " · ".join(f"**{g}** {md_text(d['label'].lower())}" for g, d in SITE.ledger.grades.items())
    return f"Grades: {items}. [How grades are set]({method}#grades)\n{{: .sx-grade-key }}"


def render_grade_history(page_uri):
    """Every dated grade and verdict, newest first: each claim's `history` entries plus its current review."""
    rows = []
    for c in SITE.ledger.claims.values():
        link = f"[{c.id.upper()}]({relative_link(page_uri, c.page)}#claim-{c.id})"
        rows.append((str(c.reviewed), link, c.verdict, c.grade, "Current verdict and grade"))
        for old in c.history or []:
            rows.append((str(old["date"]), link, old["verdict"], old["grade"], md_text(old.get("note") or "")))
    rows.sort(key=lambda r: r[0], reverse=True)
    table = ["| Date | Claim | Verdict | Grade | Note |", "|---|---|---|---|---|"]
    table += [f"| {d} | {link} | {verdict_badge(v)} | {g} | {note} |" for d, link, v, g, note in rows]
    return "\n".join(table)


def _box(match, page_uri):
    return render_claim(SITE.ledger.claims[match.group(1)], page_uri)


def render_markers(markdown, page_uri):
    """A verdict box for each `:claim: id` line, and the tables of the audit and method pages."""
    markdown = CLAIM_MARKER_RE.sub(lambda m: _box(m, page_uri), markdown)
    for marker, render in ((":claims-table:", lambda: render_claims_table(page_uri)),
                           (":grades-table:", lambda: render_scale("grades")),
                           (":verdicts-table:", lambda: render_scale("verdicts")),
                           (":grade-history:", lambda: render_grade_history(page_uri)),
                           (":grade-key:", lambda: render_grade_key(page_uri))):
        if marker in markdown:  # each table is O(claims): render it only on the page that shows it
            markdown = markdown.replace(marker, render())
    return markdown
