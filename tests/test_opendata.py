"""Open data under site/data/: CSV tables that open as they are in LibreOffice
and Excel, and a datapackage.json that describes every file with its licence."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from generator.editor import schema_files
from generator.opendata import LICENCE, data_files
from generator.site.build import open_data_files

from helpers import DEMO_SITE_URL, demo_config

SITE = "https://sante.example.org/"


@pytest.fixture(scope="module")
def published(demo_directory) -> dict[str, bytes]:
    """The demo's data/, as its build writes it (test_the_build_publishes_them checks that it does)."""
    return open_data_files(demo_config(), demo_directory)


def read(data: bytes, separator: str = ";") -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=separator))


def test_services_and_permanences_as_csv(demo_directory):
    files = data_files(demo_directory, base_url=SITE, title="Santé")
    services = read(files["data/services.csv"])
    assert [row["id"] for row in services] == list(demo_directory.services)
    msp = next(row for row in services if row["id"] == "msp-redon")
    assert msp["name"] == "Maison de santé du Canal" and msp["commune_insee"] == "35236" and msp["commune"] == "Redon"
    assert msp["phones"] == "01 99 00 19 50 (Secrétariat) | 01 99 00 19 51 (Infirmiers)"
    assert (
        msp["page"] == SITE + "fr/services/msp-redon/"
        and msp["verified"] == demo_directory.services["msp-redon"].verified.isoformat()
    )
    assert float(msp["latitude"]) == demo_directory.services["msp-redon"].latitude
    permanences = read(files["data/permanences.csv"])
    assert [row["id"] for row in permanences] == list(demo_directory.permanences)
    pipriac = next(row for row in permanences if row["id"] == "assurance-maladie-pipriac")
    assert pipriac["schedule"].startswith("Tu[2]")
    assert (
        pipriac["next_sessions"].split(" | ")[0]
        == demo_directory.upcoming_sessions["assurance-maladie-pipriac"][0].start.isoformat()
    )


def test_commas_on_request_and_text_with_separators_stays_whole(demo_directory):
    files = data_files(demo_directory, base_url=None, separator=",")
    rows = read(files["data/services.csv"], ",")
    assert len(rows) == len(demo_directory.services) and all(row["page"] == "" for row in rows)
    # a schedule with ';' and ',' is one field, quoted
    assert any(";" in row["opening_hours"] and "," in row["opening_hours"] for row in rows)
    with pytest.raises(ValueError):
        data_files(demo_directory, base_url=None, separator="\t")


def test_the_datapackage_describes_every_file_and_its_licence(demo_directory):
    files = data_files(demo_directory, base_url=SITE, title="Santé", other_files=["data/services.geojson"])
    package = json.loads(files["data/datapackage.json"])
    assert package["licenses"] == [LICENCE] and package["title"] == "Santé"
    paths = {resource["path"]: resource for resource in package["resources"]}
    assert set(paths) == {
        "services.csv",
        "permanences.csv",
        "observatoire-quartiers.csv",
        "observatoire.csv",
        "structures.json",
        "services.json",
        "hsds/services.json",
        "hsds/organizations.json",
        "services.geojson",
    }
    for name in ("services.csv", "permanences.csv", "observatoire.csv"):
        header = files[f"data/{name}"].decode("utf-8-sig").split("\r\n", 1)[0].split(";")
        assert [field["name"] for field in paths[name]["schema"]["fields"]] == header
        assert paths[name]["dialect"]["delimiter"] == ";" and paths[name]["encoding"] == "utf-8-sig"


@pytest.mark.build
def test_the_build_publishes_them(demo_site_fr, published):
    """The one test that reads data/ in a built site: the other tests of data/ read what
    `open_data_files` makes, and here the build writes exactly that, whatever the languages built."""
    data = demo_site_fr / "data"
    written = {
        path.relative_to(demo_site_fr).as_posix(): path.read_bytes() for path in data.rglob("*") if path.is_file()
    }
    # Beside the data, the records' JSON Schemas (the web editor's, tests/test_editor.py).
    schemas = {path: data for path, data in schema_files(DEMO_SITE_URL).items() if path.startswith("data/")}
    assert schemas
    expected = {**published, **schemas}
    assert sorted(written) == sorted(expected)
    assert [path for path in written if written[path] != expected[path]] == []
    package = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert (data / resource["path"]).is_file(), resource["path"]


