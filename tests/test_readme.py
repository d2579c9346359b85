"""The README's checkable statements stay true: every path in its layout table exists, every `make` target it
names is in the Makefile, every `/data/` file it names is built, its test count is the suite's order of
magnitude, and no run of ten words stands twice (a merge once left two copies of a paragraph)."""

import fnmatch
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(title):
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert m, f"README has no section '## {title}'"
    return m.group(1)


def layout_paths(readme=README):
    """Paths in the first column of the layout table; `a`, `b` cells name several, `*.bib` a glob."""
    table = re.search(r"^## How the repository is organised\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    paths = []
    for row in (table.group(1) if table else "").splitlines():
        if row.startswith("|") and not row.startswith("|---") and not row.startswith("| path"):
            paths += re.findall(r"`([^`]+)`", row.split("|")[1])
    return paths


def make_targets(readme=README):
    return set(re.findall(r"`make ([a-z][\w-]*)", readme))


def data_files(readme=README):
    return set(re.findall(r"`/data/([^`\s]+)`", readme))


def test_every_path_in_the_layout_table_exists():
    paths = layout_paths()
    assert len(paths) >= 10, f"the layout table was not found or lost rows: {paths}"
    missing = []
    for p in paths:
        p = re.sub(r"<[^>]+>", "*", p)  # `references/checks/<page>.yaml` is a pattern
        if not (list(ROOT.glob(p.rstrip("/"))) if "*" in p else (ROOT / p).exists()):
            missing.append(p)
    assert missing == [], f"README layout table names paths that do not exist: {missing}"


def test_every_make_target_named_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    named = make_targets()
    assert {"serve", "test"} <= named, "README must name its two commands, make serve and make test"
    assert named - defined == set(), f"README names make targets the Makefile lacks: {sorted(named - defined)}"


def test_every_data_file_named_is_built_and_every_built_one_named(built_site):
    named = data_files()
    assert named, "README names no /data/ file"
    data = built_site / "data"
    built = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    # `checks/<page>.json` stands for one file per page: <page> may hold folders.
    patterns = {name: re.sub(r"<[^>]+>", "*", name) for name in named}
    missing = sorted(name for name, pattern in patterns.items() if not fnmatch.filter(built, pattern))
    assert missing == [], f"README names /data/ files the build does not write: {missing}"
    unnamed = sorted(f for f in built if not any(fnmatch.fnmatch(f, pattern) for pattern in patterns.values()))
    assert unnamed == [], f"the build publishes /data/ files the README does not name: {unnamed}"


def test_test_count_is_the_suites_order_of_magnitude():
    m = re.search(r"about (\d[\d,]*) tests", README)
    assert m, "README no longer says how many tests there are ('about N tests')"
    said = int(m.group(1).replace(",", ""))
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300).stdout
    collected = int(re.search(r"(\d+) tests? collected", out).group(1))
    assert 0.8 * collected <= said <= 1.2 * collected, f"README says about {said} tests; the suite has {collected}"


def repeated_runs(readme=README, n=10):
    """Runs of n words (ignoring case and punctuation, outside code blocks) that stand twice in the README."""
    words = re.findall(r"\w+", re.sub(r"```.*?```", "", readme, flags=re.S).lower())
    seen, twice = set(), []
    for i in range(len(words) - n + 1):
        run = " ".join(words[i:i + n])
        if run in seen:
            twice.append(run)
        seen.add(run)
    return twice


def test_no_passage_is_there_twice():
    twice = repeated_runs()
    assert twice == [], f"README says the same thing twice, e.g. {twice[:3]}"


@pytest.mark.parametrize("fault, check", [
    ("| `no/such/path.txt` | planted |", lambda r: [p for p in layout_paths(r) if not (ROOT / p).exists()]),
    ("run `make no-such-target`", lambda r: make_targets(r) - make_targets()),
    ("\n\nThe build is offline: no web fonts, CDNs or analytics.\n", repeated_runs),
])
def test_the_readme_checks_catch_a_planted_fault(fault, check):
    planted = README.replace("| `docs/` |", fault + "\n| `docs/` |", 1) if fault.startswith("|") else README + fault
    assert check(planted), "a planted fault in the README went unnoticed"
