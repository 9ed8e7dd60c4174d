"""Typed records: one model per record kind, named after the domain.

Field names follow data·inclusion (the French national schema) and Open
Referral HSDS where they have an equivalent, in English, so that the exports
are a mapping and not a rewrite. Every model forbids unknown keys: a typo such
as ``adress`` is an error, never silently ignored.

The `description` of each field is what a coordinator is told when the field
is missing or wrong, so it says what to write, with an example.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .types import (
    LINE,
    Date,
    DiPublic,
    DiThematique,
    Email,
    Id,
    InseeCode,
    LanguageCode,
    Line,
    LongText,
    Name,
    NeighbourhoodCode,
    NonEmptyText,
    Note,
    Number,
    OpeningHoursRule,
    Outline,
    PhoneNumber,
    PhoneShorthand,
    Postcode,
    Role,
    ServiceArea,
    ShortText,
    SourceText,
    Summary,
    Url,
    _fail,
)


class Record(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,  # `postcode: 35600` is read as "35600"
        allow_inf_nan=False,
    )


# --- enums -----------------------------------------------------------------


class AppointmentPolicy(str, Enum):
    REQUIRED = "required"
    RECOMMENDED = "recommended"
    NOT_NEEDED = "not_needed"


class NewPatients(str, Enum):
    """Whether a practice takes new patients (as médecin traitant, or as its dentist...)."""

    ACCEPTING = "accepting"
    LIMITED = "limited"  # some only: children, residents of the commune... (`detail` says who)
    WAITING_LIST = "waiting_list"  # not now, but one can put one's name down
    NOT_ACCEPTING = "not_accepting"


class Cost(str, Enum):
    """What a visit costs the resident (data·inclusion `frais`, refined for care)."""

    FREE = "free"  # gratuit
    TIERS_PAYANT = "tiers_payant"  # nothing to pay upfront
    SECTOR_1 = "sector_1"  # conventionné secteur 1: no extra fees
    SECTOR_2 = "sector_2"  # extra fees (dépassements) possible
    PAID = "paid"


class Interpreting(str, Enum):
    PHONE = "phone"  # interprétariat par téléphone
    ON_SITE = "on_site"  # interprète sur place
    SIGN_LANGUAGE = "sign_language"  # langue des signes française (LSF)


class WheelchairAccess(str, Enum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


class NoticeKind(str, Enum):
    CLOSURE = "closure"
    CHANGED_HOURS = "changed_hours"
    MESSAGE = "message"


class Symbol(str, Enum):
    """How a category is drawn on the maps: a shape (readable in black and white)."""

    CIRCLE = "circle"
    SQUARE = "square"
    TRIANGLE = "triangle"
    DIAMOND = "diamond"
    STAR = "star"


class HolidayCalendar(str, Enum):
    """Which public holidays apply, and the time zone: métropole, or where more holidays apply."""

    METROPOLE = "metropole"
    ALSACE_MOSELLE = "alsace-moselle"  # Good Friday and 26 December too
    GUADELOUPE = "guadeloupe"
    MARTINIQUE = "martinique"
    GUYANE = "guyane"
    LA_REUNION = "la-reunion"
    MAYOTTE = "mayotte"


class SchemaType(str, Enum):
    """What search engines are told a place is (its schema.org type)."""

    PLACE = "Place"
    MEDICAL_CLINIC = "MedicalClinic"
    HOSPITAL = "Hospital"
    PHYSICIAN = "Physician"
    GOVERNMENT_SERVICE = "GovernmentService"


class Pictogram(str, Enum):
    """The notions residents act on, drawn beside their words (never instead of them)."""

    FREE = "free"
    APPOINTMENT = "appointment"
    NO_APPOINTMENT = "no-appointment"
    DOCUMENTS = "documents"
    PHONE = "phone"
    ADDRESS = "address"
    INTERPRETER = "interpreter"
    WHEELCHAIR = "wheelchair"
    EMERGENCY = "emergency"
    HOURS = "hours"


class NeighbourhoodKind(str, Enum):
    """What a commune's neighbourhood is: a priority neighbourhood of the State, or a local one."""

    QPV = "qpv"  # quartier prioritaire de la politique de la ville, with its official code
    OTHER = "other"  # a neighbourhood the commune or the CLS names itself


