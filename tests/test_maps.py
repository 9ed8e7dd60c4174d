"""Maps: GeoJSON exports, the build-time SVG map, and the map pages without JavaScript."""

from __future__ import annotations

import posixpath
import re

import geojson
import pytest

from generator.opendata import geojson as geo_export
from generator.render import geo
from generator.render.maps import SHAPES, territory_map

from helpers import DEMO_LANGUAGES, context, found, load_directory

LANGUAGES = DEMO_LANGUAGES


def test_geojson_files_are_valid_and_match_the_records(demo_directory, demo_pages):
    # What the build writes in data/ (test_opendata.py checks that it writes these files).
    directory = demo_directory
    files = geo_export.geojson_files(directory, LANGUAGES)
    pages = set(demo_pages["fr"])
    services = geojson.loads(files["data/services.geojson"])
    assert services.is_valid, services.errors()
    assert len(services["features"]) == len(directory.services)
    for feature in services["features"]:
        service = directory.services[feature["id"]]
        assert feature["geometry"]["type"] == "Point"
        # RFC 7946: longitude first
        assert feature["geometry"]["coordinates"] == [service.longitude, service.latitude]
        properties = feature["properties"]
        assert properties["name"] == {lang: service.name.get(lang)[0] for lang in LANGUAGES}
        assert properties["category"] == service.category
        assert properties["opening_hours"] == service.opening_hours
        assert properties["address"]["commune"] == service.address.commune
        # Each language's address of the record's page: a page the build writes, in that language's folder.
        # (Every language has the same pages: test_languages.py.)
        assert set(properties["url"]) == set(LANGUAGES)
        for language, url in properties["url"].items():
            language_folder, _, page = url.rstrip("/").partition("/")
            assert language_folder == language and f"{page}.md" in pages, url
    permanences = geojson.loads(files["data/permanences.geojson"])
    assert permanences.is_valid
    for feature in permanences["features"]:
        place = directory.place_of_permanence(feature["id"])
        assert feature["geometry"]["coordinates"] == [place.longitude, place.latitude]
        assert feature["properties"]["next"] == [
            [s.start.isoformat(), s.end.isoformat()] for s in directory.upcoming_sessions[feature["id"]]
        ]
    communes = geojson.loads(files["data/communes.geojson"])
    assert communes.is_valid and len(communes["features"]) == len(directory.communes)
    for insee, slug in directory.commune_slugs.items():
        one = geojson.loads(files[f"data/communes/{slug}.geojson"])
        assert one.is_valid
        assert {f["properties"]["address"]["commune"] for f in one["features"]} <= {insee}
        assert {f["id"] for f in one["features"] if f["properties"]["kind"] == "service"} == set(
            directory.services_located_in.get(insee, [])
        )


def test_commune_outlines_become_polygons(minimal):
    territory = minimal / "territory.yml"
    territory.write_text(
        territory.read_text().replace(
            "    longitude: -2.00\n",
            "    longitude: -2.00\n    outline:\n      type: Polygon\n      coordinates: [[[-2.05, 47.57], [-1.95, 47.57], [-1.95, 47.63], [-2.05, 47.63], [-2.05, 47.57]]]\n",
            1,
        )
    )
    directory = load_directory(minimal)
    [villebourg] = [f for f in geo_export.commune_features(directory, ("fr",)) if f["id"] == "35001"]
    assert villebourg["geometry"]["type"] == "Polygon" and villebourg.is_valid
    placed = geo.layout(directory, geo.SpatialIndex(directory), geo.territory_projection(directory))
    assert [insee for insee, _ in placed.outlines] == ["35001"]


def test_the_open_now_data_covers_the_next_two_weeks(demo_directory):
    [feature] = [f for f in geo_export.service_features(demo_directory, ("fr",)) if f["id"] == "msp-redon"]
    spans = feature["properties"]["open"]
    assert spans and all(a < b for a, b in spans)
    days = {__import__("datetime").datetime.fromtimestamp(a).date() for a, _ in spans}
    assert max(days) - min(days) >= __import__("datetime").timedelta(days=10)


