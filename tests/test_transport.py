"""GTFS feeds in directory/transport: reading, checking (file and line), stops near a place."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from generator.pipeline import load_project
from generator.problems import Report
from generator.transport.feed import Feed, load_feed, load_feeds, parse_time
from generator.transport.nearby import distance, nearby_stops, walking_minutes

from helpers import ROOT

#: A tiny feed: line A (weekdays, every 30 min from 7:00 to 8:00 at S1), line B (Saturday, once).
FILES = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nX,Réseau test,https://example.org/,Europe/Paris\n",
    "stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon\n"
        "S1,Mairie,47.6510,-2.0840\n"
        "S2,Gare,47.6520,-2.0860\n"
        "S3,Loin,47.8000,-1.9000\n"
    ),
    "routes.txt": "route_id,route_short_name,route_long_name,route_type\nA,1,Gare - Mairie,3\nB,2,Samedi,3\n",
    "calendar.txt": (
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
        "WEEK,1,1,1,1,1,0,0,20260101,20271231\n"
        "SAT,0,0,0,0,0,1,0,20260101,20271231\n"
    ),
    "trips.txt": "route_id,service_id,trip_id\nA,WEEK,A1\nA,WEEK,A2\nA,WEEK,A3\nB,SAT,B1\n",
    "stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
        "A1,07:00:00,07:00:00,S1,1\nA1,07:05:00,07:05:00,S3,2\n"
        "A2,07:30:00,07:30:00,S1,1\nA2,07:35:00,07:35:00,S3,2\n"
        "A3,08:00:00,08:00:00,S1,1\nA3,08:05:00,08:05:00,S3,2\n"
        "B1,10:00:00,10:00:00,S2,1\nB1,10:10:00,10:10:00,S3,2\n"
    ),
}


def write_feed(folder: Path, **changes: str | None) -> Path:
    """The tiny feed in `folder`, a file replaced (text) or left out (None)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in {**FILES, **{k.replace("_txt", ".txt"): v for k, v in changes.items()}}.items():
        if text is not None:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def messages(report: Report) -> list[str]:
    return [p.format() for p in report.problems]


def test_a_good_feed_is_read(tmp_path: Path) -> None:
    report = Report()
    feed = load_feed(write_feed(tmp_path / "demo"), report)
    assert report.problems == []
    assert feed is not None
    assert feed.name == "demo"
    assert sorted(feed.stops) == ["S1", "S2", "S3"]
    assert feed.services["SAT"].weekdays == {5}
    assert len(feed.stop_times) == 8


def test_a_zipped_feed_is_read(tmp_path: Path) -> None:
    path = tmp_path / "zipped.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(name, text)
    report = Report()
    feeds = load_feeds(tmp_path, report)
    assert report.problems == []
    assert [f.name for f in feeds] == ["zipped"]


def test_no_transport_folder_is_no_feed(tmp_path: Path) -> None:
    report = Report()
    assert load_feeds(tmp_path / "transport", report) == []
    assert report.problems == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"stops_txt": FILES["stops.txt"].replace("47.6520", "147.2")},
            "stops.txt:3: erreur : stop_lat « 147.2 » n'est pas une latitude",
        ),
        (
            {"stops_txt": FILES["stops.txt"].replace("-1.9000", "est")},
            "stops.txt:4: erreur : stop_lon « est » n'est pas une longitude",
        ),
        (
            {"trips_txt": FILES["trips.txt"] + "Z,WEEK,Z1\n"},
            "trips.txt:6: erreur : route_id « Z » n'est pas dans routes.txt",
        ),
        ({"trips_txt": FILES["trips.txt"] + "A,SUN,Z1\n"}, "trips.txt:6: erreur : service_id « SUN » n'est ni dans"),
        (
            {"stop_times_txt": FILES["stop_times.txt"] + "A1,07:09:00,07:09:00,S9,3\n"},
            "stop_times.txt:10: erreur : stop_id « S9 » n'est pas dans stops.txt",
        ),
        (
            {"stop_times_txt": FILES["stop_times.txt"].replace("08:00:00,08:00:00", "8h00,8h00")},
            "stop_times.txt:6: erreur : departure_time « 8h00 » n'est pas une heure HH:MM:SS",
        ),
        (
            {"stop_times_txt": FILES["stop_times.txt"].replace("S1,1", "S1,un", 1)},
            "stop_times.txt:2: erreur : stop_sequence « un » n'est pas un entier positif",
        ),
        ({"routes_txt": None}, "routes.txt: erreur : fichier obligatoire absent du flux GTFS"),
        (
            {"stops_txt": "stop_id,stop_name,stop_lat\nS1,Mairie,47.6\n"},
            "stops.txt:1: erreur : colonne obligatoire absente : stop_lon",
        ),
        (
            {"calendar_txt": FILES["calendar.txt"].replace("20271231", "2027-12-31", 1)},
            "calendar.txt:2: erreur : end_date « 2027-12-31 » n'est pas une date AAAAMMJJ",
        ),
    ],
)
def test_a_broken_feed_names_file_and_line(tmp_path: Path, change: dict[str, str | None], expected: str) -> None:
    report = Report()
    assert load_feed(write_feed(tmp_path / "demo", **change), report) is None
    found = messages(report)
    assert any(expected in m for m in found), found
    assert all("/demo/" in m for m in found)


