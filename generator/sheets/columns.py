"""Which record key each column holds, and how a value goes into a cell and back.

A column (`Field`) holds one key of a record (`("address", "postcode")`), in one
language for translatable text. Three functions make the round trip:

- `encode`: the value as the YAML file holds it -> the cell written in the sheet;
- `canonical`: any cell, as a spreadsheet gives it back (a number for a postcode,
  a date cell, "oui") -> one comparable form; the import compares the sheet's cell
  and the file's value in this form, so that an untouched cell never changes a file;
- `decode`: a changed cell -> the key's new value, built on the current one, so that
  what the sheet does not show (the translations of a phone's label, a language not
  in the portal) is kept.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from ..i18n import SOURCE_LANGUAGE
from ..records.fields import field_help
from ..records.models import (
    Accessibility,
    Address,
    AgeRange,
    Appointment,
    Dispositif,
    HeldBy,
    Location,
    NewPatientsStatus,
    Permanence,
    Service,
    dated_new_patients,
)
from .model import Cell, Choices
from .texts import AREA_ALL, BOOLEANS, LIST_SEPARATOR_NOTE, LOCATION_SUFFIX, SHEET_NOTES

Keys = tuple[str | int, ...]
#: A cell in its comparable form: text, a number, a truth value, a list of lines, or nothing.
Canonical = str | int | float | bool | tuple[str, ...] | None


class CellError(ValueError):
    """A cell the import cannot turn into a value: the message says what is expected."""


@dataclass(frozen=True)
class Vocabulary:
    """The names the sheet shows for codes: communes, categories, publics, enumerations."""

    communes: Mapping[str, str]  # INSEE code -> name
    categories: Mapping[str, str]  # id -> French label
    publics: Mapping[str, str]
    enums: Mapping[str, Mapping[str, str]]  # enumeration -> code -> French label


@dataclass(frozen=True)
class Field:
    keys: Keys
    kind: str
    header: str
    note: str
    language: str | None = None
    #: code -> label, for the kinds that show labels instead of codes.
    labels: Mapping[str, str] = field(default_factory=dict)
    #: What the labels are, in an error message: "a category".
    what: str = ""
    width: int = 18
    choices: Choices | None = None


#: The kinds whose cell holds several values, one per line.
LIST_KINDS = frozenset({"ltexts", "dates", "enums", "refs", "codes", "phones", "links", "area"})
#: The kinds shown in one column per language.
TRANSLATED = frozenset({"ltext", "ltexts"})

_WIDTHS = {"ltext": 36, "ltexts": 48, "number": 11, "int": 9, "date": 12, "bool": 10, "phones": 32, "links": 50}

# --- what each sheet shows, in order ------------------------------------------------------

_OFFER: list[tuple[Keys, str]] = [
    (("phones",), "phones"),
    (("email",), "text"),
    (("appointment", "policy"), "enum:appointment"),
    (("appointment", "details"), "ltext"),
    (("appointment", "url"), "text"),
    (("cost",), "enums:cost"),
    (("cost_details",), "ltext"),
    (("publics",), "refs:publics"),
    (("languages",), "codes"),
    (("interpreting",), "enums:interpreting"),
    (("dispositifs",), "refs:dispositifs"),
    (("service_area",), "area"),
]
_PROVENANCE: list[tuple[Keys, str]] = [(("verified",), "date"), (("source",), "text")]

SPECS: dict[str, tuple[type[BaseModel], list[tuple[Keys, str]]]] = {
    "services": (
        Service,
        [
            (("name",), "ltext"),
            (("category",), "ref:categories"),
            (("other_categories",), "refs:categories"),
            (("organization",), "ltext"),
            (("summary",), "ltext"),
            (("description",), "ltext"),
            (("address", "street"), "text"),
            (("address", "additional"), "text"),
            (("address", "postcode"), "text"),
            (("address", "commune"), "commune"),
            (("latitude",), "number"),
            (("longitude",), "number"),
            (("opening_hours",), "text"),
            (("website",), "text"),
            *_OFFER,
            (("age", "min"), "int"),
            (("age", "max"), "int"),
            (("accessibility", "wheelchair"), "enum:wheelchair"),
            (("accessibility", "acceslibre"), "text"),
            (("accessibility", "details"), "ltext"),
            (("conditions",), "ltext"),
            (("documents",), "ltexts"),
            (("accepts_new_patients", "status"), "enum:new_patients"),
            (("accepts_new_patients", "checked"), "date"),
            (("accepts_new_patients", "detail"), "ltext"),
            *_PROVENANCE,
        ],
    ),
    "permanences": (
        Permanence,
        [
            (("name",), "ltext"),
            (("held_by", "service"), "ref:services"),
            (("held_by", "organization"), "ltext"),
            (("location", "service"), "ref:services"),
            (("location", "name"), "ltext"),
            (("location", "address", "street"), "text"),
            (("location", "address", "additional"), "text"),
            (("location", "address", "postcode"), "text"),
            (("location", "address", "commune"), "commune"),
            (("location", "latitude"), "number"),
            (("location", "longitude"), "number"),
            (("description",), "ltext"),
            (("categories",), "refs:categories"),
            (("schedule",), "text"),
            (("valid_from",), "date"),
            (("valid_until",), "date"),
            (("cancelled",), "dates"),
            *_OFFER,
            *_PROVENANCE,
        ],
    ),
    "dispositifs": (
        Dispositif,
        [
            (("name",), "ltext"),
            (("short_name",), "ltext"),
            (("scope",), "enum:scope"),
            (("summary",), "ltext"),
            (("benefits",), "ltext"),
            (("eligibility",), "ltext"),
            (("steps",), "ltexts"),
            (("documents",), "ltexts"),
            (("cost",), "ltext"),
            (("links",), "links"),
            (("categories",), "refs:categories"),
            (("guides",), "codes"),
            *_PROVENANCE,
        ],
    ),
}

_PARTS: dict[str, type[BaseModel]] = {
    "appointment": Appointment,
    "age": AgeRange,
    "accessibility": Accessibility,
    "held_by": HeldBy,
    "location": Location,
    "accepts_new_patients": NewPatientsStatus,
}


def _help(model: type[BaseModel], keys: Keys) -> tuple[str, str]:
    """The French header and note of a key, from the one catalog of field names."""
    *parents, name = (str(key) for key in keys)
    if parents and parents[-1] == "address":
        found = field_help(Address, name)
        suffix = LOCATION_SUFFIX if parents[0] == "location" else ""
        return found.label + suffix, found.help
    owner = _PARTS[parents[-1]] if parents else model
    found = field_help(owner, name)
    return found.label, found.help


def sheet_fields(
    kind: str, languages: Sequence[str], vocabulary: Vocabulary, choices: Mapping[str, Choices]
) -> list[Field]:
    """The columns of the sheet of one record kind, after the id column."""
    model, spec = SPECS[kind]
    fields: list[Field] = []
    for keys, code in spec:
        kind_name, _, source = code.partition(":")
        header, note = _help(model, keys)
        note = SHEET_NOTES.get(code, SHEET_NOTES.get(f"{code}:{keys[-1]}", note))
        labels: Mapping[str, str] = {}
        what = ""
        if kind_name == "enum" or kind_name == "enums":
            labels = vocabulary.enums[source]
        elif source in ("categories", "publics"):
            labels = getattr(vocabulary, source)
            what = "une catégorie" if source == "categories" else "un public"
        elif kind_name in ("commune", "area"):
            labels, what = vocabulary.communes, "une commune du territoire"
        if kind_name in LIST_KINDS and "par ligne" not in note:  # the Alt+Enter hint, once
            note = f"{note} {LIST_SEPARATOR_NOTE}"
        chooser = choices.get(source or kind_name)
        if chooser is not None and kind_name in LIST_KINDS:
            chooser = replace(chooser, strict=False)  # several lines: the list helps, it cannot refuse
        width = _WIDTHS.get(kind_name, 22 if labels else 18)
        if kind_name in TRANSLATED:
            fields.extend(
                Field(keys, kind_name, f"{header} ({language})", note, language, labels, what, width, chooser)
                for language in languages
            )
        else:
            fields.append(Field(keys, kind_name, header, note, None, labels, what, width, chooser))
    return fields


# --- values <-> cells ----------------------------------------------------------------------


def sheet_view(data: Any) -> Any:
    """A record's data as the sheet shows it: an undated `accepts_new_patients: true` as `check` reads it."""
    return dated_new_patients(data)


