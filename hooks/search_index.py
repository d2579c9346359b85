"""Search index hook: finishes the index Material's search plugin writes (site/search/search_index.json).

- Search-only aliases from each page's front matter (`search: aliases:`, `misspellings:` and `sections:`,
  read by sitedata.search) go into `aliases` and `misspellings` fields of the page's or section's entry.
  mkdocs.yml weighs those fields (plugins: search: fields:); Material never displays them, and the pages
  themselves do not carry them.
- Every claim box gets an entry of its own, titled with its id ("Claim M03") and pointing at its anchor
  (#claim-m03), so a claim id typed into the search box lands on the box. Material only indexes headings.
- The word separator (punctuation and stop words) comes from sitedata.search.search_separator().
- The index is written as UTF-8 rather than \\u escapes: Cyrillic text takes a third of the bytes.

on_post_build runs after the search plugin's (hooks come after plugins in MkDocs' event order).
"""

import html
import json
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from sitedata import SITE, DataError
from sitedata.search import alias_text, load_search_tuning, search_separator

FIELDS = ("aliases", "misspellings")  # extra fields of the index; mkdocs.yml (plugins: search: fields:) weighs them
TUNING = {}  # src_uri -> SearchTuning
URLS = {}  # src_uri -> page URL as the index writes it ("" for the home page)


def _search_plugin(config):
    for name, plugin in config.plugins.items():
        if name.split("/")[-1] == "search":
            return plugin
    return None


@event_priority(100)  # before the search plugin's own on_config, which copies its settings
def on_config(config):
    plugin = _search_plugin(config)
    if plugin is not None:
        missing = [f for f in FIELDS if f not in plugin.config.fields]
        if missing:
            raise PluginError(f"mkdocs.yml: plugins.search.fields: no {missing} field, so the pages' search "
                              "aliases would be ignored")
        if plugin.config.separator:
            raise PluginError("mkdocs.yml: plugins.search.separator: set by hooks/search_index.py from "
                              "hooks/sitedata/search.py; remove it here")
        plugin.config.separator = search_separator()
    try:
        TUNING.clear()
        TUNING.update(load_search_tuning())
    except DataError as e:
        raise PluginError(str(e)) from None
    URLS.clear()
    return config


def on_page_content(content, page, config, files):
    src_uri = page.file.src_uri
    URLS[src_uri] = page.url
    tuning = TUNING.get(src_uri)
    for anchor, (_, line) in (tuning.sections.items() if tuning else ()):
        if not re.search(rf'\bid="{re.escape(anchor)}"', content):
            raise PluginError(str(DataError(tuning.path, line, f"search.sections.{anchor}",
                                            "no heading with this anchor on the page")))
    return content


def claim_entries(indexed):
    """One index entry per claim box: its anchor, its id as the title, its verdict and grade as the text. Only
    for pages in the index (`indexed`: their addresses), so `search: exclude: true` still excludes a page."""
    entries = []
    if SITE.index is None or SITE.ledger is None:  # a build without the claims hooks (scripts/benchmark.py)
        return entries
    for src_uri, info in SITE.index.pages.items():
        if URLS.get(src_uri) not in indexed:
            continue
        for claim_id in info.claims:
            claim = SITE.ledger.claims[claim_id]
            verdict = SITE.ledger.verdicts[claim.verdict]["label"]
            grade = SITE.ledger.grades[claim.grade]["label"]
            entries.append({"location": f"{URLS[src_uri]}#claim-{claim_id}", "title": f"Claim {claim_id.upper()}",
                            "text": html.escape(f"{verdict}. Grade {claim.grade}: {grade}.", quote=False)})
    return entries


def tune(index):
    """Add aliases and claim entries to a parsed search index (in place); return it."""
    docs = {doc["location"]: doc for doc in index["docs"]}
    for src_uri, tuning in TUNING.items():
        url = URLS.get(src_uri)
        if url is None:
            continue
        targets = [(url, "aliases", tuning.aliases), (url, "misspellings", tuning.misspellings)]
        targets += [(f"{url}#{anchor}", "aliases", words) for anchor, (words, _) in tuning.sections.items()]
        for location, name, words in targets:
            if words and location in docs:
                docs[location][name] = alias_text(words)
    index["docs"] += [e for e in claim_entries(docs) if e["location"] not in docs]
    return index


def on_post_build(config):
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not path.is_file():
        return
    index = tune(json.loads(path.read_text(encoding="utf-8")))
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
