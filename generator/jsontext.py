"""JSON text that holds no markup: for pages (JSON-LD) and for the published files."""

from __future__ import annotations

#: '<', '>' and '&' as JSON escapes: the same data once parsed, but no '</script>',
#: '<!--' or tag, even inside a page or in a file a browser takes for HTML.
HTML_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def without_markup(text: str) -> str:
    """JSON text (from `json.dumps`) with '<', '>' and '&' escaped."""
    return text.translate(HTML_UNSAFE)
