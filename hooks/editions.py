"""Editions hook: the editions page (/editions/, generated in the living site) and what each page says about
editions. Runs after hooks/citing.py and adjusts the citation computed by hooks/page_meta.py.

- In an edition (a tag built by scripts/build_editions.py with SEMAX_EDITION=<tag> and SITE_URL ending in
  /editions/<tag>/): a banner says the page is an archived edition of a date and links to the same page in the
  living site; the cite block, BibTeX, APA, citation_* tags and JSON-LD give the edition's address, version
  and date, and the living ("latest") address beside it.
- In the living site: when the page reads as it did in the newest edition (sitedata.editions.EditionDiff), the
  cite block gives "this edition" (permanent) and "latest", and the BibTeX and APA cite the edition. When it has
  changed since, they cite the living page, and the block says so.
"""

import html
import subprocess

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

from sitedata import SITE, DataError
from sitedata import editions as ed
from sitedata.citation import cite_page, dump_jsonld, is_published, load_jsonld

STATE = {}


def on_config(config):
    try:
        editions = ed.load_editions()
        current = ed.current_edition(editions)
    except DataError as e:
        raise PluginError(str(e)) from None
    STATE.clear()
    STATE.update(editions=editions, current=current, newest=None, diff=None, living_url=config.site_url)
    if current:
        if not config.site_url.endswith(current.path):
            raise PluginError(f"SITE_URL of edition {current.tag} must end with {current.path}: {config.site_url}")
        STATE["living_url"] = config.site_url[:-len(current.path)]
    elif editions:
        STATE["newest"] = editions[-1]
    return config


def on_files(files, config):
    # Only the living site has the list: an edition links to it, since its own would stop at itself.
    if not STATE["current"]:
        changelog = files.get_file_from_path(ed.CHANGELOG) is not None
        files.append(File.generated(config, ed.EDITIONS_PAGE, content=editions_page(config, changelog),
                                    inclusion=InclusionLevel.NOT_IN_NAV))
        if STATE["newest"]:
            try:
                STATE["diff"] = ed.EditionDiff(STATE["newest"].tag, SITE.refs)
            except (OSError, subprocess.CalledProcessError):  # no usable git: pages cite the living site
                STATE["diff"] = None
    return files


def editions_page(config, changelog=True):
    published = is_published(config.site_url)
    changes = "; the [changelog](evidence/changelog.md) records every change" if changelog else ""
    lines = ["---", "description: Archived editions of Semax Evidence, frozen copies of the whole site that "
             "citations can point to, with their dates and what changed.", "---", "# Editions", "",
             '<div class="editorial" markdown>', "",
             "An edition is a frozen copy of the whole site, published when a release is tagged. Its pages never "
             "change, so a citation of an edition keeps showing what the citer read. The living site keeps "
             f"changing{changes}. The cite block of each page gives its address in the newest edition when the "
             "page still reads as it did there.", "", "</div>", ""]
    if not STATE["editions"]:
        lines.append('<p class="editions-none">No edition has been published yet.</p>')
        return "\n".join(lines) + "\n"
    rows = []
    for edition in reversed(STATE["editions"]):
        tag = html.escape(edition.tag)
        label = tag
        if published:
            label = f'<a href="{html.escape(STATE["living_url"] + edition.path)}">{tag}</a>'
        changes = [html.escape(line.strip()) for line in edition.message.splitlines() if line.strip()]
        changes += [f'<a href="../evidence/changelog/#{html.escape(anchor)}">{html.escape(title)}</a> ({date})'
                    for date, title, anchor in edition.changes]
        rows.append(f'<tr id="edition-{tag}"><td>{label}</td><td><time datetime="{edition.date}">{edition.date}'
                    f"</time></td><td>{'<br>'.join(changes) or 'No change recorded.'}</td></tr>")
    lines += ['<table class="editions-table">',
              "<thead><tr><th>Edition</th><th>Date</th><th>What changed</th></tr></thead>",
              "<tbody>", *rows, "</tbody>", "</table>"]
    return "\n".join(lines) + "\n"


def cite_edition(meta, edition, url):
    """Point the page's citation (its CSL item, from which every format is made, and the JSON-LD) at an edition's
    address."""
    item = meta["item"]
    meta["item"] = dict(item, id=f"{item['id']}-{edition.tag}", URL=url, version=edition.tag,
                        note=f"Archived edition {edition.tag} of {edition.date}; page last updated {meta['updated']}")
    meta["cite_edition"] = {"tag": edition.tag, "date": edition.date, "url": url}
    data = load_jsonld(meta["jsonld"])
    data["version"] = edition.tag
    return data


def on_page_context(context, page, config, nav):
    context = _edition_context(context, page)
    meta = page.meta.get("semax")
    if meta and meta.get("cite_edition"):  # the item now cites an edition: every format is made again from it
        cite_page(meta, page.file.src_uri)
    return context


def _edition_context(context, page):
    meta = page.meta.get("semax")
    if not meta or not STATE:
        return context
    published = meta.get("published_site", True)
    current, living = STATE["current"], STATE["living_url"]
    if current:
        at = current.path + page.url  # where the page sits, relative to the living root
        meta["editions_href"] = ed.relative_href(at, "editions/")
        meta["edition_banner_html"] = ed.banner_html(current.tag, current.date, ed.relative_href(at, page.url),
                                                     meta["editions_href"])
        if published:
            meta["latest_url"] = living + page.url
            data = cite_edition(meta, current, meta["url"])
            data["dateCreated"] = current.date  # the day this frozen version was made
            data["exampleOfWork"] = {"@type": "MedicalWebPage", "url": living + page.url}
            for key in ("publisher", "isPartOf"):
                if isinstance(data.get(key), dict):
                    data[key]["url"] = living
            meta["jsonld"] = dump_jsonld(data)
        return context
    meta["editions_href"] = ed.relative_href(page.url, "editions/")
    meta["latest_url"] = meta.get("url")
    newest, diff = STATE["newest"], STATE["diff"]
    src = page.file.src_uri
    if not newest or not published or src == ed.EDITIONS_PAGE:
        return context
    info = SITE.index.pages.get(src) if SITE.index else None
    reason = diff.why_changed(src, info.keys if info else [], info.claims if info else []) if diff else "unknown"
    if reason:
        meta["edition_note"] = (f"Not the same as in edition {newest.tag} of {newest.date} ({reason}): "
                                "the citation below gives the latest version.")
        return context
    url = living + newest.path + page.url
    data = cite_edition(meta, newest, url)
    data["archivedAt"] = url
    meta["jsonld"] = dump_jsonld(data)
    return context
