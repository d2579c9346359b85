"""Editions: frozen copies of the whole site, one per release tag (`YYYY.MM` or `YYYY.MM.N`), published under
/editions/<tag>/ beside the living site. The data is git's: the tags, their dates and messages; what changed is
also read from the changelog page's dated headings (`## YYYY-MM-DD: title`)."""

from __future__ import annotations

import datetime
import html
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markdown.extensions.toc import slugify
from pybtex.database import parse_string

from .base import DOCS_DIR, LEDGER_PATH, REFERENCES_DIR, ROOT, DataError, read_text

EDITION_TAG_RE = re.compile(r"^[0-9]{4}\.(0[1-9]|1[0-2])(\.[0-9]+)?\Z")
EDITION_ENV = "SEMAX_EDITION"  # set by scripts/build_editions.py when it builds a tag as an edition
CHANGELOG = "evidence/changelog.md"
CHANGELOG_HEADING_RE = re.compile(r"^## (\d{4}-\d{2}-\d{2}):\s*(.+?)\s*$", re.M)
EDITIONS_PAGE = "editions.md"
EDITIONS_DIR = "editions/"  # where editions live, relative to the living site's root


@dataclass
class Edition:
    tag: str
    date: str  # ISO date (UTC) of the tag: the tagger's date, or the commit's for a lightweight tag
    timestamp: int
    message: str = ""  # an annotated tag's message; empty for a lightweight tag
    changes: list = field(default_factory=list)  # [(date, title, anchor)] from the changelog

    @property
    def path(self):
        """Root of the edition relative to the living site's root."""
        return f"{EDITIONS_DIR}{self.tag}/"


def version_key(tag):
    return tuple(int(part) for part in tag.split("."))


def _git(root, *args):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def list_editions(root=ROOT):
    """Every edition tag of the repository at root, oldest first; none outside a git checkout."""
    try:
        out = _git(root, "for-each-ref", "refs/tags",
                   "--format=%(refname:short)%09%(objecttype)%09%(creatordate:unix)")
    except (OSError, subprocess.CalledProcessError):
        return []
    editions = []
    for line in out.splitlines():
        tag, kind, stamp = line.split("\t")
        if not EDITION_TAG_RE.match(tag):
            continue
        date = datetime.datetime.fromtimestamp(int(stamp), datetime.UTC).date().isoformat()
        message = _git(root, "tag", "-l", "--format=%(contents)", tag).strip() if kind == "tag" else ""
        # An annotated tag's contents end with its signature, if signed: keep only the message.
        message = message.split("-----BEGIN PGP SIGNATURE-----")[0].strip()
        editions.append(Edition(tag, date, int(stamp), message))
    return sorted(editions, key=lambda e: version_key(e.tag))


def changelog_entries(text):
    """The changelog's dated sections: [(date, title, anchor)], the anchor as MkDocs' toc makes it."""
    return [(m.group(1), m.group(2), slugify(f"{m.group(1)}: {m.group(2)}", "-"))
            for m in CHANGELOG_HEADING_RE.finditer(text)]


def attach_changes(editions, entries):
    """Give each edition the changelog sections dated after the previous edition and on or before its own date."""
    previous = ""
    for edition in editions:
        edition.changes = [e for e in entries if previous < e[0] <= edition.date]
        previous = edition.date
    return editions


def load_editions(root=ROOT, docs_dir=DOCS_DIR):
    editions = list_editions(root)
    changelog = Path(docs_dir) / CHANGELOG
    if changelog.is_file():
        attach_changes(editions, changelog_entries(read_text(changelog)))
    return editions


def current_edition(editions, environ=os.environ):
    """The edition being built (scripts/build_editions.py sets SEMAX_EDITION), or None for the living site."""
    tag = environ.get(EDITION_ENV)
    if not tag:
        return None
    for edition in editions:
        if edition.tag == tag:
            return edition
    raise DataError(ROOT, None, EDITION_ENV, f"{tag!r} is not an edition tag (YYYY.MM or YYYY.MM.N) of this checkout")


def relative_href(from_path, to_path):
    """Relative link between two site paths (directory URLs relative to the living root, '' for the root)."""
    return "../" * from_path.count("/") + to_path


