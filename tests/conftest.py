"""Shared fixtures: the real site is built once per test session (strict), not once per test."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitecheck

ROOT = Path(__file__).resolve().parent.parent
BUILD_ENV = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
# The real site is checked as it is published: with a public address (README: SITE_URL). `.example` is reserved.
PUBLISHED_ENV = {"SITE_URL": "https://semax-evidence.example/"}


def mkdocs_build(project_dir, site_dir, extra_env=None):
    """Run a strict build; return the completed process (callers assert on its output)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
        cwd=project_dir, capture_output=True, text=True, env={**BUILD_ENV, **(extra_env or {})},
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site, PUBLISHED_ENV)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    assert "WARNING" not in result.stderr, result.stderr
    return site


@pytest.fixture(scope="session")
def project():
    """Bibliography, ledger and page index of the real project, read the way the build reads them."""
    return sitecheck.load_project(ROOT)


def all_sources():
    return sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))


@pytest.fixture(scope="session")
def pages(built_site):
    """Every built page, parsed once: {page source: BeautifulSoup}."""
    return {src: sitecheck.soup_of(sitecheck.html_file(built_site, src)) for src in all_sources()}


CHROMIUM = "/usr/bin/chromium"  # Debian's chromium: no browser is downloaded
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session: Playwright's sync API allows one running instance per thread."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} not found: run `make system-deps` (Debian's chromium)", pytrace=False)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
