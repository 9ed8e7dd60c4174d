"""Internal links and anchors: every address inside the site leads to a file,
and every '#anchor' to an element with that id. Offline: nothing is fetched."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .pages import HtmlPage
from .report import Finding

# Addresses that are not files of the site.
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel", "sms", "data", "javascript", "geo", "webcal")
# Attributes that navigate or load; 'action' and 'data' too.
LINKING = {"href", "src", "srcset", "data", "action", "xlink:href", "poster"}


def _resolve(page: HtmlPage, path: str, folders: set[str], root: str = "/") -> str:
    """The site file an address leads to, relative to the site: 'fr/services/x/index.html'.

    `root` is the path the site is published at, like '/35/' for a département of a
    regional portal: '/35/fr/' is then its 'fr/', and '/fr/' a place outside it.
    """
    if path.startswith("/") and root != "/":
        if not (path + "/").startswith(root):
            return path  # not a file of this site: reported as such
        path = "/" + path[len(root) :]
    base = "" if path.startswith("/") else posixpath.dirname(page.relative)
    joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
    if joined == ".":
        joined = ""
    if path.endswith("/") or joined in folders:
        joined = posixpath.join(joined, "index.html")
    return joined


def broken_links(site: Path, pages: list[HtmlPage], root: str = "/") -> list[Finding]:
    """Links, images, scripts and anchors of the site (published at the path `root`) that lead nowhere."""
    files: set[str] = set()
    folders = {""}
    for path in site.rglob("*"):
        (folders if path.is_dir() else files).add(path.relative_to(site).as_posix())
    by_file = {page.relative: page for page in pages}
    findings: list[Finding] = []
    for page in pages:
        for ref in page.references:
            if ref.attribute not in LINKING:
                continue
            parts = urlsplit(ref.target)
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                continue  # outside the site (the privacy gate looks at what loads from there)
            address, fragment = unquote(parts.path), unquote(parts.fragment)
            target = _resolve(page, address, folders, root) if address else page.relative
            if target not in files:
                message = f'<{ref.element} {ref.attribute}="{ref.target}"> : pas de fichier {target}'
                findings.append(Finding(page.relative, ref.line, "links", message))
            elif fragment and target.endswith(".html"):
                other = by_file.get(target) or HtmlPage(site / target, site)
                if fragment not in other.ids:
                    message = f'<{ref.element} {ref.attribute}="{ref.target}"> : aucun élément d\'id « {fragment} »'
                    findings.append(Finding(page.relative, ref.line, "links", message))
    return findings
