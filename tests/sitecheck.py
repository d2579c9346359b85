"""Checks on a built site, shared by the tests on the real site and the planted-error fixtures.

Each function returns a list of problems as readable strings (empty when all is well), so a failing test
names the page and what is wrong.
"""

import collections
import itertools
import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

import sitedata
from sitedata import checks

LYCHEE = Path(sys.executable).parent / "lychee"

# Pages that are generated, navigational or about our own method: they state no fact about Semax that
# needs a citation (the claim boxes they list carry their own sources).
CITATION_EXEMPT = {"references.md", "evidence/index.md", "evidence/claims-audit.md", "evidence/method.md",
                   "evidence/about.md", "evidence/changelog.md"}
# Blocks that hold no factual prose of their own. A study's characteristics block (generated from
# references/studies.yaml, checked there) cites its report once, in its first entry.
SKIP_CLASSES = {"claim-box", "footnote", "cite-page", "disclaimer", "editorial", "nosource", "ref-entry", "checks-line",
                "admonition-title", "md-source-file", "tabbed-labels", "print-header", "sx-characteristics"}
MIN_WORDS = 6


def soup_of(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def page_url(src_uri):
    """The site-relative URL of a page source (use_directory_urls): 'mechanisms/bdnf-trkb/', '' for the home page."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def html_file(site, src_uri):
    """The built HTML file of a page source."""
    return Path(site) / page_url(src_uri) / "index.html"


def article(soup):
    return soup.select_one("article.md-content__inner") or soup


def _skipped(tag):
    for parent in [tag, *tag.parents]:
        if SKIP_CLASSES & set(parent.get("class") or []):
            return True
    return False


def uncited_blocks(soup):
    """Paragraphs, list items and table rows of the article that state something but cite nothing."""
    problems = []
    body = article(soup)
    for tag in body.find_all(["p", "li", "tr"]):
        if _skipped(tag) or tag.find_parent("thead") or tag.find("th") and not tag.find("td"):
            continue
        if tag.name == "li" and tag.find(["ul", "ol"]):
            continue  # judged by its own sub-items
        if tag.name == "p" and tag.find_parent("li"):
            continue  # judged as part of its list item
        if tag.name == "p" and tag.find_parent("td"):
            continue
        text = " ".join(tag.get_text(" ").split())
        if len(text.split()) < MIN_WORDS:
            continue
        cited = tag.select_one("a.footnote-ref, sup[id^='fnref'] a, a[href*='#claim-']")
        if not cited:
            problems.append(f"<{tag.name}> without a citation: {text[:90]!r}")
    return problems


def raw_citations(soup):
    """`[@key]` left in the HTML means citations were not processed (e.g. a build tool ignored mkdocs-bibtex)."""
    text = article(soup).get_text(" ")
    return [f"unprocessed citation {m!r}" for m in re.findall(r"\[@[\w-]+[^\]]*\]", text)]


# Markdown or hook syntax that should never reach a reader: its presence means a block failed to render
# (a mis-indented admonition, a broken table, a marker no hook replaced, a citation split across lines).
LEFTOVERS = ("!!! ", ":claim:", ":bibliography:", ":claims-table:", ":grades-table:", ":verdicts-table:",
             ":checks-coverage:", ":corrections:",
             ":grade-history:", "{ .", "{:", "|---", "[^", "```", "[@", "</div>", "markdown>", "**")


def markdown_leftovers(soup):
    body = article(soup).__copy__()
    for code in body.find_all(["code", "pre"]):
        code.decompose()
    text = body.get_text(" ")
    return [f"unrendered {s!r} near {text[max(0, text.index(s) - 40):text.index(s) + 40]!r}"
            for s in LEFTOVERS if s in text]


def duplicate_headings(soup):
    seen, problems = {}, []
    for h in article(soup).find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        text = " ".join(h.get_text(" ").replace("¶", "").split())
        if text in seen:
            problems.append(f"heading {text!r} appears twice ({seen[text]} and {h.name})")
        seen[text] = h.name
    ids = [t["id"] for t in soup.find_all(id=True)]
    problems += [f"id {i!r} is used more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    return problems


def images_without_alt(soup):
    return [f"<img src={img.get('src')!r}> has no alt text" for img in soup.find_all("img")
            if not (img.get("alt") or "").strip()]


def run_lychee(site):
    """Offline check of every internal link and #fragment in the built site. Returns (ok, report)."""
    cmd = [str(LYCHEE), "--offline", "--include-fragments", "--index-files", "index.html", "--no-progress",
           "--root-dir", str(Path(site).resolve()), "--format", "detailed", str(site)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    return result.returncode == 0, result.stdout + result.stderr


def uncited_keys(refs, index):
    """Bibliography entries that no page and no claim cites."""
    return [f"{ref.path.name}:{ref.line}: {key}: not cited anywhere" for key, ref in refs.items()
            if key not in index.cited_by]


def ledger_vs_seed(ledger, seed_ids):
    """Every ledger id must be a seed claim id, and every seed claim must be in the ledger."""
    problems = [f"{ledger.path.name}:{c.line}: {c.id}: not a claim id of the seed article"
                for c in ledger.claims.values() if c.id not in seed_ids]
    problems += [f"{ledger.path.name}: {i}: seed claim missing from the ledger" for i in sorted(seed_ids)
                 if i not in ledger.claims]
    return problems


def load_project(root):
    """Bibliography, ledger and page index of a project directory, the way the build reads them."""
    root = Path(root)
    refs = sitedata.load_bibliography(root / "references")
    ledger = sitedata.load_ledger(refs, root / "references" / "claims.yaml", root / "docs")
    studies = sitedata.load_studies(refs, root / "references" / "studies.yaml", root / "docs")
    studies.timeline = sitedata.load_timeline(refs, root / "references" / "timeline.yaml")
    sequences = sitedata.load_sequences(refs, root / "references" / "sequences.yaml")
    index = sitedata.scan_docs(refs, ledger, root / "docs", studies=studies, sequences=sequences)
    return refs, ledger, index


# ------------------------------------------------------------------------------------ prose against the studies
COUNT_RE = re.compile(r"\bn\s*=\s*(\d[\d,]*)|\b(\d[\d,]*)\s+(?:(?:adult|healthy|stroke|more|further|other)\s+)?"
                      r"(?:patients|participants|people|volunteers|subjects|operators|children)\b", re.I)
FOLLOW_RE = re.compile(r"follow(?:ed|-up|ing)?\b[^.;]{0,40}?\b(?:day\s+(\d+)|(\d+)\s+(day|week|month|year)s?\b)",
                       re.I)
DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"])")
NEGATION_RE = re.compile(r"\b(?:no|not|nobody|none|never|neither|nor|without)\b", re.I)


def _blocks(text):
    """(line, text) of each paragraph, list item and table row of a page's Markdown: the units the
    verification records use (sitedata.checks.units), so both checks read a page the same way."""
    return [(line, block) for line, block, *_ in checks.units(text)]


def _numbers(value):
    return {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", str(value)) if n.replace(",", "")}


def prose_vs_studies(docs_dir, studies):
    """Sentences that cite a study and state its size ("n = 40", "48 patients") or its follow-up ("follow-up to
    6 months", "followed to day 21") but disagree with the study's record: docs/page.md:line: key: problem.

    A number agrees when it is the record's total, an arm's n, the sum over the records of that source, or a
    number the record itself states in its population, arms, outcomes or notes (e.g. the pooled total of a
    meta-analysis). A follow-up agrees with follow_up_days (within 10%) or with a number in the follow-up text."""
    by_key = studies.by_key()
    problems = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(Path(docs_dir).parent).as_posix()
        for line, block in _blocks(text):
            block_keys = [u.key for u in sitedata.find_citations(block)]
            for sentence in SENTENCE_RE.split(block):
                keys = [u.key for u in sitedata.find_citations(sentence)] or block_keys
                records = [s for k in dict.fromkeys(keys) for s in by_key.get(k, [])]
                if not records:
                    continue
                sizes, follow = set(), set()
                for k in dict.fromkeys(keys):
                    group = by_key.get(k, [])
                    if group and all(s.n_total is not None for s in group):
                        sizes.add(sum(s.n_total for s in group))
                for s in records:
                    known = [a["n"] for a in s.arms if a["n"]][:8]
                    # any group of arms: a sub-study or both arms of one comparison inside a larger record
                    sizes |= {sum(c) for r in range(1, len(known) + 1) for c in itertools.combinations(known, r)}
                    sizes |= _numbers(s.population) | _numbers([a["label"] for a in s.arms])
                    sizes |= _numbers([o for o in s.outcomes]) | _numbers(s.notes or "")
                    follow |= _numbers(s.follow_up) | _numbers(s.duration)
                    if s.follow_up_days is not None:
                        follow.add(s.follow_up_days)
                where = f"{rel}:{line}: {keys[0]}"
                for m in COUNT_RE.finditer(sentence):
                    n = int((m.group(1) or m.group(2)).replace(",", ""))
                    if n not in sizes:
                        problems.append(f"{where}: prose says {m.group(0)!r}, the record has n = "
                                        f"{', '.join(str(s.n_total) for s in records)}")
                for m in FOLLOW_RE.finditer(sentence):
                    if NEGATION_RE.search(sentence[:m.end()]):
                        continue  # "no study followed patients to day 30" states no follow-up of anyone
                    value = int(m.group(1) or m.group(2))
                    days = value if m.group(1) else value * DAYS[m.group(3).lower()]
                    if value in follow or any(abs(days - f) <= max(3, 0.1 * f) for f in follow):
                        continue
                    problems.append(f"{where}: prose says {m.group(0)!r}, the record's follow-up is "
                                    f"{'; '.join(str(s.follow_up) for s in records)}")
    return problems


def print_page_problems(soup, titles):
    """The combined page print/ (hooks/printing.py): every page's title (`titles`, in navigation order) as the
    h1 of a part, in that order; every in-page link leads to an id; no id twice; every citation marker shows
    the number of the bibliography entry it leads to; no per-page list of citations left over."""
    body = article(soup)
    problems = []
    parts = body.select("section.print-part")
    found = [" ".join(p.find("h1").get_text(" ").replace("¶", "").split()) for p in parts if p.find("h1")]
    missing = [t for t in titles if t not in found]
    problems += [f"no part titled {t!r}" for t in missing]
    if not missing and [t for t in found if t in titles] != list(titles):
        problems.append("parts are not in navigation order")
    tagged = soup.find_all(id=True)
    counts = collections.Counter(t["id"] for t in tagged)  # one pass: the combined page has thousands of ids
    problems += [f"id {i!r} is used more than once" for i in sorted(i for i, n in counts.items() if n > 1)]
    ids = {t["id"]: t for t in tagged}
    for a in body.find_all("a", href=True):
        href = a["href"]
        if href.startswith("#") and href[1:] not in ids:
            problems.append(f"link {href!r} ({a.get_text(' ', strip=True)[:40]!r}) leads to no id in the page")
    for a in body.select("a.footnote-ref"):
        entry = ids.get(a["href"][1:]) if a["href"].startswith("#") else None
        number = entry.select_one(".ref-number") if entry else None
        if number is None or number.get_text(strip=True) != a.get_text(strip=True):
            problems.append(f"citation marker {a.get_text(strip=True)!r} -> {a['href']!r}: not a numbered entry")
    cited = {e["id"].split("--", 1)[-1] for e in body.select(".ref-entry[id]")}
    problems += [f"footnote list of citations left over: {li['id']}" for li in body.select(".footnote li[id]")
                 if li["id"].split("--fn:", 1)[-1] in cited]
    return problems
