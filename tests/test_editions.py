"""Editions: `scripts/build_editions.py` (what `make publish` runs) on a copy of the project with two edition tags.

The copy is a new git repository made from the working tree. Its history: an "old" commit whose templates and
hooks predate editions (tagged 2026.01, annotated), the editions code back with a text change (tagged 2026.02,
lightweight), and one more change to the living site after the newest edition.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUILD_ENV, ROOT, mkdocs_build
from pybtex.database import parse_string
from test_planted_errors import make_project as make_fixture_project

import sitecheck
import sitedata
from sitedata import editions as ed

SITE_URL = "https://example.org/"
PAGE = "docs/mechanisms/melanocortin-hpa.md"
PAGE_URL = "mechanisms/melanocortin-hpa/"
MARKERS = {"2026.01": "Edition marker one.", "2026.02": "Edition marker two.", "living": "Living marker three."}
DATES = {"2026.01": "2026-01-15", "2026.02": "2026-02-15"}


CITE_LINK_RE = re.compile(r'<a class="cite-(?:url|edition)" href="([^"]+)"')
BANNER_RE = re.compile(r'class="admonition warning edition-banner".*?<p class="admonition-title">(?P<title>[^<]+)</p>'
                       r'.*?<a href="(?P<living>[^"]+)">Read the latest.*?<a href="(?P<editions>[^"]+)">', re.S)


def git(repo, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", *args], cwd=repo, env=env,
                   check=True, capture_output=True)


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_marker(repo, text):
    page = repo / PAGE
    body = re.sub(r"\n<div class=\"editorial\" markdown>\n(Edition|Living) marker [a-z]+\.\n</div>\n", "",
                  page.read_text(encoding="utf-8"))
    page.write_text(body + f'\n<div class="editorial" markdown>\n{text}\n</div>\n', encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("editions")
    repo = tmp / "repo"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file() and not (ROOT / name).is_symlink():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    git(repo, "init", "--quiet")
    # Edition 2026.01 is made from a tree that predates editions: no editions hook, no banner in the templates.
    mkdocs_yml, content = repo / "mkdocs.yml", repo / "overrides" / "partials" / "content.html"
    saved = mkdocs_yml.read_text(encoding="utf-8"), content.read_text(encoding="utf-8")
    edit(mkdocs_yml, "  - hooks/editions.py\n", "")
    edit(content, '{% include "partials/edition-banner.html" %}\n', "")
    set_marker(repo, MARKERS["2026.01"])
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "old", date="2026-01-10")
    git(repo, "tag", "-a", "2026.01", "-m", "First edition: <the whole site>", date=DATES["2026.01"])
    mkdocs_yml.write_text(saved[0], encoding="utf-8")
    content.write_text(saved[1], encoding="utf-8")
    set_marker(repo, MARKERS["2026.02"])
    edit(repo / "docs" / "evidence" / "changelog.md", "## Grade history",
         "## 2026-02-10: second test edition\n\n- A test change.\n\n## Grade history")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "second", date=DATES["2026.02"])
    git(repo, "tag", "2026.02")
    set_marker(repo, MARKERS["living"])
    git(repo, "commit", "--quiet", "-am", "after the newest edition", date="2026-02-20")
    site = tmp / "site"
    result = subprocess.run([sys.executable, "scripts/build_editions.py", "--site-dir", str(site)], cwd=repo,
                            capture_output=True, text=True, env={**BUILD_ENV, "SITE_URL": SITE_URL})
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)  # the build times, shown with `pytest -s`
    return site, result.stdout


def soup(site, path):
    return sitecheck.soup_of(site / path / "index.html")


def local_file(site, url):
    """The file a published URL is served from, and its #fragment."""
    assert url.startswith(SITE_URL), url
    path, _, fragment = url[len(SITE_URL):].partition("#")
    target = site / path
    return (target / "index.html" if path.endswith("/") or not path else target), fragment


def test_each_edition_shows_its_own_text_and_the_living_site_the_newest(published):
    site, log = published
    assert "banner added to" in log and "edition 2026.01" in log and "edition 2026.02" in log
    for where, marker in (("editions/2026.01/", "2026.01"), ("editions/2026.02/", "2026.02"), ("", "living")):
        text = soup(site, where + PAGE_URL).get_text(" ")
        assert MARKERS[marker] in text, where
        assert [m for k, m in MARKERS.items() if k != marker and m in text] == [], where