def test_the_datapackage_of_the_demo_describes_each_file_of_data(published):
    package = json.loads(published["data/datapackage.json"])
    described = {"data/" + resource["path"] for resource in package["resources"]}
    assert described | {"data/datapackage.json"} == set(published)
    assert len(package["resources"]) >= 3 + 15  # 2 tables, 3 GeoJSON files, one per commune
    assert package["licenses"][0]["name"] == "etalab-2.0"


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(demo_directory):
    import dataclasses

    service = demo_directory.services["msp-redon"]
    spoiled = dataclasses.replace(
        demo_directory,
        services={
            **demo_directory.services,
            "msp-redon": service.model_copy(
                update={"source": '=HYPERLINK("http://evil.example.com","clic")', "email": "@x"}
            ),
        },
    )
    rows = read(data_files(spoiled, base_url=None)["data/services.csv"])
    row = next(r for r in rows if r["id"] == "msp-redon")
    assert row["source"] == '\'=HYPERLINK("http://evil.example.com","clic")' and row["email"] == "'@x"
    assert float(row["longitude"]) == service.longitude < 0  # a negative number is not text


@pytest.mark.build
def test_the_open_data_page_lists_every_file_with_its_licence(demo_site, published):
    from generator.render.statements import OPEN_DATA_FILES

    package = json.loads(published["data/datapackage.json"])
    listed = {f.path for f in OPEN_DATA_FILES}
    published = {"data/" + r["path"] for r in package["resources"] if not r["path"].startswith("communes/")}
    assert published | {"data/datapackage.json"} <= listed  # nothing published goes unlisted
    for language in ("fr", "en", "ar"):
        page = (demo_site / language / "donnees-ouvertes" / "index.html").read_text(encoding="utf-8")
        assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in page
        assert "pays-de-redon-demo" in page  # the producer id, as mkdocs.yml sets it
        for item in OPEN_DATA_FILES:
            assert f'href="{item.href()}"' in page
            target = (demo_site / language / "donnees-ouvertes" / item.href()).resolve()
            assert target.is_file(), (language, item.path)
    home = (demo_site / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="donnees-ouvertes/"' in home  # linked from every footer
    arabic = (demo_site / "ar" / "donnees-ouvertes" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'lang="fr"[^>]*>Licence Ouverte', arabic)  # the licence's French name, marked as French


#: Line breaks a reader may end a line at (a lone CR, VT, FF, the separators, NEL, U+2028, U+2029),
#: control characters a terminal obeys, and DEL.
HIDDEN = "\rA\x0bB\x0cC\x1cD\x85E\u2028F\u2029G\x1b[31mH\x7f"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def test_a_value_cannot_add_a_row_or_split_a_line_in_any_export(demo_directory):
    # `check` refuses such text (test_validation.py); every file of data/ stays whole even when given it.
    import dataclasses

    from generator.records.types import LocalizedText

    service = demo_directory.services["msp-redon"]
    name = f"Maison de santé{HIDDEN}"
    spoiled = dataclasses.replace(
        demo_directory,
        services={
            **demo_directory.services,
            "msp-redon": service.model_copy(update={"name": LocalizedText({"fr": name}), "source": f"Appel{HIDDEN}"}),
        },
    )
    files = open_data_files(demo_config(), spoiled)
    for path, data in files.items():
        text = data.decode("utf-8-sig")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]", text), path
        assert "\r" not in text.replace("\r\n", ""), path  # a CR only ends a CSV row
        if not path.endswith(".csv"):
            assert name not in text and len(text.splitlines()) == text.count("\n") + (not text.endswith("\n"))
    # escaped, not changed: the JSON files give the value back as it was
    for path in ("data/services.json", "data/hsds/services.json", "data/services.geojson"):
        assert name in _strings(json.loads(files[path])), path
    # one row per record; the line breaks become a cell's own lines, the controls U+FFFD
    rows = read(files["data/services.csv"])
    assert len(rows) == len(demo_directory.services)
    [row] = [r for r in rows if r["id"] == "msp-redon"]
    assert row["name"] == "Maison de santé\nA\nB\nC\nD\nE\nF\nG\ufffd[31mH\ufffd"
    assert row["source"] == "Appel\nA\nB\nC\nD\nE\nF\nG\ufffd[31mH\ufffd"
