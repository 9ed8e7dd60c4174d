"""JSON Schemas of the records, for editors that check a record while it is typed.

Made from the pydantic models (`model_json_schema`), then given the French label
and help of each field (`records/fields.py`) and the French label of each code,
so that VS Code (YAML extension) or a forge's web editor explains in French what
a field expects. The schema says what can be checked without the rest of the
records (types, patterns, codes, unknown keys); `check` remains the judge
(references, opening hours, phone numbers).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from enum import Enum
from typing import Any

from pydantic import BaseModel, TypeAdapter

from .. import routes
from ..i18n import SOURCE_LANGUAGE, translations
from ..i18n.labels import LABELS
from ..records.fields import field_help
from ..records.models import Dispositif, Pathway, Permanence, Service
from ..records.types import PhoneNumber

#: The record kinds that have a schema, by the name of their file.
KINDS: dict[str, type[BaseModel]] = {
    "service": Service,
    "permanence": Permanence,
    "dispositif": Dispositif,
    "pathway": Pathway,
}
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _models(model: type[BaseModel]) -> Iterator[type[BaseModel]]:
    """The model and every model its fields hold, once each."""
    seen: set[type[BaseModel]] = set()

    def walk(annotation: Any) -> Iterator[type[BaseModel]]:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation not in seen:
                seen.add(annotation)
                yield annotation
                for info in annotation.model_fields.values():
                    yield from walk(info.annotation)
        for argument in typing.get_args(annotation):
            yield from walk(argument)

    yield from walk(model)


def _enums(model: type[BaseModel]) -> Iterator[type[Enum]]:
    for part in _models(model):
        for info in part.model_fields.values():
            stack = [info.annotation]
            while stack:
                annotation = stack.pop()
                if isinstance(annotation, type) and issubclass(annotation, Enum):
                    yield annotation
                stack.extend(typing.get_args(annotation))


def enum_labels(enum: type[Enum]) -> dict[str, str]:
    """The French label of each code of an enumeration (its value where the catalog has none)."""
    labels = LABELS.get(enum, {})
    french = translations(SOURCE_LANGUAGE)
    return {member.value: french.gettext(labels[member]) if member in labels else member.value for member in enum}


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """French titles and descriptions on the properties of one model's schema."""
    schema.pop("title", None)
    schema.pop("description", None)  # the class docstring, in English
    for name, prop in schema.get("properties", {}).items():
        prop.pop("title", None)  # pydantic's, from the English field name
        found = field_help(model, name)
        prop["title"], prop["description"] = found.label, found.help
        if name == "phones":
            # `phones: ["01 99 00 12 34"]` is read as well as `- number: ...` (types.PhoneShorthand)
            prop["items"] = {"anyOf": [prop["items"], TypeAdapter(PhoneNumber).json_schema()]}


def record_schema(kind: str, url: str | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of record; `url`, its published address."""
    model = KINDS[kind]
    schema = model.model_json_schema()
    definitions = schema.get("$defs", {})
    for part in _models(model):
        _describe(schema if part is model else definitions[part.__name__], part)
    for enum in set(_enums(model)):
        labels = enum_labels(enum)
        definition = definitions[enum.__name__]
        definition.pop("title", None)
        definition.pop("description", None)
        # VS Code's YAML extension shows these beside each code it proposes
        definition["enumDescriptions"] = [labels[value] for value in definition["enum"]]
        definition["markdownEnumDescriptions"] = definition["enumDescriptions"]
    head: dict[str, Any] = {"$schema": DRAFT}
    if url:
        head["$id"] = url
    return {**head, **schema}


def schema_url(site_url: str | None, kind: str) -> str | None:
    """Where a kind's schema is published, when the site's address is known."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + routes.record_schema(kind)


def schema_files(site_url: str | None) -> dict[str, bytes]:
    """Every record schema, by path from the site's root (`data/schema/<kind>.schema.json`)."""
    return {
        routes.record_schema(kind): (
            json.dumps(record_schema(kind, schema_url(site_url, kind)), ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8")
        for kind in KINDS
    }
