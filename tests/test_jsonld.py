"""schema.org JSON-LD on record pages: one valid object per page, the type its
category names, and the values the page itself shows, read back from the page.

Only the standard library reads it: the JSON is parsed, and its values are
compared with what the rendered HTML says (title, phone link, address, hours
table, next dates), in French and in Arabic.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from babel.dates import get_day_names

from generator.render import Localizer
from generator.render.hours import ORDINALS

from helpers import DEMO_SITE_URL, load_directory, render_pages, to_html

SITE = DEMO_SITE_URL  # the demo's site_url: demo_pages are rendered as its build renders them
SCHEMA = "https://schema.org"
DAYS = [f"{SCHEMA}/{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")]
LANGUAGES = ("fr", "ar")
#: A name that would end the script element, start another one, and open a comment.
HOSTILE = 'Maison </script><script>alert(1)</script> <!-- & "quotes" </SCRIPT >'


# --- reading a page ----------------------------------------------------------


class PageFacts(HTMLParser):
    """What a record page shows, read from its HTML: the facts its JSON-LD repeats."""

    VOID = frozenset({"br", "img", "input", "hr", "meta", "link", "source", "wbr", "col", "area"})

    def __init__(self, markdown_page: str) -> None:
        super().__init__()
        self.open: list[tuple[str, list[str]]] = []  # each open element: tag, classes
        self.scripts: list[list[str]] = []  # [type, text]
        self.title = ""
        self.phones: list[str] = []  # tel: links
        self.address: list[str] = [""]
        self.hours: list[list[str]] = []  # rows of the usual hours table: [days, times]
        self.closures: list[str] = []  # "Closed on ... (public holiday)."
        self.dates: list[str] = []  # the next dates
        self.cancelled: list[str] = []
        self.held_by = ""
        self.place_name = ""
        self.feed(to_html(markdown_page.split("---\n", 2)[2]))
        self.close()
        self.address = [line.strip() for line in self.address if line.strip()]

    def _within(self, css: str) -> bool:
        return any(css in classes for _, classes in self.open)

    def _in(self, tag: str) -> bool:
        return any(t == tag for t, _ in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in self.VOID:
            if tag == "br" and self._within("portal-address"):
                self.address.append("")
            return
        classes = (attributes.get("class") or "").split()
        self.open.append((tag, classes))
        usual = self._within("portal-hours") and not self._within("portal-notice")
        if tag == "script":
            self.scripts.append([attributes.get("type") or "", ""])
        elif tag == "a" and "portal-phone" in classes:
            self.phones.append(attributes["href"] or "")
        elif tag == "tr" and usual:
            self.hours.append([])
        elif tag in ("th", "td") and usual:
            self.hours[-1].append("")
        elif tag == "p" and "portal-hours__closure" in classes and not self._within("portal-notice"):
            self.closures.append("")
        elif tag == "li" and self._within("portal-dates"):
            self.dates.append("")
        elif tag == "p" and "portal-cancelled" in classes:
            self.cancelled.append("")
        elif tag == "a" and self._within("portal-lead"):
            self.held_by = ""

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.open:
            return
        tag, _classes = self.open[-1]
        if tag == "script":
            self.scripts[-1][1] += data
        elif self._in("h1"):
            self.title += data
        elif self._within("portal-address"):
            self.address[-1] += data
        elif self._in("th") or self._in("td"):
            if self.hours and self.hours[-1]:
                self.hours[-1][-1] += data
        elif self._within("portal-hours__closure") and self.closures:
            self.closures[-1] += data
        elif self._within("portal-dates") and self.dates:
            self.dates[-1] += data
        elif self._within("portal-cancelled"):
            self.cancelled[-1] += data
        elif self._within("portal-lead") and tag == "a":
            self.held_by += data
        elif self._in("address") and tag == "strong":
            self.place_name += data

    def linked_data(self) -> dict[str, Any]:
        """The page's one JSON-LD object."""
        found = [text for kind, text in self.scripts if kind == "application/ld+json"]
        assert len(found) == 1, f"{len(found)} JSON-LD scripts"
        return json.loads(found[0])


_TIME = re.compile(r"(\d{1,2})(?:\s*h\s*(\d{2})?|:(\d{2}))")


