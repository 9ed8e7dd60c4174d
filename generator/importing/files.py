"""The import's two edges: reading data·inclusion files, writing our YAML records.

Reading takes the files people have: JSON lists, pages of data·inclusion's list
and search API (services with their structure nested inside), CSV, and the
official spreadsheet template (.xlsx, .ods, or a sheet of it saved as CSV).
Each refusal is one line in French at the object's line (or row and column).

A written record starts with a comment naming where it comes from and a
fingerprint of what the import wrote. A later import rewrites the file only
while the fingerprint still matches: once someone edits the record, it is
theirs, and the import reports it instead of overwriting it. Every file is
produced by a YAML emitter from data and read back with the portal's own
loader before it replaces anything: nothing in the input can add a key.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml
from data_inclusion.schema import v1 as di
from pydantic import BaseModel, ValidationError
from yaml.nodes import ScalarNode

from ..guarded import FileRefused, read_bytes, write_target
from ..problems import Report
from ..records.loader import _scalar as _loaded_scalar
from ..records.loader import load_yaml
from ..records.types import slugify
from ..sheets.model import column_letter
from .datainclusion import Imported, Unmapped
from .messages import describe, shown, suggestion

FINGERPRINT = re.compile(r"# empreinte de l'import : sha256:([0-9a-f]{64})")
HEADER_START = "# Importé de "
HEADER_LINES = 4
#: The origin id in the first header line, as a JSON string (ASCII only: no line break can hide in it).
ORIGIN = re.compile(r"^# Importé de (.*) le \d{4}-\d{2}-\d{2} par .*, identifiant d'origine : (\"(?:[^\"\\]|\\.)*\")$")
#: Before the id moved to the end of the line: « # Importé de data·inclusion (ID) le … ».
LEGACY_ORIGIN = re.compile(r"^# Importé de data·inclusion \((.*)\) le \d{4}-\d{2}-\d{2} par ")
#: A file name is at most 255 bytes; ids stay far below, so that a name never fails to be written.
MAX_ID_LENGTH = 120


# --- reading ---------------------------------------------------------------


def _fields_of(model: type[BaseModel], kind: str) -> set[str]:
    return {name for name, info in model.model_fields.items() if re.search(rf"\b{kind}\b", str(info.annotation))}


LIST_FIELDS = {model: _fields_of(model, "set|list") for model in (di.Service, di.Structure)}
FLOAT_FIELDS = {model: _fields_of(model, "float") for model in (di.Service, di.Structure)}
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
#: Another tool's CSV may still use these for "nothing".
EMPTY_LISTS = {"[]", "{}"}
#: Fields the data·inclusion API adds to the schema's: known, so not reported, and not imported.
API_FIELDS = {"adresse_certifiee", "score_qualite", "extra", "doublons", "distance", "score_recherche"}
#: The template's column that marks its explanation and example rows.
IGNORE_COLUMN = "__ignore__"
NOT_IGNORED = {"", "false", "faux", "0", "non", "no", "none"}
KIND_NAMES = {di.Service: "service", di.Structure: "structure"}


@dataclass
class _Object:
    """One data·inclusion object as read, and where it was."""

    line: int
    raw: dict[str, Any]
    model: type[BaseModel] | None = None  # None: decided for the whole file
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field -> column letter, in a sheet
    from_table: bool = False  # a CSV or sheet row: every value is text, lists between commas

    def where(self, name: str) -> str:
        if self.sheet is not None:
            column = self.columns.get(name)
            return f"feuille « {self.sheet} », " + (f"colonne {column} « {name} »" if column else f"« {name} »")
        kind = KIND_NAMES.get(self.model, "objet") if self.model else "objet"
        return (
            f"{kind} {shown(self.raw.get('id', '?'))}, {name}" if name else f"{kind} {shown(self.raw.get('id', '?'))}"
        )


def _cell_list(text: str) -> list[str]:
    """A list in a CSV cell: a JSON array, a PostgreSQL array {a,b}, or values between commas or '|'."""
    text = text.strip()
    if text.startswith("["):
        try:
            return [str(v) for v in json.loads(text)]
        except (json.JSONDecodeError, TypeError):
            text = text.strip("[]").replace("'", "")
    text = text.strip("{}")
    return [part.strip().strip('"') for part in re.split(r"[,|]", text) if part.strip()]


def _csv_value(model: type, key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in LIST_FIELDS[model]:
        return _cell_list(value)
    if key in FLOAT_FIELDS[model] and DECIMAL_COMMA.match(value.strip()):
        return value.strip().replace(",", ".")  # 47,65: a French spreadsheet's decimal comma
    return value


#: An import file may be a whole national dump, but never a device or a pipe (`guarded`).
MAX_IMPORT_BYTES = 500_000_000


def _file_text(path: Path, report: Report) -> str | None:
    try:
        data = read_bytes(path, None, "les fichiers importés", limit=MAX_IMPORT_BYTES)
    except FileRefused as refused:
        report.error(path, 0, f"fichier non lu : {refused.reason}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.error(
            path, line, "le fichier n'est pas en UTF-8 : enregistrez-le à nouveau en « CSV UTF-8 » (ou JSON en UTF-8)"
        )
    return None


def _ranges(numbers: list[int]) -> str:
    """[2, 3, 4, 7] -> '2-4, 7'."""
    groups = [[n for _, n in group] for _, group in groupby(enumerate(sorted(numbers)), lambda t: t[1] - t[0])]
    return ", ".join(str(g[0]) if len(g) == 1 else f"{g[0]}-{g[-1]}" for g in groups)


def _ignored(value: Any) -> bool:
    return value is not None and str(value).strip().casefold() not in NOT_IGNORED


def _cell_text(value: Any) -> str | None:
    """A cell as the text a producer meant: 59260.0 (a postcode a spreadsheet made a number) -> '59260'."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _table(path: Path, rows: list[tuple[int, list[Any]]], report: Report, sheet: str | None = None) -> list[_Object]:
    """Rows of a table (header first, each with its line or row number) -> objects, by column name.

    The template's explanation and example rows (`__ignore__`) are skipped and
    reported; a column the header names twice is read once and reported.
    """
    if not rows:
        return []
    place = f"feuille « {sheet} », " if sheet else ""
    header_line, header = rows[0]
    names: dict[int, str] = {}
    first_of: dict[str, str] = {}
    for index, cell in enumerate(header):
        letter = column_letter(index)
        name = cell.strip() if isinstance(cell, str) else None
        if cell is None or name == "":
            continue
        if name is None:
            report.warning(
                path,
                header_line,
                f"{place}colonne {letter} : l'en-tête {shown(_cell_text(cell))} n'est pas un nom de champ : "
                "colonne non lue (écrivez le nom du champ, comme « date_maj »)",
            )
            continue
        if name in first_of:
            report.warning(
                path,
                header_line,
                f"{place}colonne {letter} : « {name} » est déjà la colonne {first_of[name]} : seule la colonne "
                f"{first_of[name]} est lue",
            )
            continue
        first_of[name] = letter
        names[index] = name
    objects = []
    skipped = []
    for line, cells in rows[1:]:
        values = {names[i]: cells[i] for i in names if i < len(cells)}
        if _ignored(values.pop(IGNORE_COLUMN, None)):
            skipped.append(line)
            continue
        raw = {}
        for name, cell in values.items():
            text = _cell_text(cell)
            if text is not None and text not in EMPTY_LISTS:
                raw[name] = text
        if raw:
            objects.append(_Object(line, raw, sheet=sheet, columns=dict(first_of) if sheet else {}, from_table=True))
    if skipped:
        report.warning(
            path,
            skipped[0],
            f"{place}lignes {_ranges(skipped)} marquées « {IGNORE_COLUMN} » (explications et exemples du modèle) : "
            "non importées"
            if len(skipped) > 1
            else f"{place}ligne {skipped[0]} marquée « {IGNORE_COLUMN} » (explication ou exemple du modèle) : "
            "non importée",
        )
    return objects


