"""Hand-written pages (``content/<lang>/``), and honest stand-ins for missing ones.

French is the reference: every page exists in ``content/fr/``. A language
that lacks a page gets the French page inside an element marked
``lang="fr"``, flagged so that the theme says, in the reader's language,
that the page is only available in French. A page is never copied under
another language as if it were written in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup
from mkdocs.utils.meta import get_data

from ..i18n import SOURCE_LANGUAGE, direction
from ..problems import Report
from ..render import Guide
from ..render.markup import md_escape
from .links import links_to_refuse


class ContentError(Exception):
    """Hand-written pages that cannot be built; the message says which and why."""


@dataclass(frozen=True)
class ContentPage:
    path: str  # relative to the docs folder, like 'a-propos.md'
    source: Path
    fallback: bool = False  # the French page, standing in for a missing translation
    title: str = ""  # nav title (HTML) of a stand-in page; MkDocs finds the others'

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")

    @property
    def in_nav(self) -> bool:
        """Top-level pages, and the index page of a folder (guides/index.md): not every guide."""
        return self.is_markdown and ("/" not in self.path or self.path.endswith("/index.md"))


def _files(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def check_content(content_root: Path, languages: Sequence[str], report: Report) -> None:
    """What `check` says of the hand-written pages: a page that is not UTF-8 text, a link
    that is not allowed (see `links`), each at its file and line."""
    for language in dict.fromkeys([SOURCE_LANGUAGE, *languages]):
        for path in _files(content_root / language).values():
            if path.suffix != ".md":
                continue
            data = path.read_bytes()
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                report.error(
                    path,
                    data.count(b"\n", 0, error.start) + 1,
                    f"this page is not UTF-8 text (byte 0x{data[error.start]:02X} cannot be read): save it "
                    "again with the UTF-8 encoding (in most editors: 'Save as', encoding 'UTF-8')",
                )
                continue
            for link in links_to_refuse(text):
                report.error(path, link.line, link.message())


def content_pages(content_root: Path, language: str) -> list[ContentPage]:
    """The hand-written pages of one language's site, stand-ins included."""
    reference = _files(content_root / SOURCE_LANGUAGE)
    own = _files(content_root / language)
    orphans = sorted(set(own) - set(reference))
    if orphans:
        raise ContentError(
            f"{content_root / language}: {', '.join(orphans)} has no French version in "
            f"{content_root / SOURCE_LANGUAGE}: every page is written in French first"
        )
    pages = []
    for path, french in reference.items():
        if path in own:
            pages.append(ContentPage(path, own[path]))
        elif path.endswith(".md"):
            pages.append(ContentPage(path, french, fallback=True, title=_nav_title(french)))
        else:  # images and other files are shared
            pages.append(ContentPage(path, french))
    return pages


def _title(text: str, fallback: str) -> str:
    body, meta = get_data(text)
    title = meta.get("title")
    if isinstance(title, str):
        return title
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def _nav_title(source: Path) -> str:
    title = _title(source.read_text(encoding="utf-8"), source.stem)
    tag = f'<span lang="{SOURCE_LANGUAGE}" dir="{direction(SOURCE_LANGUAGE)}">{md_escape(title)}</span>'
    return str(Markup(tag))


def page_text(page: ContentPage) -> str:
    """The Markdown to write for a page: as written, or wrapped as a French stand-in."""
    text = page.source.read_text(encoding="utf-8")
    if not page.fallback:
        return text
    body, _meta = get_data(text)
    meta = {"title": page.title, "portal_fallback": True}
    return (
        "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n"
        f'<div lang="{SOURCE_LANGUAGE}" dir="{direction(SOURCE_LANGUAGE)}" markdown>\n\n'
        f"{body.strip()}\n\n</div>\n"
    )


def guide_titles(content_root: Path, language: str) -> dict[str, Guide]:
    """Each guide's title in a language, and the language it is really in (French fallback)."""
    titles = {}
    for source in sorted((content_root / SOURCE_LANGUAGE / "guides").glob("*.md")):
        if source.stem == "index":
            continue
        translated = content_root / language / "guides" / source.name
        page = translated if translated.is_file() else source
        text = page.read_text(encoding="utf-8")
        titles[source.stem] = Guide(_title(text, source.stem), language if page is translated else SOURCE_LANGUAGE)
    return titles
