"""schema.org JSON-LD of the record pages, for search engines and other systems.

Each record page carries one ``<script type="application/ld+json">``:

- a service is the type its category names (`schema_org` in taxonomy.yml):
  a MedicalClinic, Hospital or Place with its address, point and opening
  hours, a Physician (an organisation) with that place as its `location`, or
  a GovernmentService offered at such a place (CPAM, CCAS, France Services);
- a permanence is an Event whose `eventSchedule` says "2nd Tuesday, 9:00-12:00";
- a dispositif is a GovernmentService pointing to its official pages.

The values are the page's own: the same `Localizer` text (French where the page
falls back to French), the same phone links, the same reading of the schedule
(`schedule.pattern`), the same dates. The builders return plain dicts, empty
values left out; `script_text` makes one safe inside an HTML <script> element.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from babel import Locale
from markupsafe import Markup

from .. import routes
from ..opendata.jsontext import without_markup
from ..records.directory import Directory, Place, is_shown
from ..records.freshness import is_current
from ..records.models import (
    Category,
    Cost,
    DispositifScope,
    NewPatients,
    Notice,
    NoticeKind,
    Permanence,
    Phone,
    SchemaType,
    Service,
)
from ..records.schedule import LAST, Pattern, Series, Session, pattern, series_of
from ..records.types import LocalizedText, ServiceArea
from . import views as v
from .context import RenderContext
from .localize import Localizer

SCHEMA = "https://schema.org"
JsonObject = dict[str, Any]

#: schema.org's DayOfWeek values, Monday first like `schedule.Recurrence.weekday`.
DAYS = tuple(
    f"{SCHEMA}/{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)

#: Types that are places: they carry the point, the map and the opening hours themselves.
#: A Physician is not one since schema.org 24 (an organisation): its place is its `location`.
PLACE_TYPES = frozenset({SchemaType.PLACE, SchemaType.MEDICAL_CLINIC, SchemaType.HOSPITAL})
#: Types that are organisations (MedicalOrganization): only they take an e-mail,
#: contact points and whether new patients are accepted.
ORGANIZATION_TYPES = frozenset({SchemaType.MEDICAL_CLINIC, SchemaType.HOSPITAL, SchemaType.PHYSICIAN})


# --- small pieces ------------------------------------------------------------


def _pruned(value: Any) -> Any:
    """The value without its empty parts: JSON-LD says nothing rather than null or ''."""
    if isinstance(value, dict):
        kept = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if not _empty(item)}
    if isinstance(value, list):
        return [item for item in map(_pruned, value) if not _empty(item)]
    return value


def _pruned_object(value: JsonObject) -> JsonObject:
    pruned: JsonObject = _pruned(value)
    return pruned


def _empty(value: Any) -> bool:
    # False stays: "does not accept new patients" is information.
    return value is None or value == "" or value == [] or value == {}


def _public(site_url: str | None, loc: Localizer, path: str) -> str | None:
    """The public address of a page (a `routes` path), None without a site_url."""
    return routes.public_url(site_url, loc.language, path) or None


def _text(value: LocalizedText | None, loc: Localizer) -> str | None:
    return loc.plain(value).strip() if value is not None else None


def _telephone(number: str, loc: Localizer) -> str:
    """The number the page's tel: link dials: E.164 ('+33199001600'), or a short number ('3646')."""
    return loc.phone(number).href.removeprefix("tel:")


def _time(value: dt.time, *, closing: bool = False) -> str:
    # A range ending at midnight closes the day: '23:59', the form search engines read.
    return "23:59" if closing and value == dt.time(0) else f"{value:%H:%M}"


def _free(costs: Sequence[Cost]) -> bool | None:
    # Only "free" is a claim; other costs say nothing either way.
    return True if Cost.FREE in costs else None


def _organization(name: LocalizedText | None, loc: Localizer, kind: str = "Organization") -> JsonObject | None:
    return {"@type": kind, "name": _text(name, loc)} if name is not None else None


def _contact_points(
    phones: Iterable[Phone], email: str | None, languages: Sequence[str], loc: Localizer
) -> list[JsonObject]:
    """One ContactPoint per number, named by its label; the e-mail goes with the first."""
    points: list[JsonObject] = [
        {
            "@type": "ContactPoint",
            "telephone": _telephone(phone.number, loc),
            "contactType": _text(phone.label, loc),
            "availableLanguage": list(languages),
        }
        for phone in phones
    ]
    if email:
        if not points:
            points.append({"@type": "ContactPoint", "availableLanguage": list(languages)})
        points[0]["email"] = email
    return points


