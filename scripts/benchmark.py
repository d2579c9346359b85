#!/usr/bin/env python3
"""Build-time, memory and size benchmark (`make benchmark`).

Measures, for the real site and for a generated large site built with the same stack (mkdocs.yml, hooks,
overrides, includes, assets; 1,000 pages citing ~10 keys each, 2,000 references, a valid claims ledger):

  - clean strict build time: the CPU time of the `mkdocs build` process (user + system, best of --repeat
    runs), which other processes on a shared machine hardly change, and its wall-clock time beside it,
  - the same pages built without citation processing (no mkdocs-bibtex, no bibliography/claims hooks,
    citations and claim markers stripped, the bibliography as plain lists on the same pages) and the ratio of the
    two, the two builds taking turns so that a machine's drift over minutes falls on both,
  - where that overhead goes: the CPU time of each plugin and hook, per event, timed inside both builds, the
    citation build's minus the baseline's (what is left is MkDocs, Markdown and the theme doing more, and noise),
  - peak memory of the build process (its own VmHWM, read at exit; ru_maxrss only as a fallback),
  - the search index size (site/search/search_index.json), in all, gzipped (what a reader downloads) and per
    indexed page,
  - the largest pages' transfer size (HTML, raw and gzip -6),
  - the build time of a site one tenth the size, to show that growth is no worse than linear,
  - what the combined page print/ (every page in one, hooks/printing.py) adds: the real site built again
    without combining (SEMAX_PRINT_PAGE=false), and its size; it is left out of the largest-page figures, being
    by design the sum of all pages,

and prints PASS/FAIL against the targets below. It is a script, not a timed test: figures vary by machine.

    .venv/bin/python scripts/benchmark.py                  # full run (about 5 minutes on 2 cores)
    .venv/bin/python scripts/benchmark.py --pages 200 --refs 400 --json bench.json
    .venv/bin/python scripts/benchmark.py --no-real --add-feature navigation.prune   # what-if on the theme
    .venv/bin/python scripts/benchmark.py --source /tmp/patched-copy   # what-if on hooks (a patched copy)

The baseline drops CITATION_HOOKS: if another hook comes to depend on them, update that set.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from sitedata.grading import computed_grade  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUILD_ENV = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}

# Targets (PASS/FAIL), each from what a reader or a writer needs, not from what the build does today.
#
# Citation processing (mkdocs-bibtex, the bibliography and claims hooks, and what they add to every page) is what
# makes the site checkable, but a writer pays for it on every save in `mkdocs serve`: it may add at most a
# sixth to the build, measured at 1,000 pages where per-page costs dominate (issue 25: it had crept to +20%).
MAX_CITATION_OVERHEAD = 0.15
MAX_REAL_BUILD_S = 10.0  # CPU seconds: `mkdocs serve` rebuilds on every save, and a writer waits for it
MAX_PAGE_BYTES = 300 * 1024  # no page over 300 KB of HTML (raw)
# The search index is fetched when a reader reaches for the search box (docs/assets/javascripts/
# search-on-demand.js). Budget: results within about 1 s of that, on the network Lighthouse's mobile run
# simulates (its "slow 4G": 150 ms round trip, 1.6 x 1024 kbit/s = 204,800 bytes/s): one round trip, then
# 0.85 s of transfer = 174,080 bytes, gzipped as any static host serves JSON. Growth is checked against the
# same budget: the report gives how many pages it affords at the current bytes per page.
SLOW_4G_BYTES_PER_S = 1.6 * 1024 * 1000 / 8
SLOW_4G_RTT_S = 0.150
SEARCH_READY_S = 1.0
MAX_INDEX_GZIP_BYTES = int((SEARCH_READY_S - SLOW_4G_RTT_S) * SLOW_4G_BYTES_PER_S)

# The hook that renders citations, claims and every other marker; the baseline build drops it with mkdocs-bibtex.
CITATION_HOOKS = {"hooks/content.py"}
CITATION_PLUGIN = "bibtex"
BIBLIOGRAPHY_PAGE = "references/index.html"
COMBINED_PAGE = "print/index.html"  # every page in one: reported on its own, not as "the largest page"
WITHOUT_COMBINED_PAGE = {"SEMAX_PRINT_PAGE": "false"}
SECTIONS_PER_SITE = 10  # generated pages are spread over this many nav sections (tabs)
CLAIM_EVERY = 5  # one claim box per this many generated pages
CLAIM_LETTERS = "cmksvptx"  # the ledger's section letters (sitedata.ledger SECTION_OF)


# ------------------------------------------------------------------------------------------------ building
class BuildFailed(RuntimeError):
    pass


@dataclass
class Build:
    label: str
    pages: int  # HTML files written
    build_s: float  # best CPU time (user + system) of the build process
    times_s: list  # CPU time of each run
    wall_s: float  # best wall-clock time
    peak_rss_mb: float
    search_index_kb: float
    index_bytes_per_page: int = 0  # search index bytes / pages with an index entry
    index_gzip_bytes: int = 0  # the search index as a reader downloads it (gzip -6)
    index_pages: int = 0  # pages with an entry in the search index
    largest: list = field(default_factory=list)  # [(path, raw KB, gzip KB)], largest first
    bibliography_kb: float | None = None  # largest bibliography page (index or part), raw
    bibliography_pages: int = 0
    combined_kb: float | None = None  # the combined page print/, raw
    hook_cpu: dict = field(default_factory=dict)  # {"plugin or hook on_event": CPU s} of the best run

    @property
    def largest_raw_kb(self):
        return self.largest[0][1] if self.largest else 0.0


# Runs `mkdocs` and reports, at exit, the process's own peak resident memory (VmHWM) and the CPU time spent in each
# plugin and hook, per event (each handler timed as MkDocs registers it). The child's ru_maxrss is not used: on
# Linux it also counts the parent's memory at fork/exec time.
PEAK_WRAPPER = """
import atexit, collections, json, sys, time
from mkdocs.plugins import CombinedEvent, PluginCollection
HOOK_CPU = collections.Counter()
_register = PluginCollection._register_event
def _register_timed(self, event_name, method, plugin_name=None):
    if not isinstance(method, CombinedEvent):
        inner, name = method, (event_name, plugin_name or getattr(method, "__module__", "?"))
        def method(*args, **kwargs):
            start = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                HOOK_CPU[name] += time.process_time() - start
        method.mkdocs_priority = getattr(inner, "mkdocs_priority", 0)
    return _register(self, event_name, method, plugin_name)
