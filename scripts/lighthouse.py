#!/usr/bin/env python3
"""Lighthouse on every page type, mobile and desktop (`make lighthouse`; not part of CI).

Builds the site strictly (or takes --site), serves it from a local static server that gzips text as any real
static host does, runs Lighthouse (pinned in scripts/lighthouse/package.json, installed there by `make
lighthouse`; Debian's chromium, never a downloaded browser) three times per page and form factor, and prints
the median of each figure:

    page type | form | performance | accessibility | SEO | LCP | TBT | DOM nodes | transfer (gzip)

with the machine's load (`uptime`) above the table: Lighthouse's simulated throttling scales with how busy the
CPU is, so a table measured under load reads low, and tables are only comparable at similar load. Audits that
fail in accessibility or SEO are listed under the table by id, so a score below 100 says why.

    .venv/bin/python scripts/lighthouse.py                       # everything: 6 pages x 2 forms x 3 runs
    .venv/bin/python scripts/lighthouse.py --page home --form mobile --runs 1   # one page while iterating
    .venv/bin/python scripts/lighthouse.py --site site --out lighthouse.md     # an existing build; save table
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "scripts" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"

# One page of each type the site has (issue 25): the figures and tables that make pages heavy are on these.
PAGES = {
    "home": "",
    "mechanism": "mechanisms/bdnf-trkb/",
    "indication": "indications/acute-ischemic-stroke/",  # with a study table and figure
    "human studies": "evidence/human-studies/",
    "claims audit": "evidence/claims-audit/",
    "references": "references/",
}
FORMS = ("mobile", "desktop")
GZIP_TYPES = ("text/", "application/json", "application/javascript", "image/svg+xml", "application/xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed (level 6, like nginx's gzip on) when the client accepts it."""

    def send_head(self):  # noqa: D102 - same contract as the base class: headers sent, body file returned
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects to the slash address
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", "") or not ctype.startswith(
            GZIP_TYPES
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, *args):
        pass


class _Body:
    """The compressed body as the file object send_head returns (copyfile reads it until b"")."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def run_lighthouse(url: str, form: str, out: Path) -> dict:
    cmd = [
        "node", str(LIGHTHOUSE), url,
        "--quiet", "--output=json", f"--output-path={out}",
        "--only-categories=performance,accessibility,seo",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form == "desktop":
        cmd.append("--preset=desktop")
    subprocess.run(cmd, check=True, env={**os.environ, "CHROME_PATH": CHROME}, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def figures(report: dict) -> dict:
    cats, audits = report["categories"], report["audits"]
    failing = sorted(
        audit["id"]
        for cat in ("accessibility", "seo")
        for audit in (audits[ref["id"]] for ref in cats[cat]["auditRefs"] if ref["weight"] > 0)
        if audit.get("score") is not None and audit["score"] < 1
    )
    return {
        "performance": round(cats["performance"]["score"] * 100),
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "seo": round(cats["seo"]["score"] * 100),
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "dom": audits["dom-size"].get("numericValue", 0),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "failing": failing,
    }


def median_row(runs: list[dict]) -> dict:
    row = {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "failing"}
    row["failing"] = sorted({audit for run in runs for audit in run["failing"]})
    return row


def table(rows: list[tuple[str, str, dict]], load: str, runs: int) -> str:
    lines = [
        f"Lighthouse {lighthouse_version()}, median of {runs} run(s); load: {load}",
        "",
        "| page type | form | performance | accessibility | SEO | LCP | TBT | DOM nodes | transfer (gzip) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, form, r in rows:
        lines.append(
            f"| {page} | {form} | {r['performance']:.0f} | {r['accessibility']:.0f} | {r['seo']:.0f} | "
            f"{r['lcp_ms'] / 1000:.1f} s | {r['tbt_ms']:.0f} ms | {r['dom']:,.0f} | {r['bytes'] / 1024:,.0f} KB |"
        )
    failing = [f"- {page} ({form}): {', '.join(r['failing'])}" for page, form, r in rows if r["failing"]]
    if failing:
        lines += ["", "Failing accessibility/SEO audits:", *failing]
    return "\n".join(lines) + "\n"


def lighthouse_version() -> str:
    package = LIGHTHOUSE.parent.parent / "package.json"
    return json.loads(package.read_text(encoding="utf-8"))["version"]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one, strictly)")
    parser.add_argument("--page", action="append", choices=sorted(PAGES), help="page type(s); default: all")
    parser.add_argument("--form", action="append", choices=FORMS, help="form factor(s); default: both")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and form; the median is shown")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) to this file")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    args = parser.parse_args(argv)
    if args.reports:
        args.reports.mkdir(parents=True, exist_ok=True)
    if not LIGHTHOUSE.is_file():
        sys.exit("Lighthouse is not installed: run `make lighthouse` (npm ci in scripts/lighthouse)")
    if not Path(CHROME).is_file():
        sys.exit(f"no Chromium at {CHROME}: set CHROME_PATH or run `make system-deps`")

    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            mkdocs = Path(sys.executable).parent / "mkdocs"
            subprocess.run([str(mkdocs), "build", "--strict", "-q", "-d", str(site)], check=True, cwd=ROOT)
        server, base = serve(site.resolve())
        load_before = uptime()
        rows = []
        try:
            for page in args.page or list(PAGES):
                for form in args.form or FORMS:
                    runs = []
                    for i in range(args.runs):
                        name = f"{page.replace(' ', '-')}-{form}-{i + 1}.json"
                        out = (args.reports or Path(tmp)) / name
                        runs.append(figures(run_lighthouse(base + PAGES[page], form, out)))
                    rows.append((page, form, median_row(runs)))
                    print(f"{page} ({form}): {rows[-1][2]['performance']:.0f}", file=sys.stderr)
        finally:
            server.shutdown()
        load = f"before: {load_before.split('load average:')[-1].strip()}; " \
               f"after: {uptime().split('load average:')[-1].strip()} (1, 5, 15 min); {os.cpu_count()} cores"
    text = table(rows, load, args.runs)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    shutil.which("node") or sys.exit("node is needed (Debian: apt-get install nodejs npm)")
    sys.exit(main())
