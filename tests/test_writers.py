"""Every writer, fed arbitrary text, writes files that read back as exactly that text.

Property tests (hypothesis): the text mixes what YAML gives a meaning to (line
breaks, `#`, `:`, quotes, `- `, anchors, tags, brackets, blanks at either end),
characters a YAML reader turns into something else (control characters, NEL,
U+2028, the byte-order mark) and words a YAML 1.2 reader takes for numbers, dates,
booleans or nulls. Each file written is read with the portal's own loader
(`records.loader`, YAML 1.2) and must hold the values given, and nothing else
changed. Where a value cannot be carried, the writer must refuse it with a plain
error, never write something that reads back differently.

The runs are derandomized and keep no example database: CI sees the same cases as
a laptop. Each test stays within a few seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.editing import EditConflict, RecordText, write_new
from generator.problems import Report
from generator.records.loader import load_yaml

from helpers import FIXTURES, MINIMAL, ROOT, TODAY, load_directory

CONFIG = ROOT / "mkdocs.yml"

#: Reproducible and quick: the same examples on every run, none remembered between runs.
QUICK = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Pieces of text YAML gives a meaning to, or that a YAML reader may turn into something else.
SPECIAL = [
    "\n", "\n\n", "\r", "\r\n", "\t", " ", "  ", "#", " #", ": ", ":", "'", '"', "- ", "-", "? ", "&a ", "*a",
    "!x ", "!!str ", "{", "}", "[", "]", ",", "|", ">", "%", "@", "`", "\\", "---", "...", "<<",
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\ufeff", "\x0b", "\x0c", "\xa0",
    "é", "€", "\U0001f600",
]  # fmt: skip
#: Words a YAML reader (1.1 or 1.2) may take for something other than text.
WORDS = [
    "1e5", "1.0e5", "-.5", "5e-3", "0x10", "0o7", "017", "01000", "1_000", ".inf", "-.Inf", ".NaN", "+1", "1.0",
    "2024-01-01", "2024-01-01T10:00:00", "09:00", "12:30:00", "yes", "No", "on", "OFF", "y", "~", "null", "Null",
    "true", "False", "=", "", "_x000D_",
]  # fmt: skip
#: Arbitrary text: one of the words, pieces strung together, or any Unicode text.
TEXT = st.one_of(
    st.sampled_from(WORDS),
    st.lists(st.one_of(st.sampled_from(SPECIAL + WORDS), st.text(max_size=3)), min_size=1, max_size=10).map("".join),
    st.text(min_size=1),
)


def loaded(path: Path) -> Any:
    """The file as `check` reads it; the loader's problems fail the test."""
    report = Report()
    document = load_yaml(path, report)
    assert document is not None and not report.problems, [p.format() for p in report.problems]
    return document.data


# --- editing: RecordText.set and write_new -------------------------------------------------------------

#: A record written by hand: comments, a folded block, quotes of both kinds, a flow list, a nested mapping.
HAND_WRITTEN = """\
# Fiche écrite à la main : ce commentaire reste.
name: Centre de santé  # le nom affiché
summary: 'Accueil sans rendez-vous'
description: >-
  Un texte long,
  replié sur deux lignes.
address:
  street: "1 rue de la Gare"
  postcode: "35600"
cost: [free, paid]
phones:
  - "01 99 00 12 34"
verified: 2024-01-01
source: Appel à l'accueil
"""

#: The keys a change may be made at: plain, single-quoted, folded, double-quoted, a list item, new.
KEYS: list[tuple[str | int, ...]] = [
    ("name",),
    ("summary",),
    ("description",),
    ("address", "street"),
    ("cost", 1),
    ("phones", 0),
    ("source",),
    ("new",),
    ("address", "additional"),
]


def _put(data: dict[str, Any], keys: tuple[str | int, ...], value: Any) -> None:
    node: Any = data
    for key in keys[:-1]:
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    node[keys[-1]] = value


