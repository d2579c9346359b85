"""One Python-Markdown extension for the whole site's rendering:

    markdown.Markdown(extensions=[SiteMarkdown(page="indications/adhd.md"), "footnotes", "md_in_html", ...])

Its preprocessor replaces the marker lines and the citations of the page named by `page` (render.render_page)
before any other preprocessor sees the text (snippets, HTML blocks, footnotes), as the MkDocs hooks did; its
postprocessor presents the footnotes. The data must be loaded first (render.load_site)."""

import hashlib

from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from sitedata import DOCS_DIR, SITE, page_sources, read_text
from sitedata.frontmatter import FRONT_MATTER_RE

from . import bibliography, checks, footnotes, load_site, render_page

# Above pymdownx.snippets (32), Python-Markdown's whitespace normalisation (30), HTML blocks (20) and footnotes
# (15): the rendered markers hold `<div markdown>` blocks and footnote references those must see.
PREPROCESSOR_PRIORITY = 40
POSTPROCESSOR_PRIORITY = 1  # last: the footnotes' HTML is complete


class SiteMarkdown(Extension):
    def __init__(self, **kwargs):
        self.config = {
            "page": ["", "the page's source path under docs/ (e.g. indications/adhd.md)"],
            "bibliography_page_limit": [bibliography.DEFAULT_PAGE_LIMIT, "sources per bibliography page"],
            "find_page": [False, "no `page`: recognise the page by its source text among docs/"],
        }
        super().__init__(**kwargs)
        self.method_link = checks.method_link()  # once, not once a page
        self.sources = None  # find_page: {digest of a page's text without front matter: its source path}

    def extendMarkdown(self, md):
        md.preprocessors.register(_Markers(md, self), "semax_markers", PREPROCESSOR_PRIORITY)
        md.postprocessors.register(_Footnotes(md), "semax_footnotes", POSTPROCESSOR_PRIORITY)
        md.registerExtension(self)

    def find_page(self, markdown):
        if self.sources is None:
            if not SITE.refs:
                load_site()
            self.sources = {}
            for path in page_sources(DOCS_DIR):
                text = read_text(path)
                m = FRONT_MATTER_RE.match(text)
                self.sources[_digest(text[m.end():] if m else text)] = path.relative_to(DOCS_DIR).as_posix()
        return self.sources.get(_digest(markdown), "")

    def render(self, markdown, page_uri=None):
        return render_page(markdown, page_uri or self.getConfig("page"),
                           int(self.getConfig("bibliography_page_limit")), self.method_link)


def _digest(text):
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


class _Markers(Preprocessor):
    def __init__(self, md, ext):
        super().__init__(md)
        self.ext = ext

    def run(self, lines):
        text = "\n".join(lines)
        page = self.ext.getConfig("page") or (self.ext.find_page(text) if self.ext.getConfig("find_page") else "")
        if not page:
            return lines
        return self.ext.render(text, page).split("\n")


class _Footnotes(Postprocessor):
    def run(self, text):
        return footnotes.present(text)


def makeExtension(**kwargs):  # noqa: N802 (Python-Markdown's name)
    return SiteMarkdown(**kwargs)