PluginCollection._register_event = _register_timed
def _peak():
    cpu = {f"{plugin} on_{event}": round(t, 3) for (event, plugin), t in HOOK_CPU.items()}
    sys.stderr.write("\\nBENCHMARK_HOOK_CPU " + json.dumps(cpu) + "\\n")
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    sys.stderr.write("\\nBENCHMARK_PEAK_KB " + line.split()[1] + "\\n")
    except OSError:
        pass
atexit.register(_peak)
from mkdocs.__main__ import cli
sys.argv[0] = "mkdocs"
cli()
"""


def run_build(project_dir, site_dir, extra_env=None):
    """One clean strict build in a child process: (CPU seconds, wall seconds, peak RSS in bytes, log)."""
    shutil.rmtree(site_dir, ignore_errors=True)
    env = {**os.environ, **BUILD_ENV, **(extra_env or {})}
    cmd = [sys.executable, "-c", PEAK_WRAPPER, "build", "--strict", "--clean", "-d", str(site_dir)]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project_dir, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        cpu = usage.ru_utime + usage.ru_stime
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", errors="replace")
    if proc.returncode != 0:
        errors = [line for line in text.splitlines() if "ERROR" in line or "WARNING" in line or "Error" in line]
        raise BuildFailed(f"build of {project_dir} failed: " + (" | ".join(errors[:3]) or text[-500:]))
    peak = re.findall(r"BENCHMARK_PEAK_KB (\d+)", text)
    return cpu, elapsed, int(peak[-1]) * 1024 if peak else usage.ru_maxrss * 1024, text


def hook_cpu(log):
    """{"plugin or hook on_event": CPU seconds} as the build's wrapper reported it at exit."""
    found = re.findall(r"BENCHMARK_HOOK_CPU (\{.*\})", log)
    return json.loads(found[-1]) if found else {}


def measure_site(site_dir, top=3):
    site_dir = Path(site_dir)
    sizes = sorted(((p.stat().st_size, p) for p in site_dir.rglob("*.html")), key=lambda s: s[0], reverse=True)
    combined = site_dir / COMBINED_PAGE
    largest = [(p.relative_to(site_dir).as_posix(), round(n / 1024, 1),
                round(len(gzip.compress(p.read_bytes(), 6)) / 1024, 1)) for n, p in sizes if p != combined][:top]
    index = site_dir / "search" / "search_index.json"
    indexed = {d["location"].split("#")[0] for d in json.loads(index.read_text(encoding="utf-8"))["docs"]} \
        if index.is_file() else set()
    # The bibliography is one page, or an index plus one page per initial once it outgrows one page.
    bibliography = [p for p in (site_dir / BIBLIOGRAPHY_PAGE).parent.rglob("index.html")]
    return {
        "pages": len(sizes),
        "search_index_kb": round(index.stat().st_size / 1024, 1) if index.is_file() else 0.0,
        "index_bytes_per_page": round(index.stat().st_size / len(indexed)) if indexed else 0,
        "index_gzip_bytes": len(gzip.compress(index.read_bytes(), 6)) if index.is_file() else 0,
        "index_pages": len(indexed),
        "largest": largest,
        "bibliography_kb": round(max(p.stat().st_size for p in bibliography) / 1024, 1) if bibliography else None,
        "bibliography_pages": len(bibliography),
        "combined_kb": round(combined.stat().st_size / 1024, 1) if combined.is_file() else None,
    }


