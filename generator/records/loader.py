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
                    "les ancres et les alias (& et *) ne sont pas pris en charge : écrivez la valeur en entier",
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
                self.report.error(
                    self.document.path, line, "une clé est un simple mot, pas une liste ni un bloc de champs"
                )
                continue
            key = key_node.value
            if key in result:
                first = self.document.key_lines[(*where, key)]
                self.report.error(
                    self.document.path,
                    line,
                    f"'{key}' apparaît deux fois au même endroit (la première fois à la ligne {first}) : "
                    "n'en gardez qu'un",
                )
                continue
            self.document.key_lines[(*where, key)] = line
            result[key] = self.build(value_node, (*where, key))
        return result


#: The YAML parser's words (libyaml's, or PyYAML's), in French: the start of its message is enough.
_PARSER_WORDS = (
    ("mapping values are not allowed", "un « : » est inattendu ici"),
    ("did not find expected key", "une clé est attendue ici"),
    ("could not find expected ':'", "il manque « : » après la clé"),
    ("found unexpected end of stream", "le fichier finit trop tôt"),
    ("did not find expected ',' or ']'", "il manque une virgule, ou le « ] » qui ferme la liste"),
    ("did not find expected ',' or '}'", "il manque une virgule, ou le « } » qui ferme le bloc"),
    ("did not find expected '-' indicator", "un élément de liste (« - ») est attendu ici"),
    ("block sequence entries are not allowed", "un élément de liste (« - ») est inattendu ici"),
    ("found character that cannot start any token", "ce caractère ne peut pas commencer une valeur"),
    ("found a tab character", "une tabulation est inattendue ici"),
    ("found unknown escape character", "échappement inconnu"),
    ("found invalid Unicode character escape code", "code d'échappement Unicode non valide"),
    ("expected escape sequence", "code d'échappement incomplet"),
    ("did not find expected hexdecimal number", "code d'échappement incomplet"),
    ("found undefined alias", "alias (*) sans ancre (&)"),
    ("found duplicate anchor", "ancre (&) en double"),
    ("found undefined tag handle", "étiquette (!) inconnue"),
    ("expected a comment or a line break", "un commentaire ou un saut de ligne est attendu ici"),
    ("did not find expected comment or line break", "un commentaire ou un saut de ligne est attendu ici"),
    ("did not find expected node content", "une valeur est attendue ici"),
    ("found unexpected ':'", "un « : » est inattendu ici"),
    ("found unexpected document", "un nouveau document (« --- ») est inattendu ici : une fiche n'en a qu'un"),
    ("but found another document", "un nouveau document (« --- ») est inattendu ici : une fiche n'en a qu'un"),
)


def _parser_words(problem: str) -> str:
    """The parser's problem in French; its own words, quoted, when they are not known here."""
    for english, french in _PARSER_WORDS:
        if english in problem:
            return french
    return f"syntaxe non valide (le lecteur YAML dit : « {problem} »)"


def _syntax_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line to point at, and the parser's words with a hint a coordinator can act on."""
    mark = error.problem_mark or error.context_mark
    problem = str(error.problem or "invalid YAML")
    what = _parser_words(problem)
    # An unclosed quote is noticed far below: point at the line that opened it.
    if any(words in problem for words in ("escape", "hexdecimal")):  # "\uD800", "C:\Users": a wrong escape
        line = mark.line + 1 if mark else 1
        return (
            line,
            f"{what} (entre guillemets doubles, \\ commence un échappement : écrivez \\\\ pour une barre oblique inverse)",
        )
    if error.context_mark is not None and "quoted scalar" in str(error.context or ""):
        mark = error.context_mark
        problem = "quote is opened"
        what = "des guillemets sont ouverts et jamais fermés"
    line = mark.line + 1 if mark else 1
    lines = text.splitlines()
    # A double quote left open swallows the lines below it: name the line that opened it.
    if any(words in problem for words in ("expected key", "end of stream", "quote is opened")):
        for number, content in enumerate(lines[:line], start=1):
            if len(re.findall(r'(?<!\\)"', content)) % 2:
                return number, 'des guillemets doubles (") sont ouverts sur cette ligne et pas fermés'
    current = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = current[: len(current) - len(current.lstrip())]
    if "\t" in indent:
        return line, f"{what} (cette ligne est décalée par une tabulation : YAML n'accepte que des espaces)"
    if "mapping values are not allowed" in problem:
        return line, (
            f"{what} (si cette ligne est un texte qui contient ' : ', mettez tout le texte entre guillemets "
            'doubles, comme : description: "Horaires : lundi" ; sinon, vérifiez le décalage des lignes)'
        )
    if re.search(r":\s*'[^']*'\S", current):
        return line, (
            f"{what} (un texte entre apostrophes ne peut pas contenir d'apostrophe : utilisez des guillemets "
            'doubles, comme : summary: "L\'accueil est ouvert")'
        )
    return line, what


def _too_deep_message() -> str:
    return (
        f"plus de {MAX_DEPTH} niveaux imbriqués (blocs et listes les uns dans les autres) : "
        "une fiche en a besoin d'environ 6 au plus ; vérifiez le décalage des lignes et les crochets [ ] et { }"
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
        report.error(path, 0, f"non lu : {refused.reason}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.error(path, line, "le fichier n'est pas du texte UTF-8 : enregistrez-le en UTF-8")
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
            f"le fichier contient un {character_name(hidden.group())}, que YAML lit comme un saut de ligne "
            "là où les éditeurs n'en montrent pas : remplacez-le par une espace, ou par un saut de ligne ordinaire",
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
        report.error(path, line, f"erreur de syntaxe YAML : {message}")
        return None
    except yaml.reader.ReaderError as error:  # a character YAML refuses: NUL, BEL, ESC...
        line = text[: error.position].count("\n") + 1
        report.error(
            path,
            line,
            f"le fichier contient un caractère de contrôle (U+{error.character:04X}), que YAML n'accepte pas : "
            "enlevez-le (il vient souvent d'un copier-coller)",
        )
        return None
    except yaml.YAMLError as error:
        report.error(path, 1, f"erreur de syntaxe YAML : {_parser_words(str(error))}")
        return None
    if root_node is None:
        report.error(path, 1, "le fichier est vide")
        return None
    builder = _Builder(path, report)
    builder.document.data = builder.build(root_node, ())
    return builder.document