SVG = re.compile(r'<svg class="portal-map__svg".*?</svg>', re.S)
LINK = re.compile(r'<a href="([^"]+)" aria-label="([^"]+)">')


@pytest.mark.build
def test_the_territory_map_links_every_service_with_a_name(demo_site, demo_directory):
    for language in ("fr", "ar"):
        page = demo_site / language / "carte" / "index.html"
        svg = found(SVG, page.read_text(encoding="utf-8")).group(0)
        assert len(svg.encode()) < 60_000, "the map's size budget"
        links = LINK.findall(svg)
        assert len(links) == len(demo_directory.services)
        targets = set()
        for href, name in links:
            target = posixpath.normpath(posixpath.join(f"{language}/carte/", href))
            assert (demo_site / target / "index.html").is_file(), href
            assert name.strip()
            targets.add(target.split("/")[-1])
        assert targets == set(demo_directory.services)


def test_shapes_tell_the_categories_apart_and_the_legend_names_them(demo_directory):
    view = territory_map(context(demo_directory))
    shapes = {s.shape for s in view.symbols}
    assert len(shapes) >= 4  # readable in black and white: not colour alone
    assert [e.shape for e in view.legend] == [s.value for s in SHAPES if s.value in shapes]
    legend = " ".join(str(e.categories) for e in view.legend)
    for category in demo_directory.taxonomy.categories.values():
        assert category.label.source.split(" ")[0] in legend
    for label in view.labels:  # commune names stay inside the map
        width = 0.58 * geo.LABEL_SIZE * len(label.text)
        left = {"start": label.x, "end": label.x - width, "middle": label.x - width / 2}[label.anchor]
        assert left >= 0 and left + width <= view.width


def test_symbols_do_not_hide_each_other(demo_directory):
    placed = geo.layout(demo_directory, geo.SpatialIndex(demo_directory), geo.territory_projection(demo_directory))
    points = [(s.x, s.y) for s in placed.symbols]
    closest = min(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(points) for b in points[i + 1 :]
    )
    assert closest >= geo.CROWD


@pytest.mark.parametrize(
    "path", ["services/msp-redon.md", "permanences/assurance-maladie-pipriac.md", "communes/redon.md"]
)
def test_record_and_commune_pages_have_a_small_map_and_directions(demo_pages, path):
    page = __import__("html").unescape(demo_pages["fr"][path])
    assert 'class="portal-map portal-map--small"' in page
    if not path.startswith("communes/"):
        assert "https://www.openstreetmap.org/directions?route=" in page


@pytest.mark.build
def test_the_map_page_lists_every_service_without_javascript(demo_site_fr, demo_directory):
    html = (demo_site_fr / "fr" / "carte" / "index.html").read_text(encoding="utf-8")
    for sid in demo_directory.services:
        assert f'data-id="{sid}"' in html and f'href="../services/{sid}/"' in html
    # the filters and the opt-in button need the script: hidden until it shows them
    assert re.search(r'<form class="portal-filters" data-portal-filters hidden>', html)
    assert re.search(r'<button type="button" class="portal-button" data-portal-map-optin hidden>', html)
    # no third-party address is loaded by the page itself
    # (the canonical address names the public site: it is not loaded)
    for tag in re.findall(r'<(?:script|link(?! rel="canonical")|img)[^>]+(?:src|href)="([^"]+)"', html):
        assert not tag.startswith(("http://", "https://", "//")), tag


def test_geojson_text_carries_no_markup_but_the_same_data(minimal):
    path = minimal / "services" / "msp-villebourg.yml"
    path.write_text(
        path.read_text().replace(
            "name: {fr: Maison de santé de Villebourg, en: Villebourg health centre}", 'name: "<b>A & B</b>"'
        )
    )
    text = geo_export.geojson_files(load_directory(minimal), ("fr",))["data/services.geojson"]
    assert "<" not in text and ">" not in text and "&" not in text
    names = {f["id"]: f["properties"]["name"]["fr"] for f in geojson.loads(text)["features"]}
    assert names["msp-villebourg"] == "<b>A & B</b>"
