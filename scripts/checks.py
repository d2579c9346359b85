"""Verification records of cited statements: what is checked, what is missing, and stubs to fill in.

    python scripts/checks.py status [PAGE ...]   coverage per page (all pages when none is named)
    python scripts/checks.py todo PAGE           the page's unchecked statements, with line, keys and text
    python scripts/checks.py stub PAGE           YAML stubs for them, to append to references/checks/PAGE.yaml

PAGE is a path under docs/, e.g. mechanisms/bdnf-trkb.md. A stub is not a record: fill in what the source says
(in our words), where in it, the stored page read, the verdict and the date, or fix the statement first.
"""

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


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv):
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends the listing quietly
    if not argv or argv[0] not in {"status", "todo", "stub"} or argv[0] != "status" and len(argv) != 2:
        sys.exit(__doc__)
    try:
        if argv[0] == "status":
            status(set(argv[1:]))
        else:
            todo(argv[1], argv[0] == "stub")
    except sitedata.DataError as e:
        sys.exit(str(e))


if __name__ == "__main__":
    main(sys.argv[1:])
