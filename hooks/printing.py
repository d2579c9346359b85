"""Print and PDF: column names on table cells, external links marked, and the whole reference as one page.

- Every body cell of a table gets its column's name (`data-label`, from the header row) and a table of
  STACK_MIN_COLUMNS columns or more is marked `data-print-layout="stacked"`: the print stylesheet shows such a
  table's rows as blocks of "column: value" lines, so no column is cut off at the page edge, without JavaScript.
- Links that leave the site get rel="external": print.css prints their address after them.
- print/ combines every page of the navigation, in its order, into one page to print or save as PDF: a table of
  contents, internal links turned into links within the page (every id is prefixed with its page's key) and one
  bibliography (the bibliography page, numbered: citation markers show and link to an entry's number, and the
  per-page footnote lists are dropped). It is filled in on_env, after every page's HTML exists and before any
  template is rendered, so no page is converted twice. A hook rather than mkdocs-print-site-plugin: that plugin
  (tried at 2.9) renames only heading, <sup> and <li> ids by regular expressions, which misses our claim boxes
  and bibliography entries and the footnote markers after our separators, so most of its internal links led
  nowhere; its page also gets no citation metadata and builds its table of contents in JavaScript.
"""

import posixpath
import re
from html import escape, unescape
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents

from sitedata import title_text

PRINT_PAGE = "print.md"
PRINT_TITLE = "The whole reference"
PRINT_H1_ID = "the-whole-reference"
# Wrapped cells keep any table within the page width, but the nine-column study tables then get columns of a
# word or two: from this many columns a table prints stacked. The six-column claims table reads well as a table.
STACK_MIN_COLUMNS = 7
BIBLIOGRAPHY_PAGE = "references.md"
BIBLIOGRAPHY_PARTS = "references/"  # generated pages of a split bibliography, combined after BIBLIOGRAPHY_PAGE
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls")
TABLE_RE = re.compile(r"<table\b.*?</table>", re.S)
# Links that leave the site get rel="external", and print.css prints their address after them. The href alone
# cannot tell: Material's instant navigation makes every internal link absolute in the browser.
EXTERNAL_LINK_RE = re.compile(r'<a href="(https?://[^"]+)"([^>]*)>(.*?)</a>', re.S)
STUB = f"""---
description: Every page of Semax Evidence in one document, in the order of the navigation, to print or save as PDF.
search:
  exclude: true
---
# {PRINT_TITLE}

<div class="editorial print-intro" markdown>
Every page of the site in one document, in the order of the navigation, citing one numbered bibliography.
Print it or save it as PDF from the browser's print dialog; each page can also be printed on its own.
</div>
"""

_STATE = {"nav": None}


# -------------------------------------------------------------------------------------------- table labels
def _text(el):
    return " ".join(el.text_content().split())


def label_cells(table_html):
    """One table's HTML with a data-label on every body cell (and stacked layout for wide tables)."""
    table = lxml.html.fragment_fromstring(table_html)
    head = table.find("thead")
    header = head.find("tr") if head is not None else None
    if header is None:
        return table_html
    labels = [_text(th) for th in header if th.tag in ("th", "td")]
    if len(labels) >= STACK_MIN_COLUMNS:
        table.set("data-print-layout", "stacked")
    for body in table.iterfind("tbody"):
        for row in body.iterfind("tr"):
            for label, cell in zip(labels, [c for c in row if c.tag in ("td", "th")], strict=False):
                if label:
                    cell.set("data-label", label)
    return lxml.html.tostring(table, encoding="unicode")


def _mark_external(match):
    href, rest, inner = match.groups()
    if unescape(re.sub(r"<[^>]+>", "", inner)).strip() == unescape(href):
        return match.group(0)  # its text is the address already
    return f'<a rel="external" href="{href}"{rest}>{inner}</a>'


def on_page_content(html, page, config, files):
    if "<table" in html:
        html = TABLE_RE.sub(lambda m: label_cells(m.group(0)), html)
    return EXTERNAL_LINK_RE.sub(_mark_external, html)


# ------------------------------------------------------------------------------------------ combined page
def _enabled(config):
    """False: print/ keeps only its introduction (scripts/benchmark.py measures what combining costs)."""
    return config.extra.get("print_page", True) is not False


