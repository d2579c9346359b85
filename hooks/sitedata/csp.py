"""The Content-Security-Policy of every page: only this site's own scripts, styles, images, fonts and
connections, so a slip in escaping cannot become script. overrides/main.html writes the policy with the marker
below; `with_hashes` puts in the SHA-256 of each inline script the page carries (Material's three small
bootstrap scripts: the one naming the site's base path differs by folder depth) and of each inline style
attribute (a figure's min-width), computed from the page's final HTML."""

from __future__ import annotations

import base64
import hashlib
import html
import re

HASHES_MARKER = "'self' 'csp-hashes'"  # in overrides/main.html: replaced by 'self' and the page's hashes
_SCRIPT_RE = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
_STYLE_ATTR_RE = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle=(?:"([^"]*)"|'([^']*)')""")
_DATA_TYPES = ("application/json", "application/ld+json")  # data blocks: never run, CSP does not apply


def _digest(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def with_hashes(page_html):
    """The page with the policy's markers replaced: script-src gets the hash of each inline script, style-src
    those of the inline style attributes ('unsafe-hashes' lets exactly those through)."""
    if HASHES_MARKER not in page_html:
        return page_html
    scripts = []
    for m in _SCRIPT_RE.finditer(page_html):
        attrs = m.group(1).lower()
        if "src=" in attrs or any(t in attrs for t in _DATA_TYPES):
            continue
        scripts.append(_digest(m.group(2)))
    styles = [_digest(html.unescape(a if a is not None else b)) for a, b in _STYLE_ATTR_RE.findall(page_html)]
    script_src = " ".join(["'self'", *dict.fromkeys(scripts)])
    style_src = " ".join(["'self'", *(["'unsafe-hashes'", *dict.fromkeys(styles)] if styles else [])])
    head, sep, rest = page_html.partition(HASHES_MARKER)  # script-src first in the policy, then style-src
    rest = rest.replace(HASHES_MARKER, style_src, 1)
    return head + script_src + rest
