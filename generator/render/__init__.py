"""Render stage: the directory in, one language's pages out.

    ctx = RenderContext.for_language(directory, "fr", SiteSettings(name="Santé Pays de Redon"))
    for path, text in iter_language(ctx):
        ...

yields each generated file (pages, then calendars) as it is rendered; writing
them is the site stage's job. A page is HTML with a front matter (see
`render_page`); page functions are in `pages`, what they show in `views`.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..records.models import Pictogram
from . import headings
from .context import Guide, RenderContext
from .ical import ical_files
from .listen import SILENT, Listening
from .localize import Localizer
from .markup import finalize
from .pages import Page, RecordIds, record_pages, site_pages
from .pictograms import pictogram
from .sheet import sheet
from .views import Link

TEMPLATES = Path(__file__).parent.parent / "templates"

__all__ = [
    "HTML_PAGE",
    "LISTEN",
    "Guide",
    "Localizer",
    "Page",
    "RecordIds",
    "RenderContext",
    "easy_link",
    "iter_language",
    "listen_tools",
    "page_body",
    "page_file",
    "render_language",
    "render_page",
]


def _dial(scheme: str, number: str) -> Markup:
    """A number to call or text, as a link kept left-to-right on right-to-left pages."""
    return Markup('<a href="{}:{}" dir="ltr">{}</a>').format(scheme, number.replace(" ", ""), number)


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # with `finalize`, every output is escaped (see markup.html_text)
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.globals["portal_tel"] = lambda number: _dial("tel", number)
    environment.globals["portal_sms"] = lambda number: _dial("sms", number)
    # a web address written out as its own link, left-to-right on right-to-left pages
    environment.globals["portal_url"] = lambda url: Markup('<a href="{0}" dir="ltr">{0}</a>').format(url)
    environment.globals["listen"] = SILENT  # a page that reads aloud has its own (`render_page`)
    # a pictogram by name, beside its words (see pictograms.py)
    environment.globals["picto"] = lambda name: pictogram(Pictogram(name))
    return environment


def _front_matter(page: Page) -> str:
    # MkDocs and the theme print `title` and `description` as HTML, unescaped: the
    # title is escaped markup already (and says its language if it is a fallback).
    meta: dict[str, object] = {"title": str(page.title)}
    if page.description:
        meta["description"] = html.escape(page.description, quote=True)
    if page.hide:
        meta["hide"] = list(page.hide)
    if page.fallback:
        meta["portal_fallback"] = True
    if not page.searchable:
        meta["search"] = {"exclude": True}
    if page.listen:
        meta[LISTEN] = True  # the theme loads the script that reads aloud (overrides/main.html)
    meta[HTML_PAGE] = True
    return "---\n" + "".join(f"{key}: {yaml_value(value)}\n" for key, value in meta.items()) + "---\n\n"


#: What a YAML reader does not take as it is inside double quotes: characters outside YAML's
#: printable set, and the line breaks it would fold (NEL, LS, PS). JSON leaves them raw.
_NOT_YAML_PRINTABLE = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_value(value: object) -> str:
    """`value` (text, number, boolean, list, mapping) as YAML flow text, on one line.

    JSON is YAML: written by `json` (twenty times faster than PyYAML's emitter, which was
    a tenth of a territory's page rendering), with the characters YAML does not take raw as
    escapes both read the same way.
    """
    text = json.dumps(value, ensure_ascii=False)
    return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: Front matter of a generated page: its body is HTML, which MkDocs passes on as it is.
HTML_PAGE = "portal_html"
#: Front matter of a page that reads aloud (generated, or a guide: see `site/plugin.py`).
LISTEN = "portal_listen"
_BLANK_LINES = re.compile(r"\n\s*\n")


def page_body(source: str) -> str:
    """The HTML of a generated page's file, without its front matter (see `render_page`)."""
    return source.split("\n---\n\n", 1)[1]


def render_page(page: Page, loc: Localizer) -> str:
    """The page's file: front matter, then HTML (still a valid Markdown file).

    The body is HTML rather than Markdown because a territory has thousands of
    these pages, and Markdown parsing was most of their build time.
    """
    template = _environment().get_template(page.template)
    body = template.render(page.context, _=loc.gettext, ngettext=loc.ngettext, listen=Listening(page.listen))
    return _front_matter(page) + headings.with_ids(_BLANK_LINES.sub("\n", body))


def listen_tools(loc: Localizer) -> Markup:
    """The « Écouter » buttons, for a page the generator does not write (a guide, see `site/plugin.py`)."""
    return Markup(_environment().get_template("_listen.html").render(_=loc.gettext))


def easy_link(loc: Localizer, href: str) -> Markup:
    """The link to a guide's easy-read version, above its title (see `site/plugin.py`)."""
    template = _environment().from_string('{% from "_macros.html" import easy_read_link %}{{ easy_read_link(link) }}')
    return Markup(template.render(link=Link(loc.gettext("Easy to read"), Markup(href))))


def page_file(ctx: RenderContext, page: Page) -> str:
    """The file of a page: with what it needs to be printed or sent on, when it is printable."""
    if page.printable:
        paper = sheet(ctx, page.path, Markup(page.title).striptags())
        page = replace(page, context={**page.context, "sheet": paper})
    return render_page(page, ctx.loc)


def render_language(ctx: RenderContext) -> dict[str, str]:
    """Every generated file of one language, by path."""
    return dict(iter_language(ctx))


def iter_language(ctx: RenderContext, only: RecordIds | None = None) -> Iterator[tuple[str, str]]:
    """Every generated file of one language, one at a time: path and text.

    The build writes each file as it comes, so that a territory's pages are
    never all in memory at once. `only`: just the own pages of these records
    (the preview shows an edited record first, then the rest).
    """
    seen: set[str] = set()
    pages = record_pages(ctx, only) if only is not None else site_pages(ctx)
    for page in pages:
        # Ids are unique and slugs de-duplicated: two pages on one path is a bug of ours.
        assert page.path not in seen, f"two pages would be written to {page.path}"
        seen.add(page.path)
        yield page.path, page_file(ctx, page)
    if only is None:
        yield from ical_files(ctx).items()