@QUICK
@given(text=TEXT, keys=st.sampled_from(KEYS))
def test_record_text_set_carries_any_text(text: str, keys: tuple[str | int, ...]) -> None:
    """`sheet import`, `verified` and the campaigns change a value: it reads back as given, all else stays."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "centre.yml"
        path.write_text(HAND_WRITTEN, encoding="utf-8")
        expected = loaded(path)
        _put(expected, keys, text)
        record = RecordText.read(path)
        record.set(keys, text)
        record.save()
        assert loaded(path) == expected, path.read_text(encoding="utf-8")
        written = path.read_text(encoding="utf-8")
        assert written.startswith("# Fiche écrite à la main : ce commentaire reste.\n")
        if keys != ("name",):
            assert "name: Centre de santé  # le nom affiché\n" in written


@QUICK
@given(text=TEXT, other=TEXT)
def test_record_text_set_carries_any_list(text: str, other: str) -> None:
    """A list replaced whole, in flow (`[a, b]`) or block style, or a new one: items read back as given."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "centre.yml"
        path.write_text(HAND_WRITTEN, encoding="utf-8")
        expected = loaded(path)
        record = RecordText.read(path)
        for key, value in (("cost", [text, other]), ("phones", [other, text, "x"]), ("languages", [text])):
            record.set((key,), value)
            expected[key] = value
        record.save()
        assert loaded(path) == expected, path.read_text(encoding="utf-8")


@QUICK
@given(text=TEXT, other=TEXT)
def test_write_new_carries_any_text(text: str, other: str) -> None:
    """A new record (`sheet import`'s new rows): every value, nested or in a list, reads back as given."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "new.yml"
        data = {
            "name": text,
            "address": {"street": other, "postcode": text},
            "languages": [text, other],
            "verified": dt.date(2026, 1, 2),
            "latitude": 47.65,
        }
        write_new(path, data, header=[f"Créée par l'import du tableur {other}", "ligne 2"])
        assert loaded(path) == {**data, "verified": "2026-01-02"}, path.read_text(encoding="utf-8")


def _injecting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ruamel's dump of any changed record add a key: the writers must notice before writing."""
    from generator.editing import yamltext

    dump = yamltext._dump

    def injected(data: Any) -> str:
        text = dump(data)
        return text + "website: https://evil.example/\n" if "new" in data else text

    monkeypatch.setattr(yamltext, "_dump", injected)


def test_a_change_that_would_read_back_otherwise_replaces_nothing(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "centre.yml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    _injecting(monkeypatch)
    record = RecordText.read(path)
    record.set(("new",), "valeur")
    with pytest.raises(EditConflict, match="se relise avec les valeurs données"):
        record.save()
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN
    assert [p.name for p in tmp_path.iterdir()] == ["centre.yml"]  # no temporary file left


def test_a_new_record_that_would_read_back_otherwise_is_not_written(tmp_path: Path, monkeypatch) -> None:
    _injecting(monkeypatch)
    with pytest.raises(EditConflict, match="se relise avec les valeurs données"):
        write_new(tmp_path / "new.yml", {"name": "Lieu", "new": "valeur"})
    assert list(tmp_path.iterdir()) == []


def test_a_header_line_cannot_add_a_key(tmp_path: Path) -> None:
    """A comment line of the header holding a line break stays comments."""
    write_new(tmp_path / "new.yml", {"name": "Lieu"}, header=["Importé de x\nwebsite: https://evil.example/"])
    assert loaded(tmp_path / "new.yml") == {"name": "Lieu"}


def test_a_file_the_loader_refuses_is_not_edited(tmp_path: Path) -> None:
    """An alias is refused by `check`: the writer does not guess what the file means."""
    path = tmp_path / "r.yml"
    path.write_text("name: &n Lieu\norganization: *n\n", encoding="utf-8")
    with pytest.raises(EditConflict, match="lancez check"):
        RecordText.read(path)


def _copy(source: Path, folder: Path) -> Path:
    """A copy of a records folder, to write into."""
    target = folder / source.name
    shutil.copytree(source, target)
    return target


# --- the importers: data·inclusion (JSON, CSV) and HSDS ---------------------------------------------------

DATA_INCLUSION = FIXTURES / "data-inclusion"
#: The service's texts the import carries into the record (data·inclusion field -> where it goes).
SERVICE_TEXTS = {
    "nom": ("name",),
    "description": ("description",),
    "frais_precisions": ("cost_details",),
    "conditions_acces": ("conditions",),
    "mobilisation_precisions": ("appointment", "details"),
    "complement_adresse": ("address", "additional"),
}


def _files(folder: Path) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _data_inclusion_objects(text: str, other: str) -> tuple[dict[str, Any], dict[str, Any]]:
    service = json.loads((DATA_INCLUSION / "services.json").read_text(encoding="utf-8"))[0]
    structure = json.loads((DATA_INCLUSION / "structures.json").read_text(encoding="utf-8"))[0]
    for index, name in enumerate(SERVICE_TEXTS):
        service[name] = (text, other)[index % 2] + "texte"  # the names and descriptions have a minimum length
    service["id"] = structure["id"] = f"producteur--{other}"
    service["structure_id"] = structure["id"]
    structure["nom"] = f"{text} structure"
    return service, structure


def _as_csv(objects: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for item in objects for key in item))
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for item in objects:
        writer.writerow(
            [",".join(v) if isinstance(v, list) else "" if v is None else v for v in map(item.get, columns)]
        )
    return out.getvalue()


