"""Quality gates on a built site: valid HTML, no broken internal link or anchor,
nothing loaded from a third party, and (in a browser) no accessibility violation.

    report = check_site(Path("site"), own_host="sante.example.org")
    print(report.summary()); [print(f.format()) for f in report.findings]

`python -m generator quality` runs them on `site/`; `make test` runs them on
the demo in every language (tests/test_quality.py). Each gate is a function
from the built files to `Finding`s: the tests break a copy of a page on
purpose and see each one fail.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .links import broken_links
from .pages import HtmlPage, html_pages
from .privacy import third_party_references
from .report import Finding, QualityReport
from .validity import CheckerMissing, html_errors

STATIC_GATES = ("html", "links", "privacy")

__all__ = [
    "STATIC_GATES",
    "CheckerMissing",
    "Finding",
    "HtmlPage",
    "QualityReport",
    "broken_links",
    "check_published_site",
    "check_site",
    "html_errors",
    "html_pages",
    "third_party_references",
]


def check_site(
    site: Path, *, gates: tuple[str, ...] = STATIC_GATES, own_host: str | None = None, root: str = "/"
) -> QualityReport:
    """Run the static gates on the site built in `site`, to be published at the path `root`."""
    pages = html_pages(site)
    report = QualityReport(gates=list(gates))
    for page in pages:
        report.pages[page.language] += 1
    if "html" in gates:
        report.findings += html_errors(site)
    if "links" in gates:
        report.findings += broken_links(site, pages, root)
    if "privacy" in gates:
        report.findings += third_party_references(site, pages, own_host)
    return report


def check_published_site(site: Path, site_url: str | None, axe_languages: list[str] | None = None) -> QualityReport:
    """The static gates on a site to be published at `site_url`, and axe-core on `axe_languages`' pages.

    Raises `CheckerMissing` or `accessibility.BrowserMissing` when a gate's tool is not installed.
    """
    from .accessibility import accessibility_findings
    from .serve import serving

    own_host = urlsplit(site_url).hostname if site_url else None
    folder = urlsplit(site_url).path.strip("/") if site_url else ""
    result = check_site(site, own_host=own_host, root=f"/{folder}/" if folder else "/")
    if axe_languages:
        with serving(site) as base_url:
            result.findings += accessibility_findings(site, base_url, axe_languages)
        result.gates.append("axe")
    return result