def times_in(text: str) -> list[tuple[str, str]]:
    """'8 h 30 – 12 h 30 et 13 h 30 – 16 h 30' or '08:30 – 12:30' -> [('08:30', '12:30'), ...]."""
    times = [f"{int(h):02d}:{int(m or n or 0):02d}" for h, m, n in _TIME.findall(text)]
    return list(zip(times[::2], times[1::2], strict=True))


def weekdays_in(text: str, language: str) -> set[int]:
    """The weekdays a row names, 0 for Monday: 'Lundi à vendredi', 'الاثنين والجمعة'."""
    loc = Localizer(language)
    wide = get_day_names("wide", locale=loc.locale)
    names = [wide[day].lower() for day in range(7)]
    # How the language says a range of days: "%(first)s à %(last)s" in French.
    to = str(loc.gettext("%(first)s to %(last)s", first="\x00", last="\x01")).split("\x00")[1].split("\x01")[0]
    text = text.lower()
    found = sorted((text.find(name), day) for day, name in enumerate(names) if name in text)
    days = {day for _, day in found}
    for (start, first), (end, last) in itertools.pairwise(found):
        if text[start + len(names[first]) : end] == to:
            days.update(range(first, last + 1))
    return days


def weekly_hours(specs: list[dict[str, Any]]) -> set[tuple[int, str, str]]:
    return {
        (DAYS.index(day), spec["opens"], spec["closes"])
        for spec in specs
        if "validFrom" not in spec
        for day in spec["dayOfWeek"]
    }


def page_hours(facts: PageFacts, language: str) -> set[tuple[int, str, str]]:
    return {
        (day, opens, closes)
        for days, times in facts.hours
        for day in weekdays_in(days, language)
        for opens, closes in times_in(times)
    }


def assert_same_hours(specs: list[dict[str, Any]], facts: PageFacts, language: str) -> None:
    assert weekly_hours(specs) == page_hours(facts, language) != set()
    closed = [dt.date.fromisoformat(s["validFrom"]) for s in specs if s.get("validFrom") and s["opens"] == s["closes"]]
    assert len(closed) == len(facts.closures) > 0
    for day, line in zip(closed, facts.closures, strict=True):
        assert str(day.day) in line and str(day.year) in line


def read(page: str, kind: str) -> tuple[PageFacts, dict[str, Any]]:
    """A record page's facts and JSON-LD, checked to be a `kind` named as the page's title."""
    facts = PageFacts(page)
    data = facts.linked_data()
    assert data["@type"] == kind and data["name"] == facts.title.strip()
    return facts, data


def assert_same_place(where: dict[str, Any], facts: PageFacts) -> None:
    address = where["address"]
    assert address["@type"] == "PostalAddress" and address["addressCountry"] == "FR"
    assert address["streetAddress"] == ", ".join(facts.address[:-1])
    assert f"{address['postalCode']} {address['addressLocality']}" == facts.address[-1]
    assert where["geo"]["@type"] == "GeoCoordinates"


def all_values(data: Any, key: str) -> list[Any]:
    """Every value of `key`, at any depth."""
    if isinstance(data, dict):
        return [v for k, item in data.items() for v in ([item] if k == key else []) + all_values(item, key)]
    if isinstance(data, list):
        return [v for item in data for v in all_values(item, key)]
    return []


# --- every record page ---------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_record_page_has_one_schema_org_object_of_its_category_type(demo_pages, demo_directory, language):
    pages = demo_pages[language]
    for sid, service in demo_directory.services.items():
        data = PageFacts(pages[f"services/{sid}.md"]).linked_data()
        assert data["@context"] == SCHEMA
        assert data["@type"] == demo_directory.taxonomy.categories[service.category].schema_org.value
        assert data["url"] == f"{SITE}{language}/services/{sid}/"
    for pid in demo_directory.permanences:
        data = PageFacts(pages[f"permanences/{pid}.md"]).linked_data()
        assert (data["@context"], data["@type"]) == (SCHEMA, "Event")
    for did in demo_directory.dispositifs:
        data = PageFacts(pages[f"dispositifs/{did}.md"]).linked_data()
        assert (data["@context"], data["@type"]) == (SCHEMA, "GovernmentService")
        assert data["availableChannel"][0]["serviceUrl"].startswith("https://")
    assert "application/ld+json" not in pages["index.md"] + pages["communes/redon.md"]


