"""Plain-French words for what data·inclusion's models refuse.

The official models answer in pydantic's English, and an unknown thématique
comes back with the whole list of allowed values (nearly 4,000 characters).
A coordinator needs one short line: the field, the value, what is expected and,
when a value is close to a known one, "vouliez-vous dire … ?".
"""

from __future__ import annotations

import difflib
import enum
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

#: Longest value quoted in a message: enough to recognise it, never a page of text.
SHOWN = 60
#: Allowed values are listed only when there are this many or fewer (frais, modes: yes; thématiques: never).
SHORT_LIST = 5


def shown(value: Any) -> str:
    """« value », cut short, on one line."""
    text = " ".join(str(value).split())
    return f"« {text[:SHOWN]}… »" if len(text) > SHOWN else f"« {text} »"


def suggestion(value: str, known: Iterable[str]) -> str:
    """' ; vouliez-vous dire « x » ?' when one known value is close, else ''."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f" ; vouliez-vous dire « {close[0]} » ?" if close else ""


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return annotation
    for argument in typing.get_args(annotation):
        found = _enum_of(argument)
        if found is not None:
            return found
    return None


def allowed_values(model: type[BaseModel], name: str) -> list[str]:
    """The values an enumerated field of `model` accepts (none for a free field)."""
    info = model.model_fields.get(name)
    found = _enum_of(info.annotation) if info is not None else None
    return [str(member.value) for member in found] if found is not None else []


_TYPES = {
    "string_type": "attendu du texte",
    "float_parsing": "attendu un nombre (avec un point ou une virgule décimale)",
    "float_type": "attendu un nombre",
    "int_parsing": "attendu un nombre entier",
    "int_type": "attendu un nombre entier",
    "int_from_float": "attendu un nombre entier",
    "bool_parsing": "attendu oui ou non (true ou false)",
    "list_type": "attendu une liste de valeurs",
    "set_type": "attendu une liste de valeurs",
    "date_parsing": "attendu une date au format AAAA-MM-JJ, comme 2026-01-31",
    "date_from_datetime_parsing": "attendu une date au format AAAA-MM-JJ, comme 2026-01-31",
    "date_type": "attendu une date au format AAAA-MM-JJ, comme 2026-01-31",
    "url_parsing": "attendu une adresse web complète, comme https://exemple.fr/page",
    "url_type": "attendu une adresse web complète, comme https://exemple.fr/page",
    "url_scheme": "attendu une adresse web en http:// ou https://",
    "dict_type": "attendu un objet JSON",
    "model_type": "attendu un objet JSON",
}


def describe(model: type[BaseModel], error: Mapping[str, Any]) -> tuple[str, str]:
    """(field, message) for one pydantic error of `model`, in French, on one short line."""
    loc = [part for part in error.get("loc", ()) if isinstance(part, str)]
    name = loc[0] if loc else ""
    kind = error.get("type", "")
    value = error.get("input")
    context = error.get("ctx") or {}
    if kind == "missing":
        return name, "champ obligatoire, absent ou vide"
    if kind == "enum":
        known = allowed_values(model, name)
        hint = suggestion(str(value), known)
        if not hint and 0 < len(known) <= SHORT_LIST:  # a short list helps; a long one is a page to scroll
            hint = f" : valeurs permises : {', '.join(known)}"
        return name, f"{shown(value)} n'est pas une valeur du schéma data·inclusion{hint}"
    if kind == "string_too_short":
        return name, f"{shown(value)} est trop court : au moins {context.get('min_length')} caractères"
    if kind == "string_too_long":
        return name, (f"trop long ({len(str(value))} caractères) : au plus {context.get('max_length')} caractères")
    if kind == "string_pattern_mismatch":
        return name, f"{shown(value)} n'a pas la forme attendue"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(context.values()), "?")
        words = {
            "greater_than": "plus grand que",
            "greater_than_equal": "au moins",
            "less_than": "plus petit que",
            "less_than_equal": "au plus",
        }[kind]
        return name, f"{shown(value)} hors limites : attendu {words} {bound}"
    if kind in _TYPES:
        return name, f"{shown(value)} : {_TYPES[kind]}"
    if kind == "value_error" and "email" in str(error.get("msg", "")):
        return name, f"{shown(value)} n'est pas une adresse électronique valide"
    # A rule of data·inclusion's own (often already in French): its words, cut short.
    words = str(error.get("msg", "")).removeprefix("Value error, ")
    words = " ".join(words.split())
    return name, words[:200] + ("…" if len(words) > 200 else "")
