"""The files the site publishes beside its pages, written to a folder, for a generator that cannot add files
during its build (no `on_files`): /data/* (claims, references, studies, the data package), data/checks/*.json
and, when the bibliography is split, its pages references/<initial>.md (Markdown, to be rendered like docs/).

    python scripts/generate.py OUT_DIR [--bibliography-page-limit N]

The MkDocs build adds the same files itself (hooks/content.py, from render.files.generated_files); this script
imports no MkDocs. Bad data stops it with `file:line: key: message` and exit status 1."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

import render  # noqa: E402
from render.files import generated_files  # noqa: E402

from sitedata import DataError  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--bibliography-page-limit", type=int, default=render.bibliography.DEFAULT_PAGE_LIMIT,
                        help="mkdocs.yml extra.bibliography_page_limit")
    args = parser.parse_args(argv)
    try:
        render.load_site()
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    files = generated_files(args.bibliography_page_limit)
    for path, text in files.items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"{len(files)} files written under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
