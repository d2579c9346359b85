"""Live reload of everything the site is built from. mkdocs.yml `watch:` makes `mkdocs serve` rebuild on edits to
references/, hooks/, includes/ and overrides/; data and templates are read afresh by every build, but hook code is
not: MkDocs keeps each loaded hook module for the life of the process (an lru_cache), and Python keeps the sitedata,
render and figures packages in sys.modules. Forgetting both after every build makes the next rebuild run the hooks
as edited. A plain `mkdocs build` exits right after, so this costs nothing there."""

import sys


def _forget_loaded_code():
    for name in ("mkdocs.config.config_options", "properdocs.config.config_options"):
        module = sys.modules.get(name)
        if module is not None and hasattr(module, "Hooks"):
            module.Hooks._load_hook.cache_clear()
    packages = ("sitedata", "render", "figures")  # the hooks' own packages (hooks/)
    for name in [n for n in sys.modules if n in packages or n.startswith(tuple(p + "." for p in packages))]:
        del sys.modules[name]


def on_post_build(config):
    _forget_loaded_code()


def on_build_error(error):
    _forget_loaded_code()
