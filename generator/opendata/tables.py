"""Services and permanences as CSV tables.

UTF-8 with a byte order mark, so that Excel reads accents right; `;` between
fields by default, as French spreadsheets expect (`,` on request); one row per
record, French text, ISO dates, several values in one cell separated by ' | '.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import routes
from ..i18n import SOURCE_LANGUAGE
from ..records.directory import Directory
from ..records.indicators import MONTH_DAYS, NEAREST, nearest_column, observatory
from ..records.models import AppointmentPolicy, Cost, NeighbourhoodKind, NewPatients, Service
from ..records.types import LocalizedText
from .jsontext import plain_breaks

JOIN = " | "


@dataclass(frozen=True)
class Column:
    """A column, and its Table Schema field in datapackage.json: what every row must hold."""

    name: str
    type: str  # Table Schema type: string, number, date, integer
    description: str
    required: bool = False  # never empty: the records always have it
    pattern: str | None = None  # Table Schema patterns are whole-value, without ^ and $
    enum: tuple[str, ...] = ()
    format: str | None = None  # "uri"
    bounds: tuple[float, float] | None = None

    def describe(self) -> dict[str, Any]:
        field: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.format:
            field["format"] = self.format
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.bounds:
            constraints["minimum"], constraints["maximum"] = self.bounds
        if constraints:
            field["constraints"] = constraints
        return field


def listed(item: str) -> str:
    """The pattern of a cell holding several `item`s, ' | ' between them."""
    return f"{item}( \\| {item})*"


#: Patterns of the cells; Table Schema's are XML Schema regular expressions: no ^, $ or (?:
ID = "[a-z0-9]+(-[a-z0-9]+)*"
INSEE = "([0-9]{2}|2A|2B)[0-9]{3}"
POSTCODE = "[0-9]{5}"
DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
DATETIME = f"{DATE}T[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?([+-][0-9]{{2}}:[0-9]{{2}}|Z)?"
LANGUAGE = "[a-z]{2,3}(-[A-Z]{2})?"
COSTS = listed("(" + "|".join(cost.value for cost in Cost) + ")")
APPOINTMENTS = tuple(policy.value for policy in AppointmentPolicy)


def _fr(value: LocalizedText | None) -> str:
    return "" if value is None else value.get("fr")[0]


def _join(values: Any) -> str:
    return JOIN.join(str(v) for v in values)


def _phones(record: Any) -> str:
    return _join(f"{p.number} ({_fr(p.label)})" if p.label else p.number for p in record.phones)


def record_url(base_url: str | None, page: str) -> str:
    """A record's page (a `routes` path) on the public site, in French; '' without `site_url`."""
    return routes.public_url(base_url, SOURCE_LANGUAGE, page)


ADDRESS_COLUMNS = [
    Column("street", "string", "street and number", required=True),
    Column("postcode", "string", "postcode", required=True, pattern=POSTCODE),
    Column("commune_insee", "string", "INSEE code of the commune", required=True, pattern=INSEE),
    Column("commune", "string", "commune name", required=True),
    Column("latitude", "number", "WGS 84 latitude", required=True, bounds=(-90, 90)),
    Column("longitude", "number", "WGS 84 longitude", required=True, bounds=(-180, 180)),
    Column("neighbourhood", "string", "code of the neighbourhood it is in (data/observatoire-quartiers.csv), if any"),
]
PROVENANCE_COLUMNS = [
    Column("verified", "date", "date the information was last checked", required=True),
    Column("source", "string", "where the information comes from", required=True),
    Column("page", "string", "the record's page on the portal (empty when the site has no address)", format="uri"),
]
ID_COLUMN = Column("id", "string", "identifier of the record (its file name)", required=True, pattern=ID)
APPOINTMENT_COLUMN = Column("appointment", "string", "required, recommended or not_needed", enum=APPOINTMENTS)
COST_COLUMN = Column(
    "cost", "string", "free, tiers_payant, sector_1, sector_2, paid; ' | ' between them", pattern=COSTS
)
PHONES_COLUMN = Column("phones", "string", "phone numbers, ' | ' between them")

SERVICE_COLUMNS = [
    ID_COLUMN,
    Column("name", "string", "name of the place", required=True),
    Column("category", "string", "category id (taxonomy.yml)", required=True, pattern=ID),
    Column("category_label", "string", "category name", required=True),
    Column("organization", "string", "who runs it"),
    Column("summary", "string", "one sentence on what it is for"),
    *ADDRESS_COLUMNS,
    PHONES_COLUMN,
    Column("email", "string", "e-mail address"),
    Column("website", "string", "web site", format="uri"),
    Column("opening_hours", "string", "hours in OpenStreetMap opening_hours syntax"),
    APPOINTMENT_COLUMN,
    COST_COLUMN,
    Column("languages", "string", "languages spoken (ISO 639-1), ' | ' between them", pattern=listed(LANGUAGE)),
    # Neither data·inclusion nor HSDS 3.0 has a field for it: the CSV is where it is published.
    Column(
        "new_patients",
        "string",
        "for practices: whether they take new patients (accepting, limited, waiting_list, not_accepting)",
        enum=tuple(status.value for status in NewPatients),
    ),
    Column("new_patients_checked", "date", "the date the practice said so (older than 3 months: to be checked)"),
    Column("new_patients_detail", "string", "who or how, in French: 'Seulement les enfants.'"),
    *PROVENANCE_COLUMNS,
]