class DispositifScope(str, Enum):
    NATIONAL = "national"
    LOCAL = "local"


class NetworkKind(str, Enum):
    """What kind of network professionals of the territory work in (shown as its French acronym)."""

    CPTS = "cpts"  # communauté professionnelle territoriale de santé
    CLS = "cls"  # contrat local de santé
    CLSM = "clsm"  # conseil local de santé mentale
    DAC = "dac"  # dispositif d'appui à la coordination
    CLIC = "clic"  # centre local d'information et de coordination gérontologique
    OTHER = "other"


# --- parts of records ------------------------------------------------------


class Address(Record):
    street: ShortText = Field(description="street and number, like '12 rue de la Gare'")
    additional: ShortText | None = Field(None, description="floor, building, entrance, like 'Bâtiment B, 1er étage'")
    postcode: Postcode = Field(description="5-digit postcode, like '35600'")
    commune: InseeCode = Field(description="INSEE code of the commune (not the postcode), like '35236'")


class Phone(Record):
    number: PhoneNumber = Field(description="phone number, like '01 99 00 12 34'")
    label: Name | None = Field(None, description="what this number is for, like 'Rendez-vous'")


Phones = list[Annotated[Phone, PhoneShorthand]]


class Appointment(Record):
    policy: AppointmentPolicy = Field(
        description="whether an appointment is needed: required, recommended or not_needed"
    )
    details: Note | None = Field(None, description="how to book, in plain words")
    url: Url | None = Field(None, description="online booking page, starting with https://")


class NewPatientsStatus(Record):
    """What a practice said about new patients, and when: it changes within weeks."""

    status: NewPatients = Field(description="accepting, limited (say who in 'detail'), waiting_list or not_accepting")
    checked: Date = Field(description="the date the practice said so, as YYYY-MM-DD, like 2026-11-02")
    detail: Note | None = Field(
        None, description="who, or how long, in plain words: 'Seulement les enfants', 'Attente de 6 mois'"
    )