def test_each_kind_of_place_gets_its_schema_org_type(demo_pages):
    pages = demo_pages["fr"]
    expected = {
        "msp-redon": "MedicalClinic",
        "centre-sante-redon": "MedicalClinic",
        "hopital-trois-rivieres": "Hospital",
        "cabinet-medical-redon": "Physician",
        "maison-ados-redon": "Place",
        "accueil-assurance-maladie-redon": "GovernmentService",
        "ccas-redon": "GovernmentService",
        "france-services-redon": "GovernmentService",
    }
    types = {sid: PageFacts(pages[f"services/{sid}.md"]).linked_data()["@type"] for sid in expected}
    assert types == expected
    # Since schema.org 24 a Physician is an organisation: its place and hours are its location.
    physician = PageFacts(pages["services/cabinet-medical-redon.md"]).linked_data()
    assert "geo" not in physician and "openingHoursSpecification" not in physician
    assert physician["location"]["@type"] == "Place" and physician["location"]["openingHoursSpecification"]


# --- the page's own values, in French and in Arabic -------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_health_centre_says_what_its_page_shows(demo_pages, language):
    facts, data = read(demo_pages[language]["services/msp-redon.md"], "MedicalClinic")
    assert data["telephone"] == facts.phones[0].removeprefix("tel:") == "+33199001950"
    assert [p["telephone"] for p in data["contactPoint"]] == [p.removeprefix("tel:") for p in facts.phones]
    assert_same_place(data, facts)
    assert_same_hours(data["openingHoursSpecification"], facts, language)
    assert data["isAcceptingNewPatients"] is False  # the page says it does not accept new patients
    assert "isAccessibleForFree" not in data  # secteur 1, tiers payant: not free


