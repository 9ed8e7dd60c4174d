"""Field types shared by the record models.

Each type validates one kind of value a coordinator types in YAML (an id, a
phone number, an opening-hours rule...) and raises a `PydanticCustomError`
whose message says what is expected, so that `validate` can report it as is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlsplit

import geojson
import phonenumbers
from babel import Locale, UnknownLocaleError
from data_inclusion.schema import v1 as di
from email_validator import EmailNotValidError, validate_email
from opening_hours import OpeningHours
from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, WithJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from ..i18n import LANGUAGE_TAG, SOURCE_LANGUAGE, babel_locale
from ..problems import french_number
from .schedule import bare_additional, engine_rule, unreliable

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INSEE_PATTERN = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
POSTCODE_PATTERN = re.compile(r"^\d{5}$")


def slugify(text: str) -> str:
    """'Saint-Nicolas-de-Redon' -> 'saint-nicolas-de-redon': a valid id from any name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _fail(message: str) -> PydanticCustomError:
    # One error type for all our own rules: the message is the whole explanation.
    return PydanticCustomError("portal", message)


def _matching(pattern: re.Pattern[str], expected: str) -> AfterValidator:
    """A string type that must match `pattern`; the error says what was `expected`."""

    def check(value: str) -> str:
        if not pattern.match(value):
            raise _fail(f"« {value} » n'est pas {expected}")
        return value

    return AfterValidator(check)


#: Ids that would take the place of an index page (services/index.md...).
RESERVED_IDS = frozenset({"index"})


def _not_reserved(value: str) -> str:
    if value in RESERVED_IDS:
        raise _fail(f"« {value} » est réservé aux pages du site : choisissez un autre identifiant")
    return value


Id = Annotated[
    str,
    _matching(
        ID_PATTERN,
        "un identifiant valide : utilisez des minuscules sans accents, des chiffres et des tirets simples, "
        "comme 'pass-redon'",
    ),
    AfterValidator(_not_reserved),
    # The JSON Schemas of the records (`editor/schema.py`) say what editors can check as one types.
    WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern, "not": {"enum": sorted(RESERVED_IDS)}}),
]
InseeCode = Annotated[
    str,
    _matching(
        INSEE_PATTERN,
        "un code INSEE de commune : attendu 5 caractères, comme '35236' (Corse : '2A004')",
    ),
    WithJsonSchema({"type": "string", "pattern": INSEE_PATTERN.pattern}),
]
#: A neighbourhood's code: a QPV's official one, or a local one (letters, digits, single dashes).
NEIGHBOURHOOD_CODE_PATTERN = re.compile(r"^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$")
#: The QPV codes since 2024 (ANCT, decree 2023-1314): « QNXXXYYZ », XXX the département on three
#: characters (035, 02A, 971), then two digits and one character, as the ANCT's files on data.gouv.fr write them.
QPV_CODE_PATTERN = re.compile(r"^QN(?:\d{3}|02[AB])\d{2}[0-9A-Z]$")
#: The codes of the 2015-2023 QPVs (« QP » and six digits), replaced in 2024.
OLD_QPV_CODE_PATTERN = re.compile(r"^QP\d{6}$")

NeighbourhoodCode = Annotated[
    str,
    _matching(
        NEIGHBOURHOOD_CODE_PATTERN,
        "un code de quartier : des lettres sans accents, des chiffres et des tirets simples, "
        "comme 'QN03501A' (QPV) ou 'redon-gare'",
    ),
    WithJsonSchema({"type": "string", "pattern": NEIGHBOURHOOD_CODE_PATTERN.pattern}),
]


