"""Build stage: write each language's pages, run MkDocs once per language, assemble.

For each language, the generated Markdown and the hand-written pages of
``content/<lang>/`` go into a work folder with a small ``mkdocs.yml`` that
inherits the territory's (``INHERIT:``) and sets that language's theme
language, direction, navigation and output folder. The MkDocs builds run in
parallel processes. Everything is built into a staging folder next to the
target, which replaces the target only when every language succeeded: a
failed build leaves the previous site as it was.

Before anything is written, the build checks that the site can be replaced (its
parent folder writable, the previous site's folders deletable). Its folders
(staging, the previous site set aside, the temporary work folder) are owned
folders (`workfolders`): deleted when the build ends, is stopped by SIGTERM or
SIGINT, or, when it was killed, by the next build. The swap says what it did
(`Swap`): the new site in place, and the path of the previous copy when it
could not be deleted.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import material.templates as mkdocs_material_templates
import yaml

from .. import i18n, routes
from ..config import PLUGIN_NAME, THEME_SEARCH, PortalConfig
from ..editor import admin_files, schema_files
from ..opendata import data_files
from ..opendata.geojson import geojson_files
from ..records.directory import Directory
from ..render import RecordIds, RenderContext, iter_language
from ..render.localize import Localizer
from .content import ContentError, ContentPage, content_pages, guide_titles, page_text
from .engines import DEFAULT_ENGINE, ENGINE_NAMES, LanguageResult, engine_problem, run_engine
from .frames import FramePlanner, file_url, fill_language
from .search import SearchIndexError, index_language
from .theme_data import theme_data
from .workfolders import (
    OWNER_MARKER,
    Cleaned,
    Interrupted,
    OwnedFolder,
    OwnedFolders,
    aside_prefix,
    clean_leftovers,
    leftover_places,
    reset_signals_in_worker,
    staging_prefix,
    uninterrupted,
)

#: A file in every built site: only a folder that has it may be replaced by a build.
SITE_MARKER = ".portal-site"
#: The theme's interface translations, one file per language it knows.
THEME_LANGUAGES = Path(mkdocs_material_templates.__file__).parent / "partials" / "languages"


class BuildError(Exception):
    """The build failed; the message says why, in words for the coordinator. `site_changed`:
    the site folder is not as it was (the message says where things are)."""

    def __init__(self, message: str, *, site_changed: bool = False) -> None:
        super().__init__(message)
        self.site_changed = site_changed


@dataclass(frozen=True)
class Swap:
    """What the swap did: the new site is in `site_dir`; `left_over` is where the previous
    copy stayed when it could not be deleted, and `reason` why."""

    site_dir: Path
    left_over: Path | None = None
    reason: str = ""


@dataclass(frozen=True)
class SiteBuild:
    """A published build: each language's result, the swap, and what earlier builds left that was cleaned."""

    results: list[LanguageResult]
    swap: Swap
    cleaned: Cleaned = field(default_factory=Cleaned)


# --- per-language sources --------------------------------------------------


def _nav(loc: Localizer, content: list[ContentPage], professional: bool = False) -> list[Any]:
    # nav titles are HTML: a French stand-in keeps its lang
    entries = routes.navigation(professional=professional)
    nav: list[Any] = [{str(loc.gettext(label)): path} for label, path in entries]
    nav.extend({page.title: page.path} if page.fallback else page.path for page in content if page.in_nav)
    return nav


def _theme_language(language: str) -> str:
    """The theme's own interface language: the tag, its primary language, or English."""
    for candidate in (language, language.split("-")[0]):
        if (THEME_LANGUAGES / f"{candidate}.html").is_file():
            return candidate
    return "en"


def _plugins(config: PortalConfig, language: str, search_sources: Path) -> list[Any]:
    """The territory's plugins, with the portal's options for this language.

    The theme's `search` plugin is left out: the portal's search is Pagefind (see
    `search.py`), whose index a reader downloads in small pieces.
    """
    plugins: list[Any] = []
    for entry in config.plugins:
        if entry.name in THEME_SEARCH:
            continue
        if entry.name == PLUGIN_NAME:
            plugins.append(
                entry.written(
                    {
                        **entry.options,
                        "build_language": language,
                        "search_sources": str(search_sources),
                    }
                )
            )
        else:
            plugins.append(entry.written())
    return plugins


