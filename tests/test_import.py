"""`python -m generator import data-inclusion`: records that exist elsewhere become ours,
what cannot be mapped is reported, a second run duplicates nothing and overwrites
no hand edit, and import followed by export gives back what went in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from data_inclusion.schema import v1 as di
from pydantic import BaseModel

from generator.cli import main
from generator.importing import import_data_inclusion
from generator.opendata import data_files
from generator.problems import Report

from helpers import FIXTURES, TODAY, check, load_directory

SAMPLE = FIXTURES / "data-inclusion"
FILES = [SAMPLE / "services.json", SAMPLE / "structures.json"]

#: The fields of a data·inclusion service that our records also hold (our name in brackets):
#: import then export must give them back unchanged.
SHARED_SERVICE_FIELDS = [
    "nom",  # name
    "description",
    "date_maj",  # verified
    "thematiques",  # category, other_categories (taxonomy.yml data_inclusion)
    "frais",
    "frais_precisions",  # cost, cost_details
    "publics",  # publics (taxonomy.yml data_inclusion); tous-publics = none named
    "conditions_acces",  # conditions
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",  # address
    "telephone",
    "courriel",  # phones, email
    "modes_accueil",
    "zone_eligibilite",  # service_area
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisation_precisions",  # appointment
    "horaires_accueil",  # opening_hours
]
SHARED_STRUCTURE_FIELDS = [
    "nom",  # organization
    "adresse",
    "complement_adresse",
    "code_postal",
    "code_insee",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "courriel",
    "site_web",
    "horaires_accueil",
    "accessibilite_lieu",
]


def load_sample(name: str) -> list[dict]:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def run_import(files: list[Path], directory: Path, today: dt.date = TODAY):
    report = Report()
    result = import_data_inclusion(files, directory, today, report)
    return result, report


def normalized(model: type[BaseModel], data: dict) -> dict:
    """What data·inclusion's model makes of an object (URLs and sets normalised), as JSON values."""
    dumped = model.model_validate(data).model_dump(mode="json")
    return {key: sorted(value) if isinstance(value, list) else value for key, value in dumped.items()}


def test_the_sample_follows_the_official_schema():
    for service in load_sample("services.json"):
        di.Service.model_validate(service)
    for structure in load_sample("structures.json"):
        di.Structure.model_validate(structure)


def test_import_then_export_gives_back_the_shared_fields(minimal):
    result, report = run_import(FILES, minimal)
    assert not report.problems and not result.unmapped, [p.format() for p in report.problems]
    assert len(result.created) == 2
    directory = load_directory(minimal)  # the imported records pass `check`
    files = data_files(directory, base_url=None, producer="territoire-de-test")
    exported = {s["id"]: s for s in json.loads(files["data/services.json"])}
    exported_structures = {s["id"]: s for s in json.loads(files["data/structures.json"])}
    structures_in = {s["id"]: s for s in load_sample("structures.json")}
    for service_in in load_sample("services.json"):
        rid = service_in["id"].replace("--", "-")
        service_out = exported[f"territoire-de-test--{rid}"]
        wanted, got = normalized(di.Service, service_in), normalized(di.Service, service_out)
        assert {f: got[f] for f in SHARED_SERVICE_FIELDS} == {f: wanted[f] for f in SHARED_SERVICE_FIELDS}
        structure_in = structures_in[service_in["structure_id"]]
        structure_out = exported_structures[service_out["structure_id"]]
        wanted, got = normalized(di.Structure, structure_in), normalized(di.Structure, structure_out)
        # one record is one place: a structure's empty fields come back filled with its service's values
        given = [f for f in SHARED_STRUCTURE_FIELDS if wanted[f] is not None]
        assert {f: got[f] for f in given} == {f: wanted[f] for f in given}
        assert all(
            got[f] == got_service
            for f in ("telephone", "horaires_accueil")
            for got_service in [normalized(di.Service, service_out)[f]]
        )
    # the provenance is kept: the producer's date and id
    record = directory.services["exemple-producteur-acces-aux-soins-essais"]
    assert record.verified == dt.date(2026, 10, 1)
    assert "exemple-producteur--acces-aux-soins-essais" in record.source and "data·inclusion" in record.source
    text = (minimal / "services" / "exemple-producteur-acces-aux-soins-essais.yml").read_text(encoding="utf-8")
    assert f"le {TODAY.isoformat()}" in text.splitlines()[0]  # the import date


