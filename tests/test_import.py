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
from generator.records.loader import load_yaml

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
    assert any("exemple-producteur-atelier.yml:" in m and "category : à remplir" in m for m in messages)
    assert any("exemple-producteur-ailleurs.yml:" in m and "address.commune : à remplir" in m for m in messages)


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
    assert (
        "2 créée(s), 0 mise(s) à jour, 0 inchangée(s), 0 gardée(s) (modifiées à la main), 0 valeur(s) non importée(s)."
        in out.out
    )
    broken = tmp_path / "broken.json"
    broken.write_text("[{", encoding="utf-8")
    code = main(["import", "data-inclusion", str(broken), "--directory", str(minimal)])
    out = capfd.readouterr()
    assert (
        code == 1
        and "broken.json:1: erreur : JSON invalide : un nom de champ entre guillemets doubles est attendu" in out.err
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


def _write(path: Path, objects: list[dict] | dict) -> Path:
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
        origin == "p--soins" and "plusieurs catégories" in item.reason
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
    assert code == 1 and "s.csv:2: erreur : le fichier n'est pas en UTF-8" in err and "internal error" not in err


def test_records_the_source_no_longer_gives_are_reported(minimal, tmp_path, capfd):
    run_import(FILES, minimal)
    only_one = _write(tmp_path / "s.json", load_sample("services.json")[:1])
    result, _ = run_import([only_one, SAMPLE / "structures.json"], minimal)
    assert [origin for _, origin in result.gone] == ["exemple-producteur--permanence-droits-saint-essai"]
    assert (minimal / "services" / "exemple-producteur-permanence-droits-saint-essai.yml").exists()  # nothing deleted


# --- the files people have (issue 20, item 4) --------------------------------

SEARCH_PAGE = SAMPLE / "api-recherche.json"
LIST_PAGE = SAMPLE / "api-services.json"
TEMPLATE = SAMPLE / "validateur-dataset.xlsx"
TEMPLATE_CSV = SAMPLE / "validateur-services.csv"


def _messages(report: Report) -> list[str]:
    return [p.format() for p in report.problems]


def test_a_search_api_page_gives_services_with_their_structure(minimal):
    """Before: read as structures, "Nothing was imported"; the nested structure's name and website lost."""
    result, report = run_import([SEARCH_PAGE], minimal)
    assert result is not None and [p.name for p in result.created] == ["emplois-de-linclusion-17.yml"]
    assert not report.errors, _messages(report)
    record = yaml_of(result.created[0])
    assert record["name"] == "Atelier insertion et posture professionnelle"
    assert record["organization"] == "Centre social Le Tournesol"  # the nested structure's name
    assert record["website"] == "https://example.com/"  # and its website
    assert record["phones"] == ["01 23 45 67 89"]
    assert record["accessibility"]["acceslibre"].startswith("https://acceslibre.beta.gouv.fr/")
    # the API's own fields (score, distance, adresse_certifiee) are known: not reported as unknown
    assert not any("score_qualite" in m or "distance" in m for m in _messages(report))
    # the example's structure_id differs from the nested structure's id: said once, the nesting wins
    [warning] = report.problems
    assert "structure_id « dora--42 »" in warning.message and warning.line == 3
    # a structure's own number, at the same place, is kept beside the service's
    page = json.loads(SEARCH_PAGE.read_text(encoding="utf-8"))
    page["items"][0]["service"]["structure"]["telephone"] = "+33199000202"
    result.created[0].unlink()
    result, _ = run_import([_write(minimal.parent / "page.json", page)], minimal)
    assert yaml_of(result.created[0])["phones"] == ["01 23 45 67 89", "01 99 00 02 02"]


def test_a_structure_with_its_services_inside(minimal, tmp_path):
    """The API's detail of a structure holds its services: each is a service of that structure."""
    structure = load_sample("structures.json")[0]
    service = {k: v for k, v in load_sample("services.json")[0].items() if k != "structure_id"}
    path = tmp_path / "structure.json"
    path.write_text(json.dumps(structure | {"services": [service], "doublons": []}), encoding="utf-8")
    result, report = run_import([path], minimal)
    assert not report.problems, _messages(report)
    assert [p.name for p in result.created] == ["exemple-producteur-acces-aux-soins-essais.yml"]
    assert yaml_of(result.created[0])["organization"] == structure["nom"]


def test_a_list_api_page_and_its_other_pages(minimal, tmp_path):
    result, report = run_import([LIST_PAGE], minimal)
    assert [p.name for p in result.created] == ["emplois-de-linclusion-17.yml"] and not report.problems
    page = json.loads(LIST_PAGE.read_text(encoding="utf-8")) | {"page": 2, "pages": 5}
    path = tmp_path / "page2.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    _result, report = run_import([path], minimal)
    assert [p.message for p in report.problems] == [
        "page 2 sur 5 d'une réponse de l'API : les autres pages ne sont pas dans ce fichier"
    ]


@pytest.mark.parametrize("meta", [[{"items": [1]}], ["items"], [], [[{"items": []}]]])
def test_a_page_whose_meta_holds_a_list(minimal, tmp_path, meta, capfd):
    """Before: the first "items" anywhere in the text was taken for the page's (TypeError, internal error)."""
    page = {"meta": meta, "items": load_sample("services.json"), "total": 2}
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, ensure_ascii=False, indent=1), encoding="utf-8")
    code = main(["import", "data-inclusion", str(path), str(SAMPLE / "structures.json"), "--directory", str(minimal)])
    err = capfd.readouterr().err
    assert code == 0 and "internal error" not in err
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = load_sample("services.json")
    del broken[1]["nom"]
    path.write_text(json.dumps(page | {"items": broken}, ensure_ascii=False, indent=1), encoding="utf-8")
    _result, report = run_import([path, SAMPLE / "structures.json"], minimal)
    [error] = report.errors
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[error.line - 1].strip() == "{" and '"exemple-producteur--permanence' in "\n".join(lines[error.line :])


