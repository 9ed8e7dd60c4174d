"""Long record texts (descriptions, conditions, advice) read as Markdown: HTML for the pages, plain text elsewhere.

data·inclusion's `description` is Markdown (CommonMark), and coordinators write
"- " lists and paragraphs by hand: both are read with markdown-it-py's CommonMark
preset, under rules that keep a record's text data on our pages:

- raw HTML is text (``<script>`` shows as written, never runs);
- a link is live only to http(s), tel or mailto; any other link, relative ones
  included, stays as the text that was written; an image becomes a link to it
  (a page never loads a picture from a record);
- a line break is a line break ("ligne 1\\nligne 2" stays two lines), as the
  people who write these texts expect;
- headings go under the heading the text sits in, without skipping a level: a
  ``#`` in a description under an h2 becomes an h3, never a second h1;
- indented lines are text, not code.

Pages get `html`; calendars, campaign messages, metadata and JSON-LD get `plain`,
`lines` or `one_line`, the same reading without its syntax. Exports keep the
source text as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from .. import i18n

#: The only links a record's text may hold.
LIVE_SCHEMES = ("http:", "https:", "tel:", "mailto:")

_DEEPEST = 6  # HTML has no h7: deeper headings stay h6


class _RecordRenderer(RendererHTML):
    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        # A picture would be loaded from a third party: a link to it, named by its text, instead.
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        label = self.renderInlineAsText(token.children or [], options, env) or src
        return f'<a href="{escapeHtml(src)}">{escapeHtml(label)}</a>'


class _RecordMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # An allow-list: javascript:, data:, vbscript:, relative links and the rest stay text.
        return url.strip().lower().startswith(LIVE_SCHEMES)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = _RecordMarkdown(
        "commonmark", {"html": False, "breaks": True, "xhtmlOut": False}, renderer_cls=_RecordRenderer
    )
    parser.disable(["html_block", "html_inline", "code"])
    return parser


def _with_levels(tokens: list[Token], under: int) -> list[Token]:
    """Headings renumbered from `under` + 1, each at most one level below the one before it."""
    stack: list[tuple[int, int]] = []  # (level written, level given) of the headings above
    tag = ""
    for token in tokens:
        if token.type == "heading_open":
            written = int(token.tag[1])
            while stack and stack[-1][0] >= written:
                stack.pop()
            level = min((stack[-1][1] if stack else under) + 1, _DEEPEST)
            stack.append((written, level))
            token.tag = tag = f"h{level}"
        elif token.type == "heading_close":
            token.tag = tag
    return tokens


@lru_cache(maxsize=4096)  # a French text stands in for its translations on every language's page
def html(text: str, under: int, language: str | None = None) -> str:
    """`text` as escaped HTML, its headings under an h`under`.

    `language`: the text's language when the page is in another one. Its headings
    then carry it themselves, so that the table of contents, made from the headings,
    marks them too.
    """
    parser = _parser()
    tokens = _with_levels(parser.parse(text), under)
    if language is not None:
        mark = {"lang": language, "dir": i18n.direction(language)}
        for opening, inline in pairwise(tokens):
            if opening.type == "heading_open" and inline.children is not None:
                inline.children = [
                    Token("span_open", "span", 1, attrs=dict(mark)),
                    *inline.children,
                    Token("span_close", "span", -1),
                ]
    return str(parser.renderer.render(tokens, parser.options, {})).strip()


@dataclass(frozen=True)
class Line:
    """One line of a text read without its syntax: a heading, a line of a paragraph, a list item."""

    text: str
    kind: str  # 'heading', 'paragraph', 'item'
    depth: int = 0  # how deep in lists
    number: int | None = None  # an ordered list item's number
    starts: bool = True  # the first line of its heading, paragraph or item


def _inline_text(token: Token) -> list[str]:
    """An inline token's text, cut at its line breaks; a link keeps its address beside its words."""
    lines = [""]
    href: str | None = None
    label_start = 0
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type == "link_open":
            href, label_start = str(child.attrGet("href") or ""), len(lines[-1])
        elif child.type == "link_close":
            label = lines[-1][label_start:]
            shown = href.split(":", 1)[1] if href and href.startswith(("tel:", "mailto:")) else href
            if href and shown and shown != label:
                lines[-1] += f" ({shown})"
            href = None
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            alt = "".join(grandchild.content for grandchild in child.children or [])
            lines[-1] += f"{alt} ({src})" if alt else src
        else:
            lines[-1] += child.content
    return [line.strip() for line in lines if line.strip()]


@lru_cache(maxsize=4096)
def lines(text: str) -> tuple[Line, ...]:
    """`text` as the lines a reader sees, without Markdown's syntax."""
    found: list[Line] = []
    depth = 0
    number: int | None = None
    numbers: list[int | None] = []  # the next number of each open list (None: a bullet list)
    kind = "paragraph"
    for token in _parser().parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            start = token.attrGet("start")
            numbers.append((int(start) if start is not None else 1) if token.type == "ordered_list_open" else None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            numbers.pop()
        elif token.type == "heading_open":
            kind = "heading"
        elif token.type == "list_item_open":
            kind, number = "item", numbers[-1]
            if number is not None:
                numbers[-1] = number + 1
        elif token.type == "inline":
            for index, part in enumerate(_inline_text(token)):
                # the first line of an item is the item; the next ones go on under it
                item = kind == "item" and index == 0
                line_kind = "item" if item else "paragraph" if kind == "item" else kind
                found.append(Line(part, line_kind, depth, number if item else None, starts=index == 0))
            kind = "paragraph"  # the next paragraph of an item is not a new item
        elif token.type in ("fence", "code_block"):
            parts = [part for part in token.content.splitlines() if part.strip()]
            found.extend(Line(part, "paragraph", depth, starts=index == 0) for index, part in enumerate(parts))
    return tuple(found)


def plain(text: str) -> str:
    """`text` as plain text on several lines: a blank line between paragraphs, list items
    starting with '• ' or their number."""
    out: list[str] = []
    for line in lines(text):
        indent = "  " * max(line.depth - 1, 0)
        if line.kind == "item":
            mark = f"{line.number}. " if line.number is not None else "• "
            out.append(f"{indent}{mark}{line.text}")
        elif line.depth:
            out.append(f"{indent}  {line.text}")
        else:
            if out and line.starts:
                out.append("")
            out.append(line.text)
    return "\n".join(out)


_ENDS_A_SENTENCE = tuple(".!?:;…,")


def one_line(text: str) -> str:
    """`text` on one line (a page's meta description): headings and items closed by a full stop."""
    parts = []
    for line in lines(text):
        words = " ".join(line.text.split())
        if line.kind in ("heading", "item") and not words.endswith(_ENDS_A_SENTENCE):
            words += "."
        parts.append(words)
    return " ".join(parts)
