"""Privacy: no page loads anything from another host by default.

Fonts are off in mkdocs.yml (the theme would load Google Fonts), there is no
analytics, and map tiles load only after the reader asks (checked in a
browser by the tests). Here: every element of every page that loads by itself
(scripts, stylesheets, images, frames, media, preloads, CSS url() and
@import), and the url() and @import of the site's stylesheets.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .pages import HtmlPage, css_urls
from .report import Finding

# <link rel> values that make the browser fetch (or connect to) the address.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "preconnect",
    "dns-prefetch",
    "icon",
    "shortcut icon",
    "apple-touch-icon",
    "manifest",
    "prerender",
}
LOADING = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "image", "use", "style"}


def _third_party(address: str, own_host: str | None) -> str | None:
    parts = urlsplit(address)
    if address.startswith("//") or parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        if host and host != own_host:
            return host
    return None


def third_party_references(site: Path, pages: list[HtmlPage], own_host: str | None = None) -> list[Finding]:
    """Addresses on another host that a page loads without being asked.

    `own_host`: the site's public host (from site_url), which is not a third party.
    """
    findings: list[Finding] = []
    for page in pages:
        for ref in page.references:
            loads = ref.element in LOADING or (ref.element == "link" and ref.rel in FETCHING_RELS)
            if not loads or (ref.attribute in ("href",) and ref.element not in ("link", "use", "image")):
                continue
            host = _third_party(ref.target, own_host)
            if host:
                findings.append(
                    Finding(page.relative, ref.line, "privacy", f"<{ref.element}> charge {ref.target} depuis {host}")
                )
    for sheet in sorted(site.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        for address in css_urls(text):
            host = _third_party(address, own_host)
            if host:
                line = text.count("\n", 0, text.find(address)) + 1
                findings.append(
                    Finding(
                        sheet.relative_to(site).as_posix(),
                        line,
                        "privacy",
                        f"la feuille de style charge {address} depuis {host}",
                    )
                )
    return findings