def test_no_refusal_dumps_an_enumeration(minimal, tmp_path):
    """Before: one line of 3,962 characters, the whole list of thématiques, in English."""
    service = load_sample("services.json")[0] | {"thematiques": ["sante--acces-aux-soin"], "frais": "gratos"}
    _result, report = run_import([_write(tmp_path / "s.json", [service]), SAMPLE / "structures.json"], minimal)
    messages = {p.message for p in report.errors}
    assert messages == {
        "service « exemple-producteur--acces-aux-soins-essais », frais : « gratos » n'est pas une valeur du "
        "schéma data·inclusion ; vouliez-vous dire « gratuit » ?",
        "service « exemple-producteur--acces-aux-soins-essais », thematiques : « sante--acces-aux-soin » n'est "
        "pas une valeur du schéma data·inclusion ; vouliez-vous dire « sante--acces-aux-soins » ?",
    }
    assert all("\n" not in p.format() and len(p.format()) < 400 for p in report.problems)


def test_the_validators_workbook_is_read_by_sheet_row_and_column(minimal):
    """data·inclusion's own workbook (the template's layout, with its deliberate mistakes)."""
    _result, report = run_import([TEMPLATE], minimal)
    messages = [p.message for p in report.problems]
    # explanation and example rows skipped, and said, once per sheet
    for sheet in ("Structures", "Services"):
        assert (
            f"feuille « {sheet} », lignes 2-3 marquées « __ignore__ » (explications et exemples du modèle) : "
            "non importées" in messages
        )
    assert not any("« Le Biclou »" in m or "Atelier d’autoréparation" in m for m in messages)
    # no `source` column: optional, as in data·inclusion's validator
    assert not any("source : champ obligatoire" in m for m in messages)
    found = {(p.line, p.message) for p in report.errors}
    assert (
        4,
        "feuille « Services », colonne I « thematiques » : « logement-hebergement--louer-un-appartement » "
        "n'est pas une valeur du schéma data·inclusion ; vouliez-vous dire « logement-hebergement--louer-un-logement » ?",
    ) in found
    assert (
        4,
        "feuille « Structures », colonne N « site_web » : « pas une url ! » : attendu une adresse web "
        "complète, comme https://exemple.fr/page",
    ) in found
    assert (
        5,
        "feuille « Services », colonne AE « nombre_semaines » : « beaucoup » : attendu un nombre entier",
    ) in found
    assert (
        5,
        "feuille « Services », colonne AB « mobilisable_par » : « autres » n'est pas une valeur du schéma "
        "data·inclusion : valeurs permises : usagers, professionnels",
    ) in found
    assert (
        "feuille « Services », colonne J : « lien_source » est déjà la colonne G : seule la colonne G est lue"
        in messages
    )
    assert all(len(p.format()) < 400 for p in report.problems)


