"""Publishing: the address a citation gives is one that serves the site, or none at all."""

import json
import re
import subprocess
import sys

from conftest import BUILD_ENV, ROOT
from test_planted_errors import make_project as make_fixed_project

import sitecheck


def make_project(tmp_path, **kwargs):
    """The planted-error fixture project, with the real mkdocs.yml's `site_url: !ENV [SITE_URL, ...]` line (the
    fixture resolves !ENV once, when it writes its config)."""
    project = make_fixed_project(tmp_path, **kwargs)
    real = re.search(r"^site_url:.*$", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group()
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url:.*$", real, config.read_text(encoding="utf-8"), flags=re.M),
                      encoding="utf-8")
    return project


def build(project, site_dir, site_url=None):
    env = {k: v for k, v in BUILD_ENV.items() if k != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)],
                            cwd=project, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def test_build_without_site_url_gives_no_address_and_says_so(tmp_path):
    site = build(make_project(tmp_path), tmp_path / "site")
    for page in ("index.html", "other/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        soup = sitecheck.soup_of(site / page)
        block = soup.select_one("section.cite-page")
        assert "Not yet published" in block.get_text(" "), page
        assert block.select_one("a.cite-url") is None and "http" not in block.get_text(), page
        assert soup.find("link", rel="canonical") is None, page
        printed = soup.select_one(".print-header").get_text(" ")
        assert "not yet published" in printed and "None" not in printed, page  # it said "Printed from None"
        assert soup.find("meta", attrs={"name": "citation_public_url"}) is None, page
        assert "url" not in json.loads(soup.find("script", type="application/ld+json").string), page
        # The placeholder address appears nowhere a reader or a reference manager would pick it up.
        assert ".invalid" not in html.replace("sitemap.xml", ""), page


def test_build_with_site_url_cites_that_address(tmp_path):
    site = build(make_project(tmp_path), tmp_path / "site", "https://example.org/")
    soup = sitecheck.soup_of(site / "other" / "index.html")
    assert soup.select_one("section.cite-page a.cite-url")["href"] == "https://example.org/other/"
    assert soup.find("link", rel="canonical")["href"] == "https://example.org/other/"
    assert "Not yet published" not in soup.select_one("section.cite-page").get_text()
