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
from dataclasses import dataclass, field
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
    id: str
    weekdays: frozenset[int]  # 0 Monday ... 6 Sunday
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Trip:
    id: str
    route_id: str
    service_id: str
    direction_id: str = ""  # "0", "1" or "" when the feed does not say


@dataclass(frozen=True)
class StopTime:
    trip_id: str
    stop_id: str
    departure: int  # seconds after the service day's noon minus 12 h, as GTFS counts
    sequence: int  # the stop's order in its trip


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
    #: Calls without a time (GTFS lets them be interpolated): (trip_id, stop_id, stop_sequence), for the lines' paths.
    untimed: list[tuple[str, str, int]] = field(default_factory=list)


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
                self.names[name] = data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                self.error(
                    name, 0, f"le fichier n'est pas en UTF-8 (octet {error.start + 1}) : enregistrez-le en UTF-8"
                )
        return True

    def rows(self, name: str) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of `name` with their line numbers; nothing (and an error) if a required file or column is missing."""
        text = self.names.get(name)
        if text is None:
            if name in REQUIRED and not (name == "calendar.txt" and "calendar_dates.txt" in self.names):
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
        if not row["route_id"]:
            source.error("routes.txt", line, "route_id vide")
            continue
        if not (row.get("route_short_name") or row.get("route_long_name")):
            source.error(
                "routes.txt", line, f"la ligne « {row['route_id']} » n'a ni route_short_name ni route_long_name"
            )
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
            row.get("agency_id", ""),
        )
    for line, row in source.rows("calendar.txt"):
        _read_service(source, feed, line, row)
    extra_services = {row.get("service_id", "") for _, row in source.rows("calendar_dates.txt")}
    for line, row in source.rows("trips.txt"):
        _read_trip(source, feed, extra_services, line, row)
    for line, row in source.rows("stop_times.txt"):
        _read_stop_time(source, feed, line, row)
    return None if report.count(Severity.ERROR) > before else feed


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


def _read_trip(source: _Source, feed: Feed, extra_services: set[str], line: int, row: dict[str, str]) -> None:
    route, service = row["route_id"], row["service_id"]
    if route in feed.routes and (service in feed.services or service in extra_services):
        feed.trips[row["trip_id"]] = Trip(row["trip_id"], route, service, row.get("direction_id", ""))
        return
    source.rejected.add(("trip", row["trip_id"]))
    if route not in feed.routes:
        source.error("trips.txt", line, f"route_id « {route} » n'est pas dans routes.txt")
    elif ("service", service) not in source.rejected:  # not reported twice
        source.error(
            "trips.txt", line, f"service_id « {service} » n'est ni dans calendar.txt ni dans calendar_dates.txt"
        )


def _read_stop_time(source: _Source, feed: Feed, line: int, row: dict[str, str]) -> None:
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
    text = row["departure_time"] or row.get("arrival_time", "")
    if not text:  # a stop between timed ones: GTFS lets its time be interpolated
        feed.untimed.append((row["trip_id"], row["stop_id"], int(row["stop_sequence"])))
        return
    seconds = parse_time(text)
    if seconds is None:
        source.error("stop_times.txt", line, f"departure_time « {text} » n'est pas une heure HH:MM:SS")
        return
    feed.stop_times.append(StopTime(row["trip_id"], row["stop_id"], seconds, int(row["stop_sequence"])))


def load_feeds(folder: Path, report: Report) -> list[Feed]:
    """Every feed in `folder` (``directory/transport``), in name order; none if there is no folder."""
    if not folder.is_dir():
        return []
    feeds = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() or path.suffix == ".zip":
            feed = load_feed(path, report)
            if feed is not None:
                feeds.append(feed)
    return feeds