def test_a_zipped_feed_names_the_member(tmp_path: Path) -> None:
    path = tmp_path / "zipped.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(name, text.replace("47.6520", "147.2"))
    report = Report()
    assert load_feed(path, report) is None
    assert "zipped.zip: erreur : stops.txt, ligne 3 : stop_lat « 147.2 »" in messages(report)[0]


def test_a_file_not_in_utf8_is_an_error(tmp_path: Path) -> None:
    folder = write_feed(tmp_path / "demo")
    (folder / "stops.txt").write_bytes(FILES["stops.txt"].replace("Mairie", "Mairie é").encode("latin-1"))
    report = Report()
    assert load_feed(folder, report) is None
    assert "n'est pas en UTF-8" in messages(report)[0]


def test_gtfs_times_pass_midnight() -> None:
    assert parse_time("25:10:00") == 25 * 3600 + 600
    assert parse_time("7:05:00") == 7 * 3600 + 300
    assert parse_time("07:60:00") is None


def test_a_broken_feed_fails_the_check(minimal: Path) -> None:
    write_feed(minimal / "transport" / "demo", stops_txt=FILES["stops.txt"].replace("47.6520", "147.2"))
    project = load_project(ROOT / "mkdocs.yml", directory=minimal)
    assert project.directory is None
    assert [p.format(minimal) for p in project.report.errors] == [
        "transport/demo/stops.txt:3: erreur : stop_lat « 147.2 » n'est pas une latitude"
        " (un nombre entre -90 et 90 est attendu)"
    ]


def test_the_demo_feed_is_valid_and_marked_fictional() -> None:
    report = Report()
    feeds = load_feeds(ROOT / "directory" / "transport", report)
    assert report.problems == []
    assert [f.name for f in feeds] == ["demo"]
    assert "fictives" in (ROOT / "directory" / "transport" / "demo" / "feed_info.txt").read_text(encoding="utf-8")
    assert {s.weekdays for s in feeds[0].services.values()} == {frozenset(range(5)), frozenset({5})}


def tiny_feed(tmp_path: Path) -> Feed:
    report = Report()
    feed = load_feed(write_feed(tmp_path / "demo"), report)
    assert feed is not None, messages(report)
    return feed


def test_distance_is_great_circle() -> None:
    # One minute of latitude is one nautical mile, 1852 m.
    assert distance(47.0, -2.0, 47.0 + 1 / 60, -2.0) == pytest.approx(1853, abs=2)
    assert walking_minutes(0) == 1
    assert walking_minutes(75) == 1  # 4.5 km/h is 75 m a minute
    assert walking_minutes(76) == 2
    assert walking_minutes(800) == 11


def test_stops_within_walking_distance_with_their_lines(tmp_path: Path) -> None:
    stops = nearby_stops([tiny_feed(tmp_path)], 47.6510, -2.0840)
    # S3 is 18 km away; S1 is the place itself, S2 about 187 m away (111 m north, 150 m west).
    assert [(s.stop.id, s.distance, s.walking_minutes) for s in stops] == [("S1", 0, 1), ("S2", 187, 3)]
    (weekday,) = stops[0].lines
    assert weekday.route.short_name == "1"
    assert weekday.weekdays == frozenset(range(5))
    assert (weekday.first, weekday.last, weekday.departures, weekday.interval) == (7 * 3600, 8 * 3600, 3, 30)
    (saturday,) = stops[1].lines
    assert (saturday.route.id, saturday.weekdays, saturday.interval) == ("B", frozenset({5}), None)


