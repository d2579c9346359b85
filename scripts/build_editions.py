#!/usr/bin/env python3
"""Build the site for publishing (`make publish`): the living site at the root of SITE_DIR, and every edition
(git tag YYYY.MM or YYYY.MM.N) as a frozen copy under SITE_DIR/editions/<tag>/.

    SITE_URL=https://example.org/semax/ python scripts/build_editions.py [--site-dir site] [--tag T ...]

SITE_URL is the living site's public address; each edition is built with SITE_URL=<SITE_URL>editions/<tag>/, so
its canonical links, citations, sitemap and search index are its own. A tag is built from a checkout of that tag
(a shared clone in a temporary folder, so the repository's own working tree is not touched) with the Python stack
of this environment (the pinned versions; the script says when a tag pinned others), and with SOURCE_DATE_EPOCH set
to the tag's date so that rebuilding an edition gives the same pages.

Editions built from tags that predate the editions code carry no banner of their own: this script adds the same
banner to their pages afterwards (and nothing else: their text and citations stay as the tag made them).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from sitedata import editions as ed  # noqa: E402

ENV = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
ARTICLE_OPEN_RE = re.compile(r'<article class="md-content__inner md-typeset">')
HEAD_CLOSE = "</head>"


def run(cmd, cwd, env=None):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, **ENV, **(env or {})})
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{result.stdout}{result.stderr}")
    return result


def mkdocs_build(project, site_dir, env):
    run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        cwd=project, env=env)


def add_missing_banners(edition, site_dir):
    """Give every content page of an edition the archived-edition banner, if the tag's templates did not."""
    added = 0
    for page in sorted(site_dir.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        if "edition-banner" in text or not ARTICLE_OPEN_RE.search(text):
            continue  # has its own banner, or is not a content page (e.g. a redirect)
        url = page.parent.relative_to(site_dir).as_posix() + "/"
        url = "" if url == "./" else url
        at = edition.path + url
        banner = ed.banner_html(edition.tag, edition.date, ed.relative_href(at, url),
                                ed.relative_href(at, "editions/"))
        opening = ARTICLE_OPEN_RE.search(text)
        text = text[:opening.end()] + banner + text[opening.end():]
        text = text.replace(HEAD_CLOSE, f'<link rel="latest-version" href="{ed.relative_href(at, url)}">'
                                        + HEAD_CLOSE, 1)
        page.write_text(text, encoding="utf-8")
        added += 1
    return added


def build_edition(edition, checkout, site_root, site_url):
    run(["git", "checkout", "--quiet", "--force", "--detach", edition.tag], cwd=checkout)
    run(["git", "clean", "--quiet", "-fdx"], cwd=checkout)
    pinned = checkout / "constraints.txt"
    if pinned.is_file() and pinned.read_text() != (ROOT / "constraints.txt").read_text():
        print(f"  note: {edition.tag} pinned other package versions; built with this environment's", flush=True)
    site_dir = site_root / edition.path
    mkdocs_build(checkout, site_dir, {"SITE_URL": site_url + edition.path, ed.EDITION_ENV: edition.tag,
                                      "SOURCE_DATE_EPOCH": str(edition.timestamp)})
    return add_missing_banners(edition, site_dir)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="output folder (default: %(default)s)")
    parser.add_argument("--tag", action="append", help="build only these editions (default: every edition tag)")
    args = parser.parse_args(argv)
    site_url = os.environ.get("SITE_URL", "")
    if not re.match(r"https?://", site_url):
        sys.exit("SITE_URL must be the living site's public address, e.g. SITE_URL=https://example.org/ (README)")
    site_url = site_url.rstrip("/") + "/"
    site_root = args.site_dir.resolve()
    editions = ed.list_editions(ROOT)
    if args.tag:
        editions = [e for e in editions if e.tag in args.tag]
    started = time.monotonic()
    mkdocs_build(ROOT, site_root, {"SITE_URL": site_url})
    print(f"living site -> {site_root} ({time.monotonic() - started:.1f} s)", flush=True)
    if editions:
        with tempfile.TemporaryDirectory(prefix="semax-editions-") as tmp:
            checkout = Path(tmp) / "checkout"
            run(["git", "clone", "--quiet", "--shared", "--no-checkout", str(ROOT), str(checkout)], cwd=tmp)
            for edition in editions:
                t = time.monotonic()
                added = build_edition(edition, checkout, site_root, site_url)
                note = f", banner added to {added} pages of an older tag" if added else ""
                print(f"edition {edition.tag} of {edition.date} -> {site_root / edition.path} "
                      f"({time.monotonic() - t:.1f} s{note})", flush=True)
    print(f"{len(editions)} edition(s), {time.monotonic() - started:.1f} s in all", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
