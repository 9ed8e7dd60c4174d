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

from conftest import FIXTURES, TODAY, check, load_directory
from generator.cli import main
from generator.importing import import_data_inclusion
from generator.opendata import data_files
from generator.problems import Report

SAMPLE = FIXTURES / "data-inclusion"
FILES = [SAMPLE / "services.json", SAMPLE / "structures.json"]

#: The fields of a data·inclusion service that our records also hold (our name in brackets):
#: import then export must give them back unchanged.
SHARED_SERVICE_FIELDS = [
    "nom",  # name
    "description",
    "date_maj",  # verified
    "thematiques",  # category, other_categories (taxonomy.yml data_inclusion)
    "frais", "frais_precisions",  # cost, cost_details
    "publics",  # publics (taxonomy.yml data_inclusion); tous-publics = none named
    "conditions_acces",  # conditions
    "adresse", "complement_adresse", "code_postal", "code_insee", "commune", "latitude", "longitude",  # address
    "telephone", "courriel",  # phones, email
    "modes_accueil",
    "zone_eligibilite",  # service_area
    "lien_mobilisation", "modes_mobilisation", "mobilisation_precisions",  # appointment
    "horaires_accueil",  # opening_hours
]
SHARED_STRUCTURE_FIELDS = [
    "nom",  # organization
    "adresse", "complement_adresse", "code_postal", "code_insee", "commune", "latitude", "longitude",
    "telephone", "courriel", "site_web", "horaires_accueil", "accessibilite_lieu",
]


def load_sample(name: str) -> list[dict]:
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def run_import(files: list[Path], directory: Path, today: dt.date = TODAY):
    report = Report()
    result = import_data_inclusion(files, directory, today, report)
    return result, report


def normalized(model: type, data: dict) -> dict:
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
        assert all(got[f] == got_service for f in ("telephone", "horaires_accueil")
                   for got_service in [normalized(di.Service, service_out)[f]])
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
    edited.write_text(edited.read_text(encoding="utf-8").replace("Accès aux soins et aux droits", "Accès aux soins"),
                      encoding="utf-8")
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
    assert set(result.kept) == {edited, other}


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
    result, report = run_import([path, SAMPLE / "structures.json"], minimal)
    found = {(item.origin, item.field) for _, item in result.unmapped}
    assert found == {
        ("exemple-producteur--atelier", "thematiques"),
        ("exemple-producteur--atelier", "publics"),
        ("exemple-producteur--atelier", "contact_nom_prenom"),
        ("exemple-producteur--atelier", "horaires_accueil"),
        ("exemple-producteur--atelier", "zone_eligibilite"),
        ("exemple-producteur--ailleurs", "code_insee"),
    }
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
    line = path.read_text(encoding="utf-8").splitlines()[error.line - 1]
    assert '"exemple-producteur--permanence-droits-saint-essai"' in line
    assert "nom: Field required" in error.message
    assert len(result.created) == 2  # the other service, and the structure left without a service


def test_the_command(minimal, capfd, tmp_path):
    code = main(["import", "data-inclusion", *map(str, FILES), "--directory", str(minimal), "--today", "2026-11-23"])
    out = capfd.readouterr()
    assert code == 0
    assert "2 created, 0 updated, 0 unchanged, 0 kept (edited by hand), 0 value(s) not imported" in out.out
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    code = main(["import", "data-inclusion", str(broken), "--directory", str(minimal)])
    out = capfd.readouterr()
    assert code == 1 and "broken.json:1: error: not valid JSON" in out.err and "Traceback" not in out.err


@pytest.mark.parametrize("bad", ["[1, 2]", '{"a": 1}'])
def test_not_a_list_of_objects(minimal, tmp_path, bad):
    path = tmp_path / "x.json"
    path.write_text(bad, encoding="utf-8")
    result, report = run_import([path], minimal)
    assert result is None and "expected a list of data·inclusion" in report.errors[0].message