def _corrected_template(tmp_path: Path) -> Path:
    """The validator's workbook with its deliberate mistakes corrected, in the territory of the tests."""
    import openpyxl

    book = openpyxl.load_workbook(TEMPLATE)
    structures, services = book["Structures"], book["Services"]
    structures["C1"], services["D1"] = "date_maj", "date_maj"
    structures["C4"] = "2026-02-23"
    for cell, value in {
        "I4": "Villebourg",
        "J4": "35100",
        "L4": "accueil@logement.example.org",
        "N4": "https://logement.example.org/",
        "G4": "4 rue des Essais",
    }.items():
        structures[cell] = value
    for row in (4, 5):
        services[f"AB{row}"] = "professionnels, usagers"
        services[f"AE{row}"] = "3"
        services[f"I{row}"] = "sante--acces-aux-soins"
        services[f"Q{row}"] = "35001"
    services["D5"] = "2026-02-28"
    path = tmp_path / "modele-data-inclusion.xlsx"
    book.save(path)
    return path


def test_the_template_imports_without_a_source_column(minimal, tmp_path):
    """Before: refused whole for its missing `source` column; its example rows imported as records."""
    path = _corrected_template(tmp_path)
    result, report = run_import([path], minimal)
    assert not report.errors, _messages(report)
    assert sorted(p.name for p in result.created) == [
        "53669028-8862-4f42-a80c-d3f269456ed2.yml",
        "53669028-8862-4f42-a80c-d3f269456edc.yml",
    ]
    # the template's example row (« Atelier d'autoréparation », row 3) is not a record
    assert not (minimal / "services" / "04d50659-0000-0000-0000-04d50f6ace57.yml").exists()
    record = yaml_of(result.created[0])
    assert record["organization"] == "AGENCE ACTION LOGEMENT."
    assert record["website"] == "https://logement.example.org/"
    assert "(modele-data-inclusion," in record["source"]  # the file's name stands for the source
    assert any("3 objet(s) sans « source » : « modele-data-inclusion »" in m for m in _messages(report))
    # --source names it instead
    for created in result.created:
        created.unlink()
    result, report = run_import_with_source([path], minimal, "ville-de-villebourg")
    assert all("(ville-de-villebourg," in yaml_of(p)["source"] for p in result.created)


def run_import_with_source(files: list[Path], directory: Path, source: str):
    report = Report()
    return import_data_inclusion(files, directory, TODAY, report, source), report


def test_a_template_sheet_saved_as_csv_points_at_the_first_line_of_each_row(minimal):
    """Before: a row whose description spans lines was reported at its last line."""
    _result, report = run_import([TEMPLATE_CSV], minimal)
    lines = TEMPLATE_CSV.read_text(encoding="utf-8").splitlines()
    errors = report.errors
    assert {p.line for p in errors} == {4, 25}
    assert lines[3].startswith(",005d3060-") and lines[24].startswith(",005d3060-")
    assert "lignes 2-3 marquées « __ignore__ »" in report.problems[1].message
    assert any("nombre_semaines : « beaucoup » : attendu un nombre entier" in p.message for p in errors)


def test_an_id_too_long_for_a_file_name_is_a_plain_error(minimal, tmp_path, capfd):
    """Before: OSError "File name too long", reported as an internal error."""
    service = load_sample("services.json")[0] | {"id": "p--" + "x" * 300}
    path = _write(tmp_path / "s.json", [service, load_sample("services.json")[1]])
    code = main(["import", "data-inclusion", str(path), str(SAMPLE / "structures.json"), "--directory", str(minimal)])
    err = capfd.readouterr().err
    assert code == 1 and "internal error" not in err and "Traceback" not in err
    assert "s.json:2: erreur : service « p--xxxxxxxx" in err
    assert "identifiant trop long (303 caractères) : au plus 120 pour en faire un nom de fichier" in err
    assert (minimal / "services" / "exemple-producteur-permanence-droits-saint-essai.yml").exists()  # the others go on


# --- the writer: YAML from data, read back before it replaces anything (issue 21, item 1) ---


def yaml_of(path: Path) -> dict:
    report = Report()
    document = load_yaml(path, report)
    assert document is not None and not report.problems
    return document.data


def _one_service(tmp_path: Path, **changes) -> Path:
    return _write(tmp_path / "s.json", [load_sample("services.json")[0] | changes])


