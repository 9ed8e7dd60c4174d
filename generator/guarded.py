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
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"  # pragma: no cover - the kinds above are all POSIX has


def _why(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "it is a symbolic link that leads back to itself (a loop): replace the link with the file itself"
    if error.errno == errno.ENOENT:
        return "it does not exist, or it is a symbolic link to nothing: replace the link with the file itself"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: give the user who runs the generator the right to read it (chmod u+r)"
    if error.errno == errno.ENAMETOOLONG:
        return "its name is too long for the system: give it a shorter name"
    return f"it cannot be read ({error.strerror or 'system error'})"


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
            f"it is a symbolic link that leads outside the folder {root.name or root}/: {what} are read and "
            "written only inside it; put the file or folder itself there instead of a link",
        )
    return real


def folder_entries(folder: Path, root: Path, what: str = "records") -> list[Path]:
    """The entries of `folder`, sorted; [] when it does not exist; FileRefused when it must not be read."""
    if not os.path.lexists(folder):
        return []
    real = _real(folder, root, what)
    if not os.path.isdir(real):
        raise FileRefused(folder, f"it is {_kind(os.stat(real).st_mode)}, where a folder was expected")
    try:
        names = os.listdir(real)
    except OSError as error:
        why = _why(error).replace("read it", "open the folder").replace("chmod u+r", "chmod u+rx")
        raise FileRefused(folder, f"the folder cannot be opened: {why}") from None
    return [folder / name for name in sorted(names)]


def read_bytes(path: Path, root: Path | None, what: str = "records", *, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` when it is a regular file inside `root`, at most `limit` bytes; FileRefused otherwise.

    `root` None: anywhere (a file the operator names, like mkdocs.yml), still only a regular file.
    """
    real = _real(path, root, what)
    try:
        before = os.stat(real)
        if not stat.S_ISREG(before.st_mode):
            raise FileRefused(
                path, f"it is {_kind(before.st_mode)}: {what} are read only from plain files; put a text file here"
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
            raise FileRefused(path, f"it is {_kind(opened.st_mode)}: {what} are read only from plain files")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise FileRefused(path, _too_big(len(data), limit, what))
    return data


def _too_big(size: int, limit: int, what: str) -> str:
    return (
        f"it is too big ({size:,} bytes): {what} are read only from files of at most "
        f"{limit / 1_000_000:g} MB ({limit:,} bytes); check that it is the right file, or split it"
    )


def read_text(path: Path, root: Path | None, what: str = "records", *, limit: int = MAX_FILE_BYTES) -> str:
    """`read_bytes` as UTF-8 text (UnicodeDecodeError when it is not)."""
    return read_bytes(path, root, what, limit=limit).decode("utf-8")


def is_regular_inside(path: Path, root: Path) -> bool:
    """Whether `path` is a regular file inside `root` (links followed): what `read_bytes` would try to read."""
    try:
        real = _real(path, root, "files")
        return stat.S_ISREG(os.stat(real).st_mode)
    except (FileRefused, OSError):
        return False


def write_target(path: Path, root: Path, what: str = "records") -> Path:
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
            raise FileRefused(path, f"it is {_kind(mode)}: nothing was written to it")
    return path if real == os.path.abspath(path) else Path(real)