def written_keys(data: Any, keys: Keys) -> Keys:
    """The key an edit sets in the file: the whole value when the file holds a plain value where the
    sheet shows parts (`accepts_new_patients: true`, shown as a status and a date)."""
    node = data
    for size, key in enumerate(keys[:-1], start=1):
        node = node.get(key) if isinstance(node, Mapping) else None
        if node is not None and not isinstance(node, Mapping | list):
            return keys[:size]
    return keys


def value_at(data: Any, keys: Sequence[str | int]) -> Any:
    """The value at `keys` in a record's plain data, or None when it is not there."""
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data


def _translation(value: Any, language: str) -> str | None:
    if isinstance(value, Mapping):
        text = value.get(language)
        return None if text is None else str(text)
    if value is None or language != SOURCE_LANGUAGE:
        return None
    return str(value)


def _lines(values: Sequence[str | None]) -> str | None:
    return "\n".join(value or "" for value in values).rstrip("\n") or None


def _label(field: Field, code: Any) -> str:
    return field.labels.get(str(code), str(code))


def _pair(main: Any, label: Any) -> str:
    text = _translation(label, SOURCE_LANGUAGE)
    return f"{main} : {text}" if text else str(main)


def encode(field: Field, value: Any) -> Cell:
    """The cell showing `value`, the value of the field's key in a record (YAML data)."""
    if value is None:
        return None
    kind = field.kind
    if kind == "ltext":
        return _translation(value, field.language or SOURCE_LANGUAGE)
    if not isinstance(value, list) and kind in LIST_KINDS and not (kind == "area" and value == "territory"):
        return str(value)  # not a list: shown as it is, and reported by check if kept
    if kind == "ltexts":
        return _lines([_translation(item, field.language or SOURCE_LANGUAGE) for item in value])
    if kind in ("text", "ref") and not isinstance(value, bool):
        return _label(field, value) if field.labels else str(value)
    if kind in ("number", "int"):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else str(value)
    if kind == "date":
        return _date(value)
    if kind == "bool":
        return BOOLEANS[value] if isinstance(value, bool) else str(value)
    if kind in ("enum", "commune"):
        return _label(field, value)
    if kind == "area":
        return AREA_ALL if value == "territory" else _lines([_label(field, code) for code in value])
    if kind in ("enums", "refs"):
        return _lines([_label(field, code) for code in value])
    if kind in ("codes", "dates"):
        return _lines([str(item) for item in value])
    if kind == "phones":
        return _lines(
            [_pair(item.get("number"), item.get("label")) if isinstance(item, Mapping) else str(item) for item in value]
        )
    if kind == "links":
        return _lines(
            [_pair(item.get("url"), item.get("title")) if isinstance(item, Mapping) else str(item) for item in value]
        )
    return str(value)