def test_names_are_in_the_page_language(demo_pages):
    french, arabic = (PageFacts(demo_pages[lang]["services/msp-redon.md"]).linked_data() for lang in LANGUAGES)
    assert french["name"] == "Maison de santé du Canal" and arabic["name"] == "دار الصحة في القناة"
    assert arabic["contactPoint"][0]["contactType"] == "السكرتارية"
    # The address stays as the post reads it, as on the page.
    assert arabic["address"] == french["address"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_health_insurance_office_is_a_government_service_at_a_place(demo_pages, language):
    facts, data = read(demo_pages[language]["services/accueil-assurance-maladie-redon.md"], "GovernmentService")
    assert data["provider"] == {
        "@type": "GovernmentOrganization",
        "name": "Caisse primaire d'assurance maladie d'Ille-et-Vilaine (démo)",
    }
    assert data["offers"]["price"] == 0  # free
    channel = data["availableChannel"]
    assert channel["@type"] == "ServiceChannel"
    assert channel["servicePhone"][0]["telephone"] == facts.phones[0].removeprefix("tel:")
    assert channel["availableLanguage"] == ["fr", "en"]
    where = channel["serviceLocation"]
    assert where["@type"] == "Place" and where["name"] == data["name"]
    assert where["telephone"] == facts.phones[0].removeprefix("tel:")
    assert_same_place(where, facts)
    assert_same_hours(where["openingHoursSpecification"], facts, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_permanence_is_an_event_repeating_on_its_schedule(demo_pages, demo_directory, language):
    assert demo_directory.permanences["assurance-maladie-pipriac"].schedule == "Tu[2] 09:00-12:00; PH off"
    facts, data = read(demo_pages[language]["permanences/assurance-maladie-pipriac.md"], "Event")
    assert data["eventAttendanceMode"] == f"{SCHEMA}/OfflineEventAttendanceMode"
    assert data["eventStatus"] == f"{SCHEMA}/EventScheduled"
    assert data["isAccessibleForFree"] is True
    [schedule] = data["eventSchedule"]
    assert schedule == {
        "@type": "Schedule",
        "repeatFrequency": "P1M",
        "byDay": [f"{SCHEMA}/Tuesday"],
        "byMonthWeek": [2],
        "startTime": "09:00",
        "endTime": "12:00",
        "exceptDate": ["2027-01-12"],
        "scheduleTimezone": "Europe/Paris",
    }
    # ... and the page's table says the same: "2nd Tuesday of the month, 9:00-12:00".
    [[days, times]] = facts.hours
    assert weekdays_in(days, language) == {1}
    assert str(Localizer(language).gettext(ORDINALS[2])) in days
    assert times_in(times) == [("09:00", "12:00")]
    [cancelled] = facts.cancelled
    assert "12" in cancelled and "2027" in cancelled
    # The next session is the page's first date.
    assert (data["startDate"], data["endDate"]) == ("2026-12-08T09:00:00+01:00", "2026-12-08T12:00:00+01:00")
    assert "8" in facts.dates[0] and "2026" in facts.dates[0] and times_in(facts.dates[0]) == [("09:00", "12:00")]
    assert_same_place(data["location"], facts)
    assert data["location"]["name"] == facts.place_name.strip()
    assert data["organizer"]["name"] == facts.held_by.strip()
    assert data["organizer"]["url"] == f"{SITE}{language}/services/accueil-assurance-maladie-redon/"
    assert data["organizer"]["contactPoint"][0]["telephone"] == facts.phones[0].removeprefix("tel:")


def test_weekly_and_last_of_the_month_schedules(demo_pages):
    pages = demo_pages["fr"]

    def schedule(pid: str) -> dict[str, Any]:
        [found] = PageFacts(pages[f"permanences/{pid}.md"]).linked_data()["eventSchedule"]
        return found

    weekly = schedule("pass-epicerie-solidaire-redon")  # "Tu 14:00-16:30"
    assert weekly["repeatFrequency"] == "P1W" and weekly["byDay"] == [f"{SCHEMA}/Tuesday"]
    assert "byMonthWeek" not in weekly
    twice = schedule("assurance-maladie-allaire")  # "Th[1,3] 14:00-16:30"
    assert twice["byDay"] == [f"{SCHEMA}/Thursday"] and twice["byMonthWeek"] == [1, 3]
    # byMonthWeek counts from the start of the month: the last Friday is said in iCalendar's form.
    last = schedule("mutuelle-communale-bains-sur-oust")  # "Fr[-1] 09:30-12:00", from 2026-10-01
    assert last["byDay"] == ["-1FR"] and "byMonthWeek" not in last
    assert last["startDate"] == "2026-10-01" and last["startTime"] == "09:30"


def test_a_dispositif_is_a_government_service_with_its_official_pages(demo_pages):
    facts = PageFacts(demo_pages["ar"]["dispositifs/css.md"])
    data = facts.linked_data()
    assert data["name"] in facts.title and data["alternateName"] == "C2S"
    assert data["areaServed"] == {"@type": "Country", "name": "فرنسا"}
    assert data["availableChannel"][0]["serviceUrl"] == "https://www.service-public.fr/particuliers/vosdroits/F10027"


# --- dates, addresses, safety ------------------------------------------------------


def test_a_closure_is_in_the_hours_while_the_page_shows_it(minimal):
    closure = {
        "@type": "OpeningHoursSpecification",
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": "2026-12-24",
        "validThrough": "2027-01-02",
    }

    def hours(day: dt.date) -> list[dict[str, Any]]:
        pages = render_pages(load_directory(minimal, day), "fr", "Test", demo=False)
        return PageFacts(pages["services/msp-villebourg.md"]).linked_data()["openingHoursSpecification"]

    assert closure not in hours(dt.date(2026, 11, 30))
    assert closure in hours(dt.date(2026, 12, 1))  # announced from show_from, as on the page


def test_without_a_site_url_no_address_is_made_up(minimal):
    pages = render_pages(load_directory(minimal), "fr", "Test", demo=False)
    for path in ("services/msp-villebourg.md", "permanences/cpam-le-hameau.md", "dispositifs/css.md"):
        data = PageFacts(pages[path]).linked_data()
        assert all_values(data, "url") == [], path
        assert all(not value.startswith("/") for value in all_values(data, "serviceUrl"))


def test_a_name_cannot_break_out_of_the_script(minimal):
    for path in (minimal / "services" / "msp-villebourg.yml", minimal / "permanences" / "cpam-le-hameau.yml"):
        text = path.read_text(encoding="utf-8").split("\n", 1)[1]
        path.write_text(f"name: {json.dumps(HOSTILE)}\n{text}", encoding="utf-8")
    pages = render_pages(load_directory(minimal), "fr", "Test", demo=False)
    for path in ("services/msp-villebourg.md", "permanences/cpam-le-hameau.md"):
        facts = PageFacts(pages[path])
        assert [kind for kind, _ in facts.scripts] == ["application/ld+json"], path  # no other script
        script = facts.scripts[0][1]
        assert not set("<>&") & set(script)
        assert facts.linked_data()["name"] == HOSTILE
        assert facts.title.strip() == HOSTILE  # and the page shows it as text
