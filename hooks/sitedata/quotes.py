"""What a verification record's quotes let a machine check about its statement.

- numbers: every number a statement states must be in a quote of one of its sources (after normalising decimal
  commas, thousands separators, number words in English and Russian, percentages and units), or be the result of
  a `derived` expression whose operands are quoted numbers, or (for a year, volume, issue or page range) be that
  field of a cited source's bib entry.
- hedges: when a quote qualifies what it says ("may", "suggests", "возможно"...), the statement qualifies it too,
  or the record says in `unhedged` why it does not.
- consistency: the numbers the site attributes to the same source on different pages; and a sentence saying a
  work's volume or pages could not be found while its bib entry gives them.

Not claims, and so not checked: digits inside a name (MC4R, IL-10, 5-HT, ACTH(4-10), ACTH 4-10, exon III),
citations and footnote markers (dropped with the citation), ordinal words ("first", "second") and "one" used as a
pronoun ("one of the", "no one"). Years ARE checked: a year stated in a sentence must be quoted or be the year
of a cited source's bib entry.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass

# ----------------------------------------------------------------------------------------------- numbers
_EN_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12, "single": 1, "once": 1, "twice": 2, "thrice": 3, "double": 2, "doubled": 2, "doubles": 2,
    "doubling": 2, "triple": 3, "tripled": 3, "half": 0.5, "halved": 0.5, "quarter": 0.25,
}
for _w, _v in list(_EN_WORDS.items()):
    if isinstance(_v, int) and 2 <= _v <= 100 and _w not in ("dozen", "double", "doubled", "doubles", "doubling",
                                                             "triple", "tripled", "twice", "thrice"):
        _EN_WORDS[_w + "fold"] = _v  # "tenfold", "threefold"
# Russian: every form a stem takes (один, одного, одной...; два, две, двух, двум...).
_RU_STEMS = [
    (r"одн(?:ого|ому|ой|им|ом|у|а|о|и)|один|однократн\w*|единственн\w*", 1),
    (r"дв(?:а|е|ух|ум|умя)|дважды|вдвое|двукратн\w*", 2),
    (r"тр(?:и|ех|ёх|ем|ём|емя|ижды)|втрое|трехкратн\w*|трёхкратн\w*", 3),
    (r"четыр(?:е|ех|ёх|ем|ём|ьмя)|вчетверо", 4), (r"пят(?:ь|и|ью)|впятеро", 5), (r"шест(?:ь|и|ью)", 6),
    (r"сем(?:ь|и|ью)", 7), (r"вос(?:емь|ьми|емью)", 8), (r"девят(?:ь|и|ью)", 9),
    (r"десят(?:ь|и|ью)|вдесятеро|десятикратн\w*", 10), (r"двадцат(?:ь|и|ью)", 20), (r"тридцат(?:ь|и|ью)", 30),
    (r"сорок(?:а)?", 40), (r"пятьдесят|пятидесяти", 50), (r"сто|ста", 100),
    (r"половин(?:а|у|ы|е|ой)|вполовину", 0.5),
]
_RU_WORD_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<ru{i}>{p})" for i, (p, _) in enumerate(_RU_STEMS))
                         + r")(?![\w-])", re.I)
_EN_WORD_RE = re.compile(r"(?<![\w-])(" + "|".join(sorted(_EN_WORDS, key=len, reverse=True)) + r")(?![\w])", re.I)
# "one" as a pronoun, not a count
_ONE_PRONOUN_RE = re.compile(r"\b(?:no|any|each|every|the|this|that|which|someone|anyone)\s+one\b"
                             r"|\bone\s+(?:of|another|or more|such|way|side|hand|with|whose|that|which|who|where)\b",
                             re.I)
# "single-centre", "single-blind": a design, not a count
_NOT_A_COUNT_RE = re.compile(r"single[-\s](?:centre|center|site|blind|arm|group)", re.I)
# Digits that belong to a name: letters or an opening bracket right before them (MC4R, IL-10, 5-HT, ACTH(4-10),
# H2O, D2), or ACTH / exon / clause / phase words right before them.
_NAME_BEFORE_RE = re.compile(r"(?:[A-Za-zА-Яа-яё]-?|ACTH\s*\(|ACTH\s|\(\s*ACTH\s)$")
_NAME_AFTER_RE = re.compile(r"^(?:-?[A-Za-z]{1,3}\d|-?[A-Z]{2,}\b|[A-Za-z]?\d)")  # 5-HT, 3H-Semax is below
_NUMBER_RE = re.compile(
    r"(?<![\w.,])"
    r"(?P<num>\d{1,3}(?:[,\u00a0\u202f\u2009 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|[.,]\d+)"
    r"(?P<fold>\s*-?\s*(?:fold|times|раз(?:а)?)\b)?"
    r"(?P<pct>\s*(?:%|per ?cent|процент\w*))?")
_UNIT_RE = re.compile(r"\s*(?P<unit>[μµu]g|mcg|мкг|mg|мг|ng|нг|g|г|kg|кг|ml|мл|μl|µl|мкл|l|л|h|hours?|hrs?|ч|час\w*"
                      r"|min|minutes?|мин\w*|s|sec|seconds?|с|сек\w*|days?|дн\w*|сут\w*|weeks?|нед\w*|months?|мес\w*"
                      r"|years?|год\w*|лет|nM|нМ|μM|µM|мкМ|mM|мМ|pM|nmol|нмоль|μmol|мкмоль|mmol|ммоль)(?![\w])", re.I)
_SCALE = {"mass": {"g": 1, "г": 1, "mg": 1e-3, "мг": 1e-3, "μg": 1e-6, "µg": 1e-6, "ug": 1e-6, "mcg": 1e-6,
                   "мкг": 1e-6, "ng": 1e-9, "нг": 1e-9},
          "volume": {"l": 1, "л": 1, "ml": 1e-3, "мл": 1e-3, "μl": 1e-6, "µl": 1e-6, "мкл": 1e-6},
          "conc": {"mm": 1e-3, "мм": 1e-3, "μm": 1e-6, "µm": 1e-6, "мкм": 1e-6, "nm": 1e-9, "нм": 1e-9,
                   "pm": 1e-12},
          "amount": {"mmol": 1e-3, "ммоль": 1e-3, "μmol": 1e-6, "мкмоль": 1e-6, "nmol": 1e-9, "нмоль": 1e-9}}
_TIME = [(r"h|hours?|hrs?|ч|час\w*", 3600), (r"min|minutes?|мин\w*", 60), (r"s|sec|seconds?|с|сек\w*", 1),
         (r"days?|дн\w*|сут\w*", 86400), (r"weeks?|нед\w*", 604800)]
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")


@dataclass(frozen=True)
class Number:
    value: float
    shown: str  # as written in the text
    unit: str = ""
    start: int = 0
    pct: bool = False

    def __str__(self):
        return self.shown


def _value(digits):
    """A written number as a float: '1,4' and '1.4' are 1.4; '1,000', '10 000' are thousands."""
    d = digits.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if re.fullmatch(r"\d{1,3}(?:[ ,]\d{3})+", d):
        return float(re.sub(r"[ ,]", "", d))
    if re.fullmatch(r"\d{1,3}(?: \d{3})+[.,]\d+", d):
        d = d.replace(" ", "")
    return float(d.replace(",", "."))


def strip_non_claims(text):
    """The text without what is not a claim: citations, footnote markers, link targets, Markdown, HTML tags."""
    text = re.sub(r"\[(?:[^\[\]\n]*?;\s*)?@[\w-]+[^\[\]\n]*\]", " ", text)  # [@key], [see @a; @b, p. 4]
    text = re.sub(r"\[\^[^\]]*\]", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\{[^}]*\}", " ", text)
    return text.replace("**", "").replace("`", "")


_NAME_RE = re.compile(r"\b(?:PMID|PMCID|PMC|DOI|ISSN|ISBN|NCT|ISRCTN|RU|EP|US|WO)\s*:?\s*[\w./-]*\d[\w./-]*"
                      r"|\bACTH\s*\(?\s*\d+\s*[-–]\s*\d+\s*\)?|\b[A-Za-z]+[-–]?\d+(?:[-–/]\d+)*[A-Za-z]*\b")


_GLUED_RE = re.compile(r"(?<![\W\d_])(?=\d)")


def numbers(text, quoted=False):
    """Every number stated in the text, in order. `quoted`: read a quoted passage generously (digits glued to a
    word on a scraped page, 'Mol. mass813.92', and digits in names count), since a quote only has to contain a
    statement's numbers."""
    if quoted:
        text = _GLUED_RE.sub(" ", strip_non_claims(text))
    else:
        text = _NAME_RE.sub(lambda m: " " * len(m.group(0)), strip_non_claims(text))  # names keep their place
    out = []
    for m in _NUMBER_RE.finditer(text):
        before, after = text[max(0, m.start() - 7):m.start()], text[m.end():m.end() + 4]
        if not quoted and (_NAME_BEFORE_RE.search(before) or (not m.group("fold") and not m.group("pct")
                                                              and _NAME_AFTER_RE.match(after))):
            continue
        if not quoted and re.match(r"^-?H-", text[m.end("num"):m.end("num") + 3]):  # 3H-Semax: a label
            continue
        try:
            value = _value(m.group("num"))
        except ValueError:
            continue
        unit = ""
        if not m.group("fold") and not m.group("pct"):
            u = _UNIT_RE.match(text, m.end())
            unit = u.group("unit").lower() if u else ""
        out.append(Number(value, m.group(0).strip(), unit, m.start(), bool(m.group("pct"))))
    pronouns = [p.span() for p in _ONE_PRONOUN_RE.finditer(text)]
    for m in _EN_WORD_RE.finditer(text):
        if any(a <= m.start() < b for a, b in pronouns) or _NOT_A_COUNT_RE.match(text, m.start()):
            continue
        out.append(Number(float(_EN_WORDS[m.group(1).lower()]), m.group(1), "", m.start()))
    for m in _RU_WORD_RE.finditer(text):
        i = next(int(k[2:]) for k, v in m.groupdict().items() if v)
        out.append(Number(float(_RU_STEMS[i][1]), m.group(0), "", m.start()))
    return sorted(out, key=lambda n: n.start)


