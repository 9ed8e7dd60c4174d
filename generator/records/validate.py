"""Validate the loaded YAML into typed records, and check what refers to what.

Every problem in every file is collected in one run, as ``path:line: message``
with the line of the offending key or value, what is wrong and what is
expected. Nothing here raises on bad input.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import html
import math
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..guarded import FileRefused, folder_entries
from ..i18n import SOURCE_LANGUAGE
from ..problems import Report
from .freshness import findings
from .loader import Document, PathKey, load_yaml
from .models import (
    Address,
    Dispositif,
    EasyStep,
    Pathway,
    Permanence,
    Professional,
    Record,
    Service,
    Taxonomy,
    Territory,
)
from .readability import hard_sentences
from .schedule import CALENDARS, Calendar, follows_sun, mentions_holidays, pattern, sessions, traps
from .types import ID_PATTERN, RESERVED_IDS, VALUE, LocalizedText, TextShape, screen_text, slugify

M = TypeVar("M", bound=BaseModel)

#: Record kinds, each in its own folder of the directory.
KINDS: dict[str, type[Record]] = {
    "services": Service,
    "permanences": Permanence,
    "dispositifs": Dispositif,
    "pathways": Pathway,
}
YAML_SUFFIXES = (".yml", ".yaml")
#: The most questions a pathway asks before an outcome: more is not a guide a resident follows.
MAX_QUESTIONS_IN_A_ROW = 30


@dataclass
class Records:
    """What validation yields: typed records, and where each one came from."""

    directory: Path
    territory: Territory
    taxonomy: Taxonomy
    services: dict[str, Service] = field(default_factory=dict)
    permanences: dict[str, Permanence] = field(default_factory=dict)
    dispositifs: dict[str, Dispositif] = field(default_factory=dict)
    pathways: dict[str, Pathway] = field(default_factory=dict)
    #: The YAML document of each record, by (kind, id); ("territory", "") and ("taxonomy", "") too.
    documents: dict[tuple[str, str], Document] = field(default_factory=dict)

    def record(self, kind: str, rid: str) -> BaseModel | None:
        if kind in ("territory", "taxonomy"):
            whole: BaseModel = getattr(self, kind)
            return whole
        records: dict[str, BaseModel] = getattr(self, kind)
        return records.get(rid)


# --- turning pydantic errors into messages ---------------------------------


def _model_at(model: type[BaseModel], where: PathKey) -> type[BaseModel] | None:
    """The model class that validates the mapping found at `where`, if any."""
    annotation: Any = model
    for part in where:
        annotation = _step(annotation, part)
        if annotation is None:
            return None
    found = _models(annotation)
    return found[0] if found else None


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for argument in typing.get_args(annotation) for m in _models(argument)]


def _step(annotation: Any, part: str | int) -> Any:
    """From the type at one level to the type one key or index below."""
    for model in _models(annotation):
        if isinstance(part, str) and part in model.model_fields:
            return model.model_fields[part].annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        origin = typing.get_origin(candidate)
        if origin is list and isinstance(part, int):
            return typing.get_args(candidate)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(candidate)[1]
    return None


def _dotted(where: PathKey) -> str:
    text = ""
    for part in where:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def _describe(model: type[BaseModel], where: PathKey, error: Mapping[str, Any]) -> tuple[str, bool]:
    """A plain message for one pydantic error, and whether it is about the key."""
    kind = error["type"]
    name = _dotted(where)
    value = error.get("input")
    if value is None and kind not in ("missing", "portal"):
        return f"'{name}' is empty: write its value after '{where[-1] if where else name}:'", False
    if kind == "missing":
        parent = _model_at(model, where[:-1])
        info = parent.model_fields.get(str(where[-1])) if parent else None
        hint = f": {info.description}" if info and info.description else ""
        return f"'{name}' is missing{hint}", True
    if kind == "extra_forbidden":
        parent = _model_at(model, where[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(where[-1]), allowed, n=1)
        guess = f" Did you mean '{close[0]}'?" if close else ""
        listing = f" Allowed here: {', '.join(allowed)}." if allowed else ""
        return f"unknown field '{where[-1]}'.{guess}{listing}", True
    if kind == "portal":
        return (f"{name}: {error['msg']}" if where else error["msg"]), False
    if kind in ("enum", "literal_error"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"{name}: {_shown(value)} is not allowed: expected {expected}", False
    if kind == "string_type":
        return f"{name}: expected text, found {_shown(value)}", False
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{name}: expected a number like 47.65, found {_shown(value)}", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name}: expected a whole number, found {_shown(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{name}: expected true or false, found {_shown(value)}", False
    if kind == "list_type":
        return f"{name}: expected a list (one '- ' item per line), found {_shown(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name}: expected fields (lines of 'key: value'), found {_shown(value)}", False
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"{name}: needs at least {least} item(s)", False
    if kind == "too_long":
        most = error.get("ctx", {}).get("max_length", 1)
        return f"{name}: {most} item(s) at most", False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{name}: {_shown(value)} is out of range ({error['msg'].lower()})", False
    return f"{name}: {error['msg']}", False


#: What `python -m generator new` writes where a value is still to be given.
PLACEHOLDER = "À REMPLIR"


def _placeholders(value: Any, where: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    if isinstance(value, str):
        if value.startswith(PLACEHOLDER):
            yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*where, index))


def _inside(annotation: Any) -> tuple[Any, TextShape | None]:
    """The type under `Annotated` and `Optional`, and the text shape met on the way."""
    shape = None
    while True:
        origin = typing.get_origin(annotation)
        arguments = typing.get_args(annotation)
        if origin is typing.Annotated:
            shape = next((m for m in arguments[1:] if isinstance(m, TextShape)), shape)
            annotation = arguments[0]
        elif (
            origin in (typing.Union, types.UnionType)
            and len(options := [a for a in arguments if a is not type(None)]) == 1
        ):
            annotation = options[0]
        else:
            return annotation, shape


def _below(annotation: Any, part: str | int) -> tuple[Any, TextShape | None] | None:
    """The type one key or index below, and its shape; None under a key the model does not know."""
    # Every string of every record comes this way: the answer for a type and a field (or for
    # any index, any key of a mapping) is worked out once. Types live as long as their models.
    key = (id(annotation), part if isinstance(part, str) else 0)
    known = _BELOW.get(key)
    if known is not None and known[0] is annotation:
        return known[1]
    found = _work_out_below(annotation, part)
    if found is not None:
        if len(_BELOW) > 10_000:  # the keys of mappings (languages, question ids) come from the data
            _BELOW.clear()
        _BELOW[key] = (annotation, found)
    return found


_BELOW: dict[tuple[int, str | int], tuple[Any, tuple[Any, TextShape | None]]] = {}


def _work_out_below(annotation: Any, part: str | int) -> tuple[Any, TextShape | None] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(part) if isinstance(part, str) else None
        if info is None:
            return None  # an unknown field: reported as such, its value is not read
        inner, shape = _inside(info.annotation)
        return inner, next((m for m in info.metadata if isinstance(m, TextShape)), shape)
    if annotation is LocalizedText:
        return annotation, None  # one text per language: the shape of the field
    origin = typing.get_origin(annotation)
    if origin is list and isinstance(part, int):
        return _inside(typing.get_args(annotation)[0])
    if origin is dict and isinstance(part, str):
        return _inside(typing.get_args(annotation)[1])
    return Any, None


def _screen(model: type[BaseModel], document: Document, report: Report) -> tuple[Any, set[PathKey]]:
    """The document's data with each string checked against its field's shape (`types.screen_text`).

    Errors for characters that have no place in text and for texts too long; a warning, and
    the text put on one line, for a tab or a line break in a name. Returns the data to
    validate and where errors were reported (pydantic's own errors there would repeat them).
    """
    refused: set[PathKey] = set()

    def walk(value: Any, annotation: Any, shape: TextShape | None, where: PathKey) -> Any:
        if isinstance(value, str):
            if shape is None and annotation not in (str, Any):
                return value  # a number, a date, a code: its type says what is wrong, in its words
            text, error, warning = screen_text(value, shape or VALUE)
            if error is not None:
                refused.add(where)
                report.error(document.path, document.line_of(where), f"{_dotted(where)}: {error}")
            elif warning is not None:
                report.warning(document.path, document.line_of(where), f"{_dotted(where)}: {warning}")
            return text
        if isinstance(value, (dict, list)):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            changed: dict[Any, Any] = {}
            for part, item in items:
                below = _below(annotation, part)
                if below is None:
                    continue
                inner, own = below
                # a text given by language keeps the shape of its field
                inherited = shape if inner is annotation else None
                screened = walk(item, inner, own if own is not None else inherited, (*where, part))
                if screened is not item:
                    changed[part] = screened
            if changed:
                if isinstance(value, dict):
                    return {**value, **changed}
                return [changed.get(index, item) for index, item in enumerate(value)]
        return value

    return walk(document.data, model, None, ()), refused


def _kind(error: Mapping[str, Any]) -> str:
    """What pydantic errors of the same kind share: their type, and where they are, list items alike."""
    where = tuple("[]" if isinstance(part, int) else part for part in error["loc"])
    if error["type"] in ("extra_forbidden", "missing") and where:
        where = where[:-1] if error["type"] == "extra_forbidden" else where
    return f"{error['type']}:{where}"


def _validate(model: type[M], document: Document, report: Report) -> M | None:
    unfilled = list(_placeholders(document.data))
    for where, text in unfilled:
        report.error(
            document.path,
            document.line_of(where),
            f"{_dotted(where)}: still to fill in: {' '.join(text.removeprefix(PLACEHOLDER).split()).strip(' :')}",
        )
    if unfilled:
        return None
    data, refused = _screen(model, document, report)
    try:
        record = model.model_validate(data)
    except ValidationError as failure:
        for error in failure.errors(include_url=False):
            where = tuple(error["loc"])
            if any(where[: len(place)] == place for place in refused):
                continue  # its characters are reported already
            if where and where[-1] == "[key]":  # a bad key of a mapping, e.g. a language code
                where = (*where[:-2], where[-2])
                report.error(
                    document.path,
                    document.line_of(where, key=True),
                    functools.partial(_message, model, where, error),
                    kind=_kind(error),
                )
                continue
            # Only the kinds a file lists are described: a file with 100,000 unknown keys
            # has 20 "did you mean...?" worked out, not 100,000.
            about_key = error["type"] in ("missing", "extra_forbidden")
            target = where[:-1] if error["type"] == "missing" else where
            report.error(
                document.path,
                document.line_of(target, key=about_key),
                functools.partial(_message, model, where, error),
                kind=_kind(error),
            )
        return None
    return None if refused else record


def _message(model: type[BaseModel], where: PathKey, error: Mapping[str, Any]) -> str:
    return _describe(model, where, error)[0]


# --- files -----------------------------------------------------------------


def _entries(folder: Path, root: Path, report: Report) -> list[Path]:
    """The entries of a folder of the records; [] with an error when it must not be read."""
    try:
        return folder_entries(folder, root)
    except FileRefused as refused:
        report.error(folder, 0, f"nothing was read there: {refused.reason}")
        return []


def _record_files(folder: Path, kind: str, report: Report) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for path in _entries(folder, folder.parent, report):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            report.warning(path, 1, f"ignored: records go directly in {kind}/, not in sub-folders")
            continue
        if path.suffix not in YAML_SUFFIXES:
            if path.suffix.lower() in YAML_SUFFIXES:
                # Not read: tools look for <id>.yml, and where names ignore case (macOS, Windows)
                # x.YML and x.yml are one file, where they are two on a Linux CI.
                named = f"{slugify(path.stem) or 'mon-service'}{path.suffix.lower()}"
                report.error(
                    path, 1, f"'{path.name}' was not read: record files end in lower case: rename it to '{named}'"
                )
            else:
                report.warning(path, 1, f"ignored: only .yml files are read in {kind}/")
            continue
        if path.stem in RESERVED_IDS:
            report.error(
                path, 1, f"'{path.name}': the name '{path.stem}' is reserved for the site's own pages: rename the file"
            )
            continue
        if not ID_PATTERN.match(path.stem):
            suggestion = slugify(path.stem)
            report.error(
                path,
                1,
                f"'{path.name}' is not a valid file name: the name is the record's id, "
                f"use lowercase letters, digits and hyphens, like '{suggestion or 'mon-service'}.yml'",
            )
            continue
        found.append((path.stem, path))
    return found


#: What a records directory may hold besides the record folders.
TOP_LEVEL = {"territory.yml", "taxonomy.yml", "README.md"}


def _unknown_entries(directory: Path, report: Report) -> None:
    for path in _entries(directory, directory, report):
        name = path.name
        if name.startswith(".") or name in TOP_LEVEL or name in KINDS:
            continue
        close = difflib.get_close_matches(name, [*KINDS, *TOP_LEVEL], n=1)
        guess = f" Did you mean '{close[0]}'?" if close else ""
        report.warning(
            path,
            1,
            f"ignored: the records directory only reads territory.yml, taxonomy.yml and "
            f"the folders {', '.join(KINDS)}.{guess}",
        )


def _load_single(path: Path, model: type[M], report: Report) -> tuple[M | None, Document | None]:
    if not os.path.lexists(path):
        report.error(path, 1, f"the file is missing: the directory needs a {path.name}")
        return None, None
    document = load_yaml(path, report, path.parent)
    if document is None:
        return None, None
    return _validate(model, document, report), document


# --- checks across records -------------------------------------------------


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _in_words(rule: str, calendar: Calendar, today: dt.date) -> str:
    """A rule as a French page puts it, on one line: what `check` shows of a trap."""
    from ..render.hours import summary  # rendering is needed only for this message
    from ..render.localize import Localizer

    found = pattern(rule, today, calendar)
    if found is None:
        return "the dates of the coming weeks, listed one by one"
    text = re.sub(r"<[^>]+>", "", str(summary(found, Localizer("fr"))))
    return f"« {html.unescape(text)} »"


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular approximation: exact enough at the scale of a territory.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


class _CrossChecker:
    def __init__(self, records: Records, known: Mapping[str, set[str]], report: Report, today: dt.date) -> None:
        self.records = records
        self.known = known
        self.report = report
        self.today = today
        territory = records.territory
        self.calendar = CALENDARS[territory.holidays.value]
        self.communes = {commune.insee: commune for commune in territory.communes}
        margin_lat = territory.area_margin_km / 111.0
        mean_lat = sum(c.latitude for c in territory.communes) / len(territory.communes)
        margin_lon = territory.area_margin_km / (111.0 * math.cos(math.radians(mean_lat)))
        self.south = min(c.latitude for c in territory.communes) - margin_lat
        self.north = max(c.latitude for c in territory.communes) + margin_lat
        self.west = min(c.longitude for c in territory.communes) - margin_lon
        self.east = max(c.longitude for c in territory.communes) + margin_lon

    def error(self, document: Document, where: PathKey, message: str, *, key: bool = False) -> None:
        self.report.error(document.path, document.line_of(where, key=key), message)

    def warning(self, document: Document, where: PathKey, message: str) -> None:
        self.report.warning(document.path, document.line_of(where), message)

    def refs(self, document: Document, where: PathKey, ids: Iterable[str], known: Iterable[str], what: str) -> None:
        for index, ref in enumerate(ids):
            if ref not in known:
                close = difflib.get_close_matches(ref, list(known), n=1)
                guess = f" Did you mean '{close[0]}'?" if close else ""
                self.error(document, (*where, index), f"{_dotted(where)}: there is no {what} '{ref}'.{guess}")

    def ref(self, document: Document, where: PathKey, ref: str, known: Iterable[str], what: str) -> None:
        if ref not in known:
            close = difflib.get_close_matches(ref, list(known), n=1)
            guess = f" Did you mean '{close[0]}'?" if close else ""
            self.error(document, where, f"{_dotted(where)}: there is no {what} '{ref}'.{guess}")

    def commune(self, document: Document, where: PathKey, code: str) -> bool:
        if code in self.communes:
            return True
        self.error(
            document,
            where,
            f"{_dotted(where)}: the commune '{code}' is not in the territory: "
            "use the INSEE code of one of the communes listed in territory.yml",
        )
        return False

    def address(self, document: Document, where: PathKey, address: Address) -> None:
        if self.commune(document, (*where, "commune"), address.commune):
            commune = self.communes[address.commune]
            if address.postcode not in commune.postcodes:
                self.error(
                    document,
                    (*where, "postcode"),
                    f"{_dotted((*where, 'postcode'))}: {address.postcode} is not a postcode of "
                    f"{commune.name} (expected {', '.join(commune.postcodes)}); "
                    "check the postcode and the commune's INSEE code",
                )

    def coordinates(self, document: Document, where: PathKey, latitude: float, longitude: float) -> bool:
        inside = self.south <= latitude <= self.north and self.west <= longitude <= self.east
        if not inside:
            swapped = self.south <= longitude <= self.north and self.west <= latitude <= self.east
            hint = " latitude and longitude look swapped;" if swapped else ""
            self.error(
                document,
                (*where, "latitude"),
                f"the place ({latitude}, {longitude}) is outside the territory:{hint} expected a "
                f"latitude between {self.south:.3f} and {self.north:.3f} and a longitude between "
                f"{self.west:.3f} and {self.east:.3f}",
            )
        return inside

    def near_commune(
        self, document: Document, where: PathKey, address: Address, latitude: float, longitude: float
    ) -> None:
        commune = self.communes.get(address.commune)
        if commune is None:
            return
        distance = _distance_km(latitude, longitude, commune.latitude, commune.longitude)
        if distance > 15:
            self.warning(
                document,
                (*where, "latitude"),
                f"the place is {distance:.0f} km from the centre of {commune.name}, its commune: "
                "check the coordinates or the address's commune",
            )

    def area(self, document: Document, where: PathKey, area: Any) -> None:
        if area is not None and not area.everywhere:
            for index, code in enumerate(area.communes):
                self.commune(document, (*where, index), code)

    def holidays(self, document: Document, where: PathKey, rule: str | None) -> None:
        if rule is not None and rule.strip() != "24/7" and not mentions_holidays(rule):
            self.warning(
                document,
                where,
                f"{_dotted(where)}: say what happens on public holidays: add '; PH off' if it is "
                "closed, or '; PH 09:00-12:00' with the hours if it is open",
            )

    def traps(self, document: Document, where: PathKey, rule: str | None) -> None:
        """Rules the library reads otherwise than they look: say what residents will read."""
        if rule is None:
            return
        for trap in traps(rule):
            if trap.kind == "spaced_list":
                message = (
                    f"'{trap.part}': the hours library reads a weekday followed by ', ' as a rule of its "
                    f"own (open all day); it is read here as '{trap.earlier}': write the days without "
                    "spaces, like 'Mo,Tu,We', so that every tool reads them the same"
                )
            elif trap.kind == "no_days":
                message = (
                    f"'{trap.part}' has no days, so it applies to every day: some tools add it to "
                    f"'{trap.earlier}', others put it in its place (it is added here; residents will read: "
                    f"{_in_words(rule, self.calendar, self.today)}); to add hours to the same days only, "
                    f"join them with a comma, like '{trap.earlier},{trap.part}'"
                )
            else:
                days = ", ".join(_DAY_NAMES[d] for d in trap.days)
                message = (
                    f"'{trap.part}' replaces the hours of '{trap.earlier}' on {days} "
                    f"(residents will read: {_in_words(rule, self.calendar, self.today)}); if it is open at "
                    f"both times, add the hours with a comma: '{trap.earlier}, {trap.part}'"
                )
            self.warning(document, where, f"{_dotted(where)}: {message}")

    def place_calendar(self, permanence: Permanence) -> Calendar:
        """The territory's calendar, at the permanence's place when its rule follows the sun."""
        location = permanence.location
        host = self.records.services.get(location.service) if location.service else None
        coords = (host.latitude, host.longitude) if host else (location.latitude, location.longitude)
        if not follows_sun(permanence.schedule) or coords[0] is None or coords[1] is None:
            return self.calendar
        return self.calendar.at(coords[0], coords[1])

    def cancelled(self, document: Document, permanence: Permanence) -> None:
        calendar = self.place_calendar(permanence) if permanence.cancelled else self.calendar
        for index, day in enumerate(permanence.cancelled):
            held = sessions(
                permanence.schedule,
                day,
                day,
                valid_from=permanence.valid_from,
                valid_until=permanence.valid_until,
                calendar=calendar,
            )
            if not held:
                self.warning(
                    document,
                    ("cancelled", index),
                    f"cancelled: {day} is not a date of this permanence ('{permanence.schedule}'"
                    f"{', within its valid dates' if permanence.valid_from or permanence.valid_until else ''}): "
                    "check the date",
                )

    def provenance(self, document: Document, verified: dt.date) -> None:
        if verified > self.today:
            self.error(
                document,
                ("verified",),
                f"verified: {verified} is in the future: give the date the information was "
                "last checked, today at the latest",
            )

    # -- per kind --

    def service(self, sid: str, service: Service, document: Document) -> None:
        taxonomy = self.records.taxonomy
        self.ref(document, ("category",), service.category, taxonomy.categories, "category")
        self.refs(document, ("other_categories",), service.other_categories, taxonomy.categories, "category")
        self.refs(document, ("publics",), service.publics, taxonomy.publics, "public")
        self.refs(document, ("dispositifs",), service.dispositifs, self.known["dispositifs"], "dispositif")
        self.address(document, ("address",), service.address)
        if self.coordinates(document, (), service.latitude, service.longitude):
            self.near_commune(document, (), service.address, service.latitude, service.longitude)
        self.area(document, ("service_area",), service.service_area)
        self.holidays(document, ("opening_hours",), service.opening_hours)
        self.traps(document, ("opening_hours",), service.opening_hours)
        self.provenance(document, service.verified)
        self.professional(document, service.professional)
        category = taxonomy.categories.get(service.category)
        if service.accepts_new_patients is not None and category and not category.practice:
            self.warning(
                document,
                ("accepts_new_patients",),
                f"accepts_new_patients is only shown for doctors' practices; the category "
                f"'{service.category}' is not one (set 'practice: true' in taxonomy.yml if it is)",
            )

    def permanence(self, pid: str, permanence: Permanence, document: Document) -> None:
        taxonomy = self.records.taxonomy
        if permanence.held_by.service is not None:
            self.ref(document, ("held_by", "service"), permanence.held_by.service, self.known["services"], "service")
        location = permanence.location
        if location.service is not None:
            self.ref(document, ("location", "service"), location.service, self.known["services"], "service")
        else:
            assert location.address and location.latitude is not None and location.longitude is not None
            self.address(document, ("location", "address"), location.address)
            if self.coordinates(document, ("location",), location.latitude, location.longitude):
                self.near_commune(document, ("location",), location.address, location.latitude, location.longitude)
        self.refs(document, ("dispositifs",), permanence.dispositifs, self.known["dispositifs"], "dispositif")
        self.refs(document, ("categories",), permanence.categories, taxonomy.categories, "category")
        self.refs(document, ("publics",), permanence.publics, taxonomy.publics, "public")
        self.area(document, ("service_area",), permanence.service_area)
        self.holidays(document, ("schedule",), permanence.schedule)
        self.traps(document, ("schedule",), permanence.schedule)
        self.cancelled(document, permanence)
        self.provenance(document, permanence.verified)
        self.professional(document, permanence.professional)

    def professional(self, document: Document, part: Professional | None) -> None:
        """The networks a record's professional part names: declared in territory.yml."""
        if part is None:
            return
        networks = [network.id for network in self.records.territory.networks]
        if part.networks and not networks:
            self.error(
                document,
                ("professional", "networks"),
                "professional.networks: territory.yml declares no network: add them under 'networks:' "
                "(id, label, kind: cpts, cls, clsm, dac, clic or other), then give their ids here",
            )
            return
        self.refs(document, ("professional", "networks"), part.networks, networks, "network in territory.yml")

    def easy(self, document: Document, where: PathKey, steps: Iterable[EasyStep]) -> None:
        """Easy-read sentences (the French text) that are too long or too hard: a warning at each."""
        for index, step in enumerate(steps):
            at: PathKey = (*where, index, "text", SOURCE_LANGUAGE)  # or its parent, for a plain string
            for hard in hard_sentences(step.text.source):
                self.warning(
                    document, at, f"{_dotted((*where, index))}: easy-read sentence « {hard.sentence} »: {hard.why}"
                )

    def dispositif(self, did: str, dispositif: Dispositif, document: Document) -> None:
        self.refs(document, ("categories",), dispositif.categories, self.records.taxonomy.categories, "category")
        self.easy(document, ("easy",), dispositif.easy)
        self.provenance(document, dispositif.verified)

    def pathway(self, pid: str, pathway: Pathway, document: Document) -> None:
        """A decision tree: every answer leads somewhere, everything is reachable, no loop."""
        taxonomy = self.records.taxonomy
        questions, outcomes = pathway.questions, pathway.outcomes
        for oid in outcomes:
            if oid in questions:
                self.error(
                    document, ("outcomes", oid), f"'{oid}' is both a question and an outcome: rename one", key=True
                )
        if pathway.start not in questions:
            what = "an outcome" if pathway.start in outcomes else "not a question of this pathway"
            self.error(document, ("start",), f"start: '{pathway.start}' is {what}: give the id of the first question")
        # Who leads where: answers to an unknown id lead nowhere.
        incoming: dict[str, list[PathKey]] = {}
        for qid, question in questions.items():
            for index, answer in enumerate(question.answers):
                where: PathKey = ("questions", qid, "answers", index, "next")
                if answer.next not in questions and answer.next not in outcomes:
                    close = difflib.get_close_matches(answer.next, [*questions, *outcomes], n=1)
                    guess = f" Did you mean '{close[0]}'?" if close else ""
                    self.error(
                        document,
                        where,
                        f"this answer leads nowhere: there is no question or outcome '{answer.next}' "
                        f"in this pathway.{guess}",
                    )
                    continue
                incoming.setdefault(answer.next, []).append(where)
        for qid, ways in incoming.items():
            if qid in questions and len(ways) > 1:
                self.error(
                    document,
                    ways[1],
                    f"the question '{qid}' is reached by two answers (the other is on line "
                    f"{document.line_of(ways[0])}): a question has one way in, so that the page can "
                    "show the answers given so far; point this answer to an outcome, or copy the question",
                )
        # Loops, then what cannot be reached from the start.
        if pathway.start in questions:
            reached = self._walk(document, pathway, pathway.start)
            for kind, nodes in (("questions", questions), ("outcomes", outcomes)):
                for node in nodes:
                    if node not in reached:
                        self.error(
                            document,
                            (kind, node),
                            f"'{node}' cannot be reached from the start ('{pathway.start}'): no answer leads "
                            "to it; link it from an answer or remove it",
                            key=True,
                        )
        for oid, outcome in outcomes.items():
            self.refs(
                document, ("outcomes", oid, "dispositifs"), outcome.dispositifs, self.known["dispositifs"], "dispositif"
            )
            self.refs(document, ("outcomes", oid, "categories"), outcome.categories, taxonomy.categories, "category")
            self.easy(document, ("outcomes", oid, "easy"), outcome.easy)
        for qid, question in questions.items():
            self.easy(document, ("questions", qid, "easy"), question.easy)
        self.provenance(document, pathway.verified)

    def _walk(self, document: Document, pathway: Pathway, start: str) -> set[str]:
        """Every node reached from `start`; a loop or a chain too long is an error at its answer.

        Depth first with a stack of its own: a pathway of thousands of questions is data, not recursion.
        """
        reached = {start}
        trail: list[str] = []  # the questions from the start to the one being looked at
        on_trail: set[str] = set()
        too_long = False
        stack: list[tuple[str, int]] = [(start, 0)]  # a question, and the answer to look at next
        while stack:
            node, index = stack.pop()
            question = pathway.questions.get(node)
            if question is None or index >= len(question.answers):
                if trail and trail[-1] == node:
                    on_trail.discard(trail.pop())
                continue
            if index == 0:
                trail.append(node)
                on_trail.add(node)
            stack.append((node, index + 1))
            following = question.answers[index].next
            where: PathKey = ("questions", node, "answers", index, "next")
            if following in on_trail:
                self.error(
                    document,
                    where,
                    f"this answer goes back to '{following}', which comes before it: a pathway "
                    "has no loops; lead to an outcome instead",
                )
            elif following not in reached:
                reached.add(following)
                if following in pathway.questions and len(trail) >= MAX_QUESTIONS_IN_A_ROW and not too_long:
                    too_long = True  # once: the first place is enough, and what follows is still walked
                    self.error(
                        document,
                        where,
                        f"this answer leads to question number {len(trail) + 1} in a row: a resident "
                        f"answers at most {MAX_QUESTIONS_IN_A_ROW} questions before an outcome; lead "
                        "to an outcome sooner, or split the pathway",
                    )
                stack.append((following, 0))
        return reached

    def territory(self, document: Document) -> None:
        seen: dict[str, int] = {}
        for index, commune in enumerate(self.records.territory.communes):
            if commune.insee in seen:
                self.error(
                    document,
                    ("communes", index, "insee"),
                    f"the commune {commune.insee} is listed twice (first as number {seen[commune.insee] + 1})",
                )
            seen.setdefault(commune.insee, index)
        networks: dict[str, int] = {}
        for index, network in enumerate(self.records.territory.networks):
            if network.id in networks:
                self.error(
                    document,
                    ("networks", index, "id"),
                    f"the network '{network.id}' is listed twice (first as number {networks[network.id] + 1})",
                )
            networks.setdefault(network.id, index)


def validate_reference(directory: Path, report: Report) -> tuple[Territory, Taxonomy] | None:
    """Only territory.yml and taxonomy.yml: what an import needs to map records. None on errors."""
    territory, _ = _load_single(directory / "territory.yml", Territory, report)
    taxonomy, _ = _load_single(directory / "taxonomy.yml", Taxonomy, report)
    if territory is None or taxonomy is None:
        return None
    return territory, taxonomy


def validate_directory(directory: Path, report: Report, today: dt.date) -> Records | None:
    """Load and validate a whole directory. None when there are errors."""
    directory = Path(os.path.realpath(directory))  # not Path.resolve: it raises on a link loop
    if not directory.is_dir():
        report.error(directory, 1, "the records directory does not exist: pass --directory PATH")
        return None
    _unknown_entries(directory, report)
    territory, territory_doc = _load_single(directory / "territory.yml", Territory, report)
    taxonomy, taxonomy_doc = _load_single(directory / "taxonomy.yml", Taxonomy, report)

    loaded: dict[str, dict[str, tuple[Record, Document]]] = {kind: {} for kind in KINDS}
    seen_ids: dict[str, Path] = {}
    for kind, model in KINDS.items():
        for rid, path in _record_files(directory / kind, kind, report):
            if rid in seen_ids:
                report.error(
                    path,
                    1,
                    f"the id '{rid}' is already used by {seen_ids[rid].relative_to(directory)}: "
                    "ids must be unique, rename one of the files",
                )
                continue
            seen_ids[rid] = path
            document = load_yaml(path, report, directory)
            if document is None:
                continue
            record = _validate(model, document, report)
            if record is not None:
                loaded[kind][rid] = (record, document)

    if territory is None or taxonomy is None or territory_doc is None:
        return None
    records = Records(directory=directory, territory=territory, taxonomy=taxonomy)
    records.documents[("territory", "")] = territory_doc
    if taxonomy_doc is not None:
        records.documents[("taxonomy", "")] = taxonomy_doc
    for kind in KINDS:
        target = getattr(records, kind)
        for rid, (record, document) in loaded[kind].items():
            target[rid] = record
            records.documents[(kind, rid)] = document

    known = {kind: {rid for rid, path in seen_ids.items() if path.parent.name == kind} for kind in KINDS}
    checker = _CrossChecker(records, known, report, today)
    checker.territory(territory_doc)
    for sid, service in records.services.items():
        checker.service(sid, service, records.documents[("services", sid)])
    for pid, permanence in records.permanences.items():
        checker.permanence(pid, permanence, records.documents[("permanences", pid)])
    for did, dispositif in records.dispositifs.items():
        checker.dispositif(did, dispositif, records.documents[("dispositifs", did)])
    for pid, pathway in records.pathways.items():
        checker.pathway(pid, pathway, records.documents[("pathways", pid)])
    # What has gone out of date: warnings, so that the coordinator knows whom to call.
    for finding in findings({kind: getattr(records, kind) for kind in KINDS}, today):
        document = records.documents[(finding.kind, finding.rid)]
        report.warning(document.path, document.line_of(finding.where), finding.message())
    return None if report.errors else records


def validate_guides(records: Records, content: Path, report: Report) -> None:
    """Guides cited by pathways and dispositifs exist as content/fr/guides/<id>.md."""
    folder = content / SOURCE_LANGUAGE / "guides"
    available = {p.stem for p in folder.glob("*.md")} - {"index"} if folder.is_dir() else set()
    cited: list[tuple[Document, PathKey, list[str]]] = []
    for did, dispositif in records.dispositifs.items():
        cited.append((records.documents[("dispositifs", did)], ("guides",), dispositif.guides))
    for pid, pathway in records.pathways.items():
        document = records.documents[("pathways", pid)]
        cited.append((document, ("guides",), pathway.guides))
        for oid, outcome in pathway.outcomes.items():
            cited.append((document, ("outcomes", oid, "guides"), outcome.guides))
    for document, where, guides in cited:
        for index, guide in enumerate(guides):
            if guide not in available:
                close = difflib.get_close_matches(guide, sorted(available), n=1)
                guess = f" Did you mean '{close[0]}'?" if close else ""
                report.error(
                    document.path,
                    document.line_of((*where, index)),
                    f"{_dotted(where)}: there is no guide '{guide}': expected a page "
                    f"{os.path.relpath(folder / guide)}.md.{guess}",
                )
