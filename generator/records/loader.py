"""Load YAML files and remember the line of every key and value.

PyYAML's composer gives each node its position; we build plain Python data
from the nodes ourselves so that we can keep a map from each path
(``("address", "postcode")``, ``("phones", 0)``) to its line, and report
duplicate keys, which PyYAML would silently merge.

Scalars are resolved like YAML 1.2's core schema, not YAML 1.1: ``no`` and
``on`` stay strings (``no`` is Norwegian), ``09:00`` is not the number 540,
and ``01000`` (a postcode in the Ain) keeps its leading zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..guarded import FileRefused, read_bytes
from ..problems import Report
from .types import character_name

PathKey = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
#: Line breaks for YAML 1.1 (PyYAML), but not for editors nor for YAML 1.2.
_HIDDEN_BREAK = re.compile("[\x85\u2028\u2029]")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?$")


# libyaml's composer is about twenty times faster than the pure-Python one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The deepest nesting of mappings and lists a file may have: a pathway needs 6 levels.
MAX_DEPTH = 32
#: Files with more brackets or wider lines than this may nest deeper than libyaml copes with:
#: its composer recurses in C (a crash near 100,000 levels) and its scanner slows down as the
#: square of the depth of [ and { (8 s at 20,000 levels). Their depth is measured first, on the
#: parser's events, stopping at the first level too deep.
_SHALLOW_FOR_SURE = 1000


@dataclass
class Document:
    """One YAML file: its data, and the line (1-based) of every key and value."""

    path: Path
    data: Any
    key_lines: dict[PathKey, int] = field(default_factory=dict)
    value_lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, where: PathKey, *, key: bool = False) -> int:
        """The line of the value at `where`, or of its key, or of its nearest parent."""
        lines = self.key_lines if key else self.value_lines
        for size in range(len(where), -1, -1):
            prefix = tuple(where[:size])
            if prefix in lines:
                return lines[prefix]
            if prefix in self.value_lines:
                return self.value_lines[prefix]
        return 1


def _scalar(node: ScalarNode) -> Any:
    text = node.value
    if node.style:  # quoted or block scalar: always a string (plain is None or "")
        return text
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        # Python refuses to read more than 4,300 digits: such a "number" is text to report, not a crash.
        return int(text) if len(text) <= 100 else text
    if _FLOAT.match(text):
        value = float(text)
        return value if math.isfinite(value) else text
    return text


class _Builder:
    def __init__(self, path: Path, report: Report) -> None:
        self.document = Document(path, None)
        self.report = report
        self.seen: set[int] = set()
        self.too_deep = False
        self.aliased = False

    def build(self, node: Node, where: PathKey) -> Any:
        self.document.value_lines[where] = node.start_mark.line + 1
        if len(where) >= MAX_DEPTH and isinstance(node, (MappingNode, SequenceNode)):
            if not self.too_deep:  # once per file: the first place is enough to find the mistake
                self.report.error(self.document.path, node.start_mark.line + 1, _too_deep_message())
            self.too_deep = True
            return None
        # An alias (*name) is the same node again: refusing them rules out
        # self-referencing values and "billion laughs" expansions.
        if id(node) in self.seen:
            if not self.aliased:  # once per file: a "billion laughs" file has thousands
                self.report.error(
                    self.document.path,
                    self.document.line_of(where, key=True),
                    "anchors and aliases (& and *) are not supported: write the value out again",
                )
            self.aliased = True
            return None
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return _scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*where, index)) for index, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, where)
        return None  # pragma: no cover - the composer only yields the three kinds

    def _mapping(self, node: MappingNode, where: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self.report.error(self.document.path, line, "a key must be a plain word, not a list or a mapping")
                continue
            key = key_node.value
            if key in result:
                first = self.document.key_lines[(*where, key)]
                self.report.error(
                    self.document.path,
                    line,
                    f"'{key}' appears twice in the same place (first on line {first}): keep only one",
                )
                continue
            self.document.key_lines[(*where, key)] = line
            result[key] = self.build(value_node, (*where, key))
        return result


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line to point at, and the parser's words with a hint a coordinator can act on."""
    mark = error.problem_mark or error.context_mark
    what = str(error.problem or "invalid YAML")
    # An unclosed quote is noticed far below: point at the line that opened it.
    if any(words in what for words in ("escape", "hexdecimal")):  # "\uD800", "C:\Users": a wrong escape
        line = mark.line + 1 if mark else 1
        return line, f"{what} (inside double quotes, \\ starts an escape: write \\\\ for a backslash)"
    if error.context_mark is not None and "quoted scalar" in str(error.context or ""):
        mark = error.context_mark
        what = "a quote is opened and never closed"
    line = mark.line + 1 if mark else 1
    lines = text.splitlines()
    # A double quote left open swallows the lines below it: name the line that opened it.
    if any(words in what for words in ("expected key", "end of stream", "quote is opened")):
        for number, content in enumerate(lines[:line], start=1):
            if len(re.findall(r'(?<!\\)"', content)) % 2:
                return number, 'a double quote (") is opened on this line and not closed on it'
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = current[: len(current) - len(current.lstrip())]
    if "\t" in indent:
        return line, f"{what} (this line is indented with a tab: YAML only allows spaces)"
    if "mapping values are not allowed" in what:
        return line, (
            f"{what} (if this line is text that contains ' : ', put the whole text in double "
            'quotes, like: description: "Horaires : lundi"; otherwise check the indentation)'
        )
    if re.search(r":\s*'[^']*'\S", current):
        return line, (
            f"{what} (a text in single quotes cannot contain an apostrophe: use double quotes, "
            'like: summary: "L\'accueil est ouvert")'
        )
    return line, what


