"""/data/ as a Frictionless Data Package, validated with the frictionless library: the package made from the
real data is valid, and a planted bad value (a wrong type, a value outside a tool's scale, an arm of no study)
makes validation fail with the error frictionless names."""

import csv
import io
import json

import frictionless
import pytest

import sitedata
from sitedata import datapackage


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory, project):
    refs, ledger, _ = project
    data = sitedata.load_studies(refs)
    claims = [{"id": c.id, "section": "s", "claim": c.claim, "verdict": c.verdict, "grade": c.grade,
               "summary": c.summary, "sources": " ".join(c.sources or []), "page": c.page, "anchor": f"claim-{c.id}"}
              for c in ledger.claims.values()]
    folder = tmp_path_factory.mktemp("datapackage")
    files = datapackage.files(data, refs, sitedata.study_labels(data, refs), claims, version="test",
                              created="2026-12-07T00:00:00Z")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def validate(folder):
    report = frictionless.validate(str(folder / "datapackage.json"))
    return report, [e.type for task in report.tasks for e in task.errors] + [e.type for e in report.errors]


def test_the_package_of_the_real_data_is_valid(package_dir):
    report, errors = validate(package_dir)
    assert report.valid, errors
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [f"{n}.csv" for n in datapackage.RESOURCES]
    assert descriptor["licenses"] == [datapackage.LICENSE] and descriptor["version"] and descriptor["created"]
    assert all("licenses" not in r for r in descriptor["resources"]), "the licence is said once, for the package"
    for resource in descriptor["resources"]:
        assert all(f.get("description") for f in resource["schema"]["fields"]), resource["name"]


def test_rob2_and_robins_i_columns_are_kept_apart(package_dir):
    descriptor = json.loads((package_dir / "datapackage.json").read_text(encoding="utf-8"))
    schemas = {r["name"]: r["schema"] for r in descriptor["resources"]}
    enum = {name: next(f for f in schemas[name]["fields"] if f["name"] == "judgement")["constraints"]["enum"]
            for name in ("rob2", "robins-i")}
    assert enum == {"rob2": ["low", "some-concerns", "high"],
                    "robins-i": ["low", "moderate", "no-information", "serious", "critical"]}
    studies = {f["name"]: f for f in schemas["studies"]["fields"]}
    assert studies["rob2_overall"]["constraints"]["enum"] == enum["rob2"]
    assert studies["robins_i_overall"]["constraints"]["enum"] == enum["robins-i"]


def test_missing_values_are_one_null_with_a_reason(package_dir, project):
    rows = list(csv.DictReader(io.StringIO((package_dir / "studies.csv").read_text(encoding="utf-8"))))
    spellings = {r[f].strip().lower() for r in rows for f in datapackage.TEXT_FIELDS}
    assert "not reported" not in spellings, "'not reported' must be an empty cell, named in not_reported"
    assert any(r["not_reported"] for r in rows)
    for r in rows:
        assert (r["n_total"] == "") == (r["n_missing"] == "not reported"), r["id"]
        assert (r["year"] == "") == (r["year_missing"] == "not seen"), r["id"]
    arms = list(csv.DictReader(io.StringIO((package_dir / "study-arms.csv").read_text(encoding="utf-8"))))
    assert all((a["n"] == "") == (a["n_missing"] == "not reported") for a in arms)
    inferred = {r["id"] for r in rows if r["design_inferred"] == "true"}
    data = sitedata.load_studies(project[0])
    assert inferred == {s.id for s in data.studies.values() if s.data.get("design_inferred")} and inferred


@pytest.mark.parametrize("file, old, new, error", [
    ("study-arms.csv", "shmonin2018-stroke-meta,1,", "shmonin2018-stroke-meta,one,", "type-error"),
    ("study-arms.csv", ",181,", ",0,", "constraint-error"),
    ("robins-i.csv", ",serious,", ",unclear,", "constraint-error"),
    ("study-arms.csv", "shmonin2018-stroke-meta,1,", "ghost-study,1,", "foreign-key"),
    ("studies.csv", ",semax,", ",semaxx,", "constraint-error"),
])
def test_a_planted_bad_value_fails_validation(package_dir, tmp_path, file, old, new, error):
    for path in package_dir.iterdir():
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (tmp_path / file).read_text(encoding="utf-8")
    assert old in text
    (tmp_path / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    report, errors = validate(tmp_path)
    assert not report.valid and error in errors, errors


def test_the_published_package_is_valid(built_site):
    report, errors = validate(built_site / "data")
    assert report.valid, errors
