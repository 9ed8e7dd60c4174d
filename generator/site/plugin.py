"""The ``portal`` MkDocs plugin: what is still done inside the engine's hooks.

It runs inside each language's MkDocs (or ProperDocs) build. The pages are
generated before the engine starts (see `build`), and what the theme overrides
show on every page is data in the work folder's `mkdocs.yml` (`theme_data`). The
plugin keeps what depends on the engine's own objects: the rendering cache of
the menus (`layout_cache`), the frames' stub template, page by page the table of
contents, links, search document and the links to the same page in the other
languages, and the checks of hand-written pages (docs/engines.md lists each hook)."""

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
from ..config import PortalOptions
from ..i18n import direction
from ..render import HTML_PAGE, LISTEN, easy_link, listen_tools, page_body
from ..render.headings import toc_tokens
from ..render.listen import guide_html
from ..render.localize import Localizer
from .frames import FRAME, STUB_TEMPLATE, resolved_links
from .layout_cache import LayoutCache
from .links import shown, without_refused
from .search import write_search_document

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


def escaped(value: Any) -> Any:
    """Text as Markup, escaped once (Markup stays as it is); other values unchanged."""
    return escape(value) if isinstance(value, str) and not isinstance(value, Markup) else value


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