def on_files(files, config):
    files.append(File.generated(config, PRINT_PAGE, content=STUB, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_nav(nav, config, files):
    _STATE["nav"] = nav
    return nav


def page_key(url):
    """A page's id prefix in the combined page: 'mechanisms/bdnf-trkb/' -> 'mechanisms-bdnf-trkb', '' -> 'home'."""
    key = url.removesuffix("index.html").strip("/").removesuffix(".html").replace("/", "-")
    return key or "home"


def combined_pages(nav, files):
    """Every nav page in order (those with content: `serve --dirty` leaves unchanged ones unconverted), and
    {page url: parts combined after it}: the split bibliography's pages after the bibliography page."""
    split = [f.page for f in files.documentation_pages()  # in the order hooks/content.py added them
             if f.src_uri.startswith(BIBLIOGRAPHY_PARTS) and f.page is not None and f.page not in nav.pages]
    pages, extra = [], {}
    for page in nav.pages:
        if page.file.src_uri == PRINT_PAGE or page.content is None:
            continue
        pages.append(page)
        if page.file.src_uri == BIBLIOGRAPHY_PAGE and split:
            extra[page.url] = [p for p in split if p.content is not None]
            pages += extra[page.url]
    return pages, extra


class Combiner:
    """Rewrites each page's HTML for its place in the combined page."""

    def __init__(self, pages, print_url):
        self.keys = {p.url: page_key(p.url) for p in pages}
        self.print_url = print_url

    def target(self, href, page_url):
        """The combined page's link for a link found on page_url: an in-page anchor when its target is a
        combined page, else an address relative to the combined page. None for links that need no change."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
            return None
        if not parts.path:  # "#id" on the same page
            return f"#{self.keys[page_url]}--{unquote(parts.fragment)}" if parts.fragment else None
        path = urljoin("/" + page_url, parts.path).lstrip("/")
        key = self.keys.get(path.removesuffix("index.html"))
        if key is None:  # an asset, a data file or a page left out: keep it reachable from print/
            rel = posixpath.relpath("/" + path, "/" + self.print_url)
            rel += "/" if path.endswith("/") and not rel.endswith("/") else ""
            return rel + (f"#{parts.fragment}" if parts.fragment else "")
        return f"#{key}--{unquote(parts.fragment)}" if parts.fragment else f"#{key}"

    def part(self, page):
        """The page's content as one <section id=key>, ids prefixed, links rewritten, h1 ensured."""
        key = self.keys[page.url]
        root = lxml.html.fragment_fromstring(page.content or "", create_parent="section")
        for el in root.iter():
            if not isinstance(el.tag, str) or el is root:
                continue
            if el.get("id"):
                el.set("id", f"{key}--{el.get('id')}")
            for attr in ID_REFERENCES:
                if el.get(attr):
                    el.set(attr, " ".join(f"{key}--{i}" for i in el.get(attr).split()))
            if el.tag == "input" and el.get("name"):  # radio groups of tabbed blocks: one group per page
                el.set("name", f"{key}--{el.get('name')}")
            for attr in ("href", "src"):
                value = el.get(attr)
                new = self.target(value, page.url) if value else None
                if new is not None:
                    el.set(attr, new)
        root.set("class", "print-part")
        root.set("id", key)
        if root.find(".//h1") is None:  # every part starts with its page's title
            h1 = lxml.html.Element("h1")
            h1.text = title_text(page.title)
            root.insert(0, h1)
        # Where the part lives on the site, under its title: a printed part can be traced to its own page.
        url = page.canonical_url or page.abs_url or "/" + page.url
        source = lxml.html.Element("p", {"class": "print-source"})
        source.text = "Online: "
        link = lxml.html.Element("a", {"href": url, "class": "print-source-url"})
        link.text = url
        source.append(link)
        root.find(".//h1").addnext(source)
        return root


def number_entries(section, entries):
    """Number the bibliography entries of one part (the bibliography page or one of its split parts) in
    order, adding to entries {bib key: (number, prefixed id)}."""
    for entry in section.iterfind(".//div[@class='ref-entry']"):
        key = entry.get("id").split("--", 1)[1]
        if key in entries:
            continue
        entries[key] = (len(entries) + 1, entry.get("id"))
        holder = entry.find("p") if entry.find("p") is not None else entry
        number = lxml.html.Element("span", {"class": "ref-number"})
        number.text = f"[{entries[key][0]}]"
        number.tail = " " + (holder.text or "")
        holder.text = None
        holder.insert(0, number)


def cite_entries(section, entries):
    """Make every citation marker of a part show and link to its entry's number, and drop the part's footnote
    list of citations (footnotes that are not citations stay)."""
    prefix = f"#{section.get('id')}--fn:"
    for a in section.iterfind(".//a[@class='footnote-ref']"):
        key = a.get("href", "").removeprefix(prefix)
        if key in entries:
            a.text = f"[{entries[key][0]}]"
            a.set("href", "#" + entries[key][1])
    for note in list(section.iterfind(".//div[@class='footnote']")):
        for li in list(note.iterfind("ol/li")):
            if li.get("id", "").split("--fn:", 1)[-1] in entries:
                li.getparent().remove(li)
        if note.find("ol/li") is None:
            note.getparent().remove(note)


def combine(pages, combiner):
    """Every part's HTML, with one bibliography: the bibliography's parts are numbered first, then each part
    is rewritten and serialised in turn (one page's tree in memory at a time, not the whole site's)."""
    entries, trees = {}, {}
    for page in pages:
        if page.file.src_uri == BIBLIOGRAPHY_PAGE or page.file.src_uri.startswith(BIBLIOGRAPHY_PARTS):
            trees[page.url] = combiner.part(page)
            number_entries(trees[page.url], entries)
    html = []
    for page in pages:
        section = trees.pop(page.url, None)
        section = section if section is not None else combiner.part(page)
        cite_entries(section, entries)
        html.append(lxml.html.tostring(section, encoding="unicode"))
    return html, len(entries)


def table_of_contents(items, keys, extra, level=2):
    """The contents as nested <ol> (printed in the page) and as AnchorLinks (Material's sidebar), from the
    navigation; a section is listed with its pages and links to its first page; `extra` lists, per page, the
    parts combined after it that the navigation does not show (a split bibliography's pages)."""
    html_items, links = [], []
    for item in items:
        if item.is_page and item.url in keys:
            for page in [item, *extra.get(item.url, [])]:
                html_items.append(f'<li><a href="#{keys[page.url]}">{escape(title_text(page.title))}</a></li>')
                links.append(AnchorLink(page.title, keys[page.url], level))
        elif item.is_section:
            inner, children = table_of_contents(item.children, keys, extra, level + 1)
            if not children:
                continue
            section = AnchorLink(item.title, children[0].id, level)
            section.children = children
            links.append(section)
            html_items.append(f'<li><span class="print-toc-section">{escape(item.title)}</span>{inner}</li>')
    return "<ol>" + "".join(html_items) + "</ol>", links


def on_env(env, config, files):
    """Fill print/ with every page's HTML, now that every page has been converted."""
    nav, printed = _STATE["nav"], files.get_file_from_path(PRINT_PAGE)
    if not _enabled(config) or nav is None or printed is None or printed.page is None:
        return env
    pages, extra = combined_pages(nav, files)
    combiner = Combiner(pages, printed.page.url)
    parts, count = combine(pages, combiner)
    contents, links = table_of_contents(nav.items, combiner.keys, extra)
    page = printed.page
    page.content = "\n".join([
        page.content,
        f'<p class="print-count">{len(pages)} pages, {count} sources.</p>',
        '<nav class="print-toc" aria-labelledby="print-contents">',
        '<h2 id="print-contents">Contents</h2>', contents, "</nav>", *parts])
    top = AnchorLink(page.title, PRINT_H1_ID, 1)
    top.children = [AnchorLink("Contents", "print-contents", 2), *links]
    page.toc = TableOfContents([top])
    # page_meta dates this page by the pages it combines and lists the sources they cite (generated parts
    # have no history of their own: they derive from pages and data that are dated).
    page.meta["combines"] = [p.file.src_uri for p in pages if p.file.generated_by is None]
    return env
