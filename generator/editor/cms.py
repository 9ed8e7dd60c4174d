"""The web editor at /admin/: Decap CMS, configured from the record models.

`admin_files` gives the files of `site/admin/`: the page, Decap's `config.yml`
(one folder collection per record kind, widgets chosen from the field types,
choices from taxonomy.yml and territory.yml), the vendored scripts, and
`portal-editor.json`, the shape of each kind for `portal-editor.js`. That
script registers one record format per kind: Decap keeps translatable text as
an object by language, the records may write it as a plain French string, so
the format turns one into the other, drops the fields left empty (the models
reject `""`) and writes the keys in the models' order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import typing
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any

import jinja2
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .. import routes
from ..config import EditorSettings, PortalConfig
from ..i18n import SOURCE_LANGUAGE, language_name
from ..importing.files import dump_yaml
from ..records.directory import Directory
from ..records.fields import field_help
from ..records.models import Dispositif, Permanence, Service
from ..records.types import LocalizedText, ServiceArea
from .schema import enum_labels

DECAP_VERSION = "3.16.3"
VENDOR = Path(__file__).parent / "vendor"
STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parents[1] / "templates"
#: The shape of each kind, read by portal-editor.js.
SHAPES = "admin/portal-editor.json"

#: The collections, in the menu's order: kind, records folder, model.
COLLECTIONS: tuple[tuple[str, str, type[BaseModel]], ...] = (
    ("service", "services", Service),
    ("permanence", "permanences", Permanence),
    ("dispositif", "dispositifs", Dispositif),
)
#: Text fields shown as a multi-line box rather than one line.
LONG_TEXT = frozenset(
    {
        "description",
        "summary",
        "conditions",
        "details",
        "cost_details",
        "benefits",
        "eligibility",
        "message",
        "referral",
        "notes",
    }
)
DATE_FORMAT = "YYYY-MM-DD"


@dataclasses.dataclass(frozen=True)
class Choices:
    """What reference fields choose from: the territory's categories, publics and communes."""

    categories: list[dict[str, str]]
    publics: list[dict[str, str]]
    communes: list[dict[str, str]]
    neighbourhoods: list[dict[str, str]] = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, directory: Directory) -> Choices:
        def options(items: dict[str, Any]) -> list[dict[str, str]]:
            return [{"label": f"{item.label.source} ({key})", "value": key} for key, item in items.items()]

        return cls(
            categories=options(dict(directory.taxonomy.categories)),
            publics=options(dict(directory.taxonomy.publics)),
            communes=[
                {"label": f"{commune.name} ({code})", "value": code} for code, commune in directory.communes.items()
            ],
            neighbourhoods=[
                {"label": f"{n.name}, {commune.name} ({n.code})", "value": n.code}
                for commune in directory.communes.values()
                for n in commune.neighbourhoods
            ],
        )


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(the type inside, whether it is optional, whether it is a list)."""
    optional = many = False
    while True:
        origin = typing.get_origin(annotation)
        arguments = [a for a in typing.get_args(annotation) if a is not type(None)]
        if origin is typing.Annotated:
            annotation = arguments[0]
        elif origin in (typing.Union, UnionType) and len(arguments) == 1:
            optional, annotation = True, arguments[0]
        elif origin is list and not many:
            many, annotation = True, arguments[0]
        else:
            return annotation, optional, many


def _field_order(model: type[BaseModel]) -> list[str]:
    """A model's fields, its own first, then those it inherits: a permanence's name before
    the provenance every record shares, as the templates of `new` write them."""
    names: list[str] = []
    for cls in model.__mro__:
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel:
            names.extend(n for n in cls.__annotations__ if n in model.model_fields and n not in names)
    return names


class _Fields:
    """Decap fields, and the shape portal-editor.js reads, from a model's fields."""

    def __init__(self, languages: tuple[str, ...], choices: Choices) -> None:
        self.languages = languages
        self.choices = choices

    def model(self, model: type[BaseModel], required: bool = True) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The fields of a model (`required`: the model itself must be given)."""
        fields, shapes = [], []
        for name in _field_order(model):
            field, shape = self.field(model, name, model.model_fields[name], required)
            fields.append(field)
            shapes.append([name, shape])
        return fields, {"t": "obj", "f": shapes}

    def field(
        self, model: type[BaseModel], name: str, info: FieldInfo, parent_required: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        inner, optional, many = _unwrap(info.annotation)
        found = field_help(model, name)
        field: dict[str, Any] = {"name": name, "label": found.label, "hint": found.help}
        # Decap checks a required field even inside an optional part left empty: only a
        # part that must be given has required fields (`check` says the rest)
        required = parent_required and not optional and info.is_required()
        if not required:
            field["required"] = False
        widget, shape = self.widget(name, inner, many, info, required)
        field.update(widget)
        return field, shape

    def widget(
        self, name: str, inner: Any, many: bool, info: FieldInfo, required: bool
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        value: dict[str, Any] = {"t": "v"}
        if inner is LocalizedText:
            one = self.text(name, required or many)
            if many:
                # each item is the object by language itself: Decap's single-`field` list
                # does not carry an object item
                text = {"widget": "list", "fields": one["fields"], "summary": "{{fields.fr}}", "collapsed": False}
                return text, {"t": "list", "i": {"t": "text"}}
            return one, {"t": "text"}
        if isinstance(inner, type) and issubclass(inner, Enum):
            options = [{"label": label, "value": code} for code, label in enum_labels(inner).items()]
            return {"widget": "select", "options": options, "multiple": many}, value
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            fields, shape = self.model(inner, required or many)
            if many:
                if name == "phones":
                    shape["short"] = "number"  # `phones: ["01 99 00 12 34"]` is read as well
                return {"widget": "list", "fields": fields, "collapsed": False}, {"t": "list", "i": shape}
            return {"widget": "object", "fields": fields, "collapsed": False}, shape
        if inner is ServiceArea:
            return {"widget": "string"}, {"t": "area"}
        if inner is dt.date:
            date = {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
            if many:
                return {"widget": "list", "field": {**date, "name": "date", "label": "date"}}, {
                    "t": "list",
                    "i": value,
                }
            return date, value
        reference = self.reference(name, many)
        if reference is not None:
            return reference, value
        if inner is bool:
            return {"widget": "boolean"}, value
        if inner in (int, float):
            number: dict[str, Any] = {"widget": "number", "value_type": "int" if inner is int else "float"}
            for bound in info.metadata:
                for key, attribute in (("min", "ge"), ("max", "le")):
                    if getattr(bound, attribute, None) is not None:
                        number[key] = getattr(bound, attribute)
            return number, value
        if many:
            return {"widget": "list"}, {"t": "list", "i": value}
        return {"widget": "string"}, value

    def text(self, name: str, required: bool) -> dict[str, Any]:
        """A translatable text: one sub-field per language, French required (if the text is)."""
        kind = "text" if name in LONG_TEXT else "string"
        return {
            "widget": "object",
            "collapsed": False,
            "fields": [
                {
                    "name": code,
                    "label": language_name(code, SOURCE_LANGUAGE).capitalize(),
                    "widget": kind,
                    "required": required and code == SOURCE_LANGUAGE,
                }
                for code in self.languages
            ],
        }

    def reference(self, name: str, many: bool) -> dict[str, Any] | None:
        """A field naming another record or an entry of taxonomy.yml / territory.yml."""
        if name in ("category", "other_categories", "categories"):
            return {"widget": "select", "options": self.choices.categories, "multiple": many}
        if name == "publics":
            return {"widget": "select", "options": self.choices.publics, "multiple": True}
        if name == "commune":
            return {"widget": "select", "options": self.choices.communes}
        if name == "neighbourhood" and self.choices.neighbourhoods:
            return {"widget": "select", "options": self.choices.neighbourhoods}
        if name in ("dispositifs", "service"):
            collection = "dispositifs" if name == "dispositifs" else "services"
            return {
                "widget": "relation",
                "collection": collection,
                "value_field": "{{slug}}",
                "search_fields": ["name.fr"],
                "display_fields": ["name.fr"],
                "multiple": many,
            }
        return None


def _backend(settings: EditorSettings) -> dict[str, Any]:
    backend: dict[str, Any] = {"name": settings.backend, "branch": settings.branch}
    if settings.repo:
        backend["repo"] = settings.repo
    if settings.base_url:
        backend["base_url"] = settings.base_url
    if settings.api_root:
        backend["api_root"] = settings.api_root
    if settings.app_id:
        backend.update(auth_type="pkce", app_id=settings.app_id)
    return backend


def _in_repository(config: PortalConfig, folder: Path) -> str:
    """A folder as Decap names it: from the repository's root, taken to be mkdocs.yml's folder."""
    return Path(os.path.relpath(folder, config.root)).as_posix()


def _collections(config: PortalConfig, directory: Directory) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    fields = _Fields(config.languages, Choices.of(directory))
    records = _in_repository(config, config.directory)
    for kind, folder, model in COLLECTIONS:
        decap_fields, shape = fields.model(model)
        yield (
            {
                "name": folder,
                "label": folder.capitalize(),
                "label_singular": kind,
                "folder": f"{records}/{folder}",
                "extension": "yml",
                "format": f"portal-{kind}",
                "create": True,
                "delete": False,  # never delete a record from the editor
                "editor": {"preview": False},  # Decap's preview shows raw codes: the site is the preview
                "identifier_field": "name.fr",
                "slug": "{{slug}}",
                "summary": "{{name.fr}}",
                "fields": decap_fields,
            },
            shape,
        )


def cms_config(config: PortalConfig, directory: Directory) -> tuple[dict[str, Any], dict[str, Any]]:
    """Decap's configuration, and the shape of each record kind (for portal-editor.js)."""
    settings = config.site.editor
    collections, shapes = [], {}
    for collection, shape in _collections(config, directory):
        collections.append(collection)
        shapes[collection["format"]] = shape
    decap: dict[str, Any] = {
        "backend": _backend(settings),
        # used only when the page is opened from this computer (localhost), with `npx decap-server`
        "local_backend": {"url": f"http://localhost:{settings.local_port}/api/v1"},
        "locale": "fr",
        # file names made from the French name must be valid ids: ascii, no accents
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        # required by Decap; the record forms have no image field
        "media_folder": f"{_in_repository(config, config.content)}/media",
        "collections": collections,
    }
    if config.site.url:
        decap["site_url"] = config.site.url
    return decap, {"formats": shapes}