PHYSICAL_LINE = re.compile(r"\r\n|\r|\n")


def _from_csv(path: Path, text: str, report: Report) -> list[_Object]:
    first = text.split("\n", 1)[0]
    separator = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    lines = PHYSICAL_LINE.split(text)
    rows: list[tuple[int, list[Any]]] = []
    end = 0
    width = 0
    try:
        for cells in reader:
            # line_num is where the row ends; a row starts on the first non-empty line after the last one
            start = end + 1
            while start < reader.line_num and not lines[start - 1].strip():
                start += 1
            end = reader.line_num
            if not cells:
                continue
            if not rows:
                width = len(cells)
            elif len(cells) > width and any(c.strip() for c in cells[width:]):
                report.error(
                    path,
                    start,
                    f"{len(cells) - width} cellule(s) de plus que les {width} colonnes de l'en-tête : "
                    f"une valeur qui contient « {separator} » doit être entre guillemets",
                )
                continue
            rows.append((start, list(cells)))
    except csv.Error as error:
        report.error(path, reader.line_num, f"fichier CSV illisible : {error}")
    if len(rows) < 2 and not report.errors:
        report.warning(path, 1, "aucune ligne : attendu une ligne d'en-tête, puis un objet data·inclusion par ligne")
    return _table(path, rows, report)