def _audience(directory: Directory, publics: Sequence[str], loc: Localizer) -> list[JsonObject]:
    return [{"@type": "Audience", "audienceType": _text(directory.taxonomy.publics[p].label, loc)} for p in publics]


def _area(directory: Directory, area: ServiceArea | None, own_commune: str, loc: Localizer) -> Any:
    """The communes served; the whole territory by its name rather than as a long list."""
    if area is not None and area.everywhere:
        return {"@type": "AdministrativeArea", "name": _text(directory.territory.name, loc)}
    return [{"@type": "City", "name": directory.communes[insee].name} for insee in directory.area_of(area, own_commune)]


# --- places and opening hours --------------------------------------------------


def _address(directory: Directory, place: Place) -> JsonObject:
    """The postal address as the page writes it (in French, as the post reads it)."""
    address = place.address
    return {
        "@type": "PostalAddress",
        "streetAddress": ", ".join(part for part in (address.street, address.additional) if part),
        "postalCode": address.postcode,
        "addressLocality": directory.communes[address.commune].name,
        "addressCountry": "FR",
    }


def place(directory: Directory, where: Place, loc: Localizer, site_url: str | None) -> JsonObject:
    """A Place: name, address, point, map; its page's address when it is a service."""
    return {
        "@type": "Place",
        "name": _text(where.name, loc),
        "url": _public(site_url, loc, routes.service(where.service_id)) if where.service_id else None,
        "address": _address(directory, where),
        # To 5 decimals, as the page's map link gives it.
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": round(where.latitude, 5),
            "longitude": round(where.longitude, 5),
        },
        "hasMap": v.openstreetmap_url(where),
    }


def _hours(
    rule: str, start: dt.date, directory: Directory, valid: tuple[dt.date, dt.date] | None = None
) -> tuple[Pattern | None, list[JsonObject]]:
    """A rule's weekly hours as OpeningHoursSpecification, one per time range.

    Monthly openings ('1st Saturday') have no form there and are left out;
    `valid` bounds temporary hours.
    """
    found = pattern(rule, start, directory.calendar)
    bounds = {"validFrom": valid[0].isoformat(), "validThrough": valid[1].isoformat()} if valid else {}
    return found, [_weekly(s, bounds) for s in series_of(found) if not s.ordinals]


def _weekly(series: Series, bounds: JsonObject) -> JsonObject:
    return {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": [DAYS[day] for day in series.weekdays],
        "opens": _time(series.times[0]),
        "closes": _time(series.times[1], closing=True),
        **bounds,
    }


def _closed(first: dt.date, last: dt.date) -> JsonObject:
    # Closed all day: opens and closes at 00:00 over the dates, as search engines read it.
    return {
        "@type": "OpeningHoursSpecification",
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": first.isoformat(),
        "validThrough": last.isoformat(),
    }


