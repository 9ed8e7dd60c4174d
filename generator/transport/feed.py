"""Reading and checking GTFS feeds: ``directory/transport/<feed>/`` (a folder of .txt files)
or ``directory/transport/<feed>.zip``.

Read with the csv module, not a GTFS library: gtfs-kit and partridge need pandas and numpy
(gtfs-kit geopandas too), pygtfs SQLAlchemy; none keeps the line a row came from, which a
coordinator's error must name, and a territory's feed is a few thousand rows at most.
Only what "Comment y aller" needs is kept; the rest of the feed is not read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..problems import Report, Severity

#: The columns read from each file; a file or column missing is an error.
REQUIRED: dict[str, tuple[str, ...]] = {
    "agency.txt": ("agency_name", "agency_url", "agency_timezone"),
    "stops.txt": ("stop_id", "stop_name", "stop_lat", "stop_lon"),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence", "departure_time"),
    "calendar.txt": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),
}
_DAYS = REQUIRED["calendar.txt"][1:8]
#: GTFS time: hours may pass 24 (a trip after midnight belongs to the day before).
_TIME = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)")
#: GTFS colour: six hexadecimal digits, no '#'.
_COLOR = re.compile(r"[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Stop:
    id: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Route:
    id: str
    short_name: str
    long_name: str
    type: str = ""  # GTFS route_type: "3" bus, "0" tram, "2" rail... (extended types too)
    color: str = ""  # route_color, 6 hex digits without '#', when the feed gives one
    text_color: str = ""
    agency_id: str = ""


@dataclass(frozen=True)
class Service:
    """The days a service runs: calendar.txt's weekdays between two dates, and calendar_dates.txt's
    exceptions (many feeds give only the latter, one line per day)."""

    id: str
    weekdays: frozenset[int] = frozenset()  # 0 Monday ... 6 Sunday
    start: dt.date | None = None
    end: dt.date | None = None
    added: frozenset[dt.date] = frozenset()
    removed: frozenset[dt.date] = frozenset()

    def runs_on(self, day: dt.date) -> bool:
        if day in self.removed:
            return False
        if day in self.added:
            return True
        return (
            self.start is not None
            and self.end is not None
            and self.start <= day <= self.end
            and (day.weekday() in self.weekdays)
        )

    @property
    def first_day(self) -> dt.date | None:
        """The first day it may run, or None if it never runs."""
        days = [day for day in self.added if day not in self.removed]
        if self.start is not None and self.weekdays:
            days.append(self.start)
        return min(days, default=None)

    @property
    def last_day(self) -> dt.date | None:
        """The last day it may run, or None if it never runs."""
        days = [day for day in self.added if day not in self.removed]
        if self.end is not None and self.weekdays:
            days.append(self.end)
        return max(days, default=None)


@dataclass(frozen=True)
class Trip:
    id: str
    route_id: str
    service_id: str
    headsign: str = ""  # trip_headsign: where it goes, as the vehicle shows it
    direction_id: str = ""  # "0", "1" or "" when the feed does not say


@dataclass(frozen=True)
class StopTime:
    trip_id: str
    stop_id: str
    departure: int  # seconds after the service day's noon minus 12 h, as GTFS counts
    sequence: int  # the stop's order in its trip


@dataclass(frozen=True)
class Frequency:
    """frequencies.txt: the trip leaves its first stop every `headway` seconds from `start`, before `end`."""

    start: int
    end: int
    headway: int


@dataclass
class Feed:
    name: str
    #: agency_id -> agency_name (agency_id may be "" in a feed of one agency), for the exports' source.
    agencies: dict[str, str] = field(default_factory=dict)
    publisher: str = ""  # feed_info.txt's feed_publisher_name, when there is one
    stops: dict[str, Stop] = field(default_factory=dict)
    routes: dict[str, Route] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    trips: dict[str, Trip] = field(default_factory=dict)
    stop_times: list[StopTime] = field(default_factory=list)
    #: By trip id: a trip written once in stop_times.txt and repeated at these intervals.
    frequencies: dict[str, list[Frequency]] = field(default_factory=dict)
    #: Calls without a time (GTFS lets them be interpolated): (trip_id, stop_id, stop_sequence), for the lines' paths.
    untimed: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def last_day(self) -> dt.date | None:
        """The last day any of its services may run."""
        return max((day for service in self.services.values() if (day := service.last_day)), default=None)

    def validity(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day its services run, to say how current the times are."""
        firsts = [day for service in self.services.values() if (day := service.first_day)]
        last = self.last_day
        return (min(firsts), last) if firsts and last else None