def search_sources(work_dir: Path, language: str) -> Path:
    """Where a language's build writes what the search indexes (see `search.py`)."""
    return work_dir / language / "search"


def render_context(config: PortalConfig, directory: Directory, language: str) -> RenderContext:
    """What one language's pages are made from."""
    return RenderContext.for_language(directory, language, config.site, guide_titles(config.content, language))


def language_files(
    config: PortalConfig, directory: Directory, language: str, only: RecordIds | None = None
) -> Iterator[tuple[str, str]]:
    """The generated files of one language (`only` the pages of some records), as they are rendered."""
    return iter_language(render_context(config, directory, language), only)


def prepare_language(
    config: PortalConfig, directory: Directory, language: str, work_dir: Path, site_dir: Path, *, frames: bool = True
) -> Path:
    """Write one language's docs folder and config; return the config's path.

    `frames`: the generated pages outside the navigation are filled into frames after the
    engine (`frames.py`) rather than each rendered by it.
    """
    root = work_dir / language
    docs = root / "docs"
    if root.exists():
        shutil.rmtree(root)
    docs.mkdir(parents=True)

    try:
        content = content_pages(config.content, language)
    except ContentError as error:
        raise BuildError(str(error)) from None
    hand_written = {page.path for page in content}
    for page in content:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if page.is_markdown:
            target.write_text(page_text(page), encoding="utf-8")
        else:
            shutil.copyfile(page.source, target)
    loc = Localizer(language)
    nav = _nav(loc, content, config.professional)
    nav_paths = [entry if isinstance(entry, str) else next(iter(entry.values())) for entry in nav]
    # Every page the frame links to (menu, footer): a page's links to them decide its frame.
    linked = [*nav_paths, routes.ACCESSIBILITY, *(path for _, path in routes.FOOTER)]
    planner = FramePlanner(docs, root, [file_url(path) for path in linked] + [""], nav_paths) if frames else None
    # Generated pages are written as they are rendered: never all in memory.
    clashes = []
    for relative, text in language_files(config, directory, language):
        if relative in hand_written:
            clashes.append(relative)
            continue
        target = docs / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(planner.page(relative, text) if planner else text, encoding="utf-8")
    if planner is not None:
        planner.close()
    if clashes:
        raise BuildError(
            f"{config.content / language} : {', '.join(sorted(clashes))} remplacerait une page produite par le générateur : "
            "renommez la page écrite à la main"
        )

    theme_language = _theme_language(language)
    child: dict[str, Any] = {
        "INHERIT": os.path.relpath(config.config_file, root),
        "site_name": config.site.name_in(language),
        "docs_dir": str(docs),
        "site_dir": str(site_dir / language),
        "theme": {"language": theme_language, "direction": loc.direction},
        "plugins": _plugins(config, language, search_sources(work_dir, language)),
        "nav": nav,
        "not_in_nav": "\n".join(
            [f"/{folder}/*" for folder in routes.NOT_IN_NAVIGATION]
            + [f"/{page.path}" for page in content if page.is_markdown and not page.in_nav]
        )
        + "\n",
        "extra": {
            # what the theme overrides show on every page (`theme_data`)
            "portal": theme_data(config.site, language, theme_language, directory.calendar.zone),
            # The `portal` plugin turns these into links to the same page in each language.
            "alternate": [
                {"name": i18n.own_name(code), "lang": code, "dir": i18n.direction(code), "link": f"../{code}/"}
                for code in config.languages
            ],
        },
    }
    if config.custom_dir is not None:
        child["theme"]["custom_dir"] = str(config.custom_dir)
    if config.site.url:
        child["site_url"] = config.site.url.rstrip("/") + f"/{language}/"
    config_path = root / "mkdocs.yml"
    config_path.write_text(yaml.safe_dump(child, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_path


# --- running the engine ---------------------------------------------------


def build_language(
    config: PortalConfig,
    directory: Directory,
    language: str,
    work_dir: Path,
    site_dir: Path,
    engine: str = DEFAULT_ENGINE,
    frames: bool = True,
) -> LanguageResult:
    """Render and build one language (in a worker process); warnings fail it, as --strict does."""
    try:
        config_path = prepare_language(config, directory, language, work_dir, site_dir, frames=frames)
    except BuildError as error:
        return LanguageResult(language, False, (f"erreur : {error}",), 0)
    result = run_engine(engine, config_path, language)
    if not result.ok:
        return result
    root = config_path.parent
    problems = fill_language(root, root / "docs", site_dir / language, search_sources(work_dir, language), language)
    # the engine wrote no file for the stubs: count the pages now that they are filled
    pages = sum(1 for _ in (site_dir / language).rglob("*.html"))
    if problems:
        return LanguageResult(language, False, tuple(problems), pages)
    return LanguageResult(language, True, (), pages)


def _run_builds(
    config: PortalConfig,
    directory: Directory,
    work_dir: Path,
    site_dir: Path,
    workers: int,
    languages: tuple[str, ...],
    engine: str = DEFAULT_ENGINE,
    frames: bool = True,
    meanwhile: Callable[[], None] = lambda: None,
) -> list[LanguageResult]:
    """One build per language, in parallel processes when there are several; `meanwhile`
    runs in this process while they do."""
    if len(languages) == 1 or workers == 1:
        results = [
            build_language(config, directory, language, work_dir, site_dir, engine, frames) for language in languages
        ]
        if all(result.ok for result in results):
            meanwhile()
        return results
    # One process per language, up to twice the cores: three languages on two cores
    # finish together in 1.5 times one language's time, instead of two rounds.
    pool = ProcessPoolExecutor(max_workers=min(2 * workers, len(languages)), initializer=reset_signals_in_worker)
    try:
        futures = [
            pool.submit(build_language, config, directory, language, work_dir, site_dir, engine, frames)
            for language in languages
        ]
        meanwhile()
        results = [future.result() for future in futures]
    except BaseException:
        _stop_workers(pool)  # before the caller deletes the folders they write in
        raise
    pool.shutdown()
    return results


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now, not after their language's build (Python 3.14 has `terminate_workers`)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=10)


# --- assembling --------------------------------------------------------------


def _root_page(config: PortalConfig) -> str:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates"), autoescape=True
    )
    languages = [{"code": code, "name": i18n.own_name(code), "dir": i18n.direction(code)} for code in config.languages]
    return environment.get_template("root.html").render(
        site_name=config.site.name, languages=languages, default=config.default_language
    )


def _check_site_dir(config: PortalConfig, site_dir: Path) -> None:
    """Refuse a target whose replacement would destroy anything but an earlier site."""
    protected = [config.root, config.directory, config.content, config.config_file]
    if config.custom_dir is not None:
        protected.append(config.custom_dir)
    for path in protected:
        if site_dir == path or site_dir in path.parents:
            raise BuildError(
                f"le dossier du site {site_dir} remplacerait {path} : choisissez un dossier à part, comme 'site'"
            )
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        raise BuildError(
            f"{site_dir} est un fichier, pas un dossier : choisissez un dossier pour le site, comme 'site'"
        )
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / SITE_MARKER).is_file():
        raise BuildError(
            f"{site_dir} existe déjà et n'a pas été construit par ce générateur : il serait "
            "remplacé. Videz-le, supprimez-le, ou choisissez un autre dossier, comme 'site'"
        )