def test_a_terminus_where_nothing_leaves_is_not_a_stop_to_take(tmp_path: Path) -> None:
    # S3 ends every trip: a bus arrives there, none leaves.
    assert nearby_stops([tiny_feed(tmp_path)], 47.8000, -1.9000) == []


def test_the_walking_distance_is_a_limit(tmp_path: Path) -> None:
    feed = tiny_feed(tmp_path)
    assert [s.stop.id for s in nearby_stops([feed], 47.6510, -2.0840, within=100)] == ["S1"]
    assert nearby_stops([feed], 47.70, -2.0840) == []  # about 5.4 km north


def test_the_interval_is_the_typical_gap(tmp_path: Path) -> None:
    # Departures at 7:00, 7:30, 8:00 and an extra one at 8:05: the median gap is still 30 minutes.
    times = FILES["stop_times.txt"] + "A4,08:05:00,08:05:00,S1,1\nA4,08:10:00,08:10:00,S3,2\n"
    report = Report()
    feed = load_feed(
        write_feed(tmp_path / "demo", stop_times_txt=times, trips_txt=FILES["trips.txt"] + "A,WEEK,A4\n"), report
    )
    assert feed is not None, messages(report)
    (line,) = nearby_stops([feed], 47.6510, -2.0840, within=10)[0].lines
    assert (line.departures, line.last, line.interval) == (4, 8 * 3600 + 300, 30)


def test_the_demo_places_have_stops(tmp_path: Path) -> None:
    feeds = load_feeds(ROOT / "directory" / "transport", Report())
    # The Redon health centre (services/centre-sante-redon.yml).
    stops = nearby_stops(feeds, 47.6555, -2.0795)
    assert stops[0].stop.name == "Redon Centre de santé"
    assert {t.route.short_name for t in stops[0].lines} == {"1", "N"}


# --- feeds nobody here wrote: transitfeed's test data (tests/data/transitfeed/README.md) ----------

TRANSITFEED = ROOT / "tests" / "data" / "transitfeed"


@pytest.mark.parametrize("name", ["good_feed", "only_calendar_dates", "extra_row_cells"])
def test_transitfeed_s_good_feeds_are_read(name: str) -> None:
    report = Report()
    assert load_feed(TRANSITFEED / name, report) is not None, messages(report)
    assert report.errors == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bad_date_format", "calendar.txt:2: erreur : start_date « 2007.01.01 » n'est pas une date AAAAMMJJ"),
        ("bad_date_format", "calendar_dates.txt:2: erreur : date « 2007-06-04 » n'est pas une date AAAAMMJJ"),
        ("bad_utf8", "stops.txt: erreur : le fichier n'est pas en UTF-8"),
        ("contains_null", "stops.txt:9: erreur : caractère nul dans le fichier"),
        ("duplicate_schedule_id", "calendar.txt:4: erreur : service_id « WE » est déjà à la ligne 3"),
        ("duplicate_stop_sequence", "stop_times.txt:4: erreur : trip_id et stop_sequence « CITY1 10 » est déjà à la"),
        ("invalid_route_agency", "routes.txt:4: erreur : agency_id « DVT » n'est pas dans agency.txt"),
        ("missing_endpoint_times", "stop_times.txt:16: erreur : le premier arrêt du trajet « AB2 » n'a pas d'heure"),
        ("missing_endpoint_times", "stop_times.txt:21: erreur : le dernier arrêt du trajet « BFC2 » n'a pas d'heure"),
        ("negative_stop_sequence", "stop_times.txt:9: erreur : stop_sequence « -2 » n'est pas un entier positif"),
        ("undefined_stop", "stop_times.txt:11: erreur : stop_id « NADAR » n'est pas dans stops.txt"),
    ],
)
def test_transitfeed_s_broken_feeds_are_refused_at_their_line(name: str, expected: str) -> None:
    report = Report()
    assert load_feed(TRANSITFEED / name, report) is None
    found = [m.replace(f"{TRANSITFEED / name}/", "") for m in messages(report)]
    assert any(m.startswith(expected) for m in found), found
    # an unreadable file is not said to be missing as well
    assert not any("stops.txt: erreur : fichier obligatoire absent" in m for m in found), found


