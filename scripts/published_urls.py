"""Print every URL the site publishes (pages, claim anchors, reference anchors, data files), one per line.

tests/published-urls.txt is a checked-in copy of this list: once an address is published it must keep working,
so new addresses are appended to it (`python scripts/published_urls.py > tests/published-urls.txt` after review)
and none is ever removed; a moved page gets a redirect in mkdocs.yml instead.
"""

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

import sitecheck  # noqa: E402


def published_urls():
    refs, ledger, index = sitecheck.load_project(ROOT)
    urls = ["/" + sitecheck.page_url(src) for src in sorted(index.pages)]
    urls += [f"/{sitecheck.page_url(c.page)}#claim-{c.id}" for c in ledger.claims.values()]
    urls += [f"/references/#{key}" for key in sorted(refs)]
    urls += [f"/data/{name}" for name in ("claims.json", "claims.csv", "references.json", "semax.bib")]
    urls += ["/" + sitecheck.page_url(old) for old in redirect_map()]
    return urls


def redirect_map():
    loader = type("Loader", (yaml.SafeLoader,), {})
    loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "redirects" in plugin:
            return plugin["redirects"]["redirect_maps"]
    return {}


if __name__ == "__main__":
    print("# Every address the site has published. Never remove a line: add a redirect when a page moves.")
    print("\n".join(published_urls()))