def _too_deep_message() -> str:
    return (
        f"nested more than {MAX_DEPTH} levels deep (mappings and lists inside each other): "
        "a record needs at most about 6; check the indentation and the [ ] and { } brackets"
    )


def _too_deep_at(text: str) -> int | None:
    """The line where the nesting first goes deeper than MAX_DEPTH, for a file that may."""
    width = max((len(line) for line in text.splitlines()), default=0)
    if text.count("[") + text.count("{") <= _SHALLOW_FOR_SURE and width <= _SHALLOW_FOR_SURE:
        return None  # a block level takes a column, a flow level a bracket: shallow enough to compose
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark.line + 1 if event.start_mark else 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _read(path: Path, root: Path | None, report: Report) -> str | None:
    try:
        data = read_bytes(path, root)
    except FileRefused as refused:
        report.error(path, 0, f"not read: {refused.reason}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.error(path, line, f"the file is not UTF-8 text ({error.reason}): save it as UTF-8")
        return None
    # A byte-order mark (Windows Notepad) is not part of the text.
    return text.removeprefix("\ufeff")


def load_yaml(path: Path, report: Report, root: Path | None = None) -> Document | None:
    """Load one file. Problems go to `report`; None when the file cannot be read.

    The file is read through `guarded`: a regular file, inside `root` when given,
    at most `guarded.MAX_FILE_BYTES`. Only the node tree is composed by PyYAML:
    values are built by `_Builder`, at most MAX_DEPTH levels deep.
    """
    text = _read(path, root, report)
    if text is None:
        return None
    return parse_yaml(text, path, report)


def parse_yaml(text: str, path: Path, report: Report) -> Document | None:
    """`text` read as `load_yaml` reads a file (`path` names it in the report): writers check what they write."""
    hidden = _HIDDEN_BREAK.search(text)
    if hidden is not None:
        # PyYAML ends a line there, and counts it: its lines would no longer be the editor's.
        report.error(
            path,
            text.count("\n", 0, hidden.start()) + 1,
            f"the file contains {character_name(hidden.group())}, which YAML reads as a line break "
            "where editors show none: replace it with a space, or with an ordinary line break",
        )
        return None
    try:
        deep = _too_deep_at(text)
        if deep is not None:
            report.error(path, deep, _too_deep_message())
            return None
        root_node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        line, message = _syntax_error(error, text)
        report.error(path, line, f"YAML syntax error: {message}")
        return None
    except yaml.reader.ReaderError as error:  # a character YAML refuses: NUL, BEL, ESC...
        line = text[: error.position].count("\n") + 1
        report.error(
            path,
            line,
            f"the file contains a control character (U+{error.character:04X}), which YAML does not allow: "
            "remove it (it often comes with a copy and paste)",
        )
        return None
    except yaml.YAMLError as error:
        report.error(path, 1, f"YAML syntax error: {error}")
        return None
    if root_node is None:
        report.error(path, 1, "the file is empty")
        return None
    builder = _Builder(path, report)
    builder.document.data = builder.build(root_node, ())
    return builder.document