def test_a_trip_repeated_by_frequencies_txt_leaves_at_each_headway() -> None:
    # The GTFS sample feed: trip CITY1 leaves NANAA 7 minutes after its first stop, every 30 minutes
    # from 6:00 to 7:59:59, every 10 minutes from 8:00 to 9:59:59, and so on until 22:00.
    feed = load_feed(TRANSITFEED / "good_feed", Report())
    assert feed is not None
    [stop] = nearby_stops([feed], 36.914944, -116.761472, within=10, today=dt.date(2025, 6, 2))
    # CITY1 and CITY2 (the other direction) both stop there: one line each way.
    assert {line.route.id for line in stop.lines} == {"CITY"}
    assert all(line.weekdays == frozenset(range(7)) for line in stop.lines)
    expected = [sorted(_city_departures(feed, "NANAA", trip)) for trip in ("CITY1", "CITY2")]
    assert {(line.first, line.last, line.departures) for line in stop.lines} == {
        (times[0], times[-1], len(times)) for times in expected
    }
    city1 = expected[0]
    assert city1[0] == 6 * 3600 + 7 * 60
    assert {6 * 3600 + 37 * 60, 8 * 3600 + 7 * 60, 8 * 3600 + 17 * 60} <= set(city1)  # 30, then 10 minutes apart
    assert 6 * 3600 + 47 * 60 not in city1


def _city_departures(feed: Feed, stop_id: str, trip: str) -> set[int]:
    """The departures of `trip` at `stop_id` worked out here from the files, as frequencies.txt defines them."""
    import csv

    folder = TRANSITFEED / "good_feed"
    with (folder / "stop_times.txt").open(encoding="utf-8-sig") as file:
        own = [r for r in csv.DictReader(file) if r["trip_id"] == trip]
    start = min(parse_time(r["departure_time"]) or 0 for r in own)
    last = max(int(r["stop_sequence"]) for r in own)
    offsets = [
        (parse_time(r["departure_time"]) or 0) - start
        for r in own
        if r["stop_id"] == stop_id and int(r["stop_sequence"]) != last
    ]
    found: set[int] = set()
    with (folder / "frequencies.txt").open(encoding="utf-8-sig") as file:
        for r in csv.DictReader(file):
            if r["trip_id"] == trip:
                t, end = parse_time(r["start_time"]) or 0, parse_time(r["end_time"]) or 0
                while t < end:
                    found.update(t + offset for offset in offsets)
                    t += int(r["headway_secs"])
    return found


def test_days_come_from_calendar_dates_when_there_is_no_calendar(tmp_path: Path) -> None:
    # Weekdays given day by day for four weeks from Monday 2 November 2026, and one extra Sunday.
    start = dt.date(2026, 11, 2)
    days = [start + dt.timedelta(days=n) for n in range(28) if (start + dt.timedelta(days=n)).weekday() < 5]
    rows = "".join(f"WEEK,{d:%Y%m%d},1\n" for d in [*days, dt.date(2026, 11, 15)])
    folder = write_feed(
        tmp_path / "demo",
        calendar_txt=None,
        calendar_dates_txt="service_id,date,exception_type\n" + rows,
        trips_txt=FILES["trips.txt"].replace(",SAT,", ",WEEK,"),
    )
    report = Report()
    feed = load_feed(folder, report)
    assert feed is not None, messages(report)
    [stop] = nearby_stops([feed], 47.6510, -2.0840, within=10, today=start)
    # One Sunday is not a usual day; the weekdays are.
    assert [line.weekdays for line in stop.lines] == [frozenset(range(5))]
    # Without a date from which to count, such a service's days cannot be said: it is left out.
    assert nearby_stops([feed], 47.6510, -2.0840, within=10) == []


def test_a_service_that_has_ended_is_not_shown_and_the_feed_is_said_out_of_date(tmp_path: Path) -> None:
    write_feed(tmp_path / "transport" / "old", calendar_txt=FILES["calendar.txt"].replace("20271231", "20261031"))
    report = Report()
    [feed] = load_feeds(tmp_path / "transport", report, today=dt.date(2026, 12, 4))
    assert [p.format(tmp_path) for p in report.warnings] == [
        "transport/old: avertissement : le flux « old » ne circule plus (depuis le 31/10/2026) : ses horaires ne "
        "sont pas montrés ; demandez un flux à jour au transporteur"
    ]
    assert nearby_stops([feed], 47.6510, -2.0840, today=dt.date(2026, 12, 4)) == []
    assert nearby_stops([feed], 47.6510, -2.0840, today=dt.date(2026, 10, 1)) != []