def test_csv_gives_the_same_records_as_json(minimal, tmp_path):
    for name in ("services", "structures"):
        objects = load_sample(f"{name}.json")
        columns = sorted({key for item in objects for key in item})
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, columns, delimiter=";")
        writer.writeheader()
        for item in objects:
            writer.writerow({k: ",".join(v) if isinstance(v, list) else v for k, v in item.items()})
        (tmp_path / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8-sig")
    result, report = run_import([tmp_path / "services.csv", tmp_path / "structures.csv"], minimal)
    assert not report.problems and len(result.created) == 2
    from_csv = {p.name: p.read_text(encoding="utf-8") for p in result.created}
    for path in result.created:
        path.unlink()
    result, _ = run_import(FILES, minimal)
    assert {p.name: p.read_text(encoding="utf-8") for p in result.created} == from_csv


def test_a_second_run_duplicates_nothing_and_keeps_hand_edits(minimal, tmp_path):
    run_import(FILES, minimal)
    before = sorted(p.name for p in (minimal / "services").iterdir())
    result, _ = run_import(FILES, minimal)
    assert sorted(p.name for p in (minimal / "services").iterdir()) == before
    assert len(result.unchanged) == 2 and not result.created and not result.updated

    # a coordinator corrects one record by hand; the producer then changes both
    edited = minimal / "services" / "exemple-producteur-acces-aux-soins-essais.yml"
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("Accès aux soins et aux droits", "Accès aux soins"), encoding="utf-8"
    )
    hand_made = edited.read_text(encoding="utf-8")
    services = load_sample("services.json")
    for service in services:
        service["telephone"] = "+33199000299"
    changed = tmp_path / "services.json"
    changed.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    result, _ = run_import([changed, SAMPLE / "structures.json"], minimal)
    assert result.kept == [edited] and edited.read_text(encoding="utf-8") == hand_made
    other = minimal / "services" / "exemple-producteur-permanence-droits-saint-essai.yml"
    assert result.updated == [other] and "01 99 00 02 99" in other.read_text(encoding="utf-8")
    # a record written by hand under the same name is never overwritten either
    other.write_text(other.read_text(encoding="utf-8").split("\n", 4)[4], encoding="utf-8")  # header removed
    result, _ = run_import([changed, SAMPLE / "structures.json"], minimal)
    assert result.kept == [edited] and result.hand_made == [other]
    # a line added above the import's header is an edit too
    third = minimal / "services" / "exemple-producteur-acces-aux-soins-essais.yml"
    other.unlink()
    run_import([changed, SAMPLE / "structures.json"], minimal)
    edited.unlink()
    run_import(FILES, minimal)
    third.write_text("summary: Ajouté à la main.\n" + third.read_text(encoding="utf-8"), encoding="utf-8")
    result, _ = run_import([changed, SAMPLE / "structures.json"], minimal)
    assert result.hand_made == [third] and "Ajouté à la main" in third.read_text(encoding="utf-8")


def test_what_cannot_be_mapped_is_reported_by_record_and_field(minimal, tmp_path):
    service = load_sample("services.json")[0] | {
        "id": "exemple-producteur--atelier",
        "thematiques": ["numerique--acquerir-un-equipement"],
        "publics": ["seniors"],
        "contact_nom_prenom": "Camille Exemple",
        "horaires_accueil": "du lundi au vendredi",
        "zone_eligibilite": ["35001", "200000000"],
    }
    outside = load_sample("services.json")[1] | {"id": "exemple-producteur--ailleurs", "code_insee": "75056"}
    path = tmp_path / "services.json"
    path.write_text(json.dumps([service, outside], ensure_ascii=False), encoding="utf-8")
    result, _report = run_import([path, SAMPLE / "structures.json"], minimal)
    found = {(item.origin, item.field) for _, item in result.unmapped}
    assert found == {
        ("exemple-producteur--atelier", "thematiques"),
        ("exemple-producteur--atelier", "publics"),
        ("exemple-producteur--atelier", "contact_nom_prenom"),
        ("exemple-producteur--atelier", "horaires_accueil"),
        ("exemple-producteur--atelier", "zone_eligibilite"),
        ("exemple-producteur--atelier", "structure.horaires_accueil"),  # differs from the service's: kept out, said
        ("exemple-producteur--ailleurs", "code_insee"),
    }
    assert "Camille" not in "".join(item.format() for _, item in result.unmapped)  # not even in the report
    written = (minimal / "services" / "exemple-producteur-atelier.yml").read_text(encoding="utf-8")
    assert "Camille" not in written and "du lundi" not in written  # reported, never copied or guessed
    # what is required and unknown is left for the coordinator, and `check` says so
    records, check_report = check(minimal)
    assert records is None
    messages = [p.format() for p in check_report.errors]
    assert any("exemple-producteur-atelier.yml:" in m and "category: still to fill in" in m for m in messages)
    assert any("exemple-producteur-ailleurs.yml:" in m and "address.commune: still to fill in" in m for m in messages)


