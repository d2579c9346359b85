"""Paths, the error type and small helpers that every dataset module shares: reading files, reading YAML, and
the one escaping rule for data (every field from references/ is text, never markup)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import yaml
from markupsafe import Markup
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

ROOT = Path(__file__).resolve().parent.parent.parent
REFERENCES_DIR = ROOT / "references"
LEDGER_PATH = REFERENCES_DIR / "claims.yaml"
DOCS_DIR = ROOT / "docs"
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
# Folders whose files the build reads or publishes. Git stores symlinks, so a pull request can carry one that
# points at a file outside the repository (an environment file, a key): none is followed, anywhere in them.
GUARDED_DIRS = ("docs", "references", "includes", "overrides")


def shown_path(path):
    """A file as messages name it: relative to the project root when inside it."""
    path = Path(path)
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.as_posix()


class Fields:
    """A record whose fields (its `data` mapping) read as attributes; a field not given reads as None."""

    def __getattr__(self, name):
        try:
            return self.__dict__["data"].get(name)
        except KeyError:
            raise AttributeError(name) from None


class DataError(Exception):
    """Bad input data: carries file, line and key so the message points at the fix."""

    def __init__(self, path, line, key, message):
        self.path, self.line, self.key = Path(path), line, key
        shown = shown_path(self.path)
        where = f"{shown}:{line}" if line else f"{shown}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def relative_link(from_uri, to_uri):
    """Relative Markdown link from one page source to another (both relative to docs/), so MkDocs checks it."""
    return "../" * from_uri.count("/") + to_uri


# Possessive `++`: the spaces after '#' are never handed back, so a long line of spaces fails in linear time.
_H1_RE = re.compile(r"^#[ \t]++([^\n]*[^\s])", re.M)


def page_title(markdown, fallback):
    m = _H1_RE.search(markdown)
    return m.group(1) if m else fallback


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


# ------------------------------------------------------------------------------------------------ reading files
def refuse_symlinks(root=ROOT, folders=GUARDED_DIRS):
    """Stop on any symlink under the folders the build reads (or on a folder that resolves outside root): a
    link would publish whatever it points at. The file is named, never its target nor its contents."""
    root = Path(root)
    for name in folders:
        top = root / name
        if top.is_symlink() or (top.exists() and not top.resolve().is_relative_to(root.resolve())):
            raise DataError(top, 0, "", "symlinks are not allowed")
        for folder, dirs, files in os.walk(top):  # os.walk does not descend into linked folders
            for entry in sorted(dirs + files):
                if (Path(folder) / entry).is_symlink():
                    raise DataError(Path(folder) / entry, 0, "", "symlinks are not allowed")


# Characters refused in every file we read: NUL (truncates strings in C libraries and meta tags) and the bidi
# embedding, override and isolate controls, which reorder the text after them ("Trojan Source"): one left open in
# a field reverses the rest of the rendered line.
_FORBIDDEN_RE = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")


def page_sources(docs_dir):
    """Every page source (*.md) under docs_dir, in path order: sorted by parts, which is how paths compare, but
    without comparing Path objects (a tenth of a second at 1,000 pages, paid twice per build)."""
    return sorted(Path(docs_dir).rglob("*.md"), key=lambda p: p.parts)


def read_text(path):
    """A data or page file as text (a byte-order mark some editors add is dropped). Bytes that are not UTF-8 are
    reported at their line, not as a traceback; a symlink is refused before it is opened."""
    path = Path(path)
    if path.is_symlink():
        raise DataError(path, 0, "", "symlinks are not allowed")
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise DataError(path, line, "", f"not UTF-8: byte 0x{data[e.start]:02x} at column {column} "
                                        "(save the file as UTF-8)") from None
    bad = _FORBIDDEN_RE.search(text)
    if bad:
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        what = "NUL" if bad.group(0) == "\x00" else "bidirectional control"
        raise DataError(path, line_of(text, bad.start()), "", f"{what} character U+{ord(bad.group(0)):04X} at "
                        f"column {column} is not allowed (delete it)")
    return text


def excerpt(text, limit=60):
    """A short, escaped piece of a file we own, for an error message: never more than `limit` characters."""
    text = " ".join(str(text).split())
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


try:  # libyaml reads the events about four times faster; the composing below stays in Python either way
    from yaml._yaml import CParser

    class _Base(yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            yaml.composer.Composer.__init__(self)
except ImportError:  # a PyYAML built without libyaml
    _Base = yaml.SafeLoader


class DataLoader(_Base):
    """PyYAML's safe loader, stricter for hand-edited data:
    - anchors and aliases are refused, so no file can expand to more than its own size (an "alias bomb");
    - nesting is capped, so no file can exhaust the parser's recursion;
    - a key given twice in one mapping is an error instead of the last one silently winning;
    - dates stay text (`2026-11-25`), checked by the dataset's own rules, so an impossible date such as
      2026-13-45 gets a message at its line instead of a ValueError from the date constructor."""

    MAX_DEPTH = 50

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed: write the value out",
                                event.start_mark)
        if getattr(event, "anchor", None) is not None:
            raise ComposerError(None, None, f"anchors (&{event.anchor}) are not allowed: write the value out",
                                event.start_mark)
        self._depth += 1
        try:
            if self._depth > self.MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {self.MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<` would copy keys past the duplicate-key rule
                raise ConstructorError(None, None, "merge keys (<<) are not allowed: write the keys out",
                                       key_node.start_mark)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                raise ConstructorError(None, None, f"duplicate key '{key}' (first on line {seen[key]})",
                                       key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, OverflowError) as e:  # e.g. an explicit `!!int abc`
            raise ConstructorError(None, None, f"cannot read this value: {e}", node.start_mark) from None


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
DataLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def yaml_error_line(error):
    """The line to report for a YAML error. A scanner error (unclosed quote, bad indentation in a key...) is
    reported where the scalar or key starts (its context mark): that is where the fix goes. A parser error is
    reported where the parser gave up (its problem mark): the context mark there is only the enclosing
    mapping. A quote that is never closed is therefore named at its opening line only when no later quote in
    the file closes it by accident; otherwise PyYAML can only say where the structure stopped making sense."""
    mark = None
    if isinstance(error, yaml.scanner.ScannerError):
        mark = error.context_mark or error.problem_mark
    else:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark else 1


def load_yaml(path, text=None):
    """(data, node tree) of a YAML file read with DataLoader; (None, None) for an empty file."""
    path = Path(path)
    text = read_text(path) if text is None else text
    loader = DataLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        message = ", ".join(p for p in (e.context, e.problem) if p)
        if e.context == "while scanning a quoted scalar" and "end of stream" in (e.problem or ""):
            message = f"a quoted value starts here and its quote is never closed ({message})"
        raise DataError(path, yaml_error_line(e), "", "malformed YAML: " + message) from None
    except yaml.YAMLError as e:
        raise DataError(path, 1, "", f"malformed YAML: {e}") from None
    finally:
        loader.dispose()
    return data, node


# ------------------------------------------------------------------------------------------- data is text
# Every field read from references/ is text. Where it becomes Markdown (footnotes, bibliography, claim boxes,
# tables) it goes through md_text(); where it becomes a link target, through md_url(); in JSON inside a
# <script>, through script_json(); in a spreadsheet cell, through csv_cell(); in BibTeX, through bibtex_text().
# Only our templates and Markdown pages emit tags.

# Characters that would start HTML (& < > and quotes inside an attribute) or inline Markdown of the extensions
# in mkdocs.yml: escapes (\), code (`), emphasis (* _), links, images, footnotes and citations ([ ]), attribute
# lists ({ }), table cells (|) and our `:marker:` lines and definition lists (:). They become character
# references, which Markdown passes through untouched and HTML shows as the character itself, in text and in
# attribute values alike. `@` too: mkdocs-bibtex reads `@key` inside any brackets of the page as a citation.
_MD_ESCAPES = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|:@"}
_MD_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_MD_ESCAPE_RE = re.compile("[" + re.escape("".join(_MD_ESCAPES)) + "]")
# Block syntax that only counts at the start of a line: headings, lists, quotes, admonitions (!!! ???), tabs
# (===), fences (~~~), horizontal rules and ordered lists (`1.`). Data may be placed at a line start (an
# annote), so its first character is neutralised too.
_LINE_START_RE = re.compile(r"^(?:[#>+\-=!?~]|\d+[.)])")
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
# Unicode's control characters (category Cc) are exactly these two ranges: one regex pass instead of a
# character-by-character category lookup, which was the costliest step of formatting 2,000 references.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")


def md_text(value):
    """Data as Markdown that reads exactly as typed: no tag, link, emphasis, attribute or block is created.
    Runs of white space become one space (as HTML shows them), space around the field and invisible control
    characters are dropped, so a field can never break a line of the generated Markdown nor an emphasis around
    it. Safe in raw HTML and quoted attributes too."""
    text = _SPACE_RE.sub(" ", str(value)).strip()
    text = _CONTROL_RE.sub("", text)
    text = _MD_ESCAPE_RE.sub(lambda m: _MD_ESCAPES[m.group(0)], text)
    start = _LINE_START_RE.match(text)
    if start:
        mark = start.group(0)[-1]
        text = start.group(0)[:-1] + f"&#{ord(mark)};" + text[start.end():]
    return text


_TAG_RE = re.compile(r"(<[^<>]*>)")
_MD_ONLY_RE = re.compile("[" + re.escape("\\`*_[]{}|:@") + "]")


def md_html(fragment):
    """HTML that a trusted formatter made from data (its text already HTML-escaped, e.g. citeproc-py's output)
    as one line of Markdown that reads as typed, by md_text's rules applied to its text, never to its tags: the
    Markdown characters escaped, runs of white space one space, control characters dropped, and block syntax at
    the start neutralised. Data can hold no tag here: its < and > arrive as &lt; and &gt;."""
    parts = []
    for part in _TAG_RE.split(_SPACE_RE.sub(" ", str(fragment)).strip()):
        if not part.startswith("<"):
            part = _CONTROL_RE.sub("", part)
            part = _MD_ONLY_RE.sub(lambda m: _MD_ESCAPES[m.group(0)], part)
        parts.append(part)
    text = "".join(parts)
    start = _LINE_START_RE.match(text)
    if start:
        mark = start.group(0)[-1]
        text = start.group(0)[:-1] + f"&#{ord(mark)};" + text[start.end():]
    return text


def title_text(title):
    """A page's title as text: MkDocs gives page.title as HTML (tags stripped, `&amp;` for &), so escaping it
    again would show `&amp;` to the reader."""
    return Markup(title).striptags() if title else ""


_URL_SAFE = "-._~:/?#@!$&+,;=%"  # RFC 3986 characters that cannot end or escape a Markdown link target


def md_url(url):
    """An http(s) URL from data as a Markdown link target: any other scheme is refused (ValueError), and
    characters that could close the link or start markup ( ( ) [ ] ' * < > " spaces, non-ASCII) are
    percent-encoded."""
    url = str(url).strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url!r}")
    return quote(url, safe=_URL_SAFE)


def script_json(data, **kwargs):
    """JSON for a <script> element: < > & are written as \\u003c \\u003e \\u0026 (they occur only inside
    strings), so no value can close the element or open a comment (`</script>`, `<!--`)."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def json_records(records, key=None):
    """A JSON array of records (under `key` when given), one record a line: as readable and diffable as indented
    JSON, but written by json's C encoder, which `indent=` turns off (0.3 s for 2,000 references)."""
    text = "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]"
    return text if key is None else "{" + json.dumps(key) + ": " + text + "}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A spreadsheet cell from data: text that a spreadsheet would run as a formula (starting with = + - @,
    tab or carriage return) gets a leading apostrophe, which spreadsheets show as plain text."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                   "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
                   "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\u00a0": "~"}
