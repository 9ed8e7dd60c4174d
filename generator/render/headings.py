"""Heading ids and the table of contents of a generated page.

Generated pages are HTML (see `render_page`): MkDocs does not run Markdown on
them, so the ids the `toc` extension would give their headings are given here,
the same way (``slugify``, then ``_1``, ``_2`` for repeats), and the plugin
reads the table of contents back from them.
"""

from __future__ import annotations

import html
import re
from typing import Any

from markdown.extensions.toc import slugify, strip_tags, unique

_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_LANG = re.compile(r'\slang="[^"]*"')


def with_ids(page_html: str) -> str:
    """`page_html` with an id on every heading that has none."""
    used = set(_ID.findall(page_html))
    counters: dict[str, int] = {}

    def give(match: re.Match[str]) -> str:
        level, attributes, inner = match.groups()
        if _ID.search(attributes):
            return match.group()
        text = html.unescape(strip_tags(inner))
        ident = unique(slugify(text, "-"), used, counters)
        return f'<h{level} id="{ident}"{attributes}>{inner}</h{level}>'

    return _HEADING.sub(give, page_html)


def toc_tokens(page_html: str) -> list[dict[str, Any]]:
    """The headings of `page_html` (with ids) as nested tokens, like the `toc` extension's."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for match in _HEADING.finditer(page_html):
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        ident = _ID.search(attributes)
        if ident is None:
            continue
        token: dict[str, Any] = {"level": level, "id": ident.group(1), "name": toc_name(inner), "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def toc_name(heading_html: str) -> str:
    """A heading's inner HTML as the table of contents shows it: tags removed, as the
    `toc` extension does, but the language marks (`<span lang=.. dir=..>`) kept, so that
    a French name in an Arabic heading is French in the table of contents too."""
    kept: list[bool] = []  # for each open <span>: whether it is kept

    def tag(match: re.Match[str]) -> str:
        closing, name, attributes = match.groups()
        if name.lower() != "span":
            return ""
        if closing:
            return "</span>" if kept and kept.pop() else ""
        keep = bool(_LANG.search(attributes))
        kept.append(keep)
        return match.group() if keep else ""

    return " ".join(_TAG.sub(tag, heading_html).split())