def check_qpv_code(code: str) -> None:
    """A QPV's code must be an official one of 2024 or later: the observatory's readers match on it."""
    if OLD_QPV_CODE_PATTERN.match(code):
        raise _fail(
            f"« {code} » est un code de QPV d'avant 2024 : depuis le 1er janvier 2024 les codes commencent par "
            "« QN » (comme 'QN03501A') ; reprenez le code du quartier dans la liste de l'ANCT (sig.ville.gouv.fr)"
        )
    if not QPV_CODE_PATTERN.match(code):
        raise _fail(
            f"« {code} » n'est pas un code de QPV : attendu « QN », le département sur trois caractères, "
            "deux chiffres et une lettre ou un chiffre, comme 'QN03501A' (liste de l'ANCT, sig.ville.gouv.fr) ; "
            "pour un quartier qui n'est pas un QPV, écrivez « kind: other »"
        )


Postcode = Annotated[
    str,
    _matching(POSTCODE_PATTERN, "un code postal : attendu 5 chiffres, comme '35600'"),
    # an unquoted `postcode: 35600` is read as a number, and accepted
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": POSTCODE_PATTERN.pattern}, {"type": "integer", "minimum": 10000}]}
    ),
]


def _check_language(value: str) -> str:
    if not LANGUAGE_TAG.match(value):
        raise _fail(
            f"« {value} » n'est pas un code de langue : attendu un code ISO 639-1 à deux lettres, "
            "comme 'fr', 'en', 'ar' (ou avec une région, comme 'fa-AF')"
        )
    try:
        Locale.parse(babel_locale(value))
    except (UnknownLocaleError, ValueError):
        raise _fail(f"« {value} » n'est pas un code de langue ISO 639-1 connu") from None
    return value


LanguageCode = Annotated[
    str, AfterValidator(_check_language), WithJsonSchema({"type": "string", "pattern": LANGUAGE_TAG.pattern})
]


def _enum_value(enum: type[Enum], what: str, example: str) -> AfterValidator:
    """A string that must be one of a published vocabulary's values (data·inclusion)."""
    allowed = frozenset(member.value for member in enum)

    def check(value: str) -> str:
        if value not in allowed:
            close = difflib.get_close_matches(value, sorted(allowed), n=1)
            guess = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
            raise _fail(f"« {value} » n'est pas {what}, comme '{example}'{guess}")
        return value

    return AfterValidator(check)


#: data·inclusion's own vocabularies, from its published package.
DiThematique = Annotated[
    str,
    _enum_value(
        di.Thematique, "une thématique data·inclusion (https://data.inclusion.gouv.fr)", "sante--acces-aux-soins"
    ),
]
DiPublic = Annotated[str, _enum_value(di.Public, "un public data·inclusion", "personnes-exilees")]


def email_problem(value: str) -> str | None:
    """What is wrong with an e-mail address, or None: records and mkdocs.yml check them alike."""
    if _UNSAFE_IN_ADDRESS.search(value) or "?" in value or "&" in value:
        return f"« {value} » n'est pas une adresse électronique valide : elle contient des espaces ou des signes comme ? & < > \""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return f"« {value} » n'est pas une adresse électronique valide : attendu une adresse comme accueil@example.org"
    return None


def _check_email(value: str) -> str:
    problem = email_problem(value)
    if problem is not None:
        raise _fail(problem)
    return value


Email = Annotated[str, AfterValidator(_check_email), WithJsonSchema({"type": "string", "format": "email"})]


_UNSAFE_IN_ADDRESS = re.compile(r"[\s\"'<>\\`\x00-\x1f\x7f]")


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or _UNSAFE_IN_ADDRESS.search(value):
        raise _fail(
            f"« {value} » n'est pas une adresse web : attendu un lien complet commençant "
            "par https:// (ou http://), sans espaces ni guillemets"
        )
    if "@" in parts.netloc:
        # https://ameli.fr@evil.example/ leads to evil.example: a classic trap
        raise _fail(f"« {value} » cache sa vraie destination (un '@' avant le nom du site) : enlevez-le")
    return value


Url = Annotated[
    str, AfterValidator(_check_url), WithJsonSchema({"type": "string", "pattern": "^https?://[^\\s\"'<>]+$"})
]


#: What a phone number is written with besides digits: spaces, dots, dashes, brackets, a leading +.
_PHONE_SIGNS = re.compile(r"[^\d\s.()/+-]+")


