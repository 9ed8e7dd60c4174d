"""The folders a build writes besides the site, and how none of them outlives it.

A build writes into folders of its own: the staging folder beside the site
(``.site.staging-*``), the copy of the previous site set aside during the swap
(``.site.old-*``) and a work folder in the system's temporary folder
(``portal-build-*``; the preview's ``portal-serve-*``). Each is *owned*: it holds
a marker file (`OWNER_MARKER`) that its build keeps locked (``flock``) for as
long as it runs. The kernel drops the lock when the process ends, however it
ends, so a folder whose marker is not locked was left by a build that is gone
(killed with SIGKILL, a power cut): the next build deletes it (`clean_leftovers`).
A folder is only ever deleted when its name has our prefix, it belongs to this
user, and its marker is a regular file that nobody holds: never another live
build's folder (a process id alone could be reused, or be the same in two
containers), never a folder we did not make.

SIGTERM and SIGINT stop a build through `Interrupted` (`stop_on_signals`), so
that its ``finally`` blocks delete its folders; `uninterrupted` defers them
across the few steps that must not be cut in two (a folder and its marker, the
swap of the site).
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

#: The marker of a folder a build owns; its build holds a lock on it while it runs.
OWNER_MARKER = ".portal-build-owner"
#: The prefixes of the build's folders in the system's temporary folder.
TEMPORARY_PREFIXES = ("portal-build-", "portal-serve-")


def staging_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.staging-"


def aside_prefix(site_dir: Path) -> str:
    return f".{site_dir.name}.old-"


# --- signals ------------------------------------------------------------------------------


class Interrupted(BaseException):
    """SIGTERM or SIGINT stopped the build. A BaseException, like KeyboardInterrupt: the
    `except Exception` around a plugin or MkDocs does not swallow it, `finally` blocks run.

    `published`: the site folder, when the new site was already in place; `left_over`:
    the folder where the previous copy was being deleted (the next build finishes it).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.published: Path | None = None
        self.left_over: Path | None = None


#: While not None, a signal is noted here instead of interrupting (see `uninterrupted`).
_deferred: list[int] | None = None


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _deferred is not None:
        _deferred.append(signum)
        return
    raise Interrupted(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGINT raise `Interrupted` in this block (from the main thread only: Python
    runs signal handlers there), so that the build's folders are deleted on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A signal that comes in this block takes effect at its end: a step is done whole or not at all."""
    global _deferred
    if _deferred is not None:  # nested: the outer block decides
        yield
        return
    _deferred = []
    try:
        yield
    except BaseException:
        _deferred = None
        raise
    pending, _deferred = _deferred, None
    if pending:
        raise Interrupted(pending[0])


def reset_signals_in_worker() -> None:
    """In a build's worker process: the default SIGTERM (it dies) and no SIGINT, so
    that the parent alone decides, and stops its workers before deleting their folders."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# --- owned folders --------------------------------------------------------------------------


def _lock(fd: int) -> bool:
    """Take the lock of a marker without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # no advisory locks (Windows): every folder counts as in use
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@dataclass
class OwnedFolder:
    """A folder this process made and holds; `remove` deletes it."""

    path: Path
    _marker: int | None

    @classmethod
    def create(cls, parent: Path, prefix: str) -> OwnedFolder:
        """A new folder `parent/prefix…` with its marker, locked (raises OSError)."""
        with uninterrupted():  # never a folder without its marker
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
            try:
                fd = os.open(path / OWNER_MARKER, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except OSError:
                os.rmdir(path)
                raise
            _lock(fd)
            os.write(
                fd,
                (
                    f"Utilisé par une construction du générateur du portail (processus {os.getpid()}). Quand aucune "
                    "construction n'est en cours, la suivante supprime ce dossier ; vous pouvez aussi le supprimer.\n"
                ).encode(),
            )
            return cls(path, fd)

    def remove(self) -> None:
        """Delete the folder (raises OSError when something in it cannot be deleted: the
        folder then keeps its marker, so that the next build tries again)."""
        try:
            remove_owned(self.path)
        finally:
            self.release()

    def release(self) -> None:
        if self._marker is not None:
            os.close(self._marker)
            self._marker = None


class OwnedFolders:
    """The folders a build makes, deleted together at its end (`remove_all`)."""

    def __init__(self) -> None:
        self.folders: list[OwnedFolder] = []

    def make(self, parent: Path, prefix: str) -> OwnedFolder:
        """A new owned folder, counted here before a signal can stop the build (raises OSError)."""
        with uninterrupted():  # a deferred signal raises once the folder is counted, not before
            folder = OwnedFolder.create(parent, prefix)
            self.folders.append(folder)
        return folder

    def remove_all(self) -> None:
        """Delete every folder; one that resists keeps its marker, for the next build."""
        with uninterrupted():
            for folder in self.folders:
                with suppress(OSError):  # it keeps its marker: the next build deletes it
                    folder.remove()
            self.folders.clear()


def remove_owned(path: Path) -> None:
    """Delete an owned folder, its marker last (raises OSError, the marker kept, when something resists)."""
    if not path.exists():
        return
    for child in path.iterdir():
        if child.name == OWNER_MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (path / OWNER_MARKER).unlink(missing_ok=True)
    path.rmdir()


@dataclass(frozen=True)
class Cleaned:
    """What `clean_leftovers` did: folders deleted, and those it could not delete, with why."""

    removed: tuple[Path, ...] = ()
    stuck: tuple[tuple[Path, str], ...] = ()


def _abandoned_marker(folder: Path) -> int | None:
    """The locked marker of a folder of ours that no live process holds, or None."""
    try:
        info = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        return None
    try:
        fd = os.open(folder / OWNER_MARKER, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:  # no marker (not ours, or an older generator's), or a link
        return None
    if stat.S_ISREG(os.fstat(fd).st_mode) and _lock(fd):
        return fd
    os.close(fd)
    return None


def clean_leftovers(folders: list[tuple[Path, str]]) -> Cleaned:
    """Delete what builds that are gone left in each (folder, name prefix): only folders with the
    prefix, of this user, whose marker no live build holds; the rest is left untouched."""
    removed: list[Path] = []
    stuck: list[tuple[Path, str]] = []
    for parent, prefix in folders:
        try:
            candidates = sorted(entry for entry in parent.iterdir() if entry.name.startswith(prefix))
        except OSError:
            continue
        for candidate in candidates:
            fd = _abandoned_marker(candidate)
            if fd is None:
                continue
            try:
                remove_owned(candidate)
            except OSError as error:
                stuck.append((candidate, error.strerror or str(error)))
            else:
                removed.append(candidate)
            finally:
                os.close(fd)
    return Cleaned(tuple(removed), tuple(stuck))


def leftover_places(site_dir: Path) -> list[tuple[Path, str]]:
    """Where the builds of `site_dir` leave folders: beside it, and in the temporary folder."""
    temporary = Path(tempfile.gettempdir())
    return [
        (site_dir.parent, staging_prefix(site_dir)),
        (site_dir.parent, aside_prefix(site_dir)),
        *((temporary, prefix) for prefix in TEMPORARY_PREFIXES),
    ]
