"""A workbook's rows back into record files: checked like `check`, written through `editing`.

Three steps. `plan` compares each row with its record file, cell by cell in
canonical form, and keeps only the keys whose cell differs. `check_plan` writes
the changed and new files into a copy of the records folder and runs the whole
of `check` (`pipeline.load_project`) on it, so that the rules and messages are
check's own; each problem's file and line is mapped back to its row and column.
`apply` writes, only when nothing is wrong, and never over a file changed since
it was read.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..editing import EditConflict, RecordText, write_new
from ..guarded import FileRefused, folder_entries, is_regular_inside, read_bytes
from ..problems import Problem, Report, Severity
from ..records.loader import Document, PathKey, load_yaml
from ..records.types import ID_PATTERN, slugify
from ..records.validate import YAML_SUFFIXES
from . import texts
from .columns import (
    CellError,
    Field,
    Keys,
    Vocabulary,
    canonical,
    decode,
    encode,
    sheet_view,
    value_at,
    written_keys,
)
from .export import fields_of
from .model import Cell, Grid

# The sheets' record kinds, by sheet name.
_KIND_OF_SHEET = {name: kind for kind, name in texts.KIND_SHEETS.items()}


@dataclass(frozen=True)
class Place:
    """Where a problem is in the workbook: a sheet, a row (1 = the headers), perhaps a column."""

    sheet: str
    row: int
    column: str | None = None


@dataclass(frozen=True)
class Row:
    """One row of a record sheet: where it is, and its cell in each record column."""

    place: Place
    cells: tuple[tuple[Field, Cell], ...]

    def at(self, column: Field) -> Place:
        return Place(self.place.sheet, self.place.row, column.header)


@dataclass(frozen=True)
class SheetProblem:
    message: str
    place: Place | None = None
    path: Path | None = None  # a record file no row shows
    line: int = 0
    severity: Severity = Severity.ERROR

    def format(self, workbook: str, relative_to: Path | None = None) -> str:
        if self.place is None:
            problem = Problem(self.path or Path(workbook), self.line, self.message, self.severity)
            return problem.format(relative_to)
        where = f"{workbook} › {self.place.sheet} › ligne {self.place.row}"
        if self.place.column:
            where += f", colonne « {self.place.column} »"
        return f"{where} : {self.severity.word} : {self.message}"


@dataclass
class Edit:
    """A record file and the keys a row changes in it."""

    kind: str
    rid: str
    path: Path
    place: Place
    original: bytes
    data: dict[str, Any]  # the record as it will be (plain data)
    keys: list[Keys] = field(default_factory=list)
    new: bool = False

    def text(self) -> str:
        if self.new:
            return _new_text(self.data)
        record = RecordText(self.path, self.original)
        for keys in self.keys:
            _set(record, keys, value_at(self.data, keys))
        return record.text()


@dataclass
class Plan:
    """What the import would do; `problems` with an error means it does nothing."""

    edits: list[Edit] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    #: What was done that the coordinator should know: emptied cells, values not carried.
    notes: list[SheetProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[SheetProblem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    def error(self, message: str, place: Place | None = None) -> None:
        self.problems.append(SheetProblem(message, place))

    def note(self, message: str, place: Place | None = None) -> None:
        self.notes.append(SheetProblem(message, place, severity=Severity.WARNING))


# --- plain data -------------------------------------------------------------------------------


def _put(data: dict[str, Any], keys: Keys, value: Any) -> None:
    """Set (or remove, for None) a nested key; a mapping left empty goes too."""
    node: Any = data
    trail = []
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            if value is None:
                return
            node[key] = {}
        trail.append((node, key))
        node = node[key]
    if value is None:
        node.pop(keys[-1], None)
        for parent, key in reversed(trail):
            if not parent[key]:
                del parent[key]
    else:
        node[keys[-1]] = value


def _set(record: RecordText, keys: Keys, value: Any) -> None:
    record.set(keys, value)
    if value is None:  # an emptied part goes with its last value: no `address: {}` left behind
        for size in range(len(keys) - 1, 0, -1):
            if record.get(keys[:size]) == {}:
                record.remove(keys[:size])


def _new_text(data: Mapping[str, Any]) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.yml"
        write_new(path, data, header=texts.NEW_RECORD_HEADER)
        return path.read_text(encoding="utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- rows -> plan -----------------------------------------------------------------------------


def _record_files(directory: Path, kind: str) -> dict[str, Path]:
    """The record files of a kind; what check refuses to read (a link out, a pipe) is not among them."""
    try:
        entries = folder_entries(directory / kind, directory)
    except FileRefused:
        return {}  # check_plan reports it, as check does
    return {
        path.stem: path
        for path in entries
        if path.suffix in YAML_SUFFIXES and not path.name.startswith(".") and is_regular_inside(path, directory)
    }


def _fingerprints(grid: Grid) -> dict[tuple[str, str], str]:
    rows = grid.get(texts.FINGERPRINTS, [])
    return {
        (str(row[0]), str(row[1])): str(row[2])
        for row in rows[1:]
        if len(row) >= 3 and all(cell not in (None, "") for cell in row[:3])
    }


def _id_cell(cell: Cell) -> str | None:
    if cell is None:
        return None
    text = str(int(cell) if isinstance(cell, float) and cell.is_integer() else cell).strip()
    return text or None


def _columns(result: Plan, sheet: str, header: list[str], fields: Sequence[Field]) -> list[tuple[int, Field]]:
    """The record columns of a sheet by position; a column the sheet should not have is reported."""
    by_header = {f.header: f for f in fields}
    columns: list[tuple[int, Field]] = []
    for index, name in enumerate(header):
        if name in by_header:
            columns.append((index, by_header[name]))
        elif name and name not in (texts.ID_HEADER, texts.YAML_ONLY_HEADER):
            result.note(
                f"la colonne « {name} » n'est pas une colonne de cette feuille : elle n'a pas été importée",
                Place(sheet, 1),
            )
    return columns


def plan(grid: Grid, directory: Path, languages: Sequence[str], words: Vocabulary) -> Plan:
    """Compare every row with its record file; nothing is written."""
    result = Plan()
    files = {kind: _record_files(directory, kind) for kind in texts.KIND_SHEETS}
    counts = {kind: len(found) for kind, found in files.items()}
    # Ids are unique across every kind, pathways (not in the workbook) included.
    every = {**files, "pathways": _record_files(directory, "pathways")}
    owner = {rid: (kind, path) for kind, found in every.items() for rid, path in found.items()}
    fingerprints = _fingerprints(grid)
    taken = set(owner)
    seen: dict[str, Place] = {}
    for kind, sheet in texts.KIND_SHEETS.items():
        rows = grid.get(sheet)
        if rows is None:
            result.note(f"le classeur n'a pas de feuille « {sheet} » : ses fiches sont restées telles quelles")
            continue
        header = [str(cell).strip() if cell is not None else "" for cell in (rows[0] if rows else [])]
        if texts.ID_HEADER not in header:
            result.error(f"la feuille n'a pas de colonne « {texts.ID_HEADER} » : remettez son en-tête", Place(sheet, 1))
            continue
        id_index = header.index(texts.ID_HEADER)
        columns = _columns(result, sheet, header, fields_of(kind, languages, words, counts))
        listed: set[str] = set()
        for number, row in enumerate(rows[1:], start=2):
            cells = {index: row[index] if index < len(row) else None for index in range(len(header))}
            if all(cells[index] in (None, "") for index, _ in columns) and cells[id_index] in (None, ""):
                continue
            place = Place(sheet, number)
            record_row = Row(place, tuple((column, cells[index]) for index, column in columns))
            rid = _id_cell(cells[id_index])
            if rid is not None:
                if not ID_PATTERN.match(rid):
                    result.error(
                        f"« {rid} » n'est pas un identifiant valable : attendu des minuscules sans accent, des chiffres "
                        "et des tirets simples, comme 'msp-redon' ; laissez-le vide pour une nouvelle fiche",
                        Place(sheet, number, texts.ID_HEADER),
                    )
                    continue
                if rid in seen:
                    first = seen[rid]
                    result.error(
                        f"l'identifiant « {rid} » est déjà à la ligne {first.row} de « {first.sheet} » : une ligne par fiche",
                        Place(sheet, number, texts.ID_HEADER),
                    )
                    continue
                if rid in owner and owner[rid][0] != kind:
                    other, path = owner[rid]
                    result.error(
                        f"« {rid} » est déjà l'identifiant de {other}/{path.name} : une fiche ne peut pas changer de feuille, "
                        "et chaque identifiant n'est donné qu'à une fiche",
                        Place(sheet, number, texts.ID_HEADER),
                    )
                    continue
            if rid is not None and rid in files[kind]:
                listed.add(rid)
                seen[rid] = place
                edit = _compare(result, kind, rid, files[kind][rid], record_row, fingerprints)
                if edit is None:
                    result.unchanged.append(files[kind][rid])
                elif edit.keys:
                    result.edits.append(edit)
                continue
            if rid is None:
                rid = _new_id(result, record_row, taken)
                if rid is None:
                    continue
            seen[rid] = place
            taken.add(rid)
            data, keys = _changes(result, record_row, None)
            result.edits.append(Edit(kind, rid, directory / kind / f"{rid}.yml", place, b"", data, keys, new=True))
        for rid, path in files[kind].items():
            if rid not in listed:
                result.missing.append(path)
    return result


def _new_id(result: Plan, row: Row, taken: set[str]) -> str | None:
    """A new record's id, from its French name, made unique."""
    named = [(f, cell) for f, cell in row.cells if f.keys == ("name",) and f.language in (None, "fr")]
    name = canonical(*named[0]) if named else None
    base = slugify(name) if isinstance(name, str) else ""
    if not base:
        header = named[0][0].header if named else "Nom (fr)"
        result.error(
            f"une nouvelle fiche a besoin d'un nom : écrivez-le dans « {header} »",
            Place(row.place.sheet, row.place.row, header),
        )
        return None
    rid, number = base, 2
    while rid in taken:
        rid, number = f"{base}-{number}", number + 1
    return rid