def benchmark(label, project_dir, work_dir, repeat=1, extra_env=None):
    return benchmark_in_turn({label: (project_dir, extra_env)}, work_dir, repeat)[label]


def benchmark_in_turn(projects, work_dir, repeat=1):
    """{label: Build} for {label: (project dir, extra environment)}, built in turn (a, b, a, b...) rather than one
    after the other: a virtual or shared machine speeds up and slows down by 10% over minutes, and a ratio of two
    builds measured minutes apart would carry that drift. The best run of each is kept."""
    runs = {label: {"times": [], "walls": [], "peak": 0, "hooks": {}} for label in projects}
    for _ in range(max(1, repeat)):
        for label, (project_dir, extra_env) in projects.items():
            site_dir = Path(work_dir) / f"site-{label.replace(' ', '-')}"
            cpu, wall, rss, log = run_build(project_dir, site_dir, extra_env)
            if not runs[label]["times"] or cpu < min(runs[label]["times"]):
                runs[label]["hooks"] = hook_cpu(log)
            runs[label]["times"].append(round(cpu, 2))
            runs[label]["walls"].append(round(wall, 2))
            runs[label]["peak"] = max(runs[label]["peak"], rss)
    out = {}
    for label, run in runs.items():
        site_dir = Path(work_dir) / f"site-{label.replace(' ', '-')}"
        sizes = measure_site(site_dir)
        shutil.rmtree(site_dir, ignore_errors=True)
        out[label] = Build(label, sizes["pages"], min(run["times"]), run["times"], min(run["walls"]),
                           round(run["peak"] / 2**20, 1), sizes["search_index_kb"], sizes["index_bytes_per_page"],
                           sizes["index_gzip_bytes"], sizes["index_pages"], sizes["largest"],
                           sizes["bibliography_kb"], sizes["bibliography_pages"], sizes["combined_kb"], run["hooks"])
    return out


# ---------------------------------------------------------------------------------------------- generating
WORDS = (
    "peptide analogue fragment heptapeptide intranasal dose rat mouse cortex hippocampus striatum expression "
    "receptor signalling neuron glia ischemia occlusion infarct recovery memory attention learning anxiety "
    "stress plasma half-life degradation enzyme aminopeptidase carboxypeptidase transcript protein synthesis "
    "trial placebo cohort randomised blinded open-label outcome score scale baseline follow-up week day "
    "microgram kilogram solution drop spray injection control group sample effect size confidence interval "
    "significant difference trend model lesion toxin protection survival density staining microscopy assay "
    "culture cell line antagonist agonist melanocortin dopamine serotonin neurotrophin BDNF TrkB NGF ACTH "
    "HPA MC4R RCT TBI stroke rehabilitation patient clinic hospital register label guideline review source"
).split()
STUDY_TYPES = ["human-rct", "human-controlled", "human-open-label", "human-case-series", "human-pk", "animal",
               "in-vitro", "in-silico", "review", "regulatory", "label", "other"]
SURNAMES = ["Ivanov", "Petrova", "Smirnov", "Kuznetsova", "Popov", "Sokolova", "Lebedev", "Kozlova", "Novikov",
            "Morozova", "Volkov", "Solovyova", "Vasiliev", "Zaitseva", "Pavlov", "Semenova", "Golubev", "Vinogradova",
            "Bogdanov", "Vorobyova", "Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas"]
JOURNALS = ["Neuroscience Letters", "Brain Research", "Neuropeptides", "Eksp Klin Farmakol",
            "Zh Nevrol Psikhiatr Im S S Korsakova", "Journal of Neurochemistry", "Molecular Genetics"]


def _sentence(rng, n=14):
    text = " ".join(rng.choice(WORDS) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng, sentences=4):
    return " ".join(_sentence(rng, rng.randint(10, 20)) for _ in range(sentences))


