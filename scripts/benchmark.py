#!/usr/bin/env python3
"""Build-time, memory and size benchmark (`make benchmark`).

Measures, for the real site and for a generated large site built with the same stack (mkdocs.yml, hooks,
overrides, includes, assets; 1,000 pages citing ~10 keys each, 2,000 references, a valid claims ledger):

  - clean strict build time (wall clock of `mkdocs build`, best of --repeat runs),
  - the same pages built without citation processing (no mkdocs-bibtex, no bibliography/claims hooks,
    citations and claim markers stripped) and the ratio of the two,
  - peak memory of the build process (ru_maxrss of the child, from os.wait4),
  - the search index size (site/search/search_index.json),
  - the largest pages' transfer size (HTML, raw and gzip -6),
  - the build time of a site one tenth the size, to show that growth is no worse than linear,

and prints PASS/FAIL against the targets below. It is a script, not a timed test: figures vary by machine.

    .venv/bin/python scripts/benchmark.py                  # full run (a few minutes on 2 cores)
    .venv/bin/python scripts/benchmark.py --pages 200 --refs 400 --json bench.json
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD_ENV = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}

# Targets (PASS/FAIL).
MAX_CITATION_OVERHEAD = 0.30  # citation processing adds at most 30% to the build time
MAX_REAL_BUILD_S = 10.0  # the real site builds in under 10 s
MAX_PAGE_BYTES = 300 * 1024  # no page over 300 KB of HTML (raw)

# Hooks that exist only to process citations and claims; the baseline build drops them with mkdocs-bibtex.
CITATION_HOOKS = {"hooks/bibliography.py", "hooks/claims.py"}
CITATION_PLUGIN = "bibtex"
SECTIONS_PER_SITE = 10  # generated pages are spread over this many nav sections (tabs)
CLAIM_EVERY = 5  # one claim box per this many generated pages
CLAIM_LETTERS = "cmksvptx"  # the ledger's section letters (hooks/claims.py SECTION_OF)


# ------------------------------------------------------------------------------------------------ building
class BuildFailed(RuntimeError):
    pass


@dataclass
class Build:
    label: str
    pages: int  # HTML files written
    build_s: float  # best wall-clock time
    times_s: list
    peak_rss_mb: float
    search_index_kb: float
    largest: list = field(default_factory=list)  # [(path, raw KB, gzip KB)], largest first

    @property
    def largest_raw_kb(self):
        return self.largest[0][1] if self.largest else 0.0

    @property
    def largest_gzip_kb(self):
        return self.largest[0][2] if self.largest else 0.0


def run_build(project_dir, site_dir, extra_env=None):
    """One clean strict build in a child process: (seconds, peak RSS in bytes, log)."""
    shutil.rmtree(site_dir, ignore_errors=True)
    env = {**os.environ, **BUILD_ENV, **(extra_env or {})}
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-d", str(site_dir)]
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=project_dir, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode("utf-8", errors="replace")
    if proc.returncode != 0:
        errors = [line for line in text.splitlines() if "ERROR" in line or "WARNING" in line or "Error" in line]
        raise BuildFailed(f"build of {project_dir} failed: " + (" | ".join(errors[:3]) or text[-500:]))
    return elapsed, usage.ru_maxrss * 1024, text  # ru_maxrss is in KiB on Linux


def measure_site(site_dir, top=3):
    site_dir = Path(site_dir)
    sizes = []
    for html in site_dir.rglob("*.html"):
        data = html.read_bytes()
        sizes.append((len(data), html, data))
    sizes.sort(key=lambda s: s[0], reverse=True)
    largest = [(p.relative_to(site_dir).as_posix(), round(n / 1024, 1), round(len(gzip.compress(d, 6)) / 1024, 1))
               for n, p, d in sizes[:top]]
    index = site_dir / "search" / "search_index.json"
    return {
        "pages": len(sizes),
        "search_index_kb": round(index.stat().st_size / 1024, 1) if index.is_file() else 0.0,
        "largest": largest,
    }


def benchmark(label, project_dir, work_dir, repeat=1, extra_env=None):
    site_dir = Path(work_dir) / f"site-{label.replace(' ', '-')}"
    times, peak = [], 0
    for _ in range(max(1, repeat)):
        seconds, rss, _ = run_build(project_dir, site_dir, extra_env)
        times.append(round(seconds, 2))
        peak = max(peak, rss)
    sizes = measure_site(site_dir)
    shutil.rmtree(site_dir, ignore_errors=True)
    return Build(label, sizes["pages"], min(times), times, round(peak / 2**20, 1), sizes["search_index_kb"],
                 sizes["largest"])


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
        claims.append(claim)
    ledger = {"verdicts": base_ledger["verdicts"], "grades": base_ledger["grades"], "claims": claims}
    return yaml.safe_dump(ledger, allow_unicode=True, sort_keys=False, width=200), placed


def generate_page(i, pages, refs, cites, rng, citations, claim_id):
    keys = [ref_key((i * cites + j) % refs) for j in range(cites)]

    def cite(*ks):
        return (" [" + "; ".join("@" + k for k in ks) + "]") if citations else ""

    out = ["---", f"description: Generated benchmark page {i + 1}.", "---",
           f"# Topic {i + 1}: {' '.join(rng.choice(WORDS) for _ in range(3))}", "",
           '!!! abstract "Bottom line"', f"    {_sentence(rng, 20)[:-1]}{cite(keys[0])}.", ""]
    out += ["## Background", "", _paragraph(rng)[:-1] + cite(keys[1]) + ".", "",
            _paragraph(rng)[:-1] + cite(keys[2], keys[3]) + ".", ""]
    if claim_id and citations:
        out += [f":claim: {claim_id}", ""]
    out += ["## Studies", "", "| Study | Design | n | Dose and route | Result |", "|---|---|---|---|---|"]
    for r, key in enumerate(keys[4:8]):
        out.append(f"| Study {r + 1} | {rng.choice(STUDY_TYPES)} | {rng.randint(8, 400)} | "
                   f"{rng.randint(1, 900)} µg/kg intranasal | {_sentence(rng, 8)[:-1]}{cite(key)} |")
    out += ["", "## Findings", ""]
    for key in keys[8:]:
        out.append(f"- {_sentence(rng, 16)[:-1]}{cite(key)}.")
    out += ["", _paragraph(rng, 3)[:-1] + cite(keys[1], keys[-1]) + ".", ""]
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


def generate_project(dest, pages, refs, cites=10, citations=True, seed=1, source=ROOT):
    """Write a complete MkDocs project at dest using the real mkdocs.yml (by INHERIT), hooks, overrides,
    includes and docs/assets. citations=False writes the same pages without citations or claim markers and
    drops mkdocs-bibtex and the citation hooks: the baseline for the citation overhead."""
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

    def write(rel, text):
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    write("index.md", "---\ndescription: Generated benchmark site.\n---\n# Benchmark site\n\n"
          f"{pages} generated pages. See the [bibliography](references.md) and the "
          "[claims audit](evidence/claims-audit.md).\n")
    write("references.md", "---\ndescription: Every source.\n---\n# Bibliography\n\n"
          + (":bibliography:\n" if citations else "Sources.\n"))
    write("evidence/claims-audit.md", "---\ndescription: Every claim.\n---\n# Claims audit\n\n"
          + (":claims-table:\n" if citations else "Claims.\n"))
    write("evidence/method.md", "---\ndescription: Method.\n---\n# Method\n\n"
          + (":grades-table:\n\n:verdicts-table:\n" if citations else "Grades and verdicts.\n"))
    sections = {}
    for i in range(pages):
        rel = _page_path(i, pages)
        write(rel, generate_page(i, pages, refs, cites, rng, citations, placed.get(i)))
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
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return dest


# ------------------------------------------------------------------------------------------------- report
def _verdict(ok):
    return "PASS" if ok else "FAIL"


def run(args):
    results, checks, notes = {}, [], []
    with tempfile.TemporaryDirectory(prefix="semax-bench-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)

        if not args.no_real:
            try:
                results["real"] = benchmark("real", ROOT, work, repeat=args.real_repeat)
            except BuildFailed as e:
                notes.append(f"real site: {e}")
                results["real"] = None

        small_pages = args.small_pages or max(1, args.pages // 10)
        small_refs = max(1, round(args.refs * small_pages / args.pages))
        plan = [
            ("large", args.pages, args.refs, True),
            ("large-no-citations", args.pages, args.refs, False),
            ("small", small_pages, small_refs, True),
        ]
        for label, pages, refs, citations in plan:
            project = generate_project(work / f"project-{label}", pages, refs, args.cites, citations)
            results[label] = benchmark(label, project, work, repeat=args.repeat)
            results[label].label = f"{label} ({pages} pages, {refs if citations else 0} refs)"

    real, large, base, small = (results.get(k) for k in ("real", "large", "large-no-citations", "small"))
    if real:
        checks.append(("real site builds in < %.0f s" % MAX_REAL_BUILD_S, f"{real.build_s:.2f} s",
                       real.build_s < MAX_REAL_BUILD_S))
        checks.append(("real site: no page > %d KB" % (MAX_PAGE_BYTES // 1024),
                       f"largest {real.largest_raw_kb} KB ({real.largest[0][0]})",
                       real.largest_raw_kb * 1024 <= MAX_PAGE_BYTES))
    elif not args.no_real:
        checks.append(("real site builds in < %.0f s" % MAX_REAL_BUILD_S, "build failed", False))
    overhead = large.build_s / base.build_s - 1
    checks.append((f"citation processing adds <= {MAX_CITATION_OVERHEAD:.0%} (large site)",
                   f"+{overhead:.0%} ({large.build_s:.2f} s vs {base.build_s:.2f} s)",
                   overhead <= MAX_CITATION_OVERHEAD))
    checks.append(("large site: no page > %d KB" % (MAX_PAGE_BYTES // 1024),
                   f"largest {large.largest_raw_kb} KB ({large.largest[0][0]})",
                   large.largest_raw_kb * 1024 <= MAX_PAGE_BYTES))
    growth = large.build_s / small.build_s
    size_ratio = args.pages / (args.small_pages or max(1, args.pages // 10))
    checks.append((f"growth {small.label.split(' (')[0]}->{large.label.split(' (')[0]} no worse than linear",
                   f"x{growth:.2f} time for x{size_ratio:.0f} pages", growth <= size_ratio))

    report = {
        "builds": {k: (asdict(v) | {"label": v.label}) if v else None for k, v in results.items()},
        "citation_overhead": round(overhead, 3),
        "growth_ratio": round(growth, 2),
        "size_ratio": size_ratio,
        "marginal_ms_per_page": round((large.build_s - small.build_s) / max(1, large.pages - small.pages) * 1000, 2),
        "checks": [{"target": t, "measured": m, "pass": ok} for t, m, ok in checks],
        "notes": notes,
    }
    return report


def format_report(report):
    lines = ["", "Semax Evidence build benchmark", "=" * 30, ""]
    head = f"{'build':44} {'time s':>8} {'peak MB':>8} {'pages':>6} {'search KB':>10} {'largest page (raw/gzip KB)'}"
    lines += [head, "-" * len(head)]
    for build in report["builds"].values():
        if not build:
            continue
        top = build["largest"][0] if build["largest"] else ("-", 0, 0)
        lines.append(f"{build['label']:44} {build['build_s']:>8.2f} {build['peak_rss_mb']:>8.1f} {build['pages']:>6}"
                     f" {build['search_index_kb']:>10.1f} {top[0]} ({top[1]}/{top[2]})")
    lines += ["", "Largest pages:"]
    for build in report["builds"].values():
        if build:
            lines.append(f"  {build['label']}: " + ", ".join(f"{p} {r}/{g} KB" for p, r, g in build["largest"]))
    lines += ["", f"Runs (s): " + "; ".join(f"{b['label'].split(' (')[0]} {b['times_s']}"
                                            for b in report["builds"].values() if b),
              f"Citation overhead: {report['citation_overhead']:+.1%}; growth x{report['growth_ratio']} for "
              f"x{report['size_ratio']:.0f} pages; marginal cost {report['marginal_ms_per_page']} ms per page", "",
              "Targets:"]
    for c in report["checks"]:
        lines.append(f"  [{_verdict(c['pass'])}] {c['target']}: {c['measured']}")
    for note in report["notes"]:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated large site")
    parser.add_argument("--refs", type=int, default=2000, help="references of the generated large site")
    parser.add_argument("--cites", type=int, default=10, help="distinct keys cited per generated page")
    parser.add_argument("--small-pages", type=int, default=0, help="pages of the small site (default pages/10)")
    parser.add_argument("--repeat", type=int, default=1, help="builds per generated site (best time is kept)")
    parser.add_argument("--real-repeat", type=int, default=3, help="builds of the real site (best is kept)")
    parser.add_argument("--no-real", action="store_true", help="skip the real site")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    report = run(args)
    print(format_report(report))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