def _dated(items: Sequence[Session]) -> list[JsonObject]:
    """Openings without a weekly pattern, each date on its own, as the page lists them."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "opens": _time(s.start.time()),
            "closes": _time(s.end.time(), closing=True),
            "validFrom": s.date.isoformat(),
            "validThrough": s.date.isoformat(),
        }
        for s in items
    ]


def _notice_hours(directory: Directory, notice: Notice) -> list[JsonObject]:
    """A closure or changed hours the page shows, bounded by its dates."""
    if notice.kind is NoticeKind.CLOSURE:
        return [_closed(notice.start, notice.end)]
    if notice.kind is NoticeKind.CHANGED_HOURS and notice.opening_hours:
        # Read from the day it starts (or today), as the page's notice box does.
        start = max(directory.today, notice.start)
        return _hours(notice.opening_hours, start, directory, (notice.start, notice.end))[1]
    return []


def opening_hours(directory: Directory, sid: str) -> list[JsonObject]:
    """A service's hours as the page shows them: the usual week, the public
    holidays it closes on, and the closures and changed hours of its notices."""
    service = directory.services[sid]
    if service.opening_hours is None:
        return []
    found, specs = _hours(service.opening_hours, directory.today, directory)
    if found is None:
        specs = _dated(v.next_openings(directory, sid))
    else:
        specs += [_closed(day, day) for day in found.holiday_closures]
    for notice in service.notices:
        if is_shown(notice, directory.today):
            specs += _notice_hours(directory, notice)
    return specs


# --- record pages --------------------------------------------------------------


def service(ctx: RenderContext, sid: str) -> JsonObject:
    """A service page: its category's type, or a GovernmentService at the place."""
    directory, loc, site_url = ctx.directory, ctx.loc, ctx.site.url
    record = directory.services[sid]
    category = directory.taxonomy.categories[record.category]
    at = {
        **place(directory, directory.place_of_service(sid), loc, site_url),
        "openingHoursSpecification": opening_hours(directory, sid),
    }
    contacts = _contact_points(record.phones, record.email, record.languages, loc)
    main_phone = _telephone(record.phones[0].number, loc) if record.phones else None
    if category.schema_org is SchemaType.GOVERNMENT_SERVICE:
        data = _government_service(directory, record, category, loc, at, contacts, main_phone)
    else:
        data = _care_place(record, category, loc, at, contacts, main_phone, directory.today)
    return _pruned_object({"@context": SCHEMA, **data})


def _care_place(
    record: Service,
    category: Category,
    loc: Localizer,
    at: JsonObject,
    contacts: list[JsonObject],
    main_phone: str | None,
    today: dt.date,
) -> JsonObject:
    """A place of care or help, as the type its category names."""
    kind = category.schema_org
    data: JsonObject = {
        "@type": kind.value,
        "description": loc.block_text(record.description),
        "telephone": main_phone,
        "sameAs": record.website,
    }
    if kind in PLACE_TYPES:
        data = {**at, **data, "isAccessibleForFree": _free(record.cost)}
    else:
        data |= {"name": at["name"], "url": at["url"], "address": at["address"], "location": at}
    if kind in ORGANIZATION_TYPES:
        data |= {
            "email": record.email,
            "contactPoint": contacts,
            "parentOrganization": _organization(record.organization, loc),
            "isAcceptingNewPatients": _accepting(record, category, today),
        }
    return data


def _accepting(record: Service, category: Category, today: dt.date) -> bool | None:
    """True or false only when the practice's answer is recent and says it for everyone: an old answer,
    or one for some patients only, is not a fact a search engine should repeat without its doubt."""
    answer = record.accepts_new_patients
    if answer is None or not category.takes_patients or not is_current(answer.checked, today):
        return None
    sure = {NewPatients.ACCEPTING: True, NewPatients.NOT_ACCEPTING: False, NewPatients.WAITING_LIST: False}
    return sure.get(answer.status)


def _government_service(
    directory: Directory,
    record: Service,
    category: Category,
    loc: Localizer,
    at: JsonObject,
    contacts: list[JsonObject],
    main_phone: str | None,
) -> JsonObject:
    """A public service (CPAM, CCAS, France Services) and the place where it is given."""
    return {
        "@type": "GovernmentService",
        "name": _text(record.name, loc),
        "description": loc.block_text(record.description),
        "url": at["url"],
        "serviceType": _text(category.label, loc),
        "provider": _organization(record.organization, loc, "GovernmentOrganization"),
        "areaServed": _area(directory, record.service_area, record.address.commune, loc),
        "audience": _audience(directory, record.publics, loc),
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": "EUR"} if _free(record.cost) else None,
        "availableChannel": {
            "@type": "ServiceChannel",
            "serviceLocation": {**at, "telephone": main_phone},
            "servicePhone": contacts,
            "serviceUrl": record.website,
            "availableLanguage": list(record.languages),
        },
    }


def _days_of(series: Series) -> JsonObject:
    """byDay and byMonthWeek: the 2nd Tuesday is Tuesday in week 2 of the month.

    byMonthWeek counts weeks 1 to 5 from the start of the month; "the last" has
    no place there, so such a series gives its days in iCalendar's form ('-1FR'),
    which byDay also accepts.
    """
    if LAST in series.ordinals:
        return {"byDay": series.byday}
    return {"byDay": [DAYS[day] for day in series.weekdays], "byMonthWeek": list(series.ordinals)}