def _variants(n):
    """The values a quoted number can stand for: itself, the same quantity in related units, and a proportion
    as a percentage and back."""
    vals = {n.value}
    unit = n.unit.lower()
    for scale in _SCALE.values():
        if unit in scale:
            vals |= {n.value * scale[unit] / s for s in scale.values()}
    for pat, secs in _TIME:
        if re.fullmatch(pat, unit):
            vals |= {n.value * secs / s for _, s in _TIME}
    if n.pct:
        vals.add(n.value / 100)
    elif 0 < n.value < 1:
        vals.add(n.value * 100)
    return vals


def _decimals(shown):
    m = re.search(r"[.,](\d+)(?!.*\d)", shown.replace("\u00a0", ""))
    return len(m.group(1)) if m and not re.fullmatch(r"\d{1,3}(?:,\d{3})+", shown) else 0


def matches(stated, pool):
    """Whether a stated number is one of the pooled (quoted) values, allowing the statement to round a quoted
    value to the precision it is written in ("about 45%" for 44.8%), never the other way round."""
    places = _decimals(stated.shown) if any(c.isdigit() for c in stated.shown) else 0
    for v in pool:
        if abs(v - stated.value) <= 1e-9 * max(1, abs(v)):
            return True
        if v != int(v) and abs(round(v + 1e-12, places) - stated.value) <= 1e-9 * max(1, abs(v)):
            return True
    return False