def _check_phone(value: str) -> str:
    # The library reads letters as a keypad (01 99 00 AB CD is 01 99 00 22 23): not what residents read.
    odd = list(dict.fromkeys(_PHONE_SIGNS.findall(value)))
    if odd:
        raise _fail(
            f"« {value} » n'est pas un numéro de téléphone valide : il contient "
            f"{', '.join(f'« {c} »' for c in odd)} : écrivez-le avec des chiffres seulement, comme '01 99 00 12 34'"
        )
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not (phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number(number)):
        raise _fail(
            f"« {value} » n'est pas un numéro de téléphone valide : attendu un numéro français "
            "comme '01 99 00 12 34', un numéro court comme '3646', ou un "
            "numéro international commençant par +"
        )
    return value


# an unquoted short number (`3646`) is read as a number, and accepted
PhoneNumber = Annotated[
    str, AfterValidator(_check_phone), WithJsonSchema({"type": ["string", "integer"], "pattern": r"^\+?[0-9 .()-]+$"})
]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
#: 'Feb 30', 'Jun 30-24', 'Apr 31-May 02': a month, a day, and maybe the end of a range.
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{'|'.join(_MONTHS)})\s*(?P<day>\d{{1,2}})\b(?!:)"
    rf"(?:\s*-\s*(?:(?P<month2>{'|'.join(_MONTHS)})\s*)?(?P<day2>\d{{1,2}})\b(?!:))?"
)


def impossible_date(value: str) -> str | None:
    """What is wrong with a date in a rule ('Feb 30'), which the library would read as
    another day or as every day; None when the dates are possible."""
    for match in _MONTH_DAY.finditer(re.sub(r'"[^"]*"', '""', value)):
        month = _MONTHS.index(match["month"])
        day = int(match["day"])
        dates = [(month, day, match.group(0))]
        if match["day2"]:
            dates.append((_MONTHS.index(match["month2"]) if match["month2"] else month, int(match["day2"]), ""))
        for index, number, _ in dates:
            if not 1 <= number <= _MONTH_DAYS[index]:
                return (
                    f"« {_MONTHS[index]} {number} » n'existe pas ({_MONTH_NAMES[index]} a {_MONTH_DAYS[index]} jours) : "
                    "vérifiez la date"
                )
        if match["day2"] and not match["month2"] and int(match["day2"]) < day:
            return (
                f"« {match.group(0)} » finit avant de commencer : écrivez la période dans l'ordre, "
                f"comme '{match['month']} {match['day2']:0>2}-{day:0>2}', ou donnez les deux mois "
                f"('{match['month']} {day:0>2}-{_MONTHS[(month + 1) % 12]} {match['day2']:0>2}')"
            )
    return None


def _check_opening_hours(value: str) -> str:
    if "||" in value:
        raise _fail(
            f"« {value} » : les règles de repli ('||') ne sont pas prises en charge, les dates ne pourraient "
            "pas être affichées de façon sûre : écrivez les horaires sans elles et dites le reste dans les "
            "précisions du rendez-vous"
        )
    if re.search(r"\bSH\b", value):
        raise _fail(
            f"« {value} » : la bibliothèque des horaires ne connaît pas les vacances scolaires (SH) "
            "françaises : ajoutez plutôt une fermeture (kind: closure) pour les vacances scolaires"
        )
    if problem := impossible_date(value) or unreliable(value):
        raise _fail(f"« {value} » : {problem}")
    if re.search(r"\d\d?:\d\d\s*-\s*\d\d?:\d\d\+?/", value):
        raise _fail(
            f"« {value} » : une heure avec une répétition ('/01:30') donne des instants, pas des horaires "
            "d'ouverture : écrivez les heures où c'est ouvert, comme '10:00-16:00'"
        )
    if (segment := bare_additional(value)) is not None:
        raise _fail(
            f"« {value} » : « {segment} » n'a pas d'horaires avant ', ', ce qui n'ajoute rien : écrivez les "
            "jours en une seule liste sans espaces ('Mo,Tu'), ou séparez les règles par ';'"
        )
    for start, end in re.findall(r"(?<![\d:])(\d\d?:\d\d)-(\d\d?:\d\d)(?![\d+])", re.sub(r'"[^"]*"', '""', value)):
        if start == end:
            raise _fail(
                f"« {value} » : « {start}-{end} » commence et finit à la même heure, ce que les outils lisent "
                f"comme fermé ou comme ouvert 24 heures : donnez l'heure de fermeture, ou '00:00-24:00' "
                "pour toute la journée"
            )
    try:
        OpeningHours(value)
        OpeningHours(engine_rule(value))  # as it is evaluated: the same, tolerances applied
    except Exception as error:  # the library raises its own ParserError
        where = re.search(r"--> \d+:(\d+)", str(error))
        at = f" (problème au caractère {where.group(1)})" if where else ""
        raise _fail(
            f"« {value} » n'est pas une règle d'horaires valide{at} : attendu la "
            "syntaxe d'OpenStreetMap, comme 'Mo-Fr 08:30-12:00,13:30-17:00; PH off' "
            "ou 'Tu[2] 09:00-12:00; PH off' (2e mardi du mois)"
        ) from None
    return value


