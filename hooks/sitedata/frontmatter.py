"""A page's front matter, read as data: the data layer's strict YAML loader (no aliases, anchors, merge keys or
duplicate keys, nesting capped), checked against schemas.FRONT_MATTER, with file:line on every problem. MkDocs
alone would show malformed front matter as page text and drop it in silence.

Every text value of front matter is data: `escaped_meta` turns it into what MkDocs and Material expect of
page.meta (HTML text: they print a title into the navigation and tags into search results unescaped).
"""

from __future__ import annotations

import html
import re

from .base import DataError, load_yaml
from .schemas import FRONT_MATTER, check

FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as mkdocs.utils.meta
_OPENING_RE = re.compile(r"^-{3}[ \t]*\n")
# Fields that reach HTML as written by MkDocs or Material: escaped once here. `description` is escaped by
# hooks/page_meta.py, which also needs its text for the JSON-LD.
ESCAPED_FIELDS = ("title",)
ESCAPED_LISTS = ("tags",)


def read_front_matter(path, text):
    """The page's front matter as a checked mapping ({} when it has none)."""
    m = FRONT_MATTER_RE.match(text)
    if not m:
        if _OPENING_RE.match(text):
            raise DataError(path, 1, "front matter", "opened with --- but never closed with --- or ... "
                                                     "(a page starting with a rule: write *** instead)")
        return {}
    data, node = load_yaml(path, "\n" + m.group(1))  # one blank line for the opening ---: lines match the page
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataError(path, 2, "front matter", "must be a mapping of keys (title:, description:, search:...)")
    check(FRONT_MATTER, data, node, path)
    return data


def escaped_meta(meta):
    """page.meta with each text field that MkDocs or Material print unescaped written as HTML text."""
    out = dict(meta)
    for name in ESCAPED_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = html.escape(out[name])
    for name in ESCAPED_LISTS:
        if isinstance(out.get(name), list):
            out[name] = [html.escape(str(v)) for v in out[name]]
    return out