def test_an_object_the_schema_refuses_is_an_error_at_its_line(minimal, tmp_path):
    services = load_sample("services.json")
    del services[1]["nom"]
    path = tmp_path / "services.json"
    path.write_text(json.dumps(services, ensure_ascii=False, indent=1), encoding="utf-8")
    result, report = run_import([path, SAMPLE / "structures.json"], minimal)
    [error] = report.errors
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[error.line - 1].strip() == "{"  # where the object starts
    following = "\n".join(lines[error.line :]).split("{", 1)[0]
    assert '"exemple-producteur--permanence-droits-saint-essai"' in following
    assert (
        error.message
        == "service « exemple-producteur--permanence-droits-saint-essai », nom : champ obligatoire, absent ou vide"
    )
    # the other service; the refused one's structure does not become a place of its own
    assert [p.name for p in result.created] == ["exemple-producteur-acces-aux-soins-essais.yml"]


def test_the_command(minimal, capfd, tmp_path):
    code = main(["import", "data-inclusion", *map(str, FILES), "--directory", str(minimal), "--today", "2026-11-23"])
    out = capfd.readouterr()
    assert code == 0
    assert "2 created, 0 updated, 0 unchanged, 0 kept (edited by hand), 0 value(s) not imported" in out.out
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    code = main(["import", "data-inclusion", str(broken), "--directory", str(minimal)])
    out = capfd.readouterr()
    assert (
        code == 1
        and "broken.json:1: error: JSON invalide : un nom de champ entre guillemets doubles est attendu" in out.err
        and "Traceback" not in out.err
    )


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("[1, 2]", "élément n° 1 : « 1 » n'est pas un objet JSON"),
        ('{"a": 1}', "attendu une liste d'objets data·inclusion (structures ou services), une page de l'API"),
        ('{"items": {"a": 1}}', "« items » n'est pas une liste"),
    ],
)
def test_not_a_list_of_objects(minimal, tmp_path, bad, said):
    path = tmp_path / "x.json"
    path.write_text(bad, encoding="utf-8")
    result, report = run_import([path], minimal)
    assert result is None and said in report.errors[0].message


def _write(path: Path, objects: list[dict]) -> Path:
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_categories_need_their_whole_list_of_thematiques(tmp_path):
    """With the demo taxonomy, where one thématique belongs to many categories: never a guess."""
    import shutil

    from helpers import DEMO

    directory = tmp_path / "directory"
    shutil.copytree(DEMO, directory)
    base = load_sample("services.json")[1] | {
        "code_insee": "35236",
        "commune": "Redon",
        "code_postal": "35600",
        "latitude": 47.65,
        "longitude": -2.08,
        "zone_eligibilite": ["35236"],
    }
    both = ["famille--soutien-a-la-parentalite-et-a-leducation", "sante--acces-aux-soins"]
    cases = [
        base | {"id": "p--pmi", "thematiques": both},
        base | {"id": "p--parentalite", "thematiques": both[:1]},
        base | {"id": "p--soins", "thematiques": both[1:]},
    ]
    result, _report = run_import([_write(tmp_path / "s.json", cases)], directory)
    found = {(item.origin, item.field, str(item.value)) for _, item in result.unmapped}
    assert ("p--parentalite", "thematiques", both[0]) in found  # PMI needs soins too: not a PMI
    assert any(
        origin == "p--soins" and "several categories" in item.reason
        for _, item in result.unmapped
        for origin in [item.origin]
    )
    texts = {p.stem: p.read_text(encoding="utf-8") for p in result.created}
    assert "\ncategory: pmi\n" in texts["p-pmi"]
    assert "category: 'À REMPLIR" in texts["p-parentalite"] and "category: 'À REMPLIR" in texts["p-soins"]
    # and the PMI goes back out with exactly the thématiques that came in
    (directory / "services" / "p-parentalite.yml").unlink()
    (directory / "services" / "p-soins.yml").unlink()
    files = data_files(load_directory(directory), base_url=None, producer="x")
    pmi = next(s for s in json.loads(files["data/services.json"]) if s["id"] == "x--p-pmi")
    assert pmi["thematiques"] == sorted(both)


