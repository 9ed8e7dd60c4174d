"""Read a record file, change some values, write back only those changes.

ruamel.yaml's round trip keeps comments, key order and quoting, but it rewrites a
few things a person wrote on purpose: a long text wrapped over two lines comes back
on one. So the file is never simply dumped again. Three texts are compared: the
file as it is (`original`), ruamel's dump of it unchanged (`baseline`) and its dump
after the changes (`modified`). Only the lines that differ between `baseline` and
`modified` are carried into `original`, in the place they correspond to; every
other line stays byte for byte. The result is read back with the portal's own
loader (YAML 1.2, `records.loader`) and must hold exactly the data as changed, or
the plain dump is tried instead (formatting may move, values never do); when
neither holds it, nothing is written and the error says so.

Each new text is written in a style that carries it: plain when that reads back
as the same text, else in a block (several lines) or in double quotes, where
escapes carry control characters, NEL, U+2028 and the byte-order mark.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from ..guarded import FileRefused, read_bytes, write_target
from ..problems import Report
from ..records.loader import parse_yaml

Keys = tuple[str | int, ...]


class EditConflict(Exception):
    """The file cannot be written without losing someone's work; the message says why and what to do."""


def _yaml() -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never wrap a line the person did not wrap
    # The records' style: `phones:` then `  - number: ...`
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _plain(data: Any) -> Any:
    """The data as plain Python, to compare what two texts hold."""
    if isinstance(data, Mapping):
        return {str(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, str):
        return str(data)
    return data


def _expected(value: Any) -> Any:
    """A value as the portal's loader will read it once written: dates are ISO text, tuples lists."""
    if isinstance(value, Mapping):
        return {str(k): _expected(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_expected(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


_UNREAD = object()


def _read_back(text: str) -> Any:
    """The data of `text` as `check` reads it; _UNREAD when the loader reports anything."""
    report = Report()
    document = parse_yaml(text, Path("record.yml"), report)
    return _UNREAD if document is None or report.problems else document.data


def _carries(node: Any, value: str) -> bool:
    """Whether ruamel writes `node` (a text in some style) so that the loader reads `value` back."""
    return bool(_read_back(_dump(CommentedMap(v=node))) == {"v": value})


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: A text that stays plain inside `[...]`: no `,`, `:`, `#`, brackets or quotes to end or start something.
_FLOW_WORD = re.compile(r"[^\W_](?:[\w .'’()/+-]*[\w.'’()/+-])?")


def _as_yaml(value: Any, like: Any = None, *, flow: bool = False) -> Any:
    """A plain value in ruamel's types, in the style of the value it replaces (`like`); `flow`: an item of `[...]`."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for key, item in value.items():
            node[key] = _as_yaml(item)
        return node
    if isinstance(value, list | tuple):
        inline = like.fa.flow_style() if isinstance(like, CommentedSeq) else None
        if inline is None:  # a new list: short words in one line, like `cost: [free]`
            inline = all(isinstance(item, str | int | float) and "\n" not in str(item) for item in value)
        seq = CommentedSeq(_as_yaml(item, flow=bool(inline)) for item in value)
        if inline:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq
    if isinstance(value, str):
        return _text_node(str(value), like, flow)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _text_node(value: str, like: Any, flow: bool = False) -> Any:
    """`value` in the style of `like` (several lines: a block), or double-quoted when that style does not carry it."""
    node: Any
    if flow and not _FLOW_WORD.fullmatch(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value.strip("\n"):
        node = LiteralScalarString(value)  # `|` or `|-`: exactly the text, with or without its last line end
    elif isinstance(like, DoubleQuotedScalarString):
        return DoubleQuotedScalarString(value)
    elif isinstance(like, SingleQuotedScalarString):
        node = SingleQuotedScalarString(value)
    else:
        node = value
    return node if _carries(node, value) else DoubleQuotedScalarString(value)


def _carry(original: str, baseline: str, modified: str) -> str:
    """`original` with the changes from `baseline` to `modified` (see the module's docstring)."""
    o_lines = original.splitlines(keepends=True)
    b_lines = baseline.splitlines(keepends=True)
    m_lines = modified.splitlines(keepends=True)
    # Which baseline line is which original line, where the two agree.
    same: dict[int, int] = {}
    for tag, b1, b2, o1, _ in SequenceMatcher(None, b_lines, o_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            same.update({b1 + k: o1 + k for k in range(b2 - b1)})
    # Each change, anchored on lines the original shares: the first and last lines it
    # replaces, or the lines around the place it inserts at. A change next to lines that
    # ruamel rewrapped is widened over them (they are then written as ruamel writes them).
    hunks: list[list[int]] = []  # [b1, b2, m1, m2, o1, o2]
    for tag, b1, b2, m1, m2 in SequenceMatcher(None, b_lines, m_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        while (span := _anchor(same, b1, b2, len(b_lines), len(o_lines))) is None:
            if b1 > 0 and (b1 == b2 or b1 not in same):
                b1, m1 = b1 - 1, m1 - 1
            if b2 < len(b_lines) and (b1 == b2 or b2 - 1 not in same):
                b2, m2 = b2 + 1, m2 + 1
        if hunks and span[0] < hunks[-1][5]:  # overlaps the previous change: one change
            hunks[-1][1], hunks[-1][3], hunks[-1][5] = b2, m2, span[1]
        else:
            hunks.append([b1, b2, m1, m2, *span])
    result: list[str] = []
    position = 0
    for _, _, m1, m2, start, end in hunks:
        result += o_lines[position:start]
        result += m_lines[m1:m2]
        position = end
    result += o_lines[position:]
    return "".join(result)


def _anchor(same: dict[int, int], b1: int, b2: int, b_size: int, o_size: int) -> tuple[int, int] | None:
    """The original lines [start, end) that baseline lines [b1, b2) stand for, when both edges are shared."""
    if b1 == b2:  # an insertion: after the shared line before it, or before the shared line after it
        if b1 == 0:
            return (0, 0)
        if b1 - 1 in same:
            return (same[b1 - 1] + 1,) * 2
        if b1 == b_size:
            return (o_size, o_size)
        return (same[b1],) * 2 if b1 in same else None
    start = same.get(b1, 0 if b1 == 0 else None)
    end = same[b2 - 1] + 1 if b2 - 1 in same else o_size if b2 == b_size else None
    return None if start is None or end is None else (start, end)


def _replace(parent: Any, key: str | int, node: Any) -> None:
    """`parent[key] = node`, without ruamel's habit of giving a plain text the style of the text it
    replaces: `"\x1f"` written in a `>-` block is not the same text once read back."""
    if isinstance(parent, CommentedMap):
        present = key in parent
        ordereddict.__setitem__(parent, key, node)
        if not present:
            parent._ok.add(key)
    elif isinstance(parent, CommentedSeq) and isinstance(key, int):
        list.__setitem__(parent, key, node)
    else:
        parent[key] = node


class RecordText:
    """One record file, read for changing: `set`, `remove`, then `save`."""

    def __init__(self, path: Path, original: bytes, root: Path | None = None) -> None:
        """`root`: the records folder, which the file must not lead out of (see `guarded`)."""
        self.path = path
        self.root = root
        self._original = original.decode("utf-8")
        self._digest = _digest(original)
        try:
            self._data: CommentedMap = _yaml().load(self._original)
        except RecursionError:
            raise EditConflict(
                f"{path} : trop de niveaux imbriqués pour une fiche : lancez check, puis corrigez-la"
            ) from None
        except Exception:  # ruamel raises many kinds of YAML errors: check says which, at its line
            raise EditConflict(
                f"{path} : n'a pas pu être lu comme du YAML : lancez check, corrigez-le, puis réessayez"
            ) from None
        if not isinstance(self._data, CommentedMap):
            raise EditConflict(
                f"{path} : le fichier ne contient pas une fiche (des lignes « clé: valeur ») : il est resté tel quel"
            )
        # What the file holds as `check` reads it; each change is made here too, and the text
        # written must read back as exactly this.
        self._expected = _read_back(self._original)
        if not isinstance(self._expected, dict):
            raise EditConflict(
                f"{path} : n'a pas pu être lu comme une fiche : lancez check, corrigez-la, puis réessayez"
            )
        self._baseline = _dump(self._data)

    @classmethod
    def read(cls, path: Path, root: Path | None = None) -> RecordText:
        """The record at `path`, a regular file inside `root` when given (EditConflict otherwise)."""
        return cls(path, _guarded_read(path, root), root)

    @property
    def digest(self) -> str:
        """The file's fingerprint when it was read (sha256 of its bytes)."""
        return self._digest

    def get(self, keys: Keys) -> Any:
        """The value at `keys` as plain Python, or None when it is not there."""
        node: Any = self._data
        for key in keys:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return _plain(node)

    def set(self, keys: Keys, value: Any) -> bool:
        """Give `keys` the value `value` (None removes it); whether anything changed."""
        if value is None:
            return self.remove(keys)
        if self.get(keys) == _plain(value):
            return False
        parent = self._parent(keys, create=True)
        key = keys[-1]
        old = parent.get(key) if isinstance(parent, CommentedMap) else parent[key]
        if isinstance(old, CommentedMap) and isinstance(value, Mapping):
            for sub, item in value.items():  # in place: the keys' order and comments stay
                self.set((*keys, sub), item)
            for sub in [k for k in old if k not in value]:
                del old[sub]
        elif isinstance(old, CommentedSeq) and isinstance(value, list | tuple):
            # In place too, item by item: the items that stay keep their quotes and comments.
            for index, item in enumerate(value[: len(old)]):
                self.set((*keys, index), item)
            del old[len(value) :]
            for item in value[len(old) :]:
                old.append(_as_yaml(item, flow=bool(old.fa.flow_style())))
        else:
            inline = isinstance(parent, CommentedSeq) and bool(parent.fa.flow_style())
            _replace(parent, key, _as_yaml(value, old, flow=inline))
        self._expect(keys, _expected(value))
        return True

    def remove(self, keys: Keys) -> bool:
        parent = self._parent(keys, create=False)
        if parent is None or keys[-1] not in parent:
            return False
        del parent[keys[-1]]
        self._expect(keys, _UNREAD)
        return True

    def _expect(self, keys: Keys, value: Any) -> None:
        """Make the change in `_expected` too (_UNREAD: remove the key)."""
        node: Any = self._expected
        for key in keys[:-1]:
            if isinstance(node, dict) and not isinstance(node.get(key), dict | list):
                node[key] = {}
            node = node[key]
        if value is _UNREAD:
            if isinstance(node, dict):
                node.pop(keys[-1], None)
            else:
                node.pop(keys[-1])
        else:
            node[keys[-1]] = value

    def _parent(self, keys: Keys, *, create: bool) -> Any:
        node: Any = self._data
        for key in keys[:-1]:
            if isinstance(node, CommentedMap) and key not in node:
                if not create:
                    return None
                node[key] = CommentedMap()
            node = node[key]
        return node

    def text(self) -> str:
        """The file's text with the changes made so far, and nothing else changed."""
        modified = _dump(self._data)
        if modified == self._baseline:
            return self._original
        carried = _carry(self._original, self._baseline, modified)
        for candidate in (carried, modified):
            if _read_back(candidate) == self._expected:
                return candidate
        raise EditConflict(
            f"{self.path} : la modification ne peut pas être écrite de façon que le fichier se relise avec les valeurs "
            "données : rien n'a été écrit (merci de signaler ce défaut, avec les valeurs)"
        )

    @property
    def changed(self) -> bool:
        return self.text() != self._original

    def save(self) -> bool:
        """Write the changes, if any; refuse when the file changed since it was read."""
        text = self.text()
        if text == self._original:
            return False
        target = _guarded_target(self.path, self.root)
        if _digest(_guarded_read(self.path, self.root)) != self._digest:
            raise EditConflict(
                f"{self.path} : le fichier a été modifié par quelqu'un d'autre depuis sa lecture : rien n'y a été écrit. "
                "Relancez la commande, pour qu'elle parte du fichier tel qu'il est maintenant"
            )
        _write_atomically(target, text)
        return True


def _guarded_read(path: Path, root: Path | None) -> bytes:
    try:
        return read_bytes(path, root)
    except FileRefused as refused:
        raise EditConflict(f"{path} : non lu, rien n'a été écrit : {refused.reason}") from None


def _guarded_target(path: Path, root: Path | None) -> Path:
    """Where to write `path`: through a link inside the records folder, never out of it."""
    try:
        return write_target(path, root) if root is not None else path
    except FileRefused as refused:
        raise EditConflict(f"{path} : rien n'a été écrit : {refused.reason}") from None


def _written(text: str, folder: Path, name: str) -> Path:
    """`text` in a new temporary file of `folder`, read back byte for byte before anything uses it."""
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        if Path(temporary).read_bytes() != text.encode("utf-8"):
            raise EditConflict(
                f"{folder / name} : le fichier écrit ne se relit pas comme il a été écrit : rien n'a été remplacé"
            )
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder: a reader never sees half a file."""
    temporary = _written(text, path.parent, path.name)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


#: What a YAML file cannot hold raw, even in a comment (and the byte-order mark, which some readers drop).
_UNPRINTABLE = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def new_text(data: Mapping[str, Any], header: Sequence[str] = ()) -> str:
    """The text of a new record holding `data`, under `header` (comment lines); EditConflict when
    the portal's loader would not read it back as exactly `data`."""
    # A header line is a comment only up to a line break: each line the text holds gets its own `#`.
    comments = [part for line in header for part in (line.splitlines() or [""])]
    text = "".join(f"# {_UNPRINTABLE.sub(_escaped, line)}\n" for line in comments) + _dump(_as_yaml(dict(data)))
    if _read_back(text) != _expected(dict(data)):
        raise EditConflict(
            "la nouvelle fiche ne peut pas être écrite de façon qu'elle se relise avec les valeurs données : rien n'a été écrit"
        )
    return text


def write_new(path: Path, data: Mapping[str, Any], *, header: Sequence[str] = (), root: Path | None = None) -> None:
    """Write a new record file; never over an existing one, nor out of `root` (the records folder)."""
    try:
        text = new_text(data, header)
    except EditConflict as error:
        raise EditConflict(f"{path} : {error}") from None
    if os.path.lexists(path):  # a link to nothing too: it would be written through, say so now
        raise EditConflict(f"{path} existe déjà : il est resté tel quel")
    path = _guarded_target(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _written(text, path.parent, path.name)
    try:
        os.link(temporary, path)  # whole or not at all, and never over a file that appeared meanwhile
    except FileExistsError:
        raise EditConflict(f"{path} existe déjà : il est resté tel quel") from None
    finally:
        temporary.unlink(missing_ok=True)