def _changes(result: Plan, row: Row, current: Any) -> tuple[dict[str, Any], list[Keys]]:
    """The record's data with the row's changed cells, and the keys they change."""
    data: dict[str, Any] = copy.deepcopy(current) if isinstance(current, dict) else {}
    keys: list[Keys] = []
    for column, cell in row.cells:
        shown = canonical(column, cell)
        before = value_at(current, column.keys) if isinstance(current, dict) else None
        if shown == canonical(column, encode(column, before)):
            continue
        lost: list[str] = []
        try:
            value = decode(column, shown, value_at(data, column.keys), lost)
        except CellError as error:
            result.error(str(error), row.at(column))
            continue
        for text in lost:
            result.note(text, row.at(column))
        if shown is None and before is not None and current:
            result.note(
                f"la cellule a été vidée : '{'.'.join(map(str, column.keys))}' "
                + ("perd cette traduction" if column.language else "est retiré de la fiche"),
                row.at(column),
            )
        _put(data, column.keys, value)
        if column.keys not in keys:
            keys.append(column.keys)
    return data, keys


def _compare(
    result: Plan, kind: str, rid: str, path: Path, row: Row, fingerprints: Mapping[tuple[str, str], str]
) -> Edit | None:
    """The edit a row makes to its record file; None when the row shows the file as it is."""
    root = path.parent.parent  # the records folder: directory/kind/file
    try:
        original = read_bytes(path, root)
    except FileRefused as refused:
        result.error(f"{path.name} n'a pas pu être lu : {refused.reason}", row.place)
        return Edit(kind, rid, path, row.place, b"", {})
    document = load_yaml(path, Report(), root)
    current = document.data if document is not None else None
    if not isinstance(current, dict):
        result.error(
            f"{path.name} n'a pas pu être lu comme une fiche : lancez check, corrigez-la, puis importez à nouveau",
            row.place,
        )
        return Edit(kind, rid, path, row.place, original, {})
    data, keys = _changes(result, row, sheet_view(current))
    if not keys:
        return None
    keys = list(dict.fromkeys(written_keys(current, k) for k in keys))
    exported = fingerprints.get((row.place.sheet, rid))
    if exported is not None and exported != digest(original):
        result.error(
            f"le fichier de la fiche {kind}/{path.name} a été modifié depuis l'export, et cette ligne le modifie : "
            "rien n'a été importé, pour ne pas défaire la modification faite dans le fichier. Exportez à nouveau "
            "(« python -m generator sheet export ») et faites vos modifications dans le nouveau classeur",
            row.place,
        )
    return Edit(kind, rid, path, row.place, original, data, keys)


