"""A clone with nothing beside it is the whole project: no file reads outside the repository, and the no-copy
check works from the article's fingerprint alone."""

import re
import subprocess
import sys

import pytest
from conftest import BUILD_ENV, ROOT

from sitedata import DataError, article

# Built from pieces so that this file does not match its own patterns.
OUTSIDE_PATTERNS = {
    "a sibling folder of the repository": re.compile(re.escape("../" + "shared")),
    "an absolute path of the build machine": re.compile(r"(?<![\w.~-])/" + "work" + r"/"),
    "a path above the repository root": re.compile(re.escape("ROOT." + "parent")),
}


def tracked_files():
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [ROOT / name for name in out.split("\0") if name]


def test_no_tracked_file_points_outside_the_repository():
    problems = []
    for path in tracked_files():
        if path.is_symlink() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary
        for n, line in enumerate(text.splitlines(), 1):
            for what, pattern in OUTSIDE_PATTERNS.items():
                if pattern.search(line):
                    problems.append(f"{path.relative_to(ROOT)}:{n}: refers to {what}: {line.strip()[:100]}")
    assert problems == []


def test_data_tests_pass_in_a_clone_with_nothing_beside_it(tmp_path):
    """Clones the committed HEAD (uncommitted changes are not part of what a user gets) into an empty folder
    and runs the data tests there with the same Python."""
    clone = tmp_path / "empty" / "semax-evidence"
    subprocess.run(["git", "clone", "--quiet", "--single-branch", str(ROOT), str(clone)], check=True)
    assert sorted(p.name for p in clone.parent.iterdir()) == ["semax-evidence"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_data.py"],
                            cwd=clone, capture_output=True, text=True, env=BUILD_ENV)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-1000:]


ARTICLE = """A Made-Up Article

Zorblax peptide sharpens the quiet mind of every weary researcher who tries it twice, the
vendors say, and nobody has ever checked whether that is true.
"""


def test_planted_copy_of_the_article_is_caught_with_page_and_line(tmp_path):
    # The script writes the fingerprint from the article's text file; the check needs only the fingerprint.
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "fingerprint.txt"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "article_fingerprint.py"), str(tmp_path / "article.txt"),
                    "--out", str(out)], check=True, capture_output=True)
    assert "zorblax" not in out.read_text(encoding="utf-8").lower()  # hashes only, never the text
    hashes = article.load_fingerprint(out)
    page = tmp_path / "page.md"
    # 12 words of the article, re-cased, re-punctuated and broken over two lines: still a copy.
    page.write_text("# Page\n\nOur text first.\nAs they put it: THE QUIET MIND of every weary researcher, who\n"
                    "tries it twice -- the vendors say.\n", encoding="utf-8")
    problems = article.copied_runs(page, hashes, "docs/page.md")
    assert problems == ["docs/page.md:4: copies 12 words of the audited article: "
                        "'the quiet mind of every weary researcher who tries it twice the'"]
    # 11 words in a row are allowed.
    page.write_text("Zorblax peptide sharpens the quiet mind of every weary researcher who, we hear.\n",
                    encoding="utf-8")
    assert article.copied_runs(page, hashes) == []


def test_fingerprint_written_with_other_settings_is_rejected(tmp_path):
    bad = tmp_path / "fingerprint.txt"
    bad.write_text(article.fingerprint_text(ARTICLE).replace("# words: 12", "# words: 8"), encoding="utf-8")
    with pytest.raises(DataError, match="regenerate it with scripts/article_fingerprint.py"):
        article.load_fingerprint(bad)
