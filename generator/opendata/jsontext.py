"""JSON text that holds no markup: for the published files and for pages (JSON-LD)."""

from __future__ import annotations

#: '<', '>' and '&' as JSON escapes: the same data once parsed, but no '</script>',
#: '<!--' or tag, even inside a page or in a file a browser takes for HTML.
HTML_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def without_markup(text: str) -> str:
    """JSON text (from `json.dumps`) with '<', '>' and '&' escaped: for data/ and for JSON-LD in pages."""
    return text.translate(HTML_UNSAFE)
