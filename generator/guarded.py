"""The one gate through which the project's own files are read and written.

Records, pathways, the territory and taxonomy files and the hand-written pages
are data anyone may send us (an import, a spreadsheet, a merge request). A file
is read only when it is a regular file inside the folder it belongs to, under a
size limit: a symbolic link to a credentials file, to ``/dev/zero`` or to a
named pipe must not be read, hang the check, or have its first line quoted in
an error. Messages name the file we were given, never what a link points to.

Writers ask the same gate where they may write: never through a link, or into
a folder, that leads outside the records folder.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import french_number

#: The largest file read, in bytes: a record of several pages of text is under 100 kB.
MAX_FILE_BYTES = 1_000_000


class FileRefused(Exception):
    """A file or folder that is not read or written; `reason` says why and what to do, without the path."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "un fichier"
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    if stat.S_ISSOCK(mode):
        return "une prise réseau (socket)"
    return "autre chose qu'un fichier ordinaire"  # pragma: no cover - the kinds above are all POSIX has


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return (
            "c'est un lien symbolique qui revient sur lui-même (une boucle) : remplacez le lien par le fichier lui-même"
        )
    if error.errno == errno.ENOENT:
        return "il n'existe pas, ou c'est un lien symbolique vers rien : remplacez le lien par le fichier lui-même"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission refusée : donnez à l'utilisateur qui lance le générateur le droit de le lire (chmod u+r)"
    if error.errno == errno.ENAMETOOLONG:
        return "son nom est trop long pour le système : donnez-lui un nom plus court"
    return f"il ne peut pas être lu (erreur du système : {error.strerror or error.errno})"


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def real_root(root: Path) -> str:
    """The folder files must stay in, links resolved (the folder itself may be a link: the operator chose it)."""
    return os.path.realpath(root)


def _real(path: Path, root: Path | None, what: str) -> str:
    """Where `path` really is, checked to be inside `root` (when given); FileRefused otherwise."""
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as error:
        raise FileRefused(path, _why(error)) from None
    except RuntimeError:  # pragma: no cover - older Pythons report a loop this way
        raise FileRefused(path, _why(OSError(errno.ELOOP, "loop"))) from None
    if root is not None and not _inside(real, real_root(root)):
        raise FileRefused(
            path,
            f"c'est un lien symbolique qui mène hors du dossier {root.name or root}/ : on ne lit et n'écrit "
            f"{what} qu'à l'intérieur ; mettez-y le fichier ou le dossier lui-même plutôt qu'un lien",
        )
    return real


def folder_entries(folder: Path, root: Path, what: str = "les fiches") -> list[Path]:
    """The entries of `folder`, sorted; [] when it does not exist; FileRefused when it must not be read."""
    if not os.path.lexists(folder):
        return []
    real = _real(folder, root, what)
    if not os.path.isdir(real):
        raise FileRefused(folder, f"c'est {_kind(os.stat(real).st_mode)}, là où un dossier est attendu")
    try:
        names = os.listdir(real)
    except OSError as error:
        why = _why(error).replace("de le lire", "de l'ouvrir").replace("chmod u+r", "chmod u+rx")
        raise FileRefused(folder, f"le dossier ne peut pas être ouvert : {why}") from None
    return [folder / name for name in sorted(names)]


def read_bytes(path: Path, root: Path | None, what: str = "les fiches", *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` when it is a regular file inside `root`, at most `limit` bytes; FileRefused otherwise.

    `root` None: anywhere (a file the operator names, like mkdocs.yml), still only a regular file.
    """
    real = _real(path, root, what)
    try:
        before = os.stat(real)
        if not stat.S_ISREG(before.st_mode):
            raise FileRefused(
                path,
                f"c'est {_kind(before.st_mode)} : on ne lit {what} que dans des fichiers ordinaires ; "
                "mettez ici un fichier texte",
            )
        if before.st_size > limit:
            raise FileRefused(path, _too_big(before.st_size, limit, what))
        # O_NONBLOCK: a pipe swapped in since the stat does not hang the check; O_NOFOLLOW: nor does a link.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise FileRefused(path, _why(error)) from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise FileRefused(
                path, f"c'est {_kind(opened.st_mode)} : on ne lit {what} que dans des fichiers ordinaires"
            )
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(path, _too_big(len(data), limit, what))
    return data


def _too_big(size: int, limit: int, what: str) -> str:
    return (
        f"il est trop gros ({french_number(size)} octets) : on ne lit {what} que dans des fichiers d'au plus "
        f"{limit / 1_000_000:g} Mo ({french_number(limit)} octets) ; vérifiez que c'est le bon fichier, "
        "ou coupez-le en plusieurs"
    )


def read_text(path: Path, root: Path | None, what: str = "les fiches", *, limit: int = MAX_FILE_BYTES) -> str:
    """`read_bytes` as UTF-8 text (UnicodeDecodeError when it is not)."""
    return read_bytes(path, root, what, limit=limit).decode("utf-8")


def is_regular_inside(path: Path, root: Path) -> bool:
    """Whether `path` is a regular file inside `root` (links followed): what `read_bytes` would try to read."""
    try:
        real = _real(path, root, "les fichiers")
        return stat.S_ISREG(os.stat(real).st_mode)
    except (FileRefused, OSError):
        return False


def write_target(path: Path, root: Path, what: str = "les fiches") -> Path:
    """The file to write for `path` (itself, or its real place through a link inside `root`).

    FileRefused when a link, or a folder on the way, leads outside `root`, and
    when something other than a regular file is where the file should be.
    """
    if not os.path.lexists(path.parent):
        # A folder still to create: its nearest existing parent must be inside the root.
        existing = path.parent
        while not os.path.lexists(existing) and existing != existing.parent:
            existing = existing.parent
        _real(existing, root, what)
        return path
    parent = _real(path.parent, root, what)
    if not os.path.lexists(path):
        real = os.path.join(parent, path.name)
    else:
        real = _real(path, root, what)
        mode = os.stat(real).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(path, f"c'est {_kind(mode)} : rien n'y a été écrit")
    return path if real == os.path.abspath(path) else Path(real)
