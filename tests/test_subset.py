"""Part of a territory: one département's site, and the regional page linking them."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest

from generator.cli import main
from generator.quality import broken_links, html_pages
from generator.records.departements import departement_of
from generator.records.directory import build_directory
from generator.records.subset import SubsetError, chosen_communes, parse_codes, restrict
from generator.records.types import LocalizedText
from generator.records.validate import Records
from generator.site.region import region_page

from helpers import DEMO, ROOT, TODAY, check

DEPARTEMENTS = ("35", "44", "56")
#: The options every command of these tests is given: the demo, on a fixed date.
DEMO_OPTIONS = ["--config", str(ROOT / "mkdocs.yml"), "--directory", str(DEMO), "--today", TODAY.isoformat()]


@pytest.fixture(scope="module")
def records() -> Records:
    found, report = check(DEMO)
    assert found is not None, [p.format() for p in report.errors]
    return found


def _place_commune(records: Records, pid: str) -> str:
    location = records.permanences[pid].location
    if location.service is not None:
        return records.services[location.service].address.commune
    assert location.address is not None
    return location.address.commune


@pytest.mark.parametrize("code", DEPARTEMENTS)
def test_a_departement_keeps_exactly_its_communes_places_and_every_right(records, code):
    part = restrict(records, chosen_communes(records.territory, departements=[code]))
    assert {c.insee for c in part.territory.communes} == {
        c.insee for c in records.territory.communes if departement_of(c.insee) == code
    }
    assert set(part.services) == {
        sid for sid, s in records.services.items() if departement_of(s.address.commune) == code
    }
    assert set(part.permanences) == {
        pid for pid in records.permanences if departement_of(_place_commune(records, pid)) == code
    }
    assert part.dispositifs == records.dispositifs and part.pathways == records.pathways
    assert part.taxonomy == records.taxonomy
    kept = {c.insee for c in part.territory.communes}
    for offer in [*part.services.values(), *part.permanences.values()]:
        area = offer.service_area
        assert area is None or area.everywhere or set(area.communes) <= kept
    for pid, permanence in part.permanences.items():
        holder = records.permanences[pid].held_by.service
        if holder is None or holder in part.services:
            assert permanence.held_by == records.permanences[pid].held_by
        else:  # its holder is on another département's site: named, not linked
            assert permanence.held_by.service is None
            assert permanence.held_by.organization == records.services[holder].name
    assert {kind for kind, rid in part.documents if rid and kind in ("services", "permanences")}
    assert all(rid in getattr(part, kind) for kind, rid in part.documents if kind in ("services", "permanences"))
    build_directory(part, TODAY)  # every index of the pages can be made


def test_the_departements_share_out_every_place_once(records):
    parts = [restrict(records, chosen_communes(records.territory, departements=[code])) for code in DEPARTEMENTS]
    services = [sid for part in parts for sid in part.services]
    permanences = [pid for part in parts for pid in part.permanences]
    assert sorted(services) == sorted(records.services) and sorted(permanences) == sorted(records.permanences)
    # the whole records are left as they were
    assert len(records.territory.communes) == 15
    assert all(p.held_by.service for pid, p in records.permanences.items() if pid == "csapa-guemene-penfao")


def test_a_few_communes_by_insee_code(records):
    part = restrict(records, chosen_communes(records.territory, communes=parse_codes("35236, 44185,35236")))
    assert [c.name for c in part.territory.communes] == ["Redon", "Saint-Nicolas-de-Redon"]
    assert {s.address.commune for s in part.services.values()} == {"35236", "44185"}


@pytest.mark.parametrize(
    "options, words",
    [
        (
            {"departements": ["99", "35"]},
            [
                "99 : pas un département de ce territoire",
                "35 (Ille-et-Vilaine, 5 communes), 44 (Loire-Atlantique, 5 communes), 56 (Morbihan, 5 communes)",
            ],
        ),
        (
            {"communes": ["35600"]},
            ["35600 : pas le code INSEE", "35600 est le code postal de Redon (code INSEE 35236)"],
        ),
        ({"departements": parse_codes(" , ")}, ["aucun code donné", "comme 35,44"]),
    ],
)
def test_unknown_codes_are_named_with_what_is_expected(records, options, words):
    with pytest.raises(SubsetError) as error:
        chosen_communes(records.territory, **options)
    for expected in words:
        assert expected in str(error.value)


def test_a_part_with_no_place_is_refused(records):
    empty = dataclasses.replace(records, services={}, permanences={})
    with pytest.raises(SubsetError, match="aucun service et aucune permanence"):
        restrict(empty, {"35236"})


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, *DEMO_OPTIONS])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "option, words",
    [
        (["--departements", "99"], "erreur : --departements 99 : 99 : pas un département de ce territoire"),
        (["--communes", "35600"], "erreur : --communes 35600 : 35600 : pas le code INSEE"),
        (["--departements", ","], "erreur : --departements , : aucun code donné"),
        (
            ["--departements", "35", "--site-url", "sante.example.org"],
            "erreur : --site-url sante.example.org n'est pas une adresse web",
        ),
    ],
)
def test_the_build_command_refuses_a_bad_code_before_building_anything(tmp_path, capsys, option, words):
    code, _out, err = _run(capsys, "build", *option, "--languages", "fr", "--site-dir", str(tmp_path / "site"))
    assert code == 1
    assert words in err and "Traceback" not in err and "erreur interne" not in err
    assert not (tmp_path / "site").exists() and list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def region(tmp_path_factory, records) -> Path:
    """Two départements of the demo built apart, French only, into site/44 and site/56."""
    site = tmp_path_factory.mktemp("region") / "site"
    for code in ("44", "56"):
        status = main(
            [
                "build",
                "--departements",
                code,
                "--languages",
                "fr",
                "--site-dir",
                str(site / code),
                "--site-url",
                f"https://sante.example.org/{code}/",
                *DEMO_OPTIONS,
            ]
        )
        assert status == 0
    return site


def _files(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".csv", ".json", ".geojson", ".ics")
    }


@pytest.mark.build
def test_a_departement_site_has_its_records_and_none_of_the_others(region, records):
    site = region / "44"
    part = restrict(records, chosen_communes(records.territory, departements=["44"]))
    for sid in records.services:
        assert (site / "fr" / "services" / sid / "index.html").is_file() == (sid in part.services), sid
    for pid in records.permanences:
        assert (site / "fr" / "permanences" / pid / "index.html").is_file() == (pid in part.permanences), pid
    for did in records.dispositifs:
        assert (site / "fr" / "dispositifs" / did / "index.html").is_file()
    assert sorted(p.name for p in (site / "fr" / "communes").iterdir() if p.is_dir()) == [
        "avessac",
        "fegreac",
        "guemene-penfao",
        "plesse",
        "saint-nicolas-de-redon",
    ]
    files = _files(site)
    gone = [
        *(f"services/{sid}" for sid in set(records.services) - set(part.services)),
        *(f"permanences/{pid}" for pid in set(records.permanences) - set(part.permanences)),
    ]
    for path, text in files.items():
        for link in gone:
            assert link not in text, (path, link)
        if path == "data/transport.geojson":
            continue  # the bus network's own data, whole: its lines cross the départements
        # A bus line's direction may be a commune of another département (« direction Allaire
        # Mairie »): the network's words, not a record of that département.
        text = re.sub(
            r'<div class="portal-getting-there">.*?<p><a href="https://www.openstreetmap.org/directions',
            "",
            text,
            flags=re.S,
        )
        text = re.sub(r'<div class="portal-mapapp__transport".*?</ul>', "", text, flags=re.S)  # the lines' legend
        assert "Pipriac" not in text and "Allaire" not in text, path  # communes of 35 and 56
    with io.StringIO(files["data/services.csv"].lstrip("\ufeff")) as table:
        assert {row["id"] for row in csv.DictReader(table, delimiter=";")} == set(part.services)
    kept = {*part.services, *part.permanences}
    exported = {s["id"].split("--", 1)[1].removeprefix("permanences:") for s in json.loads(files["data/services.json"])}
    assert exported == kept  # data·inclusion
    # published under the region's address, in the département's folder
    assert "https://sante.example.org/44/fr/services/msp-fegreac/" in files["fr/services/msp-fegreac/index.html"]
    # held by a service of Redon (35): named, without a link to a page this site does not have
    assert "CSAPA Le Gué" in files["fr/permanences/csapa-guemene-penfao/index.html"]


@pytest.mark.build
def test_a_departement_site_has_no_broken_link_in_its_folder(region, tmp_path):
    site = region / "44"
    findings = broken_links(site, html_pages(site), root="/44/")
    # French only was built: only the links to the same page in the other languages lead nowhere
    assert findings and all(re.search(r"pas de fichier (en|ar|fa-AF|uk|ru|ps|ti)/", f.message) for f in findings), (
        findings[:3]
    )
    # the 404 page's links start with /44/fr/: read from the site's root, they would lead nowhere
    assert any("pas de fichier 44/fr/" in f.message for f in broken_links(site, html_pages(site)))
    # a link from the root that leaves the département's folder is reported
    (tmp_path / "index.html").write_text('<a href="/44/">here</a> <a href="/fr/">elsewhere</a>')
    assert [f.message for f in broken_links(tmp_path, html_pages(tmp_path), root="/44/")] == [
        '<a href="/fr/"> : pas de fichier /fr/'
    ]


@pytest.mark.build
def test_the_regional_page_links_each_departement_built(region, capsys):
    code, _out, err = _run(capsys, "region-index", "--site-dir", str(region))
    assert code == 1 and "aucun site construit pour 35" in err and "--departements 35 --site-dir" in err
    assert not (region / "index.html").exists()

    code, _out, err = _run(capsys, "region-index", "--site-dir", str(region), "--departements", "44,56")
    assert code == 0, err
    page = (region / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr" dir="ltr">' in page and "<h1>Santé Pays de Redon (démo)</h1>" in page
    assert '<a href="44/">Loire-Atlantique (44)</a>' in page and '<a href="56/">Morbihan (56)</a>' in page
    assert '<a href="44/fr/" lang="fr" dir="ltr" hreflang="fr">Français</a>' in page
    assert 'href="44/en/"' not in page  # only the languages built
    assert "<div><p>Ce portail vous aide" in page and "l'aide pour vos droits" in page  # the territory's description

    code, _out, err = _run(capsys, "region-index", "--site-dir", str(region / "44"))
    assert code == 1 and "pas un dossier de sites de départements" in err


def test_the_regional_page_escapes_every_value():
    description = LocalizedText({"fr": "Texte <b>gras</b>", "ar": "<script>x</script>"})
    page = region_page("<script>alert(1)</script>", description, "ar", [("2A", ["fr", "ar"])])
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<html lang="ar" dir="rtl">' in page and "Corse-du-Sud (2A)" in page
    assert '<a href="2A/ar/" lang="ar" dir="rtl" hreflang="ar">' in page
