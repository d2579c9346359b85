"""What a reader sees of a verification record: a small button after each cited statement, and the per-page
data it opens (/data/checks/<page>.json, fetched only when a reader asks). Pure functions of (data, page path);
hooks/render/checks.py renders them; hooks/content.py wires them into the build.

Everything from the records is data: it goes into JSON (json.dumps, with <, > and & escaped as in
base.script_json) and the browser inserts it as text (docs/assets/javascripts/checks.js uses textContent and
accepts only http(s) addresses as links), never as markup.
"""

from __future__ import annotations

from .base import md_text, script_json
from .bibliography import short_authors
from .checks import _CITE_RE, VERDICTS, fingerprint, statements

DATA_DIR = "data/checks"


def data_path(page):
    """Where the page's records are published, relative to the site root: data/checks/mechanisms/x.json."""
    return f"{DATA_DIR}/{page.removesuffix('.md')}.json"


def button(page, fingerprint):
    """The control after a statement. No text of its own (nothing for the search index); its name is in
    aria-label, its glyph in CSS. data-check names the page's data file and the record."""
    return (f'<button type="button" class="check-btn" data-check="{page.removesuffix(".md")}#{fingerprint}" '
            'aria-label="How this statement was checked" aria-haspopup="dialog" data-search-exclude></button>')


def annotate(markdown, page, records):
    """The page's Markdown with a button after the citation of every cited statement that has a record (for a
    table row, after its last citation). Statements are found as scripts/checks.py finds them, by fingerprint,
    so this works on whatever Markdown the build hands over."""
    starts = [0]
    for line in markdown.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    at = {}  # offset in the Markdown -> button
    cursor = 0  # statements come in reading order: each one's citation is after the previous one's
    for s in statements(markdown, page):
        if s.line > len(starts) - 1:
            continue
        begin = max(cursor, starts[s.line - 1])
        if s.header:  # a table row: after its last citation
            row = markdown[starts[s.line - 1]:starts[s.line] - 1]
            groups = list(_CITE_RE.finditer(row))
            end = starts[s.line - 1] + groups[-1].end() if groups else -1
        else:
            cite = _CITE_RE.findall(s.text)[-1]
            found = markdown.find(cite, begin)
            end = found + len(cite) if found >= 0 else -1
        if end < 0:
            continue
        cursor = end
        if s.fingerprint in records and not s.generated:
            at[end] = button(page, s.fingerprint)
    for end in sorted(at, reverse=True):
        markdown = markdown[:end] + at[end] + markdown[end:]
    return markdown


def annotate_claims(markdown, page, records, claims):
    """A button after the citations of each claim box's summary on the page (the summary is a statement of the
    page that shows the box; its record is keyed by the summary's own words). Finds the summary as the claims
    hook writes it, escaped with md_text."""
    for claim in claims:
        if claim.page != page or not claim.sources:
            continue
        fp = fingerprint(str(claim.summary))
        at = markdown.find(md_text(claim.summary)) if fp in records else -1
        if at < 0:
            continue
        end = markdown.find("\n", at)
        line = markdown[at:end if end >= 0 else len(markdown)]
        groups = list(_CITE_RE.finditer(line))
        if groups:
            pos = at + groups[-1].end()
            markdown = markdown[:pos] + button(page, fp) + markdown[pos:]
    return markdown


def record_view(record, refs):
    """One record as the reader's dialog shows it: plain values only."""
    sources = []
    for key, src in record.sources.items():
        ref = refs.get(key)
        label = ""
        if ref is not None:
            label = " ".join(x for x in (short_authors(ref), str(ref.get("year") or "")) if x) or key
        sources.append({
            "key": key, "label": label or key, "where": src.get("where", ""), "seen": src.get("seen", ""),
            "quote": src.get("quote", ""), "quote_en": src.get("quote_en", ""),
            "quote_missing": src.get("quote_missing", ""),
        })
    data = record.data
    return {"verdict": data["verdict"], "meaning": VERDICTS.get(data["verdict"], ""), "checked": data["checked"],
            "note": data.get("note") or "", "derived": list(data.get("derived") or []),
            "unhedged": data.get("unhedged") or "", "sources": sources}


def page_data(page, records, refs):
    """{fingerprint: record view} of a page's live records, as JSON text (escaped for any context)."""
    return script_json({fp: record_view(r, refs) for fp, r in sorted(records.items())}, sort_keys=True)
