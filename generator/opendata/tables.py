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
from ..records.types import LocalizedText

JOIN = " | "


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string, number, date, integer
    description: str


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
    Column("street", "string", "street and number"),
    Column("postcode", "string", "postcode"),
    Column("commune_insee", "string", "INSEE code of the commune"),
    Column("commune", "string", "commune name"),
    Column("latitude", "number", "WGS 84 latitude"),
    Column("longitude", "number", "WGS 84 longitude"),
]
PROVENANCE_COLUMNS = [
    Column("verified", "date", "date the information was last checked"),
    Column("source", "string", "where the information comes from"),
    Column("page", "string", "the record's page on the portal"),
]

SERVICE_COLUMNS = [
    Column("id", "string", "identifier of the record (its file name)"),
    Column("name", "string", "name of the place"),
    Column("category", "string", "category id (taxonomy.yml)"),
    Column("category_label", "string", "category name"),
    Column("organization", "string", "who runs it"),
    Column("summary", "string", "one sentence on what it is for"),
    *ADDRESS_COLUMNS,
    Column("phones", "string", "phone numbers, ' | ' between them"),
    Column("email", "string", "e-mail address"),
    Column("website", "string", "web site"),
    Column("opening_hours", "string", "hours in OpenStreetMap opening_hours syntax"),
    Column("appointment", "string", "required, recommended or not_needed"),
    Column("cost", "string", "free, tiers_payant, sector_1, sector_2, paid; ' | ' between them"),
    Column("languages", "string", "languages spoken (ISO 639-1), ' | ' between them"),
    *PROVENANCE_COLUMNS,
]

PERMANENCE_COLUMNS = [
    Column("id", "string", "identifier of the record (its file name)"),
    Column("name", "string", "name of the drop-in session"),
    Column("held_by", "string", "service id or organisation that holds it"),
    Column("categories", "string", "category ids, ' | ' between them"),
    Column("place", "string", "where it takes place"),
    *ADDRESS_COLUMNS,
    Column("schedule", "string", "sessions in OpenStreetMap opening_hours syntax, like 'Tu[2] 09:00-12:00'"),
    Column("valid_from", "date", "first day the schedule applies"),
    Column("valid_until", "date", "last day the schedule applies"),
    Column("cancelled", "string", "cancelled dates, ' | ' between them"),
    Column("next_sessions", "string", "the coming sessions (start, ISO 8601), ' | ' between them"),
    Column("appointment", "string", "required, recommended or not_needed"),
    Column("cost", "string", "free, tiers_payant, sector_1, sector_2, paid; ' | ' between them"),
    Column("phones", "string", "phone numbers, ' | ' between them"),
    *PROVENANCE_COLUMNS,
]


def _address(directory: Directory, place: Any) -> list[Any]:
    """The cells of ADDRESS_COLUMNS for a place (a service, or where a permanence is held)."""
    address = place.address
    return [
        address.street,
        address.postcode,
        address.commune,
        directory.communes[address.commune].name,
        place.latitude,
        place.longitude,
    ]


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
                *_address(directory, s),
                _phones(s),
                s.email or "",
                s.website or "",
                s.opening_hours or "",
                s.appointment.policy.value if s.appointment else "",
                _join(c.value for c in s.cost),
                _join(s.languages),
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
                *_address(directory, place),
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


#: path -> (columns, rows)
CSV_TABLES: dict[str, tuple[list[Column], Callable[[Directory, str | None], list[list[Any]]]]] = {
    routes.SERVICES_CSV: (SERVICE_COLUMNS, _service_rows),
    routes.PERMANENCES_CSV: (PERMANENCE_COLUMNS, _permanence_rows),
}


# A spreadsheet runs a cell that starts with one of these as a formula: such text
# gets a leading apostrophe, which spreadsheets show as text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value  # numbers (a longitude of -2.08) stay numbers


def _csv(columns: list[Column], rows: list[list[Any]], separator: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([c.name for c in columns])
    writer.writerows([_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(directory: Directory, *, base_url: str | None, separator: str = ";") -> dict[str, bytes]:
    if separator not in (";", ","):
        raise ValueError(f"separator {separator!r}: expected ';' or ','")
    return {path: _csv(columns, make(directory, base_url), separator) for path, (columns, make) in CSV_TABLES.items()}
