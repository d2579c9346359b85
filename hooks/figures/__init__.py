"""Figures drawn at build time as inline SVG from the site's data (no JavaScript, no external files)."""

from .charts import (
    DESIGN_SHAPES,
    RISK_LETTERS,
    alignment,
    evidence_map,
    landscape,
    n_domain,
    prisma,
    timeline,
    year_domain,
)
from .svg import esc, frame, icon

__all__ = ["DESIGN_SHAPES", "RISK_LETTERS", "alignment", "evidence_map", "landscape", "n_domain", "prisma", "timeline",
           "year_domain", "esc", "frame", "icon"]
