"""What ties the site to its generator, pinned: the rendering imports no MkDocs, mkdocs-bibtex is configured with
its documented options only and nothing reaches into it, Material's copied partial matches the pinned release
(CONTRIBUTING.md, "Rendering without MkDocs")."""

import re
from pathlib import Path

import yaml
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_planted_errors import EnvTagLoader

HOOKS = ROOT / "hooks"
RENDERING = [HOOKS / "render", HOOKS / "sitedata", HOOKS / "figures"]
# The options mkdocs-bibtex's project page (PyPI, 4.4.0, "no longer maintained") lists under "Options". Its code
# reads others (csl_file_encoding...): those are not a contract it keeps.
BIBTEX_DOCUMENTED = {"bib_file", "bib_dir", "bib_command", "bib_by_default", "full_bib_command", "csl_file",
                     "cite_inline", "footnote_format", "enable_inline_citations"}
MKDOCS_IMPORT = re.compile(r"^\s*(?:import|from)\s+(mkdocs|material)\b", re.M)
BIBTEX_IMPORT = re.compile(r"^\s*(?:import|from)\s+mkdocs_bibtex\b", re.M)


def python_files(*dirs):
    return sorted(p for d in dirs for p in Path(d).rglob("*.py"))


def test_the_rendering_code_imports_no_mkdocs():
    found = [p.relative_to(ROOT).as_posix() for p in python_files(*RENDERING) if MKDOCS_IMPORT.search(p.read_text())]
    assert found == []


def test_nothing_imports_mkdocs_bibtex():
    found = [p.relative_to(ROOT).as_posix() for p in python_files(HOOKS, ROOT / "scripts")
             if BIBTEX_IMPORT.search(p.read_text())]
    assert found == []


def test_nothing_reaches_into_a_plugin_object():
    """No hook reads or sets a plugin's attributes (the registry mkdocs-bibtex builds, its last_configured...):
    config.plugins is only asked for a plugin's documented configuration."""
    for path in python_files(HOOKS):
        text = path.read_text()
        for m in re.finditer(r"plugins\.get\([^)]*\)(\.\w+)?", text):
            assert m.group(1) in (None, ".config"), f"{path.name}: {m.group(0)}"
        assert "last_configured" not in text and ".registry" not in text, path.name


def plugin_options(name):
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), EnvTagLoader)
    for item in config["plugins"]:
        if isinstance(item, dict) and name in item:
            return item[name] or {}
    raise AssertionError(f"no {name} plugin in mkdocs.yml")


def test_mkdocs_bibtex_is_configured_with_documented_options_only():
    options = plugin_options("bibtex")
    assert set(options) <= BIBTEX_DOCUMENTED, set(options) - BIBTEX_DOCUMENTED
    assert options["bib_dir"] == "references"
    # Our footnotes are labelled by key (render/citations.py FOOTNOTE), as mkdocs-bibtex would label them.
    assert options["footnote_format"] == "{key}"


def test_the_render_extension_labels_footnotes_as_mkdocs_yml_says():
    from render.citations import FOOTNOTE

    assert FOOTNOTE == plugin_options("bibtex")["footnote_format"]


def test_material_is_pinned_to_one_release_in_both_files():
    pins = {}
    for name in ("requirements.txt", "constraints.txt"):
        m = re.search(r"^mkdocs-material==(\S+)$", (ROOT / name).read_text(), re.M)
        assert m, f"{name}: mkdocs-material not pinned"
        pins[name] = m.group(1)
    assert len(set(pins.values())) == 1, pins


def test_the_installed_material_is_the_pinned_one():
    from importlib.metadata import version

    pinned = re.search(r"^mkdocs-material==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert version("mkdocs-material") == pinned


def test_the_copied_search_partial_is_materials_but_for_its_accessible_name():
    """overrides/partials/search.html is Material's own partial with one attribute added: a Material release that
    changes the partial must be copied again (CONTRIBUTING.md, "Rendering without MkDocs")."""
    import material

    shipped = (Path(material.__file__).parent / "templates/partials/search.html").read_text(encoding="utf-8")
    shipped = re.sub(r"\A\{#-.*?-#\}\n", "", shipped, flags=re.S)  # "automatically generated" header
    ours = (ROOT / "overrides/partials/search.html").read_text(encoding="utf-8")
    ours = re.sub(r"\A\{#-.*?-#\}\n", "", ours, flags=re.S)
    assert ours.replace(""" aria-label="{{ lang.t('search') }}\"""", "", 1) == shipped


@given(st.text(alphabet=st.sampled_from(list("ab-_@;, .x1[]") + ["é", "\t"]), max_size=40))
@settings(max_examples=300, deadline=None)
def test_citation_keys_are_read_as_mkdocs_bibtex_reads_them(inner):
    """Our reading of a `[...]` block (sitedata.pages.citation_keys) gives the keys mkdocs-bibtex 4.4 would, so
    pages written for it keep their citations. Its parser is imported here only, as the reference."""
    from mkdocs_bibtex.citation import Citation

    from sitedata.pages import citation_keys

    assert citation_keys(inner) == [c.key for c in Citation.from_markdown(inner)]