def _imported_as_given(result: Any, before: dict[Path, bytes], directory: Path, given: dict[str, Any]) -> None:
    """Each record written holds the values given; every other file is as it was."""
    from generator.importing.files import editable

    written = set(result.created) | set(result.updated)
    assert not result.failed, result.failed
    for path, data in before.items():
        if path not in written:
            assert path.read_bytes() == data, path
    for path in written:
        record = loaded(path)
        for field, keys in SERVICE_TEXTS.items():
            if field in given:
                value: Any = record
                for key in keys:
                    value = value[key]
                assert value == editable(given[field]), (field, path.read_text(encoding="utf-8"))


@QUICK
@given(text=TEXT, other=TEXT, form=st.sampled_from(["json", "csv"]))
def test_data_inclusion_import_carries_any_text(tmp_path: Path, text: str, other: str, form: str) -> None:
    """Names, descriptions, precisions and ids, from JSON or CSV: the records hold them as given."""
    from data_inclusion.schema import v1 as di

    from generator.importing import import_data_inclusion

    with tempfile.TemporaryDirectory() as folder:
        directory = _copy(MINIMAL, Path(folder))
        service, structure = _data_inclusion_objects(text, other)
        files = [Path(folder) / f"services.{form}", Path(folder) / f"structures.{form}"]
        for path, item in zip(files, (service, structure), strict=True):
            path.write_text(json.dumps([item]) if form == "json" else _as_csv([item]), encoding="utf-8")
        before = _files(directory)
        report = Report()
        result = import_data_inclusion(files, directory, TODAY, report)
        try:
            read = di.Service.model_validate(service)
        except ValueError:
            assert result is None or not result.created, "a service the schema refuses was written"
            return
        if form == "csv":
            read = di.Service.model_validate({k: v.strip() if isinstance(v, str) else v for k, v in service.items()})
        assert result is not None, [p.format() for p in report.problems]
        assert len(result.created) == 1, [p.format() for p in report.problems]
        event(f"written {form}")
        _imported_as_given(result, before, directory, read.model_dump())
        again = import_data_inclusion(files, directory, TODAY, Report())
        assert again is not None and again.unchanged == result.created and not again.gone


@QUICK
@given(text=TEXT, other=TEXT)
def test_hsds_import_carries_any_text(text: str, other: str) -> None:
    """An HSDS service's id, name, description, fees and eligibility: the record holds what was mapped."""
    from generator.importing import import_hsds
    from generator.importing.files import editable
    from generator.importing.hsds import HsdsMapper, read_hsds
    from generator.records.validate import validate_reference

    service = {
        "id": other,
        "name": f"{text} nom",
        "description": f"{other} description",
        "fees_description": text,
        "eligibility_description": other,
        "status": "active",
    }
    with tempfile.TemporaryDirectory() as folder:
        directory = _copy(MINIMAL, Path(folder))
        path = Path(folder) / "services.json"
        path.write_text(json.dumps([service]), encoding="utf-8")
        before = _files(directory)
        report = Report()
        result = import_hsds([path], directory, TODAY, report)
        if result is None:  # refused whole: with a plain error, and nothing written
            assert report.errors and _files(directory) == before
            return
        event("written")
        reference = validate_reference(directory, Report())
        assert reference is not None
        mapped, _ = HsdsMapper(*reference, TODAY).to_records(read_hsds(path, path.read_text(), Report()), Report())
        [record] = mapped
        _imported_as_given(result, before, directory, {})
        [written] = result.created
        assert loaded(written) == editable(record.data), written.read_text(encoding="utf-8")
        assert record.data["name"] == service["name"].strip()
        assert record.data["description"] == service["description"].strip()


# --- the spreadsheet import ----------------------------------------------------------------------------

