"""Problems found in the records, reported as ``path:line: erreur : message`` (or ``avertissement``)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class Severity(str, Enum):
    # The values are the CI's own words (`::error`, `::warning`); `word` is what a coordinator reads.
    ERROR = "error"
    WARNING = "warning"

    @property
    def word(self) -> str:
        return "erreur" if self is Severity.ERROR else "avertissement"


#: Characters a file (its name, a key quoted in a message) could use to steer a terminal or start a line,
#: and the overrides that would show the rest of a line reversed.
_INVISIBLE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]} | {
    c: f"\\u{c:04x}" for c in (0x2028, 0x2029, 0x202D, 0x202E)
}
#: A workflow command a CI reads anywhere in a line: GitHub's older `##[error]`, Azure's `##vso[`.
_CI_COMMAND = re.compile(r"##(\w*)\[")
#: What a report line may not start with: `::` (GitHub reads `::error::` as a command), or
#: spaces before it (the runner trims them).
_COMMAND_START = re.compile(r"\s|:")


def visible(text: str) -> str:
    """`text` with control characters and line separators written as escapes: one line, no terminal codes,
    no CI command (`##[error]` becomes `##\\x5berror]`)."""
    return _CI_COMMAND.sub(r"##\1\\x5b", text.translate(_INVISIBLE))


def report_line(text: str) -> str:
    """A line of a text report: `visible`, and `./` before it (a path that names the same file)
    when it would start with a space or `:`, so that no CI reads it as one of its commands."""
    text = visible(text)
    return f"./{text}" if _COMMAND_START.match(text) else text


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
        return report_line(f"{where}: {self.severity.word} : {self.message}")

    def _relative(self, relative_to: Path | None) -> str:
        try:
            return _real(self.path).relative_to(_real(relative_to or Path.cwd())).as_posix()
        except ValueError:
            return self.path.as_posix()

    def github(self, relative_to: Path | None = None) -> str:
        """A GitHub Actions workflow command: shown as an annotation on the file and line.

        The runner reads a line break (CR or LF) as the end of the command, `%` escapes
        in its data, and `:` and `,` between properties: `visible` leaves no line break,
        the rest is escaped as the runner's own toolkit does (actions/toolkit, command.ts).
        """

        def escape(text: str, extra: str = "") -> str:
            # The line is a command already: `##[` in it is data (the runner tries the older form
            # only on lines that are not `::` commands), and a path must stay the file's.
            text = text.translate(_INVISIBLE).replace("%", "%25")
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
            "description": visible(self.message),
            "check_name": "portal-check",
            "fingerprint": hashlib.sha256(f"{path}:{self.line}:{self.message}".encode()).hexdigest(),
            "severity": "major" if self.severity is Severity.ERROR else "minor",
            "location": {"path": path, "lines": {"begin": max(self.line, 1)}},
        }


#: In JSON text, what `json.dumps(ensure_ascii=False)` leaves raw but a reader may take for a line break.
_JSON_BREAKS = {c: f"\\u{c:04x}" for c in [*range(0x7F, 0xA0), 0x2028, 0x2029]}


def gitlab_report(problems: list[Problem], relative_to: Path | None = None) -> str:
    """A GitLab code quality report (JSON): no hidden line break, and `##[` written `##\\u005b` (the same
    JSON once read: outside strings, JSON has no `#`), so that even printed in a log it holds no command."""
    text = json.dumps([problem.gitlab(relative_to) for problem in problems], ensure_ascii=False, indent=1)
    return _CI_COMMAND.sub(r"##\1\\u005b", text.translate(_JSON_BREAKS))


#: How many problems of one kind a file lists; the others are counted and said in one line, so that
#: a file with 100,000 unknown keys gives 21 lines, not 100,000 (and `check` does not build them all).
SAME_KIND_LISTED = 20
#: What differs between two messages of the same kind: the values they quote, the numbers.
_VALUES = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|\d+")

#: A message, or what makes it when it is listed (a message can be costly: "did you mean...?").
Message = str | Callable[[], str]
_Kind = tuple[Path, Severity, str]


def french_number(number: int) -> str:
    """1234567 as French writes it in a message: '1 234 567' (narrow no-break spaces)."""
    return f"{number:,}".replace(",", "\u202f")


def kind_of(message: str) -> str:
    """What the messages of one kind share: their words, without the values they quote."""
    return _VALUES.sub("…", message)


@dataclass
class Report:
    """Every problem found in one run: the build goes on only if there is no error.

    A file lists at most SAME_KIND_LISTED problems of one kind (the `kind` given, or
    the message without its quoted values); the others are only counted, in `left_out`.
    """

    problems: list[Problem] = field(default_factory=list)
    left_out: dict[_Kind, int] = field(default_factory=dict)
    _counts: dict[_Kind, int] = field(default_factory=dict, repr=False)
    _last: dict[_Kind, int] = field(default_factory=dict, repr=False)

    def add(self, path: Path, line: int, message: Message, severity: Severity, kind: str | None = None) -> None:
        if kind is None:
            message = message if isinstance(message, str) else message()
            kind = kind_of(message)
        key = (path, severity, kind)
        count = self._counts[key] = self._counts.get(key, 0) + 1
        if count > SAME_KIND_LISTED:
            self.left_out[key] = self.left_out.get(key, 0) + 1
            return
        self._last[key] = line
        self.problems.append(Problem(path, line, message if isinstance(message, str) else message(), severity))

    def error(self, path: Path, line: int, message: Message, kind: str | None = None) -> None:
        self.add(path, line, message, Severity.ERROR, kind)

    def warning(self, path: Path, line: int, message: Message, kind: str | None = None) -> None:
        self.add(path, line, message, Severity.WARNING, kind)

    @property
    def errors(self) -> list[Problem]:
        """The errors listed (`error_count` counts those left out too)."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def count(self, severity: Severity) -> int:
        """How many problems of a severity were found, listed or not."""
        listed = sum(1 for p in self.problems if p.severity is severity)
        return listed + sum(n for (_, level, _), n in self.left_out.items() if level is severity)

    def sorted(self) -> list[Problem]:
        """The problems by file and line; after each file's, a line for each kind it did not list."""
        listed = sorted(self.problems, key=lambda p: (str(p.path), p.line, p.message))
        more: dict[Path, list[Problem]] = {}
        for (path, severity, kind), count in sorted(self.left_out.items(), key=lambda item: self._last[item[0]]):
            line = self._last[(path, severity, kind)]
            where = f"celui de la ligne {line}" if line else "ceux ci-dessus"
            plural = "s" if count > 1 else ""
            message = (
                f"… et {french_number(count)} autre{plural} problème{plural} du même genre que {where}, "
                f"non listé{plural} : corrigez-les, puis relancez la vérification"
            )
            more.setdefault(path, []).append(Problem(path, 0, message, severity))
        if not more:
            return listed
        result: list[Problem] = []
        for index, problem in enumerate(listed):
            result.append(problem)
            if index + 1 == len(listed) or listed[index + 1].path != problem.path:
                result.extend(more.pop(problem.path, []))
        return result + [p for extra in more.values() for p in extra]