def test_every_edition_page_says_it_is_archived_and_links_to_the_living_page(published):
    site, _ = published
    for tag in DATES:
        root = site / "editions" / tag
        pages = [p for p in root.rglob("index.html") if 'class="md-content__inner' in p.read_text(encoding="utf-8")]
        assert len(pages) > 30, tag
        for page in pages:
            banner = BANNER_RE.search(page.read_text(encoding="utf-8"))
            assert banner is not None, page
            assert banner["title"] == f"Archived edition {tag} of {DATES[tag]}", page
            living, editions = banner["living"], banner["editions"]
            url = page.parent.relative_to(root).as_posix()
            assert (page.parent / living).resolve() == (site / url).resolve(), page
            assert (page.parent / editions / "index.html").resolve() == site / "editions" / "index.html", page


def test_cite_blocks_cite_the_edition_and_every_address_resolves(published):
    site, _ = published
    checked = 0
    for page in site.rglob("index.html"):
        for href in CITE_LINK_RE.findall(page.read_text(encoding="utf-8")):  # a regex: parsing 120 pages is slow
            assert local_file(site, href)[0].is_file(), f"{page}: {href}"
            checked += 1
    assert checked > 100
    # In the edition built with the editions code: "this edition" and "latest", BibTeX and APA cite the edition.
    edition = soup(site, "editions/2026.02/" + PAGE_URL)
    block = edition.select_one("section.cite-page")
    here = SITE_URL + "editions/2026.02/" + PAGE_URL
    assert block.select_one("a.cite-edition")["href"] == here
    assert block.select_one("a.cite-url")["href"] == SITE_URL + PAGE_URL
    (entry,) = parse_string(block.select_one("pre.cite-bibtex").get_text(), "bibtex").entries.values()
    assert entry.fields["url"] == here and entry.fields["version"] == "2026.02"
    assert here in block.select_one("pre.cite-apa").get_text() and "edition 2026.02 of 2026-02-15" in block.text
    # Living site: a page unchanged since 2026.02 cites the edition; the changed page cites itself and says why.
    unchanged = soup(site, "mechanisms/bdnf-trkb/").select_one("section.cite-page")
    assert unchanged.select_one("a.cite-edition")["href"] == SITE_URL + "editions/2026.02/mechanisms/bdnf-trkb/"
    assert "editions/2026.02/mechanisms/bdnf-trkb/" in unchanged.select_one("pre.cite-bibtex").get_text()
    changed = soup(site, PAGE_URL).select_one("section.cite-page")
    assert changed.select_one("a.cite-edition") is None
    assert changed.select_one("a.cite-url")["href"] == SITE_URL + PAGE_URL
    assert "Not the same as in edition 2026.02" in changed.select_one(".cite-edition-note").get_text()


def test_claim_anchors_work_in_editions(published):
    site, _ = published
    for tag in DATES:
        assert soup(site, f"editions/{tag}/{PAGE_URL}").find(id="claim-m03") is not None, tag


def test_edition_metadata_gives_version_date_and_canonical_address(published):
    site, _ = published
    page = soup(site, "editions/2026.02/" + PAGE_URL)
    here = SITE_URL + "editions/2026.02/" + PAGE_URL
    assert page.find("link", rel="canonical")["href"] == here
    assert page.find("meta", attrs={"name": "citation_public_url"})["content"] == here
    assert page.find("link", rel="latest-version")["href"] == SITE_URL + PAGE_URL
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert (data["url"], data["version"], data["dateCreated"]) == (here, "2026.02", DATES["2026.02"])
    assert data["exampleOfWork"]["url"] == SITE_URL + PAGE_URL and data["isPartOf"]["url"] == SITE_URL
    # The older edition keeps the metadata its own templates made, at its own address.
    old = soup(site, "editions/2026.01/" + PAGE_URL)
    assert old.find("link", rel="canonical")["href"] == SITE_URL + "editions/2026.01/" + PAGE_URL
    assert old.find("link", rel="latest-version") is not None


def test_editions_page_lists_every_edition_with_its_date_and_changes(published):
    site, _ = published
    rows = soup(site, "editions/").select("table.editions-table tbody tr")
    assert [r.find("a").get_text() for r in rows] == ["2026.02", "2026.01"]
    assert [r.find("time").get_text() for r in rows] == [DATES["2026.02"], DATES["2026.01"]]
    assert "second test edition" in rows[0].get_text() and "First edition: <the whole site>" in rows[1].get_text()
    assert "2026-11-25" not in rows[0].get_text()  # a changelog entry goes with the first edition after it
    for row in rows:
        assert local_file(site, row.find("a")["href"])[0].is_file()
    # Living pages link to it.
    assert soup(site, PAGE_URL).select_one("a.cite-editions")["href"] == "../../editions/"


