"""Escaping for generated Markdown.

Record text is plain text. It goes into Markdown pages, where ``*``, ``_``,
``[`` or a leading ``#`` would be syntax and ``<script>`` would be raw HTML.
We turn every ASCII punctuation character into a numeric character reference:
Markdown leaves ``&#42;`` alone, and HTML (text or attribute) shows it as
``*``. The result is safe in Markdown text, in inline HTML and in attributes.

Templates get this by default: the Jinja environment escapes every ``{{ }}``
output that is not already `Markup`.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


def md_escape(text: Any) -> Markup:
    """Plain text made safe for Markdown and HTML, on one line."""
    if isinstance(text, Markup):
        return text
    flat = _NEWLINES.sub(" ", str(text))
    return Markup(_PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", flat))


def finalize(value: Any) -> Any:
    """Jinja `finalize`: escape every output that is not trusted markup."""
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return md_escape(value)
