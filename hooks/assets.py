"""Content-hashed names for our own assets (docs/assets/): site.css is written as site.<hash>.css, so a static
host may let browsers cache it for a year and a changed file still reaches every reader at once.

Every file under docs/assets/ is renamed (the theme's own assets are hashed by Material already). `extra_css`
and `extra_javascript` entries are rewritten to the new names, and templates name an asset through the `asset`
filter: `{{ 'assets/stylesheets/print.css' | asset | url }}`. The unhashed names are not published: no address
under assets/ is in tests/published-urls.txt, and every page links the hashed ones."""

import hashlib
import posixpath
from pathlib import Path

from mkdocs.config.config_options import ExtraScriptValue

ASSETS_DIR = "assets/"
HASH_CHARS = 8  # like Material's own names (main.57a0d79d.min.css): enough to tell versions of one file apart

HASHED = {}  # src_uri -> dest_uri, for the `asset` filter


def hashed_name(src_uri, content):
    """assets/stylesheets/site.css -> assets/stylesheets/site.<first 8 hex digits of its SHA-256>.css"""
    stem, ext = posixpath.splitext(src_uri)
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:HASH_CHARS]}{ext}"


def on_files(files, config):
    HASHED.clear()
    docs = Path(config.docs_dir).resolve()
    for file in files:
        if not file.src_uri.startswith(ASSETS_DIR) or file.generated_by or not file.abs_src_path:
            continue
        if docs not in Path(file.abs_src_path).resolve().parents:
            continue  # the theme's
        file.dest_uri = hashed_name(file.src_uri, file.content_bytes)
        # url and abs_dest_path are cached from dest_uri on first read: read again from the new name
        file.__dict__.pop("url", None)
        file.__dict__.pop("abs_dest_path", None)
        HASHED[file.src_uri] = file.dest_uri
    config.extra_css = [HASHED.get(path, path) for path in config.extra_css]
    config.extra_javascript = [_rename_script(script) for script in config.extra_javascript]
    return files


def _rename_script(script):
    if isinstance(script, ExtraScriptValue):
        script.path = HASHED.get(script.path, script.path)
        return script
    return HASHED.get(script, script)


def asset(path):
    """The published name of one of our assets; an unknown path is returned as it is (a theme asset)."""
    return HASHED.get(path, path)


def on_env(env, config, files):
    env.filters["asset"] = asset
    return env
