"""The SVG figure builders as pure functions: output is well-formed XML whatever the data holds, every figure
is named and described for screen readers, and every mark that stands for a claim, study or event is a link."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import figures
from figures.svg import esc, wrap

HREF = "href"  # a plain href: crawlers read it (hooks/figures/svg.py link)
NS = {"svg": "http://www.w3.org/2000/svg"}
VERDICTS = [("supported", "Supported"), ("partly-supported", "Partly supported"), ("unsupported", "Unsupported"),
            ("contradicted", "Contradicted")]
GRADES = [("A", "Randomised human trials"), ("B", "Controlled human studies"), ("D", "Animal or cell studies only")]


def parse(svg):
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return root


def assert_labelled(root):
    """role=img, named by its <title> and described by its <desc>, both non-empty, both referenced by id."""
    assert root.get("role") == ("group" if links(root) else "img")  # links are never inside an img
    ids = root.get("aria-labelledby").split()
    found = {el.get("id"): el for el in root.iter() if el.get("id")}
    assert len(ids) == 2 and all(i in found for i in ids)
    assert found[ids[0]].tag.endswith("title") and found[ids[0]].text.strip()
    assert found[ids[1]].tag.endswith("desc") and found[ids[1]].text.strip()
    assert root.get("viewBox")


def links(root):
    out = []
    for a in root.iter("{http://www.w3.org/2000/svg}a"):
        tooltip = a.find("svg:title", NS)
        assert a.get(HREF) and a.get("aria-label") and tooltip is not None and tooltip.text == a.get("aria-label")
        out.append(a)
    return out


def claims(n=5):
    verdicts = [v for v, _ in VERDICTS]
    return [{"id": f"m{i:02d}", "verdict": verdicts[i % 4], "grade": "ABD"[i % 3], "href": f"../x/#claim-m{i:02d}",
             "label": f"Claim M{i:02d}"} for i in range(n)]


def test_evidence_map_has_one_linked_chip_per_claim():
    root = parse(figures.evidence_map("fig-map", VERDICTS, GRADES, claims(9)))
    assert_labelled(root)
    hrefs = [a.get(HREF) for a in links(root)]
    assert hrefs == [c["href"] for c in sorted(claims(9), key=lambda c: ([v for v, _ in VERDICTS].index(c["verdict"]),
                                                                          "ABD".index(c["grade"])))]
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"M00", "M08", "Supported", "A", "B", "D"} <= texts | {t.text for t in root.iter(
        "{http://www.w3.org/2000/svg}tspan")}


def point(i, **kw):
    base = {"label": f"Study {i}", "year": 2000 + i, "n": 10 * (i + 1), "design": "controlled", "risk": "serious",
            "href": f"#s{i}", "aria": f"Study {i}"}
    return {**base, **kw}


def test_landscape_places_every_study_even_without_year_or_n():
    points = [point(1), point(2, year=None), point(3, n=None, design="meta-analysis", risk="none"),
              point(4, design="randomised", risk="low"), point(5, year=2001, n=20)]  # same spot as 1: moved aside
    root = parse(figures.landscape("fig-l", "Test panel", points, (1995, 2010), 3, True))
    assert_labelled(root)
    marks = links(root)
    assert [a.get(HREF) for a in marks] == ["#s1", "#s5", "#s3", "#s4", "#s2"]  # by year, unknown year last
    centres = []
    for a in marks:
        shape = a[1]
        centres.append(shape.get("cx") or shape.get("points") or shape.get("x"))
    assert len(set(centres)) == len(centres), "two markers drawn on the same spot"
    letters = [(a.find("svg:text", NS).text if a.find("svg:text", NS) is not None else None) for a in marks]
    # Risk of bias as a letter, not colour alone; no letter at all when none was assessed (a dash read as a
    # negative result).
    assert letters == ["S", "S", None, "L", "S"]


def test_undated_marks_of_one_size_sit_side_by_side_inside_the_figure():
    points = [point(i, year=None, n=None) for i in range(4)] + [point(9)]
    root = parse(figures.landscape("fig-l", "Test panel", points, (1995, 2010), 3, True))
    width = float(root.get("viewBox").split()[2])
    xs = sorted(float(a[1].get("x")) for a in links(root) if a.get(HREF) != "#s9")
    assert all(b - a >= 2 * figures.charts.L_R for a, b in zip(xs, xs[1:], strict=False)), xs
    assert xs[0] > 0 and xs[-1] + 2 * figures.charts.L_R <= width


def test_landscape_axes_cover_the_data():
    assert figures.year_domain([1999, 2018, None]) == (1995, 2020)
    assert figures.year_domain([None]) == (1995, 2005)
    assert figures.n_domain([30, 181, None]) == 3
    assert figures.n_domain([None]) == 2


def test_timeline_links_every_event_and_stacks_close_ones():
    events = [{"number": i + 1, "when": w, "date": str(int(w)), "kind": k, "text": f"Event {i}", "href": f"../r/#k{i}",
               "aria": f"Event {i}"} for i, (w, k) in enumerate([(1982.5, "development"), (1996.2, "registration"),
                                                                 (1996.3, "registration"), (2018.5, "study")])]
    root = parse(figures.timeline("fig-t", events, [("development", "Development"), ("registration", "Registration"),
                                                     ("study", "Study")]))
    assert_labelled(root)
    marks = links(root)
    assert [a.get(HREF) for a in marks] == [e["href"] for e in events]
    ys = {a.get(HREF): float(a.find("svg:circle", NS).get("cy")) for a in marks}
    assert ys["../r/#k1"] != ys["../r/#k2"], "two events a month apart must not overlap"
    assert figures.timeline("fig-t", [], []) == ""


def test_alignment_names_every_segment_in_words():
    origins = {"acth": {"label": "ACTH-derived", "short": "ACTH"}, "pgp": {"label": "Pro-Gly-Pro tail",
                                                                          "short": "Pro-Gly-Pro"},
               "modification": {"label": "End-group modification", "short": "end cap"}}
    seqs = [{"name": "Semax", "note": "drops", "segments": [("acth", ["Met", "Glu", "His", "Phe"]),
                                                              ("pgp", ["Pro", "Gly", "Pro"])]},
            {"name": "NASA", "note": "vendor", "segments": [("modification", ["Ac"]), ("acth", ["Met"]),
                                                              ("modification", ["NH2"])]}]
    root = parse(figures.alignment("fig-a", seqs, origins))
    assert_labelled(root)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts.count("end cap") == 2 and "ACTH" in texts and "Pro-Gly-Pro" in texts
    desc = root.find("svg:desc", NS).text
    assert "Semax: Met-Glu-His-Phe (acth-derived), Pro-Gly-Pro (pro-gly-pro tail)" in desc
    # Ac sits left of the first residue column and NH2 in the last column, so the residues line up.
    cells = {t.text: float(t.get("x")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.text in
             ("Ac", "NH2", "Met", "Pro")}
    assert cells["Ac"] < cells["Met"] < cells["Pro"] < cells["NH2"]


# ------------------------------------------------------------------------------------------ escaping, any data
any_text = st.text(min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(value=st.text(max_size=60))
def test_esc_makes_any_string_safe_xml_text_and_attribute(value):
    root = ET.fromstring(f'<x a="{esc(value)}">{esc(value)}</x>')
    kept = "".join(c for c in value if c in "\t\n\r" or (" " <= c and c not in "\ufffe\uffff"
                                                         and not "\ud800" <= c <= "\udfff"))
    assert (root.text or "") == kept.replace("\r\n", "\n").replace("\r", "\n")  # XML's own line-end rule
    # XML normalises whitespace in attribute values
    assert root.get("a") == kept.replace("\r\n", "\n").replace("\t", " ").replace("\n", " ").replace("\r", " ")


@settings(max_examples=60, deadline=None)
@given(labels=st.lists(any_text, min_size=1, max_size=4), href=any_text)
def test_figures_stay_well_formed_with_hostile_data(labels, href):
    """Labels, links and names straight from data files can never break out of the SVG."""
    cl = [{"id": "m01", "verdict": "supported", "grade": "A", "href": href, "label": label} for label in labels]
    parse(figures.evidence_map("fig-map", [("supported", labels[0])], [("A", labels[-1])], cl))
    pts = [point(i, label=label, aria=label, href=href) for i, label in enumerate(labels)]
    parse(figures.landscape("fig-l", labels[0], pts, (1995, 2010), 3, False))
    ev = [{"number": 1, "when": 1990.0, "date": "1990", "kind": "study", "text": labels[0], "href": href,
           "aria": labels[0]}]
    parse(figures.timeline("fig-t", ev, [("study", labels[-1])]))
    origins = {"acth": {"label": labels[0], "short": labels[-1]}}
    parse(figures.alignment("fig-a", [{"name": labels[0], "note": labels[-1], "segments": [("acth", ["Met"])]}],
                            origins))


@pytest.mark.parametrize("words, width, lines", [("Randomised human trials", 16, ["Randomised human", "trials"]),
                                                 ("Supercalifragilistic", 5, ["Supercalifragilistic"]),
                                                 ("", 10, [])])
def test_wrap(words, width, lines):
    assert wrap(words, width) == lines
