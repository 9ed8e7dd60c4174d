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

from mkdocs.utils.meta import YAML_RE
from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from ..guarded import FileRefused, folder_entries
from ..i18n import SOURCE_LANGUAGE
from ..problems import Report
from .fields import field_help
from .freshness import findings
from .loader import Document, PathKey, load_yaml, parse_yaml
from .models import (
    Address,
    Dispositif,
    EasyStep,
    GuideFrontMatter,
    NeighbourhoodKind,
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
from .types import (
    ID_PATTERN,
    RESERVED_IDS,
    VALUE,
    LocalizedText,
    TextShape,
    _points,
    check_qpv_code,
    screen_text,
    slugify,
)

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
    return text or "le fichier"


def _shown(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "des champs" if isinstance(value, dict) else "une liste"
    text = str(value)
    return f"« {text[:60]}… »" if len(text) > 60 else f"« {text} »"


#: What pydantic's bounds say, in French.
_BOUNDS = {
    "greater_than_equal": ("ge", "au moins"),
    "less_than_equal": ("le", "au plus"),
    "greater_than": ("gt", "plus grand que"),
    "less_than": ("lt", "plus petit que"),
}


def _field_help(model: type[BaseModel] | None, name: str) -> str:
    """The French sentence of fields.py on what to write in a field ('' when it has none)."""
    if model is None:
        return ""
    try:
        return field_help(model, name).help
    except KeyError:
        return ""


def _describe(model: type[BaseModel], where: PathKey, error: Mapping[str, Any]) -> tuple[str, bool]:
    """A plain message for one pydantic error, and whether it is about the key."""
    kind = error["type"]
    name = _dotted(where)
    value = error.get("input")
    if value is None and kind not in ("missing", "portal"):
        return f"'{name}' est vide : écrivez sa valeur après '{where[-1] if where else name}:'", False
    if kind == "missing":
        hint = _field_help(_model_at(model, where[:-1]), str(where[-1]))
        return f"il manque '{name}'" + (f". {hint}" if hint else ""), True
    if kind == "extra_forbidden":
        parent = _model_at(model, where[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(where[-1]), allowed, n=1)
        guess = f" ; vouliez-vous dire '{close[0]}' ?" if close else ""
        listing = f" Champs possibles ici : {', '.join(allowed)}." if allowed else ""
        return f"champ inconnu : '{where[-1]}'{guess or '.'}{listing}", True
    if kind == "portal":
        return (f"{name} : {error['msg']}" if where else error["msg"]), False
    if kind in ("enum", "literal_error"):
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " ou ")
        return f"{name} : {_shown(value)} n'est pas une valeur possible ; attendu : {expected}", False
    if kind == "string_type":
        return f"{name} : attendu du texte, trouvé {_shown(value)}", False
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{name} : attendu un nombre comme 47.65, trouvé {_shown(value)}", False
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{name} : attendu un nombre entier, trouvé {_shown(value)}", False
    if kind in ("bool_type", "bool_parsing"):
        return f"{name} : attendu true ou false, trouvé {_shown(value)}", False
    if kind == "list_type":
        return f"{name} : attendu une liste (un élément par ligne, après '- '), trouvé {_shown(value)}", False
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{name} : attendu des champs (des lignes 'clé: valeur'), trouvé {_shown(value)}", False
    if kind == "too_short":
        least = error.get("ctx", {}).get("min_length", 1)
        return f"{name} : il faut au moins {least} élément{'s' if least > 1 else ''}", False
    if kind == "too_long":
        most = error.get("ctx", {}).get("max_length", 1)
        return f"{name} : {most} élément{'s' if most > 1 else ''} au plus", False
    if kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        limit = error.get("ctx", {}).get(bound, "?")
        return f"{name} : {_shown(value)} est hors limites : attendu {words} {limit}", False
    return f"{name} : valeur refusée (la bibliothèque de validation dit : « {error['msg']} »)", False


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
                report.error(document.path, document.line_of(where), f"{_dotted(where)} : {error}")
            elif warning is not None:
                report.warning(document.path, document.line_of(where), f"{_dotted(where)} : {warning}")
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
            f"{_dotted(where)} : à remplir : {' '.join(text.removeprefix(PLACEHOLDER).split()).strip(' :')}",
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
        report.error(folder, 0, f"rien n'a été lu ici : {refused.reason}")
        return []


def _record_files(folder: Path, kind: str, report: Report) -> list[tuple[str, Path]]:
    found: list[tuple[str, Path]] = []
    for path in _entries(folder, folder.parent, report):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            report.warning(path, 1, f"ignoré : les fiches vont directement dans {kind}/, pas dans des sous-dossiers")
            continue
        if path.suffix not in YAML_SUFFIXES:
            if path.suffix.lower() in YAML_SUFFIXES:
                # Not read: tools look for <id>.yml, and where names ignore case (macOS, Windows)
                # x.YML and x.yml are one file, where they are two on a Linux CI.
                named = f"{slugify(path.stem) or 'mon-service'}{path.suffix.lower()}"
                report.error(
                    path,
                    1,
                    f"« {path.name} » n'a pas été lu : le nom d'une fiche finit en minuscules : "
                    f"renommez le fichier en '{named}'",
                )
            else:
                report.warning(path, 1, f"ignoré : seuls les fichiers .yml sont lus dans {kind}/")
            continue
        if path.stem in RESERVED_IDS:
            report.error(
                path, 1, f"« {path.name} » : le nom '{path.stem}' est réservé aux pages du site : renommez le fichier"
            )
            continue
        if not ID_PATTERN.match(path.stem):
            suggestion = slugify(path.stem)
            report.error(
                path,
                1,
                f"« {path.name} » n'est pas un nom de fichier valide : ce nom est l'identifiant de la fiche ; "
                f"utilisez des minuscules sans accents, des chiffres et des tirets, comme "
                f"'{suggestion or 'mon-service'}.yml'",
            )
            continue
        found.append((path.stem, path))
    return found


#: What a records directory may hold besides the record folders.
TOP_LEVEL = {"territory.yml", "taxonomy.yml", "README.md", "transport"}  # transport: GTFS feeds (transport.feed)


def _unknown_entries(directory: Path, report: Report) -> None:
    for path in _entries(directory, directory, report):
        name = path.name
        if name.startswith(".") or name in TOP_LEVEL or name in KINDS:
            continue
        close = difflib.get_close_matches(name, [*KINDS, *TOP_LEVEL], n=1)
        guess = f" Vouliez-vous dire '{close[0]}' ?" if close else ""
        report.warning(
            path,
            1,
            f"ignoré : le dossier des fiches ne lit que territory.yml, taxonomy.yml et "
            f"les dossiers {', '.join(KINDS)} (et transport pour les flux GTFS).{guess}",
        )


def _load_single(path: Path, model: type[M], report: Report) -> tuple[M | None, Document | None]:
    if not os.path.lexists(path):
        report.error(path, 1, f"ce fichier manque : le dossier des fiches doit contenir un fichier {path.name}")
        return None, None
    document = load_yaml(path, report, path.parent)
    if document is None:
        return None, None
    return _validate(model, document, report), document


# --- checks across records -------------------------------------------------


_DAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
#: The words `ref` and `refs` name what is referred to with (other words are said as given).
_REFERRED = {
    "category": "catégorie",
    "public": "public",
    "dispositif": "dispositif",
    "service": "service",
    "network in territory.yml": "réseau dans territory.yml",
}


def _in_french(items: list[str]) -> str:
    """'lundi, mardi et jeudi'."""
    return f"{', '.join(items[:-1])} et {items[-1]}" if len(items) > 1 else "".join(items)


def _no_such(what: str, ref: str, known: Iterable[str]) -> str:
    """'il n'y a pas de catégorie « x » ; vouliez-vous dire « y » ?'"""
    close = difflib.get_close_matches(ref, list(known), n=1)
    guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
    word = _REFERRED.get(what, what)
    article = "d'" if word[:1] in "aeéiouy" else "de "
    return f"il n'y a pas {article}{word} « {ref} »{guess}"


def _in_words(rule: str, calendar: Calendar, today: dt.date) -> str:
    """A rule as a French page puts it, on one line: what `check` shows of a trap."""
    from ..render.hours import summary  # rendering is needed only for this message
    from ..render.localize import Localizer

    found = pattern(rule, today, calendar)
    if found is None:
        return "les dates des semaines à venir, une à une"
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
                self.error(document, (*where, index), f"{_dotted(where)} : {_no_such(what, ref, known)}")

    def ref(self, document: Document, where: PathKey, ref: str, known: Iterable[str], what: str) -> None:
        if ref not in known:
            self.error(document, where, f"{_dotted(where)} : {_no_such(what, ref, known)}")

    def commune(self, document: Document, where: PathKey, code: str) -> bool:
        if code in self.communes:
            return True
        self.error(
            document,
            where,
            f"{_dotted(where)} : la commune « {code} » n'est pas dans le territoire : "
            "donnez le code INSEE d'une des communes de territory.yml",
        )
        return False

    def address(self, document: Document, where: PathKey, address: Address) -> None:
        if self.commune(document, (*where, "commune"), address.commune):
            commune = self.communes[address.commune]
            if address.postcode not in commune.postcodes:
                self.error(
                    document,
                    (*where, "postcode"),
                    f"{_dotted((*where, 'postcode'))} : {address.postcode} n'est pas un code postal de "
                    f"{commune.name} (attendu : {', '.join(commune.postcodes)}) ; "
                    "vérifiez le code postal et le code INSEE de la commune",
                )

    def coordinates(self, document: Document, where: PathKey, latitude: float, longitude: float) -> bool:
        inside = self.south <= latitude <= self.north and self.west <= longitude <= self.east
        if not inside:
            swapped = self.south <= longitude <= self.north and self.west <= latitude <= self.east
            hint = " la latitude et la longitude semblent inversées ;" if swapped else ""
            self.error(
                document,
                (*where, "latitude"),
                f"le lieu ({latitude}, {longitude}) est hors du territoire :{hint} attendu une "
                f"latitude entre {self.south:.3f} et {self.north:.3f} et une longitude entre "
                f"{self.west:.3f} et {self.east:.3f}",
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
                f"le lieu est à {distance:.0f} km du centre de {commune.name}, sa commune : "
                "vérifiez les coordonnées ou la commune de l'adresse",
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
                f"{_dotted(where)} : dites ce qui se passe les jours fériés : ajoutez '; PH off' si c'est "
                "fermé, ou '; PH 09:00-12:00' avec les horaires si c'est ouvert",
            )

    def traps(self, document: Document, where: PathKey, rule: str | None) -> None:
        """Rules the library reads otherwise than they look: say what residents will read."""
        if rule is None:
            return
        for trap in traps(rule):
            if trap.kind == "spaced_list":
                message = (
                    f"« {trap.part} » : la bibliothèque des horaires lit un jour suivi de ', ' comme une règle "
                    f"à part (ouvert toute la journée) ; ici, on le lit comme '{trap.earlier}' : écrivez les "
                    "jours sans espaces, comme 'Mo,Tu,We', pour que chaque outil les lise de la même façon"
                )
            elif trap.kind == "no_days":
                message = (
                    f"« {trap.part} » n'a pas de jours, donc vaut pour tous les jours : certains outils "
                    f"l'ajoutent à « {trap.earlier} », d'autres le mettent à sa place (ici, il est ajouté ; "
                    f"les habitants liront : {_in_words(rule, self.calendar, self.today)}) ; pour ajouter "
                    f"des horaires aux mêmes jours seulement, joignez-les par une virgule, comme "
                    f"'{trap.earlier},{trap.part}'"
                )
            else:
                days = _in_french([_DAY_NAMES[d] for d in trap.days])
                message = (
                    f"« {trap.part} » remplace les horaires de « {trap.earlier} » le {days} "
                    f"(les habitants liront : {_in_words(rule, self.calendar, self.today)}) ; si c'est ouvert "
                    f"aux deux moments, ajoutez les horaires avec une virgule : '{trap.earlier}, {trap.part}'"
                )
            self.warning(document, where, f"{_dotted(where)} : {message}")

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
                    f"cancelled : le {day} n'est pas une date de cette permanence (« {permanence.schedule} »"
                    f"{', dans ses dates de validité' if permanence.valid_from or permanence.valid_until else ''}) : "
                    "vérifiez la date",
                )

    def provenance(self, document: Document, verified: dt.date) -> None:
        if verified > self.today:
            self.error(
                document,
                ("verified",),
                f"verified : {verified} est dans le futur : donnez la date de la dernière vérification "
                "des informations, aujourd'hui au plus tard",
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
        self.neighbourhood(document, service.neighbourhood, service.address.commune)
        self.holidays(document, ("opening_hours",), service.opening_hours)
        self.traps(document, ("opening_hours",), service.opening_hours)
        self.provenance(document, service.verified)
        self.professional(document, service.professional)
        self.new_patients(document, service)

    def new_patients(self, document: Document, service: Service) -> None:
        """A practice's answer about new patients: where it is shown, its date, its format."""
        status = service.accepts_new_patients
        if status is None:
            return
        where: PathKey = ("accepts_new_patients",)
        category = self.records.taxonomy.categories.get(service.category)
        if category and not category.takes_patients:
            self.warning(
                document,
                where,
                f"accepts_new_patients n'est affiché que pour les cabinets ; la catégorie « {service.category} » "
                "n'en est pas un (écrivez « practice: true » pour elle dans taxonomy.yml si c'en est un)",
            )
        raw = document.data.get("accepts_new_patients") if isinstance(document.data, dict) else None
        if isinstance(raw, bool):
            self.warning(
                document,
                where,
                f"accepts_new_patients: {'true' if raw else 'false'} ne dit pas quand le cabinet a répondu ; "
                "écrivez la réponse et sa date ainsi : « accepts_new_patients: {status: "
                f"{status.status.value}, checked: {status.checked.isoformat()}}} » (avec la date où le cabinet "
                "l'a dit ; en attendant, le site prend la date de « verified »)",
            )
        elif status.checked > self.today:
            self.error(
                document,
                (*where, "checked"),
                f"accepts_new_patients.checked : le {status.checked:%d/%m/%Y} est dans le futur ; écrivez la date "
                "où le cabinet a répondu, aujourd'hui au plus tard",
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
        self.neighbourhood(document, permanence.neighbourhood, self.place_commune(permanence))
        self.holidays(document, ("schedule",), permanence.schedule)
        self.traps(document, ("schedule",), permanence.schedule)
        self.cancelled(document, permanence)
        self.provenance(document, permanence.verified)
        self.professional(document, permanence.professional)

    def place_commune(self, permanence: Permanence) -> str:
        """The commune where a permanence is held: its own address's, or its host service's."""
        location = permanence.location
        if location.address is not None:
            return location.address.commune
        host = self.records.services.get(location.service or "")
        return host.address.commune if host else ""

    def professional(self, document: Document, part: Professional | None) -> None:
        """The networks a record's professional part names: declared in territory.yml."""
        if part is None:
            return
        networks = [network.id for network in self.records.territory.networks]
        if part.networks and not networks:
            self.error(
                document,
                ("professional", "networks"),
                "professional.networks : territory.yml ne déclare aucun réseau : ajoutez-les sous 'networks:' "
                "(id, label, kind : cpts, cls, clsm, dac, clic ou other), puis donnez ici leurs identifiants",
            )
            return
        self.refs(document, ("professional", "networks"), part.networks, networks, "network in territory.yml")

    def easy(self, document: Document, where: PathKey, steps: Iterable[EasyStep]) -> None:
        """Easy-read sentences (the French text) that are too long or too hard: a warning at each."""
        for index, step in enumerate(steps):
            at: PathKey = (*where, index, "text", SOURCE_LANGUAGE)  # or its parent, for a plain string
            for hard in hard_sentences(step.text.source):
                self.warning(
                    document,
                    at,
                    f"{_dotted((*where, index))} : phrase en facile à lire « {hard.sentence} » : {hard.why}",
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
                    document,
                    ("outcomes", oid),
                    f"« {oid} » est à la fois une question et une issue : renommez l'une des deux",
                    key=True,
                )
        if pathway.start not in questions:
            what = "est une issue" if pathway.start in outcomes else "n'est pas une question de ce parcours"
            self.error(
                document,
                ("start",),
                f"start : « {pathway.start} » {what} : donnez l'identifiant de la première question",
            )
        # Who leads where: answers to an unknown id lead nowhere.
        incoming: dict[str, list[PathKey]] = {}
        for qid, question in questions.items():
            for index, answer in enumerate(question.answers):
                where: PathKey = ("questions", qid, "answers", index, "next")
                if answer.next not in questions and answer.next not in outcomes:
                    close = difflib.get_close_matches(answer.next, [*questions, *outcomes], n=1)
                    guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                    self.error(
                        document,
                        where,
                        f"cette réponse ne mène nulle part : il n'y a ni question ni issue « {answer.next} » "
                        f"dans ce parcours{guess}",
                    )
                    continue
                incoming.setdefault(answer.next, []).append(where)
        for qid, ways in incoming.items():
            if qid in questions and len(ways) > 1:
                self.error(
                    document,
                    ways[1],
                    f"la question « {qid} » est atteinte par deux réponses (l'autre est à la ligne "
                    f"{document.line_of(ways[0])}) : une question n'a qu'une entrée, pour que la page puisse "
                    "montrer les réponses déjà données ; menez cette réponse à une issue, ou copiez la question",
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
                            f"« {node} » ne peut pas être atteint depuis le début (« {pathway.start} ») : "
                            "aucune réponse n'y mène ; reliez-le à une réponse ou supprimez-le",
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
                    f"cette réponse revient à « {following} », qui vient avant elle : un parcours "
                    "n'a pas de boucle ; menez plutôt à une issue",
                )
            elif following not in reached:
                reached.add(following)
                if following in pathway.questions and len(trail) >= MAX_QUESTIONS_IN_A_ROW and not too_long:
                    too_long = True  # once: the first place is enough, and what follows is still walked
                    self.error(
                        document,
                        where,
                        f"cette réponse mène à une {len(trail) + 1}e question d'affilée : un habitant répond "
                        f"au plus à {MAX_QUESTIONS_IN_A_ROW} questions avant une issue ; menez plus tôt "
                        "à une issue, ou coupez le parcours en deux",
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
                    f"la commune {commune.insee} est listée deux fois (la première fois en position "
                    f"{seen[commune.insee] + 1})",
                )
            seen.setdefault(commune.insee, index)
        self.neighbourhoods(document)
        networks: dict[str, int] = {}
        for index, network in enumerate(self.records.territory.networks):
            if network.id in networks:
                self.error(
                    document,
                    ("networks", index, "id"),
                    f"le réseau « {network.id} » est déjà dans la liste (au numéro {networks[network.id] + 1}) : "
                    "donnez-lui un autre identifiant, ou supprimez l'un des deux",
                )
            networks.setdefault(network.id, index)

    def neighbourhoods(self, document: Document) -> None:
        """Codes unique in the territory, a QPV's code official and of its commune's département,
        every point inside the territory."""
        seen: dict[str, str] = {}
        for index, commune in enumerate(self.records.territory.communes):
            for number, neighbourhood in enumerate(commune.neighbourhoods):
                where: PathKey = ("communes", index, "neighbourhoods", number)
                code = neighbourhood.code
                if code in seen:
                    self.error(
                        document,
                        (*where, "code"),
                        f"le quartier « {code} » est déjà déclaré (commune {seen[code]}) : chaque quartier a son "
                        "propre code, dans tout le territoire",
                    )
                seen.setdefault(code, commune.name)
                if neighbourhood.kind is NeighbourhoodKind.QPV:
                    self.qpv_code(document, (*where, "code"), code, commune.insee)
                if neighbourhood.point is not None:
                    self.coordinates(
                        document, (*where, "point"), neighbourhood.point.latitude, neighbourhood.point.longitude
                    )
                if neighbourhood.outline is not None:
                    for longitude, latitude in _points(neighbourhood.outline["coordinates"]):
                        if not self.coordinates(document, (*where, "outline"), latitude, longitude):
                            break

    def qpv_code(self, document: Document, where: PathKey, code: str, insee: str) -> None:
        try:
            check_qpv_code(code)
        except PydanticCustomError as problem:
            self.error(document, where, f"{_dotted(where)} : {problem.message()}")
            return
        departement = insee[:3] if insee.startswith("97") else "0" + insee[:2]
        if code[2:5] != departement:
            self.error(
                document,
                where,
                f"{_dotted(where)} : le code « {code} » est celui d'un QPV du département {code[2:5].lstrip('0')}, "
                f"pas de celui de la commune {insee} (attendu un code qui commence par « QN{departement} »)",
            )

    def neighbourhood(self, document: Document, code: str | None, insee: str) -> None:
        """A record's neighbourhood: one of its place's commune."""
        if code is None:
            return
        commune = self.communes.get(insee)
        codes = [n.code for n in commune.neighbourhoods] if commune else []
        if code not in codes:
            elsewhere = [c.name for c in self.communes.values() if any(n.code == code for n in c.neighbourhoods)]
            if elsewhere:
                why = f"c'est un quartier de {elsewhere[0]}, pas de la commune du lieu ({insee})"
            elif codes:
                why = f"la commune du lieu ({insee}) a ces quartiers : {', '.join(codes)}"
            else:
                why = f"la commune du lieu ({insee}) n'a pas de quartier dans territory.yml (« neighbourhoods: »)"
            self.error(document, ("neighbourhood",), f"neighbourhood : le quartier « {code} » ne convient pas : {why}")


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
        report.error(directory, 1, "le dossier des fiches n'existe pas : indiquez-le avec --directory DOSSIER")
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
                    f"l'identifiant « {rid} » est déjà pris par {seen_ids[rid].relative_to(directory)} : "
                    "chaque identifiant est unique, renommez l'un des deux fichiers",
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
                guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                report.error(
                    document.path,
                    document.line_of((*where, index)),
                    f"{_dotted(where)} : il n'y a pas de guide « {guide} » : attendu une page "
                    f"{os.path.relpath(folder / guide)}.md{guess}",
                )


def validate_guide(path: Path, text: str, language: str, report: Report) -> GuideFrontMatter | None:
    """What the generator reads of a guide's front matter (its easy-read text, `easy:`), each
    problem at its file and line; a French easy-read sentence too long or too hard is a warning.
    None when the front matter cannot be used (reported)."""
    found = YAML_RE.match(text)
    if found is None:
        return GuideFrontMatter()
    # One empty line stands for the opening "---": the lines are the file's.
    document = parse_yaml("\n" + found.group(1), path, report)
    if document is None:
        return None
    if document.data is None:
        return GuideFrontMatter()
    if not isinstance(document.data, dict):
        report.error(
            path,
            2,
            "l'en-tête de la page (entre les deux lignes '---') doit être fait de clés et de valeurs, comme 'easy:'",
        )
        return None
    front = _validate(GuideFrontMatter, document, report)
    if front is not None and language == SOURCE_LANGUAGE:
        for index, step in enumerate(front.easy):
            for hard in hard_sentences(step.text):
                report.warning(
                    path,
                    document.line_of(("easy", index, "text")),
                    f"{_dotted(('easy', index))} : phrase en facile à lire « {hard.sentence} » : {hard.why}",
                )
    return front