OpeningHoursRule = Annotated[str, AfterValidator(_check_opening_hours)]


@dataclass(frozen=True)
class LocalizedText:
    """Text written in the source language, with optional translations.

    In YAML it is either a plain string (French) or a mapping by language code:
    ``name: {fr: ..., en: ..., ar: ...}``.
    """

    values: Mapping[str, str]

    @property
    def source(self) -> str:
        return self.values[SOURCE_LANGUAGE]

    def get(self, language: str) -> tuple[str, str]:
        """The text for `language` and the language it is really in (fallback)."""
        if language in self.values:
            return self.values[language], language
        return self.values[SOURCE_LANGUAGE], SOURCE_LANGUAGE

    def __str__(self) -> str:
        return self.source

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        mapping = handler.generate_schema(dict[LanguageCode, NonEmptyText])
        return core_schema.no_info_after_validator_function(
            cls._from_mapping,
            core_schema.no_info_before_validator_function(cls._as_mapping, mapping),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        # what the YAML holds: a French string, or one non-empty string per language, French required
        text = {"type": "string", "minLength": 1}
        by_language = {
            "type": "object",
            "propertyNames": {"pattern": LANGUAGE_TAG.pattern},
            "additionalProperties": text,
            "required": [SOURCE_LANGUAGE],
        }
        return {"anyOf": [text, by_language]}

    @staticmethod
    def _as_mapping(value: Any) -> Any:
        if isinstance(value, LocalizedText):  # made by the generator (a guide's easy-read text)
            return dict(value.values)
        if isinstance(value, str):
            return {SOURCE_LANGUAGE: value}
        if not isinstance(value, dict):
            raise _fail(f"attendu du texte, ou un texte par langue comme '{{{SOURCE_LANGUAGE}: ..., en: ...}}'")
        return value

    @classmethod
    def _from_mapping(cls, value: dict[str, str]) -> LocalizedText:
        if SOURCE_LANGUAGE not in value:
            raise _fail(
                f"il manque le texte en français : ajoutez '{SOURCE_LANGUAGE}: ...' "
                "(les traductions sont facultatives, le texte en français ne l'est pas)"
            )
        return cls(dict(value))


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise _fail("ce texte est vide : écrivez quelque chose ou enlevez le champ")
    return value.strip()


NonEmptyText = Annotated[str, AfterValidator(_check_not_blank), WithJsonSchema({"type": "string", "pattern": r"\S"})]
Text = LocalizedText


# --- what a text may hold ---------------------------------------------------


@dataclass(frozen=True)
class TextShape:
    """What the text of a field may hold: one line or several, and at most how many characters.

    It goes in the field's type (`Name`, `LongText`...): `validate` finds it in the
    model and checks each string of a record against the shape of its field, so that
    nothing in a record can pass for structure in a page, a calendar or a report.
    """

    what: str  # "un nom": for the messages
    limit: int  # characters
    lines: bool | None = False  # several lines allowed; None: the field's own type decides
    advice: str = "raccourcissez-le"


NAME = TextShape(
    "un nom, un libellé ou un titre", 200, advice="raccourcissez-le, et dites le reste dans la description"
)
LINE = TextShape("un élément de liste", 500, advice="raccourcissez-le, ou faites-en deux éléments")
SOURCE = TextShape("une source", 1_000, advice="nommez la page ou la personne, pas le texte entier")
SUMMARY = TextShape("un résumé", 500, lines=True, advice="une ou deux phrases : dites le reste dans la description")
NOTE = TextShape("ce texte", 2_000, lines=True, advice="restez bref, et dites le reste dans la description")
LONG = TextShape("un texte", 20_000, lines=True, advice="coupez-le, ou renvoyez à une page qui dit le reste")
#: Every other string (ids, addresses, phone numbers, opening hours): its own type checks it.
VALUE = TextShape("une valeur", 2_000, lines=None, advice="vérifiez que c'est bien la valeur voulue")

#: Translatable text (`LocalizedText`) of each shape, and plain one-line strings.
Name = Annotated[LocalizedText, NAME]
Line = Annotated[LocalizedText, LINE]
Summary = Annotated[LocalizedText, SUMMARY]
Note = Annotated[LocalizedText, NOTE]
LongText = Annotated[LocalizedText, LONG]
ShortText = Annotated[NonEmptyText, NAME]
SourceText = Annotated[NonEmptyText, SOURCE]

#: Words that open a person's name, not a role: « Mme Durand », « Dr Martin ».
_CIVILITY = re.compile(
    r"^(?:m|mr|mme|mmes|mlle|melle|madame|monsieur|mademoiselle|dr|docteur|docteure|pr|professeur|professeure)\b\.?",
    re.IGNORECASE,
)
#: The first word of a role written with capitals (« Infirmière Asalée », « Conseillère CPAM »):
#: a name never starts with one of these, so such a text is taken as a role.
_ROLE_WORDS = re.compile(
    r"^(?:accueil|agent|agente|aide|animateur|animatrice|assistant|assistante|auxiliaire|cadre|chargé|chargée|"
    r"chef|cheffe|conseiller|conseillère|coordinateur|coordinatrice|diététicien|diététicienne|directeur|directrice|"
    r"éducateur|éducatrice|ergothérapeute|infirmier|infirmière|interprète|kinésithérapeute|médecin|médiateur|"
    r"médiatrice|orthophoniste|pharmacien|pharmacienne|psychologue|référent|référente|responsable|sage-femme|"
    r"secrétaire|secrétariat|service|standard|travailleur|travailleuse)\b",
    re.IGNORECASE,
)
#: Two to four words each with a capital first and small letters after: « Marie Dupont ».
_FULL_NAME = re.compile(r"^(?:[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?\s+){1,3}[A-ZÀ-Þ][a-zß-ÿ]+$")


def role_problem(text: str) -> str | None:
    """Why a role to ask for looks like a person's name, or None.

    It cannot prove a text is not a name; it refuses what names look like
    (a civility or title first, or only capitalised words), so that the usual
    mistake is caught and a role such as « secrétariat » passes.
    """
    stripped = text.strip()
    if _CIVILITY.match(stripped):
        return f"« {stripped} » commence comme le nom d'une personne"
    if _FULL_NAME.match(stripped) and not _ROLE_WORDS.match(stripped):
        return f"« {stripped} » ressemble au nom d'une personne"
    return None


def _check_role(value: LocalizedText) -> LocalizedText:
    for text in value.values.values():
        problem = role_problem(text)
        if problem:
            raise _fail(
                f"{problem} : écrivez la fonction à demander, comme 'secrétariat' ou 'assistante sociale de "
                "permanence', jamais le nom d'une personne (la fonction reste vraie quand la personne part)"
            )
    return value


#: The role to ask for (« secrétariat »), translatable: never a person's name (`role_problem`).
Role = Annotated[LocalizedText, NAME, AfterValidator(_check_role)]

#: Line breaks other than LF: some reader ends a line at each (RFC 5545 and CSV at CR, Python's
#: str.splitlines at all of them, Unicode at NEL, LS and PS), and an editor shows none of them.
LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_CHARACTER_NAMES = {
    0x00: "caractère nul",
    0x07: "sonnerie",
    0x08: "retour arrière",
    0x09: "tabulation",
    0x0A: "saut de ligne",
    0x0B: "tabulation verticale",
    0x0C: "saut de page",
    0x0D: "retour chariot",
    0x1B: "échappement",
    0x7F: "suppression",
    0x85: "ligne suivante",
    0x2028: "séparateur de ligne",
    0x2029: "séparateur de paragraphe",
    0x202D: "forçage gauche à droite",
    0x202E: "forçage droite à gauche",
}
#: Never in text: control characters (but tab and line feed), other line breaks, the overrides
#: that show the rest of a line reversed, and noncharacters.
_REFUSED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202d\u202e\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)
_LINE_RUN = re.compile(r"[ \t]*[\t\n][ \t\n]*")