def ref_key(i):
    return f"{SURNAMES[i % len(SURNAMES)].lower()}{1990 + i % 35}-ref{i:05d}"


def generate_bib(refs, rng):
    """refs valid BibTeX entries (every required field: title, url, language, studytype, seenat)."""
    entries = []
    for i in range(refs):
        a, b = SURNAMES[i % len(SURNAMES)], SURNAMES[(i * 7 + 3) % len(SURNAMES)]
        lang = "ru" if i % 4 == 0 else "en"
        pmid = 10_000_000 + i
        entries.append("\n".join([
            f"@article{{{ref_key(i)},",
            f"  author = {{{a}, A. B. and {b}, C. D. and others}},",
            f"  title = {{{_sentence(rng, 12).rstrip('.')}}},",
            *( [f"  titletranslated = {{{_sentence(rng, 10).rstrip('.')}}},"] if lang == "ru" else []),
            f"  journal = {{{JOURNALS[i % len(JOURNALS)]}}},",
            f"  year = {{{1990 + i % 35}}},",
            f"  volume = {{{1 + i % 120}}},",
            f"  number = {{{1 + i % 12}}},",
            f"  pages = {{{10 + i % 300}--{20 + i % 300}}},",
            f"  pmid = {{{pmid}}},",
            f"  doi = {{10.1000/bench.{i:05d}}},",
            f"  url = {{https://pubmed.ncbi.nlm.nih.gov/{pmid}/}},",
            f"  language = {{{lang}}},",
            f"  studytype = {{{STUDY_TYPES[i % len(STUDY_TYPES)]}}},",
            f"  seenat = {{https://pubmed.ncbi.nlm.nih.gov/{pmid}/}},",
            f"  annote = {{{_sentence(rng, 25)}}},",
            "}",
        ]))
    return entries