def test_each_edition_searches_itself(published):
    site, _ = published
    for tag in DATES:
        page = site / "editions" / tag / PAGE_URL / "index.html"
        config = json.loads(sitecheck.soup_of(page).find("script", id="__config").string)
        root = (page.parent / config["base"]).resolve()
        assert root == (site / "editions" / tag).resolve()
        index = (root / "search" / "search_index.json").read_text(encoding="utf-8")
        assert MARKERS[tag] in index and MARKERS["living"] not in index, tag


def test_published_urls_still_resolve_at_the_root_and_all_links_work(published):
    site, _ = published
    urls = [u.strip() for u in (ROOT / "tests" / "published-urls.txt").read_text(encoding="utf-8").splitlines()
            if u.strip() and not u.startswith("#")]
    missing, ids = [], {}
    for url in urls:
        target, fragment = local_file(site, SITE_URL + url.lstrip("/"))
        if target.is_file() and target not in ids:
            ids[target] = {t["id"] for t in sitecheck.soup_of(target).find_all(id=True)}
        if not target.is_file() or fragment and fragment not in ids[target]:
            missing.append(url)
    assert missing == []
    ok, report = sitecheck.run_lychee(site)
    assert ok, report[-3000:]


def test_publishing_needs_a_site_url(tmp_path):
    env = {k: v for k, v in BUILD_ENV.items() if k != "SITE_URL"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_editions.py"), "--site-dir",
                             str(tmp_path / "site")], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "SITE_URL" in result.stderr
    assert not Path(tmp_path / "site").exists()


def test_edition_diff_names_what_changed_since_the_tag(tmp_path):
    project = make_fixture_project(tmp_path)
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "first", date="2026-01-10")
    git(project, "tag", "2026.01")
    paths = {"root": project, "docs_dir": project / "docs", "references_dir": project / "references",
             "ledger_path": project / "references" / "claims.yaml"}

    def why(page, keys=("good2020",), claims=()):
        refs = sitedata.load_bibliography(project / "references")
        return ed.EditionDiff("2026.01", refs, **paths).why_changed(page, list(keys), list(claims))

    assert why("other.md") is None and why("index.md", claims=["c01"]) is None
    assert why("new.md") == "not in this edition"
    bib = project / "references" / "refs.bib"
    bib.write_text(bib.read_text().replace("A well-formed test entry", "A corrected title"))
    assert why("other.md") == "a source it cites was corrected or changed"
    assert why("other.md", keys=()) is None
    assert why("references.md", keys=()) == "the bibliography changed"
    ledger = project / "references" / "claims.yaml"
    ledger.write_text(ledger.read_text().replace("A test summary.", "A re-audited summary."))
    assert why("index.md", keys=(), claims=["c01"]) == "a claim it shows was re-audited"
    assert why("evidence/claims-audit.md", keys=()) == "the claims ledger changed"
    (project / "docs" / "other.md").write_text("# Other\n\nNew text.\n")
    assert why("other.md", keys=()) == "its text changed"


def test_changelog_sections_go_to_the_first_edition_after_them():
    text = "# Changelog\n\n## 2026-01-05: one\n\nx\n\n## 2026-02-01: two & more\n\n## Grade history\n"
    entries = ed.changelog_entries(text)
    assert entries == [("2026-01-05", "one", "2026-01-05-one"), ("2026-02-01", "two & more", "2026-02-01-two-more")]
    editions = ed.attach_changes([ed.Edition("2026.01", "2026-01-31", 0), ed.Edition("2026.02", "2026-02-28", 0)],
                                 entries)
    assert [[e[1] for e in edition.changes] for edition in editions] == [["one"], ["two & more"]]
    assert [t for t in ("2026.12", "2026.12.1", "2026.13", "2026.1", "v2026.12") if ed.EDITION_TAG_RE.match(t)] \
        == ["2026.12", "2026.12.1"]


def test_unknown_edition_or_wrong_site_url_fails_the_build_with_a_message(tmp_path):
    project = make_fixture_project(tmp_path)
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "first")
    git(project, "tag", "2026.01")
    for env, message in (({"SEMAX_EDITION": "2099.01"}, "'2099.01' is not an edition tag"),
                         ({"SEMAX_EDITION": "2026.01"}, "SITE_URL of edition 2026.01 must end with editions/2026.01/")):
        result = mkdocs_build(project, tmp_path / "site", env)
        assert result.returncode != 0 and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