def quote_pool(texts):
    """Every value the quoted texts carry, with their unit and percentage variants."""
    pool = set()
    for t in texts:
        for n in numbers(t, quoted=True):
            pool |= _variants(n)
            if re.fullmatch(r"\d,\d{3}", n.shown):  # "1,250": a thousand and more in English, 1.25 in Russian
                pool |= _variants(Number(float(n.shown.replace(",", ".")), n.shown, n.unit, pct=n.pct))
    return pool


_COUNT_OF_WORKS_RE = re.compile(r"^\W*(?:\w+\W+){0,4}?(?:trials?|stud(?:y|ies)|papers?|reports?|reviews?|articles?|"
                                r"sources?|records?|labels?|works?|groups?|teams?|labs?)\b", re.I)


def counts_cited_works(stmt, n):
    """'Two trials [@a; @b]': a count of the works the statement cites, not a number from one of them."""
    text = strip_non_claims(stmt.text)
    return n.value == len(stmt.keys) and bool(_COUNT_OF_WORKS_RE.match(text[_after(text, n):]))


# ----------------------------------------------------------------------------------------------- derived
# Conversion constants a derivation may use without a quote: days in a week, months in a year, hours in a day,
# weeks in a year, minutes in an hour, per cent, days in a year, milli/micro.
CONSTANTS = {7, 12, 24, 52, 60, 100, 365, 1000}
_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def parse_derived(text):
    """'18 / 0.4 = 45' -> ([18.0, 0.4], value of the left side, 45.0). Only numbers, + - * / and brackets."""
    if text.count("=") != 1:
        raise ValueError("write it as 'arithmetic = result', e.g. '18 / 0.4 = 45'")
    left, right = (p.strip().replace(",", ".") for p in text.split("="))
    right = right.rstrip("%").strip()
    try:
        tree = ast.parse(left, mode="eval")
        result = float(right)
    except (SyntaxError, ValueError):
        raise ValueError("only numbers, + - * / and brackets on the left, one number on the right") from None
    operands = []

    def ev(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value,
                                                                                                     bool):
            operands.append(float(node.value))
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            a, b = ev(node.left), ev(node.right)
            if isinstance(node.op, ast.Div) and b == 0:
                raise ValueError("division by zero")
            return _OPS[type(node.op)](a, b)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        raise ValueError("only numbers, + - * / and brackets on the left, one number on the right")

    value = ev(tree.body)
    places = _decimals(right)
    if abs(round(value, places) - result) > 1e-9 * max(1, abs(result)):
        raise ValueError(f"the left side gives {value:g}, not {right}")
    return operands, value, result


