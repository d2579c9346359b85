"""The files the site publishes beside its pages, from the loaded data (render.load_site): one function, so the
MkDocs hooks add them to the build and scripts/generate.py writes them to a folder for any other generator."""

from sitedata import SITE

from . import bibliography, checks, claims, studies


def generated_files(bibliography_page_limit=bibliography.DEFAULT_PAGE_LIMIT):
    """{path under the site's root: text}: /data/* (claims, references, studies, the data package), each page's
    verification records (data/checks/*.json) and, past the limit, the bibliography's pages (references/*.md,
    Markdown pages to be rendered like the others)."""
    return {
        **bibliography.exports(),
        **claims.exports(SITE.ledger),
        **studies.exports(SITE.studies, SITE.refs),
        **checks.data_files(),
        **bibliography.letter_pages(bibliography_page_limit),
    }
