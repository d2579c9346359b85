"""Verification records (references/checks/*.yaml) rendered: a check button on each checked statement, a line under
each page's title saying how many of its cited statements were checked against their sources and when, the
site-wide figure (`:checks-coverage:`), the second reading (`:second-reading:`) and the list of corrections those
checks made (`:corrections:`)."""

import re
from pathlib import Path

from sitedata import DOCS_DIR, SITE, checks_view, md_text, relative_link
from sitedata import checks as records_data

from .links import Links, depth

METHOD = "evidence/method.md"
ANCHOR = "verification-records"


def method_link(docs_dir=DOCS_DIR):
    """What the "How we check" link may point to: {"anchor": bool}, or nothing when the method page is missing,
    so a strict build never meets a dangling anchor."""
    method = Path(docs_dir) / METHOD
    if not method.is_file():
        return {}
    return {"anchor": bool(re.search(r"^##\s+Verification records\s*$", method.read_text("utf-8"), re.M))}


def page_line(cov, page_uri, root="", link=None):
    how = ""
    link = method_link() if link is None else link
    if link:
        how = f' <a href="{Links(page_uri).url(METHOD, ANCHOR if link["anchor"] else "")}">How we check</a>'
    if not cov.current:
        said = "Not yet checked statement by statement."
    else:
        said = (f"{len(cov.current)} of {len(cov.statements)} cited statements on this page checked against "
                f"their sources, most recently on {cov.last_checked}.")
    # data-checks-root: the way from this page to the site's root, where the records' data files are. HTML, not
    # Markdown, like the bibliography's entries: on every page, it is no work for Python-Markdown.
    return f'<p class="checks-line" data-checks-root="{root}" data-search-exclude>{said}{how}</p>'


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
    quoted = sum(1 for recs in SITE.checks.values() for r in recs.values() if records_data.quoted(r))
    return "\n".join([
        f"**{checked} of {total} cited statements ({share})** on {len(pages)} content pages have a current "
        f"verification record: {complete} pages are fully checked, {started} partly, and "
        f"{len(pages) - complete - started} not yet. {quoted} of them quote the words of their sources "
        f"(the rest give our reading of them only). {second_reading_line()}",
        "",
        '??? note "Checked statements, page by page"',
        "",
        *("    " + r for r in rows),
    ])


def second_reading_line():
    """The second reader's result next to the coverage, so that coverage never reads as a promise of truth."""
    review = records_data.current_review(SITE.reviews)
    if review is None:
        return "No independent re-reading has been done yet."
    done, no, fixed = records_data.review_summary(review)
    if done < len(review.entries):
        return (f"An independent re-reading of a random {len(review.entries)} records for release {review.seed} is "
                f"under way: {done} read so far, {no} needing correction.")
    tail = "all fixed" if fixed == no else f"{fixed} fixed so far"
    return (f"An independent re-reading of {done} randomly drawn records (release {review.seed}) found {no} "
            f"needing correction{', ' + tail if no else ''}.")


def render_second_reading(page_uri):
    """The rate per release, from references/checks-review/ and the reviews kept in the records themselves."""
    rows = ["| Release (seed) | Drawn | Of live records | Re-read | Needed correction | Rate | Fixed |",
            "|---|---|---|---|---|---|---|"]
    for seed in sorted(SITE.reviews, key=records_data.seed_order, reverse=True):
        r = SITE.reviews[seed]
        done, no, fixed = records_data.review_summary(r)
        rate = f"{100 * no / done:.1f}%" if done else "-"
        rows.append(f"| {md_text(seed)} | {md_text(r.drawn)} | {len(r.entries)} of {r.population} | {done} | {no} | "
                    f"{rate} | {fixed} |")
    older = [r.data["review"] for kept in (SITE.checks, SITE.checks_history) for recs in kept.values()
             for r in recs.values() if r.data.get("review")]
    if older:
        no = sum(1 for x in older if x["agrees"] == "no")
        rows.append(f"| before the sampling script (reviews kept in the records) | {max(x['checked'] for x in older)} "
                    f"| {len(older)} | {len(older)} | {no} | {100 * no / len(older):.1f}% | - |")
    return "\n".join(['<div class="second-reading" data-search-exclude markdown>', "", *rows, "", "</div>"])


def render_corrections(page_uri):
    found = records_data.corrections(SITE.checks_history, SITE.checks)
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


def page_meta(page_uri):
    """What the page template shows of the page's verification ({checked, total, last}), or None."""
    cov = SITE.coverage.get(page_uri)
    if not (cov and cov.statements):
        return None
    return {"checked": len(cov.current), "total": len(cov.statements), "last": cov.last_checked}


def render_markers(markdown, page_uri, link=None):
    """Check buttons on the checked statements, the coverage line under the title, and the site-wide blocks."""
    cov = SITE.coverage.get(page_uri)
    if SITE.checks.get(page_uri):
        markdown = checks_view.annotate(markdown, page_uri, SITE.checks[page_uri])
        if SITE.ledger:  # claim boxes are already in place: render.render_page renders them first
            markdown = checks_view.annotate_claims(markdown, page_uri, SITE.checks[page_uri],
                                                   SITE.ledger.claims.values())
    if cov and cov.statements:
        # data-checks-root: the way from this page to the site's root, where the records' data files are.
        root = "../" * depth(page_uri)
        # Just below the page's title, where a reader decides how far to trust it.
        line = page_line(cov, page_uri, root, link)
        markdown, n = re.subn(r"^(# .+)$", lambda m: m.group(1) + "\n\n" + line, markdown, count=1, flags=re.M)
        if not n:
            markdown = line + "\n\n" + markdown
    for marker, render in ((":checks-coverage:", render_site_coverage), (":corrections:", render_corrections),
                           (":second-reading:", render_second_reading)):
        if marker in markdown:
            markdown = markdown.replace(marker, render(page_uri))
    return markdown


def data_files():
    """Each page's records as data/checks/<page>.json, read by the reader's "how this was checked" dialog."""
    return {checks_view.data_path(page): checks_view.page_data(page, records, SITE.refs)
            for page, records in SITE.checks.items() if page in SITE.index.pages}