def _normal(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().strip().casefold()


def _from_workbook(path: Path, report: Report) -> list[_Object] | None:
    """The template's « Structures » and « Services » sheets (else the first sheet)."""
    from ..sheets.ods import read_ods
    from ..sheets.xlsx import read_xlsx

    reader = read_ods if path.suffix.lower() == ".ods" else read_xlsx
    try:
        grid = reader(read_bytes(path, None, "les tableurs", limit=MAX_IMPORT_BYTES))
    except FileRefused as refused:
        report.error(path, 0, f"fichier non lu : {refused.reason}")
        return None
    except Exception as error:  # a damaged or mislabelled file: the libraries raise many kinds
        report.error(
            path,
            0,
            f"ce n'est pas un classeur {path.suffix} lisible ({type(error).__name__}) : "
            "enregistrez-le à nouveau depuis LibreOffice ou Excel",
        )
        return None
    wanted = {"structures": di.Structure, "services": di.Service}
    chosen = [(name, wanted[_normal(name)]) for name in grid if _normal(name) in wanted]
    if not chosen and grid:
        first = next(iter(grid))
        chosen = [(first, None)]
        report.warning(path, 0, f"pas de feuille « Structures » ni « Services » : seule la feuille « {first} » est lue")
    objects = []
    for name, model in chosen:
        rows = list(enumerate(grid[name], start=1))
        for item in _table(path, rows, report, sheet=name):
            item.model = model
            objects.append(item)
    return objects


def _skip(text: str, index: int, characters: str) -> int:
    while index < len(text) and text[index] in characters:
        index += 1
    return index


def _value_start(text: str, key: str) -> int | None:
    """Where the value of the top-level object's `key` starts (its last occurrence, as json.loads reads it)."""
    decoder = json.JSONDecoder()
    index = _skip(text, 0, " \t\r\n")
    if index >= len(text) or text[index] != "{":
        return None
    found = None
    index += 1
    while True:
        index = _skip(text, index, " \t\r\n,")
        if index >= len(text) or text[index] == "}":
            return found
        name, index = decoder.raw_decode(text, index)
        index = _skip(text, index, " \t\r\n:")
        if name == key:
            found = index
        _, index = decoder.raw_decode(text, index)


def _items_with_lines(text: str, start: int) -> list[tuple[int, Any]]:
    """The items of the JSON array that opens at `start`, each with the line it starts on."""
    decoder = json.JSONDecoder()
    found: list[tuple[int, Any]] = []
    index = start + 1
    line, counted = 1, 0  # lines counted as we go: a long export is read once, not once per item
    while True:
        index = _skip(text, index, " \t\r\n,")
        if index >= len(text) or text[index] == "]":
            return found
        item, end = decoder.raw_decode(text, index)
        line += text.count("\n", counted, index)
        counted = index
        found.append((line, item))
        index = end


JSON_ERRORS = {
    "Expecting property name enclosed in double quotes": "un nom de champ entre guillemets doubles est attendu",
    "Expecting value": "une valeur est attendue",
    "Expecting ',' delimiter": "une virgule est attendue",
    "Expecting ':' delimiter": "deux-points (:) sont attendus",
    "Unterminated string": "un texte entre guillemets n'est jamais fermé",
    "Extra data": "du texte suit la fin du JSON",
    "Invalid control character": "un caractère de contrôle est dans un texte",
    "Invalid \\escape": "une barre oblique inverse (\\) est suivie d'un caractère inattendu",
}
EXPECTED_JSON = (
    "attendu une liste d'objets data·inclusion (structures ou services), une page de l'API (« items ») ou un seul objet"
)


def _page_note(path: Path, data: dict[str, Any], report: Report) -> None:
    page, pages = data.get("page"), data.get("pages")
    if isinstance(page, int) and isinstance(pages, int) and not isinstance(pages, bool) and pages > 1:
        report.warning(
            path, 1, f"page {page} sur {pages} d'une réponse de l'API : les autres pages ne sont pas dans ce fichier"
        )


def _from_json(path: Path, text: str, report: Report) -> list[_Object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        words = next((french for english, french in JSON_ERRORS.items() if error.msg.startswith(english)), error.msg)
        report.error(path, error.lineno, f"JSON invalide : {words} (colonne {error.colno})")
        return []
    except RecursionError:
        report.error(path, 1, "JSON illisible : imbriqué trop profondément")
        return []
    if isinstance(data, list):
        items = _items_with_lines(text, text.index("["))
    elif isinstance(data, dict) and "items" in data:  # a page of the list or search API
        if not isinstance(data["items"], list):
            report.error(path, 1, f"« items » n'est pas une liste : {EXPECTED_JSON}")
            return []
        _page_note(path, data, report)
        start = _value_start(text, "items")
        assert start is not None  # json.loads found the key
        items = _items_with_lines(text, start)
    elif isinstance(data, dict) and "id" in data:  # one object, as the API's detail answers give it
        items = [(text.count("\n", 0, text.index("{")) + 1, data)]
    else:
        report.error(path, 1, EXPECTED_JSON)
        return []
    objects = []
    for number, (line, item) in enumerate(items, start=1):
        if isinstance(item, dict) and isinstance(item.get("service"), dict) and "id" not in item:
            item = item["service"]  # a search result: {"service": {...}, "distance": ...}
        if not isinstance(item, dict):
            report.error(path, line, f"élément n° {number} : {shown(json.dumps(item))} n'est pas un objet JSON")
            continue
        objects.extend(_unnested(line, dict(item), path, report))
    return objects


def _unnested(line: int, raw: dict[str, Any], path: Path, report: Report) -> list[_Object]:
    """A service with its structure inside, or a structure with its services: one object each."""
    found = []
    structure = raw.pop("structure", None)
    services = raw.pop("services", None)
    if isinstance(structure, dict):
        structure = dict(structure)
        structure.setdefault("id", raw.get("structure_id") or f"{raw.get('id', '')}--structure")
        structure.setdefault("source", raw.get("source"))
        if raw.get("structure_id") not in (None, structure["id"]):
            report.warning(
                path,
                line,
                f"service {shown(raw.get('id', '?'))}, structure_id {shown(raw['structure_id'])} : ce n'est pas "
                f"l'identifiant de la structure donnée avec le service ({shown(structure['id'])}) : "
                "la structure donnée avec le service est retenue",
            )
        raw["structure_id"] = structure["id"]  # the structure given with the service is its structure
        found.append(_Object(line, raw, di.Service))
        found.extend(_unnested(line, structure, path, report)[:1])
        found[-1].model = di.Structure
        return found
    if structure is not None:
        report.error(path, line, f"service {shown(raw.get('id', '?'))}, structure : attendu un objet JSON")
    if services is not None and not isinstance(services, list):
        report.error(path, line, f"structure {shown(raw.get('id', '?'))}, services : attendu une liste d'objets JSON")
    found.append(_Object(line, raw, di.Service if structure is not None else None))
    if isinstance(services, list):
        found[0].model = di.Structure
        for service in services:
            if isinstance(service, dict):
                service = dict(service)
                service.setdefault("structure_id", raw.get("id"))
                service.setdefault("source", raw.get("source"))
                found.append(_Object(line, service, di.Service))
    return found


def _read_objects(path: Path, report: Report) -> list[_Object] | None:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".ods"):
        return _from_workbook(path, report)
    text = _file_text(path, report)
    if text is None:
        return None
    return (_from_csv if suffix == ".csv" else _from_json)(path, text, report)


def read_data_inclusion(
    files: list[Path], report: Report, source: str | None = None
) -> tuple[list[di.Service], list[di.Structure], set[str]]:
    """The services and structures of `files`, and every structure id a service names.

    An object the official models refuse is an error at its line (or row and
    column) and left out; a field they do not define (an older schema, a typo) is
    reported once per file, never dropped silently. Objects of a plain list or
    table are services when one of them has a `structure_id`. An object without
    `source` (optional in the template) takes `source`, else the file's name.
    """
    services: list[di.Service] = []
    structures: list[di.Structure] = []
    seen_structures: set[str] = set()
    claimed: set[str] = set()
    for path in files:
        if not path.exists() and not path.is_symlink():
            report.error(path, 0, "fichier introuvable")
            continue
        objects = _read_objects(path, report)
        if not objects:
            continue
        plain_model = di.Service if any("structure_id" in o.raw for o in objects if o.model is None) else di.Structure
        default_source = source or slugify(path.stem) or "import"
        unsourced = []
        unknown: dict[tuple[type[BaseModel], str], list[_Object]] = {}
        for item in objects:
            model = item.model = item.model or plain_model
            item.raw = {
                k: _csv_value(model, k, v) if item.from_table else v for k, v in item.raw.items() if k not in API_FIELDS
            }
            if item.raw.get("source") in (None, ""):
                item.raw["source"] = default_source
                unsourced.append(item.line)
            for name in item.raw:
                if name not in model.model_fields:
                    unknown.setdefault((model, name), []).append(item)
        if unsourced:
            why = "donnée par --source" if source else "le nom du fichier ; sinon, précisez --source"
            report.warning(
                path,
                unsourced[0],
                f"{len(unsourced)} objet(s) sans « source » : « {default_source} » ({why})",
            )
        for (model, name), items in sorted(unknown.items(), key=lambda kv: kv[1][0].line):
            first = items[0]
            more = f" ({len(items)} objets)" if len(items) > 1 else ""
            report.warning(
                path,
                first.line,
                f"{first.where(name) if first.sheet else shown(name)} : pas un champ du schéma data·inclusion "
                f"des {KIND_NAMES[model]}s{more} : non importé{suggestion(name, model.model_fields)}",
            )
        for item in objects:
            _validate(path, item, report, services, structures, seen_structures, claimed)
    return services, structures, claimed


def _validate(
    path: Path,
    item: _Object,
    report: Report,
    services: list[di.Service],
    structures: list[di.Structure],
    seen_structures: set[str],
    claimed: set[str],
) -> None:
    model = item.model
    assert model is not None
    raw = {k: v for k, v in item.raw.items() if k in model.model_fields}
    if model is di.Service and isinstance(raw.get("structure_id"), str):
        claimed.add(raw["structure_id"])
    identifier = raw.get("id")
    if isinstance(identifier, str) and len(slugify(identifier)) > MAX_ID_LENGTH:
        report.error(
            path,
            item.line,
            f"{item.where('id')} : identifiant trop long ({len(identifier)} caractères) : "
            f"au plus {MAX_ID_LENGTH} pour en faire un nom de fichier",
        )
        return
    try:
        record = model.model_validate(raw)
    except ValidationError as failure:
        said = set()
        for error in failure.errors(include_url=False):
            name, message = describe(model, error)
            line = f"{item.where(name)} : {message}"
            if line not in said:
                said.add(line)
                report.error(path, item.line, line)
        return
    if isinstance(record, di.Service):
        services.append(record)
    elif isinstance(record, di.Structure) and record.id not in seen_structures:
        seen_structures.add(record.id)
        structures.append(record)


# --- writing ---------------------------------------------------------------

#: Characters a YAML reader turns into something else outside double quotes (NEL and the
#: Unicode line separators become line breaks; control characters are not allowed raw).
_ONLY_DOUBLE_QUOTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_TRAILING_BLANKS = re.compile(r"[ \t]+(?=\n)|[ \t]+$")


def editable(value: Any) -> Any:
    """Multi-line text as a coordinator can edit it: Unix line ends, no blanks at the end of a line.

    Trailing spaces are invisible in an editor, and a YAML block (`|`) cannot keep
    them: with them, the text would be written as one escaped "…\\n…" line. They
    carry nothing a resident would see (a Markdown line break written as two
    trailing spaces becomes a plain line break), so they are dropped. Tabs, which a
    block cannot hold either, become spaces (to the next multiple of 4 columns,
    as Markdown counts them).
    """
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return _TRAILING_BLANKS.sub("", "\n".join(line.expandtabs(4) for line in lines))
    if isinstance(value, dict):
        return {key: editable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [editable(item) for item in value]
    return value


class _Dumper(yaml.SafeDumper):
    """Our own representers, without changing PyYAML's shared SafeDumper."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice: the portal's loader refuses `&id001`/`*id001`


def _text(dumper: yaml.SafeDumper, value: str) -> ScalarNode:
    if _ONLY_DOUBLE_QUOTED.search(value):
        style: str | None = '"'  # escaped (\N, \L, \e…): read back as the same character
    elif "\n" in value:
        style = "|"  # paragraphs stay readable and editable; the emitter falls back to quotes if it must
    elif not isinstance(_loaded_scalar(ScalarNode("tag:yaml.org,2002:str", value)), str):
        style = "'"  # 1e5, -.5, 5e-3 are numbers to the portal's loader (YAML 1.2), not to PyYAML's 1.1
    else:
        style = None  # PyYAML quotes what YAML 1.1 reads otherwise: yes, null, 2024-01-01, 1.0
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    """`data` as YAML that the portal's loader (YAML 1.2) reads back as `data`: text stays text."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


_body = dump_yaml


def _fingerprint(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _header(origin: str, today: dt.date, body: str, provenance: str) -> str:
    # The origin id is data: JSON-escaped (ASCII only), it cannot end the comment or add a line.
    name = " ".join(provenance.split())
    return (
        f"{HEADER_START}{name} le {today.isoformat()} par « python -m generator import », "
        f"identifiant d'origine : {json.dumps(origin, ensure_ascii=True)}\n"
        "# Un nouvel import met cette fiche à jour tant qu'elle n'est pas modifiée à la main ;\n"
        "# une fois modifiée, il la laisse telle quelle et le signale.\n"
        f"# empreinte de l'import : sha256:{_fingerprint(body)}\n"
    )


def _split(text: str) -> tuple[str | None, str]:
    """The fingerprint written by the import, and the rest of the file (what it covers).

    Only the header as the import writes it, the file's first four lines, counts:
    anything added above it is an edit too.
    """
    lines = text.split("\n", HEADER_LINES)
    if len(lines) <= HEADER_LINES or not lines[0].startswith(HEADER_START):
        return None, text
    match = FINGERPRINT.fullmatch(lines[HEADER_LINES - 1])
    return (match.group(1), lines[HEADER_LINES]) if match else (None, text)


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # edited by hand since the import: not overwritten
    hand_made: list[Path] = field(default_factory=list)  # a record of the same name not written by the import
    gone: list[tuple[Path, str]] = field(default_factory=list)  # imported before, not in these files
    clashes: list[tuple[str, str]] = field(default_factory=list)  # two inputs, one file name
    unmapped: list[tuple[Path, Unmapped]] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # not written: why (nothing was replaced)


def _read(path: Path) -> str | None:
    try:
        return read_bytes(path, path.parent.parent).decode("utf-8")
    except (UnicodeDecodeError, FileRefused):
        return None  # not ours to rewrite: reported as made by hand


def _origin(text: str | None) -> tuple[str, str] | None:
    """Where an imported record comes from (the provenance and the origin id its header names)."""
    if text is None or not text.startswith(HEADER_START):
        return None
    first = text.split("\n", 1)[0]
    if match := ORIGIN.match(first):
        try:
            origin = json.loads(match.group(2))
        except json.JSONDecodeError:
            return None
        return (match.group(1), origin) if isinstance(origin, str) else None
    legacy = LEGACY_ORIGIN.match(first)
    return ("data·inclusion", legacy.group(1)) if legacy else None


def _write_checked(path: Path, text: str, data: dict[str, Any]) -> str | None:
    """Write `text` to `path` only if the portal's loader reads it back as `data`; why not, else None."""
    temporary = path.with_name(f".{path.name}.import-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        report = Report()
        document = load_yaml(temporary, report)
        if document is None or report.problems or document.data != data:
            return "le fichier écrit ne se relit pas à l'identique : rien n'a été remplacé (signalez ce bogue)"
        os.replace(temporary, path)
    except OSError as error:
        return f"ne peut pas être écrit : {error.strerror}"
    finally:
        temporary.unlink(missing_ok=True)
    return None


def write_records(
    records: list[Imported], folder: Path, today: dt.date, provenance: str = "data·inclusion"
) -> ImportResult:
    """Write each record under `folder` as `<rid>.yml`, headed by `provenance` and a fingerprint."""
    result = ImportResult()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.failed.append((folder, f"dossier impossible à créer : {error.strerror}"))
        return result
    seen: dict[str, str] = {}
    for record in records:
        if not record.rid or record.rid in seen:
            result.clashes.append((seen.get(record.rid, "(no usable file name)"), record.origin))
            continue
        seen[record.rid] = record.origin
        path = folder / f"{record.rid}.yml"
        if len(record.rid) > MAX_ID_LENGTH:
            result.failed.append((path, f"nom de fichier trop long : au plus {MAX_ID_LENGTH} caractères"))
            continue
        try:
            path = write_target(path, folder.parent)  # never through a link out
        except FileRefused as refused:
            result.failed.append((path, refused.reason))
            continue
        data = editable(record.data)
        body = _body(data)
        if path.exists():
            written, current = _split(_read(path) or "")
            if written is None:
                result.hand_made.append(path)
                continue
            if written != _fingerprint(current):
                result.kept.append(path)
                continue
            if current == body:
                result.unmapped.extend((path, item) for item in record.unmapped)
                result.unchanged.append(path)
                continue
            done = result.updated
        else:
            done = result.created
        failure = _write_checked(path, _header(record.origin, today, body, provenance) + body, data)
        if failure is not None:
            result.failed.append((path, failure))
            continue
        result.unmapped.extend((path, item) for item in record.unmapped)
        done.append(path)
    # Records an earlier import wrote that these files no longer give: say so, delete nothing.
    produced = {record.origin for record in records}
    name = " ".join(provenance.split())
    for path in sorted(folder.glob("*.yml")):
        found = _origin(_read(path))
        if found is not None and found[0] == name and found[1] not in produced:
            result.gone.append((path, found[1]))
    return result
