"""Smoke test of scripts/benchmark.py: the generator writes a project that builds strictly with the real stack,
and the report carries every figure. Tiny sizes, no real-site build: a few seconds."""

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_benchmark():
    spec = importlib.util.spec_from_file_location("semax_benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def test_benchmark_generates_builds_and_reports(tmp_path, capsys):
    bench = _load_benchmark()
    out = tmp_path / "report.json"
    report = bench.main(["--pages", "5", "--refs", "10", "--small-pages", "2", "--no-real",
                         "--keep", str(tmp_path / "work"), "--json", str(out)])
    printed = capsys.readouterr().out

    assert set(report["builds"]) == {"large", "large-no-citations", "small"}
    for name, build in report["builds"].items():
        assert build["build_s"] > 0, name
        assert build["peak_rss_mb"] > 10, name
        assert build["pages"] >= 5, name
        assert build["search_index_kb"] > 0 and build["index_bytes_per_page"] > 0, name
        path, raw_kb, gzip_kb = build["largest"][0]
        assert path.endswith(".html") and raw_kb > gzip_kb > 0, (name, build["largest"])
    assert report["builds"]["large"]["bibliography_kb"] > report["builds"]["small"]["bibliography_kb"]
    # The combined page print/ is reported on its own, not as the largest page.
    assert report["combined_page"]["large"]["kb"] > 0
    assert all(p != "print/index.html" for b in report["builds"].values() for p, _, _ in b["largest"])
    assert "Combined page print/" in printed
    for key in ("citation_overhead", "growth_ratio", "size_ratio", "marginal_ms_per_page", "bibliography_page"):
        assert report[key] is not None, key
    targets = " ".join(c["target"] for c in report["checks"])
    for words in ("citation processing", "no page >", "no worse than linear"):
        assert words in targets
    assert json.loads(out.read_text())["checks"] == report["checks"]
    # Where the overhead goes: the citation hooks' CPU time, timed in the build itself, and the rest; the parts add
    # up to the difference of the two builds.
    large, base = report["builds"]["large"], report["builds"]["large-no-citations"]
    assert large["hook_cpu"]["hooks/content.py on_config"] > 0
    assert not any(name.startswith("hooks/content.py") for name in base["hook_cpu"])
    parts = report["citation_overhead_parts"]
    assert len(report["citation_overhead_pairs"]) == len(large["times_s"]) and "the pairs of runs in turn" in printed
    assert parts[-1][0].startswith("the rest") and "Where the citation overhead goes" in printed
    assert abs(sum(s for _, s in parts) - (large["build_s"] - base["build_s"])) < 0.02 * len(parts)
    for words in ("peak MB", "search index KB", "gzip", "Targets:", "PASS" if report["checks"][0]["pass"] else "FAIL"):
        assert words in printed

    # The generated project has what the brief asks for: valid references, a ledger, pages citing keys.
    project = tmp_path / "work" / "project-large"
    bib = "".join(p.read_text() for p in (project / "references").glob("*.bib"))
    assert bib.count("@article{") == 10
    for field in ("title", "url", "language", "studytype", "seenat"):
        assert bib.count(f"  {field} = ") == 10, field
    assert "claims:" in (project / "references" / "claims.yaml").read_text()
    page = (project / "docs" / "s01" / "page-0001.md").read_text()
    assert "[@" in page and ":claim:" in page
    baseline = (project.parent / "project-large-no-citations" / "docs" / "s01" / "page-0001.md").read_text()
    assert "[@" not in baseline and ":claim:" not in baseline
