"""Content-Security-Policy: the hashes of each page's inline scripts and style attributes, put into the policy
that overrides/main.html writes (sitedata.csp)."""

from sitedata.csp import with_hashes


def on_post_page(output, page, config):
    return with_hashes(output)


def on_post_template(output_content, template_name, config):
    return with_hashes(output_content)  # 404.html