def character_name(character: str) -> str:
    """'U+001B (échappement)': a character as a message names it."""
    code = ord(character)
    kind = "caractère de contrôle" if unicodedata.category(character) == "Cc" else "non-caractère"
    name = _CHARACTER_NAMES.get(code) or unicodedata.name(character, "").lower() or kind
    return f"U+{code:04X} ({name})"


#: YAML's short escapes, in double quotes, of the characters refused.
_YAML_ESCAPES = {0x00: "\\0", 0x07: "\\a", 0x08: "\\b", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x1B: "\\e"} | {
    0x85: "\\N",
    0x2028: "\\L",
    0x2029: "\\P",
}


def _refusal(value: str, match: re.Match[str], shape: TextShape) -> str:
    character = match.group()
    code = ord(character)
    before = value[max(0, match.start() - 20) : match.start()].lstrip()
    where = f"{character_name(character)} au caractère {french_number(match.start() + 1)}" + (
        f", après « {before.rstrip()} »" if before.strip() else ""
    )
    others = len(_REFUSED.findall(value)) - 1
    if others:
        where += f" (et {french_number(others)} autre{'s' if others > 1 else ''} de ce genre)"
    # In a record file, such a character comes from an escape in double quotes: YAML refuses most raw.
    written = [_YAML_ESCAPES[code]] if code in _YAML_ESCAPES else []
    written.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    escape = f" (entre guillemets doubles, il s'écrit {' ou '.join(written)})"
    if character in LINE_BREAKS:
        what = "un saut de ligne que les éditeurs ne montrent pas"
        todo = (
            "utilisez un saut de ligne ordinaire (une nouvelle ligne dans un bloc '|')"
            if shape.lines
            else "remplacez-le par une espace"
        )
    elif character in "\u202d\u202e":
        what, todo = "un signe qui affiche à l'envers le texte qui le suit", "enlevez-le"
    elif unicodedata.category(character) == "Cc":
        what, todo = "un caractère de contrôle, qu'aucune page ne montre mais qu'un terminal exécute", "enlevez-le"
    else:
        what, todo = "un non-caractère, qui n'est pas du texte", "enlevez-le"
    return f"{what} : {where} : {todo}{escape}"


