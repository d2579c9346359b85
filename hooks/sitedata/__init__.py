"""The site's data layer: one module per dataset under references/, loaded and checked once, so the MkDocs
hooks, the tests and the scripts share one reading of the data. Every problem is raised as a DataError naming
the file, the line and the key.

- base: paths, DataError and small shared helpers: reading files and YAML, and the escaping rule for data
- bibliography: references/*.bib
- ledger: references/claims.yaml
- pages: the citations and claim markers of docs/*.md
- search: the search settings in the pages' front matter (boost, aliases)
- article: the audited article's claim list and the fingerprint of its wording (references/article-*)
- editions: the edition tags (git) and what changed since each; citation: helpers for a page's cited address
- studies: references/studies.yaml (human studies, risk of bias) and references/timeline.yaml
- sequences: references/sequences.yaml (the peptides of the alignment figure)
- csl: references as CSL-JSON, formatted by citeproc-py in the CSL styles (footnotes, bibliography, cite this page)
"""

from . import csl
from .base import (
    DOCS_DIR,
    ISO_DATE_RE,
    LEDGER_PATH,
    REFERENCES_DIR,
    ROOT,
    DataError,
    bibtex_text,
    csv_cell,
    json_records,
    load_yaml,
    mask_code,
    md_text,
    md_url,
    page_sources,
    page_title,
    read_text,
    relative_link,
    script_json,
    shown_path,
    title_text,
)
from .bibliography import (
    ENTRY_TYPES,
    LANGUAGES,
    STUDY_TYPES,
    Reference,
    badges,
    check_reference,
    format_reference,
    latex_to_text,
    load_bibliography,
    short_authors,
)
from .ledger import (
    CLAIM_ID_RE,
    CLAIM_MARKER_RE,
    INDEPENDENCE_FLAGS,
    SECTION_OF,
    SECTIONS,
    YES_NO,
    Claim,
    Ledger,
    claim_markers,
    load_ledger,
)
from .pages import SITE, CitationUse, PageInfo, Site, SiteIndex, check_citations, find_citations, scan_docs
from .sequences import Sequence, Sequences, load_sequences
from .studies import (
    DESIGNS,
    DRUGS,
    EVENT_KINDS,
    EXTRA_INDICATIONS,
    JUDGEMENT_LABELS,
    RISK_LEVEL,
    TOOLS,
    Event,
    Study,
    StudyData,
    load_studies,
    load_timeline,
    study_label,
    study_labels,
)

__all__ = [
    "csl", "DOCS_DIR", "ISO_DATE_RE", "LEDGER_PATH", "REFERENCES_DIR", "ROOT", "DataError", "page_title",
    "page_sources", "relative_link",
    "bibtex_text", "csv_cell", "json_records", "load_yaml", "mask_code", "md_text", "md_url", "read_text",
    "script_json",
    "shown_path", "title_text",
    "ENTRY_TYPES", "LANGUAGES", "STUDY_TYPES", "Reference", "badges", "check_reference",
    "format_reference", "latex_to_text", "load_bibliography", "short_authors", "CLAIM_ID_RE", "CLAIM_MARKER_RE",
    "INDEPENDENCE_FLAGS", "SECTION_OF", "SECTIONS", "YES_NO",
    "Claim", "Ledger", "claim_markers", "load_ledger", "SITE", "CitationUse", "PageInfo", "Site", "SiteIndex",
    "check_citations", "find_citations", "scan_docs", "Sequence", "Sequences", "load_sequences", "DESIGNS", "DRUGS",
    "EVENT_KINDS", "EXTRA_INDICATIONS", "JUDGEMENT_LABELS", "RISK_LEVEL", "TOOLS", "Event", "Study", "StudyData",
    "load_studies", "load_timeline", "study_label", "study_labels",
]
