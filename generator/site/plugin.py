"""The ``portal`` MkDocs plugin: gives the theme overrides their data and strings.

It runs inside each language's MkDocs build. The pages themselves are
generated before MkDocs starts (see `build`); the plugin gives the theme the
interface strings of the language being built (with the same French
fallback as the pages), the data every page shows (emergency numbers, demo
banner), and, page by page, the links to the same page in the other
languages.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import material.templates
from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader, PrefixLoader
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from .. import i18n, routes
from ..config import Edition, PortalOptions
from ..i18n import N_, direction
from ..i18n import theme as theme_words
from ..render import HTML_PAGE, LISTEN, easy_link, listen_tools, page_body
from ..render.emergency import EMERGENCY_NUMBERS
from ..render.headings import toc_tokens
from ..render.listen import guide_html
from ..render.localize import HOUR_PATTERN, TIME_PATTERN, Localizer
from ..render.markup import html_text
from ..render.professional import NO_ACCESS
from ..render.statements import STATUS
from .frames import FRAME, STUB_TEMPLATE, resolved_links
from .layout_cache import LayoutCache
from .links import shown, without_refused
from .search import write_search_document

#: What the page script (assets/javascripts/portal-now.js) writes, in the reader's language.
NOW_TEXTS = {
    "open": N_("Open now, until %(time)s"),
    "opens_today": N_("Closed now, opens at %(time)s"),
    "opens_tomorrow": N_("Closed now, opens tomorrow at %(time)s"),
    "opens_later": N_("Closed now, opens %(day)s at %(time)s"),
    "this_week": N_("This week"),
    "next_week": N_("Next week"),
}

# Pick-and-print (assets/javascripts/portal-print.js).
PRINT_TEXTS = {
    "pick": N_("Choose for printing"),
    "region": N_("Sheets chosen for printing"),
    "none": N_("Tick places and rights to print their sheets together."),
    "count": N_("Sheets chosen: %(n)s"),  # no plural to agree: said the same for any number
    "print": N_("Print the chosen sheets"),
    "clear": N_("Clear the choice"),
    "preparing": N_("Preparing the sheets…"),
    "failed": N_("A sheet could not be loaded: print it from its own page."),
}


log = logging.getLogger(f"mkdocs.plugins.{__name__}")

#: Settings of mkdocs.yml that the theme prints as they are, in elements and attributes
#: (<title>, <meta name="description">, the header): text, escaped once here.
PAGE_TEXTS = ("site_name", "site_description", "site_author", "repo_name")
#: Front matter of a hand-written page that the theme prints the same way.
META_TEXTS = ("description", "author")


class PortalPlugin(BasePlugin[PortalOptions]):
    language = i18n.SOURCE_LANGUAGE
    _site_files: frozenset[str]
    _layout: LayoutCache
    _in_navigation: frozenset[str]
    _listen_tools: Markup

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        # The generator names the language of each build; the theme's language may
        # differ from it ('fa' for 'fa-AF').
        self.language = self.config.build_language or config.theme.get("language") or self.config.languages[0]
        if self.language not in i18n.available_languages():
            self.language = self.config.languages[0]
        # A guide's « Écouter » buttons, in the language of the build, also on a guide
        # that stands in French for a missing one.
        self._listen_tools = Markup('<div lang="{}" dir="{}">{}</div>').format(
            self.language, direction(self.language), listen_tools(Localizer(self.language))
        )
        # mkdocs-material writes these unescaped in some places ({{ config.site_name }}) and
        # escaped in others (| e): as Markup, they are escaped once everywhere.
        for name in PAGE_TEXTS:
            config[name] = escaped(config.get(name))
        return config

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self._in_navigation = frozenset(page.file.src_uri for page in nav.pages)
        # A dirty build (the preview) reads only the pages it rebuilds; the navigation on
        # each of them names the others too, by the title in their source.
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)
        self._layout = LayoutCache([*_entry_urls(nav.items), "", str(config.theme.get("logo") or "")])
        return nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        # the site's files, final now: the links of generated pages point into them
        self._site_files = frozenset(file.src_uri for file in files)
        # The theme's own partials, as "material/partials/...": an override can wrap them.
        theme = FileSystemLoader(material.templates.__path__[0])
        # A stub's template writes nothing: its page is filled into its group's frame (`frames`).
        stub = DictLoader({STUB_TEMPLATE: ""})
        env.loader = ChoiceLoader([stub, env.loader, PrefixLoader({"material": theme})])  # type: ignore[list-item]
        env.globals["portal_cached"] = self._layout
        loc = Localizer(self.language)
        status = self.config.accessibility.status
        env.globals["gettext"] = loc.gettext
        env.globals["portal"] = {
            "language": self.language,
            "demo": self.config.demo,
            "professional": _professional(loc, self.config),
            "emergency": [
                {"number": e.number, "href": e.href, "label": loc.gettext(e.label), "short": loc.gettext(e.short)}
                for e in EMERGENCY_NUMBERS
            ],
            "now": now_config(loc, self.config.time_zone),
            # the theme's words, from our catalogs when the theme lacks the language
            "theme_strings": {}
            if theme_words.theme_has(config.theme.get("language"), self.language)
            else {
                key: html_text(loc.gettext(message).striptags()) for key, message in theme_words.THEME_STRINGS.items()
            },
            "print": {"texts": {key: loc.label(message) for key, message in PRINT_TEXTS.items()}},
            "footer": [
                {"label": loc.label(label), "url": routes.folder_url(path)}
                for label, path in [(STATUS[status], routes.ACCESSIBILITY), *routes.FOOTER]
            ],
        }
        return env

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        # A generated page is HTML already: keep it from the Markdown converter. It is
        # read again from its file just before it is written (`on_page_context`):
        # MkDocs would otherwise hold every page of a territory in memory at once.
        return "" if page.meta.get(HTML_PAGE) else markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        # A hand-written page holds only http(s), tel, mailto and relative links: `check`
        # reports the others at their line; one that got through is taken off here, and
        # the warning stops the build (strict), naming the page.
        if page.meta.get(HTML_PAGE):
            return html
        kept, refused = without_refused(html)
        for url in refused:
            log.warning(
                "la page « %s » contient un lien vers « %s », qui n'est pas permis : seuls les liens https://, http://, "
                "tel:, mailto: et relatifs le sont.",
                page.file.src_uri,
                shown(url),
            )
        if routes.is_guide(page.file.src_uri):
            # A guide is read aloud whole (« Écouter »): the theme loads the script (main.html).
            page.meta[LISTEN] = True
            kept = guide_html(kept, self._listen_tools, self._easy_link(page, files))
        return kept

    def _easy_link(self, page: Page, files: Files) -> Markup:
        """The link above a guide to its easy-read page, when the generator wrote one
        (from the guide's front matter, or the French guide's: `render.pages.easyread`)."""
        source = page.file.src_uri
        target = routes.easy_guide(source.rpartition("/")[2].removesuffix(".md"))
        if files.get_file_from_path(target) is None:
            return Markup("")
        return easy_link(Localizer(self.language), routes.relative_url(source, target))

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        framed = page.meta.get(FRAME)
        if framed == "stub":
            return context  # written after the engine, into its group's frame
        self._layout.enter(page.url, page.file.src_uri in self._in_navigation)
        # The theme writes the address into <link rel="canonical"> as it is. site_url is
        # checked (`config.web_address_problem`); escaping it too costs nothing.
        page.canonical_url = escaped(page.canonical_url)
        if not page.meta.get(HTML_PAGE):  # generated pages escape their own (`render._front_matter`)
            for key in META_TEXTS:
                if key in page.meta:
                    page.meta[key] = escaped(page.meta[key])
        if page.meta.get(HTML_PAGE):
            body = page_body(page.file.content_string)
            page.toc = get_toc(toc_tokens(body))  # type: ignore[arg-type]
            page.content = self._resolved(body, page)
        search = page.meta.get("search")
        if self.config.search_sources and not framed and not (isinstance(search, dict) and search.get("exclude")):
            write_search_document(
                Path(self.config.search_sources),
                page.file.dest_path,
                page.content or "",
                page.title or "",
                self.language,
            )
        if page.meta.get("portal_fallback") and not page.meta.get(HTML_PAGE):
            # A hand-written page standing in French for a missing translation: its table
            # of contents is in French too. A generated page's headings say their own
            # language (see `headings.toc_name`).
            _mark_french(page.toc)
        # The language switcher and the hreflang links lead to this same page in each
        # language (every language's site has the same pages). A 404 page is served at
        # any address: it offers no relative links to other languages.
        if page.url.endswith("404.html"):
            config.extra["alternate"] = []
            return context
        config.extra["alternate"] = [
            {
                "name": i18n.own_name(code),
                "lang": code,
                "dir": i18n.direction(code),
                "current": code == self.language,
                # Relative, even when site_url is known: a preview must not lead to
                # the public site. No script looks these pages up (the theme's fetched
                # every language's sitemap.xml for it: pages do not load it).
                "link": f"../{code}/{page.url}",
            }
            for code in self.config.languages
        ]
        return context

    def _resolved(self, body: str, page: Page) -> str:
        """Links written '/services/x.md' made relative to `page`, as MkDocs does in Markdown
        (`frames.resolved_links`); a link to a file that is not in the site is a warning,
        which fails the build."""
        missing: list[str] = []
        resolved = resolved_links(body, page.file.src_uri, self._site_files, missing)
        for path in missing:
            log.warning("la page « %s » contient un lien vers « /%s », qui n'existe pas.", page.file.src_uri, path)
        return resolved

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.meta.get(HTML_PAGE):
            # MkDocs keeps every page until the build ends; a generated page's HTML is
            # written now and read by no one after: a territory's pages need not all
            # be in memory at once. (The theme's HTML is corrected after the build: `finish`.)
            page.content = None
        return None


def _professional(loc: Localizer, options: PortalOptions) -> dict[str, Any] | None:
    """What every page of the professionals' edition says of itself; None on the public site.

    `access` is the territory's text (French, checked by `config`), else the catalog's sentence
    saying that the host is responsible; `french`: the text is the territory's, on another language's page.
    """
    if options.edition != Edition.PRO.value:
        return None
    access = " ".join((options.professional.access or "").split())
    if not access:
        return {"access": loc.label(NO_ACCESS), "french": False}
    return {"access": access, "french": loc.language != i18n.SOURCE_LANGUAGE}


def escaped(value: Any) -> Any:
    """Text as Markup, escaped once (Markup stays as it is); other values unchanged."""
    return escape(value) if isinstance(value, str) and not isinstance(value, Markup) else value


def now_config(loc: Localizer, time_zone: str) -> dict[str, Any]:
    """What the page script needs to write "open now" the way the pages do."""
    return {
        "zone": time_zone,
        "time": loc.label(TIME_PATTERN),
        "hour": loc.label(HOUR_PATTERN),
        "days": loc.weekdays,  # Monday first
        "texts": {key: loc.label(message) for key, message in NOW_TEXTS.items()},
    }


def _entry_urls(items: list[Any]) -> list[str]:
    """The addresses the navigation links to, sections unfolded."""
    urls = []
    for item in items:
        if isinstance(item, Section):
            urls += _entry_urls(item.children)
        elif isinstance(item, (Page, Link)) and item.url is not None:
            urls.append(item.url)
    return urls


def _mark_french(items: Any) -> None:
    for item in items:
        item.title = (
            f'<span lang="{i18n.SOURCE_LANGUAGE}" dir="{i18n.direction(i18n.SOURCE_LANGUAGE)}">{item.title}</span>'
        )
        _mark_french(item.children)