# --- checking: check's own rules on a copy ----------------------------------------------------


def _paths_at(document: Document, line: int) -> list[PathKey]:
    found = [where for where, at in document.value_lines.items() if at == line]
    found += [where for where, at in document.key_lines.items() if at == line]
    return sorted(set(found), key=len, reverse=True)


_MISSING = re.compile(r"^il manque '([^']+)'")
#: check's messages mostly start with the key they are about: `opening_hours : ...`, `address.commune : ...`.
_LEADING = re.compile(r"^([a-z_]+(?:\.[a-z_]+|\[\d+\])*) : ")


def _dotted_keys(text: str) -> PathKey:
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", text)
    return tuple(int(part[1:-1]) - 1 if part.startswith("[") else part for part in parts)


def column_of(fields: Sequence[Field], where: PathKey) -> Field | None:
    """The column that shows the value at `where` in a record (the closest one)."""
    matches = [f for f in fields if tuple(where[: len(f.keys)]) == f.keys]
    if matches:
        rest = where[len(matches[0].keys) :]
        for f in matches:
            if f.language is not None and f.language in rest:
                return f
        return matches[0]
    below = [f for f in fields if f.keys[: len(where)] == tuple(where)]
    return below[0] if below and where else None


def _locate(edit: Edit, fields: Sequence[Field], problem: Problem, document: Document | None) -> Place:
    where: PathKey | None = None
    named = _MISSING.match(problem.message) or _LEADING.match(problem.message)
    if named and column_of(fields, _dotted_keys(named.group(1))) is not None:
        where = _dotted_keys(named.group(1))
    elif document is not None:
        for candidate in _paths_at(document, problem.line):
            if column_of(fields, candidate) is not None:
                where = candidate
                break
    column = column_of(fields, where) if where else None
    return Place(edit.place.sheet, edit.place.row, column.header if column else None)