def schedules(directory: Directory, pid: str) -> list[JsonObject]:
    """A permanence's schedule, one Schedule per time range, as the page's table says it.

    The dates it skips are those the page names: cancelled ones to come and
    the public holidays that close it in the coming weeks.
    """
    record = directory.permanences[pid]
    found = pattern(record.schedule, directory.today, directory.calendar)
    skipped = {d for d in record.cancelled if d >= directory.today} | set(found.holiday_closures if found else ())
    return [
        {
            "@type": "Schedule",
            "repeatFrequency": "P1M" if series.ordinals else "P1W",
            **_days_of(series),
            "startTime": _time(series.times[0]),
            "endTime": _time(series.times[1], closing=True),
            "startDate": record.valid_from.isoformat() if record.valid_from else None,
            "endDate": record.valid_until.isoformat() if record.valid_until else None,
            "exceptDate": sorted(d.isoformat() for d in skipped if d.weekday() in series.weekdays),
            "scheduleTimezone": directory.calendar.zone,
        }
        for series in series_of(found)
    ]


def _organizer(directory: Directory, record: Permanence, loc: Localizer, site_url: str | None) -> JsonObject:
    """Who holds the permanence, with the numbers and e-mail the page gives for it."""
    holder = record.held_by
    name = directory.services[holder.service].name if holder.service else holder.organization
    return {
        "@type": "Organization",
        "name": _text(name, loc),
        "url": _public(site_url, loc, routes.service(holder.service)) if holder.service else None,
        "contactPoint": _contact_points(record.phones, record.email, record.languages, loc),
    }


def permanence(ctx: RenderContext, pid: str) -> JsonObject:
    """A permanence page: an Event repeating on its schedule, dated by its next session."""
    directory, loc, site_url = ctx.directory, ctx.loc, ctx.site.url
    record = directory.permanences[pid]
    upcoming = directory.upcoming_sessions.get(pid, [])
    ended = directory.has_ended(pid)
    return _pruned_object(
        {
            "@context": SCHEMA,
            "@type": "Event",
            "name": _text(record.name, loc),
            "description": loc.block_text(record.description),
            "url": _public(site_url, loc, routes.permanence(pid)),
            # The next session, the first of the page's "next dates". schema.org would
            # leave the dates to the Schedule, but search engines read only these.
            "startDate": upcoming[0].start.isoformat() if upcoming else None,
            "endDate": upcoming[0].end.isoformat() if upcoming else None,
            "eventSchedule": schedules(directory, pid),
            # schema.org has no "ended" status: an ended permanence only says when it ended.
            "eventStatus": None if ended else f"{SCHEMA}/EventScheduled",
            "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
            "location": place(directory, directory.place_of_permanence(pid), loc, site_url),
            "organizer": _organizer(directory, record, loc, site_url),
            "isAccessibleForFree": _free(record.cost),
            "inLanguage": list(record.languages),
            "audience": _audience(directory, record.publics, loc),
        }
    )


def dispositif(ctx: RenderContext, did: str) -> JsonObject:
    """A dispositif page: a GovernmentService, reached through its official pages."""
    directory, loc, site_url = ctx.directory, ctx.loc, ctx.site.url
    record = directory.dispositifs[did]
    if record.scope is DispositifScope.NATIONAL:
        area = {"@type": "Country", "name": Locale.parse(loc.locale).territories.get("FR", "France")}
    else:
        area = {"@type": "AdministrativeArea", "name": _text(directory.territory.name, loc)}
    return _pruned_object(
        {
            "@context": SCHEMA,
            "@type": "GovernmentService",
            "name": _text(record.name, loc),
            "alternateName": _text(record.short_name, loc),
            "description": _text(record.summary, loc),
            "url": _public(site_url, loc, routes.dispositif(did)),
            "areaServed": area,
            "availableChannel": [
                {"@type": "ServiceChannel", "name": _text(link.title, loc), "serviceUrl": link.url}
                for link in record.links
            ],
        }
    )


# --- in the page -----------------------------------------------------------------


def script_text(data: JsonObject) -> Markup:
    """`data` as JSON text that is safe as the content of an HTML <script> element.

    '<', '>' and '&' become JSON escapes, so that a name such as '</script>' or
    '<!--' cannot end the element; JSON readers decode them back. One line:
    Markdown passes a raw HTML block through as it is.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(without_markup(text))