def screen_text(value: str, shape: TextShape) -> tuple[str, str | None, str | None]:
    """(the text to validate, an error, a warning) for one string of a record, against its field's shape.

    An error for a character that has no place in text or for a text too long; a warning,
    and the text on one line, for a tab or a line break in a one-line text (a name).
    """
    refused = _REFUSED.search(value)
    if refused is not None:
        return value, _refusal(value, refused, shape), None
    size = len(value.strip())
    if size > shape.limit:
        return (
            value,
            f"{french_number(size)} caractères : {shape.what} en a au plus {french_number(shape.limit)} : "
            f"{shape.advice}",
            None,
        )
    if shape.lines is False and _LINE_RUN.search(value.strip()):
        found = "un saut de ligne" if "\n" in value.strip() else "une tabulation"
        return (
            _LINE_RUN.sub(" ", value.strip()),
            None,
            f"{found} dans {shape.what}, qui tient sur une ligne : on le lit comme une espace ; "
            "écrivez le texte sur une ligne",
        )
    return value, None, None


def _phone_shorthand(value: Any) -> Any:
    # `phones: ["01 99 00 12 34"]` (or an unquoted 3646) is accepted as well as `- number: ...`.
    if isinstance(value, bool):
        return value
    return {"number": str(value)} if isinstance(value, (str, int)) else value


