"""Peptide sequences drawn in the alignment figure (references/sequences.yaml), each residue tagged with its
origin and each sequence with the sources that state it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .base import REFERENCES_DIR, DataError
from .schemas import SEQUENCES, check, record_of
from .studies import STUDY_ID_RE, _compose, _lines

SEQUENCES_PATH = REFERENCES_DIR / "sequences.yaml"
# Three-letter residues and the two end groups the variants carry.
RESIDUES = {"Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu", "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe", "Pro",
            "Ser", "Thr", "Trp", "Tyr", "Val", "Ac", "NH2"}
CAPS = {"Ac": "start", "NH2": "end"}


@dataclass
class Sequence:
    id: str
    name: str
    note: str
    segments: list  # [(origin, [residues])]
    sources: list
    line: int

    @property
    def residues(self):
        """[(residue, origin)] in order, end groups included."""
        return [(r, origin) for origin, residues in self.segments for r in residues]

    @property
    def text(self):
        return "-".join(r for r, _ in self.residues)


@dataclass
class Sequences:
    origins: dict  # slug -> {"label", "short" (optional, for narrow places), "sources"}
    sequences: list
    path: Path = SEQUENCES_PATH


def load_sequences(refs, path=SEQUENCES_PATH):
    """The sequences and their origins, checked. A missing file draws no alignment."""
    path = Path(path)
    if not path.is_file():
        return Sequences({}, [], path)
    data, node = _compose(path)
    check(SEQUENCES, data, node, path, record_of(data, "sequences", "sequence"))
    lines = _lines(node)

    def fail(where, key, msg):
        parts = where.split(".")
        while parts and ".".join(parts) not in lines:
            parts.pop()
        raise DataError(path, lines.get(".".join(parts), 1), key, msg)

    if not isinstance(data, dict) or set(data) != {"origins", "sequences"}:
        fail("", "", "needs exactly two top-level sections: origins and sequences")

    def check_sources(where, key, sources):
        if not isinstance(sources, list) or not sources:
            fail(where, key, "sources must list at least one bib key")
        for i, source in enumerate(sources):
            if source not in refs:
                fail(f"{where}.{i}", key, f"bib key '{source}' is not in references/*.bib")

    origins = data["origins"] or {}
    for slug, origin in origins.items():
        if not isinstance(origin, dict) or not {"label", "sources"} <= set(origin) <= {"label", "short", "sources"}:
            fail(f"origins.{slug}", slug, "each origin needs a label and sources (and may have a short label)")
        check_sources(f"origins.{slug}.sources", slug, origin["sources"])
    out, seen = [], set()
    for i, item in enumerate(data["sequences"] or []):
        where = f"sequences.{i}"
        sid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item, dict) or set(item) != {"id", "name", "note", "segments", "sources"}:
            fail(where, sid or "sequence", "each sequence needs exactly: id, name, note, segments, sources")
        if not isinstance(sid, str) or not STUDY_ID_RE.match(sid) or sid in seen:
            fail(f"{where}.id", str(sid), "id must be a unique lowercase slug")
        seen.add(sid)
        check_sources(f"{where}.sources", sid, item["sources"])
        segments = []
        for j, segment in enumerate(item["segments"] or []):
            at = f"{where}.segments.{j}"
            if not isinstance(segment, dict) or set(segment) != {"origin", "residues"}:
                fail(at, sid, "each segment needs exactly an origin and residues")
            if segment["origin"] not in origins:
                fail(f"{at}.origin", sid, f"origin '{segment['origin']}' is not one of: {', '.join(origins)}")
            residues = segment["residues"]
            bad = [r for r in residues or [] if r not in RESIDUES]
            if not residues or bad:
                fail(f"{at}.residues", sid, f"unknown residue(s) {bad}: use three-letter codes, Ac or NH2")
            segments.append((segment["origin"], list(residues)))
        flat = [r for _, rs in segments for r in rs]
        if any(r == "Ac" for r in flat[1:]) or any(r == "NH2" for r in flat[:-1]):
            fail(f"{where}.segments", sid, "Ac can only start a sequence and NH2 only end it")
        out.append(Sequence(sid, str(item["name"]), str(item["note"]), segments, list(item["sources"]),
                            lines.get(where, 1)))
    return Sequences(origins, out, path)
