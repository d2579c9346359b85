"""Verification records of cited statements: what is checked, what is missing, and stubs to fill in.

    python scripts/checks.py status [PAGE ...]   coverage per page (all pages when none is named)
    python scripts/checks.py todo PAGE           the page's unchecked statements, with line, keys and text
    python scripts/checks.py stub PAGE           YAML stubs for them, to append to references/checks/PAGE.yaml
    python scripts/checks.py retire              move every superseded record (its statement is no longer on its
                                                 page) from references/checks/ to references/checks-history/

PAGE is a path under docs/, e.g. mechanisms/bdnf-trkb.md. A stub is not a record: fill in what the source says
(in our words), where in it, the stored page read, the verdict and the date, or fix the statement first.
"""

import re
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import sitedata  # noqa: E402
from sitedata import checks  # noqa: E402


def _load():
    refs = sitedata.load_bibliography()
    return checks.page_statements(ledger=sitedata.load_ledger(refs)), checks.load_checks(refs)


def status(pages):
    stmts, records = _load()
    cov = checks.coverage(stmts, records)
    total = done = 0
    for page, c in cov.items():
        if pages and page not in pages or not c.statements:
            continue
        total += len(c.statements)
        done += len(c.current)
        print(f"{len(c.current):4d}/{len(c.statements):<4d} {page}  (last checked {c.last_checked or '-'})")
    print(f"{done}/{total} cited statements have a current record ({100 * done / max(total, 1):.0f}%)")


def todo(page, as_stub):
    stmts, records = _load()
    missing = checks.coverage({page: stmts[page]}, records)[page].missing
    for s in missing:
        if as_stub:
            print(f"- statement: {s.fingerprint}  # {s.where}")
            print(f"  text: {_quote(checks.normalise(s.text)[:100])}")
            print("  verdict: supported  # or partly / not-supported, with correction: what was changed")
            print("  checked: YYYY-MM-DD")
            print("  sources:")
            for k in s.keys:
                print(f"    {k}: {{says: ..., where: abstract, seen: https://...}}")
        else:
            print(f"{s.where}: {s.fingerprint} [{', '.join(s.keys)}] {' '.join(s.text.split())}")


def retire():
    """Move superseded records out of the live files, as text: each record's lines are moved unchanged (no
    re-dump of the YAML, so other branches editing the live records merge cleanly)."""
    stmts, records = _load()
    moved = 0
    for page, recs in sorted(records.items()):
        on_page = {s.fingerprint for s in stmts.get(page, [])}
        stale = {fp for fp in recs if fp not in on_page}
        if not stale:
            continue
        live_path = checks.checks_path(page)
        keep, gone = [], []
        for block in _blocks(live_path.read_text("utf-8")):
            m = re.match(r"- statement: ['\"]?([0-9a-f]{10})", block)
            (gone if m and m.group(1) in stale else keep).append(block)
        hist_path = checks.checks_path(page, checks.HISTORY_DIR)
        hist_path.parent.mkdir(parents=True, exist_ok=True)
        before = hist_path.read_text("utf-8") if hist_path.is_file() else ""
        hist_path.write_text(before + "".join(gone), "utf-8")
        live_path.write_text("".join(keep), "utf-8")
        moved += len(gone)
        print(f"{len(gone):4d} moved from {page}")
    print(f"{moved} superseded records moved to {checks.HISTORY_DIR.relative_to(checks.REFERENCES_DIR.parent)}/")


def _blocks(text):
    """The file's text cut before every top-level '- statement:' line (a leading comment stays with the first)."""
    starts = [m.start() for m in re.finditer(r"^- statement:", text, re.M)]
    if not starts:
        return [text] if text else []
    cuts = [0, *starts[1:], len(text)]
    return [text[a:b] for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    one_page = {"todo", "stub"}
    if not argv or argv[0] not in {"status", "retire", *one_page} or argv[0] in one_page and len(argv) != 2:
        sys.exit(__doc__)
    try:
        if argv[0] == "retire":
            retire()
        elif argv[0] == "status":
            status(set(argv[1:]))
        else:
            todo(argv[1], argv[0] == "stub")
    except sitedata.DataError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main(sys.argv[1:])