#: Each example edits a workbook and imports it into a copy of the minimal territory (about 1 s).
SHEETS = settings(QUICK, max_examples=8)
#: XML 1.0 (.xlsx and .ods are XML) holds no other control character; openpyxl refuses them in a cell.
CELL_TEXT = TEXT.map(lambda text: re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]", "", text))


@pytest.fixture(scope="module")
def minimal_workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from generator.cli import main

    folder = tmp_path_factory.mktemp("workbooks")
    books = {}
    for suffix in (".xlsx", ".ods"):
        books[suffix] = folder / f"annuaire{suffix}"
        command = ["sheet", "export", str(books[suffix]), "--directory", str(MINIMAL), "--config", str(CONFIG)]
        assert main(command) == 0
    return books


@SHEETS
@given(text=CELL_TEXT, suffix=st.sampled_from([".xlsx", ".ods"]), header=st.sampled_from(["Nom (en)", "Nom (fr)"]))
def test_sheet_import_carries_any_cell_text(minimal_workbooks: dict[str, Path], text: str, suffix: str, header: str):
    """A cell edited to any text a cell can hold: the record holds the cell's text, or the import refuses
    with a message and writes nothing."""
    from test_sheets import set_cells  # edits a cell as another program would

    from generator.sheets import import_workbook
    from generator.sheets.columns import _text

    if suffix == ".ods":  # odfpy, the tests' editing tool, writes C1 control characters as U+FFFD
        text = re.sub("[\x7f-\x9f]", "", text)
    with tempfile.TemporaryDirectory() as folder:
        directory = _copy(MINIMAL, Path(folder))
        book = Path(folder) / f"annuaire{suffix}"
        shutil.copyfile(minimal_workbooks[suffix], book)
        set_cells(book, "Services", "msp-villebourg", {header: text})
        before = _files(directory)
        record = directory / "services" / "msp-villebourg.yml"
        expected = loaded(record)
        report = Report()
        result = import_workbook(book, CONFIG, report, directory, TODAY)
        assert result is not None, [p.format() for p in report.problems]
        if result.plan.errors:  # refused (an empty name, a character check refuses): nothing written
            assert _files(directory) == before
            return
        event(f"written {suffix}")
        language = header[-3:-1]
        cell = _text(text)
        names = expected["name"] if isinstance(expected["name"], dict) else {"fr": expected["name"]}
        if cell is None:
            names.pop(language, None)
        else:
            names[language] = cell
        expected["name"] = names
        after = loaded(record)
        if isinstance(after["name"], str):  # `name: X` is `name: {fr: X}`
            after["name"] = {"fr": after["name"]}
        assert after == expected, record.read_text(encoding="utf-8")
        assert {p: d for p, d in _files(directory).items() if p != record} == {
            p: d for p, d in before.items() if p != record
        }


def test_a_sheet_value_that_would_read_back_otherwise_is_an_error(minimal_workbooks, tmp_path, monkeypatch):
    """The import says so, as a problem of the plan, and writes nothing (no traceback)."""
    from test_sheets import set_cells

    from generator.sheets import import_workbook

    directory = _copy(MINIMAL, tmp_path)
    book = tmp_path / "annuaire.xlsx"
    shutil.copyfile(minimal_workbooks[".xlsx"], book)
    set_cells(book, "Services", "msp-villebourg", {"Nom (en)": "Health centre"})
    before = _files(directory)

    from generator.editing import yamltext

    dump = yamltext._dump
    monkeypatch.setattr(yamltext, "_dump", lambda data: dump(data) + ("x: 1\n" if "Health centre" in str(data) else ""))
    result = import_workbook(book, CONFIG, Report(), directory, TODAY)
    assert result is not None and not result.written
    assert any("se relise avec les valeurs données" in problem.message for problem in result.plan.errors)
    assert _files(directory) == before


# --- verified --source ---------------------------------------------------------------------------------