_BIBTEX_RE = re.compile("[" + re.escape("".join(_BIBTEX_ESCAPES)) + "]")


_LIGATURE_RE = re.compile(r"([-`',])(?=\1)|([!?])(?=`)")


def bibtex_text(value):
    """Text as a BibTeX field value: LaTeX's special characters written as commands, so braces stay balanced
    and `%` does not start a comment. Braces become \\textbraceleft{} (BibTeX counts `\\{` as a brace), and
    the ligatures -- `` '' ,, !` ?` are broken with {} so they stay the characters typed."""
    text = _BIBTEX_RE.sub(lambda m: _BIBTEX_ESCAPES[m.group(0)], str(value))
    return _LIGATURE_RE.sub(lambda m: m.group(0) + "{}", text)


def drop_spans(text, opener, closer, replacement):
    """`re.sub(opener + "[^" + closer + "]*" + closer, replacement, text)` for single-character closers, in linear
    time: that pattern scans from every opener to the end when no closer follows (a summary of 100,000 '{')."""
    out, pos = [], 0
    while (start := text.find(opener, pos)) >= 0 and (end := text.find(closer, start + len(opener))) >= 0:
        out += [text[pos:start], replacement]
        pos = end + len(closer)
    out.append(text[pos:])
    return "".join(out)


# ---------------------------------------------------------------------------------------------- code in pages
_FENCE_RE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
# A code span pairs backtick runs of equal length within one block (it cannot cross a blank line).
_CODE_SPAN_RE = re.compile(r"(?<![\\`])(`+)(?!`)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)


def mask_code(markdown):
    """The page's Markdown with the content of fenced code blocks and inline code spans blanked out (same
    length and line breaks), so `[@key]` or `:claim:` shown as code is not read as a citation or a marker."""
    if "`" not in markdown and "~~~" not in markdown:  # no code (most paragraphs): the regex scan costs 20 µs a call
        return markdown
    return _mask_code(markdown)


def _mask_code(markdown):
    out, fence = [], None
    for line in markdown.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
            out.append(line)
        elif fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = None
            out.append(" " * len(line) if fence is not None else line)
        else:
            out.append(line)
    text = "\n".join(out)
    return _CODE_SPAN_RE.sub(lambda m: m.group(1) + re.sub(r"[^\n]", " ", m.group(2)) + m.group(1), text)
