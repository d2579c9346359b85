"""The site's content rendering, free of any generator: every marker a page may hold is a pure function of the
data (sitedata.SITE, loaded once by `load_site`) and the page's source path, returning Markdown or HTML.

- render_page(markdown, page_uri): a page's Markdown with its markers and citations rendered
- extension.SiteMarkdown: the same as one Python-Markdown extension (markdown.Markdown(extensions=[...]))
- files.generated_files(): the files the site publishes beside its pages (/data/*, bibliography pages, checks)
- bibliography, claims, checks, studies: the renderers of each marker; citations: `[@key]` as footnotes;
  footnotes: their presentation; links: where pages are, seen from one page (directory URLs)

MkDocs is only wiring (hooks/*.py): CONTRIBUTING.md, "Rendering without MkDocs"."""

import sitedata
from sitedata import SITE, screening
from sitedata import checks as records_data

from . import bibliography, checks, citations, claims, studies


def load_site(docs_dir=sitedata.DOCS_DIR):
    """Read and check every data file once, into SITE (DataError on bad input), and index the pages' sources."""
    SITE.refs = sitedata.load_bibliography()
    sitedata.csl.format_references(SITE.refs)  # every entry formatted once, here; a bad field fails the build
    SITE.ledger = sitedata.load_ledger(SITE.refs)
    SITE.checks = records_data.load_checks(SITE.refs)
    SITE.checks_history = records_data.load_checks(SITE.refs, records_data.HISTORY_DIR, history=True)
    SITE.reviews = records_data.load_reviews()
    SITE.coverage = records_data.coverage(records_data.page_statements(ledger=SITE.ledger), SITE.checks)
    SITE.studies = sitedata.load_studies(SITE.refs)
    SITE.studies.timeline = sitedata.load_timeline(SITE.refs)
    SITE.sequences = sitedata.load_sequences(SITE.refs)
    SITE.screening = screening.load_screening(SITE.refs)
    studies.load_labels()
    SITE.index = sitedata.scan_docs(SITE.refs, SITE.ledger, docs_dir, studies=SITE.studies,
                                    sequences=SITE.sequences)
    return SITE


def render_page(markdown, page_uri, bibliography_page_limit=bibliography.DEFAULT_PAGE_LIMIT, method_link=None):
    """The page's Markdown with every marker replaced and its citations as footnotes. The order matters: the check
    buttons find the claim boxes' citations, and the citations are rendered last, in the generated text too."""
    markdown = bibliography.render_markers(markdown, page_uri, bibliography_page_limit)
    markdown = claims.render_markers(markdown, page_uri)
    markdown = checks.render_markers(markdown, page_uri, method_link)
    markdown = studies.render_markers(markdown, page_uri)
    return citations.render_citations(markdown)