def bib_signature(entry):
    """What a BibTeX entry says, independent of its layout in the file."""
    fields = tuple(sorted((k.lower(), v) for k, v in entry.fields.items()))
    persons = tuple(sorted((role, tuple(str(p) for p in people)) for role, people in entry.persons.items()))
    return entry.type.lower(), fields, persons


# Markers whose generated content shows a whole dataset (hooks/render/bibliography.py, hooks/render/claims.py).
WHOLE_BIBLIOGRAPHY_RE = re.compile(r"^:bibliography:\s*$", re.M)
WHOLE_LEDGER_RE = re.compile(r"^:(claims-table|grades-table|verdicts-table|grade-history|grade-key):\s*$", re.M)


class EditionDiff:
    """Whether a page of the working tree still reads as it did in a tagged edition. A page counts as changed
    when its source differs, or an entry it cites, or a claim it shows, or (for pages that list a whole dataset)
    any entry or claim. Changes to the hooks and templates (how things are formatted) do not count."""

    def __init__(self, tag, refs, root=ROOT, docs_dir=DOCS_DIR, references_dir=REFERENCES_DIR,
                 ledger_path=LEDGER_PATH):
        self.tag, self.root, self.docs_dir = tag, Path(root), Path(docs_dir)
        docs = self.docs_dir.relative_to(self.root).as_posix() + "/"
        listing = _git(self.root, "ls-tree", "-r", "--name-only", tag, "--", docs).splitlines()
        self.pages = {line[len(docs):] for line in listing if line.endswith(".md")}
        self.changed_sources = {line[len(docs):] for line in _git(self.root, "diff", "--name-only", tag, "--", docs)
                                .splitlines()}
        self.bib_then = self._tagged_bib(Path(references_dir).relative_to(self.root).as_posix() + "/")
        self.bib_now = {key: bib_signature(ref.entry) for key, ref in refs.items() if ref.entry is not None}
        self.claims_then = self._claims(self._show(Path(ledger_path).relative_to(self.root).as_posix()))
        self.claims_now = self._claims(read_text(ledger_path))

    def _show(self, path):
        try:
            return _git(self.root, "show", f"{self.tag}:{path}")
        except subprocess.CalledProcessError:
            return ""

    def _tagged_bib(self, refs_dir):
        out = {}
        for path in _git(self.root, "ls-tree", "-r", "--name-only", self.tag, "--", refs_dir).splitlines():
            if path.endswith(".bib"):
                try:
                    entries = parse_string(self._show(path), "bibtex").entries
                except Exception:  # noqa: BLE001  (an unreadable old file: its entries count as changed)
                    continue
                out.update({key: bib_signature(entry) for key, entry in entries.items()})
        return out

    @staticmethod
    def _claims(text):
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError:
            return {}
        claims = {c.get("id"): c for c in data.get("claims") or [] if isinstance(c, dict)}
        return {"claims": claims, "scales": (data.get("grades"), data.get("verdicts"))}

    def why_changed(self, src, keys, claim_ids):
        """None if the page reads as in the edition; else a short reason."""
        if src not in self.pages:
            return "not in this edition"
        if src in self.changed_sources:
            return "its text changed"
        text = read_text(self.docs_dir / src)
        if WHOLE_BIBLIOGRAPHY_RE.search(text) and self.bib_then != self.bib_now:
            return "the bibliography changed"
        if WHOLE_LEDGER_RE.search(text) and self.claims_then != self.claims_now:
            return "the claims ledger changed"
        if any(self.bib_then.get(k) != self.bib_now.get(k) for k in keys):
            return "a source it cites was corrected or changed"
        if any(self.claims_then["claims"].get(c) != self.claims_now["claims"].get(c) for c in claim_ids):
            return "a claim it shows was re-audited"
        return None


def banner_html(tag, date, living_href, editions_href):
    """The archived-edition banner at the top of every page of an edition. scripts/build_editions.py injects the
    same into editions built from tags older than this code."""
    e = html.escape
    return (f'<div class="admonition warning edition-banner" role="note"><p class="admonition-title">Archived '
            f"edition {e(tag)} of {e(date)}</p><p>This is a frozen copy of the page as published in edition "
            f'{e(tag)} of Semax Evidence; it will not change. <a href="{e(living_href)}">Read the latest version '
            f'of this page</a> · <a href="{e(editions_href)}">All editions</a></p></div>')
