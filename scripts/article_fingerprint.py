#!/usr/bin/env python3
"""Write the fingerprint of the audited article that the no-copy test compares pages with.

    python scripts/article_fingerprint.py ARTICLE.txt [--out references/article-fingerprint.txt]

ARTICLE.txt is the audited article's text file (it is not part of the repository: run this where it is at
hand, and commit the result). The fingerprint holds one truncated sha256 per run of 12 consecutive words of the
normalised text (see hooks/sitedata/article.py), never the text itself, so the test runs in any clone.
Regenerate it whenever the article's text file changes.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from sitedata import article  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", type=Path, help="the audited article's text file")
    parser.add_argument("--out", type=Path, default=article.FINGERPRINT_PATH,
                        help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = args.article.read_text(encoding="utf-8")
    content = article.fingerprint_text(text)
    args.out.write_text(content, encoding="utf-8")
    count = sum(1 for line in content.splitlines() if not line.startswith("#"))
    print(f"{args.out}: {count} runs of {article.RUN_WORDS} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