def _writable(folder: Path) -> bool:
    """Whether this user may create and delete entries in `folder` (the system's own answer:
    a read-only file system or an immutable folder says no even to root)."""
    return os.access(folder, os.W_OK | os.X_OK)


def _check_replaceable(site_dir: Path) -> None:
    """Refuse, before anything is written, a site that could not be put in place or whose
    previous copy could not be replaced: a parent folder that cannot be written, a folder of
    the previous site whose files cannot be deleted."""
    parent = site_dir.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent  # the folder where the missing ones will be made
    if not parent.is_dir() or not _writable(parent):
        raise BuildError(
            f"{parent} n'est pas modifiable par ce compte, or la construction écrit le site à côté de {site_dir.name} "
            f"avant de le mettre en place : donnez le droit d'écrire dans {parent} (chmod u+w), "
            "ou choisissez un autre --site-dir"
        )
    if not site_dir.is_dir():
        return
    info, holder = site_dir.stat(), parent.stat()
    if holder.st_mode & stat.S_ISVTX and os.geteuid() not in (0, info.st_uid, holder.st_uid):
        raise BuildError(
            f"{site_dir} appartient à un autre compte, dans un dossier où seul son propriétaire peut le déplacer ou le "
            "supprimer : construisez avec ce compte, ou choisissez un autre --site-dir"
        )

    def unreadable(error: OSError) -> None:
        raise BuildError(
            f"{error.filename} n'est pas lisible par ce compte : l'ancien site de {site_dir} ne pourrait pas être "
            f"supprimé une fois remplacé. Donnez le droit de le lire (chmod -R u+rwX {site_dir}), "
            "ou choisissez un autre --site-dir"
        )

    # Links are not followed: only their own entry is deleted.
    for folder, _, _ in os.walk(site_dir, onerror=unreadable):
        if not _writable(Path(folder)):
            raise BuildError(
                f"{folder} n'est pas modifiable par ce compte : l'ancien site de {site_dir} ne pourrait pas être "
                f"supprimé une fois remplacé. Donnez le droit d'y écrire (chmod -R u+w {site_dir}), "
                "ou choisissez un autre --site-dir"
            )


