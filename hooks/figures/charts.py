"""The site's four figures, each a pure function from plain data (already resolved to labels and link targets)
to one inline SVG. Layout constants are in viewBox units; the SVG scales to the column width."""

from __future__ import annotations

import math

from .svg import document, el, esc, link, multiline, num, shape, text, wrap

# ------------------------------------------------------------------------------------------------ evidence map
MAP_LABEL_W, MAP_HEAD_H, MAP_CELL_W = 124, 70, 96
CHIP_W, CHIP_H, CHIP_GAP, CELL_PAD = 40, 20, 4, 6


def evidence_map(fig_id, verdicts, grades, claims):
    """Verdict (rows) against grade (columns); every claim a chip in its cell, linked to its claim box.

    verdicts, grades: [(slug, label)] in display order; claims: [{id, verdict, grade, href, label}]."""
    per_row = max(1, (MAP_CELL_W - 2 * CELL_PAD + CHIP_GAP) // (CHIP_W + CHIP_GAP))
    cells = {}
    for claim in claims:
        cells.setdefault((claim["verdict"], claim["grade"]), []).append(claim)
    heights = {}
    for verdict, _ in verdicts:
        most = max([len(cells.get((verdict, g), [])) for g, _ in grades] + [1])
        heights[verdict] = max(40, math.ceil(most / per_row) * (CHIP_H + CHIP_GAP) - CHIP_GAP + 2 * CELL_PAD + 4)
    width = MAP_LABEL_W + MAP_CELL_W * len(grades)
    height = MAP_HEAD_H + sum(heights.values()) + 2
    parts = [text(MAP_LABEL_W + MAP_CELL_W * len(grades) / 2, 14, "Grade of the best evidence",
                  class_="sx-axis-title", text_anchor="middle"),
             text(6, MAP_HEAD_H - 8, "Verdict", class_="sx-axis-title")]
    for i, (grade, label) in enumerate(grades):
        x = MAP_LABEL_W + i * MAP_CELL_W + MAP_CELL_W / 2
        parts.append(text(x, 34, grade, class_="sx-head", text_anchor="middle"))
        parts.append(multiline(x, 48, wrap(label, 14)[:2], 12, class_="sx-small", text_anchor="middle"))
    y = MAP_HEAD_H
    for row, (verdict, label) in enumerate(verdicts):
        h = heights[verdict]
        parts.append(el("rect", x=0, y=y, width=width, height=h, class_=f"sx-band band-{row % 2}"))
        lines = wrap(label, 14)
        parts.append(multiline(8, y + h / 2 - (len(lines) - 1) * 7 + 4, lines, 14, class_="sx-label"))
        for i, (grade, _) in enumerate(grades):
            x0 = MAP_LABEL_W + i * MAP_CELL_W
            parts.append(el("rect", x=x0, y=y, width=MAP_CELL_W, height=h, class_="sx-cell"))
            for k, claim in enumerate(cells.get((verdict, grade), [])):
                cx = x0 + CELL_PAD + (k % per_row) * (CHIP_W + CHIP_GAP)
                cy = y + CELL_PAD + 2 + (k // per_row) * (CHIP_H + CHIP_GAP)
                chip = el("rect", x=float(cx), y=float(cy), width=float(CHIP_W), height=float(CHIP_H), rx=4.0,
                          class_=f"sx-chip verdict-{verdict}")
                parts.append(link(claim["href"], claim["label"], chip,
                                  text(cx + CHIP_W / 2, cy + 14, claim["id"].upper(), class_="sx-chip-text",
                                       text_anchor="middle")))
        y += h
    counts = ", ".join(f"{sum(1 for c in claims if c['verdict'] == v)} {label.lower()}" for v, label in verdicts)
    desc = (f"{len(claims)} audited claims placed by verdict (rows: {', '.join(label for _, label in verdicts)}) "
            f"and by evidence grade (columns {', '.join(g for g, _ in grades)}): {counts}. Each claim links to its "
            "verdict box; the same data are listed in the table below the figure.")
    return document(fig_id, "Evidence map: verdict against evidence grade for every audited claim", desc,
                    width, height, *parts, class_="sx-evidence-map")


# --------------------------------------------------------------------------------------------------- landscape
DESIGN_SHAPES = {"randomised": "circle", "controlled": "square", "open-label": "triangle",
                 "case-series": "diamond", "crossover": "hexagon", "pharmacokinetic": "triangle-down",
                 "meta-analysis": "star"}
# No letter when no risk of bias was assessed (a pooled analysis): a dash inside the mark read as a negative result.
RISK_LETTERS = {"low": "L", "moderate": "M", "unclear": "?", "serious": "S", "critical": "C", "none": ""}
# 350 wide: drawn at its own size (svg.document), a panel fits a phone's 358 px column without scrolling.
L_W, L_H = 350, 274
L_LEFT, L_RIGHT, L_TOP, L_BOTTOM = 58, 8, 12, 190  # the log-scale plot area
# The year axis runs right under n = 1; studies that report no n sit in a strip below the axis labels, named in
# words: a strip under "1" on a log axis read as "fewer than one participant".
L_AXIS_Y, L_UNKNOWN_N_Y = 194, 252
L_ND_W = 56  # the column for studies whose year was not seen
L_R = 10


def year_domain(years):
    """Axis range for publication years: whole five-year steps around the data (at least 10 years)."""
    known = [y for y in years if y is not None] or [2000]
    lo, hi = (min(known) - 1) // 5 * 5, -(-(max(known) + 1) // 5) * 5
    if hi - lo < 10:
        hi = lo + 10
    return lo, hi


def n_domain(ns):
    """Top of the log axis: the next power of ten above the largest n (at least 100)."""
    known = [n for n in ns if n]
    return max(2, math.ceil(math.log10(max(known) + 1))) if known else 2


def landscape(fig_id, label, points, years, top_power, unknown_year):
    """Studies by publication year (x) and size (y, log n); shape by design, colour and letter by risk of bias.

    points: [{label, year, n, design, risk, href}]; years: (lo, hi) shared by every panel; top_power: the log
    axis runs from 1 to 10**top_power; unknown_year: reserve a column for studies whose year was not seen."""
    lo, hi = years
    step = 5 if hi - lo <= 30 else 10

    def y_of(n):
        return L_UNKNOWN_N_Y if not n else L_BOTTOM - math.log10(n) / top_power * (L_BOTTOM - L_TOP)

    # Marks without a year share one column: marks whose heights would overlap form a row, centred side by side,
    # and the column is as wide as its longest row needs.
    undated = sorted((p for p in points if p["year"] is None), key=lambda p: (y_of(p["n"]), p["label"]))
    rows = []
    for p in undated:
        if rows and y_of(p["n"]) - y_of(rows[-1][-1]["n"]) < 2 * L_R + 2:
            rows[-1].append(p)
        else:
            rows.append([p])
    step_x = 2 * L_R + 3
    nd_w = max(L_ND_W, 16 + max([len(r) for r in rows] + [1]) * step_x) if unknown_year else 0
    right = L_W - L_RIGHT - nd_w

    def x_of(year):
        return right + 4 + nd_w / 2 if year is None else L_LEFT + (year - lo) / (hi - lo) * (right - L_LEFT)

    strip_top, strip_bottom = L_UNKNOWN_N_Y - 16, L_UNKNOWN_N_Y + 16
    parts = [el("rect", x=L_LEFT, y=L_TOP, width=right - L_LEFT, height=L_BOTTOM - L_TOP, class_="sx-plot"),
             el("rect", x=L_LEFT, y=strip_top, width=L_W - L_RIGHT - L_LEFT, height=strip_bottom - strip_top,
                class_="sx-plot sx-unknown")]
    if unknown_year:
        parts.append(el("rect", x=right + 8, y=L_TOP, width=nd_w - 8, height=L_BOTTOM - L_TOP,
                        class_="sx-plot sx-unknown"))
    for p in range(top_power + 1):
        y = y_of(10 ** p)
        parts.append(el("line", x1=L_LEFT, x2=right, y1=y, y2=y, class_="sx-gridline"))
        parts.append(text(L_LEFT - 6, y + 4, f"{10 ** p:,}", class_="sx-tick", text_anchor="end"))
    parts.append(multiline(L_LEFT - 6, L_UNKNOWN_N_Y - 2, ["n not", "reported"], 12, class_="sx-tick",
                           text_anchor="end"))
    parts.append(el("line", x1=L_LEFT, x2=L_W - L_RIGHT, y1=L_AXIS_Y, y2=L_AXIS_Y, class_="sx-axis"))
    for year in range(lo, hi + 1, step):
        x = x_of(year)
        parts.append(el("line", x1=x, x2=x, y1=L_TOP, y2=L_BOTTOM, class_="sx-gridline"))
        parts.append(text(x, L_AXIS_Y + 15, year, class_="sx-tick", text_anchor="middle"))
    if unknown_year:
        parts.append(text(x_of(None), L_AXIS_Y + 15, "year?", class_="sx-tick", text_anchor="middle"))
    parts.append(text(L_LEFT + (right - L_LEFT) / 2, L_AXIS_Y + 30, "Year of publication", class_="sx-axis-title",
                      text_anchor="middle"))
    parts.append(el("text", "Participants (log scale)", x=0, y=0, class_="sx-axis-title", text_anchor="middle",
                    transform=f"translate(16 {num((L_TOP + L_BOTTOM) / 2)}) rotate(-90)"))
    spot = {id(p): (x_of(None) + (i - (len(row) - 1) / 2) * step_x, y_of(p["n"]))
            for row in rows for i, p in enumerate(row)}
    placed = []
    for point in sorted(points, key=lambda p: (p["year"] is None, p["year"] or 0, -(p["n"] or 0), p["label"])):
        if point["year"] is None:
            x, y = spot[id(point)]
        else:
            x, y = _free_spot(x_of(point["year"]), y_of(point["n"]), placed, (L_LEFT + L_R, right - L_R))
        placed.append((x, y))
        risk = point["risk"]
        marker = shape(DESIGN_SHAPES[point["design"]], x, y, L_R, class_=f"sx-marker risk-{risk}")
        letter = [text(x, y + 4, RISK_LETTERS[risk], class_="sx-marker-text", text_anchor="middle")] \
            if RISK_LETTERS[risk] else []
        parts.append(link(point["href"], point["aria"], marker, *letter))
    desc = (f"{len(points)} studies plotted by year of publication and number of participants (log scale); "
            "the shape gives the design and the letter and colour the overall risk of bias (no letter: not "
            "assessed); studies that do not report their number of participants sit in the strip below the year axis. "
            "The table of studies on this page gives the same data.")
    return document(fig_id, label, desc, L_W, L_H, *parts, class_="sx-landscape")


def _free_spot(x, y, placed, bounds, gap=2 * L_R + 1):
    """Nearest free position on the same row within bounds (right, left, further right...), so markers never hide
    each other; if the row is full, the mark keeps its place."""
    for k in range(0, 40):
        dx = (k + 1) // 2 * gap * (1 if k % 2 else -1)
        if not bounds[0] - 0.01 <= x + dx <= bounds[1] + 0.01:
            continue
        if all(abs(x + dx - px) >= gap or abs(y - py) >= gap for px, py in placed):
            return x + dx, y
    return x, y


# ---------------------------------------------------------------------------------------------------- timeline
T_LABEL_W, T_RIGHT, T_TOP, T_LEVEL, T_R = 112, 20, 4, 26, 10


def timeline(fig_id, events, kinds):
    """Dated events on a time axis, one lane per kind; each numbered marker links to the event's source.

    events: [{number, when, date, kind, text, href, aria}] by date; kinds: [(slug, label)]."""
    if not events:
        return ""
    lo = math.floor(min(e["when"] for e in events) / 5) * 5
    hi = math.ceil((max(e["when"] for e in events) + 0.01) / 5) * 5
    width = 800
    x0, x1 = T_LABEL_W + T_R + 4, width - T_RIGHT - T_R

    def x_of(when):
        return x0 + (when - lo) / (hi - lo) * (x1 - x0)

    # Stack markers that would overlap into levels within their lane.
    levels, spots = {}, {}
    for e in events:
        x = x_of(e["when"])
        rows = levels.setdefault(e["kind"], [])
        for i, last in enumerate(rows):
            if x - last >= 2 * T_R + 3:
                rows[i] = x
                spots[e["number"]] = (x, i)
                break
        else:
            rows.append(x)
            spots[e["number"]] = (x, len(rows) - 1)
    parts, y, lane_y = [], T_TOP, {}
    for row, (kind, label) in enumerate(kinds):
        n = max(1, len(levels.get(kind, [])))
        h = n * T_LEVEL + 10
        lane_y[kind] = y
        parts.append(el("rect", x=0, y=y, width=width, height=h, class_=f"sx-band band-{row % 2}"))
        parts.append(text(8, y + h / 2 + 4, label, class_="sx-label"))
        y += h
    axis_y = y + 4
    step = 5 if hi - lo <= 30 else 10
    for year in range(lo, hi + 1, step):
        x = x_of(year)
        parts.append(el("line", x1=x, x2=x, y1=float(T_TOP), y2=float(axis_y), class_="sx-gridline"))
        parts.append(text(x, axis_y + 15, year, class_="sx-tick", text_anchor="middle"))
    parts.append(el("line", x1=float(x0 - T_R), x2=float(x1 + T_R), y1=float(axis_y), y2=float(axis_y),
                    class_="sx-axis"))
    parts.append(text(x0 + (x1 - x0) / 2, axis_y + 36, "Year", class_="sx-axis-title", text_anchor="middle"))
    for e in events:
        x, level = spots[e["number"]]
        cy = lane_y[e["kind"]] + 5 + T_LEVEL / 2 + level * T_LEVEL
        marker = el("circle", cx=x, cy=cy, r=float(T_R), class_=f"sx-event kind-{e['kind']}")
        parts.append(link(e["href"], e["aria"], marker,
                          text(x, cy + 3.5, e["number"], class_="sx-marker-text", text_anchor="middle")))
    height = axis_y + 44
    desc = (f"{len(events)} dated events from {events[0]['date'][:4]} to {events[-1]['date'][:4]}, one lane per kind "
            f"({', '.join(label.lower() for _, label in kinds)}). Each numbered marker links to its source; the "
            "numbered list below the figure gives every event in words.")
    return document(fig_id, "Timeline of Semax: development, registration, studies and regulatory events", desc,
                    width, height, *parts, class_="sx-timeline")


# --------------------------------------------------------------------------------------------------- alignment
A_CELL, A_GAP, A_LEFT, A_TOP, A_BLOCK = 44, 2, 4, 24, 84


def alignment(fig_id, sequences, origins):
    """Peptides aligned residue by residue, each residue coloured by origin, each segment bracketed and named.

    sequences: [{name, note, segments: [(origin, [residues])]}]; an N-terminal Ac sits in column 0 and a
    C-terminal NH2 in the last column, so the residues line up; origins: {slug: {label, short}}."""
    def core(seq):
        return [r for _, rs in seq["segments"] for r in rs if r not in ("Ac", "NH2")]

    length = max(len(core(s)) for s in sequences)
    columns = length + 2
    width = A_LEFT * 2 + columns * (A_CELL + A_GAP)
    parts = [text(_col_x(i + 1) + A_CELL / 2, 14, i + 1, class_="sx-tick", text_anchor="middle") for i in range(length)]
    y = A_TOP
    for seq in sequences:
        parts.append(text(A_LEFT, y + 13, seq["name"], class_="sx-head"))
        parts.append(text(A_LEFT + 8 * len(seq["name"]) + 14, y + 13, seq["note"], class_="sx-small"))
        row_y, column = y + 20, 1
        for origin, residues in seq["segments"]:
            cols = []
            for residue in residues:
                col = 0 if residue == "Ac" else columns - 1 if residue == "NH2" else column
                column += residue not in ("Ac", "NH2")
                cols.append(col)
                x = _col_x(col)
                parts.append(el("rect", x=float(x), y=float(row_y), width=float(A_CELL), height=30.0, rx=3.0,
                                class_=f"sx-residue origin-{origin}"))
                parts.append(text(x + A_CELL / 2, row_y + 19.5, residue, class_="sx-residue-text",
                                  text_anchor="middle"))
            # A bracket under each segment names its origin in words: colour is not the only cue.
            bx0, bx1, by = _col_x(min(cols)) + 3, _col_x(max(cols)) + A_CELL - 3, row_y + 37
            parts.append(el("path", d=f"M{num(bx0)} {num(by - 3)}V{num(by)}H{num(bx1)}V{num(by - 3)}",
                            class_=f"sx-bracket origin-{origin}"))
            parts.append(text((bx0 + bx1) / 2, by + 13, origins[origin]["short"], class_="sx-small",
                              text_anchor="middle"))
        y += A_BLOCK
    desc = "; ".join(f"{s['name']}: " + ", ".join(f"{'-'.join(rs)} ({origins[o]['label'].lower()})"
                                                   for o, rs in s["segments"]) for s in sequences) + "."
    names = [s["name"] for s in sequences]
    label = "Sequence alignment of " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])
    return document(fig_id, label, desc, width, y - 4, *parts, class_="sx-alignment")


