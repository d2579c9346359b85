"""Paths, the error type and small helpers that every dataset module shares."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
REFERENCES_DIR = ROOT / "references"
LEDGER_PATH = REFERENCES_DIR / "claims.yaml"
DOCS_DIR = ROOT / "docs"
ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")




class DataError(Exception):
    """Bad input data: carries file, line and key so the message points at the fix."""

    def __init__(self, path, line, key, message):
        self.path, self.line, self.key = Path(path), line, key
        try:
            shown = self.path.relative_to(ROOT)
        except ValueError:
            shown = self.path
        where = f"{shown}:{line}" if line else f"{shown}"
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")



def relative_link(from_uri, to_uri):
    """Relative Markdown link from one page source to another (both relative to docs/), so MkDocs checks it."""
    return "../" * from_uri.count("/") + to_uri


def page_title(markdown, fallback):
    m = re.search(r"^#\s+(.+?)\s*$", markdown, re.M)
    return m.group(1) if m else fallback
