"""Wiring of the site's rendering (render/, free of MkDocs) into MkDocs: the data loaded once, the generated files
added to the build, each page's Markdown handed to the renderer, the page's verification figures set in its
metadata. What only MkDocs needs is here, named for it (CONTRIBUTING.md, "Rendering without MkDocs")."""

import render
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel
from render import checks
from render.citations import CODE_AT, hide_code_at
from render.extension import SiteMarkdown
from render.files import generated_files

from sitedata import DataError

EXTENSION = []  # the build's SiteMarkdown


@event_priority(100)  # before mkdocs-bibtex, which would parse the same files and fail with a traceback
def on_config(config):
    try:
        render.load_site(config.docs_dir)
    except DataError as e:
        raise PluginError(str(e)) from None
    # Registered for its footnote presentation; it renders the markers of no page by itself here (no `page`):
    # on_page_markdown below does, with the same function, before mkdocs-bibtex reads the page.
    ext = SiteMarkdown(bibliography_page_limit=config.extra.get("bibliography_page_limit",
                                                                render.bibliography.DEFAULT_PAGE_LIMIT))
    EXTENSION[:] = [ext]
    config.markdown_extensions.append(ext)
    return config


def on_files(files, config):
    for src_uri, content in generated_files(EXTENSION[0].getConfig("bibliography_page_limit")).items():
        inclusion = InclusionLevel.NOT_IN_NAV if src_uri.endswith(".md") else InclusionLevel.UNDEFINED
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    return files


@event_priority(50)  # before mkdocs-bibtex: it finds no citation left to replace
def on_page_markdown(markdown, page, config, files):
    uri = page.file.src_uri
    meta = checks.page_meta(uri)
    if meta:
        page.meta["checks"] = meta
    try:
        markdown = EXTENSION[0].render(markdown, uri)
    except ValueError as e:
        raise PluginError(str(e)) from None
    # mkdocs-bibtex replaces a bracketed `@key` anywhere, code included: the '@' of code waits as CODE_AT.
    return hide_code_at(markdown)


def on_page_content(html, page, config, files):
    return html.replace(CODE_AT, "@")