def parse_time(text: str) -> int | None:
    """'08:05:00' (or '8:05:00', '25:10:00') in seconds; None if it is not a GTFS time."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes, seconds = (int(g) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text.strip(), "%Y%m%d").date()
    except ValueError:
        return None


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


class _Source:
    """The files of one feed, folder or zip, and where a problem in them is reported."""

    def __init__(self, path: Path, report: Report) -> None:
        self.path = path
        self.report = report
        self.names: dict[str, str] = {}  # file name -> its text
        self.zipped = path.suffix == ".zip"
        # Ids of rows already reported: the rows naming them are not reported again.
        self.rejected: set[tuple[str, str]] = set()
        self._seen: dict[tuple[str, str], dict[str, int]] = {}
        self.unreadable: set[str] = set()  # reported already: not "missing" too

    def error(self, name: str, line: int, message: str) -> None:
        if self.zipped:  # a member of a zip has no path of its own: name it in the message
            where = f"{name}, ligne {line} : " if line else f"{name} : "
            self.report.error(self.path, 0, where + message, kind=f"{name}: " + message.split("«")[0])
        else:
            self.report.error(self.path / name, line, message, kind=message.split("«")[0])

    def read(self) -> bool:
        try:
            if self.zipped:
                with zipfile.ZipFile(self.path) as archive:
                    members = {Path(n).name: n for n in archive.namelist() if n.endswith(".txt")}
                    raw = {name: archive.read(member) for name, member in members.items()}
            else:
                raw = {p.name: p.read_bytes() for p in self.path.glob("*.txt")}
        except (OSError, zipfile.BadZipFile) as error:
            self.report.error(
                self.path, 0, f"flux GTFS illisible ({error}) : un dossier de fichiers .txt ou un .zip est attendu"
            )
            return False
        for name, data in raw.items():
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                self.error(
                    name, 0, f"le fichier n'est pas en UTF-8 (octet {error.start + 1}) : enregistrez-le en UTF-8"
                )
                self.unreadable.add(name)
                continue
            if "\x00" in text:  # the csv module would read it into a value
                line = text.count("\n", 0, text.index("\x00")) + 1
                self.error(name, line, "caractère nul dans le fichier : enregistrez-le comme texte CSV en UTF-8")
                self.unreadable.add(name)
                continue
            self.names[name] = text
        return True

    def first(self, name: str, column: str, value: str, line: int) -> bool:
        """Whether `value` of `column` is seen for the first time in `name`; an error if not."""
        earlier = self._seen.setdefault((name, column), {}).setdefault(value, line)
        if earlier != line:
            self.error(name, line, f"{column} « {value} » est déjà à la ligne {earlier} : chaque {column} est unique")
            return False
        return True

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of `name` with their line numbers; nothing (and an error) if a required file or column is missing."""
        text = self.names.get(name)
        if text is None:
            if (
                name in REQUIRED
                and name not in self.unreadable
                and not (name == "calendar.txt" and "calendar_dates.txt" in self.names)
            ):
                self.error(name, 0, "fichier obligatoire absent du flux GTFS")
            return
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [column.strip() for column in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [c for c in REQUIRED.get(name, ()) if c not in header]
        if missing:
            listed = ", ".join(missing)
            self.error(name, 1, f"colonne obligatoire absente : {listed} (la première ligne doit nommer les colonnes)")
            return
        try:
            for row in reader:
                # Cells beyond the header's columns: which column was meant is unknown. (Rows with
                # fewer cells are common and read the same: the missing last columns are empty.)
                extra = [cell for cell in row.get(None) or [] if cell.strip()]
                if extra:
                    self.report.warning(
                        self.path if self.zipped else self.path / name,
                        0 if self.zipped else reader.line_num,
                        (f"{name}, ligne {reader.line_num} : " if self.zipped else "")
                        + f"{len(extra)} cellule(s) de plus que les {len(header)} colonnes de l'en-tête "
                        f"(« {extra[0]} ») : une virgule est en trop ou une colonne n'est pas nommée ; "
                        "ces cellules ne sont pas lues",
                        kind=f"{name}: cellules",
                    )
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k is not None}
        except csv.Error as error:
            self.error(name, reader.line_num, f"ligne CSV illisible ({error})")


