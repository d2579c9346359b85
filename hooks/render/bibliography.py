"""The bibliography: one page of every source with "cited on" backlinks, or, past `limit` sources, an index page
and one page per initial (letter_pages), and the data exports of references/*.bib (exports)."""

import re

import sitedata
from sitedata import SITE, md_text

from .links import Links

DEFAULT_PAGE_LIMIT = 150  # mkdocs.yml extra.bibliography_page_limit, when not given
BIBLIOGRAPHY_MARKER = ":bibliography:"
# Search rank of the bibliography pages, as in docs/references.md's front matter: below the pages that discuss
# a work, which a reader searching an author or a title is usually after.
BIBLIOGRAPHY_SEARCH_BOOST = 0.1
# Material's search skips an element marked data-search-exclude, then strips such attributes when they carry a
# value, so the marker costs the page nothing.
SEARCH_EXCLUDE = 'data-search-exclude="true"'


def exports():
    refs = []
    for ref in SITE.refs.values():
        refs.append({
            "key": ref.key,
            "type": ref.type,
            "authors": ref.authors,
            **{k: v for k, v in ref.fields.items()},
            "cited_on": [{"page": p, "claim": c} for p, c in SITE.index.cited_by.get(ref.key, [])],
        })
    bib = "\n".join(p.read_text(encoding="utf-8") for p in sorted(sitedata.REFERENCES_DIR.rglob("*.bib")))
    return {
        "data/references.json": sitedata.json_records(refs, key="references"),
        "data/semax.bib": bib,
        # The same bibliography as CSL-JSON, the items every style is formatted from (reference managers import it)
        "data/references.csl.json": sitedata.json_records(sitedata.csl.to_csl(r) for r in SITE.refs.values()),
    }


def _sort_key(ref):
    """What the entry starts with: first author, else the publishing site, else title, ignoring brackets and quotes
    PubMed puts around translated titles."""
    text = sitedata.short_authors(ref) or ref.get("organization") or ref.display_title
    return (re.sub(r"^\W+", "", text).casefold(), ref.year, ref.key)


def render_entries(page_uri, refs):
    """Full entries, each anchored by its key, with "cited on" backlinks to every page and claim. Written as HTML,
    not Markdown: Python-Markdown's inline pass over 2,000 entries and their 12,000 backlinks took 1.5 s of a build
    (scripts/benchmark.py); an HTML block passes through it as it is, so abbreviations in the notes are not marked
    here (they are on the pages). Every field goes in through md_text or md_html (HTML-escaped text), and every
    backlink is made from the page index, to a page that exists."""
    index = SITE.index
    links = Links(page_uri)
    out = []
    for ref in refs:
        pages = {}
        for src_uri, claim_id in index.cited_by.get(ref.key, []):
            pages.setdefault(src_uri, []).append(claim_id)
        cited = []
        for src_uri, claim_ids in pages.items():
            link = f'<a href="{links.url(src_uri)}">{md_text(index.pages[src_uri].title)}</a>'
            claims = [c for c in claim_ids if c]
            if claims:
                link += " (" + ", ".join(
                    f'<a href="{links.url(src_uri, f"claim-{c}")}">claim {c.upper()}</a>' for c in claims) + ")"
            cited.append(link)
        out.append(f'<div class="ref-entry" id="{ref.key}" data-kind="{sitedata.csl.kind_of(ref)[0]}">')
        out.append(f'<p><a class="ref-key" href="#{ref.key}"><code>{ref.key}</code></a> '
                   f"{sitedata.format_reference(ref, refs=SITE.refs)}</p>")
        # Only the reference itself (authors, title, journal) is searchable: our notes and the "cited on" list
        # would rank the bibliography above the pages that discuss the work (data-search-exclude, Material).
        if ref.get("annote"):
            out.append(f"<p {SEARCH_EXCLUDE}>{md_text(ref.get('annote'))}</p>")
        if ref.get("unverified"):
            out.append(f'<p {SEARCH_EXCLUDE}><span class="unverified">Not confirmed on a public page: '
                       f'{md_text(ref.get("unverified"))}.</span></p>')
        out.append(f'<p class="cited-on" {SEARCH_EXCLUDE}>Cited on: '
                   + ("; ".join(cited) if cited else "<em>not cited</em>") + "</p>")
        out.append("</div>")
        out.append("")
    return "\n".join(out)