@settings(QUICK, max_examples=60)
@given(text=TEXT)
def test_verified_source_carries_any_text(text: str) -> None:
    """`verified ID --source TEXT`: `source` reads back as the text (without blanks at its ends), `verified`
    as the day; nothing else of the record, and no other record, changes. An empty text is refused."""
    from generator.campaign import VerifiedError, mark_verified

    with tempfile.TemporaryDirectory() as folder:
        directory = _copy(MINIMAL, Path(folder))
        before = _files(directory)
        record = directory / "services" / "msp-villebourg.yml"
        expected = loaded(record)
        if not text.strip():
            with pytest.raises(VerifiedError, match="--source est vide"):
                mark_verified(directory, ["msp-villebourg"], TODAY, TODAY, text)
            assert _files(directory) == before
            return
        mark_verified(directory, ["msp-villebourg"], TODAY, TODAY, text)
        expected.update(verified=TODAY.isoformat(), source=text.strip())
        assert loaded(record) == expected, record.read_text(encoding="utf-8")
        assert {p: d for p, d in _files(directory).items() if p != record} == {
            p: d for p, d in before.items() if p != record
        }


# --- the web editor's configuration ------------------------------------------------------------------


@pytest.fixture(scope="module")
def editor_config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The demo's configuration with the editor enabled, and the minimal territory."""
    from generator.config import load_config

    folder = tmp_path_factory.mktemp("editor")
    text = CONFIG.read_text(encoding="utf-8").replace(
        "      demo: true", "      demo: true\n      editor:\n        enabled: true\n", 1
    )
    (folder / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)
    shutil.copytree(MINIMAL, folder / "directory")
    (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    report = Report()
    config = load_config(folder / "mkdocs.yml", report)
    assert config is not None, [p.format() for p in report.problems]
    return config, load_directory(config.directory)


@settings(QUICK, max_examples=50)
@given(name=TEXT, label=TEXT, branch=TEXT)
def test_the_editor_configuration_carries_any_territory_text(editor_config: Any, name: str, label: str, branch: str):
    """Commune names and category labels (territory.yml, taxonomy.yml) and the editor's settings
    (mkdocs.yml) reach Decap's config.yml as they are, and add nothing to it."""
    import dataclasses
    from unittest import mock

    from generator.editor import cms

    choices = cms.Choices(
        categories=[{"label": f"{label} (msp)", "value": "msp"}, {"label": label, "value": label}],
        publics=[{"label": name, "value": "jeunes"}],
        communes=[{"label": f"{name} (35001)", "value": "35001"}],
    )
    config, directory = editor_config
    editor = dataclasses.replace(config.site.editor, branch=branch, repo=name)
    config = dataclasses.replace(config, site=dataclasses.replace(config.site, editor=editor))
    with mock.patch.object(cms.Choices, "of", return_value=choices):
        decap, _ = cms.cms_config(config, directory)
        files = cms.admin_files(config, directory)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.yml"
        path.write_bytes(files["admin/config.yml"])
        assert loaded(path) == json.loads(json.dumps(decap)), files["admin/config.yml"].decode()


# --- new ------------------------------------------------------------------------------------------------


@QUICK
@given(rid=st.one_of(TEXT, st.sampled_from(["lieu", "lieu\n", "lieu\nwebsite: x"])), url=TEXT)
def test_new_writes_its_template_whatever_the_id_and_schema_address(rid: str, url: str) -> None:
    """`new KIND ID`: the id and the schema address (from site_url) go into comment lines; whatever they
    are, the record holds the template's values, or `new` refuses with a message and writes nothing."""
    from generator.records.new import NewRecordError, write_new_record

    with tempfile.TemporaryDirectory() as folder:
        records, plain = Path(folder) / "directory", Path(folder) / "plain"
        records.mkdir()
        plain.mkdir()
        template = write_new_record(plain, "service", "lieu")
        try:
            written = write_new_record(records, "service", rid, url)
        except NewRecordError:
            assert list(records.rglob("*")) == []
            return
        event("written")
        assert loaded(written) == loaded(template), written.read_text(encoding="utf-8")
        assert written.read_text(encoding="utf-8").count("\n") == template.read_text(encoding="utf-8").count("\n") + 1


@QUICK
@given(st.one_of(TEXT, st.lists(TEXT, max_size=3)))
def test_a_generated_page_s_front_matter_reads_back_in_mkdocs(value):
    """Generated pages' front matter is written as JSON (`render.yaml_value`); MkDocs reads it as
    YAML and, on a YAML error, silently drops the whole front matter: the title would be lost."""
    from mkdocs.utils.meta import get_data

    from generator.render import yaml_value

    body, meta = get_data(f"---\ntitle: {yaml_value(value)}\nportal_html: true\n---\n\n<p>x</p>")
    assert meta == {"title": value, "portal_html": True}
    assert body == "<p>x</p>"
