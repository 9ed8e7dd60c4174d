"""The records as a workbook (data only: `xlsx` and `ods` write it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..i18n import SOURCE_LANGUAGE, language_name, translations
from ..i18n.labels import LABELS
from ..records.models import AppointmentPolicy, Cost, Interpreting, NewPatients, Taxonomy, Territory, WheelchairAccess
from ..records.validate import Records
from . import texts
from .columns import SPECS, Field, Vocabulary, encode, sheet_fields, sheet_view, value_at
from .model import Cell, Choices, Column, Sheet, Workbook

#: Rows left below the records with the drop-down lists, for new records.
SPARE_ROWS = 200


def _unique(labels: Mapping[str, str]) -> dict[str, str]:
    """Labels as shown in a list: a label two codes share gets its code, so that it says which."""
    counts: dict[str, int] = {}
    for label in labels.values():
        counts[label] = counts.get(label, 0) + 1
    return {code: label if counts[label] == 1 else f"{label} ({code})" for code, label in labels.items()}


def vocabulary(territory: Territory, taxonomy: Taxonomy) -> Vocabulary:
    french = translations(SOURCE_LANGUAGE)

    def labels(enum: type[Any]) -> dict[str, str]:
        found = {member.value: french.gettext(LABELS[enum][member]) for member in enum}
        return {code: label[:1].upper() + label[1:] for code, label in found.items()}

    return Vocabulary(
        communes=_unique({commune.insee: commune.name for commune in territory.communes}),
        categories=_unique({cid: category.label.source for cid, category in taxonomy.categories.items()}),
        publics=_unique({pid: public.label.source for pid, public in taxonomy.publics.items()}),
        enums={
            "appointment": labels(AppointmentPolicy),
            "cost": labels(Cost),
            "interpreting": labels(Interpreting),
            "wheelchair": labels(WheelchairAccess),
            "new_patients": labels(NewPatients),
            "scope": dict(texts.SCOPE_LABELS),
            "bool": {"oui": "oui", "non": "non"},
        },
    )


def _lists(words: Vocabulary) -> tuple[Sheet, dict[str, Choices]]:
    """The sheet of enumeration lists, and the drop-down of each."""
    names = list(texts.LIST_HEADERS)
    columns = [list(words.enums[name].values()) for name in names]
    height = max(len(column) for column in columns)
    rows = tuple(tuple(column[i] if i < len(column) else None for column in columns) for i in range(height))
    sheet = Sheet(texts.LISTS, tuple(Column(texts.LIST_HEADERS[name], width=30) for name in names), rows)
    return sheet, {name: Choices(texts.LISTS, index, len(columns[index])) for index, name in enumerate(names)}


def fields_of(kind: str, languages: Sequence[str], words: Vocabulary, records: Mapping[str, int]) -> list[Field]:
    """The columns of a record sheet (after the id); `records`: how many records each sheet lists."""
    choices = {
        "categories": Choices(texts.CATEGORIES, 0, len(words.categories)),
        "publics": Choices(texts.PUBLICS, 0, len(words.publics)),
        "commune": Choices(texts.COMMUNES, 0, len(words.communes)),
        "area": Choices(texts.COMMUNES, 0, len(words.communes), strict=False),
        # Ids of records: a new record of the same import is not in the list yet.
        "services": Choices(texts.KIND_SHEETS["services"], 0, records.get("services", 0), strict=False),
        "dispositifs": Choices(texts.KIND_SHEETS["dispositifs"], 0, records.get("dispositifs", 0), strict=False),
    }
    _, enum_choices = _lists(words)
    return sheet_fields(kind, languages, words, {**choices, **enum_choices})


def yaml_only(data: Mapping[str, Any]) -> str | None:
    """What a record holds that no column shows: the YAML-only column's text."""
    held = []
    for key, label in texts.YAML_ONLY.items():
        value = data.get(key)
        if value:
            held.append(f"{label} ({len(value)})" if isinstance(value, list) else label)
    return "\n".join(held) or None


def record_row(fields: Sequence[Field], rid: str, data: Mapping[str, Any]) -> tuple[Cell, ...]:
    shown = sheet_view(data)
    return (rid, *(encode(field, value_at(shown, field.keys)) for field in fields), yaml_only(data))


def export_workbook(records: Records, languages: Sequence[str], digests: Mapping[tuple[str, str], str]) -> Workbook:
    """Every record of the sheets' kinds, one row each, with the lists to choose from.

    `digests`: the sha256 of each record file as read, by (kind, id), kept in a hidden
    sheet so that the import knows which files changed since.
    """
    words = vocabulary(records.territory, records.taxonomy)
    counts = {kind: len(getattr(records, kind)) for kind in texts.KIND_SHEETS}
    names = {code: language_name(code, SOURCE_LANGUAGE) for code in languages}
    title, *paragraphs = texts.instructions(list(languages), names)
    sheets = [
        Sheet(
            texts.INSTRUCTIONS,
            (Column(title, width=90, wrap=True),),
            tuple((line or None,) for line in paragraphs),
            frozen_header=False,
        )
    ]
    fingerprints: list[tuple[Cell, ...]] = []
    for kind, sheet_name in texts.KIND_SHEETS.items():
        fields = fields_of(kind, languages, words, counts)
        columns = (
            Column(texts.ID_HEADER, texts.ID_NOTE, 28),
            *(Column(field.header, field.note, field.width, field.choices) for field in fields),
            Column(texts.YAML_ONLY_HEADER, texts.YAML_ONLY_NOTE, 28),
        )
        typed: dict[str, Any] = getattr(records, kind)
        rows = tuple(record_row(fields, rid, records.documents[(kind, rid)].data) for rid in sorted(typed))
        sheets.append(Sheet(sheet_name, columns, rows, spare_rows=SPARE_ROWS))
        fingerprints += [(sheet_name, rid, digests[(kind, rid)]) for rid in sorted(typed) if (kind, rid) in digests]
    sheets.append(
        Sheet(
            texts.COMMUNES,
            (Column("Nom", width=30), Column("Code INSEE", width=12), Column("Codes postaux", width=16)),
            tuple(
                (words.communes[c.insee], c.insee, ", ".join(c.postcodes))
                for c in sorted(records.territory.communes, key=lambda c: words.communes[c.insee])
            ),
        )
    )
    for name, labels, source in (
        (texts.CATEGORIES, words.categories, records.taxonomy.categories),
        (texts.PUBLICS, words.publics, records.taxonomy.publics),
    ):
        sheets.append(
            Sheet(
                name,
                (Column("Nom", width=40), Column("Identifiant", width=24), Column("Description", width=60)),
                tuple(
                    (labels[code], code, item.description.source if item.description else None)
                    for code, item in source.items()
                ),
            )
        )
    lists, _ = _lists(words)
    sheets.append(lists)
    sheets.append(
        Sheet(
            texts.FINGERPRINTS,
            (Column("Feuille"), Column(texts.ID_HEADER, width=28), Column("Empreinte (sha256)", width=66)),
            tuple(fingerprints),
            hidden=True,
        )
    )
    return Workbook(tuple(sheets))


__all__ = ["SPECS", "export_workbook", "fields_of", "record_row", "vocabulary"]