def _put_in_place(staged: Path, target: Path) -> OwnedFolder | None:
    """Put the staged site in place of `target`; the previous site, moved into a folder
    of ours beside it (`.site.old-*`), is returned to be deleted (`_delete_previous`)."""
    if not target.exists():
        try:
            staged.rename(target)
        except OSError as error:
            raise BuildError(f"le nouveau site n'a pas pu être mis dans {target} : {error.strerror}") from None
        return None
    try:
        aside = OwnedFolder.create(target.parent, aside_prefix(target))
    except OSError as error:
        raise BuildError(f"{target.parent} : l'ancien site n'a pas pu y être mis de côté : {error.strerror}") from None
    previous = aside.path / "site"
    try:
        target.rename(previous)
    except OSError as error:
        aside.remove()
        raise BuildError(
            f"{target} n'a pas pu être mis de côté pour mettre le nouveau site en place : {error.strerror}"
        ) from None
    try:
        staged.rename(target)
    except OSError as error:
        try:
            previous.rename(target)  # the previous site back in place
        except OSError:
            # Never let a later build delete the only copy of the site: it is no longer ours.
            aside.release()
            (aside.path / OWNER_MARKER).unlink(missing_ok=True)
            raise BuildError(
                f"le nouveau site n'a pas pu être mis à la place de {target} ({error.strerror}), et l'ancien "
                f"site n'a pas pu être remis : il est dans {previous}. Remettez-le à la main dans {target}",
                site_changed=True,
            ) from None
        aside.remove()
        raise BuildError(f"le nouveau site n'a pas pu être mis à la place de {target} : {error.strerror}") from None
    return aside


def _delete_previous(target: Path, aside: OwnedFolder) -> Swap:
    """Delete the previous site, set aside; when it cannot be, say where it stays (the next build tries again)."""
    try:
        aside.remove()
    except OSError as error:  # the new site is published all the same
        return Swap(target, aside.path, f"{error.strerror or error}: {error.filename or aside.path}")
    return Swap(target)


def open_data_files(config: PortalConfig, directory: Directory) -> dict[str, bytes]:
    """Every file of data/, by path from the site's root: GeoJSON, tables, datapackage.json."""
    geojson = geojson_files(directory, config.languages)
    options = config.site.open_data
    tables = data_files(
        directory,
        base_url=config.site.url,
        separator=options.separator,
        licence={"name": options.licence_id, "title": options.licence, "path": options.licence_url},
        title=config.site.name,
        producer=options.producer,
        other_files=geojson,
    )
    return {**{path: text.encode("utf-8") for path, text in geojson.items()}, **tables}