def _col_x(col):
    return A_LEFT + col * (A_CELL + A_GAP)


# ------------------------------------------------------------------------------------------------------ PRISMA
# Narrow on purpose: the diagram scales to a phone's column (358 px) with its 13-unit text still above 11 px.
P_W, P_STAGE_W, P_MAIN_W, P_GAP, P_LINE, P_PAD, P_VGAP = 400, 24, 196, 18, 16, 7, 20
P_WRAP_MAIN, P_WRAP_SIDE = 26, 21  # characters per line in a main box and in a side box


def _box_lines(lines, width):
    return [part for line in lines for part in wrap(line, width)]


def prisma(fig_id, label, description, stages):
    """A PRISMA 2020 flow diagram: one row per step, the main box on the left (arrows down the flow) and the
    box of what left the flow at that step on the right (arrow across).

    stages: [{stage, main: [lines], side: [lines] or None}]; `stage` names a phase (Identification, Screening,
    Included) and is drawn once where it changes."""
    main_x = P_STAGE_W + 8
    side_x = main_x + P_MAIN_W + P_GAP
    side_w = P_W - side_x - 2
    parts, y, phases = [], 8, []
    for i, step in enumerate(stages):
        main = _box_lines(step["main"], P_WRAP_MAIN)
        side = _box_lines(step["side"] or [], P_WRAP_SIDE)
        h = max(len(main), len(side), 2) * P_LINE + 2 * P_PAD
        parts.append(el("rect", x=main_x, y=y, width=P_MAIN_W, height=h, rx=3.0, class_="sx-flow-box"))
        parts.append(multiline(main_x + P_PAD, y + P_PAD + 12, main, P_LINE, class_="sx-flow-text"))
        if side:
            parts.append(el("rect", x=side_x, y=y, width=side_w, height=h, rx=3.0,
                            class_="sx-flow-box sx-flow-side"))
            parts.append(multiline(side_x + P_PAD, y + P_PAD + 12, side, P_LINE, class_="sx-flow-text"))
            parts.append(el("line", x1=main_x + P_MAIN_W, x2=side_x - 4, y1=y + h / 2, y2=y + h / 2,
                            class_="sx-flow-arrow", marker_end=f"url(#{fig_id}-arrow)"))
        if i < len(stages) - 1:
            parts.append(el("line", x1=main_x + P_MAIN_W / 2, x2=main_x + P_MAIN_W / 2, y1=y + h,
                            y2=y + h + P_VGAP - 4, class_="sx-flow-arrow", marker_end=f"url(#{fig_id}-arrow)"))
        if not phases or phases[-1][0] != step["stage"]:
            phases.append([step["stage"], y, y + h])
        else:
            phases[-1][2] = y + h
        y += h + P_VGAP
    for name, top, bottom in phases:
        parts.append(el("rect", x=2, y=top, width=P_STAGE_W - 4, height=bottom - top, rx=3.0, class_="sx-flow-stage"))
        parts.append(el("text", esc(name), x=0, y=0, class_="sx-flow-stage-text", text_anchor="middle",
                        transform=f"translate({num(P_STAGE_W / 2 + 4)} {num((top + bottom) / 2)}) rotate(-90)"))
    arrow = el("defs", el("marker", el("path", d="M0,0 L8,4 L0,8 z", class_="sx-flow-head"), id=f"{fig_id}-arrow",
                          viewBox="0 0 8 8", refX=8.0, refY=4.0, markerWidth=8.0, markerHeight=8.0,
                          orient="auto"))
    return document(fig_id, label, description, P_W, y - P_VGAP + 8, arrow, *parts, class_="sx-prisma")
