"""Citations as footnotes: each `[@a; @b]` of a page becomes `[^a][^b]`, and the page ends with one footnote
per cited source, `[^key]: <the reference in the house style>`, in the order of first citation. Python-Markdown's
footnotes extension numbers them. This is the output mkdocs-bibtex 4.4 gives with `footnote_format: "{key}"`
(its SimpleRegistry), written here so that the pages need no generator plugin and every reference is formatted
once per build (sitedata.csl), not once per page."""

from sitedata import SITE, format_reference, mask_code
from sitedata.pages import citation_blocks, citation_keys

FOOTNOTE = "{key}"  # the footnote's label: the citation key, as `footnote_format` in mkdocs.yml
CODE_AT = "\ue002"  # stands for '@' inside code while the citations around it are replaced


def hide_code_at(markdown):
    """`[@key]` shown as code is not a citation (sitedata.find_citations skips it by the same rule)."""
    if "@" not in markdown or "`" not in markdown and "~~~" not in markdown:
        return markdown
    masked = mask_code(markdown)
    chars = list(markdown)
    for i, ch in enumerate(markdown):
        if ch == "@" and masked[i] != "@":
            chars[i] = CODE_AT
    return "".join(chars)


_TEXT = [None, {}]  # [the build's refs, {key: footnote text}]: each reference formatted once a build


def formatted(key):
    """A reference's footnote text."""
    if _TEXT[0] is not SITE.refs:
        _TEXT[:] = [SITE.refs, {}]
    cache = _TEXT[1]
    if key not in cache:
        cache[key] = format_reference(SITE.refs[key], refs=SITE.refs)
    return cache[key]


def render_citations(markdown):
    """The page with its citations as footnote references and the footnotes appended (an unknown key is left
    out: sitedata.check_citations has refused it when the pages were scanned)."""
    text = hide_code_at(markdown)
    blocks = []
    for _, inner in citation_blocks(text):
        if "@" in inner:
            keys = citation_keys(inner)
            if keys:
                blocks.append((inner, keys))
    cited = {}
    for inner, keys in blocks:  # every copy of a block's text is replaced, as mkdocs-bibtex replaces it
        text = text.replace(f"[{inner}]", "".join(f"[^{FOOTNOTE.format(key=k)}]" for k in keys if k in SITE.refs))
        for k in keys:
            cited.setdefault(k, None)
    notes = [f"[^{FOOTNOTE.format(key=k)}]: {formatted(k)}" for k in cited if k in SITE.refs]
    text += "\n" + "\n".join(notes)
    return text.replace(CODE_AT, "@")
