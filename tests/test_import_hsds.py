"""`python -m generator import hsds`: Open Referral HSDS 3.0 services and organizations
become our records. The demo's own HSDS export comes back as the same services;
Open Referral's example data imports with a message for each value it cannot carry;
files that are not HSDS are refused whole, naming the file and the JSON path."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.importing import import_data_inclusion, import_hsds
from generator.importing.hsds import Found, HsdsMapper, _Out
from generator.opendata.hsds import ORGANIZATIONS, SERVICES, hsds_files
from generator.problems import Report
from generator.records.validate import PLACEHOLDER, validate_reference

from helpers import DEMO, FIXTURES, TODAY, check, load_directory

EXAMPLES = FIXTURES / "hsds"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))


def run_import(files: list[Path], directory: Path):
    report = Report()
    return import_hsds(files, directory, TODAY, report), report


def empty_territory(folder: Path, source: Path = DEMO) -> Path:
    """The same territory.yml and taxonomy.yml, no record."""
    folder.mkdir()
    for name in ("territory.yml", "taxonomy.yml"):
        shutil.copy(source / name, folder / name)
    return folder


def without_ids(value: Any) -> Any:
    """HSDS ids are derived from our record ids, which the import names anew: not compared."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id" and not k.endswith("_id")}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def differences(before: Any, after: Any, path: str = "") -> Iterator[str]:
    """The JSON paths where two values differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            yield from differences(before.get(key), after.get(key), f"{path}/{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (one, other) in enumerate(zip(before, after, strict=True)):
            yield from differences(one, other, f"{path}/{i}")
    elif before != after:
        yield path


# --- the round trip of the demo ------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory, demo_directory):
    """The demo exported as HSDS, imported into an empty territory, exported again."""
    folder = tmp_path_factory.mktemp("hsds")
    exported = hsds_files(demo_directory, base_url=None)
    files = []
    for path in (SERVICES, ORGANIZATIONS):
        files.append(folder / Path(path).name)
        files[-1].write_bytes(exported[path])
    directory = empty_territory(folder / "directory")
    result, report = run_import(files, directory)
    assert result is not None, [p.format() for p in report.problems]
    again = hsds_files(load_directory(directory), base_url=None)  # load_directory fails unless `check` passes
    return exported, again, result, report, files, directory


def test_the_demo_export_comes_back_as_the_same_services(round_trip, demo_directory):
    exported, again, result, report, _, _ = round_trip
    assert not report.problems
    before = {s["name"]: without_ids(s) for s in json.loads(exported[SERVICES])}
    after = {s["name"]: without_ids(s) for s in json.loads(again[SERVICES])}
    assert sorted(after) == sorted(before)
    found = {(name, path) for name in before for path in differences(before[name], after[name])}
    # What must differ, and why:
    # - `alert` is the notices shown today; a notice of ours has dates that HSDS's alert
    #   does not give: reported, left for the coordinator to add as a notice;
    # - a permanence held by an organisation is an HSDS service of its own: it comes back as
    #   a service record, which has no place name of its own (the location is named after
    #   the service) and no `valid_from` (a past start date: reported, the hours apply already).
    expected = {(name, "/alert") for name, service in before.items() if "alert" in service}
    for permanence in demo_directory.permanences.values():
        if permanence.held_by.organization is not None:
            name = permanence.name.source
            expected.add((name, "/service_at_locations/0/location/name"))
            if permanence.valid_from is not None:
                expected.add((name, "/service_at_locations/0/schedules/0/valid_from"))
    assert found == expected
    # and each of them is reported, not lost silently: 2 alerts, 2 place names, 1 start date
    fields = [u.field.rsplit(".", 1)[-1] for _, u in result.unmapped]
    assert sorted(fields) == sorted(path.rsplit("/", 1)[-1] for _, path in expected)
    assert {o["name"] for o in json.loads(again[ORGANIZATIONS])} == {
        o["name"] for o in json.loads(exported[ORGANIZATIONS])
    }


def test_the_compared_fields_are_really_there(round_trip):
    """The comparison above is not empty-handed: names, descriptions, phones, schedules,
    locations and organizations are in the export, and a change in one is seen."""
    exported, *_ = round_trip
    services = {s["name"]: s for s in json.loads(exported[SERVICES])}
    service = services["Maison de santé du Canal"]
    assert service["phones"] and service["service_at_locations"][0]["schedules"] and service["organization"]["name"]
    changed = without_ids(service)
    changed["service_at_locations"][0]["schedules"][0]["opens_at"] = "07:00"
    assert list(differences(without_ids(service), changed)) == ["/service_at_locations/0/schedules/0/opens_at"]


def test_permanences_held_by_a_service_come_back_as_permanences(round_trip, demo_directory):
    *_, directory = round_trip
    imported = load_directory(directory)
    by_name = {p.name.source: p for p in imported.permanences.values()}
    original = demo_directory.permanences["assurance-maladie-pipriac"]
    permanence = by_name[original.name.source]
    assert permanence.schedule == original.schedule and permanence.cancelled == original.cancelled
    # (in French: the HSDS export has no translations)
    assert original.held_by.service and permanence.held_by.service
    holder = demo_directory.services[original.held_by.service]
    assert imported.services[permanence.held_by.service].name.source == holder.name.source
    # a permanence at another service's premises is held there, not at a copy of the address
    csapa = next(p for p in demo_directory.permanences.values() if p.location.service and p.held_by.service)
    at = by_name[csapa.name.source].location.service
    assert at and csapa.location.service
    host = imported.services[at]
    assert host.name.source == demo_directory.services[csapa.location.service].name.source


def test_a_second_import_changes_nothing(round_trip):
    _, _, first, _, files, directory = round_trip
    result, report = run_import(files, directory)
    assert result is not None and not report.errors
    assert not result.created and not result.updated and len(result.unchanged) == len(first.created)


def test_an_hsds_import_does_not_claim_data_inclusion_records(minimal, tmp_path):
    """Both imports write in services/: each one reports as gone only the records it wrote."""
    sample = FIXTURES / "data-inclusion"
    report = Report()
    assert import_data_inclusion([sample / "services.json", sample / "structures.json"], minimal, TODAY, report)
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"id": "s1", "name": "Un service", "status": "active"}), encoding="utf-8")
    result, report = run_import([path], minimal)
    assert result is not None and result.created and result.gone == []
    header = result.created[0].read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# Importé d") and "Open Referral HSDS" in header and "s1" in header


# --- Open Referral's own examples -------------------------------------------------------------


def test_open_referral_examples_import_with_plain_messages(minimal):
    directory = minimal.parent / "empty"
    empty_territory(directory, minimal)
    result, report = run_import(EXAMPLE_FILES, directory)
    assert result is not None and not report.errors
    warnings = [p.message for p in report.problems]
    # one service in six files (a service, lists, pages, an organization with its services,
    # its service_at_locations): one record, and each repeat said
    assert len(result.created) == 1 and sum("le même " in w for w in warnings) == 4
    assert sum("une seule page (page 1 sur 10)" in w for w in warnings) == 3
    said = {u.field: u for _, u in result.unmapped}
    for suffix in (
        ".alert",
        ".contacts",
        ".wait_time",
        ".cost_options",
        "schedules[0]",
        ".addresses[0].postal_code",
        ".location.latitude",
        ".attributes[0].taxonomy_term",
        ".organization.website",
        ".phones[0].extension",
    ):
        assert any(field.endswith(suffix) for field in said), suffix
    (schedule,) = [u for field, u in said.items() if field.endswith("schedules[0]")]
    assert "opening_hours" in schedule.reason
    record = result.created[0].read_text(encoding="utf-8")
    messages = " ".join(u.format() for _, u in result.unmapped)
    assert "Ann Persona" not in record and "Ann Persona" not in messages  # a person's name stays out
    assert "number: +44 1234 234567" in record  # the example quotes its numbers: the quotes go
    assert "The service is available from 10 am to 6pm weekdays" in record  # the schedule, in the details

    # `check` reads the record; what is left to fill in is all it reports...
    _, problems = check(directory)
    assert problems.errors and all(" : à remplir : " in p.message for p in problems.errors)
    # ...and once a coordinator has filled it in, the record passes
    text = result.created[0].read_text(encoding="utf-8")
    commune = validate_reference(directory, Report())[0].communes[0]  # type: ignore[index]
    filled = {
        "category": "msp",
        "postcode": commune.postcodes[0],
        "commune": commune.insee,
        "latitude": str(commune.latitude),
        "longitude": str(commune.longitude),
        "policy": "required",
    }
    for key, value in filled.items():
        text = re.sub(rf"^(\s*{key}): '{PLACEHOLDER}[^\n]*$", rf"\g<1>: '{value}'", text, flags=re.M)
    assert PLACEHOLDER not in text
    result.created[0].write_text(text.replace("'msp'", "msp"), encoding="utf-8")
    records, problems = check(directory)
    assert records is not None and not problems.errors, [p.format() for p in problems.errors]


# --- files that are not HSDS ---------------------------------------------------------------------

BAD_FILES = {
    "not JSON": ('{"id": "s1", "name": ', "ce n'est pas du JSON valide"),
    "a number": ("42", "$ : ni un service ni une organisation HSDS 3.0"),
    "a list of strings": ('["a", "b"]', "$[0] : ni un service ni une organisation HSDS 3.0"),
    "not a page": ('{"contents": {"a": 1}}', "$.contents : attendu une liste"),
    "missing name": (
        '{"contents": [{"id": "s1", "status": "active"}]}',
        "$.contents[0].name : le service n'a pas de nom",
    ),
    "name not text": ('[{"id": "s1", "name": 3, "status": "active"}]', "$[0].name : attendu du texte, pas « 3 »"),
    "bad phone": (
        '{"id": "s1", "name": "Un service", "status": "active", "phones": [{"number": "01 99 00 AB CD"}]}',
        "$.phones[0].number : « 01 99 00 AB CD » n'est pas un numéro de téléphone valide",
    ),
    "latitude as text": (
        '{"id": "s1", "name": "S", "status": "active", "service_at_locations": [{"location": {"latitude": "47,6"}}]}',
        "$.service_at_locations[0].location.latitude : attendu un nombre",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_refused_whole(minimal, tmp_path, capfd, case):
    text, message = BAD_FILES[case]
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"id": "s2", "name": "Un autre service", "status": "active"}), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    before = sorted(p.name for p in minimal.rglob("*"))
    code = main(["import", "hsds", str(good), str(bad), "--directory", str(minimal), "--today", "2026-11-23"])
    out = capfd.readouterr()
    assert code == 1
    assert "bad.json" in out.err and message in out.err, out.err
    assert "Traceback" not in out.err and "Rien n'a été importé." in out.err
    assert sorted(p.name for p in minimal.rglob("*")) == before  # not even the good file's record


def test_the_command_imports_and_says_what_it_did(minimal, capfd):
    code = main(["import", "hsds", str(EXAMPLES / "service_full.json"), "--directory", str(minimal)])
    out = capfd.readouterr()
    assert code == 0 and "HSDS" in out.out and len(list((minimal / "services").glob("community-counselling*"))) == 1
    (alert,) = [line for line in out.err.splitlines() if "$.alert" in line]
    assert "community-counselling.yml" in alert and "ac148810-d857-441c-9679-408f346de14b" in alert


# --- schedules ------------------------------------------------------------------------------------


def hours(schedules: list[dict], sessions: bool = False) -> tuple[str | None, str | None, list[str]]:
    reference = validate_reference(DEMO, Report())
    assert reference is not None
    out = _Out(Found("service", {}, "$", Path("x.json")), "$", "x", Report())
    found = HsdsMapper(*reference, TODAY)._hours(
        out, [(s, f"$.schedules[{i}]") for i, s in enumerate(schedules)], sessions=sessions
    )
    return found.rule, found.words, [u.reason for u in out.record.unmapped]


def weekly(byday: str, opens: str, closes: str, **more: Any) -> dict:
    return {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, **more}


@pytest.mark.parametrize(
    ("schedules", "rule"),
    [
        (
            [weekly("MO,TU,WE,TH,FR", "09:00", "12:00"), weekly("MO,TU,WE,TH,FR", "14:00", "17:00")],
            "Mo-Fr 09:00-12:00,14:00-17:00",
        ),
        (
            [weekly("MO", "09:00", "12:00"), weekly("TU", "09:00", "12:00"), weekly("SA", "10:00:00", "12:00:00")],
            "Mo,Tu 09:00-12:00; Sa 10:00-12:00",
        ),
        # a monthly session on a weekday that also has weekly hours: added, not replacing them
        (
            [
                weekly("TU", "09:00", "12:00"),
                {"freq": "MONTHLY", "byday": "2TU", "opens_at": "14:00", "closes_at": "17:00"},
            ],
            "Tu 09:00-12:00, Tu[2] 14:00-17:00",
        ),
        ([{"freq": "MONTHLY", "byday": "1TH,3TH", "opens_at": "14:00", "closes_at": "16:30"}], "Th[1,3] 14:00-16:30"),
        ([{"freq": "MONTHLY", "byday": "-1FR", "opens_at": "09:30", "closes_at": "12:00"}], "Fr[-1] 09:30-12:00"),
        ([weekly("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")], "Mo-Su 00:00-24:00"),  # HSDS's midnight
        # a description that is a rule saying the same openings: kept, with its holidays
        ([weekly("MO", "09:00", "12:00", description="Mo 09:00-12:00; PH off")], "Mo 09:00-12:00; PH off"),
        ([{"description": "Mo-Fr 09:00-17:00"}], "Mo-Fr 09:00-17:00"),
    ],
)
def test_schedules_that_a_rule_says_exactly(schedules, rule):
    found, words, reasons = hours(schedules)
    assert (found, words, reasons) == (rule, None, [])


@pytest.mark.parametrize(
    ("schedules", "words"),
    [
        ([weekly("MO", "09:00", "12:00", interval=2)], "toutes les 2 semaines, lundi, 09:00–12:00"),
        ([weekly("FR,SA", "20:00", "02:00")], "chaque semaine, vendredi et samedi, 20:00–02:00"),  # past midnight
        ([weekly("MO", "09:00", "12:00", valid_to="2027-06-30")], "date de fin de validité : 2027-06-30"),
        ([weekly("MO", "09:00", "12:00", timezone=1)], "chaque semaine, lundi"),  # summer time in France
        ([{"description": "By appointment"}], "By appointment"),
        # a description that disagrees with the fields is not a rule
        ([weekly("MO", "09:00", "12:00", description="Tu 09:00-12:00")], "Tu 09:00-12:00"),
    ],
)
def test_schedules_a_rule_cannot_say_go_to_the_details_with_a_warning(schedules, words):
    found, said, reasons = hours(schedules)
    assert found is None and said is not None and words in said
    assert len(reasons) == 1 and "opening_hours" in reasons[0]


def test_a_permanence_keeps_its_end_date():
    found, words, _ = hours([weekly("MO", "09:00", "12:00", valid_to="2027-06-30")], sessions=True)
    assert found == "Mo 09:00-12:00" and words is None


def test_an_organization_without_its_services_is_a_place_of_its_own(minimal):
    result, report = run_import([EXAMPLES / "organization_list.json"], minimal)
    assert result is not None and not report.errors and len(result.created) == 1
    record = result.created[0].read_text(encoding="utf-8")
    assert "name: Example Organization Inc." in record
    assert "website: http://example.com" in record and "email: email@example.com" in record
    said = {u.field for _, u in result.unmapped}
    assert {"$.contents[0].legal_status", "$.contents[0].logo", "$.contents[0].year_incorporated"} <= said


def test_service_at_locations_of_one_service_make_a_service_and_its_permanences(minimal, tmp_path):
    """A page of the API's /service_at_locations: the service once, each place with its sessions."""
    service = {"id": "s1", "name": "Point santé", "status": "active", "description": "Des infirmiers reçoivent."}

    def place(pid: str, name: str, byday: str, number: str) -> dict:
        return {
            "id": pid,
            "service": service,
            "description": f"Point santé – {name}\n\nSans rendez-vous.",
            "phones": [{"number": number}],
            "location": {"id": f"l-{pid}", "name": name, "latitude": 47.6, "longitude": -2.1},
            "schedules": [{"freq": "MONTHLY", "byday": byday, "opens_at": "09:00", "closes_at": "12:00"}],
        }

    page = {"contents": [place("a", "Mairie", "1MO", "01 99 00 00 01"), place("b", "Salle des fêtes", "3MO", "x")]}
    path = tmp_path / "places.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    result, report = run_import([path], minimal)
    # the second place's phone is wrong: said where it really is, and nothing written
    assert result is None and [p.message for p in report.errors] == [
        "$.contents[1].phones[0].number : « x » n'est pas un numéro de téléphone valide : attendu un numéro "
        "français comme 01 99 00 12 34, un numéro court comme 3646, ou un numéro international commençant par +"
    ]
    page["contents"][1]["phones"][0]["number"] = "01 99 00 00 02"
    path.write_text(json.dumps(page), encoding="utf-8")
    result, report = run_import([path], minimal)
    assert result is not None and not report.errors
    written = {p.parent.name: p.read_text(encoding="utf-8") for p in result.created}
    assert "opening_hours: Mo[1] 09:00-12:00" in written["services"]
    assert "name: Point santé – Salle des fêtes" in written["permanences"]
    assert "schedule: Mo[3] 09:00-12:00" in written["permanences"]
    assert "description: Sans rendez-vous." in written["permanences"]
    assert "held_by:\n  service: point-sante\n" in written["permanences"]


def test_file_names_are_ids_even_for_long_names_that_clash(minimal, tmp_path):
    """A name cut at a hyphen, and the HSDS id's start added: never '--' (found on a synthetic territory)."""
    name = "Accueil Assurance Maladie (CPAM, MSA) de Lande-Modèle et des communes voisines"
    services = [{"id": f"{i}-uuid", "name": name, "status": "active"} for i in range(3)]
    services.append({"id": "index", "name": "Index", "status": "active"})
    path = tmp_path / "clash.json"
    path.write_text(json.dumps(services), encoding="utf-8")
    result, report = run_import([path], minimal)
    assert result is not None and not report.errors
    stems = [p.stem for p in result.created]
    assert len(set(stems)) == 4 and all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", s) for s in stems), stems
    assert "index" not in stems and all(len(s) <= 60 for s in stems)
