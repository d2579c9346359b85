"""Page metadata hook: dates from git history, the "cite this page" text, Highwire citation_* tags and
schema.org JSON-LD for every page. The templates in overrides/ only print what is computed here."""

import html
import subprocess

from mkdocs.utils import get_build_date

from sitedata import DOCS_DIR, ROOT, SITE, csl, title_text
from sitedata.citation import dump_jsonld

AUTHOR = "Semax Evidence editors"
DATES = {}  # src_uri -> (first published, last updated), ISO dates


def git_dates():
    """One `git log` for the whole docs tree: newest date first, so the first hit is the last update."""
    try:
        out = subprocess.run(["git", "log", "--format=@%cs", "--name-only", "--", str(DOCS_DIR)],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    dates, current = {}, None
    prefix = DOCS_DIR.relative_to(ROOT).as_posix() + "/"
    for line in out.splitlines():
        if line.startswith("@"):
            current = line[1:]
        elif line.startswith(prefix):
            uri = line[len(prefix):]
            first, last = dates.get(uri, (current, current))
            dates[uri] = (current, last)  # walking back in time: keep pushing "first" earlier
    return dates


def on_config(config):
    DATES.clear()
    DATES.update(git_dates())
    REFERENCE_TAGS.clear()
    return config


# key -> (citation_reference content, JSON-LD item): a work cited on many pages is described once per build.
REFERENCE_TAGS = {}


def _described(ref):
    if ref.key not in REFERENCE_TAGS:
        REFERENCE_TAGS[ref.key] = (reference_meta(ref), reference_jsonld(ref))
    return REFERENCE_TAGS[ref.key]


def _uncommitted_date():
    # MkDocs' build date: today, or SOURCE_DATE_EPOCH when set (scripts/build_editions.py sets the tag's date).
    return get_build_date()


def reference_meta(ref):
    """Google Scholar's citation_reference content for one cited work."""
    parts = [f"citation_title={ref.display_title}"]
    parts += [f"citation_author={a}" for a in ref.authors if a.lower() != "others"]
    for field, name in (("year", "citation_publication_date"), ("journal", "citation_journal_title"),
                        ("volume", "citation_volume"), ("number", "citation_issue"), ("pmid", "citation_pmid"),
                        ("doi", "citation_doi")):
        if ref.get(field):
            parts.append(f"{name}={ref.get(field)}")
    return "; ".join(p.replace(";", ",") if i else p for i, p in enumerate(parts))


def reference_jsonld(ref):
    item = {"@type": "ScholarlyArticle" if ref.type == "article" else "CreativeWork",
            "name": ref.display_title, "url": ref.get("url")}
    if ref.authors:
        item["author"] = [{"@type": "Person", "name": a} for a in ref.authors if a.lower() != "others"]
    if ref.get("organization"):  # the site that published a web source, as its reference names it
        item["publisher"] = {"@type": "Organization", "name": ref.get("organization")}
    if ref.year:
        item["datePublished"] = ref.year
    ids = [f"doi:{ref.get('doi')}"] if ref.get("doi") else []
    ids += [f"pmid:{ref.get('pmid')}"] if ref.get("pmid") else []
    if ids:
        item["identifier"] = ids
    return item


def on_page_context(context, page, config, nav):
    src = page.file.src_uri
    combines = page.meta.get("combines") or [src]  # print/ (hooks/printing.py) is as new as its newest part
    dates = [DATES.get(s, (None, None)) for s in combines]
    published = min((d[0] for d in dates if d[0]), default=None)
    updated = max((d[1] for d in dates if d[1]), default=None)
    if any(d[1] is None for d in dates):  # a part not committed yet
        updated = _uncommitted_date()
    published = published or updated
    # MkDocs gives page.title as HTML (the h1's inner HTML, `&amp;` for &): everything below wants the text,
    # which the templates escape once (`| e`), JSON-LD and BibTeX in their own way.
    title = title_text(page.title) or config.site_name
    url = page.canonical_url or page.abs_url
    pages = SITE.index.pages if SITE.index else {}
    keys = list(dict.fromkeys(k for s in combines if s in pages for k in pages[s].keys))
    refs = [SITE.refs[k] for k in keys]
    stem = src.removesuffix(".md")
    slug = "home" if stem == "index" else stem.removesuffix("/index").replace("/", "-")
    jsonld = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "headline": title,
        "url": url,
        "inLanguage": "en",
        "datePublished": updated,  # the version cited, as citation_publication_date and the cite block
        "dateCreated": published,
        "dateModified": updated,
        "lastReviewed": updated,
        "author": {"@type": "Organization", "name": AUTHOR},
        "reviewedBy": {"@type": "Organization", "name": AUTHOR},
        "publisher": {"@type": "Organization", "name": config.site_name, "url": config.site_url},
        "isPartOf": {"@type": "WebSite", "name": config.site_name, "url": config.site_url},
        "about": {"@type": "Drug", "name": "Semax"},
        "citation": [_described(r)[1] for r in refs],
    }
    if page.meta.get("description"):
        jsonld["description"] = page.meta["description"]
        # Material prints the description into <meta content="..."> unescaped: a quote in it would cut it short.
        page.meta["description"] = html.escape(page.meta["description"], quote=True)
    page.meta["semax"] = {
        "title": title,
        "author": AUTHOR,
        "url": url,
        "published": published,
        "updated": updated,
        "references": [_described(r)[0] for r in refs],
        "jsonld": dump_jsonld(jsonld),
        # The page as a CSL-JSON web page by the editors, dated by its version (the date every other tag gives):
        # hooks/citing.py formats it in each style once hooks/citing.py and hooks/editions.py have adjusted it.
        "item": csl.page_item(f"semaxevidence-{slug}", title, AUTHOR, config.site_name, updated, url),
        "retrieved": _uncommitted_date(),
    }
    return context