# ----------------------------------------------------------------------------------------------- hedges
HEDGE_WORDS = ["may", "might", "possibly", "possible", "suggest", "suggests", "suggested", "suggesting",
               "appear", "appears", "appeared", "apparently", "could", "likely", "preliminary", "perhaps",
               "probably", "probable", "presumably", "putative", "putatively", "seem", "seems", "hypothesis",
               "hypothesize", "hypothesise", "hypothesized", "hypothesised", "speculate", "speculated",
               "presumed", "tentative", "tentatively"]
HEDGE_RU = [r"возможн\w*", r"может", r"могут", r"мог(?:ла|ли|ло)?", r"предположительно", r"вероятн\w*",
            r"по-видимому", r"видимо", r"предполага\w*", r"предположени\w*", r"не исключ\w*", r"кажется",
            r"гипотез\w*", r"по всей видимости", r"предварительн\w*"]
# What counts as a qualifier in our statement: the same words, and the ways we write doubt or attribution.
STATEMENT_HEDGES = HEDGE_WORDS + [
    "can", "uncertain", "unclear", "unknown", "unproven", "not established", "not shown", "whether", "propose",
    "proposes", "proposed", "speculative", "hypothesised", "hypothesized", "in their view", "interpret",
    "interprets", "interpreted", "the authors think", "the authors believe", "believe", "think", "thought",
    "raises the possibility", "possibility", "potential", "potentially", "indicate", "indicates", "hint",
    "hints", "consistent with", "at most", "not tested", "not confirmed", "limited", "weak"]
_NEGATED_RE = re.compile(r"\b(?:could|might)\s+not\b|\bcouldn[’']t\b|\bMay\s+\d|\b\d{1,2}\s+May\b")
_HEDGE_EN_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, HEDGE_WORDS)) + r")\b", re.I)
_HEDGE_RU_RE = re.compile(r"(?<![\w-])(?:" + "|".join(HEDGE_RU) + r")(?![\w-])", re.I)
_STATEMENT_HEDGE_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, STATEMENT_HEDGES)) + r")\b", re.I)


def hedges(quote):
    """The qualifiers of a quoted passage ("may", "suggests", "возможно"...), in order; "could not" and the month
    May are not qualifiers."""
    text = _NEGATED_RE.sub(" ", quote)
    found = [m.group(0) for m in _HEDGE_EN_RE.finditer(text)]
    return found + [m.group(0) for m in _HEDGE_RU_RE.finditer(text)]


def statement_hedged(text):
    return bool(_STATEMENT_HEDGE_RE.search(_NEGATED_RE.sub(" ", strip_non_claims(text))) or hedges(text))


# ----------------------------------------------------------------------------------------------- the checks
def _bib_numbers(ref):
    """Numbers of a cited source's bib entry that a sentence may state without a quote: its year, volume, issue
    and pages (these are checked against the stored page when the entry is written)."""
    pool = set()
    for name in ("year", "volume", "number", "pages"):
        value = ref.get(name)
        for n in numbers(str(value or "").replace("--", "-")):
            pool.add(n.value)
    return pool


