"""Shared by the hooks that shape a page's citation (hooks/citing.py, hooks/editions.py): whether the build has a
public address, and the page's JSON-LD read back from and written to the text page_meta put in the page."""

import json
from urllib.parse import urlsplit

from .base import script_json

# A build without SITE_URL gets mkdocs.yml's placeholder under this reserved domain (RFC 2606), which serves nothing.
PLACEHOLDER_DOMAIN = ".invalid"


def is_published(site_url):
    host = urlsplit(site_url or "").hostname or ""
    return bool(host) and not host.endswith(PLACEHOLDER_DOMAIN)


def load_jsonld(text):
    return json.loads(text)


def dump_jsonld(data):
    # Written as page_meta writes it: no value can close the <script> element it is printed in.
    return script_json(data, indent=1)