def load_feed(path: Path, report: Report) -> Feed | None:
    """The feed at `path` (folder or .zip), every problem in `report`; None if it has errors."""
    source = _Source(path, report)
    if not source.read():
        return None
    before = report.count(Severity.ERROR)
    feed = Feed(path.stem if source.zipped else path.name)
    for _, row in source.rows("agency.txt"):
        feed.agencies[row.get("agency_id", "")] = row["agency_name"]
    for _, row in source.rows("feed_info.txt"):
        feed.publisher = row.get("feed_publisher_name", "")
    for line, row in source.rows("stops.txt"):
        _read_stop(source, feed, line, row)
    for line, row in source.rows("routes.txt"):
        _read_route(source, feed, line, row)
    for line, row in source.rows("calendar.txt"):
        _read_service(source, feed, line, row)
    for line, row in source.rows("calendar_dates.txt"):
        _read_service_date(source, feed, line, row)
    for line, row in source.rows("trips.txt"):
        _read_trip(source, feed, line, row)
    ends: dict[str, list[tuple[int, int, bool]]] = {}  # trip -> (sequence, line, timed) of its first and last stops
    for line, row in source.rows("stop_times.txt"):
        _read_stop_time(source, feed, ends, line, row)
    _check_trip_ends(source, ends)
    for line, row in source.rows("frequencies.txt"):
        _read_frequency(source, feed, line, row)
    return None if report.count(Severity.ERROR) > before else feed


