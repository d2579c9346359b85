"""Small pure functions that build inline SVG as text. Every data string passes through `esc`, so a title, label
or URL from a data file can never become markup. Colours are CSS classes (docs/assets/stylesheets/site.css)
that follow the light and dark palettes."""

from __future__ import annotations

import functools
import math
import re
from html import escape

XLINK = "http://www.w3.org/1999/xlink"
# Characters XML 1.0 does not allow at all: dropped rather than escaped (they cannot be escaped).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


# The figures are inline in a page's Markdown, which later stages read again: mkdocs-bibtex expands a `[@key]`
# into a footnote, our hooks replace `:marker:` lines, Markdown reads `*`, `_`, `[..](..)`, `{: ...}` and
# backticks. Those characters become character references too (the data layer's md_text set), which no later
# stage matches and XML and HTML read back as the character.
_INERT = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|:@"}
_INERT_RE = re.compile("[" + re.escape("".join(_INERT)) + "]")


def esc(value):
    """Text or attribute value made safe for XML and HTML: & < > " ' escaped, forbidden characters removed, and
    Markdown, citation and marker characters written as character references (inert to every later stage)."""
    text = escape(_XML_INVALID.sub("", str(value)), quote=True)
    return _INERT_RE.sub(lambda m: _INERT[m.group(0)], text)


def num(x):
    """A coordinate, short: at most two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@functools.cache
def _name(name):
    return re.sub(r"^(xlink|xmlns)_", r"\1:", name.rstrip("_")).replace("_", "-")


def attrs(**kw):
    """' name="value"' pairs; a trailing underscore is dropped (class_), xlink_ and xmlns_ become prefixes and
    other underscores become hyphens."""
    out = []
    for name, value in kw.items():
        if value is None or value is False:
            continue
        name = _name(name)
        value = num(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        out.append(f' {name}="{esc(value)}"')
    return "".join(out)


def el(tag, *children, **kw):
    """An element with attributes and already-built children (strings of SVG)."""
    inner = "".join(children)
    return f"<{tag}{attrs(**kw)}>{inner}</{tag}>" if inner else f"<{tag}{attrs(**kw)}/>"


def text(x, y, content, **kw):
    return el("text", esc(content), x=float(x), y=float(y), **kw)


def title(content):
    return el("title", esc(content))


def link(href, label, *children):
    """A link with an accessible name (aria-label) and a tooltip (title). The target is in a plain href, which
    crawlers read (Lighthouse counts an xlink:href alone as a link without a target); Material's instant
    navigation, which assigns to every [href] element's read-only .href, is given a setter for SVG links by
    docs/assets/javascripts/svg-links.js."""
    return el("a", title(label), *children, href=href, aria_label=label)


def wrap(words, width):
    """Greedy line breaking of a label into lines of at most `width` characters (a long word stays whole)."""
    lines, line = [], ""
    for word in str(words).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line] if line else lines


def multiline(x, y, lines, line_height, **kw):
    """A <text> of several lines (tspans), first baseline at y."""
    spans = "".join(el("tspan", esc(line), x=float(x), dy=float(line_height if i else 0))
                    for i, line in enumerate(lines))
    return el("text", spans, x=float(x), y=float(y), **kw)


def document(fig_id, label, description, width, height, *body, class_=""):
    """A complete inline <svg>, named by its <title> and described by its <desc>: role=img, or role=group when
    it holds links (an img's content is presentational, so links inside one would be focusable yet hidden from
    assistive technology; axe: nested-interactive).

    The one responsive pattern of every figure: it is drawn at its own size, one viewBox unit to one CSS pixel
    (width and height attributes), and never scaled down, so its text keeps the font sizes site.css gives it
    (11 px at the least) on any screen. A figure wider than its column scrolls sideways inside `frame`, which
    shows a scroll cue."""
    role = "group" if any("<a " in str(part) for part in body) else "img"
    return el("svg", el("title", esc(label), id=f"{fig_id}-title"), el("desc", esc(description), id=f"{fig_id}-desc"),
              *body, xmlns="http://www.w3.org/2000/svg", xmlns_xlink=XLINK, viewBox=f"0 0 {num(width)} {num(height)}",
              width=float(width), height=float(height), role=role, aria_labelledby=f"{fig_id}-title {fig_id}-desc",
              class_=f"sx-svg {class_}".strip(), id=fig_id, focusable="false")


SCROLL_CUE = "Wider than the screen: scroll sideways to see the whole figure"


def frame(fig_id, svg, caption, extra_class=""):
    """A figure in its HTML frame: the SVG in a sideways-scrolling box (keyboard-focusable, named by the
    figure's title) with a scroll cue that shows when the box is narrower than the figure (site.css, and
    reading.js marks the box), then the caption. Every figure of the site is framed here."""
    classes = f"sx-figure {extra_class}".strip()
    return "\n".join([
        f'<figure class="{esc(classes)}" id="{esc(fig_id)}-figure" data-search-exclude>',
        f'<p class="sx-scroll-cue editorial" aria-hidden="true">{esc(SCROLL_CUE)} <span>&#8594;</span></p>',
        f'<div class="sx-scroll" tabindex="0" role="group" aria-labelledby="{esc(fig_id)}-title">{svg}</div>',
        f"<figcaption>{esc(caption)}</figcaption>", "</figure>"])


# ----------------------------------------------------------------------------------------------------- shapes
def _polygon(cx, cy, r, sides, rotation=-90.0):
    points = []
    for i in range(sides):
        a = math.radians(rotation + 360 * i / sides)
        points.append(f"{num(cx + r * math.cos(a))},{num(cy + r * math.sin(a))}")
    return " ".join(points)


def _star(cx, cy, r):
    points = []
    for i in range(10):
        a = math.radians(-90 + 36 * i)
        rr = r if i % 2 == 0 else r * 0.5
        points.append(f"{num(cx + rr * math.cos(a))},{num(cy + rr * math.sin(a))}")
    return " ".join(points)


def shape(kind, cx, cy, r, **kw):
    """A marker of one of the study-design shapes, centred on (cx, cy), about 2r across."""
    cx, cy, r = float(cx), float(cy), float(r)
    if kind == "circle":
        return el("circle", cx=cx, cy=cy, r=r, **kw)
    if kind == "square":
        s = r * 0.9
        return el("rect", x=cx - s, y=cy - s, width=2 * s, height=2 * s, **kw)
    if kind == "triangle":
        return el("polygon", points=_polygon(cx, cy + r * 0.2, r * 1.25, 3), **kw)
    if kind == "triangle-down":
        return el("polygon", points=_polygon(cx, cy - r * 0.2, r * 1.25, 3, rotation=90), **kw)
    if kind == "diamond":
        return el("polygon", points=_polygon(cx, cy, r * 1.2, 4), **kw)
    if kind == "hexagon":
        return el("polygon", points=_polygon(cx, cy, r * 1.1, 6, rotation=0), **kw)
    if kind == "star":
        return el("polygon", points=_star(cx, cy, r * 1.35), **kw)
    raise ValueError(f"unknown shape {kind!r}")


def icon(kind, class_="", size=16):
    """A small stand-alone shape for an HTML legend (decorative: the legend's text says what it means)."""
    half = size / 2
    return el("svg", shape(kind, half, half, size * 0.34, class_=class_), xmlns="http://www.w3.org/2000/svg",
              viewBox=f"0 0 {size} {size}", width=size, height=size, aria_hidden="true", focusable="false",
              class_="sx-icon")
