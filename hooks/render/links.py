"""Where things are, seen from one page, without a generator: pages are found in the data layer's index of
docs/ (sitedata.scan_docs), and addresses follow the directory URLs the site is built with (`a/b.md` is served
at `a/b/`, `a/index.md` at `a/`)."""

from sitedata import DOCS_DIR, SITE, relative_link

HUMAN_STUDIES_PAGE = "evidence/human-studies.md"
BIBLIOGRAPHY_PAGE = "references.md"


def page_url(src_uri):
    """The address of a page source, relative to the site's root (MkDocs' use_directory_urls)."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index":
        return "./"
    if stem.endswith("/index"):
        return stem[:-len("index")]
    return stem + "/"


def depth(src_uri):
    """How many folders down from the site's root a page is served ("../" that many times leads back)."""
    url = page_url(src_uri)
    return 0 if url == "./" else url.count("/")


def _parts(path):
    out = []
    for part in path.split("/"):
        if part == "..":
            if out:
                out.pop()
        elif part not in ("", "."):
            out.append(part)
    return out


def relative_url(url, other):
    """`url` as seen from `other` (both site-relative): the rule of MkDocs' get_relative_url, which the build's
    raw-HTML links (SVG figures) were written with."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, dest_parts = _parts(other), _parts(url)
    common = 0
    for a, b in zip(other_parts, dest_parts, strict=False):
        if a != b:
            break
        common += 1
    rel = "/".join([".."] * (len(other_parts) - common) + dest_parts[common:]) or "."
    return rel + "/" if url.endswith("/") else rel


def page_exists(src_uri):
    if SITE.index is not None and src_uri in SITE.index.pages:
        return True
    return (DOCS_DIR / src_uri).is_file()


class Links:
    """Where things are, seen from one page: Markdown links (checked by the generator) and URLs for raw SVG."""

    def __init__(self, page_uri):
        self.uri = page_uri
        self.anchors = set()  # study anchors given on this page (each once)

    def has(self, src_uri):
        return page_exists(src_uri)

    def md(self, src_uri, anchor=""):
        return relative_link(self.uri, src_uri) + (f"#{anchor}" if anchor else "")

    def url(self, src_uri, anchor=""):
        url = relative_url(page_url(src_uri), page_url(self.uri)) if self.has(src_uri) else ""
        return url + (f"#{anchor}" if anchor else "")

    def study_md(self, study):
        if self.uri == HUMAN_STUDIES_PAGE:
            return f"#{study.id}"
        if self.has(HUMAN_STUDIES_PAGE):
            return self.md(HUMAN_STUDIES_PAGE, study.id)
        return self.md(BIBLIOGRAPHY_PAGE, study.key)

    def study_url(self, study):
        if self.uri == HUMAN_STUDIES_PAGE:
            return f"#{study.id}"
        return self.url(HUMAN_STUDIES_PAGE if self.has(HUMAN_STUDIES_PAGE) else BIBLIOGRAPHY_PAGE,
                        study.id if self.has(HUMAN_STUDIES_PAGE) else study.key)
