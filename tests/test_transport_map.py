"""Stops and lines of the GTFS feeds in data/transport.geojson, datapackage.json and the map page."""

from __future__ import annotations

import csv
import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import geojson
import pytest
from frictionless import validate

from generator import routes
from generator.opendata.geojson import geojson_files
from generator.opendata.transport import transport_features
from generator.problems import Report
from generator.render.pages.map_search import map_page
from generator.render.pages.statements import open_data_page
from generator.site.build import open_data_files
from generator.transport.feed import load_feed, load_feeds

from helpers import ROOT, context, demo_config, render_one

DEMO_FEED = ROOT / "directory" / "transport" / "demo"


@pytest.fixture(scope="module")
def demo_directory(demo_directory):
    """The demo with its feed, as `load_project` (and so the build) reads it."""
    report = Report()
    feeds = load_feeds(DEMO_FEED.parent, report)
    assert feeds and not report.problems
    return dataclasses.replace(demo_directory, feeds=tuple(feeds))


def _rows(name: str) -> list[dict[str, str]]:
    """A file of the demo feed read with the csv module alone, not with the portal's reader."""
    with (DEMO_FEED / name).open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _collection(demo_directory) -> dict:
    files = geojson_files(demo_directory, ("fr",))
    collection = geojson.loads(files[routes.TRANSPORT_GEOJSON])
    assert collection.is_valid, collection.errors()
    return json.loads(files[routes.TRANSPORT_GEOJSON])


def test_the_stops_are_where_stops_txt_puts_them(demo_directory):
    features = _collection(demo_directory)["features"]
    stops = {f["properties"]["stop_id"]: f for f in features if f["properties"]["kind"] == "stop"}
    expected = _rows("stops.txt")
    assert set(stops) == {row["stop_id"] for row in expected}
    for row in expected:
        feature = stops[row["stop_id"]]
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [float(row["stop_lon"]), float(row["stop_lat"])],  # longitude first
        }
        assert feature["properties"]["name"] == row["stop_name"]
        assert feature["properties"]["feed"] == "demo"
        assert feature["id"] == f"demo:{row['stop_id']}"
        assert feature["properties"]["agency"] == "Réseau de démonstration du Pays de Redon (fictif)"
    # the lines calling at each stop, from stop_times.txt and trips.txt
    route_of = {row["trip_id"]: row["route_id"] for row in _rows("trips.txt")}
    calling: dict[str, set[str]] = defaultdict(set)
    for row in _rows("stop_times.txt"):
        calling[row["stop_id"]].add(route_of[row["trip_id"]])
    short = {row["route_id"]: row["route_short_name"] for row in _rows("routes.txt")}
    for stop_id, feature in stops.items():
        assert set(feature["properties"]["route_ids"]) == calling[stop_id]
        assert sorted(feature["properties"]["lines"]) == sorted(short[r] for r in calling[stop_id])
    assert stops["REDON_GARE"]["properties"]["lines"] == ["1", "2", "N"]


def test_each_route_and_direction_is_a_line_through_its_stops_in_order(demo_directory):
    features = _collection(demo_directory)["features"]
    lines = {
        (f["properties"]["route_id"], f["properties"]["direction_id"]): f
        for f in features
        if f["properties"]["kind"] == "line"
    }
    trips = {row["trip_id"]: row for row in _rows("trips.txt")}
    by_trip: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in _rows("stop_times.txt"):
        by_trip[row["trip_id"]].append((int(row["stop_sequence"]), row["stop_id"]))
    longest: dict[tuple[str, str], list[str]] = {}
    for trip_id, calls in sorted(by_trip.items()):
        key = (trips[trip_id]["route_id"], trips[trip_id]["direction_id"])
        stops = [stop for _, stop in sorted(calls)]
        if len(stops) > len(longest.get(key, [])):
            longest[key] = stops
    assert set(lines) == set(longest)
    where = {row["stop_id"]: [float(row["stop_lon"]), float(row["stop_lat"])] for row in _rows("stops.txt")}
    routes_txt = {row["route_id"]: row for row in _rows("routes.txt")}
    for key, feature in lines.items():
        assert feature["geometry"]["type"] == "LineString"
        assert feature["geometry"]["coordinates"] == [where[s] for s in longest[key]]
        assert feature["properties"]["stop_ids"] == longest[key]
        route = routes_txt[key[0]]
        assert feature["properties"]["short_name"] == route["route_short_name"]
        assert feature["properties"]["long_name"] == route["route_long_name"]
        assert feature["properties"]["route_type"] == int(route["route_type"]) == 3
        assert feature["properties"]["mode"] == "bus"
        assert feature["properties"]["color"] is None  # the demo gives no colour
    assert lines[("L1", "0")]["properties"]["stop_ids"] == [
        "REDON_GARE",
        "REDON_SANTE",
        "BAINS_BOURG",
        "PIPRIAC_CENTRE",
    ]