def record_problems(stmt, record, refs=None):
    """Number and hedge problems of one statement against its record's quotes: `where: fingerprint: message`.
    Applied when at least one source has a quote."""
    srcs = record.sources
    quotes = [src[k] for src in srcs.values() for k in ("quote", "quote_en") if src.get(k)]
    if not quotes:
        return []
    out = []
    pool = quote_pool(quotes)
    derived_results = set()
    for d in record.data.get("derived") or []:
        d = [d] if isinstance(d, str) else d
        for expr in d if isinstance(d, list) else [d]:
            operands, _, result = parse_derived(expr)
            missing = [o for o in operands if not matches(Number(o, f"{o:g}"), pool) and o not in CONSTANTS]
            if missing:
                out.append(f"{stmt.where}: {stmt.fingerprint}: derived {expr!r}: operand {missing[0]:g} not in any "
                           "quote")
            else:
                derived_results.add(result)
    bib = set()
    for key in stmt.keys:
        if refs and key in refs:
            bib |= _bib_numbers(refs[key])
    seen = set()
    for n in numbers(stmt.text):
        ok = (matches(n, pool | derived_results) or (n.value in bib and "." not in n.shown)
              or counts_cited_works(stmt, n))
        if not ok and n.shown.lower() not in seen:
            seen.add(n.shown.lower())
            out.append(f"{stmt.where}: {stmt.fingerprint}: number {n.shown} not in any quote")
    if not record.data.get("unhedged") and not statement_hedged(stmt.text):
        for key, src in srcs.items():
            found = hedges(src.get("quote") or "")
            if found:
                out.append(f"{stmt.where}: {stmt.fingerprint}: the quote of {key} says {found[0]!r} but the "
                           "statement carries no qualifier (add one, or give the reason in 'unhedged')")
                break
    return out


def number_problems(page_stmts, checks, refs=None):
    """Number and hedge problems of every live statement whose record has a quote."""
    out = []
    for page, stmts in sorted(page_stmts.items()):
        records = checks.get(page, {})
        for s in stmts:
            r = records.get(s.fingerprint)
            if r and r.data["verdict"] != "unchecked":
                out += record_problems(s, r, refs)
    return out


# ------------------------------------------------------------------------------------------ consistency
_CONTEXT_RE = re.compile(r"\s*(?:-\s*)?(?:\([^)]*\)\s*)?([A-Za-zА-Яа-яё%μµ/]+(?:\s*/\s*[A-Za-zμµ]+)?)")
_CONTEXT_STOP = {"and", "or", "to", "of", "in", "the", "a", "an", "at", "on", "with", "for", "by", "from",
                 "vs", "versus", "than", "each", "per", "were", "was", "is", "are", "had", "more", "less", "times"}
_NOUN_CONTEXT = {"patients", "participants", "people", "subjects", "volunteers", "children", "rats", "mice",
                 "trials", "studies", "days", "weeks", "months", "years", "doses", "agents", "drugs", "centres",
                 "centers", "groups", "women", "men", "adults", "healthy", "cases", "%", "mg", "μg/kg", "mg/kg",
                 "ug/kg", "mcg", "μg", "ml", "hours", "minutes", "h", "min", "fold", "amino", "genes"}


_PEOPLE = {"people", "participants", "subjects", "volunteers", "adults", "healthy", "operators", "men", "women"}
_LIST_RE = re.compile(r"\s*(?:,|and|or|to|-|–)\s*(?:and\s+)?\d+(?:[.,]\d+)?")


def _context(text, n):
    """The word that says what a number counts ('40 patients' -> 'patients'; '16, 11 and 9 people' -> 'people'
    for all three), or '' when it is not one of the quantities compared across pages. A percentage is compared
    only with percentages of the same word ('70% of', '0.1% label' differ); an error bar (± 1.0) never."""
    rest = _NAME_RE.sub(lambda m: " " * len(m.group(0)), strip_non_claims(text))
    at = _after(rest, n)
    if rest[:n.start].rstrip().endswith("±"):
        return ""
    while True:  # skip the rest of a list or range: "16, 11 and 9 people"
        m = _LIST_RE.match(rest, at)
        if not m:
            break
        at = m.end()
    if n.pct:
        m = re.match(r"\s*(?:%|per ?cent)?\s*(\w+)", rest[at:])
        return "% " + (m.group(1).lower() if m else "")
    if n.shown.lower().endswith("fold") or "times" in n.shown.lower():
        return "fold"
    unit = n.unit
    if not unit:
        u = _UNIT_RE.match(rest, at)
        unit = u.group("unit") if u else ""
    if unit:
        return unit.lower().replace("µ", "μ").replace("mcg", "μg").replace("ug", "μg")
    m = _CONTEXT_RE.match(rest, at)
    word = m.group(1).lower() if m else ""
    if "/" in word:
        word = word.replace(" ", "").replace("µ", "μ").replace("ug", "μg").replace("mcg", "μg")
    if word in _PEOPLE:
        return "people"
    return word if word in _NOUN_CONTEXT and word not in _CONTEXT_STOP else ""


