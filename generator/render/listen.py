"""« Écouter »: what a page reads aloud, in which order, and how numbers are said.

The page's script (`overrides/assets/javascripts/portal-listen.js`) reads, with
the browser's own voices, the elements marked `data-portal-listen="N"`, by N
(the page's order for equal N), each text in the language its element is marked
with (a French stand-in in a French voice). The parts a page reads, and their
order, are said here, page kind by page kind; the templates only mark the parts
(`{{ listen("hours") }}`), and the page offers the buttons only when it reads
something (`Page.listen`). Parts not listed (maps, lists of other places, links
to print or report an error) are not read.

Phone numbers are said as people say them: in French, in pairs ("zéro un,
quatre-vingt-dix-neuf..."); in other languages, digit by digit (`spoken_number`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..i18n import SOURCE_LANGUAGE

#: Name, what it is, when, where, how to call, what it offers, what to bring.
SERVICE = (
    "name",
    "summary",
    "new_patients",
    "notices",
    "hours",
    "place",
    "phones",
    "description",
    "facts",
    "conditions",
    "documents",
)
PERMANENCE = ("name", "held_by", "notices", "dates", "place", "phones", "description", "facts")
DISPOSITIF = ("name", "summary", "scope", "benefits", "eligibility", "steps", "documents", "cost")
#: A question: the danger first (it comes first on the page), then the question and its answers.
PATHWAY_QUESTION = ("danger", "question", "help", "answers")
PATHWAY_OUTCOME = ("danger", "title", "call", "advice", "dispositifs", "documents")
#: A hand-written guide is read whole, as written (see `site/plugin.py`).
GUIDE = ("guide",)

ATTRIBUTE = "data-portal-listen"


@dataclass(frozen=True)
class Listening:
    """The parts a page reads, in order: `listen("hours")` is the mark of that part."""

    parts: tuple[str, ...] = ()

    def __call__(self, part: str) -> Markup:
        if not self.parts:
            return Markup("")  # a page that does not read aloud: no mark
        if part not in self.parts:
            # A template marks a part its page kind does not list: a mistake of ours.
            raise KeyError(f"the part {part!r} is not in the reading order {self.parts}")
        return Markup(f' {ATTRIBUTE}="{self.parts.index(part) + 1}"')


#: For the templates of pages that do not read aloud (and the macros they share).
SILENT = Listening()


def spoken_number(display: str, language: str) -> str:
    """A phone number as a voice should say it: '01 99 00 12 34' is '0 1, 99, 0 0, 12, 34'
    in French (pairs, as French speakers say them; a pair that starts with 0 is two
    digits), '0 1, 9 9, 0 0, 1 2, 3 4' in any other language; a short number such as
    3646 is said '36 46' in French."""
    groups = display.replace("\u00a0", " ").split()
    if language.split("-")[0] != SOURCE_LANGUAGE or not all(group.isdigit() for group in groups):
        return ", ".join(" ".join(group) for group in groups)
    if len(groups) == 1 and len(groups[0]) == 4:
        groups = [groups[0][:2], groups[0][2:]]
    return ", ".join(" ".join(group) if len(group) != 2 or group.startswith("0") else group for group in groups)


def guide_html(content: str, tools: Markup, easy: str = "") -> str:
    """A guide's HTML (its Markdown converted) read whole, as one part, with the
    buttons under its title (`tools`: `render.listen_tools`, in the page's language),
    after the link to its easy-read version (`easy`, not read aloud) when it has one."""
    head, title_end, rest = content.partition("</h1>")
    body = f"{head}{title_end}\n{tools}{rest}" if title_end else f"{tools}{content}"
    return f'{easy}<div {ATTRIBUTE}="1">\n{body}\n</div>'
