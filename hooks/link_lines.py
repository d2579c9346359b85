"""Adds `docs/page.md:line: target:` to MkDocs' broken-link and broken-anchor warnings, so a reader of the build
log goes straight to the line. MkDocs itself names only the page and the target."""

import logging
import re

from sitedata import DOCS_DIR

LINK_WARNING = re.compile(
    r"Doc file '([^']+)' contains (?:a link|an absolute link|an unrecognized relative link) '([^']+)'"
)


def source_line(page, target):
    """First line of the page's source that contains the link target, or 0 if it was generated."""
    path = DOCS_DIR / page
    if not path.is_file():
        return 0
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if target in text:
            return number
    return 0


class AddSourceLine(logging.Filter):
    def filter(self, record):
        match = LINK_WARNING.search(record.getMessage())
        if match and not getattr(record, "semax_located", False):
            page, target = match.groups()
            record.msg = f"docs/{page}:{source_line(page, target)}: {target}: {record.getMessage()}"
            record.args = ()
            record.semax_located = True
        return True


def on_startup(command, dirty):
    logger = logging.getLogger("mkdocs.structure.pages")
    if not any(isinstance(f, AddSourceLine) for f in logger.filters):
        logger.addFilter(AddSourceLine())