def test_a_service_at_its_own_address_does_not_borrow_its_structures(minimal, tmp_path):
    service = {k: v for k, v in load_sample("services.json")[0].items() if k not in ("complement_adresse",)}
    service |= {
        "adresse": "1 rue Autre",
        "code_postal": "35110",
        "code_insee": "35002",
        "commune": "Saint-Essai",
        "latitude": 47.651,
        "longitude": -2.101,
        "telephone": "+33199000299",
        "courriel": None,
    }
    result, _ = run_import([_write(tmp_path / "s.json", [service]), SAMPLE / "structures.json"], minimal)
    text = result.created[0].read_text(encoding="utf-8")
    assert "street: 1 rue Autre" in text and "commune: '35002'" in text
    assert "Rez-de-chaussée" not in text and "acceslibre" not in text  # the structure's building, elsewhere
    assert "01 99 00 02 99" in text and "01 99 00 02 01" not in text
    reported = {item.field for _, item in result.unmapped}
    assert {"structure.telephone", "structure.accessibilite_lieu"} <= reported
    assert "courriel" not in reported and "accueil@centre-social.example.org" in text  # the structure fills a gap


def test_awkward_files_get_clear_errors(minimal, tmp_path, capfd):
    objects = load_sample("services.json")
    objects[0]["profils"] = ["jeunes"]  # a field of an older schema
    del objects[1]["structure_id"]  # a service without its structure
    _result, report = run_import([_write(tmp_path / "s.json", objects), SAMPLE / "structures.json"], minimal)
    messages = [p.format() for p in report.problems]
    assert any("« profils » : pas un champ du schéma data·inclusion des services : non importé" in m for m in messages)
    assert any("structure_id : champ obligatoire, absent ou vide" in m for m in messages)
    # CSV as a French spreadsheet saves it: decimal commas, an empty list, one cell too many, then Windows-1252
    rows = [
        "id;structure_id;source;nom;description;date_maj;latitude;longitude;code_insee;adresse;code_postal;thematiques;publics",
        "p--a;p--s;p;Accueil A;Une description.;2026-10-01;47,603;-2,003;35001;4 rue A;35100;sante--acces-aux-soins;[]",
        "p--b;p--s;p;Accueil B;Une description.;2026-10-01;47,603;-2,003;35001;4 rue B;35100;sante--acces-aux-soins;;en trop",
    ]
    path = tmp_path / "s.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    _result, report = run_import([path], minimal)
    [error] = report.errors
    assert error.line == 3 and "1 cellule(s) de plus que les 13 colonnes de l'en-tête" in error.message
    text = (minimal / "services" / "p-a.yml").read_text(encoding="utf-8")
    assert "latitude: 47.603" in text and "publics" not in text
    path.write_bytes("\n".join(rows[:2]).replace("Accueil A", "Accueil Légère").encode("cp1252"))
    code = main(["import", "data-inclusion", str(path), "--directory", str(minimal)])
    err = capfd.readouterr().err
    assert code == 1 and "s.csv:2: error: le fichier n'est pas en UTF-8" in err and "internal error" not in err


def test_records_the_source_no_longer_gives_are_reported(minimal, tmp_path, capfd):
    run_import(FILES, minimal)
    only_one = _write(tmp_path / "s.json", load_sample("services.json")[:1])
    result, _ = run_import([only_one, SAMPLE / "structures.json"], minimal)
    assert [origin for _, origin in result.gone] == ["exemple-producteur--permanence-droits-saint-essai"]
    assert (minimal / "services" / "exemple-producteur-permanence-droits-saint-essai.yml").exists()  # nothing deleted
