"""The data files themselves: bibliography and claims ledger, checked as the build reads them."""

import re
from urllib.parse import urlparse

from conftest import ROOT

import sitecheck
from sitedata import SECTION_OF, article, grading

# Hosts that served the cited page only over plain http (no https copy was seen). Anything else must be https.
HTTP_ONLY_HOSTS = {"semaxint.com", "old.img.ras.ru", "blekko.com", "artlife.rv.ua", "approvedhomemanagement.com",
                   "amgerasimov.ru", "en.shram.kiev.ua", "winstrol-cycle.review", "epitalon-science.com", "astmedj.ru",
                   "radiotec.ru", "j-asymmetry.com", "rjbc.ru", "2.mol.bio.msu.ru"}


def test_every_reference_is_cited(project):
    refs, _, index = project
    assert sitecheck.uncited_keys(refs, index) == []


def test_ledger_covers_exactly_the_seed_claims(project):
    seed = article.load_article_claims()
    _, ledger, _ = project
    assert sitecheck.ledger_vs_seed(ledger, {c["id"] for c in seed}) == []
    assert len(ledger.claims) == 56
    # The section a claim is listed under is the one its id letter files it under on the site.
    assert [c["id"] for c in seed if SECTION_OF.get(c["id"][0]) != c["section"]] == []


def test_every_claim_is_shown_once_on_its_page(project):
    _, ledger, index = project
    for claim in ledger.claims.values():
        assert claim.id in index.pages[claim.page].claims, f"{claim.id} not on {claim.page}"


def test_every_grade_is_the_computed_one_or_says_why(project):
    """One rule for every claim (sitedata.grading): the loader refuses any other grade; here the overrides are
    listed, so a reviewer sees at a glance which claims depart from the rule and why."""
    refs, ledger, _ = project
    overrides = []
    for claim in ledger.claims.values():
        computed = grading.computed_grade([refs[k].study_type for k in claim.sources or []], claim.kind or "effect")
        assert claim.computed_grade == computed, claim.id
        if claim.grade_override:
            assert claim.grade == claim.grade_override["grade"] != computed, claim.id
            assert len(claim.grade_override["reason"].split()) >= 8, f"{claim.id}: give the reason in a sentence"
            overrides.append(f"{claim.id}: {computed} -> {claim.grade}")
        else:
            assert claim.grade == computed, claim.id
    print("\noverrides: " + ", ".join(overrides))
    assert len(overrides) <= len(ledger.claims) // 4, "overrides are for exceptions, not the rule"


def test_every_grade_or_verdict_change_is_dated(project):
    """A claim reviewed again after the first edition keeps what it said before in a dated history entry."""
    _, ledger, _ = project
    for claim in ledger.claims.values():
        for old in claim.history or []:
            assert str(old["date"]) < str(claim.reviewed), claim.id
            assert old.get("note"), f"{claim.id}: a history entry says why it changed"


def test_no_source_is_entered_twice_under_different_keys(project):
    refs, _, _ = project
    seen, problems = {}, []
    for key, ref in refs.items():
        title = re.sub(r"\W+", " ", ref.display_title.lower()).strip()
        for ident in (f"pmid:{ref.get('pmid')}" if ref.get("pmid") else None,
                      f"doi:{ref.get('doi').lower()}" if ref.get("doi") else None,
                      f"title:{title}:{ref.year}" if len(title) > 25 else None):
            if ident and ident in seen:
                problems.append(f"{ref.path.name}:{ref.line}: {key}: same {ident} as {seen[ident]}")
            elif ident:
                seen[ident] = key
    assert problems == []


def test_links_readers_follow_use_https_where_the_host_has_it(project):
    # `url` is the link readers click; `seenat` records where we read a page, exactly as it was, so it may be http.
    refs, _, _ = project
    problems = []
    for key, ref in refs.items():
        parsed = urlparse(ref.get("url"))
        host = (parsed.hostname or "").removeprefix("www.")
        if parsed.scheme != "https" and host not in HTTP_ONLY_HOSTS:
            problems.append(f"{ref.path.name}:{ref.line}: {key}: {ref.get('url')} should use https")
        if re.fullmatch(r"[\d.]+", host):
            problems.append(f"{ref.path.name}:{ref.line}: {key}: {ref.get('url')} is a bare IP, not a canonical page")
    assert problems == []


# Mirrors, reprint sites, library proxies, aggregators and search pages: where a source was read on one of these,
# `seenat` says so, but the link readers follow (`url`) goes to PubMed or the DOI once either identifier is known.
MIRROR_HOSTS = ("easynih.org", "booksci.cn", "cricutcom-setup.com", "bib-bvb.de", "reviewer.ly", "beds.ac.uk",
                "ouci.dntb.gov.ua", "discovery.researcher.life", "acemap.info", "scite.ai", "openaire.eu",
                "daneshyari.com", "hypermuscles.com", "scribd.com", "docslib.org", "coek.info", "researchgate.net",
                "bvsalud.org", "dokumen.tips", "vdocuments.site")


def test_links_with_an_identifier_do_not_rest_on_mirrors(project):
    refs, _, _ = project
    problems = []
    for key, ref in refs.items():
        host = urlparse(ref.get("url")).hostname or ""
        mirror = re.fullmatch(r"[\d.]+", host) or any(host == h or host.endswith("." + h) for h in MIRROR_HOSTS)
        if mirror and (ref.get("pmid") or ref.get("doi")):
            problems.append(f"{ref.path.name}:{ref.line}: {key}: url {ref.get('url')} is a mirror: link PMID or DOI")
    assert problems == []


def test_pubmed_and_doi_urls_match_their_identifiers(project):
    refs, _, _ = project
    problems = []
    for key, ref in refs.items():
        url = ref.get("url")
        m = re.search(r"(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d+)", url)
        if m and ref.get("pmid") and m.group(1) != ref.get("pmid"):
            problems.append(f"{key}: url PMID {m.group(1)} differs from pmid {ref.get('pmid')}")
        m = re.search(r"doi\.org/(10\.\S+)", url)
        if m and ref.get("doi") and m.group(1).lower() != ref.get("doi").lower():
            problems.append(f"{key}: url DOI {m.group(1)} differs from doi {ref.get('doi')}")
    assert problems == []


def test_no_page_copies_the_audited_article():
    """The site audits the article in its own words: no run of 12 words may be lifted from it. The article is
    not in the repository; its fingerprint (hashes of its 12-word runs) is."""
    lifted = article.load_fingerprint()
    # The article's claim list is left out: it restates the article on purpose (and one claim, the sequence, is
    # a fact stated in the same words); it is never shown to readers as our text.
    sources = sorted([*(ROOT / "docs").rglob("*.md"), *(ROOT / "references").glob("*.yaml")])
    sources.remove(article.ARTICLE_CLAIMS_PATH)
    problems = [p for path in sources for p in article.copied_runs(path, lifted, path.relative_to(ROOT))]
    assert problems == []


def test_non_english_titles_carry_an_english_translation(project):
    refs, _, _ = project
    problems = [f"{ref.path.name}:{ref.line}: {key}: title in {ref.language} without titletranslated"
                for key, ref in refs.items()
                if re.search(r"[\u0400-\u04FF]", ref.get("title")) and not ref.get("titletranslated")]
    assert problems == []
