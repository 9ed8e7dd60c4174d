"""Text that holds no markup and no hidden line break: for the published files and for pages (JSON-LD)."""

from __future__ import annotations

import re

#: '<', '>' and '&' as JSON escapes: the same data once parsed, but no '</script>',
#: '<!--' or tag, even inside a page or in a file a browser takes for HTML. Likewise
#: DEL, the C1 controls (NEL among them) and U+2028/U+2029, which `json.dumps` leaves
#: raw (it escapes only what is below U+0020): a reader that splits lines at them
#: (Python's str.splitlines, older JavaScript) would cut a string in two.
HTML_UNSAFE = re.compile("[<>&\x7f-\x9f\u2028\u2029]")

#: Line breaks some reader ends a line at: a lone CR (RFC 4180 and RFC 5545 readers), VT, FF,
#: the information separators, NEL, U+2028 and U+2029 (Python's str.splitlines, Unicode).
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: Control characters other than tab and line feed: a terminal obeys them, no page shows them.
CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def without_markup(text: str) -> str:
    """JSON text (from `json.dumps`) with '<', '>', '&' and hidden line breaks escaped: for data/ and JSON-LD."""
    # A search for the few characters, not str.translate: 10 times faster on long texts.
    return HTML_UNSAFE.sub(_unicode_escape, text)


def _unicode_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def plain_breaks(text: str) -> str:
    """`text` with each line break an LF and each control character U+FFFD: for CSV cells and
    iCalendar values, where only an LF can be escaped or quoted. `check` refuses such characters
    in records; this keeps an export whole whatever it is given."""
    return CONTROLS.sub("\ufffd", LINE_BREAKS.sub("\n", text))
