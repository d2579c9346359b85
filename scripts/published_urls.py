"""Keep tests/published-urls.txt up to date: every URL the site publishes (pages, claim anchors, reference
anchors, data files, redirects).

Once an address is published it must keep working, so the list only grows: `python scripts/published_urls.py`
appends the addresses the site now publishes that are not listed yet, and never removes a line. A page that
moves gets a redirect in mkdocs.yml instead; tests/test_metadata.py checks that every listed address resolves.
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


LIST = ROOT / "tests" / "published-urls.txt"

if __name__ == "__main__":
    listed = set(LIST.read_text(encoding="utf-8").splitlines()) if LIST.exists() else set()
    new = [url for url in published_urls() if url not in listed]
    with LIST.open("a", encoding="utf-8") as f:
        if not listed:
            f.write("# Every address the site has published. Never remove a line: add a redirect when a page moves.\n")
        f.writelines(url + "\n" for url in new)
    print(f"{len(new)} new address(es) added to {LIST.relative_to(ROOT)}")