def write_shared_files(config: PortalConfig, directory: Directory, site: Path) -> None:
    """The files of the site that belong to no language: root page, data/, the editor, the site's marker."""
    (site / "index.html").write_text(_root_page(config), encoding="utf-8")
    if config.professional:
        # Kept out of search engines (each page also says noindex): the host protects it, this only asks.
        (site / routes.ROBOTS).write_text("User-agent: *\nDisallow: /\n", encoding="utf-8")
    editing = {**schema_files(config.site.url), **admin_files(config, directory)}
    for relative, data in {**open_data_files(config, directory), **editing}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    (site / SITE_MARKER).write_text(
        "Built by the care-portal generator; the next build replaces this folder.\n", encoding="utf-8"
    )


def build_site(
    config: PortalConfig,
    directory: Directory,
    site_dir: Path,
    *,
    work_dir: Path | None = None,
    workers: int | None = None,
    languages: tuple[str, ...] | None = None,
    engine: str = DEFAULT_ENGINE,
    frames: bool = True,
) -> SiteBuild:
    """Build every language (or only `languages`) into `site_dir`, replacing it only on success.

    With `languages`, the site has those languages' folders, and the files shared by
    all (root page, data/) as a full build writes them: builds of different
    languages, run apart (a CI matrix), put together give the full site.

    Raises `BuildError` (nothing changed), or `Interrupted` on a signal (see
    `workfolders.stop_on_signals`); returns the swap's outcome and what was cleaned
    of earlier, killed builds.
    """
    languages = tuple(languages or config.languages)
    problem = engine_problem(engine)
    if problem is not None:
        raise BuildError(problem)
    if not config.professional:
        directory = directory.without_professional()  # see `Directory.without_professional`
    unknown = [code for code in languages if code not in config.languages]
    if unknown:
        raise BuildError(
            f"{', '.join(unknown)} : pas une langue de {config.config_file.name} "
            f"(ses langues : {', '.join(config.languages)})"
        )
    site_dir = site_dir.resolve()
    _check_site_dir(config, site_dir)
    _check_replaceable(site_dir)
    cleaned = clean_leftovers(leftover_places(site_dir))
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"{site_dir.parent} n'a pas pu être créé : {error.strerror}") from None
    folders = OwnedFolders()
    published, aside = False, None
    try:
        try:
            staged = folders.make(site_dir.parent, staging_prefix(site_dir)).path / "site"
        except OSError as error:
            raise BuildError(f"{site_dir.parent} : la construction n'a pas pu y écrire : {error.strerror}") from None
        staged.mkdir()
        if work_dir is None:
            work_dir = folders.make(Path(tempfile.gettempdir()), "portal-build-").path
        results = _run_builds(
            config,
            directory,
            work_dir,
            staged,
            workers or os.cpu_count() or 1,
            languages,
            engine,
            frames,
            meanwhile=lambda: write_shared_files(config, directory, staged),
        )
        failed = [r for r in results if not r.ok]
        if failed:
            lines = [f"[{r.language}] {message}" for r in failed for message in r.messages]
            raise BuildError(f"la construction par {ENGINE_NAMES[engine]} a échoué :\n" + "\n".join(lines))
        # After the languages' processes have ended, one language at a time: Pagefind holds
        # what it indexes in memory and uses every core by itself. (Indexing each language in
        # its own process, as soon as it was built, took the peak memory of 1,000 services from
        # 532 MB to 1,082 MB, and 10,000 services' to 6.1 GB, for 2 s.)
        for language in languages:
            try:
                index_language(search_sources(work_dir, language), staged / language, language)
            except SearchIndexError as error:
                raise BuildError(str(error)) from None
        with uninterrupted():  # the two renames: a signal waits until the new site is in place
            aside = _put_in_place(staged, site_dir)
            published = True
        # Interrupted while the previous copy is deleted, it stays marked: the next build deletes it.
        swap = Swap(site_dir) if aside is None else _delete_previous(site_dir, aside)
        return SiteBuild(results, swap, cleaned)
    except Interrupted as stop:
        if published:
            stop.published, stop.left_over = site_dir, aside.path if aside is not None else None
        raise
    finally:
        folders.remove_all()  # what resists keeps its marker: the next build deletes it
