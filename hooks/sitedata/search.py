"""Search tuning, read from each page's front matter `search:` mapping.

Material reads `boost` (rank a page up or down) and `exclude`. We add keys that only the site's own search
index sees (never the page, never a web crawler):

    search:
      boost: 1.2
      aliases: [Семакс, ACTH(4-7)-PGP]      # other names readers type for what the page is about
      misspellings: [semaxx]               # matched too, but weighted like body text
      sections:
        pregnancy: [беременность]          # aliases of one section, by its heading anchor

Material searches by prefix ("инсульт" finds "инсультами", but "инсульта" does not find "инсульт") and cannot
stem a prefix search, so a Russian alias is indexed in all its word forms, taken from the pymorphy3
dictionary: write it in its dictionary form. What may go in an alias is set out in CONTRIBUTING.md ("Search");
the limits below keep aliases from turning into keyword lists.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .base import DOCS_DIR, DataError, page_sources, read_text
from .frontmatter import read_front_matter

FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)  # as mkdocs.utils.meta
KEYS = {"boost", "exclude", "aliases", "misspellings", "sections"}
ANCHOR_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*\Z")
MAX_ALIASES = 12  # per page or section
MAX_ALIAS_CHARS = 40
CYRILLIC = "А-Яа-яЁё"


@dataclass
class SearchTuning:
    """One page's search settings. `sections` maps a heading anchor to (aliases, line of the anchor)."""

    src_uri: str
    path: Path
    aliases: list = field(default_factory=list)
    misspellings: list = field(default_factory=list)
    sections: dict = field(default_factory=dict)
    boost: float | None = None


def _mapping(node):
    """{key: (key node, value node)} of a YAML mapping node."""
    return {k.value: (k, v) for k, v in node.value} if isinstance(node, yaml.MappingNode) else None


def _aliases(node, path, line_of, key):
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise DataError(path, line_of(node), key, "must be a non-empty list of words or short phrases")
    if len(node.value) > MAX_ALIASES:
        raise DataError(path, line_of(node), key, f"{len(node.value)} aliases; at most {MAX_ALIASES}")
    out = []
    for item in node.value:
        # Only plain strings: `yes`, `2024` or a nested list are YAML booleans, numbers, lists (quote them).
        if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str" or not item.value.strip():
            raise DataError(path, line_of(item), key, "each alias must be a word or short phrase (quote it)")
        text = " ".join(item.value.split())
        if len(text) > MAX_ALIAS_CHARS:
            raise DataError(path, line_of(item), key, f"alias {text!r} is longer than {MAX_ALIAS_CHARS} characters")
        if text.casefold() in (a.casefold() for a in out):
            raise DataError(path, line_of(item), key, f"alias {text!r} is listed twice")
        out.append(text)
    return out


def read_search_tuning(path, src_uri):
    """The page's search settings, or None when it has no `search:` mapping."""
    path = Path(path)
    text = read_text(path)
    m = FRONT_MATTER_RE.match(text)
    if not m:
        return None
    read_front_matter(path, text)  # malformed, too deep or of the wrong shape: file:line before anything else
    root = yaml.compose(m.group(1))

    def line_of(node):
        return node.start_mark.line + 2  # +1 for 1-based lines, +1 for the opening ---

    top = _mapping(root) or {}
    if "search" not in top:
        return None
    key_node, node = top["search"]
    settings = _mapping(node)
    if settings is None:
        raise DataError(path, line_of(key_node), "search", f"must be a mapping of {', '.join(sorted(KEYS))}")
    tuning = SearchTuning(src_uri, path)
    for name, (k, _) in settings.items():
        if name not in KEYS:
            raise DataError(path, line_of(k), f"search.{name}", f"unknown key; expected one of {sorted(KEYS)}")
    if "boost" in settings:
        k, v = settings["boost"]
        try:
            tuning.boost = float(v.value)
        except (TypeError, ValueError):
            tuning.boost = -1
        if not 0 < tuning.boost <= 10:
            raise DataError(path, line_of(v), "search.boost", f"{v.value!r} is not a number above 0 and up to 10")
    for name in ("aliases", "misspellings"):
        if name in settings:
            setattr(tuning, name, _aliases(settings[name][1], path, line_of, f"search.{name}"))
    if "sections" in settings:
        k, v = settings["sections"]
        sections = _mapping(v)
        if not sections:
            raise DataError(path, line_of(k), "search.sections", "must map heading anchors to lists of aliases")
        for anchor, (ak, av) in sections.items():
            if not ANCHOR_RE.match(str(anchor)):
                raise DataError(path, line_of(ak), f"search.sections.{anchor}", "not a heading anchor")
            tuning.sections[anchor] = (_aliases(av, path, line_of, f"search.sections.{anchor}"), line_of(ak))
    return tuning


