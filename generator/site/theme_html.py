"""Corrections to mkdocs-material's HTML, so that every page is valid HTML.

The Nu HTML checker reports, on stock mkdocs-material pages: `autocomplete`
on checkboxes (the drawer and search toggles), `autocorrect` on the search
field (not an HTML attribute), and a table-of-contents label pointing at a
toggle that pages outside the navigation (our record pages) do not have. The
theme also sets the text direction on <body> only. Each fix is a plain
substitution on the theme's own markup, applied to every page the theme writes.

The menu of small screens is a checkbox that the theme hides, toggled by
clicking its label: without the theme's script (which pages do not load) no
key reached it. It is named here, and the style sheet lets it take focus
(`portal.css`); the skip link goes before it, to stay the first stop of the
keyboard.
"""

from __future__ import annotations

import re

from markupsafe import escape

_HTML_TAG = re.compile(r'<html lang="([^"]*)"')
_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
_AUTOCOMPLETE = re.compile(r'\s+autocomplete="[^"]*"')
_AUTOCORRECT = re.compile(r'\s+autocorrect="[^"]*"')
_TOC_LABEL = re.compile(r'(<label class="md-nav__title")\s+for="__toc"')
_DRAWER = re.compile(r'<input class="md-toggle" data-md-toggle="drawer"')
_SKIP = re.compile(r'\s*<div data-md-component="skip">.*?</div>', re.S)


def corrected(html: str, direction: str, menu: str = "") -> str:
    """The page with the theme's invalid markup fixed, `dir` on <html>, and the menu's
    checkbox named `menu` (text), after the skip link."""
    html = _HTML_TAG.sub(lambda m: f'<html lang="{m.group(1)}" dir="{direction}"', html, count=1)
    drawer = _DRAWER.search(html)
    if drawer and menu:
        named = f'{drawer.group()} aria-label="{escape(menu)}"'
        skip = _SKIP.search(html, drawer.end())
        if skip:
            before = html[: drawer.start()] + skip.group().strip() + "\n" + named
            html = before + html[drawer.end() : skip.start()] + html[skip.end() :]
        else:
            html = html[: drawer.start()] + named + html[drawer.end() :]
    html = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m.group()), html)
    if "autocorrect=" in html:  # a search field's; the regex alone scans every space of the page
        html = _AUTOCORRECT.sub("", html)
    if 'id="__toc"' not in html:
        html = _TOC_LABEL.sub(r"\1", html)
    return without_indentation(html)


#: Text whose spaces and line breaks are shown as they are.
_PREFORMATTED = re.compile(r"(<(pre|textarea)[\s>].*?</\2>)", re.S | re.I)


def without_indentation(html: str) -> str:
    """Runs of blank lines and indentation made one line break: the theme's templates
    indent deeply, and that was a quarter of a record page's bytes. A line break is
    white space as the indentation was, so nothing shown changes (but in <pre>,
    left alone)."""
    parts = _PREFORMATTED.split(html)
    # split() gives: text, whole match, tag name, text, whole match, tag name, ...
    return "".join(part if index % 3 else _collapsed(part) for index, part in enumerate(parts) if index % 3 != 2)


def _collapsed(text: str) -> str:
    r"""`re.sub(r"[ \t]*\n\s*", "\n", text)`, line by line: four times faster on a page."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    kept = [lines[0].rstrip(" \t")]
    for line in lines[1:-1]:
        line = line.lstrip().rstrip(" \t")
        if line:
            kept.append(line)
    kept.append(lines[-1].lstrip())
    return "\n".join(kept)
