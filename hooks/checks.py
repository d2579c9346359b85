"""Verification-records hook: loads references/checks/*.yaml (a malformed record stops the build with
file:line: key: message), tells readers under each page's title how many of its cited statements were checked
against their sources and when, and renders the site-wide figure (`:checks-coverage:`) and the list of
corrections those checks made (`:corrections:`)."""

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

from sitedata import SITE, DataError, md_text, relative_link
from sitedata import checks as records_data

METHOD = "evidence/method.md"
ANCHOR = "verification-records"
METHOD_LINK = {}  # what the "How we check" link may point to in this project: {"anchor": bool} or nothing


def on_config(config):
    try:
        SITE.checks = records_data.load_checks(SITE.refs)
        SITE.checks_history = records_data.load_checks(SITE.refs, records_data.HISTORY_DIR, history=True)
    except DataError as e:
        raise PluginError(str(e)) from None
    SITE.coverage = records_data.coverage(records_data.page_statements(ledger=SITE.ledger), SITE.checks)
    # Link the explanation only where it exists, so a strict build never meets a dangling anchor.
    METHOD_LINK.clear()
    method = Path(config.docs_dir) / METHOD
    if method.is_file():
        METHOD_LINK["anchor"] = bool(re.search(r"^##\s+Verification records\s*$", method.read_text("utf-8"), re.M))
    return config


def page_line(cov, page_uri):
    how = ""
    if METHOD_LINK:
        anchor = f"#{ANCHOR}" if METHOD_LINK["anchor"] else ""
        how = f" [How we check]({relative_link(page_uri, METHOD)}{anchor})"
    if not cov.current:
        said = "Not yet checked statement by statement."
    else:
        said = (f"{len(cov.current)} of {len(cov.statements)} cited statements on this page checked against "
                f"their sources, most recently on {cov.last_checked}.")
    return f'<p class="checks-line" data-search-exclude markdown>{said}{how}</p>'


def render_site_coverage(page_uri):
    checked, total = records_data.site_coverage(SITE.coverage)
    pages = [c for c in SITE.coverage.values() if c.statements]
    complete = sum(1 for c in pages if not c.missing)
    started = sum(1 for c in pages if c.current and c.missing)
    share = f"{100 * checked / total:.0f}%" if total else "0%"
    rows = ["| Page | Checked | Last checked |", "|---|---|---|"]
    for c in sorted(pages, key=lambda c: c.page):
        link = f"[{md_text(SITE.index.pages[c.page].title)}]({relative_link(page_uri, c.page)})"
        rows.append(f"| {link} | {len(c.current)} of {len(c.statements)} | {c.last_checked or 'not yet'} |")
    reviews = [r.data["review"] for recs in SITE.checks.values() for r in recs.values() if r.data.get("review")]
    disputed = sum(1 for r in reviews if r["agrees"] == "no")
    second = (f" A second checker independently re-read the sources of {len(reviews)} sampled records and "
              f"disagreed with {disputed}; a disputed record does not count until its statement is fixed and "
              "checked again." if reviews else "")
    return "\n".join([
        f"**{checked} of {total} cited statements ({share})** on {len(pages)} content pages have a current "
        f"verification record: {complete} pages are fully checked, {started} partly, and "
        f"{len(pages) - complete - started} not yet.{second}",
        "",
        '??? note "Checked statements, page by page"',
        "",
        *("    " + r for r in rows),
    ])


def render_corrections(page_uri):
    found = records_data.corrections(SITE.checks_history)
    if not found:
        return "No statement has been corrected after a check so far."
    lines = []
    for r in found:
        title = SITE.index.pages[r.page].title if r.page in SITE.index.pages else r.page
        where = md_text(title)
        if r.page in SITE.index.pages:
            where = f"[{where}]({relative_link(page_uri, r.page)})"
        lines.append(f"- {r.data['checked']} · {where}: {md_text(r.data['correction'])}")
    # Kept out of the search index: each correction is about a page whose own text a search already finds, and
    # the list would be the largest entry of the index.
    return "\n".join(['<div class="corrections" data-search-exclude markdown>', "", *lines, "", "</div>"])


def on_page_markdown(markdown, page, config, files):
    uri = page.file.src_uri
    cov = SITE.coverage.get(uri)
    if cov and cov.statements:
        page.meta["checks"] = {"checked": len(cov.current), "total": len(cov.statements),
                               "last": cov.last_checked}
        # Just below the page's title, where a reader decides how far to trust it.
        markdown, n = re.subn(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + page_line(cov, uri), markdown,
                              count=1, flags=re.M)
        if not n:
            markdown = page_line(cov, uri) + "\n\n" + markdown
    for marker, render in ((":checks-coverage:", render_site_coverage), (":corrections:", render_corrections)):
        if marker in markdown:
            markdown = markdown.replace(marker, render(uri))
    return markdown