class AgeRange(Record):
    min: int | None = Field(None, ge=0, le=120, description="youngest age, in years")
    max: int | None = Field(None, ge=0, le=120, description="oldest age, in years")

    @model_validator(mode="after")
    def _ordered(self) -> AgeRange:
        if self.min is None and self.max is None:
            raise _fail("donnez 'min', 'max' ou les deux, comme 'min: 11' et 'max: 25'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise _fail(f"'min' ({self.min}) est plus grand que 'max' ({self.max})")
        return self


class Accessibility(Record):
    wheelchair: WheelchairAccess | None = Field(None, description="wheelchair access: full, partial or none")
    acceslibre: Url | None = Field(None, description="the place's page on acceslibre.beta.gouv.fr")
    details: Note | None = Field(None, description="parking, lift, hearing loop...")


class Notice(Record):
    """Temporary information: shown only between `show_from` (or `start`) and `end`."""

    kind: NoticeKind = Field(description="closure, changed_hours or message")
    start: Date = Field(description="first day it applies, as YYYY-MM-DD")
    end: Date = Field(description="last day it applies, as YYYY-MM-DD")
    show_from: Date | None = Field(None, description="day from which to announce it, before it starts, as YYYY-MM-DD")
    message: Note | None = Field(None, description="what residents need to know")
    opening_hours: OpeningHoursRule | None = Field(None, description="the hours that apply instead, for changed_hours")

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, value: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and value < start:
            raise _fail(f"{value} est avant start ({start}) : l'information finit avant de commencer")
        return value

    @field_validator("show_from")
    @classmethod
    def _announced_before(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if value is not None and start is not None and value > start:
            raise _fail(f"{value} est après start ({start}) : annoncez une information avant qu'elle commence")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Notice:
        if self.kind is NoticeKind.CHANGED_HOURS and self.opening_hours is None:
            raise _fail("une information changed_hours a besoin de 'opening_hours', les horaires qui s'appliquent")
        if self.kind is not NoticeKind.CHANGED_HOURS and self.opening_hours is not None:
            raise _fail("'opening_hours' ne va qu'avec 'kind: changed_hours'")
        if self.kind is NoticeKind.MESSAGE and self.message is None:
            raise _fail("une information de type message a besoin de 'message'")
        return self


class EasyStep(Record):
    """One line of an easy-read text ("Facile à lire"): one short sentence, one idea."""

    text: Line = Field(description="one short sentence in common words, like 'Vous ne payez rien.'")
    icon: Pictogram | None = Field(
        None,
        description="a pictogram shown beside the sentence: free, appointment, no-appointment, documents, "
        "phone, address, interpreter, wheelchair, emergency or hours",
    )


#: An easy-read text: a list of steps, each a short sentence with an optional pictogram.
EasyText = Annotated[
    list[EasyStep],
    Field(
        default_factory=list,
        description="the easy-read version (Facile à lire): short sentences, one idea per line",
    ),
]


class GuideEasyStep(Record):
    """One easy-read line of a hand-written guide, in the guide's own language (its front matter)."""

    text: Annotated[NonEmptyText, LINE] = Field(description="one short sentence in common words")
    icon: Pictogram | None = Field(None, description="a pictogram shown beside the sentence")


class GuideFrontMatter(BaseModel):
    """What the generator reads of a guide's front matter; MkDocs and the theme read the rest."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    easy: list[GuideEasyStep] = Field(
        default_factory=list,
        description="the guide in easy-read (Facile à lire): short sentences, one idea per line",
    )


class Link(Record):
    title: Name = Field(description="what the link leads to, like 'La CSS sur ameli.fr'")
    url: Url = Field(description="the address, starting with https://")


class Professional(Record):
    """What only professionals who orient someone see: the professionals' edition shows it, the
    public site never does (`Directory.without_professional`)."""

    # an empty part is refused (`_something`): editors checking against the schema see it too
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    referral: Note | None = Field(
        None,
        description="how a professional refers someone, like 'Fiche de liaison par courriel, puis appel du secrétariat'",
    )
    referral_form: Url | None = Field(None, description="the referral form (fiche de liaison), starting with https://")
    delay: Line | None = Field(None, description="the usual delay before the person is seen, like 'Sous 15 jours'")
    phone: PhoneNumber | None = Field(None, description="the line for professionals, like '01 99 00 12 34'")
    email: Email | None = Field(None, description="the address for professionals, like 'partenaires@example.org'")
    ask_for: Role | None = Field(
        None,
        description="the role to ask for, like 'secrétariat' or 'assistante sociale de permanence' (never a "
        "person's name: the role stays true when the person leaves)",
    )
    networks: list[Id] = Field(
        default_factory=list, description="the networks it belongs to, by their id under 'networks' in territory.yml"
    )
    notes: Note | None = Field(None, description="what partners should know, like 'Pas d'accueil sans rendez-vous'")

    @model_validator(mode="after")
    def _something(self) -> Professional:
        if not self.model_fields_set:
            raise _fail(
                "dites quelque chose aux professionnels (referral, referral_form, delay, phone, email, ask_for, "
                "networks ou notes), ou supprimez 'professional'"
            )
        return self


class Network(Record):
    """A network of professionals of the territory (CPTS, CLS, CLSM, DAC, CLIC...)."""

    id: Id = Field(description="its id, that records give under professional.networks, like 'cpts-pays-de-redon'")
    label: Name = Field(description="its name, like 'CPTS du Pays de Redon'")
    kind: NetworkKind = Field(description="cpts, cls, clsm, dac, clic or other")
    website: Url | None = Field(None, description="its website, starting with https://")
    description: Note | None = Field(None, description="what it does, in a sentence or two")


# --- records ---------------------------------------------------------------


class Provenance(Record):
    """Fields every record carries: when it was checked and where it comes from."""

    verified: Date = Field(description="the date someone last checked this information, as YYYY-MM-DD")
    source: SourceText = Field(description="where the information comes from, like 'Appel à l'accueil' or a web page")


class Offer(Provenance):
    """What services and permanences both say: how to come, for whom, in which languages."""

    appointment: Appointment | None = None
    cost: list[Cost] = Field(default_factory=list)
    cost_details: Note | None = None
    publics: list[Id] = Field(default_factory=list)
    phones: Phones = Field(default_factory=list)
    email: Email | None = None
    languages: list[LanguageCode] = Field(default_factory=list)
    interpreting: list[Interpreting] = Field(default_factory=list)
    dispositifs: list[Id] = Field(default_factory=list)
    service_area: ServiceArea | None = Field(
        None, description="'territory', or a list of INSEE codes; default: its own commune"
    )
    neighbourhood: NeighbourhoodCode | None = Field(
        None, description="the code of the neighbourhood of its commune it is in (territory.yml), like 'QN03501A'"
    )
    notices: list[Notice] = Field(default_factory=list)
    professional: Professional | None = Field(
        None, description="for professionals only: shown by the professionals' edition, never on the public site"
    )


class Service(Offer):
    """A place or structure a resident can go to."""

    name: Name = Field(description="the name residents know, like 'PASS de l'hôpital de Redon'")
    category: Id = Field(description="a category id from taxonomy.yml, like 'msp'")
    other_categories: list[Id] = Field(default_factory=list)
    organization: Name | None = Field(None, description="who runs it")
    summary: Summary | None = Field(None, description="one sentence on what it is for")
    description: LongText = Field(description="what the service does, in plain language")
    address: Address
    latitude: Number = Field(ge=-90, le=90, description="latitude in degrees, like 47.65")
    longitude: Number = Field(ge=-180, le=180, description="longitude in degrees, like -2.08")
    website: Url | None = None
    opening_hours: OpeningHoursRule | None = Field(
        None, description="OpenStreetMap opening_hours, like 'Mo-Fr 08:30-12:00; PH off'"
    )
    age: AgeRange | None = None
    accessibility: Accessibility | None = None
    conditions: LongText | None = None
    documents: list[Line] = Field(default_factory=list)
    accepts_new_patients: NewPatientsStatus | None = Field(
        None,
        description="for practices: whether they take new patients, and the date they said so, like "
        "{status: accepting, checked: 2026-11-02}",
    )

    @model_validator(mode="before")
    @classmethod
    def _undated_new_patients(cls, data: Any) -> Any:
        return dated_new_patients(data)


def dated_new_patients(data: Any) -> Any:
    """A service's data with `accepts_new_patients: true` (or false), as written before the answer had
    its own date, read as said on the record's `verified` date, which is what it meant. `check` warns
    at its line; the spreadsheet shows it so too."""
    if isinstance(data, dict) and isinstance(data.get("accepts_new_patients"), bool) and data.get("verified"):
        status = NewPatients.ACCEPTING if data["accepts_new_patients"] else NewPatients.NOT_ACCEPTING
        return {**data, "accepts_new_patients": {"status": status.value, "checked": data["verified"]}}
    return data


class HeldBy(Record):
    service: Id | None = Field(None, description="id of the service that holds it")
    organization: Name | None = Field(None, description="name of the organisation")

    @model_validator(mode="after")
    def _one(self) -> HeldBy:
        if self.service is not None and self.organization is not None:
            raise _fail("donnez soit 'service' (un identifiant), soit 'organization' (un nom), pas les deux")
        if self.service is None and self.organization is None:
            raise _fail("dites qui la tient : 'service' (l'identifiant d'un service) ou 'organization' (un nom)")
        return self


class Location(Record):
    """Where a permanence takes place: a service's premises, or a place of its own."""

    service: Id | None = Field(None, description="id of the host service")
    name: Name | None = Field(None, description="name of the place, like 'Mairie de Pipriac'")
    address: Address | None = None
    latitude: Number | None = Field(None, ge=-90, le=90)
    longitude: Number | None = Field(None, ge=-180, le=180)

    @model_validator(mode="after")
    def _one(self) -> Location:
        place = (self.name, self.address, self.latitude, self.longitude)
        if self.service is not None:
            if any(part is not None for part in place):
                raise _fail(
                    "donnez soit 'service' (l'identifiant du lieu d'accueil), soit le lieu lui-même "
                    "(name, address, latitude, longitude), pas les deux"
                )
        elif any(part is None for part in place):
            raise _fail(
                "donnez 'service' (l'identifiant du lieu d'accueil), ou bien name, address, latitude et longitude"
            )
        return self


class Permanence(Offer):
    """A scheduled drop-in session held by an organisation at a host place."""

    name: Name = Field(description="like 'Permanence de l'Assurance Maladie'")
    held_by: HeldBy
    location: Location
    description: LongText = Field(description="what residents can come for")
    categories: list[Id] = Field(default_factory=list)
    schedule: OpeningHoursRule = Field(description="OpenStreetMap opening_hours, like 'Tu[2] 09:00-12:00; PH off'")
    valid_from: Date | None = None
    valid_until: Date | None = None
    cancelled: list[Date] = Field(default_factory=list)

    @field_validator("valid_until")
    @classmethod
    def _after_start(cls, value: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("valid_from")
        if value is not None and start is not None and value < start:
            raise _fail(f"{value} est avant valid_from ({start}) : la période finit avant de commencer")
        return value


class Dispositif(Provenance):
    """A rights-access scheme or programme (CSS, AME, PASS...)."""

    name: Name = Field(description="like 'Complémentaire santé solidaire'")
    short_name: Name | None = Field(None, description="like 'CSS'")
    scope: DispositifScope = DispositifScope.NATIONAL
    summary: Summary = Field(description="one plain sentence saying what it is")
    benefits: LongText = Field(description="what it gives")
    eligibility: LongText = Field(description="who can get it")
    steps: list[Line] = Field(min_length=1, description="how to ask for it, one step per item")
    documents: list[Line] = Field(default_factory=list)
    cost: LongText | None = Field(None, description="what it costs, if anything")
    links: list[Link] = Field(min_length=1, description="official pages (ameli.fr, service-public.fr)")
    categories: list[Id] = Field(default_factory=list, description="categories of services that help with it")
    guides: list[Id] = Field(default_factory=list, description="guides to read, by file name")
    easy: EasyText


class Population(Record):
    """How many people live in a commune, as a census said: the observatory divides by it."""

    count: int = Field(ge=1, description="inhabitants, like 9500")
    year: int = Field(ge=1800, le=2100, description="the year the figure is for, like 2021")
    source: ShortText = Field(description="where the figure comes from, like 'INSEE, recensement 2021'")


class Point(Record):
    latitude: Number = Field(ge=-90, le=90, description="latitude in degrees, like 47.65")
    longitude: Number = Field(ge=-180, le=180, description="longitude in degrees, like -2.08")


class Neighbourhood(Record):
    """A neighbourhood of a commune: a priority neighbourhood (QPV) or a local one, with a point or an outline."""

    code: NeighbourhoodCode = Field(
        description="for a QPV its official code, like 'QN03501A'; else a local code, like 'redon-gare'"
    )
    name: ShortText = Field(description="the name residents know, like 'Bellevue'")
    kind: NeighbourhoodKind = Field(description="'qpv' (quartier prioritaire de la politique de la ville) or 'other'")
    point: Point | None = Field(None, description="its centre, like {latitude: 47.65, longitude: -2.08}")
    outline: Outline | None = Field(
        None, description="its boundary, a GeoJSON Polygon or MultiPolygon (longitude first), as for a commune"
    )
    population: Population | None = Field(None, description="its population, with the year and the source")

    @model_validator(mode="after")
    def _placed(self) -> Neighbourhood:
        if self.point is None and self.outline is None:
            raise _fail(
                "dites où est le quartier : 'point' ({latitude: 47.65, longitude: -2.08}) ou 'outline' "
                "(un Polygon GeoJSON, longitude d'abord)"
            )
        return self


class Commune(Record):
    insee: InseeCode = Field(description="INSEE code, like '35236'")
    name: ShortText
    postcodes: list[Postcode] = Field(min_length=1)
    latitude: Number = Field(ge=-90, le=90)
    longitude: Number = Field(ge=-180, le=180)
    outline: Outline | None = Field(
        None, description="the commune's boundary, a GeoJSON Polygon or MultiPolygon (longitude first)"
    )
    population: Population | None = Field(None, description="its population, with the year and the source")
    neighbourhoods: list[Neighbourhood] = Field(
        default_factory=list, description="its neighbourhoods (QPV or local ones) records may name"
    )


class Publisher(Record):
    name: Name
    email: Email | None = None
    website: Url | None = None


class Territory(Record):
    name: Name = Field(description="like 'Redon Agglomération'")
    description: LongText = Field(description="what the portal is for, shown on the home page")
    publisher: Publisher | None = None
    holidays: HolidayCalendar = Field(
        HolidayCalendar.METROPOLE,
        description=(
            "which public holidays apply: metropole, alsace-moselle, guadeloupe, "
            "martinique, guyane, la-reunion or mayotte"
        ),
    )
    area_margin_km: float = Field(5.0, ge=0, le=100, description="how far outside the communes a place may lie")
    communes: list[Commune] = Field(min_length=1)
    networks: list[Network] = Field(
        default_factory=list,
        description="the networks of professionals (CPTS, CLS, CLSM, DAC, CLIC...) records may belong to",
    )
    translations_to_review: dict[LanguageCode, SourceText] = Field(
        default_factory=dict,
        description=(
            "languages whose record translations still need a native speaker's review (machine-assisted, "
            "for example), each with a note for translators; `check` reminds of them"
        ),
    )


class Category(Record):
    label: Name
    description: LongText | None = None
    symbol: Symbol = Field(
        Symbol.CIRCLE, description="its shape on the maps: circle, square, triangle, diamond or star"
    )
    practice: bool = Field(
        False,
        description="true for practices that keep their own patients (doctors, dentists...): their records "
        "may say whether they take new patients, and the page of those who do lists them",
    )
    regular_doctor: bool = Field(
        False,
        description="true where one can choose one's médecin traitant (general practitioners, maisons and "
        "centres de santé); implies practice",
    )
    schema_org: SchemaType = Field(
        SchemaType.PLACE,
        description="what search engines are told such a place is: Place, MedicalClinic, Hospital, "
        "Physician or GovernmentService",
    )
    data_inclusion: list[DiThematique] = Field(
        default_factory=list,
        description="the data·inclusion thématiques of such places, like 'sante--acces-aux-soins' "
        "(used by the open data export and the import)",
    )

    @property
    def takes_patients(self) -> bool:
        """Whether its places may say if they take new patients (`practice`, or `regular_doctor`)."""
        return self.practice or self.regular_doctor


class Public(Record):
    label: Name
    description: LongText | None = None
    data_inclusion: list[DiPublic] = Field(
        default_factory=list,
        description="the data·inclusion publics it stands for, like 'personnes-exilees'",
    )


class Taxonomy(Record):
    categories: dict[Id, Category] = Field(min_length=1)
    publics: dict[Id, Public] = Field(default_factory=dict)


# --- orientation pathways --------------------------------------------------


class Answer(Record):
    label: Name = Field(description="the answer as the resident would say it, like 'Oui' or 'Je ne sais pas'")
    next: Id = Field(description="the id of the next question, or of an outcome")


class Question(Record):
    question: Name = Field(description="one short question, like 'Avez-vous une carte Vitale ?'")
    help: LongText | None = Field(None, description="a sentence that helps answer")
    answers: list[Answer] = Field(min_length=2, max_length=5, description="2 to 5 answers")
    easy: EasyText


class Outcome(Record):
    """Where a pathway ends: what applies, where to go, what to bring."""

    title: Name = Field(description="what to do, like 'Demandez la Complémentaire santé solidaire'")
    advice: LongText = Field(description="plain advice: short sentences, one idea each")
    call: list[PhoneNumber] = Field(default_factory=list, description="numbers to call now, like ['15', '112']")
    dispositifs: list[Id] = Field(default_factory=list)
    categories: list[Id] = Field(default_factory=list, description="kinds of places that help")
    documents: list[Line] = Field(default_factory=list, description="what to bring")
    guides: list[Id] = Field(default_factory=list, description="guides to read, by file name")
    new_patients: bool = Field(
        False,
        description="true: link to the list of the practices that take new patients (the commune's, on the "
        "outcome's page for a commune)",
    )
    easy: EasyText


class Pathway(Provenance):
    """A short question-and-answer guide from a resident's situation to what applies."""

    label: Name = Field(description="the situation, for the home page tile: 'Je n'ai pas de médecin traitant'")
    summary: Summary | None = None
    order: int = Field(100, description="place on the home page: smaller comes first")
    emergency: bool = Field(False, description="show 'if in danger now, call 15 or 112' on every page")
    start: Id = Field(description="the id of the first question")
    questions: dict[Id, Question] = Field(min_length=1)
    outcomes: dict[Id, Outcome] = Field(min_length=1)
    guides: list[Id] = Field(default_factory=list)
