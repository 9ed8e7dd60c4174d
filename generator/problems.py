"""Problems found in the records, reported as ``path:line: severity: message``."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


#: Characters a file (its name, a key quoted in a message) could use to steer a terminal or start a line.
_INVISIBLE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]} | {0x2028: "\\u2028", 0x2029: "\\u2029"}


def visible(text: str) -> str:
    """`text` with control characters and line separators written as escapes: one line, no terminal codes."""
    return text.translate(_INVISIBLE)


def _real(path: Path) -> Path:
    """The path with its folders' links resolved, but not its own: a problem about a link names the link.

    (Path.resolve raises on a link loop, and would name what a link points to.)
    """
    return Path(os.path.realpath(path.parent)) / path.name


@dataclass(frozen=True, order=True)
class Problem:
    path: Path
    line: int  # 1-based; 0 for a problem about a whole file or folder
    message: str
    severity: Severity = Severity.ERROR

    def format(self, relative_to: Path | None = None) -> str:
        path = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                path = _real(path).relative_to(_real(relative_to))
        where = f"{path}:{self.line}" if self.line else f"{path}"
        return visible(f"{where}: {self.severity.value}: {self.message}")

    def _relative(self, relative_to: Path | None) -> str:
        try:
            return _real(self.path).relative_to(_real(relative_to or Path.cwd())).as_posix()
        except ValueError:
            return self.path.as_posix()

    def github(self, relative_to: Path | None = None) -> str:
        """A GitHub Actions workflow command: shown as an annotation on the file and line."""

        def escape(text: str, extra: str = "") -> str:
            text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            for character in extra:
                text = text.replace(character, f"%{ord(character):02X}")
            return text

        where = f"file={escape(self._relative(relative_to), ':,')}"
        if self.line:
            where += f",line={self.line}"
        return f"::{self.severity.value} {where}::{escape(self.message)}"

    def gitlab(self, relative_to: Path | None = None) -> dict[str, Any]:
        """An entry of a GitLab code quality report: shown in the merge request."""
        path = self._relative(relative_to)
        return {
            "description": self.message,
            "check_name": "portal-check",
            "fingerprint": hashlib.sha256(f"{path}:{self.line}:{self.message}".encode()).hexdigest(),
            "severity": "major" if self.severity is Severity.ERROR else "minor",
            "location": {"path": path, "lines": {"begin": max(self.line, 1)}},
        }


@dataclass
class Report:
    """Every problem found in one run: the build goes on only if there is no error."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message, Severity.ERROR))

    def warning(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (str(p.path), p.line, p.message))
