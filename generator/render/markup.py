"""Escaping of record text for the generated pages (HTML) and for Markdown.

Generated pages are HTML: `html_text` escapes for HTML, and the templates get it
by default (`finalize`). Hand-written pages are Markdown: a record's text that
goes into one (a guide's title) gets `md_escape`.

Record text is plain text. In Markdown pages, where ``*``, ``_``,
``[`` or a leading ``#`` would be syntax and ``<script>`` would be raw HTML.
We turn the characters that are syntax into numeric character references:
Markdown leaves ``&#42;`` alone, and HTML (text or attribute) shows it as
``*``. The result is safe in Markdown text, in inline HTML and in attributes.
Characters that are syntax only at the start of a line (``#``, ``-``, ``1.``)
are escaped there; the others stay as they are, which keeps pages fast to
parse (most French text needs no escape at all).

"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

# Syntax wherever it stands: HTML, emphasis, links, code, attribute lists, tables,
# and the inline extensions a territory may enable (==mark==, ~~del~~, ^^ins^^, $math$).
_ANYWHERE = re.compile(r'[\\`*_{}\[\]<>&"|~^=+$]')
# Syntax at the start of a line: headings, lists, quotes, admonitions, definitions.
_LEADING = re.compile(r"^(\s*)(?:([#>\-+=:!])|(\d+)([.)]))")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def _reference(character: str) -> str:
    return f"&#{ord(character)};"


def _leading(match: re.Match[str]) -> str:
    space, mark, number, dot = match.groups()
    return space + (_reference(mark) if mark else number + _reference(dot))


def md_escape(text: Any) -> Markup:
    """Plain text made safe for Markdown and HTML, on one line."""
    if isinstance(text, Markup):
        return text
    flat = _NEWLINES.sub(" ", str(text))
    escaped = _ANYWHERE.sub(lambda m: _reference(m.group()), flat)
    return Markup(_LEADING.sub(_leading, escaped))


def html_text(text: Any) -> Markup:
    """Plain text made safe for HTML text and double-quoted attributes, on one line.

    The templates quote every attribute with double quotes: apostrophes, frequent
    in French ("l'Assurance"), stay as they are.
    """
    if isinstance(text, Markup):
        return text
    text = str(text)
    if "\n" in text or "\r" in text:
        text = _NEWLINES.sub(" ", text)
    # Four replaces, not str.translate: a translation table of strings takes 3 µs a call,
    # these 0.2 µs, and a language's pages call this 640,000 times.
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def finalize(value: Any) -> Any:
    """Jinja `finalize`: escape every output that is not trusted markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return html_text(value)
