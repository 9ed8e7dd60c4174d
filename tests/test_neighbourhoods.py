"""Neighbourhoods of a commune: validation, where records are, pages, observatory and exports."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest

from generator import routes
from generator.editor.schema import record_schema
from generator.opendata import csv_files
from generator.opendata.geojson import geojson_files
from generator.records.indicators import observatory
from generator.records.neighbourhoods import NEAR_METRES, centroid, contains
from generator.records.types import QPV_CODE_PATTERN

from helpers import check, load_directory, render_pages

# Villebourg (35001) in the minimal territory; its MSP is at 47.601, -2.001.
SQUARE = "[[[-2.0030, 47.5990], [-1.9990, 47.5990], [-1.9990, 47.6030], [-2.0030, 47.6030], [-2.0030, 47.5990]]]"


def _with_neighbourhoods(minimal, text: str) -> None:
    """Append `text` (the lines of a `neighbourhoods:` list) to Villebourg, the first commune."""
    path = minimal / "territory.yml"
    source = path.read_text(encoding="utf-8")
    anchor = "    longitude: -2.00\n"
    assert source.count(anchor) == 1
    path.write_text(source.replace(anchor, anchor + text), encoding="utf-8")


def _line_of(path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def _errors(report) -> list[tuple[str, int, str]]:
    return [(p.path.name, p.line, p.message) for p in report.errors]


def _has(report, file: str, line: int, words: str) -> bool:
    return any(f == file and n == line and words in m for f, n, m in _errors(report))


# --- validation ------------------------------------------------------------------------


def test_mistakes_in_the_neighbourhoods_are_named_at_their_line(minimal):
    _with_neighbourhoods(
        minimal,
        "    neighbourhoods:\n"
        "      - code: centre\n"
        "        name: Centre\n"
        "        kind: other\n"
        "        point: {latitude: 47.60, longitude: -2.00}\n"
        "      - code: centre\n"
        "        name: Centre bis\n"
        "        kind: other\n"
        "        point: {latitude: 47.60, longitude: -2.00}\n"
        "      - code: QP035001\n"
        "        name: Ancien QPV\n"
        "        kind: qpv\n"
        "        point: {latitude: 47.60, longitude: -2.00}\n"
        "      - code: QN04401A\n"
        "        name: QPV d'un autre département\n"
        "        kind: qpv\n"
        "        point: {latitude: 47.60, longitude: -2.00}\n"
        "      - code: loin\n"
        "        name: Loin\n"
        "        kind: other\n"
        "        point: {latitude: 43.30, longitude: 5.40}\n",
    )
    territory = minimal / "territory.yml"
    records, report = check(minimal)
    assert records is None
    lines = territory.read_text(encoding="utf-8").splitlines()

    def line(needle: str, after: int = 0) -> int:
        return next(n for n, text in enumerate(lines, 1) if n > after and needle in text)

    first = line("- code: centre")
    assert _has(report, "territory.yml", line("- code: centre", first), "le quartier « centre » est déjà déclaré")
    assert _has(report, "territory.yml", line("QP035001"), "code de QPV d'avant 2024"), _errors(report)
    assert _has(report, "territory.yml", line("QN04401A"), "attendu un code qui commence par « QN035 »")
    assert _has(report, "territory.yml", line("latitude: 43.30"), "est hors du territoire")


def test_an_open_outline_or_no_place_at_all_is_refused_at_its_line(minimal):
    _with_neighbourhoods(
        minimal,
        "    neighbourhoods:\n"
        "      - code: ouvert\n"
        "        name: Contour ouvert\n"
        "        kind: other\n"
        "        outline: {type: Polygon, coordinates: [[[-2.0, 47.6], [-1.99, 47.6], [-1.99, 47.61], [-2.0, 47.61]]]}\n"
        "      - code: nulle-part\n"
        "        name: Sans lieu\n"
        "        kind: other\n",
    )
    territory = minimal / "territory.yml"
    records, report = check(minimal)
    assert records is None
    assert _has(report, "territory.yml", _line_of(territory, "outline: {type: Polygon"), "Polygon GeoJSON non valide")
    assert _has(report, "territory.yml", _line_of(territory, "- code: nulle-part"), "dites où est le quartier"), (
        _errors(report)
    )


#: A QPV of Villebourg given by its point (the minimal territory's commune 35001).
LES_ESSAIS = (
    "    neighbourhoods:\n"
    "      - code: QN03501A\n"
    "        name: Les Essais\n"
    "        kind: qpv\n"
    "        point: {latitude: 47.601, longitude: -2.001}\n"
)


def test_a_record_names_a_neighbourhood_of_its_own_commune(minimal):
    _with_neighbourhoods(minimal, LES_ESSAIS)
    service = minimal / "services" / "msp-villebourg.yml"
    permanence = minimal / "permanences" / "cpam-le-hameau.yml"
    service.write_text(service.read_text(encoding="utf-8") + "neighbourhood: QN03501A\n", encoding="utf-8")
    records, report = check(minimal)
    assert records is not None, _errors(report)
    # the permanence is held at Le Hameau (44001): Villebourg's neighbourhood is not its own
    permanence.write_text(permanence.read_text(encoding="utf-8") + "neighbourhood: QN03501A\n", encoding="utf-8")
    service.write_text(service.read_text(encoding="utf-8").replace("QN03501A", "inconnu"), encoding="utf-8")
    records, report = check(minimal)
    assert records is None
    assert _has(
        report, "cpam-le-hameau.yml", _line_of(permanence, "neighbourhood:"), "c'est un quartier de Villebourg"
    ), _errors(report)
    assert _has(report, "msp-villebourg.yml", _line_of(service, "neighbourhood:"), "a ces quartiers : QN03501A")


def test_qpv_codes_follow_the_2024_numbering():
    assert QPV_CODE_PATTERN.match("QN03501A") and QPV_CODE_PATTERN.match("QN02A01M")
    assert QPV_CODE_PATTERN.match("QN97101B")
    for wrong in ("QP035001", "QN0350", "QN035012A", "qn03501a", "QN3501AA"):
        assert not QPV_CODE_PATTERN.match(wrong), wrong


# --- where records are -----------------------------------------------------------------


def test_point_in_polygon_with_a_hole_and_centroid():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]]}
    holed = {**square, "coordinates": [*square["coordinates"], [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]]]}
    assert contains(square, 2, 2) and not contains(square, 5, 2)
    assert not contains(holed, 2, 2) and contains(holed, 0.5, 0.5)  # (latitude, longitude)
    multi = {"type": "MultiPolygon", "coordinates": [square["coordinates"], [[[10, 10], [11, 10], [11, 11], [10, 10]]]]}
    assert contains(multi, 10.2, 10.8) and not contains(multi, 10.8, 10.2)
    assert centroid(square) == pytest.approx((2.0, 2.0))


def test_an_outline_finds_its_places_and_a_named_neighbourhood_wins(minimal):
    _with_neighbourhoods(
        minimal,
        "    neighbourhoods:\n"
        "      - code: essais\n"
        "        name: Les Essais\n"
        "        kind: other\n"
        f"        outline: {{type: Polygon, coordinates: {SQUARE}}}\n"
        "      - code: gare\n"
        "        name: La Gare\n"
        "        kind: other\n"
        "        point: {latitude: 47.590, longitude: -2.010}\n",
    )
    directory = load_directory(minimal)
    assert directory.neighbourhood_of[("services", "msp-villebourg")] == "essais"
    assert "msp-villebourg" in directory.neighbourhoods["essais"].services
    service = minimal / "services" / "msp-villebourg.yml"
    service.write_text(service.read_text(encoding="utf-8") + "neighbourhood: gare\n", encoding="utf-8")
    directory = load_directory(minimal)
    assert directory.neighbourhood_of[("services", "msp-villebourg")] == "gare"
    assert "msp-villebourg" not in directory.neighbourhoods["essais"].services
    assert directory.neighbourhoods["gare"].services == ("msp-villebourg",)


# --- pages -------------------------------------------------------------------------------


def test_the_commune_page_lists_its_neighbourhoods_and_their_places(demo_pages):
    page = demo_pages["fr"]["communes/redon.md"]
    section = page[page.index('id="quartiers"') :]
    gare = section[section.index("Quartier de la Gare (fictif)") : section.index("Quartier du Port (fictif)")]
    assert "/services/msp-redon.md" in gare and "/services/cmp-adultes-redon.md" in gare
    assert "/services/ccas-redon.md" not in gare
    port = section[section.index("Quartier du Port (fictif)") : section.index('id="permanences"')]
    assert "/services/france-services-redon.md" in port
    assert f"À moins de {NEAR_METRES} m du centre du quartier, à vol d'oiseau" in port
    assert "/services/dentiste-redon.md" in port  # 200 m from its point
    # the demo has no QPV: the sentence is for pages that list one
    assert "quartier prioritaire de la politique de la ville" not in page
    english = demo_pages["en"]["communes/redon.md"]
    assert "Places and drop-in sessions in this neighbourhood:" in english


def test_a_qpv_is_explained_and_a_record_page_names_its_neighbourhood(minimal):
    _with_neighbourhoods(minimal, LES_ESSAIS)
    service = minimal / "services" / "msp-villebourg.yml"
    service.write_text(service.read_text(encoding="utf-8") + "neighbourhood: QN03501A\n", encoding="utf-8")
    pages = render_pages(load_directory(minimal), "fr")
    commune = pages["communes/villebourg.md"]
    assert "« quartier prioritaire de la politique de la ville »" in commune
    assert "Les Essais (quartier prioritaire, QPV)" in commune
    assert "Quartier : Les Essais" in pages["services/msp-villebourg.md"]
    assert "Quartier :" not in pages["services/cpam-villebourg.md"]
    arabic = render_pages(load_directory(minimal), "ar")["services/msp-villebourg.md"]
    assert "الحي:" in arabic


# --- observatory and exports -------------------------------------------------------------


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine, written again here: the test does not trust the function it checks."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_the_nearest_pmi_from_a_neighbourhood_recomputed_from_the_records(demo_directory):
    d = demo_directory
    # The Gare's outline is a rectangle: its centroid is the middle of its corners.
    latitude, longitude = (47.6462 + 47.6492) / 2, (-2.0880 + -2.0770) / 2
    pmis = [(s.latitude, s.longitude) for s in d.services.values() if "pmi" in (s.category, *s.other_categories)]
    pmis += [
        (d.place_of_permanence(pid).latitude, d.place_of_permanence(pid).longitude)
        for pid, p in d.permanences.items()
        if "pmi" in p.categories and not d.has_ended(pid)
    ]
    expected = round(min(_km(latitude, longitude, lat, lon) for lat, lon in pmis), 1)
    figures = {q.code: q for q in observatory(d, ()).neighbourhoods}
    gare = figures["redon-gare-demo"]
    assert gare.nearest_km["pmi"] == expected
    in_it = [
        sid
        for sid, s in d.services.items()
        if s.neighbourhood == "redon-gare-demo"
        or (-2.0880 < s.longitude < -2.0770 and 47.6462 < s.latitude < 47.6492 and s.neighbourhood is None)
    ]
    assert gare.services == len(in_it) and gare.population == 1800


def test_the_observatory_has_a_table_and_a_csv_by_neighbourhood(demo_directory, demo_pages):
    page = demo_pages["fr"]["observatoire/index.md"]
    table = page[page.index("Indicateurs par quartier") :]
    table = table[: table.index("</table>")]
    assert "Quartier de la Gare (fictif)" in table and "Quartier du Port (fictif)" in table
    assert "Valeur de démonstration inventée" in page  # the population's source, in the definitions
    files = csv_files(demo_directory, base_url=None)
    rows = list(csv.DictReader(io.StringIO(files[routes.NEIGHBOURHOODS_CSV].decode("utf-8-sig")), delimiter=";"))
    by_code = {row["code"]: row for row in rows}
    assert set(by_code) == {"redon-gare-demo", "redon-port-demo"}
    assert by_code["redon-port-demo"]["places"] == "2" and by_code["redon-port-demo"]["population"] == ""
    assert by_code["redon-gare-demo"]["insee"] == "35236" and by_code["redon-gare-demo"]["kind"] == "other"


def test_the_exports_carry_each_record_s_neighbourhood_and_the_neighbourhoods(demo_directory):
    files = csv_files(demo_directory, base_url=None)
    services = {
        row["id"]: row
        for row in csv.DictReader(io.StringIO(files[routes.SERVICES_CSV].decode("utf-8-sig")), delimiter=";")
    }
    assert services["msp-redon"]["neighbourhood"] == "redon-gare-demo"
    assert services["france-services-redon"]["neighbourhood"] == "redon-port-demo"
    assert services["pass-trois-rivieres"]["neighbourhood"] == ""
    permanences = {
        row["id"]: row
        for row in csv.DictReader(io.StringIO(files[routes.PERMANENCES_CSV].decode("utf-8-sig")), delimiter=";")
    }
    assert permanences["pass-epicerie-solidaire-redon"]["neighbourhood"] == "redon-gare-demo"
    maps = geojson_files(demo_directory, ("fr",))
    quarters = {f["id"]: f for f in json.loads(maps[routes.NEIGHBOURHOODS_GEOJSON])["features"]}
    assert quarters["redon-gare-demo"]["geometry"]["type"] == "Polygon"
    assert quarters["redon-port-demo"]["geometry"] == {"type": "Point", "coordinates": [-2.085, 47.6545]}
    assert "msp-redon" in quarters["redon-gare-demo"]["properties"]["services"]
    points = {f["id"]: f for f in json.loads(maps[routes.SERVICES_GEOJSON])["features"]}
    assert points["msp-redon"]["properties"]["neighbourhood"] == "redon-gare-demo"


def test_the_record_schemas_describe_the_neighbourhood_field():
    """The editors' JSON Schema is derived from the model: the field, its French title and its pattern."""
    for kind in ("service", "permanence"):
        field = record_schema(kind)["properties"]["neighbourhood"]
        assert field["title"] == "Quartier"
        pattern = next(choice["pattern"] for choice in field["anyOf"] if "pattern" in choice)
        assert re.search(pattern, "QN03501A") and re.search(pattern, "redon-gare-demo")
        assert not re.search(pattern, "Quartier de la Gare")
