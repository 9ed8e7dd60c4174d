"""The live preview of `serve`: a full build first, then only what an edit changed.

Rendering every page of one language takes seconds (listings, calendars, a
pathway's outcome in every commune); one record's page takes milliseconds. So
after a record is saved, the preview

1. renders the own pages of the records that changed, has MkDocs build those
   pages only (a dirty build: Markdown newer than its HTML) and lets the
   browser reload: the edit shows in about a second (`quick`);
2. in a background thread, renders every page and rewrites only those whose
   text changed (`rest`); when it is done it touches a file the server watches,
   and the next call builds those pages, the search index and `data/`
   (`finish`): listings, maps and calendars follow a few seconds later.

Anything else (mkdocs.yml, content/, overrides/, the taxonomy, the communes,
a pathway, the date, a record removed) gets a full build, as `build` makes it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import PortalConfig
from ..records.directory import Directory
from ..render import RecordIds
from .build import (
    BuildError,
    build_site,
    language_files,
    search_sources,
    write_shared_files,
)
from .content import content_pages
from .engines import LanguageResult, run_mkdocs
from .search import SearchIndexError, index_language
from .workfolders import Interrupted, OwnedFolders, clean_leftovers

#: What a preview step did, for the person editing: "full", "quick", "finish" or "nothing".
Step = str


def changed_records(before: Directory, after: Directory) -> RecordIds | None:
    """The records an edit changed, or None when more than records changed, or a record went."""
    if (before.today, before.taxonomy, before.territory, before.pathways) != (
        after.today,
        after.taxonomy,
        after.territory,
        after.pathways,
    ):
        return None
    changed = {}
    for kind in ("services", "permanences", "dispositifs"):
        old, new = getattr(before, kind), getattr(after, kind)
        if old.keys() - new.keys():
            return None  # its page and every link to it must go: a full build
        changed[kind] = frozenset(rid for rid, record in new.items() if old.get(rid) != record)
    return RecordIds(**changed)


def fingerprint(paths: list[Path]) -> dict[str, int]:
    """When each file under `paths` last changed: what is not a record needs a full build."""
    stamps = {}
    for path in paths:
        for file in [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []:
            if file.is_file():
                stamps[str(file)] = file.stat().st_mtime_ns
    return stamps


def write_if_changed(target: Path, text: str) -> bool:
    """Write a page only when its text changed: MkDocs' dirty build goes by modification time."""
    try:
        if target.read_text(encoding="utf-8") == text:
            return False
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return True


@dataclass
class Preview:
    """One preview's folders and what it last built. `changed` is called (from the
    background thread) when the rest of the pages are written and wait for `finish`;
    `start` runs `rest` in the background (a thread; tests may hold it back)."""

    languages: tuple[str, ...]
    work_dir: Path
    site_dir: Path
    changed: Callable[[], None]
    start: Callable[[Callable[[], None]], None] = lambda job: threading.Thread(target=job, daemon=True).start()
    config: PortalConfig | None = None
    directory: Directory | None = None
    stamps: dict[str, int] = field(default_factory=dict)
    _generation: int = 0
    _ready: int = -1  # the generation whose pages `rest` has written, waiting for `finish`
    _whole: bool = False  # `rest` found a page that is no longer made, or failed: build it all
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def update(self, config: PortalConfig, directory: Directory) -> Step:
        """Bring the site up to date with these records; say what it took."""
        stamps = fingerprint(_not_records(config))
        only = None
        if self.config is not None and self.directory is not None and stamps == self.stamps:
            only = changed_records(self.directory, directory)
        if only is not None and not only:  # no record changed: the pages of `rest`, if it is done
            with self._lock:
                ready, self._ready = self._ready == self._generation, -1
                whole = self._whole
            if ready and not whole:
                self._guarded(self.finish)
                return "finish"
            if not ready:
                return "nothing"
            only = None  # `rest` found pages to delete, or failed: a full build says why
        with self._lock:
            self._generation += 1  # a `rest` still running stops: its pages are out of date
            generation = self._generation
            self._whole = False
        self.config, self.stamps, self.directory = config, stamps, directory
        if only is not None:
            changed = only
            try:
                self._guarded(lambda: self.quick(changed))
            except BuildError:
                only = None  # like a link to a page only a full build makes (a new category's)
            else:
                self.start(lambda: self.rest(generation))
                return "quick"
        # Without frames (`frames.py`): after an edit, `rest` writes each page's own file and
        # MkDocs' dirty build renders the pages whose file changed; a stub's file always has, so
        # the first edit rendered every page again (benchmarks/preview.py, demo: its listings
        # after 12.3 s with frames, 9.7 s without; the first build takes 1.9 s more).
        with self._lock:
            self._guarded(
                lambda: build_site(
                    config, directory, self.site_dir, work_dir=self.work_dir, languages=self.languages, frames=False
                )
            )
        self.config = config  # a success: the next edit may take the quick way
        return "full"

    def _guarded(self, step: Callable[[], object]) -> None:
        """Run a step; when it fails, the next update is a full build (never on top of a failure)."""
        try:
            step()
        except BaseException:
            self.config = None
            raise

    def _docs(self, language: str) -> Path:
        return self.work_dir / language / "docs"

    def _mkdocs(self) -> None:
        # Not while `rest` writes a page: MkDocs could read half of it, and never look again.
        with self._lock:
            self._mkdocs_unlocked()

    def _mkdocs_unlocked(self) -> None:
        for language in self.languages:
            result: LanguageResult = run_mkdocs(
                self.work_dir / language / "mkdocs.yml", language, site_dir=self.site_dir / language, dirty=True
            )
            if not result.ok:
                raise BuildError(
                    "la construction par MkDocs a échoué :\n" + "\n".join(f"[{language}] {m}" for m in result.messages)
                )

    def quick(self, only: RecordIds) -> None:
        """The changed records' own pages, built at once."""
        assert self.config is not None and self.directory is not None
        for language in self.languages:
            for relative, text in language_files(self.config, self.directory, language, only):
                write_if_changed(self._docs(language) / relative, text)
        self._mkdocs()

    def rest(self, generation: int) -> None:
        """Every page, in the background; stops as soon as a newer edit comes."""
        config, directory = self.config, self.directory
        assert config is not None and directory is not None
        whole = False
        try:
            for language in self.languages:
                made = {page.path for page in content_pages(config.content, language)}
                for relative, text in language_files(config, directory, language):
                    made.add(relative)
                    with self._lock:
                        if self._generation != generation:
                            return
                        write_if_changed(self._docs(language) / relative, text)
                docs = self._docs(language)
                # A page no longer made (a category left empty, a permanence ended) must go,
                # with its HTML and its search document: a full build does all of that.
                whole = whole or any(
                    path.relative_to(docs).as_posix() not in made for path in docs.rglob("*") if path.is_file()
                )
        except Exception as error:
            whole = True
            print(
                f"L'aperçu n'a pas pu mettre à jour les listes et les cartes ({type(error).__name__} : {error}) : "
                "il reconstruit tout le site maintenant.",
                file=sys.stderr,
            )
        with self._lock:
            if self._generation != generation:
                return
            self._ready, self._whole = generation, whole
        self.changed()

    def finish(self) -> None:
        """Build what `rest` wrote, then the search index and the shared files."""
        assert self.config is not None and self.directory is not None
        self._mkdocs()
        for language in self.languages:
            try:
                index_language(search_sources(self.work_dir, language), self.site_dir / language, language)
            except SearchIndexError as error:
                raise BuildError(str(error)) from None
        write_shared_files(self.config, self.directory, self.site_dir)