def _after(text, n):
    at = text.find(n.shown, max(0, n.start - 2))
    return at + len(n.shown) if at >= 0 else n.start + len(n.shown)


def attributions(page_stmts):
    """{source key: {context word: {page: {value: [Statement]}}}} for statements that cite one source only (a
    number in a statement citing several cannot be given to one of them)."""
    out = {}
    for page, stmts in page_stmts.items():
        for s in stmts:
            if len(s.keys) != 1 or s.generated:
                continue
            for n in numbers(s.text):
                ctx = _context(s.text, n)
                if ctx and not _YEAR_RE.match(n.shown):
                    out.setdefault(s.keys[0], {}).setdefault(ctx, {}).setdefault(page, {}).setdefault(
                        n.value, []).append(s)
    return out


def contradictions(page_stmts, checks):
    """Numbers of the same kind ("patients", "%", "mg/kg") that pages attribute to the same source and that share
    no value between two pages: `key: context: page A says x (where); page B says y (where)`. A pair is
    resolved when either statement's record gives `same_as_elsewhere` (the two are different quantities)."""
    out = []
    for key, by_ctx in sorted(attributions(page_stmts).items()):
        for ctx, by_page in sorted(by_ctx.items()):
            pages = sorted(by_page)
            for i, a in enumerate(pages):
                for b in pages[i + 1:]:
                    va, vb = set(by_page[a]), set(by_page[b])
                    if va & vb:
                        continue
                    stmts = [s for v in va for s in by_page[a][v]] + [s for v in vb for s in by_page[b][v]]
                    if any((checks.get(s.page, {}).get(s.fingerprint) is not None
                            and checks[s.page][s.fingerprint].data.get("same_as_elsewhere")) for s in stmts):
                        continue
                    sa, sb = by_page[a][min(va)][0], by_page[b][min(vb)][0]
                    here, there = (", ".join(f"{v:g}" for v in sorted(vs)) for vs in (va, vb))
                    out.append(f"{sa.where}: {sa.fingerprint}: {key}: '{ctx}' {here} here, but {there} on {sb.where} "
                               f"({sb.fingerprint}); fix one, or give the reason in 'same_as_elsewhere'")
    return out


_NOT_FOUND_RE = re.compile(
    r"\b(?P<f1>volume|pages|page numbers?|page range|first page|issue)\b[^.;]{0,80}?"
    r"\b(?P<n1>could not be found|not found|were not seen|was not seen|not seen|not confirmed|"
    r"could not be confirmed|unknown|not given|not available|are missing|is missing)\b"
    r"|\b(?P<n2>could not find|did not find|found no|not find|could not confirm|did not see)\b[^.;]{0,80}?"
    r"\b(?P<f2>volume|pages|page numbers?|page range|first page|issue)\b", re.I)


def bibliography_contradictions(page_stmts, refs):
    """A sentence saying a cited work's volume, issue or pages could not be found while its bib entry gives
    them."""
    out = []
    for _page, stmts in sorted(page_stmts.items()):
        for s in stmts:
            m = _NOT_FOUND_RE.search(strip_non_claims(s.text))
            if not m:
                continue
            said, what = (m.group("f1"), m.group("n1")) if m.group("f1") else (m.group("f2"), m.group("n2"))
            field_name = {"volume": "volume", "issue": "number"}.get(said.lower(), "pages")
            for key in s.keys:
                ref = refs.get(key)
                value = ref.get(field_name) if ref else None
                if value:
                    out.append(f"{s.where}: {s.fingerprint}: says of {key} '{what.lower()} ... {said.lower()}', "
                               f"but its bib entry gives {field_name} = {value}")
    return out
