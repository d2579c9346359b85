"""Which address a page's citation gives. Runs after hooks/page_meta.py and adjusts what it computed.

A build without SITE_URL gets the placeholder site_url of mkdocs.yml, under the reserved `.invalid` domain
(RFC 2606), which can never serve anything. Such a build is "not yet published": its pages give no address at all
(no canonical link, no URL in the cite block, the citation tags or the JSON-LD), never one that would not lead
back to the text."""

from sitedata.citation import dump_jsonld, is_published, load_jsonld


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
        page.meta["semax"] = without_url(meta)
        page.canonical_url = None  # Material prints <link rel="canonical"> only when there is one
    return context



