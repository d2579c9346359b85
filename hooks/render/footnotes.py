"""Footnote presentation, for any footnotes (citations are rendered as footnotes by render.citations)."""


def present(html):
    """Markers of a multi-source citation sit side by side and would read as one number ("7" "28" -> "728").
    Reference lists stay out of the search index: the bibliography page is where sources are searched, and
    indexing every page's footnotes would double the index and rank pages by whom they cite."""
    html = html.replace('</sup><sup id="fnref', '</sup><span class="fn-sep">,</span><sup id="fnref')
    return html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>')