def _admin_page(config: PortalConfig) -> str:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return environment.get_template("admin.html").render(site_name=config.site.name, version=DECAP_VERSION)


def admin_files(config: PortalConfig, directory: Directory) -> dict[str, bytes]:
    """The files of /admin/, by path from the site's root; none unless mkdocs.yml enables the editor."""
    if not config.site.editor.enabled:
        return {}
    decap, shapes = cms_config(config, directory)
    header = "# Generated from the record models by the care-portal generator: edit mkdocs.yml, not this file.\n"
    files = {
        routes.ADMIN_PAGE: _admin_page(config).encode("utf-8"),
        # from data, with text that looks like a number quoted and no alias: read back as it was given
        routes.ADMIN_CONFIG: (header + dump_yaml(decap)).encode("utf-8"),
        SHAPES: json.dumps(shapes, ensure_ascii=False).encode("utf-8"),
        f"{routes.ADMIN_SCRIPTS}/portal-editor.js": (STATIC / "portal-editor.js").read_bytes(),
        f"{routes.ADMIN_SCRIPTS}/js-yaml.min.js": (VENDOR / "js-yaml.min.js").read_bytes(),
    }
    for script in sorted((VENDOR / "decap-cms").glob("*.js")):
        files[f"{routes.ADMIN_SCRIPTS}/{script.name}"] = script.read_bytes()
    return files
