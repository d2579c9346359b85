"""Which address a page's citation gives. Runs after hooks/page_meta.py and adjusts what it computed.

A build without SITE_URL gets the placeholder site_url of mkdocs.yml, under the reserved `.invalid` domain
(RFC 2606), which can never serve anything. Such a build is "not yet published": its pages give no address at all
(no canonical link, no URL in the cite block, the citation tags or the JSON-LD), never one that would not lead
back to the text."""

from pathlib import Path

from sitedata.citation import cite_page, dump_jsonld, is_published, load_jsonld

CITE_DIR = "cite"
CITED = []  # every page's citation data, as the hooks leave it (hooks/editions.py may point it at an edition)


def on_config(config):
    CITED.clear()
    return config


def without_url(meta):
    """The page's citation data with every address taken out."""
    meta = dict(meta)
    meta["url"] = None
    meta["item"] = {k: v for k, v in meta["item"].items() if k != "URL"}
    data = load_jsonld(meta["jsonld"])
    data.pop("url", None)
    for key in ("publisher", "isPartOf"):
        if isinstance(data.get(key), dict):
            data[key].pop("url", None)
    meta["jsonld"] = dump_jsonld(data)
    return meta


def on_page_context(context, page, config, nav):
    meta = page.meta.get("semax")
    if not meta:
        return context
    meta["site_name"] = config.site_name
    meta["published_site"] = is_published(config.site_url)
    if not meta["published_site"]:
        page.meta["semax"] = meta = without_url(meta)
        page.canonical_url = None  # Material prints <link rel="canonical"> only when there is one
    cite_page(meta, page.file.src_uri)  # every format; hooks/editions.py makes them again if it cites an edition
    CITED.append(meta)
    return context


def on_post_build(config):
    """The BibTeX, RIS and CSL-JSON of every page and claim as files under cite/, which the cite block links
    (downloads for reference managers; a data: address would be refused as a scheme that can run code)."""
    folder = Path(config.site_dir) / CITE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for meta in CITED:
        name = meta["item"]["id"]
        items = [(name, meta["cite"])] + [(f"{name}-claim-{c['id']}", c) for c in meta["claim_cites"]]
        for stem, cite in items:
            for ext, key in (("bib", "bibtex"), ("ris", "ris"), ("json", "csljson")):
                (folder / f"{stem}.{ext}").write_text(cite[key], encoding="utf-8", newline="")