PERMANENCE_COLUMNS = [
    ID_COLUMN,
    Column("name", "string", "name of the drop-in session", required=True),
    Column("held_by", "string", "service id or organisation that holds it", required=True),
    Column("categories", "string", "category ids, ' | ' between them", pattern=listed(ID)),
    Column("place", "string", "where it takes place"),
    *ADDRESS_COLUMNS,
    Column(
        "schedule",
        "string",
        "sessions in OpenStreetMap opening_hours syntax, like 'Tu[2] 09:00-12:00'",
        required=True,
    ),
    Column("valid_from", "date", "first day the schedule applies"),
    Column("valid_until", "date", "last day the schedule applies"),
    Column("cancelled", "string", "cancelled dates, ' | ' between them", pattern=listed(DATE)),
    Column(
        "next_sessions",
        "string",
        "the coming sessions (start, ISO 8601), ' | ' between them",
        pattern=listed(DATETIME),
    ),
    APPOINTMENT_COLUMN,
    COST_COLUMN,
    PHONES_COLUMN,
    *PROVENANCE_COLUMNS,
]


def _address(directory: Directory, place: Any, neighbourhood: str = "") -> list[Any]:
    """The cells of ADDRESS_COLUMNS for a place (a service, or where a permanence is held)."""
    address = place.address
    return [
        address.street,
        address.postcode,
        address.commune,
        directory.communes[address.commune].name,
        place.latitude,
        place.longitude,
        neighbourhood,
    ]


def _new_patients(service: Service) -> list[str]:
    answer = service.accepts_new_patients
    if answer is None:
        return ["", "", ""]
    return [answer.status.value, answer.checked.isoformat(), _fr(answer.detail)]


def _service_rows(directory: Directory, base_url: str | None) -> list[list[Any]]:
    rows = []
    for sid, s in directory.services.items():
        rows.append(
            [
                sid,
                _fr(s.name),
                s.category,
                _fr(directory.taxonomy.categories[s.category].label),
                _fr(s.organization),
                _fr(s.summary),
                *_address(directory, s, directory.neighbourhood_of.get(("services", sid), "")),
                _phones(s),
                s.email or "",
                s.website or "",
                s.opening_hours or "",
                s.appointment.policy.value if s.appointment else "",
                _join(c.value for c in s.cost),
                _join(s.languages),
                *_new_patients(s),
                s.verified.isoformat(),
                s.source,
                record_url(base_url, routes.service(sid)),
            ]
        )
    return rows


def _permanence_rows(directory: Directory, base_url: str | None) -> list[list[Any]]:
    rows = []
    for pid, p in directory.permanences.items():
        place = directory.place_of_permanence(pid)
        held = p.held_by.service or _fr(p.held_by.organization)
        rows.append(
            [
                pid,
                _fr(p.name),
                held,
                _join(p.categories),
                _fr(place.name),
                *_address(directory, place, directory.neighbourhood_of.get(("permanences", pid), "")),
                p.schedule,
                p.valid_from.isoformat() if p.valid_from else "",
                p.valid_until.isoformat() if p.valid_until else "",
                _join(d.isoformat() for d in p.cancelled),
                _join(session.start.isoformat() for session in directory.upcoming_sessions.get(pid, [])),
                p.appointment.policy.value if p.appointment else "",
                _join(c.value for c in p.cost),
                _phones(p),
                p.verified.isoformat(),
                p.source,
                record_url(base_url, routes.permanence(pid)),
            ]
        )
    return rows


KM = "km as the crow flies from the commune's town hall to the nearest "
OBSERVATORY_COLUMNS = [
    Column("insee", "string", "INSEE code of the commune", required=True, pattern=INSEE),
    Column("commune", "string", "name of the commune", required=True),
    Column("population", "integer", "inhabitants (territory.yml); empty when not given"),
    Column("population_year", "integer", "the year of the population figure"),
    Column("population_source", "string", "where the population figure comes from"),
    Column("gp_practices", "integer", "GP practices (regular_doctor categories) located in the commune", required=True),
    Column(
        "gp_accepting",
        "integer",
        "of which take new patients: last answer 'accepting', less than 3 months old",
        required=True,
    ),
    Column("gp_per_10000", "number", "gp_practices x 10,000 / population, one decimal"),
    Column("gp_accepting_per_10000", "number", "gp_accepting x 10,000 / population, one decimal"),
    Column("nearest_gp_accepting_km", "number", KM + "GP practice taking new patients; empty when none"),
    *(Column(nearest_column(cid), "number", KM + f"place or drop-in session of category {cid}") for cid in NEAREST),
    Column(
        "sessions_30_days",
        "integer",
        f"drop-in sessions held in the commune in the {MONTH_DAYS} days from as_of, cancelled and uncertain ones "
        "left out",
        required=True,
    ),
    Column("as_of", "date", "the day the figures were computed for", required=True),
]