PhoneShorthand = BeforeValidator(_phone_shorthand)


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    # Without this, pydantic would read `verified: 2026` as a Unix timestamp.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise _fail(f"« {value} » n'est pas une date : attendu AAAA-MM-JJ, comme 2026-11-23")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"« {value} » n'est pas une date qui existe : attendu AAAA-MM-JJ, comme 2026-11-23") from None
    return day


def _plausible_date(value: dt.date) -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise _fail(f"{value} est trop loin : attendu une date entre {FIRST_DATE.year} et {LAST_DATE.year}")
    return value


FIRST_DATE, LAST_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
Date = Annotated[
    dt.date,
    BeforeValidator(_iso_date),
    AfterValidator(_plausible_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _ISO_DATE.pattern}),
]


def _no_boolean(value: Any) -> Any:
    # pydantic would read `latitude: true` as 1.0
    if isinstance(value, bool):
        raise _fail(f"attendu un nombre, pas {str(value).lower()}")
    return value


Number = Annotated[float, BeforeValidator(_no_boolean)]


@dataclass(frozen=True)
class ServiceArea:
    """The communes a service or permanence serves: the whole territory, or a list."""

    everywhere: bool
    communes: tuple[str, ...] = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        codes = handler.generate_schema(list[InseeCode])

        def validate(value: Any, inner: Any) -> ServiceArea:
            if value == "territory":
                return cls(everywhere=True)
            if not isinstance(value, list):
                raise _fail(
                    "attendu 'territory' (tout le territoire) ou une liste de codes INSEE, comme ['35236', '35013']"
                )
            return cls(everywhere=False, communes=tuple(inner(value)))

        return core_schema.no_info_wrap_validator_function(validate, codes)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        codes = {"type": "array", "items": {"type": "string", "pattern": INSEE_PATTERN.pattern}}
        return {"anyOf": [{"const": "territory"}, codes]}


def _check_outline(value: Any) -> dict[str, Any]:
    # A boundary from a GeoJSON file (geo.api.gouv.fr, IGN Admin Express), checked with
    # the geojson package: right type, closed rings, longitude first, in range.
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise _fail("attendu une géométrie GeoJSON avec 'type: Polygon' ou 'type: MultiPolygon' et 'coordinates'")
    try:
        shape = geojson.GeoJSON.to_instance(value, strict=True)
    except (ValueError, TypeError, AttributeError) as error:
        raise _fail(f"{value.get('type')} GeoJSON non valide (selon la bibliothèque geojson : {error})") from None
    if not shape.is_valid:
        raise _fail(
            f"{value.get('type')} GeoJSON non valide (selon la bibliothèque geojson : {_flatten(shape.errors())})"
        )
    for lon, lat in _points(value["coordinates"]):
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _fail(
                f"le point ({lon}, {lat}) n'est pas une longitude et une latitude (la longitude vient en premier)"
            )
    return value


def _flatten(errors: Any) -> str:
    """The geojson package gives a message, or nested lists of them."""
    if isinstance(errors, str):
        return errors
    return "; ".join(dict.fromkeys(_flatten(e) for e in errors if e)) if errors else "invalid"


def _points(coordinates: Any) -> Any:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates
    else:
        for part in coordinates:
            yield from _points(part)


Outline = Annotated[dict[str, Any], BeforeValidator(_check_outline)]
