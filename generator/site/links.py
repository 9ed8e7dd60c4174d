"""Links in hand-written pages (``content/<lang>/*.md``): the same rule as in records.

Only http(s), tel, mailto and relative links survive: ``[x](javascript:alert(1))``
or ``<a href="vbscript:...">`` in a page would run a script for every reader.
`check` reports each such link at its file and line (`links_to_refuse`, which
reads the page's Markdown with markdown-it-py, raw HTML with the standard HTML
parser); the build takes the attribute off whatever got through (`without_refused`,
run by the `portal` plugin on each hand-written page's HTML) and MkDocs' strict
mode stops it with the page's name.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mkdocs.utils.meta import YAML_RE

#: The schemes a link may have; a link without one (relative) stays too.
ALLOWED_SCHEMES = ("http", "https", "tel", "mailto")
#: The attributes whose value is an address the browser follows, loads or submits to.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "cite", "ping"}
)

_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_DROPPED = re.compile(r"[\t\n\r]")  # browsers remove them anywhere in an address
_HOST_FIRST = re.compile(r"[/\\]{2}")  # '//host' and '\\host': another site, with no scheme to judge
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # what browsers strip around an address


def allowed(url: str) -> bool:
    """Whether a link to `url` may stay: http(s), tel, mailto, or relative within the site."""
    address = _DROPPED.sub("", url).strip(_C0_AND_SPACE)
    if _HOST_FIRST.match(address):
        return False
    scheme = _SCHEME.match(address)
    return scheme is None or scheme.group(1).lower() in ALLOWED_SCHEMES


def shown(url: str, limit: int = 60) -> str:
    """An address as a message can quote it: control characters escaped, long ones cut."""
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in url)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RefusedLink:
    line: int  # 1-based, in the page's file
    url: str

    def message(self) -> str:
        return (
            f"lien vers « {shown(self.url)} » : dans les pages écrites à la main, seuls les liens https://, "
            "http://, tel: et mailto:, ou vers des pages du site (relatifs), sont permis ; écrivez l'adresse "
            "complète, qui commence par https://, ou enlevez le lien"
        )


# --- raw HTML --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tag:
    line: int  # 1-based, in the HTML given
    column: int
    text: str  # the start tag as written
    name: str
    attributes: list[tuple[str, str | None]]
    closed: bool  # '<x ... />'


class _StartTags(HTMLParser):
    """Every start tag of a piece of HTML, where it is and as it is written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[_Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._found(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._found(tag, attrs, closed=True)

    def _found(self, tag: str, attrs: list[tuple[str, str | None]], *, closed: bool) -> None:
        line, column = self.getpos()
        self.tags.append(_Tag(line, column, self.get_starttag_text() or "", tag, attrs, closed))


def _start_tags(text: str) -> list[_Tag]:
    parser = _StartTags()
    parser.feed(text)
    parser.close()
    return parser.tags


def _refused(tag: _Tag) -> list[str]:
    return [value for name, value in tag.attributes if name in URL_ATTRIBUTES and value and not allowed(value)]


def without_refused(page_html: str) -> tuple[str, list[str]]:
    """`page_html` with every address that is not allowed taken off its tag (a link without
    `href` is text), and those addresses. Everything else is left byte for byte."""
    tags = [tag for tag in _start_tags(page_html) if _refused(tag)]
    if not tags:
        return page_html, []
    # where each line starts, as the parser counts lines (at '\n' only)
    starts = [0, *(match.end() for match in re.finditer("\n", page_html))]
    parts, done, refused = [], 0, []
    for tag in tags:
        at = starts[tag.line - 1] + tag.column
        kept = [
            (name, value) for name, value in tag.attributes if name not in URL_ATTRIBUTES or not value or allowed(value)
        ]
        refused += _refused(tag)
        attributes = "".join(
            f' {name}="{html.escape(value)}"' if value is not None else f" {name}" for name, value in kept
        )
        parts += [page_html[done:at], f"<{tag.name}{attributes}{' /' if tag.closed else ''}>"]
        done = at + len(tag.text)
    parts.append(page_html[done:])
    return "".join(parts), refused


# --- the page's Markdown ----------------------------------------------------------------


class _EveryLink(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        return True  # see every link, to report those that are not allowed


_READER = _EveryLink("commonmark")


def _in_html(text: str, first_line: int) -> list[RefusedLink]:
    return [RefusedLink(first_line + tag.line - 1, url) for tag in _start_tags(text) for url in _refused(tag)]


def _in_inline(token: Token, first_line: int) -> list[RefusedLink]:
    found: list[RefusedLink] = []
    line = first_line
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("link_open", "image"):
            url = str(child.attrGet("href") if child.type == "link_open" else child.attrGet("src") or "")
            if not allowed(url):
                found.append(RefusedLink(line, url))
        elif child.type == "html_inline":
            found += _in_html(child.content, line)
            line += child.content.count("\n")
        else:
            line += child.content.count("\n")
    return found


def links_to_refuse(markdown: str) -> list[RefusedLink]:
    """The links of a hand-written page that are not allowed, with their line."""
    # The front matter is not Markdown: blank it, keeping the lines where they are.
    front = YAML_RE.match(markdown)
    if front:
        markdown = "\n" * front.group().count("\n") + markdown[front.end() :]
    found: list[RefusedLink] = []
    for token in _READER.parse(markdown):
        if token.map is None:
            continue
        first_line = token.map[0] + 1
        if token.type == "html_block":
            found += _in_html(token.content, first_line)
        elif token.type == "inline":
            found += _in_inline(token, first_line)
    return found
