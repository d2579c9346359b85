"""The build tools: ProperDocs (the maintained fork of MkDocs 1.x) builds the same site as MkDocs, and
`mkdocs serve` rebuilds when data, hooks or theme change."""

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import BUILD_ENV, PUBLISHED_ENV, ROOT
from test_planted_errors import make_project

# The only differences allowed between the two builds: the generator named in each page, and the build date the
# sitemap carries (<lastmod> and the gzip header's timestamp, derived from it).
GENERATOR_RE = re.compile(rb'<meta name="generator" content="[^"]*">')
LASTMOD_RE = re.compile(rb"<lastmod>[^<]*</lastmod>")


def normalised(path):
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = LASTMOD_RE.sub(b"<lastmod/>", data)
    if path.suffix == ".html":
        data = GENERATOR_RE.sub(b'<meta name="generator">', data)
    return data


def tree(site):
    return {p.relative_to(site).as_posix(): p for p in sorted(Path(site).rglob("*")) if p.is_file()}


def first_difference(a, b):
    for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if x != y:
            return f"line {n}: {x[:120]!r} != {y[:120]!r}"
    return "lengths differ"


def test_properdocs_builds_the_same_site_as_mkdocs(built_site, tmp_path):
    site = tmp_path / "properdocs-site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=ROOT, capture_output=True, text=True, env={**BUILD_ENV, **PUBLISHED_ENV})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    ours, theirs = tree(built_site), tree(site)
    assert sorted(ours) == sorted(theirs)
    differences = [f"{name}: {first_difference(normalised(ours[name]), normalised(theirs[name]))}"
                   for name in ours if normalised(ours[name]) != normalised(theirs[name])]
    assert differences == []
    # The generator tag really is the one difference in pages (so the normalisation hides nothing else).
    page = "mechanisms/index.html"
    assert b"mkdocs-1.6.1" in ours[page].read_bytes() and b"ProperDocs" in theirs[page].read_bytes()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return ""


def wait_for(url, text, deadline, server):
    while time.monotonic() < deadline:
        assert server.poll() is None, "mkdocs serve exited early"
        if text in fetch(url):
            return True
        time.sleep(0.5)
    return False


def test_serve_rebuilds_when_a_bib_file_or_a_hook_changes(tmp_path):
    project = make_project(tmp_path)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=log, stderr=subprocess.STDOUT, env=BUILD_ENV, start_new_session=True)
    url = f"http://127.0.0.1:{port}/references/"
    try:
        deadline = time.monotonic() + 60
        assert wait_for(url, "A well-formed test entry", deadline, server), "server never served the page"
        bib = project / "references" / "refs.bib"
        bib.write_text(bib.read_text().replace("A well-formed test entry", "A retitled test entry"))
        assert wait_for(url, "A retitled test entry", deadline, server), "a .bib edit did not rebuild the site"
        # Hook code too, not only data: the cite block's author comes from hooks/page_meta.py.
        hook = project / "hooks" / "page_meta.py"
        hook.write_text(hook.read_text().replace('AUTHOR = "Semax Evidence editors"', 'AUTHOR = "Edited editors"'))
        assert wait_for(url, "Edited editors", deadline, server), "a hook edit did not take effect"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