def test_a_hostile_id_cannot_add_a_key(minimal, tmp_path):
    hostile = "cs-port\nwebsite: https://evil.example/phishing #"
    path = _one_service(tmp_path, id=hostile)
    result, _report = run_import([path, SAMPLE / "structures.json"], minimal)
    written = minimal / "services" / "cs-port-website-https-evil-example-phishing.yml"
    assert written in result.created
    record = yaml_of(written)
    assert "evil.example" not in str(record.get("website")) and "evil" not in str(sorted(record))
    assert record["source"].startswith(f"data·inclusion : {hostile} (")  # kept as data, in a field
    header = written.read_text(encoding="utf-8").split("\n", 4)[:4]
    assert header[0].endswith('identifiant d\'origine : "cs-port\\nwebsite: https://evil.example/phishing #"')
    # the fingerprint holds: a second run sees the file as the import's, unchanged, and still the same place
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    assert written in result.unchanged and not result.kept and not result.hand_made and not result.gone


def test_an_id_with_a_parenthesis_is_not_gone_on_first_import(minimal, tmp_path):
    path = _one_service(tmp_path, id="p--centre (annexe)")
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    assert result.created and not result.gone
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    assert result.unchanged and not result.gone


@pytest.mark.parametrize(
    "text", ["1e5", "1.0e5", "-.5", "5e-3", "yes", "null", "2024-01-01", "~", "true", "0x1F", "12", ".5", "+1e5"]
)
def test_strings_that_look_like_other_things_stay_strings(tmp_path, text):
    """Before: 1e5, 1.0e5, -.5, 5e-3 were written plain, and read back as numbers (a name became 100000.0)."""
    from generator.importing.datainclusion import Imported
    from generator.importing.files import write_records

    result = write_records([Imported("r", "o", {"name": text, "list": [text]})], tmp_path, TODAY)
    assert yaml_of(result.created[0]) == {"name": text, "list": [text]}


def test_a_name_that_looks_like_a_number_is_imported_as_text(minimal, tmp_path):
    path = _one_service(tmp_path, nom="1e5", conditions_acces="5e-3")
    run_import([path, SAMPLE / "structures.json"], minimal)
    record = yaml_of(minimal / "services" / "exemple-producteur-acces-aux-soins-essais.yml")
    assert (record["name"], record["conditions"]) == ("1e5", "5e-3")


def test_unusual_characters_stay_themselves(minimal, tmp_path):
    text = "Accueil\x85PMI\u2028étage\u2029bis\x1b"
    path = _one_service(tmp_path, nom="Accueil\x85PMI", conditions_acces=text)
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    record = yaml_of(result.created[0])
    assert record["name"] == "Accueil\x85PMI" and record["conditions"] == text


def test_multi_line_text_is_an_editable_block(minimal, tmp_path):
    """Before: trailing spaces made the description one escaped "…\\n…" line."""
    description = (
        "### Objectif de la formation  \r\n- l'acquisition des bases ;   \n- la connaissance du réseau.\t\n\n"
        "\tcode\tindenté\nFin."
    )
    path = _one_service(tmp_path, description=description)
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    text = result.created[0].read_text(encoding="utf-8")
    assert "description: |-\n  ### Objectif de la formation\n  - l'acquisition des bases ;\n" in text
    assert "\\n" not in text
    # trailing blanks are dropped, tabs become spaces (a YAML block cannot hold either); the rest is kept
    assert yaml_of(result.created[0])["description"] == (
        "### Objectif de la formation\n- l'acquisition des bases ;\n- la connaissance du réseau.\n\n"
        "    code    indenté\nFin."
    )


def test_a_folder_that_cannot_be_made_is_said(tmp_path):
    from generator.importing.datainclusion import Imported
    from generator.importing.files import write_records

    (tmp_path / "file").write_text("", encoding="utf-8")
    result = write_records([Imported("r", "o", {"name": "x"})], tmp_path / "file" / "services", TODAY)
    assert [path for path, _ in result.failed] == [tmp_path / "file" / "services"] and not result.created


def test_what_does_not_read_back_replaces_nothing(minimal, tmp_path, monkeypatch):
    from generator.importing import files

    run_import(FILES, minimal)
    target = minimal / "services" / "exemple-producteur-acces-aux-soins-essais.yml"
    before = target.read_text(encoding="utf-8")
    changed = load_sample("services.json")
    changed[0]["nom"] = "Accès aux soins (nouveau nom)"
    path = _write(tmp_path / "s.json", changed)
    real = files._body
    monkeypatch.setattr(files, "_body", lambda data: real(data).replace("name: ", "nom: ", 1))  # a faulty emitter
    result, _ = run_import([path, SAMPLE / "structures.json"], minimal)
    assert target in [p for p, _ in result.failed] and not result.updated
    assert target.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in target.parent.iterdir() if p.name.startswith(".")) == []  # no debris


