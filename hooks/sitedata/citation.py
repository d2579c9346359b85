"""Shared by the hooks that shape a page's citation (hooks/citing.py, hooks/editions.py): whether the build has a
public address, and the page's JSON-LD read back from and written to the text page_meta put in the page."""

import json
from urllib.parse import urlsplit

from . import csl
from .base import script_json
from .pages import SITE

# A build without SITE_URL gets mkdocs.yml's placeholder under this reserved domain (RFC 2606), which serves nothing.
PLACEHOLDER_DOMAIN = ".invalid"


def is_published(site_url):
    host = urlsplit(site_url or "").hostname or ""
    return bool(host) and not host.endswith(PLACEHOLDER_DOMAIN)


def load_jsonld(text):
    return json.loads(text)


def dump_jsonld(data):
    """The JSON-LD as page_meta writes it: no value can close the <script> element it is printed in. On one line:
    json's C encoder serves only unindented output (indent=1 cost 10 ms a page at 1,000 pages)."""
    return script_json(data)


def cite_page(meta, src_uri):
    """Every citation of the page and of each claim shown on it, from the page's CSL item as the hooks left it:
    APA 7, AMA, Vancouver and Harvard (labelled), BibTeX, RIS and CSL-JSON. A living page gives the date this copy
    was built as the retrieval date; an edition, which never changes, gives none."""
    item = meta["item"]
    retrieved = None if meta.get("cite_edition") else meta.get("retrieved")
    meta["cite"] = csl.cite_formats(item, retrieved)
    meta["apa"] = meta["cite"]["styles"]["apa"]["text"]
    meta["bibtex"] = meta["cite"]["bibtex"]
    info = SITE.index.pages.get(src_uri) if SITE.index else None
    claims = []
    for claim_id in dict.fromkeys(c for c in (info.claims if info else []) if c in SITE.ledger.claims):
        claim = SITE.ledger.claims[claim_id]
        claim_item = dict(item, id=f"{item['id']}-claim-{claim_id}",
                          title=f"{item['title']}, claim {claim_id.upper()}: {claim.claim}")
        if item.get("URL"):
            claim_item["URL"] = f"{item['URL']}#claim-{claim_id}"
        claims.append({"id": claim_id, **csl.cite_formats(claim_item, retrieved)})
    meta["claim_cites"] = claims