def _page_path(i, pages):
    per_section = max(1, -(-pages // SECTIONS_PER_SITE))
    return f"s{i // per_section + 1:02d}/page-{i + 1:04d}.md"


def _claim_id(n):
    return f"{CLAIM_LETTERS[n // 100 % len(CLAIM_LETTERS)]}{n % 100:02d}"


def generate_ledger(pages, refs, base_ledger):
    """A valid ledger in the real format: verdicts and grades copied from the real one, one claim per
    CLAIM_EVERY pages. Each claim is a copy of a reviewed claim of the real ledger (so it follows any new
    required field) with its own id, page, text and sources."""
    templates = [c for c in base_ledger.get("claims") or []
                 if isinstance(c, dict) and c.get("verdict") not in (None, "pending") and c.get("sources")]
    if not templates:  # no reviewed claim yet: a minimal entry in the documented format
        templates = [{"verdict": next(iter(base_ledger["verdicts"])), "grade": "D",
                      "reviewed": time.strftime("%Y-%m-%d"),
                      "independence": {"developer_linked": "no", "russian_only": "no", "registered_trial": "n/a",
                                       "independent_replication": "unknown"}}]
    claims, placed = [], {}
    for n, i in enumerate(range(0, pages, CLAIM_EVERY)):
        if n >= 100 * len(CLAIM_LETTERS):
            break
        claim_id = _claim_id(n)
        placed[i] = claim_id
        claim = copy.deepcopy(templates[n % len(templates)])
        claim.update({
            "id": claim_id,
            "claim": f"Generated claim {claim_id} for the benchmark.",
            "page": _page_path(i, pages),
            "summary": f"Generated summary of the evidence for {claim_id}.",
            "sources": [ref_key((i * 3 + j) % refs) for j in range(2)],
        })
        # The ledger rejects a grade its sources do not compute to: grade the copy by its new sources.
        claim.pop("grade_override", None)
        claim.pop("history", None)
        claim["grade"] = computed_grade([STUDY_TYPES[(i * 3 + j) % refs % len(STUDY_TYPES)] for j in range(2)],
                                        claim.get("kind", "effect"))
        claims.append(claim)
    ledger = {"verdicts": base_ledger["verdicts"], "grades": base_ledger["grades"], "claims": claims}
    return yaml.safe_dump(ledger, allow_unicode=True, sort_keys=False, width=200), placed


def generate_page(i, pages, refs, cites, rng, citations, claim_id, formatted=None):
    """About 7 KB of Markdown, like a real content page: an abstract, prose sections, a study table, a list,
    and ~2 citations of each of its `cites` keys (pages i*cites ... i*cites+cites-1, so every key is cited).
    With `formatted` (key -> reference text) the citations are written out as plain Markdown footnotes with
    that text: the same output as the citation machinery produces, without running it."""
    keys = [ref_key((i * cites + j) % refs) for j in range(cites)]
    uses = iter(keys * 3)
    used = []

    def cite(n=1):
        picked = list(dict.fromkeys(next(uses) for _ in range(n)))
        used.extend(k for k in picked if k not in used)
        if formatted:
            return " " + "".join(f"[^{k}]" for k in picked)
        return (" [" + "; ".join("@" + k for k in picked) + "]") if citations else ""

    def para(sentences=4, n=1):
        return _paragraph(rng, sentences)[:-1] + cite(n) + "."

    out = ["---", f"description: Generated benchmark page {i + 1}.", "---",
           f"# Topic {i + 1}: {' '.join(rng.choice(WORDS) for _ in range(3))}", "",
           '!!! abstract "Bottom line"', f"    {para(2)}", ""]
    out += ["## Background", "", para(), "", para(5, 2), "", para(), ""]
    if claim_id and citations:
        out += [f":claim: {claim_id}", ""]
    out += ["## Studies", "", "| Study | Design | n | Dose and route | Result |", "|---|---|---|---|---|"]
    for r in range(4):
        out.append(f"| Study {r + 1} | {rng.choice(STUDY_TYPES)} | {rng.randint(8, 400)} | "
                   f"{rng.randint(1, 900)} µg/kg intranasal | {_sentence(rng, 8)[:-1]}{cite()} |")
    out += ["", "## Findings", "", para(), "", para(3, 2), "", para(), ""]
    out += [f"- {_sentence(rng, 16)[:-1]}{cite()}." for _ in range(4)]
    out += ["", "## Limitations", "", para(5), "", para(4, 2), ""]
    if formatted:
        out += [f"[^{k}]: {formatted[k]}" for k in used]
    return "\n".join(out)


def _filter_redirects(plugins, docs_dir):
    """Keep the redirects plugin, but only maps whose target exists in the generated docs."""
    out = []
    for plugin in plugins:
        if isinstance(plugin, dict) and "redirects" in plugin:
            options = dict(plugin["redirects"] or {})
            maps = options.get("redirect_maps") or {}
            options["redirect_maps"] = {k: v for k, v in maps.items() if (docs_dir / v).is_file()}
            plugin = {"redirects": options}
        out.append(plugin)
    return out


def _plugin_name(plugin):
    return plugin if isinstance(plugin, str) else next(iter(plugin))


def generate_project(dest, pages, refs, cites=10, citations=True, seed=1, source=ROOT, add_features=()):
    """Write a complete MkDocs project at dest using the real mkdocs.yml (by INHERIT), hooks, overrides,
    includes and docs/assets. citations=False writes the same pages with every citation already rendered as a
    plain Markdown footnote (the same reference text the hooks produce) and the bibliography as a plain list, on
    as many pages as the build splits it into (render.bibliography.parts: it was one page of 1 MB, a page the site
    never publishes, and its 20 fewer pages were counted as citation processing), and drops mkdocs-bibtex and
    the citation hooks: the same output, without citation processing. That is the baseline for the citation
    overhead, so the ratio measures the processing, not the extra text or pages that citations add."""
    from mkdocs.utils.yaml import yaml_load

    dest = Path(dest)
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("hooks", "overrides", "includes"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__"))
    docs = dest / "docs"
    if (source / "docs" / "assets").is_dir():
        shutil.copytree(source / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", dest / "mkdocs.base.yml")
    with open(source / "mkdocs.yml", encoding="utf-8") as f:
        base = yaml_load(f)

    (dest / "references").mkdir(exist_ok=True)
    entries = generate_bib(refs, rng)
    per_file = max(1, -(-len(entries) // 10))
    for n in range(0, len(entries), per_file):
        (dest / "references" / f"generated-{n // per_file:02d}.bib").write_text(
            "\n\n".join(entries[n:n + per_file]) + "\n", encoding="utf-8")
    real_ledger = yaml.safe_load((source / "references" / "claims.yaml").read_text(encoding="utf-8"))
    ledger_text, placed = generate_ledger(pages, refs, real_ledger)
    (dest / "references" / "claims.yaml").write_text(ledger_text, encoding="utf-8")
    formatted = parts = None
    if not citations:
        sys.path.insert(0, str(source / "hooks"))
        # The project's own reference formatter and bibliography pages: both builds carry the same text on the
        # same pages.
        import render

        import sitedata

        loaded = sitedata.load_bibliography(dest / "references")
        formatted = {k: sitedata.format_reference(r, refs=loaded) for k, r in loaded.items()}
        sitedata.SITE.refs = loaded
        limit = (base.get("extra") or {}).get("bibliography_page_limit", render.bibliography.DEFAULT_PAGE_LIMIT)
        parts = render.bibliography.parts(limit) if render.bibliography.is_split(limit) else None

    def write(rel, text):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("index.md", "---\ndescription: Generated benchmark site.\n---\n# Benchmark site\n\n"
          f"{pages} generated pages. See the [bibliography](references.md) and the "
          "[claims audit](evidence/claims-audit.md).\n")
    if citations:
        bibliography = ":bibliography:\n"
    elif parts:  # split into the same pages as the build splits it (a page per initial, at most `limit` each)
        bibliography = " · ".join(f"[{label}](references/{part}.md)" for part, (label, _) in parts.items()) + "\n"
        for part, (label, refs_on_page) in parts.items():
            write(f"references/{part}.md", f"---\ndescription: Sources under {label}.\n---\n# Bibliography: {label}"
                  "\n\n" + "\n\n".join(f"- {formatted[r.key]}" for r in refs_on_page) + "\n")
    else:
        bibliography = "\n\n".join(f"- {t}" for t in formatted.values()) + "\n"
    write("references.md", "---\ndescription: Every source.\n---\n# Bibliography\n\n" + bibliography)
    write("evidence/claims-audit.md", "---\ndescription: Every claim.\n---\n# Claims audit\n\n"
          + (":claims-table:\n" if citations else "Claims.\n"))
    write("evidence/method.md", "---\ndescription: Method.\n---\n# Method\n\n"
          + (":grades-table:\n\n:verdicts-table:\n" if citations else "Grades and verdicts.\n"))
    sections = {}
    for i in range(pages):
        rel = _page_path(i, pages)
        write(rel, generate_page(i, pages, refs, cites, rng, citations, placed.get(i), formatted))
        sections.setdefault(rel.split("/")[0], []).append(rel)
    nav = [{"Overview": ["index.md"]}]
    for folder, rels in sections.items():
        write(f"{folder}/index.md", f"---\ndescription: Section {folder}.\n---\n# Section {folder}\n\n"
              f"{len(rels)} pages.\n")
        nav.append({f"Section {folder}": [f"{folder}/index.md", *rels]})
    nav.append({"Evidence": ["evidence/claims-audit.md", "evidence/method.md", "references.md"]})

    plugins = _filter_redirects(base.get("plugins") or [], docs)
    hooks = list(base.get("hooks") or [])
    if not citations:
        plugins = [p for p in plugins if _plugin_name(p) != CITATION_PLUGIN]
        hooks = [h for h in hooks if h not in CITATION_HOOKS]
    config = {"INHERIT": "mkdocs.base.yml", "site_url": "https://bench.example.org/",
              "plugins": plugins, "hooks": hooks, "nav": nav}
    if parts:  # the build adds its bibliography pages outside the nav (hooks/content.py): so are these
        config["not_in_nav"] = "/references/"
    if add_features:  # what-if runs, e.g. --add-feature navigation.prune (INHERIT merges the theme mapping)
        features = list((base.get("theme") or {}).get("features") or [])
        config["theme"] = {"features": features + [f for f in add_features if f not in features]}
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


# ------------------------------------------------------------------------------------------------- report
def _verdict(ok):
    return "PASS" if ok else "FAIL"


def _bib_entries(ref_dir):
    return sum(len(re.findall(r"^\s*@\w+\s*\{", p.read_text(encoding="utf-8"), re.M))
               for p in Path(ref_dir).rglob("*.bib"))


def overhead_parts(large, base, top=8):
    """Where the citation overhead goes: the CPU time of each plugin and hook, per event, in the citation build
    minus the same in the baseline (best run of each), largest first. The rest is MkDocs, Python-Markdown, the
    theme and the garbage collector working on more (more text, more objects), and the machine's own variation
    between two runs: on a virtual machine that alone can be a second or two."""
    names = set(large.hook_cpu) | set(base.hook_cpu)
    diffs = sorted(((large.hook_cpu.get(n, 0) - base.hook_cpu.get(n, 0), n) for n in names), reverse=True)
    parts = [[name, round(d, 2)] for d, name in diffs[:top] if d >= 0.05]
    rest = large.build_s - base.build_s - sum(d for _, d in parts)
    return parts + [["the rest (MkDocs, Markdown, theme, garbage collection, noise)", round(rest, 2)]]


def run(args):
    results, checks, notes = {}, [], []
    source = Path(args.source).resolve()
    small_pages = args.small_pages or max(1, args.pages // 10)
    small_refs = max(1, round(args.refs * small_pages / args.pages))
    with tempfile.TemporaryDirectory(prefix="semax-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.no_real:
            try:
                results["real"] = benchmark("real", source, work, repeat=args.real_repeat)
                results["real"].label = f"real site ({_bib_entries(source / 'references')} refs)"
                results["real-no-print"] = benchmark("real-no-print", source, work, repeat=args.real_repeat,
                                                     extra_env=WITHOUT_COMBINED_PAGE)
                results["real-no-print"].label = "real site, print/ not combined"
            except BuildFailed as e:
                notes.append(f"real site: {e}")
        plan = [("large", args.pages, args.refs, True), ("large-no-citations", args.pages, args.refs, False),
                ("small", small_pages, small_refs, True)]
        projects = {name: generate_project(work / f"project-{name}", pages, refs, args.cites, citations,
                                           source=source, add_features=args.add_feature)
                    for name, pages, refs, citations in plan}
        # The two builds whose ratio is the citation overhead take turns; the small site is measured after.
        results.update(benchmark_in_turn({name: (projects[name], None) for name in ("large", "large-no-citations")},
                                         work, repeat=args.repeat))
        results["small"] = benchmark("small", projects["small"], work, repeat=args.repeat)
        for name, pages, refs, citations in plan:
            results[name].label = (f"{pages} pages, {refs} refs" if citations
                                   else f"{pages} pages, same footnotes and pages, no citation processing")

    real, large, base, small = (results.get(k) for k in ("real", "large", "large-no-citations", "small"))
    max_kb = MAX_PAGE_BYTES // 1024
    if real:
        checks.append((f"real site builds in < {MAX_REAL_BUILD_S:.0f} s of CPU",
                       f"{real.build_s:.2f} s ({real.wall_s:.2f} s wall clock)", real.build_s < MAX_REAL_BUILD_S))
        checks.append((f"real site: no page > {max_kb} KB", f"largest {real.largest_raw_kb} KB ({real.largest[0][0]})",
                       real.largest_raw_kb <= max_kb))
        per_page = real.index_gzip_bytes / max(1, real.index_pages)
        checks.append((f"real site: search index <= {MAX_INDEX_GZIP_BYTES:,} bytes gzipped (results within "
                       f"{SEARCH_READY_S:g} s on slow 4G)",
                       f"{real.index_gzip_bytes:,} bytes gzipped ({real.search_index_kb} KB raw, "
                       f"{per_page:,.0f} bytes gzipped per page: the budget affords "
                       f"{MAX_INDEX_GZIP_BYTES / per_page:,.0f} pages)",
                       real.index_gzip_bytes <= MAX_INDEX_GZIP_BYTES))
    elif not args.no_real:
        checks.append((f"real site builds in < {MAX_REAL_BUILD_S:.0f} s of CPU", "build failed", False))
    overhead = large.build_s / base.build_s - 1
    checks.append((f"citation processing adds <= {MAX_CITATION_OVERHEAD:.0%} ({args.pages} pages)",
                   f"{overhead:+.0%} ({large.build_s:.2f} s vs {base.build_s:.2f} s)",
                   overhead <= MAX_CITATION_OVERHEAD))
    checks.append((f"{args.pages}-page site: no page > {max_kb} KB",
                   f"largest {large.largest_raw_kb} KB ({large.largest[0][0]})", large.largest_raw_kb <= max_kb))
    growth = large.build_s / small.build_s
    size_ratio = args.pages / small_pages
    checks.append((f"growth {small_pages}->{args.pages} pages no worse than linear",
                   f"x{growth:.2f} time for x{size_ratio:g} pages", growth <= size_ratio))

    bib = {name: {"pages": b.bibliography_pages, "largest_kb": b.bibliography_kb}
           for name, b in (("real", real), ("large", large)) if b}
    combined = {name: {"kb": b.combined_kb} for name, b in (("real", real), ("large", large)) if b}
    without = results.get("real-no-print")
    if real and without:
        combined["real"].update(adds_s=round(real.build_s - without.build_s, 2),
                                adds=round(real.build_s / without.build_s - 1, 3))

    return {
        "builds": {k: asdict(v) for k, v in results.items()},
        "citation_overhead": round(overhead, 3),
        # Each citation build against the baseline build that followed it: how far one pair strays from the best
        # of each shows how much of a verdict near the target is the machine.
        "citation_overhead_pairs": [round(a / b - 1, 3) for a, b in zip(large.times_s, base.times_s, strict=True)],
        "citation_overhead_parts": overhead_parts(large, base),
        "growth_ratio": round(growth, 2),
        "size_ratio": size_ratio,
        "marginal_ms_per_page": round((large.build_s - small.build_s) / (args.pages - small_pages) * 1000, 2)
        if args.pages > small_pages else None,
        "bibliography_page": bib,
        "combined_page": combined,
        "checks": [{"target": t, "measured": m, "pass": bool(ok)} for t, m, ok in checks],
        "notes": notes,
        "added_features": list(args.add_feature),
    }


def format_report(report):
    lines = ["", "Semax Evidence build benchmark (clean strict builds; CPU and wall-clock time, best of the runs "
             "listed; ratios are of CPU time)", ""]
    head = (f"{'build':42} {'CPU s':>7} {'wall s':>7} {'peak MB':>8} {'HTML files':>10} {'search index KB':>15} "
            f"{'B/page':>7} {'gzip KB':>7}  largest page: raw KB / gzip KB")
    lines += [head, "-" * len(head)]
    for build in report["builds"].values():
        top = build["largest"][0] if build["largest"] else ("-", 0, 0)
        lines.append(f"{build['label']:42} {build['build_s']:>7.2f} {build['wall_s']:>7.2f}"
                     f" {build['peak_rss_mb']:>8.1f} {build['pages']:>10} {build['search_index_kb']:>15.1f}"
                     f" {build['index_bytes_per_page']:>7} {build['index_gzip_bytes'] / 1024:>7.1f}"
                     f"  {top[0]} {top[1]} / {top[2]}")
    lines += ["", "Three largest pages (raw KB / gzip KB):"]
    for build in report["builds"].values():
        lines.append(f"  {build['label']}: " + "; ".join(f"{p} {r} / {g}" for p, r, g in build["largest"]))
    lines += ["", "Runs (CPU s): " + "; ".join(f"{b['label']} {b['times_s']}" for b in report["builds"].values()),
              f"Citation overhead {report['citation_overhead']:+.1%} (best of each; the pairs of runs in turn: "
              + ", ".join(f"{r:+.1%}" for r in report["citation_overhead_pairs"])
              + f"); time x{report['growth_ratio']} for "
              f"x{report['size_ratio']:g} pages; marginal {report['marginal_ms_per_page']} ms per page."]
    lines.append("Where the citation overhead goes (CPU s, citation build minus baseline, best run of each): "
                 + "; ".join(f"{name} {s:+.2f}" for name, s in report["citation_overhead_parts"]) + ".")
    bib = report["bibliography_page"]
    if bib:
        lines.append("Bibliography: " + "; ".join(f"{name} site {b['pages']} page(s), largest {b['largest_kb']} KB"
                                                  for name, b in bib.items()) + ".")
    combined = report.get("combined_page") or {}
    if combined:
        parts = []
        for name, c in combined.items():
            part = f"{name} site {c['kb']} KB"
            if "adds_s" in c:
                part += f", adds {c['adds_s']:+.2f} s ({c['adds']:+.0%}) to the build"
            parts.append(part)
        lines.append("Combined page print/ (not counted as the largest page): " + "; ".join(parts) + ".")
    lines += ["", "Targets:"]
    lines += [f"  [{_verdict(c['pass'])}] {c['target']}: {c['measured']}" for c in report["checks"]]
    if report["added_features"]:
        lines.append(f"  (generated sites built with extra features: {', '.join(report['added_features'])})")
    lines += [f"  note: {note}" for note in report["notes"]]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated large site")
    parser.add_argument("--refs", type=int, default=2000, help="references of the generated large site")
    parser.add_argument("--cites", type=int, default=10, help="distinct keys cited per generated page")
    parser.add_argument("--small-pages", type=int, default=0, help="pages of the small site (default pages/10)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="builds per generated site, the two large ones in turn (best time is kept): one run "
                        "varies by 10%% on a virtual machine")
    parser.add_argument("--real-repeat", type=int, default=3, help="builds of the real site (best is kept)")
    parser.add_argument("--no-real", action="store_true", help="skip the real site")
    parser.add_argument("--add-feature", action="append", default=[], metavar="FEATURE",
                        help="what-if: add a Material feature to the generated sites (e.g. navigation.prune)")
    parser.add_argument("--source", default=str(ROOT), metavar="DIR",
                        help="project to measure and to take mkdocs.yml, hooks, overrides... from (default: this one)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 if a target is missed")
    args = parser.parse_args(argv)
    report = run(args)
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    if args.strict and not all(c["pass"] for c in report["checks"]):
        sys.exit(1)
    return report


if __name__ == "__main__":
    main()