def _feed_with_colours(tmp_path: Path, colour: str) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir(parents=True)
    for path in DEMO_FEED.glob("*.txt"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (folder / "routes.txt").read_text(encoding="utf-8").splitlines()
    rows = [text[0] + ",route_color"] + [line + f",{colour}" for line in text[1:]]
    (folder / "routes.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_route_colour_is_kept_and_a_wrong_one_is_an_error(tmp_path):
    report = Report()
    feed = load_feed(_feed_with_colours(tmp_path / "good", "0055a4"), report)
    assert feed is not None and not report.problems
    lines = [f for f in transport_features([feed]) if f["properties"]["kind"] == "line"]
    assert {f["properties"]["color"] for f in lines} == {"#0055A4"}
    report = Report()
    assert load_feed(_feed_with_colours(tmp_path / "bad", "blue"), report) is None
    assert (
        report.errors[0]
        .format()
        .endswith(
            "routes.txt:2: erreur : route_color « blue » n'est pas une couleur : six chiffres hexadécimaux sans '#' "
            "sont attendus, comme 0055A4"
        )
    )


def test_the_datapackage_declares_the_file_with_its_source_and_validates(demo_directory, tmp_path):
    files = open_data_files(demo_config(), demo_directory)
    package = json.loads(files[routes.DATAPACKAGE])
    resource = next(r for r in package["resources"] if r["path"] == "transport.geojson")
    assert resource["name"] == "transport-geojson" and resource["mediatype"] == "application/geo+json"
    assert "GTFS" in resource["description"]
    [source] = resource["sources"]
    assert "'demo'" in source["title"] and "Réseau de démonstration du Pays de Redon (fictif)" in source["title"]
    for path, data in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    report = validate(str(tmp_path / routes.DATAPACKAGE))
    assert report.valid, report.flatten(["type", "message"])
    assert "transport-geojson" in {task.name for task in report.tasks}


def test_no_feed_no_file_and_no_layer(demo_directory):
    without = dataclasses.replace(demo_directory, feeds=())
    assert routes.TRANSPORT_GEOJSON not in geojson_files(without, ("fr",))
    package = json.loads(open_data_files(demo_config(), without)[routes.DATAPACKAGE])
    assert "transport.geojson" not in {r["path"] for r in package["resources"]}
    ctx = context(without, "fr", "Test")
    page = render_one(ctx, map_page)
    assert "data-portal-transport" not in page and "transport.geojson" not in page
    assert "transport.geojson" not in render_one(ctx, open_data_page)


def test_the_map_page_offers_the_layer_with_a_legend(demo_directory):
    for language in ("fr", "ar"):
        page = render_one(context(demo_directory, language, "Test"), map_page)
        settings = json.loads(page.split('id="portal-map-settings">', 1)[1].split("</script>", 1)[0])
        assert settings["transport"] == "../../data/transport.geojson"
        assert set(settings["lines"]) == {"demo:L1", "demo:L2", "demo:N"}
        patterns = [pattern for pattern, _ in settings["lines"].values()]
        assert len(set(patterns)) == 3  # each line its own stroke: told apart without colour
        assert "%(name)s" in settings["labels"]["stop"] and "%(lines)s" in settings["labels"]["stop"]
        assert "%(name)s" in settings["labels"]["line"]
        assert "data-portal-transport hidden" in page and "data-portal-transport-toggle checked" in page
        legend = page.split('class="portal-mapapp__legend"', 1)[1].split("</ul>", 1)[0]
        assert legend.count("<li>") == 4  # a stop, and the three lines
        assert "Redon – Bains-sur-Oust – Pipriac" in legend
    fr = render_one(context(demo_directory, "fr", "Test"), map_page)
    assert "Afficher les arrêts et les lignes de transport en commun" in fr
    assert "Ligne 1 – Redon – Bains-sur-Oust – Pipriac" in fr
    ar = render_one(context(demo_directory, "ar", "Test"), map_page)
    assert '<span lang="fr"' in ar.split('class="portal-mapapp__legend"', 1)[1]  # the feed's names, marked French
    assert "transport.geojson" in render_one(context(demo_directory, "fr", "Test"), open_data_page)


# --- in a browser: the layer on the interactive map -----------------------------------------------


@pytest.fixture(scope="module")
def transport_site(tmp_path_factory, demo_directory) -> Path:
    """The demo in French with its feed, as `build` makes it."""
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("transport-map") / "site"
    build_site(demo_config(), demo_directory, site, languages=("fr",))
    return site


@pytest.mark.build
@pytest.mark.browser
def test_the_interactive_map_draws_the_stops_and_lines_as_a_layer_one_can_hide(transport_site):
    from selenium.webdriver.common.by import By

    from generator.quality.serve import serving

    from helpers import make_browser, requested, wait_for

    with serving(transport_site) as address:
        driver = make_browser("fr", log=True)
        try:
            driver.get(f"{address}/fr/carte/")
            button = wait_for(driver, lambda: driver.find_element(By.CSS_SELECTOR, "[data-portal-map-optin]"))
            wait_for(driver, button.is_displayed)
            controls = driver.find_element(By.CSS_SELECTOR, "[data-portal-transport]")
            assert not controls.is_displayed()  # nothing about the layer before the map is asked for
            assert not any("transport.geojson" in url for url in requested(driver))
            button.click()

            # Read in one script: the map redraws its layers while it settles, and an element
            # found in one call may be gone by the next (a stale element).
            def labels() -> list[str]:
                return driver.execute_script(
                    "return Array.from(document.querySelectorAll('.portal-line-label'), e => e.textContent.trim());"
                )

            assert sorted(wait_for(driver, lambda: labels() if len(labels()) == 3 else None)) == ["1", "2", "N"]
            assert any(url.endswith("/data/transport.geojson") for url in requested(driver))
            dashes_list = driver.execute_script(
                "return Array.from(document.querySelectorAll('.leaflet-overlay-pane path'),"
                " p => p.getAttribute('stroke-dasharray'));"
            )
            dashes = set(dashes_list)
            # a line per route (its way back runs along the same stops: drawn once), a circle per stop
            assert len(dashes_list) == 3 + 7
            assert {"10 6", "2 6"} <= dashes  # lines told apart by their stroke, not only colour
            assert controls.is_displayed()
            # the popup of a stop says its name and lines
            driver.execute_script(
                "var p = Array.prototype.find.call(document.querySelectorAll('.leaflet-overlay-pane path'),"
                " function (e) { return e.getAttribute('stroke-width') === '2.5'; });"
                "p.dispatchEvent(new MouseEvent('click', {bubbles: true}));"
            )
            # The popup fades in: its visible text is empty until its opacity rises, so wait for the text.
            text = wait_for(
                driver,
                lambda: "".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".leaflet-popup-content")),
            )
            assert text.startswith("Arrêt ") and "Lignes : " in text
            # hidden, then shown again, from its checkbox
            toggle = driver.find_element(By.CSS_SELECTOR, "[data-portal-transport-toggle]")
            toggle.click()
            wait_for(driver, lambda: not labels())
            assert not driver.find_elements(By.CSS_SELECTOR, ".leaflet-overlay-pane path")
            toggle.click()
            wait_for(driver, lambda: len(labels()) == 3)
        finally:
            driver.quit()