def _read_route(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    if not row["route_id"]:
        source.error("routes.txt", line, "route_id vide")
        return
    if not source.first("routes.txt", "route_id", row["route_id"], line):
        return
    if not (row.get("route_short_name") or row.get("route_long_name")):
        source.error("routes.txt", line, f"la ligne « {row['route_id']} » n'a ni route_short_name ni route_long_name")
    agency = row.get("agency_id", "")
    known = set(feed.agencies) - {""}
    if agency and known and agency not in known:
        source.error("routes.txt", line, f"agency_id « {agency} » n'est pas dans agency.txt")
    colors = {column: row.get(column, "") for column in ("route_color", "route_text_color")}
    for column, value in colors.items():
        if value and not _COLOR.fullmatch(value):
            source.error(
                "routes.txt",
                line,
                f"{column} « {value} » n'est pas une couleur : six chiffres hexadécimaux sans '#' sont "
                "attendus, comme 0055A4",
            )
    feed.routes[row["route_id"]] = Route(
        row["route_id"],
        row.get("route_short_name", ""),
        row.get("route_long_name", ""),
        row["route_type"],
        colors["route_color"].upper() if _COLOR.fullmatch(colors["route_color"]) else "",
        colors["route_text_color"].upper() if _COLOR.fullmatch(colors["route_text_color"]) else "",
        agency,
    )


def _read_stop(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    if row.get("location_type", "") not in ("", "0", "1"):
        return  # entrances and nodes: no departures there
    latitude = _number(row["stop_lat"], -90, 90)
    longitude = _number(row["stop_lon"], -180, 180)
    if latitude is None:
        source.error(
            "stops.txt",
            line,
            f"stop_lat « {row['stop_lat']} » n'est pas une latitude (un nombre entre -90 et 90 est attendu)",
        )
    if longitude is None:
        source.error(
            "stops.txt",
            line,
            f"stop_lon « {row['stop_lon']} » n'est pas une longitude (un nombre entre -180 et 180 est attendu)",
        )
    if not row["stop_id"]:
        source.error("stops.txt", line, "stop_id vide")
    elif latitude is None or longitude is None:
        source.rejected.add(("stop", row["stop_id"]))
    else:
        feed.stops[row["stop_id"]] = Stop(row["stop_id"], row["stop_name"], latitude, longitude)


def _read_service(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    if not source.first("calendar.txt", "service_id", row["service_id"], line):
        return
    bad = [day for day in _DAYS if row[day] not in ("0", "1")]
    if bad:
        source.error("calendar.txt", line, f"{bad[0]} « {row[bad[0]]} » : 0 ou 1 est attendu")
    start, end = _parse_date(row["start_date"]), _parse_date(row["end_date"])
    for column, value in (("start_date", start), ("end_date", end)):
        if value is None:
            source.error("calendar.txt", line, f"{column} « {row[column]} » n'est pas une date AAAAMMJJ")
    if bad or start is None or end is None:
        source.rejected.add(("service", row["service_id"]))
        return
    if end < start:
        source.error(
            "calendar.txt", line, f"end_date « {row['end_date']} » est avant start_date « {row['start_date']} »"
        )
        return
    days = frozenset(i for i, day in enumerate(_DAYS) if row[day] == "1")
    feed.services[row["service_id"]] = Service(row["service_id"], days, start, end)


_EXCEPTIONS = {"1": "added", "2": "removed"}


def _read_service_date(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    """A day added to a service (1) or taken from it (2); a service may be made of such days only."""
    name = "calendar_dates.txt"
    missing = [column for column in ("service_id", "date", "exception_type") if column not in row]
    if missing:
        if line == 2:  # said once, at the header
            source.error(name, 1, f"colonne obligatoire absente : {', '.join(missing)}")
        return
    day, kind = _parse_date(row["date"]), _EXCEPTIONS.get(row["exception_type"])
    if day is None:
        source.error(name, line, f"date « {row['date']} » n'est pas une date AAAAMMJJ")
    if kind is None:
        source.error(
            name, line, f"exception_type « {row['exception_type']} » : 1 (jour ajouté) ou 2 (jour retiré) est attendu"
        )
    if day is None or kind is None or not row["service_id"]:
        return
    if not source.first(name, "service_id et date", f"{row['service_id']} {row['date']}", line):
        return
    service = feed.services.get(row["service_id"]) or Service(row["service_id"])
    feed.services[service.id] = replace(service, **{kind: getattr(service, kind) | {day}})


def _read_trip(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    if not source.first("trips.txt", "trip_id", row["trip_id"], line):
        return
    route, service = row["route_id"], row["service_id"]
    if route in feed.routes and service in feed.services:
        feed.trips[row["trip_id"]] = Trip(
            row["trip_id"], route, service, row.get("trip_headsign", ""), row.get("direction_id", "")
        )
        return
    source.rejected.add(("trip", row["trip_id"]))
    if route not in feed.routes:
        source.error("trips.txt", line, f"route_id « {route} » n'est pas dans routes.txt")
    elif ("service", service) not in source.rejected:  # not reported twice
        source.error(
            "trips.txt", line, f"service_id « {service} » n'est ni dans calendar.txt ni dans calendar_dates.txt"
        )


def _read_stop_time(
    source: _Source, feed: Feed, ends: dict[str, list[tuple[int, int, bool]]], line: int, row: dict[str, str]
) -> None:
    if ("trip", row["trip_id"]) in source.rejected or ("stop", row["stop_id"]) in source.rejected:
        return
    if row["trip_id"] not in feed.trips:
        source.error(
            "stop_times.txt", line, f"trip_id « {row['trip_id']} » n'est pas dans trips.txt (ou y a une erreur)"
        )
        return
    if row["stop_id"] not in feed.stops:
        source.error(
            "stop_times.txt", line, f"stop_id « {row['stop_id']} » n'est pas dans stops.txt (ou y a une erreur)"
        )
        return
    if not row["stop_sequence"].isdigit():
        source.error("stop_times.txt", line, f"stop_sequence « {row['stop_sequence']} » n'est pas un entier positif")
        return
    sequence = int(row["stop_sequence"])
    if not source.first("stop_times.txt", "trip_id et stop_sequence", f"{row['trip_id']} {sequence}", line):
        return
    text = row["departure_time"] or row.get("arrival_time", "")
    known = ends.setdefault(row["trip_id"], [])
    known.append((sequence, line, bool(text)))
    if len(known) > 2:  # keep the first and the last only
        known.sort()
        del known[1:-1]
    if not text:  # a stop between timed ones: GTFS lets its time be interpolated
        feed.untimed.append((row["trip_id"], row["stop_id"], sequence))
        return
    seconds = parse_time(text)
    if seconds is None:
        source.error("stop_times.txt", line, f"departure_time « {text} » n'est pas une heure HH:MM:SS")
        return
    feed.stop_times.append(StopTime(row["trip_id"], row["stop_id"], seconds, sequence))


def _check_trip_ends(source: _Source, ends: dict[str, list[tuple[int, int, bool]]]) -> None:
    """GTFS requires a time at the first and the last stop of every trip."""
    for trip, known in ends.items():
        known.sort()
        for which, (_, line, timed) in zip(("premier", "dernier"), (known[0], known[-1]), strict=True):
            if not timed:
                source.error(
                    "stop_times.txt",
                    line,
                    f"le {which} arrêt du trajet « {trip} » n'a pas d'heure : arrival_time et departure_time sont "
                    "obligatoires au premier et au dernier arrêt",
                )
            if len(known) == 1:
                break


def _read_frequency(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
    name = "frequencies.txt"
    missing = [c for c in ("trip_id", "start_time", "end_time", "headway_secs") if c not in row]
    if missing:
        if line == 2:
            source.error(name, 1, f"colonne obligatoire absente : {', '.join(missing)}")
        return
    if row["trip_id"] not in feed.trips:
        if ("trip", row["trip_id"]) not in source.rejected:
            source.error(name, line, f"trip_id « {row['trip_id']} » n'est pas dans trips.txt")
        return
    start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
    for column, value in (("start_time", start), ("end_time", end)):
        if value is None:
            source.error(name, line, f"{column} « {row[column]} » n'est pas une heure HH:MM:SS")
    headway = int(row["headway_secs"]) if row["headway_secs"].isdigit() else 0
    if headway <= 0:
        source.error(name, line, f"headway_secs « {row['headway_secs']} » : un nombre de secondes positif est attendu")
    if start is None or end is None or headway <= 0:
        return
    if end <= start:
        source.error(name, line, f"end_time « {row['end_time']} » n'est pas après start_time « {row['start_time']} »")
        return
    feed.frequencies.setdefault(row["trip_id"], []).append(Frequency(start, end, headway))


def load_feeds(folder: Path, report: Report, today: dt.date | None = None) -> list[Feed]:
    """Every feed in `folder` (``directory/transport``), in name order; none if there is no folder.

    `today`: a feed none of whose services runs from then on is said to be out of date.
    """
    if not folder.is_dir():
        return []
    feeds = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.suffix == ".zip":
            feed = load_feed(path, report)
            if feed is None:
                continue
            feeds.append(feed)
            last = feed.last_day
            if today is not None and (last is None or last < today):
                ended = f"depuis le {last:%d/%m/%Y}" if last else "aucun jour"
                report.warning(
                    path,
                    0,
                    f"le flux « {feed.name} » ne circule plus ({ended}) : ses horaires ne sont pas montrés ; "
                    "demandez un flux à jour au transporteur",
                )
    return feeds
