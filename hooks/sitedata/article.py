"""The audited article as data, without its text: the list of its claims in our own paraphrase
(references/article-claims.yaml) and a fingerprint of its wording (references/article-fingerprint.txt: one hash
per run of 12 consecutive words). The fingerprint lets a test prove that no page copies the article while the
article itself stays out of the repository; scripts/article_fingerprint.py writes it where the article is at hand.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .base import REFERENCES_DIR, DataError, load_yaml, read_text

ARTICLE_CLAIMS_PATH = REFERENCES_DIR / "article-claims.yaml"
FINGERPRINT_PATH = REFERENCES_DIR / "article-fingerprint.txt"
RUN_WORDS = 12  # a run this long is never a coincidence of common phrases, and short enough to catch a lifted clause
HASH_CHARS = 16  # 64 bits of sha256: collisions between a few thousand article runs and the site's runs are negligible
WORD_RE = re.compile(r"[a-z0-9]+")
NORMALISATION = ("lower-cased; a word is a run of the characters a-z and 0-9 (anything else separates words); "
                 "each run of consecutive words joined by single spaces")


def words_with_lines(text):
    """The normalised words of a text, each with the line it starts on."""
    lowered = text.lower()  # lower() keeps every newline, so line numbers survive it
    out, line, pos = [], 1, 0
    for m in WORD_RE.finditer(lowered):
        line += lowered.count("\n", pos, m.start())
        pos = m.start()
        out.append((m.group(), line))
    return out


def run_hash(words):
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:HASH_CHARS]


def runs(text, n=RUN_WORDS):
    """(line, words, hash) of every run of n consecutive normalised words."""
    found = words_with_lines(text)
    for i in range(len(found) - n + 1):
        run = [w for w, _ in found[i:i + n]]
        yield found[i][1], run, run_hash(run)


def fingerprint(text):
    return sorted({h for _, _, h in runs(text)})


def fingerprint_text(text):
    header = [
        "# Fingerprint of the audited article's wording, for the no-copy test (tests/test_data.py).",
        "# Written by scripts/article_fingerprint.py from the article's text file; do not edit by hand.",
        f"# Normalisation: {NORMALISATION}.",
        f"# Each line: the first {HASH_CHARS} hex digits of the sha256 of one run (UTF-8), sorted, no repeats.",
        f"# words: {RUN_WORDS}",
        f"# hash: sha256/{HASH_CHARS}",
    ]
    return "\n".join(header + fingerprint(text)) + "\n"


def load_fingerprint(path=FINGERPRINT_PATH):
    """The set of run hashes; a fingerprint written with other settings than this module's is rejected."""
    path = Path(path)
    hashes, settings = set(), {}
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("words", "hash"):
                settings[key.strip()] = value.strip()
        elif re.fullmatch(f"[0-9a-f]{{{HASH_CHARS}}}", line):
            hashes.add(line)
        elif line.strip():
            raise DataError(path, n, "", f"not a {HASH_CHARS}-digit hex hash: {line[:40]!r}")
    expected = {"words": str(RUN_WORDS), "hash": f"sha256/{HASH_CHARS}"}
    if settings != expected:
        raise DataError(path, None, "", f"written with {settings}, expected {expected}: regenerate it with "
                                        "scripts/article_fingerprint.py")
    if not hashes:
        raise DataError(path, None, "", "no hashes: regenerate it with scripts/article_fingerprint.py")
    return hashes


def copied_runs(path, hashes, shown=None):
    """`file:line: ...` for every run of a text file that is also a run of the article, merged per line."""
    problems, seen_lines = [], set()
    for line, run, h in runs(read_text(path)):
        if h in hashes and line not in seen_lines:
            seen_lines.add(line)
            problems.append(f"{shown or path}:{line}: copies {RUN_WORDS} words of the audited article: "
                            f"{' '.join(run)!r}")
    return problems


def load_article_claims(path=ARTICLE_CLAIMS_PATH):
    """The article's claims: [{id, section, claim}], each id once."""
    path = Path(path)
    data, root = load_yaml(path)
    claims = (data or {}).get("claims") if isinstance(data, dict) else None
    if not isinstance(claims, list):
        raise DataError(path, None, "claims", "missing list of claims")
    nodes = next(v for k, v in root.value if k.value == "claims").value
    seen = set()
    for item, node in zip(claims, nodes, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not {"id", "section", "claim"} <= set(item):
            raise DataError(path, line, "", "each claim needs id, section and claim")
        if item["id"] in seen:
            raise DataError(path, line, item["id"], "claim id listed twice")
        seen.add(item["id"])
    return claims