def _observatory_rows(directory: Directory, base_url: str | None) -> list[list[Any]]:
    found = observatory(directory, ())
    return [
        [
            c.insee,
            c.name,
            c.population,
            c.population_year,
            c.population_source,
            c.gp_practices,
            c.gp_accepting,
            c.gp_per_10000,
            c.gp_accepting_per_10000,
            c.nearest_gp_accepting_km,
            *(c.nearest_km[cid] for cid in NEAREST),
            c.sessions_per_month,
            found.today.isoformat(),
        ]
        for c in found.communes
    ]


NEIGHBOURHOOD_KM = "km as the crow flies from the neighbourhood's point (or its outline's centroid) to the nearest "
NEIGHBOURHOOD_COLUMNS = [
    Column("code", "string", "the neighbourhood's code: a QPV's official code, or a local one", required=True),
    Column("name", "string", "name of the neighbourhood", required=True),
    Column(
        "kind",
        "string",
        "qpv (quartier prioritaire de la politique de la ville) or other",
        required=True,
        enum=tuple(kind.value for kind in NeighbourhoodKind),
    ),
    Column("insee", "string", "INSEE code of its commune", required=True, pattern=INSEE),
    Column("commune", "string", "name of its commune", required=True),
    Column("population", "integer", "inhabitants (territory.yml); empty when not given"),
    Column("population_year", "integer", "the year of the population figure"),
    Column("population_source", "string", "where the population figure comes from"),
    Column(
        "latitude",
        "number",
        "WGS 84 latitude of the point distances are measured from",
        required=True,
        bounds=(-90, 90),
    ),
    Column("longitude", "number", "WGS 84 longitude of that point", required=True, bounds=(-180, 180)),
    Column(
        "places", "integer", "places in the neighbourhood: named by their record, or inside its outline", required=True
    ),
    Column("drop_in_sessions", "integer", "drop-in sessions (permanences) in it that have not ended", required=True),
    Column("nearest_gp_accepting_km", "number", NEIGHBOURHOOD_KM + "GP practice taking new patients; empty when none"),
    *(
        Column(
            f"nearest_{cid.replace('-', '_')}_km",
            "number",
            NEIGHBOURHOOD_KM + f"place or drop-in session of category {cid}",
        )
        for cid in NEAREST
    ),
    Column("as_of", "date", "the day the figures were computed for", required=True),
]


def _neighbourhood_rows(directory: Directory, base_url: str | None) -> list[list[Any]]:
    found = observatory(directory, ())
    return [
        [
            q.code,
            q.name,
            q.kind,
            q.insee,
            q.commune,
            q.population,
            q.population_year,
            q.population_source,
            q.latitude,
            q.longitude,
            q.services,
            q.permanences,
            q.nearest_gp_accepting_km,
            *(q.nearest_km[cid] for cid in NEAREST),
            found.today.isoformat(),
        ]
        for q in found.neighbourhoods
    ]


#: path -> (columns, rows)
CSV_TABLES: dict[str, tuple[list[Column], Callable[[Directory, str | None], list[list[Any]]]]] = {
    routes.SERVICES_CSV: (SERVICE_COLUMNS, _service_rows),
    routes.PERMANENCES_CSV: (PERMANENCE_COLUMNS, _permanence_rows),
    routes.OBSERVATORY_CSV: (OBSERVATORY_COLUMNS, _observatory_rows),
    # Its own table, not a `level` column in observatoire.csv: its columns differ (code, kind,
    # places), and a second kind of row would break the commune table's primary key and schema.
    routes.NEIGHBOURHOODS_CSV: (NEIGHBOURHOOD_COLUMNS, _neighbourhood_rows),
}


# A spreadsheet runs a cell that starts with one of these as a formula: such text
# gets a leading apostrophe, which spreadsheets show as text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A CSV cell: text that a spreadsheet would run kept as text; every line break an LF, which the
    writer quotes (a row stays one row for any reader, RFC 4180), no control character."""
    if not isinstance(value, str):
        return value  # numbers (a longitude of -2.08) stay numbers
    value = plain_breaks(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _csv(columns: list[Column], rows: list[list[Any]], separator: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in columns])
    writer.writerows([cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(directory: Directory, *, base_url: str | None, separator: str = ";") -> dict[str, bytes]:
    if separator not in (";", ","):
        raise ValueError(f"separator {separator!r}: expected ';' or ','")
    return {path: _csv(columns, make(directory, base_url), separator) for path, (columns, make) in CSV_TABLES.items()}
