"""The built site as the quality gates read it: its HTML pages, their links and ids.

A regular expression per attribute rather than a full HTML parser: the pages
are our own, well-formed (the HTML gate checks that), and a site of thousands
of pages is read in seconds.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

# An element and one of the attributes that point somewhere.
_REFERENCE = re.compile(
    r"<(a|area|link|script|img|iframe|source|video|audio|embed|object|use|image|form)\b([^>]*)>", re.I
)
_ATTRIBUTE = re.compile(r'\b(href|src|srcset|data|action|xlink:href|rel|poster)\s*=\s*"([^"]*)"', re.I)
_ID = re.compile(r'\b(?:id|name)\s*=\s*"([^"]+)"')
_STYLE_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]", re.I)
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style>|\bstyle\s*=\s*\"([^\"]*)\"", re.I | re.S)


@dataclass(frozen=True)
class Reference:
    element: str  # 'a', 'script', 'link', 'style' (a url() in CSS)...
    attribute: str  # 'href', 'src', 'url'...
    target: str  # unescaped
    rel: str  # the <link rel>, '' elsewhere
    line: int


@dataclass
class HtmlPage:
    path: Path  # the file
    site: Path  # the site's root folder

    @cached_property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8", errors="replace")

    @cached_property
    def relative(self) -> str:
        return self.path.relative_to(self.site).as_posix()

    @property
    def language(self) -> str:
        """The first folder ('fr', 'ar'...), or '' for the root pages."""
        parts = self.path.relative_to(self.site).parts
        return parts[0] if len(parts) > 1 else ""

    @cached_property
    def ids(self) -> set[str]:
        return {html.unescape(m) for m in _ID.findall(self.text)}

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._line_starts, offset)

    @cached_property
    def references(self) -> list[Reference]:
        found: list[Reference] = []
        for match in _REFERENCE.finditer(self.text):
            element, attributes = match.group(1).lower(), match.group(2)
            pairs = {name.lower(): html.unescape(value) for name, value in _ATTRIBUTE.findall(attributes)}
            rel = pairs.pop("rel", "").lower()
            line = self.line_of(match.start())
            for name, value in pairs.items():
                targets = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                found.extend(Reference(element, name, target, rel, line) for target in targets if target)
        for match in _STYLE_BLOCK.finditer(self.text):
            css = match.group(1) or match.group(2) or ""
            for url, imported in _STYLE_URL.findall(css):
                found.append(Reference("style", "url", html.unescape(url or imported), "", self.line_of(match.start())))
        return found


def html_pages(site: Path) -> list[HtmlPage]:
    return [HtmlPage(path, site) for path in sorted(site.rglob("*.html"))]


def css_urls(text: str) -> list[str]:
    """The addresses a stylesheet loads (url(), @import)."""
    return [url or imported for url, imported in _STYLE_URL.findall(text)]