def _not_records(config: PortalConfig) -> list[Path]:
    paths = [config.config_file, config.content, config.root / "overrides"]
    if config.custom_dir is not None:
        paths.append(config.custom_dir)
    return paths


def serve(
    load: Callable[[], tuple[PortalConfig | None, Directory | None]],
    languages: Callable[[PortalConfig], tuple[str, ...]],
    host: str,
    port: int,
    say: Callable[[str], None],
) -> bool:
    """Serve the preview on host:port, rebuilt as files change, until Ctrl+C.

    `load` reads and checks the configuration and records (None, None when they
    have errors, after saying which); `say` tells the person editing what happened.
    """
    import tempfile

    config, _ = load()
    if config is None:
        return False
    # The workspace is deleted when the preview stops, or by the next build or preview if it was killed.
    folders = OwnedFolders()
    clean_leftovers([(Path(tempfile.gettempdir()), "portal-serve-")])
    try:
        _serve(
            config, folders.make(Path(tempfile.gettempdir()), "portal-serve-").path, load, languages, host, port, say
        )
    except (KeyboardInterrupt, Interrupted):  # Ctrl+C, SIGTERM: the way a preview ends
        say("Aperçu arrêté.")
    finally:
        folders.remove_all()
    return True


def _serve(
    config: PortalConfig,
    workspace: Path,
    load: Callable[[], tuple[PortalConfig | None, Directory | None]],
    languages: Callable[[PortalConfig], tuple[str, ...]],
    host: str,
    port: int,
    say: Callable[[str], None],
) -> None:
    import time

    from mkdocs.livereload import LiveReloadServer

    signals = workspace / "signals"  # `rest` touches a file here when its pages wait for `finish`
    signals.mkdir()

    def rest_is_ready() -> None:
        (signals / "rest").write_text(str(time.time_ns()), encoding="utf-8")

    preview = Preview(languages(config), workspace / "work", workspace / "site", changed=rest_is_ready)

    def rebuild() -> None:
        started = time.perf_counter()
        config_now, directory_now = load()
        if config_now is None or directory_now is None:
            say("L'aperçu garde la dernière version correcte : corrigez les erreurs ci-dessus.")
            return
        try:
            step = preview.update(config_now, directory_now)
        except BuildError as error:
            say(f"erreur : {error}")
            return
        seconds = time.perf_counter() - started
        if step == "quick":
            say(f"Les pages modifiées sont prêtes ({seconds:.1f} s) ; les listes, les cartes et la recherche suivent.")
        elif step in ("full", "finish"):
            say(f"Reconstruit ({seconds:.1f} s) : http://{host}:{port}/{preview.languages[0]}/")

    preview.site_dir.mkdir()
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(preview.site_dir))
    try:
        rebuild()
        for path in (config.config_file, config.directory, signals, *_not_records(config)):
            if path.exists():
                server.watch(str(path))
        server.serve()
    finally:
        server.shutdown()