def test_records_written_by_the_earlier_header_are_still_the_imports(minimal):
    """A record written before the origin id moved to the end of the header line is recognised."""
    run_import(FILES, minimal)
    path = minimal / "services" / "exemple-producteur-permanence-droits-saint-essai.yml"
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    legacy = (
        "# Importé de data·inclusion (exemple-producteur--permanence-droits-saint-essai) le 2026-11-01 "
        "par « python -m generator import »."
    )
    path.write_text(legacy + "\n" + lines[1], encoding="utf-8")
    result, _ = run_import(FILES, minimal)
    assert path in result.unchanged
    result, _ = run_import([_write(minimal.parent / "one.json", load_sample("services.json")[:1]), FILES[1]], minimal)
    assert [(p.name, origin) for p, origin in result.gone] == [
        (path.name, "exemple-producteur--permanence-droits-saint-essai")
    ]


HOSTILE_TEXT = [
    "a: b",
    "# not a comment",
    "- item",
    "'quoted'",
    '"double"',
    "key: value\nother: value",
    "line\n#comment\n  indented",
    "trailing \n",
    "\n\nleading lines",
    "tab\there",
    "{flow: mapping}",
    "[1, 2]",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick`",
    "| block",
    "> folded",
    "---",
    "...",
    "é\u00a0\u202f\u200b",
    "\ufeffbom",
    "\x00\x07\x7f",
    "1_000",
    "+1",
    ".inf",
    "-.inf",
    ".NaN",
    "0o17",
    "on",
    "No",
    "Null",
    "2024-01-01T10:00:00",
    "10:30",
    "=",
    "<<",
]


def test_arbitrary_text_round_trips_through_the_writer(tmp_path):
    """Every string, alone or mixed with others, is read back by the portal's loader as written."""
    import random

    from generator.importing.datainclusion import Imported
    from generator.importing.files import editable, write_records

    generator = random.Random(20)
    alphabet = list("ab :#-'\"\n\t\\|>{}[],&*!%@`~?=.eE019\x85\u2028\u2029\x1b\x00é€") + [" "] * 5
    texts = HOSTILE_TEXT + [
        "".join(generator.choice(alphabet) for _ in range(generator.randint(1, 30))) for _ in range(300)
    ]
    records = [
        Imported(f"r-{index}", f"origin {text}", {"name": text, "nested": {"list": [text, f"{text}\n{text}"]}})
        for index, text in enumerate(texts)
    ]
    folder = tmp_path / "services"
    result = write_records(records, folder, TODAY)
    assert not result.failed and len(result.created) == len(texts)
    for record, path in zip(records, result.created, strict=True):
        assert yaml_of(path) == editable(record.data), path.read_text(encoding="utf-8")
    again = write_records(records, folder, TODAY)
    assert len(again.unchanged) == len(texts) and not again.gone


@pytest.mark.parametrize("name", ["services.json", "services.csv", "modele.xlsx"])
def test_an_import_file_that_is_a_device_or_a_pipe_is_refused_at_once(tmp_path, name):
    """A link to /dev/zero was read until memory ran out; a pipe made the import wait forever."""
    import os
    import signal

    from generator.importing.files import read_data_inclusion

    zero, pipe = tmp_path / f"zero-{name}", tmp_path / f"pipe-{name}"
    zero.symlink_to("/dev/zero")
    os.mkfifo(pipe)
    signal.alarm(20)
    try:
        for path in (zero, pipe):
            report = Report()
            read_data_inclusion([path], report)
            [error] = report.errors
            assert error.path == path and "fichier non lu" in error.message
    finally:
        signal.alarm(0)


@pytest.mark.parametrize(("who", "reported"), [(["usagers"], False), (["professionnels"], True)])
def test_who_can_ask_is_reported_only_when_a_record_cannot_say_it(minimal, tmp_path, who, reported):
    """Our own export says `mobilisable_par: ["usagers"]` for every record with an appointment:
    importing it back must not report that on each service; a professionals-only service must."""
    services = load_sample("services.json")
    for service in services:
        service["mobilisable_par"] = who
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    result, _ = run_import([tmp_path / "services.json", SAMPLE / "structures.json"], minimal)
    assert any(item.field == "mobilisable_par" for _, item in result.unmapped) is reported
