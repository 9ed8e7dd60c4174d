"""Hand-written pages (``content/<lang>/``), and honest stand-ins for missing ones.

French is the reference: every page exists in ``content/fr/``. A language
that lacks a page gets the French page inside an element marked
``lang="fr"``, flagged so that the theme says, in the reader's language,
that the page is only available in French. A page is never copied under
another language as if it were written in it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup
from mkdocs.utils.meta import get_data

from .. import routes
from ..guarded import FileRefused, folder_entries, is_regular_inside, read_bytes, read_text
from ..i18n import SOURCE_LANGUAGE, direction
from ..problems import Report
from ..records.models import EasyStep, GuideEasyStep
from ..records.types import LocalizedText
from ..records.validate import validate_guide
from ..render import Guide
from ..render.markup import md_escape
from .links import links_to_refuse


class ContentError(Exception):
    """Hand-written pages that cannot be built; the message says which and why."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass(frozen=True)
class ContentPage:
    path: str  # relative to the docs folder, like 'a-propos.md'
    source: Path
    fallback: bool = False  # the French page, standing in for a missing translation
    title: str = ""  # nav title (HTML) of a stand-in page; MkDocs finds the others'
    root: Path | None = None  # the content folder the source must stay in (`guarded`)

    @property
    def is_markdown(self) -> bool:
        return self.path.endswith(".md")

    @property
    def in_nav(self) -> bool:
        """Top-level pages, and the index page of a folder (guides/index.md): not every guide."""
        return self.is_markdown and ("/" not in self.path or self.path.endswith("/index.md"))


def _read(source: Path, root: Path | None) -> str:
    """A hand-written page's text: a regular UTF-8 file inside the content folder (`guarded`)."""
    try:
        return read_text(source, root, "les pages")
    except FileRefused as refused:
        raise ContentError(source, f"non lue : {refused.reason}") from None
    except UnicodeDecodeError:
        raise ContentError(source, "la page n'est pas du texte UTF-8 : enregistrez-la en UTF-8") from None


def _files(folder: Path, root: Path) -> dict[str, Path]:
    """Every file under `folder`, by its path relative to it; ContentError on one that must not be used."""
    found: dict[str, Path] = {}
    seen: set[str] = set()  # real folders already listed: a link back up is not followed forever
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = folder_entries(current, root, "les pages")
        except FileRefused as refused:
            raise ContentError(current, f"rien n'a été lu ici : {refused.reason}") from None
        for path in entries:
            if path.name.startswith("."):
                continue
            if path.is_dir():
                real = os.path.realpath(path)
                inside = os.path.realpath(current)
                if real == inside or inside.startswith(real.rstrip(os.sep) + os.sep):
                    raise ContentError(
                        path, "c'est un lien vers un dossier qui le contient (une boucle) : enlevez le lien"
                    )
                if real not in seen:
                    seen.add(real)
                    pending.append(path)
            elif is_regular_inside(path, root):
                found[path.relative_to(folder).as_posix()] = path
            else:
                _read(path, root)  # raises the reason: a link outside, a device, a pipe...
    return dict(sorted(found.items()))


def check_content(content_root: Path, languages: Sequence[str], report: Report) -> None:
    """What `check` says of the hand-written pages, each at its file (and line): a page
    `build` could not use (a link out of `content/`, a device, a page without its French
    original), a page that is not UTF-8 text, a link that is not allowed (see `links`)."""

    def refuse(path: Path, message: str) -> None:
        # A page read for several languages (the French stand-ins) is said once.
        if path not in {p.path for p in report.problems}:
            report.error(path, 0, message)

    for language in dict.fromkeys([SOURCE_LANGUAGE, *languages]):
        folder = content_root / language
        try:
            own = _files(folder, content_root) if folder.is_dir() else {}
        except ContentError as error:
            refuse(error.path, error.message)
            continue
        for relative, path in own.items():
            if path.suffix != ".md":
                continue
            try:
                data = read_bytes(path, content_root, "les pages")
            except FileRefused as refused:
                refuse(path, f"non lue : {refused.reason}")
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as error:
                report.error(
                    path,
                    data.count(b"\n", 0, error.start) + 1,
                    f"cette page n'est pas du texte UTF-8 (l'octet 0x{data[error.start]:02X} ne peut pas être lu) : "
                    "enregistrez-la de nouveau en UTF-8 (dans la plupart des éditeurs : « Enregistrer sous », "
                    "codage « UTF-8 »)",
                )
                continue
            for link in links_to_refuse(text):
                report.error(path, link.line, link.message())
            if routes.is_guide(relative):
                validate_guide(path, text, language, report)
        try:
            content_pages(content_root, language)
        except ContentError as error:
            refuse(error.path, error.message)


def content_pages(content_root: Path, language: str) -> list[ContentPage]:
    """The hand-written pages of one language's site, stand-ins included."""
    reference = _files(content_root / SOURCE_LANGUAGE, content_root)
    own = _files(content_root / language, content_root)
    orphans = sorted(set(own) - set(reference))
    if orphans:
        raise ContentError(
            content_root / language,
            f"{', '.join(orphans)} : pas de version française dans "
            f"{content_root / SOURCE_LANGUAGE} : chaque page est d'abord écrite en français",
        )
    pages = []
    for path, french in reference.items():
        if path in own:
            pages.append(ContentPage(path, own[path], root=content_root))
        elif path.endswith(".md"):
            title = _nav_title(french, content_root)
            pages.append(ContentPage(path, french, fallback=True, title=title, root=content_root))
        else:  # images and other files are shared
            pages.append(ContentPage(path, french, root=content_root))
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


def _nav_title(source: Path, root: Path) -> str:
    title = _title(_read(source, root), source.stem)
    tag = f'<span lang="{SOURCE_LANGUAGE}" dir="{direction(SOURCE_LANGUAGE)}">{md_escape(title)}</span>'
    return str(Markup(tag))


def page_text(page: ContentPage) -> str:
    """The Markdown to write for a page: as written, or wrapped as a French stand-in."""
    text = _read(page.source, page.root)
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
    """Each guide's title in a language, the language it is really in (French fallback), and
    its easy-read text (checked by `check_content` before any build)."""
    titles = {}
    for source in sorted((content_root / SOURCE_LANGUAGE / "guides").glob("*.md")):
        if source.stem == "index":
            continue
        translated = content_root / language / "guides" / source.name
        page = translated if os.path.lexists(translated) else source
        text = _read(page, content_root)
        written_in = language if page is translated else SOURCE_LANGUAGE
        easy = _easy_text(page, text, written_in)
        if not easy and page is translated:  # as a record's: the French easy-read text, said French
            easy = _easy_text(source, _read(source, content_root), SOURCE_LANGUAGE)
        titles[source.stem] = Guide(_title(text, source.stem), written_in, easy)
    return titles


def _easy_text(path: Path, text: str, language: str) -> tuple[EasyStep, ...]:
    front = validate_guide(path, text, language, Report())
    return tuple(_easy_step(step, language) for step in front.easy) if front else ()


def _easy_step(step: GuideEasyStep, language: str) -> EasyStep:
    # As a guide's title (`views.guide_links`): a text in one language, French when untranslated.
    return EasyStep(text=LocalizedText({SOURCE_LANGUAGE: step.text, language: step.text}), icon=step.icon)