def kind_filter(refs):
    """A choice of the kind of source to show (journal article, vendor page, drug label...), with counts. Hidden
    until docs/assets/javascripts/reference-forward.js makes it work: without JavaScript every entry shows."""
    counts = {}
    for ref in refs:
        slug, label = sitedata.csl.kind_of(ref)
        counts.setdefault(slug, [label, 0])[1] += 1
    options = [f'<option value="">All kinds ({len(refs)})</option>']
    options += [f'<option value="{slug}">{label} ({n})</option>'
                for slug, (label, n) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[1][0]))]
    return "\n".join([f'<div class="ref-tools" {SEARCH_EXCLUDE} hidden>',
                      '<label for="ref-kind">Show</label> <select id="ref-kind" class="ref-kind-filter">',
                      *options, "</select>", '<span class="ref-count" role="status"></span>', "</div>", ""])


def jump_bar(groups, href):
    """Links to each initial (A-Z, then Other); an initial without entries is shown but not linked."""
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + ["other"]
    items = []
    for initial in letters:
        label = initial.upper() if initial != "other" else "Other"
        if initial in groups:
            items.append(f'<a href="{href(initial)}">{label}</a>')
        else:
            items.append(f'<span class="ref-jump-empty" aria-hidden="true">{label}</span>')
    return f'<nav class="ref-jump" aria-label="Sources by initial" {SEARCH_EXCLUDE}>{" ".join(items)}</nav>\n'


def _initial(ref):
    first = _sort_key(ref)[0][:1]
    return first if "a" <= first <= "z" else "other"


def is_split(limit):
    return len(SITE.refs) > limit


def parts(limit):
    """The bibliography cut into pages of at most `bibliography_page_limit` entries: one page per initial of
    the first author (or title), an initial with more entries than that in numbered parts (s-1, s-2...)."""
    groups = {}
    for ref in sorted(SITE.refs.values(), key=_sort_key):
        groups.setdefault(_initial(ref), []).append(ref)
    out = {}
    for initial in sorted(groups, key=lambda i: (i == "other", i)):
        refs = groups[initial]
        label = initial.upper() if initial != "other" else "Other"
        if len(refs) <= limit:
            out[initial] = (label, refs)
        else:
            for n in range(0, len(refs), limit):
                out[f"{initial}-{n // limit + 1}"] = (f"{label} {n // limit + 1}", refs[n:n + limit])
    return out


def letter_pages(limit=DEFAULT_PAGE_LIMIT):
    """Generated pages references/<part>.md, when the bibliography is split."""
    pages = {}
    for part, (label, refs) in parts(limit).items() if is_split(limit) else ():
        src = f"references/{part}.md"
        pages[src] = "\n".join([
            "---", f"description: Sources cited on Semax Evidence, first author or title under {label}.",
            f"search: {{boost: {BIBLIOGRAPHY_SEARCH_BOOST}}}", "---",
            f"# Bibliography: {label}", "",
            f"{len(refs)} of {len(SITE.refs)} sources. [All sources](../references.md)", "",
            kind_filter(refs), render_entries(src, refs)])
    return pages


def render_bibliography(page_uri, limit=DEFAULT_PAGE_LIMIT):
    ordered = sorted(SITE.refs.values(), key=_sort_key)
    if not is_split(limit):
        intro = f"{len(ordered)} sources. Each has a stable address: this page's URL followed by `#` and its key."
        groups = {}
        for ref in ordered:
            groups.setdefault(_initial(ref), []).append(ref)
        out = [intro, "", jump_bar(groups, lambda i: f"#initial-{i}"), kind_filter(ordered)]
        for initial, refs in sorted(groups.items(), key=lambda kv: (kv[0] == "other", kv[0])):
            label = initial.upper() if initial != "other" else "Other"
            out.append(f'<p class="ref-initial" id="initial-{initial}" {SEARCH_EXCLUDE}>{label}</p>\n')
            out.append(render_entries(page_uri, refs))
        return "\n".join(out)
    # Too many for one page: entries live on one page per initial. Every key keeps an anchor here, which links
    # (and, with JavaScript, forwards) to the entry, so published addresses /references/#key keep working.
    split = parts(limit)
    out = [f"{len(ordered)} sources, listed by the initial of the first author (or title):", ""]
    out.append(" · ".join(f"[{label} ({len(refs)})](references/{part}.md)" for part, (label, refs) in split.items()))
    first_part = {}
    for part in split:  # an initial in numbered parts (s-1, s-2) jumps to its first
        first_part.setdefault(part.split("-")[0], part)
    out += ["", jump_bar(first_part, lambda i: f"{first_part[i]}/")]
    out += ["", '<p class="ref-index">']
    out += [f'<a class="ref-forward" id="{r.key}" href="{part}/#{r.key}">{r.key}</a>'
            for part, (_, refs) in split.items() for r in refs]
    out += ["</p>"]
    return "\n".join(out)


def render_markers(markdown, page_uri, limit=DEFAULT_PAGE_LIMIT):
    if BIBLIOGRAPHY_MARKER in markdown:
        markdown = markdown.replace(BIBLIOGRAPHY_MARKER, render_bibliography(page_uri, limit))
    return markdown