def load_search_tuning(docs_dir=DOCS_DIR):
    """{src_uri: SearchTuning} for every page of docs/ that has a `search:` mapping."""
    docs_dir = Path(docs_dir)
    found = {}
    for path in page_sources(docs_dir):
        src_uri = path.relative_to(docs_dir).as_posix()
        tuning = read_search_tuning(path, src_uri)
        if tuning:
            found[src_uri] = tuning
    return found


CYRILLIC_WORD_RE = re.compile(rf"[{CYRILLIC}]+(?:-[{CYRILLIC}]+)*")
_MORPH = []


def _morph():
    if not _MORPH:
        import pymorphy3  # loaded on first use: only pages with Russian aliases need it

        _MORPH.append(pymorphy3.MorphAnalyzer(lang="ru"))
    return _MORPH[0]


def word_forms(word):
    """Every form of a Russian noun or adjective (a name or any other word: only that word), ё also as е."""
    parses = _morph().parse(word)
    # The alias is written in its dictionary form: prefer the reading whose lemma it is (surnames first), so
    # "Мясоедов" is the surname, not the genitive plural of "мясоед".
    lemma = [p for p in parses if p.normal_form == word.lower().replace("ё", "е")]
    parse = next((p for p in lemma if "Surn" in p.tag), (lemma or parses)[0])
    forms = {word.lower()}
    if parse.tag.POS in ("NOUN", "ADJF"):
        forms |= {f.word for f in parse.lexeme if f.tag.POS == parse.tag.POS}
    return forms | {f.replace("ё", "е") for f in forms}


def search_words(aliases):
    """The words to index for some aliases: Russian words in all their forms, dropping any form that is the
    start of another (a prefix search for it finds the longer one)."""
    words = []
    for alias in aliases:
        for token in CYRILLIC_WORD_RE.findall(alias):
            words += sorted(word_forms(token))
    kept = [w for w in words if not any(o != w and o.startswith(w) for o in words)]
    return list(dict.fromkeys(kept))


def alias_text(aliases):
    """Aliases as one field of the search index (escaped as Material escapes what it indexes), with the other
    forms of their Russian words."""
    others = [a for a in aliases if not CYRILLIC_WORD_RE.fullmatch(a.replace(" ", ""))]  # Russian ones: as forms
    return html.escape(", ".join([*others, *search_words(aliases)]), quote=False)


# Material's search splits words with one regular expression, `separator`, on the pages (as the browser builds
# the index) and on what the reader types, so whatever it cuts away is cut on both sides. Ours is Material's
# documented separator (spaces, hyphens, brackets, commas, slashes..., and "." outside numbers) plus stop words
# cut as whole words. lunr leaves stop words out of the index anyway, but Material turns every typed word into a
# prefix search, so "is semax safe" also looked for is*: "ischemia", "ischemic"... English words are fenced
# with \b; JavaScript's \b only knows ASCII letters, so Russian ones are fenced with lookarounds. No capturing
# groups: Material's in-page highlighter embeds the separator in a pattern whose groups it reads by position.
PUNCTUATION = r'[\s\-,:;!=\[\]()"/]+|\.(?!\d)'
STOP_WORDS = (  # lunr's English stop-word list (lunr.stopWordFilter), all of it
    "a able about across after all almost also am among an and any are as at be because been but by can cannot "
    "could dear did do does either else ever every for from get got had has have he her hers him his how however "
    "i if in into is it its just least let like likely may me might most must my neither no nor not of off "
    "often on only or other our own rather said say says she should since so some than that the their them then "
    "there these they this tis to too twas us wants was we were what when where which while who whom why will "
    "with would yet you your"
).split()
RUSSIAN_STOP_WORDS = (  # common words of a question, all on lunr-languages' Russian stop-word list
    "без бы в во где для до его ее есть её же за и из или их к как какая какой когда ли мне можно мы на не ни "
    "но о об он она они от по после при с сколько со так у чем что это я"
).split()


def _either_case(word):
    """`[Ww]hat`: a query may start with a capital, and Material splits words before lower-casing them."""
    return f"[{word[0].upper()}{word[0]}]{word[1:]}"


def search_separator():
    """The `separator` of Material's search plugin; hooks/search_index.py sets it."""
    def alternatives(words):  # longest first, so "its" is not read as "it" + "s"
        return "|".join(_either_case(w) for w in sorted(words, key=lambda w: (-len(w), w)))

    return (rf"{PUNCTUATION}|\b(?:{alternatives(STOP_WORDS)})\b"
            rf"|(?<![{CYRILLIC}])(?:{alternatives(RUSSIAN_STOP_WORDS)})(?![{CYRILLIC}])")
