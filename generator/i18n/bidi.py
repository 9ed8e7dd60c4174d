"""Left-to-right fragments inside right-to-left text, isolated.

An Arabic or Pashto sentence often holds a French term, a name, an acronym or a
phone number: « هل لديك التأمين الصحي (Assurance Maladie)؟ ». Left as is, the
Unicode bidirectional algorithm lets the Latin run pull the punctuation beside it
to its side: the closing parenthesis and the question mark land in the wrong
places, worst at a line end. Each such fragment is isolated: in HTML inside a
`<bdi>` (which takes its direction from its own text), in plain text (a page's
`<title>`, a calendar) between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
Punctuation around the fragment stays outside it and takes the sentence's
direction.

Left-to-right text is left alone: there, a right-to-left fragment (an Arabic name
on a French page) is rare, and is marked by its own `lang`/`dir` where we know it.
"""

from __future__ import annotations

import html
import re

#: FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE: `<bdi>` for plain text.
FSI, PDI = "\u2068", "\u2069"

# Latin letters (with French accents, ligatures and the apostrophes inside words).
_LATIN = r"A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# A run: starts with a Latin letter (or digits followed by one: "3e", "9h30"), goes on
# over Latin letters, digits, spaces and the punctuation inside names and addresses
# ("Centre médico-psychologique", "1 rue de l'Église", "M'T dents", "C.C.A.S."),
# and ends on a letter, a digit or an abbreviation's dot. Parentheses, quotes,
# commas and question marks around it are left to the sentence.
_RUN = re.compile(
    rf"(?:\d+[ ]?)?[{_LATIN}][{_LATIN}0-9'’&/\-–.:@+]*"
    rf"(?:[ \u00a0,&]+(?:[{_LATIN}0-9][{_LATIN}0-9'’&/\-–.:@+]*))*"
)
# A phone number or another group of digits written left to right ("01 99 00 12 34",
# "+33 1 99 00 12 34", "02.99.00.00.00"): in right-to-left text the groups would be
# shown in reverse order.
_DIGIT_GROUPS = re.compile(r"\+?\d{1,4}(?:[ .\u00a0]\d{2,4}){2,}")
_FRAGMENT = re.compile(f"{_RUN.pattern}|{_DIGIT_GROUPS.pattern}")
# Trailing characters a run may take that belong to the sentence: a final comma,
# colon, dash or a lone full stop after a word (not an abbreviation's "C.C.A.S.").
_TRAILING = re.compile(r"(?:[ \u00a0,:\-–]+|(?<=[a-zà-ÿ]{2})\.)$")


def _fragments(text: str) -> list[tuple[int, int]]:
    """Where the left-to-right fragments of `text` are, as (start, end)."""
    spans = []
    for match in _FRAGMENT.finditer(text):
        start, end = match.span()
        trailing = _TRAILING.search(text, start, end)
        if trailing is not None and trailing.start() > start:
            end = trailing.start()
        spans.append((start, end))
    return spans


def isolate_plain(text: str) -> str:
    """Plain right-to-left text with each left-to-right fragment between FSI and PDI."""
    if FSI in text:  # already isolated: doing it twice would nest the isolates
        return text
    out, last = [], 0
    for start, end in _fragments(text):
        out.append(text[last:start] + FSI + text[start:end] + PDI)
        last = end
    out.append(text[last:])
    return "".join(out)


# In escaped HTML text: a character reference stays whole.
_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
_TAG = re.compile(r"(<[^>]*>)")


def _isolate_escaped(escaped: str) -> str:
    text = html.unescape(escaped)
    out, last = [], 0
    for start, end in _fragments(text):
        out.append(_escape(text[last:start]) + "<bdi>" + _escape(text[start:end]) + "</bdi>")
        last = end
    out.append(_escape(text[last:]))
    return "".join(out)


def _escape(text: str) -> str:
    return html.escape(text, quote=True).replace("&#x27;", "'")


def isolate_html(markup: str) -> str:
    """Right-to-left HTML with the left-to-right fragments of its text in `<bdi>`.

    Only text between tags changes; tags, attributes and elements that already say
    their own direction or language (a French stand-in, a `<bdi>`, code) are left
    as they are.
    """
    if not _FRAGMENT.search(markup):
        return markup
    parts = _TAG.split(markup)
    out, skip = [], 0
    for index, part in enumerate(parts):
        if index % 2:  # a tag
            out.append(part)
            name = _tag_name(part)
            if name is None:
                continue
            if part.startswith("</"):
                skip = max(0, skip - 1) if skip else 0
            elif skip or name in _OWN_DIRECTION or " dir=" in part or " lang=" in part:
                if not part.endswith("/>") and name not in _VOID:
                    skip += 1
        elif part and not skip:
            out.append(_isolate_escaped(part))
        else:
            out.append(part)
    return "".join(out)


_OWN_DIRECTION = {"bdi", "bdo", "code", "pre", "kbd", "samp", "script", "style", "svg"}
_VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "source", "col", "area", "embed", "track"}


def _tag_name(tag: str) -> str | None:
    match = re.match(r"</?([a-zA-Z][a-zA-Z0-9-]*)", tag)
    return match.group(1).lower() if match else None