def check_plan(
    result: Plan, directory: Path, config_file: Path, languages: Sequence[str], words: Vocabulary, today: dt.date
) -> None:
    """Run check on the records as the import would leave them; problems go to `result`."""
    from ..pipeline import load_project

    with tempfile.TemporaryDirectory(prefix="sheet-import-") as folder:
        copy_root = Path(folder) / directory.name
        # Links stay links and pipes or devices are not copied (reading one would hang or never end):
        # check refuses them in the copy as in the records folder.
        shutil.copytree(directory, copy_root, symlinks=True, ignore=_special_files(result, directory))
        by_file: dict[Path, Edit] = {}
        for edit in result.edits:
            target = copy_root / edit.kind / edit.path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(edit.text(), encoding="utf-8")
            by_file[_named(target)] = edit
        project = load_project(config_file, directory=copy_root, today=today)
        counts = {kind: len(_record_files(copy_root, kind)) for kind in texts.KIND_SHEETS}
        for problem in project.report.sorted():
            path = _named(problem.path)
            shown = by_file.get(path)
            if shown is None:
                if problem.severity is Severity.ERROR:
                    real = _outside(path, _named(copy_root), directory)
                    result.problems.append(SheetProblem(problem.message, None, real, problem.line, problem.severity))
                continue
            fields = fields_of(shown.kind, languages, words, counts)
            document = load_yaml(path, Report())
            result.problems.append(
                SheetProblem(problem.message, _locate(shown, fields, problem, document), severity=problem.severity)
            )


def _named(path: Path) -> Path:
    """`path` with its folders' links resolved, not its own (Path.resolve raises on a link loop)."""
    return Path(os.path.realpath(path.parent)) / path.name


def _special_files(result: Plan, directory: Path) -> Callable[[str, list[str]], set[str]]:
    """copytree's `ignore`: what is neither a file, a folder nor a link is left out, and an error."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        left_out = set()
        for name in names:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
                left_out.add(name)
                path = Path(folder) / name
                try:
                    read_bytes(path, directory)
                except FileRefused as refused:
                    result.problems.append(SheetProblem(f"non lu : {refused.reason}", None, path, 0))
        return left_out

    return ignore


def _outside(path: Path, copy_root: Path, directory: Path) -> Path:
    """A path of the copy -> the same path in the records folder."""
    try:
        return directory / path.relative_to(copy_root)
    except ValueError:
        return path


# --- writing ----------------------------------------------------------------------------------


def _current(edit: Edit) -> bytes:
    try:
        return read_bytes(edit.path, edit.path.parent.parent)
    except FileRefused as refused:
        raise EditConflict(f"{edit.path} : non lu, rien n'a été écrit : {refused.reason}") from None


def apply(result: Plan) -> Iterator[Edit]:
    """Write every change (nothing when a file changed since it was read); yields what it wrote."""
    for edit in result.edits:
        if edit.new and edit.path.exists():
            raise EditConflict(f"{edit.path} a été créé pendant l'import : rien n'a été écrit")
        if not edit.new and _current(edit) != edit.original:
            raise EditConflict(
                f"{edit.path} : le fichier a été modifié par quelqu'un d'autre pendant l'import : rien n'a été écrit. "
                "Lancez l'import à nouveau"
            )
    for edit in result.edits:
        root = edit.path.parent.parent  # the records folder: never written out of
        if edit.new:
            write_new(edit.path, edit.data, header=texts.NEW_RECORD_HEADER, root=root)
        else:
            record = RecordText(edit.path, edit.original, root)
            for keys in edit.keys:
                _set(record, keys, value_at(edit.data, keys))
            if not record.save():
                continue  # the same data as the file already holds
        yield edit