def _date(value: Any) -> Cell:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else str(value)
    except ValueError:
        return str(value)


_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _text(cell: Cell) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, bool):
        return BOOLEANS[cell]
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    text = "\n".join(line.rstrip() for line in str(cell).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return text.strip() or None


def _iso(text: str) -> str:
    """'16/11/2026' (a French date typed as text) -> '2026-11-16'; anything else as it is."""
    match = _FRENCH_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            return text
    return text


def canonical(field: Field, cell: Cell) -> Canonical:
    """The cell in a form that compares equal whatever way a spreadsheet kept it."""
    kind = field.kind
    if kind == "number" and isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell)
    if kind == "int" and isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer():
        return int(cell)
    if kind == "bool" and isinstance(cell, bool):
        return cell
    if kind == "ltexts" and isinstance(cell, str):
        # An empty line is an item without this translation, even the first one: only the end is trimmed.
        lines = [line.strip() for line in cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return tuple(lines) or None
    text = _text(cell)
    if text is None:
        return None
    if kind == "number":
        try:
            return float(text.replace(",", "."))  # a decimal comma, as French spreadsheets write
        except ValueError:
            return text
    if kind == "int":
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if kind == "bool":
        lowered = text.lower()
        return True if lowered in ("oui", "vrai", "true") else False if lowered in ("non", "faux", "false") else text
    if kind == "date":
        return _iso(text)
    if kind in LIST_KINDS:
        lines = [line.strip() for line in text.split("\n")]
        if kind != "ltexts":  # only translated lists keep an empty line: an item not translated
            lines = [line for line in lines if line]
        if kind == "dates":
            lines = [_iso(line) for line in lines]
        return tuple(lines)
    return text


def _code(field: Field, text: str) -> str:
    """A label (or the code itself) -> the code; CellError when it is neither."""
    if text in field.labels:
        return text
    by_label = {label.casefold(): code for code, label in field.labels.items()}
    code = by_label.get(text.casefold())
    if code is not None:
        return code
    names = list(field.labels.values())
    close = difflib.get_close_matches(text, names, n=1)
    guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    if len(names) > 8 and field.choices is not None:
        listing = f"la feuille « {field.choices.sheet} »"
    else:
        listing = ", ".join(f"« {name} »" for name in names)
    what = field.what or "une valeur de la liste"
    raise CellError(f"« {text} » n'est pas {what} : choisissez dans la liste ({listing}){guess}")


def _translated(current: Any, language: str, text: str | None) -> Any:
    """`current` (a text, or texts by language) with its `language` text replaced."""
    if isinstance(current, Mapping):
        texts = {str(key): value for key, value in current.items()}
    elif current is None:
        texts = {}
    else:
        texts = {SOURCE_LANGUAGE: current}
    if text is None:
        texts.pop(language, None)
    else:
        texts[language] = text
    if not texts:
        return None
    if not isinstance(current, Mapping) and set(texts) == {SOURCE_LANGUAGE}:
        return texts[SOURCE_LANGUAGE]  # a plain text stays plain
    return texts


def _kept_item(current: Any, main_key: str, label_key: str, main: str, label: str | None) -> Any:
    """The current item with this main value and French label, with its translations; else None."""
    for item in current if isinstance(current, list) else []:
        if isinstance(item, Mapping):
            if str(item.get(main_key)) == main and _translation(item.get(label_key), SOURCE_LANGUAGE) == label:
                return item
        elif str(item) == main and label is None:
            return item
    return None


def decode(field: Field, value: Canonical, current: Any, lost: list[str]) -> Any:
    """The key's new value from a changed cell (`value`, canonical); None removes the key.

    What the cell cannot say and had to be dropped is added to `lost`.
    """
    kind = field.kind
    if kind == "ltext":
        return _translated(current, field.language or SOURCE_LANGUAGE, value if isinstance(value, str) else None)
    if value is None:
        return None
    if kind in ("text", "number", "int", "bool"):
        return value
    if kind == "date":
        return _date(value)
    assert isinstance(value, str | tuple)
    if kind == "enum" or kind == "commune" or (kind == "ref" and field.labels):
        return _code(field, str(value))
    if kind == "ref":
        return str(value)
    lines = value if isinstance(value, tuple) else (str(value),)
    if kind == "ltexts":
        items = list(current) if isinstance(current, list) else []
        language = field.language or SOURCE_LANGUAGE
        result = []
        for index in range(max(len(items), len(lines))):
            text = lines[index] if index < len(lines) else ""
            item = _translated(items[index] if index < len(items) else None, language, text or None)
            if item is not None:
                result.append(item)
        return result or None
    if kind == "dates":
        return [_date(line) for line in lines]
    if kind == "area":
        if len(lines) == 1 and lines[0].casefold() in (AREA_ALL.casefold(), "territory"):
            return "territory"
        return [_code(field, line) for line in lines]
    if kind in ("enums", "refs"):
        return [_code(field, line) if field.labels else line for line in lines]
    if kind == "codes":
        return list(lines)
    if kind in ("phones", "links"):
        main_key, label_key = ("number", "label") if kind == "phones" else ("url", "title")
        result = []
        for line in lines:
            main, separator, label = line.partition(" : ")
            main, label_text = main.strip(), (label.strip() or None) if separator else None
            kept = _kept_item(current, main_key, label_key, main, label_text)
            if kept is not None:
                result.append(kept)
                continue
            old = (
                [i for i in current if isinstance(i, Mapping) and str(i.get(main_key)) == main]
                if isinstance(current, list)
                else []
            )
            if old and isinstance(old[0].get(label_key), Mapping) and len(old[0][label_key]) > 1:
                others = sorted(str(code) for code in old[0][label_key] if code != SOURCE_LANGUAGE)
                lost.append(f"les traductions ({', '.join(others)}) de l'ancien texte de « {main} » ont été retirées")
            made: dict[str, Any] = {main_key: main} if kind == "phones" else {}
            if label_text is not None:
                made[label_key] = label_text
            if kind == "links":
                made[main_key] = main
            result.append(made)
        return result
    return value
