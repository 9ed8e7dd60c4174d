"""The spreadsheet round trip: `sheet export`, edits in a spreadsheet, `sheet import`.

Each test works on a copy of the demo's records; the workbooks are edited the way
another program would (openpyxl for .xlsx, odfpy for .ods), and read back by a
second library (calamine) to show that other readers see the same cells.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from odf import teletype
from odf.config import ConfigItem, ConfigItemMapEntry
from odf.office import Annotation
from odf.opendocument import load as load_ods
from odf.table import ContentValidation, Table, TableCell, TableRow
from odf.text import P
from openpyxl.cell.cell import Cell
from python_calamine import CalamineWorkbook

from generator.cli import main
from generator.editing import RecordText
from generator.sheets import read_workbook

from helpers import DEMO, ROOT, run_cli

CONFIG = ROOT / "mkdocs.yml"
TODAY = "2026-12-01"
FORMATS = (".xlsx", ".ods")


# --- helpers ------------------------------------------------------------------------------


def demo_copy(tmp_path: Path) -> Path:
    directory = tmp_path / "directory"
    shutil.copytree(DEMO, directory)
    return directory


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """The command in this process (faster than a new one); its exit code and everything it printed."""
    code = main([*args[:2], *args[2:], "--config", str(CONFIG), "--today", TODAY])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo exported once in each format (the fingerprints hold for any copy of the demo)."""
    folder = tmp_path_factory.mktemp("exported")
    files = {}
    for suffix in FORMATS:
        target = folder / f"annuaire{suffix}"
        assert main(["sheet", "export", str(target), "--directory", str(DEMO), "--config", str(CONFIG)]) == 0
        files[suffix] = target
    return files


def workbook_copy(exported: dict[str, Path], suffix: str, tmp_path: Path) -> Path:
    target = tmp_path / f"annuaire{suffix}"
    shutil.copyfile(exported[suffix], target)
    return target


def row_of(path: Path, sheet: str, rid: str) -> int:
    rows = read_workbook(path)[sheet]
    return next(number for number, row in enumerate(rows, start=1) if row and row[0] == rid)


def set_cells(path: Path, sheet: str, rid: str, values: dict[str, Any]) -> None:
    """Change cells of the record's row, by column header, as another program would."""
    if path.suffix == ".xlsx":
        _set_xlsx(path, sheet, rid, values)
    else:
        _set_ods(path, sheet, rid, values)


def _set_xlsx(path: Path, sheet: str, rid: str, values: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    headers = [cell.value for cell in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == rid:
            for header, value in values.items():
                row[headers.index(header)].value = value
    book.save(path)


def _set_ods(path: Path, sheet: str, rid: str, values: dict[str, Any]) -> None:
    doc = load_ods(str(path))
    table = next(t for t in doc.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == sheet)
    rows = table.getElementsByType(TableRow)

    def texts(row: Any) -> list[str]:
        return [
            "\n".join(teletype.extractText(p) for p in cell.childNodes if p.qname[1] == "p")
            for cell in row.getElementsByType(TableCell)
        ]

    headers = texts(rows[0])
    target = next(r for r in rows[1:] if texts(r)[:1] == [rid])
    cells = target.getElementsByType(TableCell)
    for header, value in values.items():
        old = cells[headers.index(header)]
        new = TableCell() if value is None else TableCell(valuetype="string")
        for line in [] if value is None else str(value).split("\n"):
            paragraph = P()
            teletype.addTextToElement(paragraph, line)
            new.addElement(paragraph)
        target.insertBefore(new, old)
        target.removeChild(old)
    doc.save(str(path))


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --- the round trip ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", FORMATS)
def test_export_then_import_changes_no_file(tmp_path: Path, suffix: str, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = tmp_path / f"annuaire{suffix}"
    if suffix == ".xlsx":  # once through a process of its own, as a coordinator runs it (8 s: once is enough)
        exported = run_cli("sheet", "export", str(book), "--directory", str(directory), "--today", TODAY)
        assert exported.returncode == 0, exported.stderr
        assert "112 fiches" in exported.stdout
        imported = run_cli("sheet", "import", str(book), "--directory", str(directory), "--today", TODAY)
        assert imported.returncode == 0, imported.stderr
        output = imported.stdout
    else:
        code, output = cli(capsys, "sheet", "export", str(book), "--directory", str(directory))
        assert code == 0, output
        code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
        assert code == 0, output
    assert "0 modifiée(s), 0 nouvelle(s), 112 inchangée(s), 0 absente(s)" in output
    assert snapshot(directory) == before


def test_export_never_writes_over_a_workbook(tmp_path: Path, exported, capsys):
    book = workbook_copy(exported, ".xlsx", tmp_path)
    before = book.read_bytes()
    code, output = cli(capsys, "sheet", "export", str(book), "--directory", str(DEMO))
    assert code == 1
    assert "il contient peut-être des modifications pas encore importées" in output
    assert book.read_bytes() == before


@pytest.mark.parametrize("suffix", FORMATS)
def test_one_cell_changes_one_line_of_one_file(tmp_path: Path, exported, suffix: str, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, suffix, tmp_path)
    set_cells(book, "Services", "msp-redon", {"Horaires": "Mo-Fr 08:00-19:00; Sa 08:00-12:00; PH off"})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory), "--dry-run")
    assert code == 0, output
    assert (
        "1 modifiée(s), 0 nouvelle(s), 111 inchangée(s), 0 absente(s) (gardées). Essai (--dry-run) : rien n'a été écrit."
        in output
    )
    assert snapshot(directory) == before
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    after = snapshot(directory)
    changed = [name for name in before if before[name] != after[name]]
    assert changed == ["services/msp-redon.yml"]
    assert changed_lines(before[changed[0]], after[changed[0]]) == [
        '-opening_hours: "Mo-Fr 08:00-20:00; Sa 08:00-12:00; PH off"',
        '+opening_hours: "Mo-Fr 08:00-19:00; Sa 08:00-12:00; PH off"',
    ]
    assert "modifiée : " in output and "services/msp-redon.yml : opening_hours" in output
    assert "1 modifiée(s), 0 nouvelle(s), 111 inchangée(s)" in output


def test_a_translation_column_changes_only_its_language(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, ".ods", tmp_path)
    set_cells(book, "Services", "msp-redon", {"Nom (en)": "Canal health centre"})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    name = "services/msp-redon.yml"
    after = snapshot(directory)
    assert [n for n in before if before[n] != after[n]] == [name]
    assert changed_lines(before[name], after[name]) == [
        "-  en: Canal multi-professional health centre",
        "+  en: Canal health centre",
    ]


def test_cells_compare_as_data_not_as_text(tmp_path: Path, exported, capsys):
    """A postcode typed as a number, a date as text, a decimal comma, « OUI »: the same values."""
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    set_cells(
        book,
        "Services",
        "msp-redon",
        {
            "Code postal": 35600,
            "Vérifiée le": "16/11/2026",
            "Latitude": "47,647",
            "Longitude": -2.08,
            "Nouveaux patients : date de la réponse": "16/11/2026",
            "Coût": "Tarifs de la Sécurité sociale, sans dépassement (secteur 1)\nPas d'avance de frais (tiers payant)\n",
        },
    )
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert "0 modifiée(s)" in output
    assert snapshot(directory) == before


def test_an_emptied_cell_removes_the_key_and_says_so(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    row = row_of(book, "Services", "msp-redon")
    set_cells(book, "Services", "msp-redon", {"Site web": None})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert "website:" not in (directory / "services/msp-redon.yml").read_text()
    assert (
        f"› Services › ligne {row}, colonne « Site web » : avertissement : la cellule a été vidée : 'website'" in output
    )


# --- bad cells ----------------------------------------------------------------------------


def check_message(tmp_path: Path, capsys, kind: str, rid: str, keys: tuple[str, ...], value: Any) -> str:
    """What `check` says when the same value is written in the YAML file."""
    directory = tmp_path / "yaml-check" / "directory"
    shutil.copytree(DEMO, directory)
    record = RecordText.read(directory / kind / f"{rid}.yml")
    record.set(keys, value)
    record.save()
    code, output = cli(capsys, "check", "--directory", str(directory))
    assert code == 1
    line = next(line for line in output.splitlines() if f"{rid}.yml:" in line and ": erreur : " in line)
    return line.split(": erreur : ", 1)[1]


@pytest.mark.parametrize("suffix", FORMATS)
def test_bad_cells_name_sheet_row_and_column_and_change_nothing(tmp_path: Path, exported, suffix: str, capsys):
    hours = check_message(tmp_path, capsys, "services", "msp-redon", ("opening_hours",), "Lu-Ve 9h-12h")
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, suffix, tmp_path)
    set_cells(book, "Services", "msp-redon", {"Horaires": "Lu-Ve 9h-12h", "Nom (en)": "A change that must wait"})
    set_cells(book, "Services", "ccas-redon", {"Commune": "Redonn"})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1
    name = str(book)
    msp, ccas = row_of(book, "Services", "msp-redon"), row_of(book, "Services", "ccas-redon")
    # check's own message, at the cell that holds the value
    assert f"{name} › Services › ligne {msp}, colonne « Horaires » : erreur : {hours}" in output
    assert (
        f"{name} › Services › ligne {ccas}, colonne « Commune » : erreur : « Redonn » n'est pas une commune du territoire"
    ) in output
    assert "vouliez-vous dire « Redon » ?" in output
    assert "2 erreur(s) : rien n'a été écrit" in output
    assert snapshot(directory) == before


def test_a_moved_location_outside_the_territory_points_at_its_column(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    set_cells(book, "Permanences", "bus-sante-rieux", {"Latitude du lieu": 12.5})
    set_cells(book, "Dispositifs", "css", {"Nom (fr)": None})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1
    rieux, css = row_of(book, "Permanences", "bus-sante-rieux"), row_of(book, "Dispositifs", "css")
    assert f"› Permanences › ligne {rieux}, colonne « Latitude du lieu » : erreur : le lieu (12.5, " in output
    assert (
        f"› Dispositifs › ligne {css}, colonne « Nom (fr) » : erreur : name : il manque le texte en français" in output
    )
    assert snapshot(directory) == before


# --- new rows, missing rows, files changed since the export -------------------------------


def test_a_new_row_becomes_a_record_that_passes_check(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    workbook = openpyxl.load_workbook(book)
    ws = workbook["Services"]
    headers = [cell.value for cell in ws[1]]
    values = {
        "Nom (fr)": "Centre de santé du Port",
        "Nom (en)": "Harbour health centre",
        "Catégorie": "Centre de santé",
        "Description (fr)": "Des médecins généralistes et des infirmiers, sur rendez-vous.",
        "Rue": "3 quai Duguay-Trouin",
        "Code postal": 35600,
        "Commune": "Redon",
        "Latitude": 47.6488,
        "Longitude": -2.0851,
        "Horaires": "Mo-Fr 09:00-17:00; PH off",
        "Téléphones": "01 99 00 19 99 : Accueil\n01 99 00 19 98",
        "Coût": "Gratuit",
        "Rendez-vous": "Sur rendez-vous",
        "Vérifiée le": dt.date(2026, 11, 30),
        "Source": "Appel à l'accueil (démo)",
    }
    ws.append([values.get(str(header)) for header in headers])
    new_row = ws.max_row
    workbook.save(book)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    created = directory / "services" / "centre-de-sante-du-port.yml"
    assert re.search(r"nouvelle : \S*services/centre-de-sante-du-port\.yml \(ligne \d+ de « Services »\)", output)
    assert f"(ligne {new_row} de « Services »)" in output
    text = created.read_text()
    # labels back to codes; a postcode typed as a number stays text
    assert "category: centre-sante" in text and "commune: '35236'" in text and "postcode: '35600'" in text
    assert "verified: 2026-11-30" in text
    code, output = cli(capsys, "check", "--directory", str(directory))
    assert code == 0, output


def test_a_deleted_row_is_reported_and_its_file_kept(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    workbook = openpyxl.load_workbook(book)
    workbook["Services"].delete_rows(row_of(book, "Services", "ccas-redon"))
    workbook.save(book)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert re.search(
        r"absente : \S*services/ccas-redon\.yml : aucune ligne du classeur ne la montre ; le fichier est gardé", output
    )
    assert "0 modifiée(s), 0 nouvelle(s), 111 inchangée(s), 1 absente(s) (gardées)" in output
    assert snapshot(directory) == before


def test_a_file_changed_since_the_export_is_not_overwritten(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    path = directory / "services" / "msp-redon.yml"
    # Someone edits the YAML after the export...
    edited = path.read_text().replace("08:00-20:00", "08:00-21:00")
    path.write_text(edited)
    book = workbook_copy(exported, ".ods", tmp_path)
    # ...while the coordinator changes the same record in the workbook.
    set_cells(book, "Services", "msp-redon", {"Courriel": "accueil-msp@example.org"})
    before = snapshot(directory)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1
    assert "services/msp-redon.yml a été modifié depuis l'export, et cette ligne le modifie" in output
    assert "Exportez à nouveau" in output
    assert snapshot(directory) == before


def test_a_file_changed_since_the_export_is_kept_when_its_row_is_not_changed(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    path = directory / "services" / "msp-redon.yml"
    path.write_text(path.read_text() + "# Vu avec l'accueil le 30 novembre.\n")
    before = snapshot(directory)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert snapshot(directory) == before


# --- the workbook itself --------------------------------------------------------------------


def test_xlsx_has_notes_lists_frozen_headers_and_widths(exported):
    book = openpyxl.load_workbook(exported[".xlsx"])
    assert book.sheetnames[0] == "Mode d'emploi"
    assert book["Empreintes"].sheet_state == "hidden"
    services = book["Services"]
    assert services.freeze_panes == "A2"
    headers = {cell.value: cell for cell in services[1] if isinstance(cell, Cell)}
    assert {"Nom (fr)", "Nom (en)", "Nom (ar)", "Horaires", "Commune", "Catégorie"} <= set(headers)
    note = headers["Horaires"].comment
    assert note is not None and "opening_hours" in note.text
    assert all(cell.comment is not None for cell in services[1])
    ranges = {str(v.sqref): v.formula1 for v in services.data_validations.dataValidation}
    commune = headers["Commune"].column_letter
    services_count = len(read_workbook(exported[".xlsx"])["Services"]) - 1
    # the records' rows, and 200 empty ones for new records
    last = len(read_workbook(exported[".xlsx"])["Communes"])  # the header, then one commune per row
    assert ranges[f"{commune}2:{commune}{services_count + 201}"] == f"'Communes'!$A$2:$A${last}"
    assert services.column_dimensions[headers["Description (fr)"].column_letter].width > 30


def test_ods_has_validations_annotations_and_a_frozen_header(exported):
    doc = load_ods(str(exported[".ods"]))
    validations = doc.getElementsByType(ContentValidation)
    conditions = {v.getAttribute("condition") for v in validations}
    last = len(read_workbook(exported[".ods"])["Communes"])
    assert f"of:cell-content-is-in-list([$'Communes'.$A$2:.$A${last}])" in conditions
    services = next(t for t in doc.spreadsheet.getElementsByType(Table) if t.getAttribute("name") == "Services")
    header = services.getElementsByType(TableRow)[0]
    cells = header.getElementsByType(TableCell)
    assert all(cell.getElementsByType(Annotation) for cell in cells)
    settings = {
        entry.getAttribute("name"): {
            item.getAttribute("name"): str(item) for item in entry.getElementsByType(ConfigItem)
        }
        for entry in doc.settings.getElementsByType(ConfigItemMapEntry)
        if entry.getAttribute("name")
    }
    assert settings["Services"]["VerticalSplitMode"] == "2"
    assert settings["Services"]["VerticalSplitPosition"] == "1"


def _plain(value: Any) -> Any:
    if value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


@pytest.mark.parametrize("suffix", FORMATS)
def test_another_reader_sees_the_same_cells(exported, suffix: str):
    """calamine (Rust) reads our files as our own reader does: the same text, numbers and dates."""
    ours = read_workbook(exported[suffix])
    theirs = CalamineWorkbook.from_path(str(exported[suffix]))
    assert theirs.sheet_names == list(ours)
    for name in ("Services", "Permanences", "Dispositifs", "Communes"):
        rows = [[_plain(value) for value in row] for row in theirs.get_sheet_by_name(name).to_python()]
        rows = [row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows]
        while rows and not rows[-1]:
            rows.pop()
        assert rows == ours[name], name
    services = ours["Services"]
    latitude = services[0].index("Latitude")
    msp = next(row for row in services if row[0] == "msp-redon")
    assert msp[latitude] == 47.647
    assert msp[services[0].index("Vérifiée le")] == dt.date(2026, 11, 16)
    assert msp[services[0].index("Code postal")] == "35600"


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice (apt-get install libreoffice-calc-nogui)")
def test_a_workbook_saved_again_by_libreoffice_imports_without_change(tmp_path: Path, exported, capsys):
    """LibreOffice opens our .ods, keeps its lists and notes, and what it saves imports as unchanged."""
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    saved = tmp_path / "libreoffice"
    for target in ("ods:calc8", "xlsx:Calc MS Excel 2007 XML"):
        done = subprocess.run(
            [
                str(SOFFICE),
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--convert-to",
                target,
                "--outdir",
                str(saved),
                str(exported[".ods"]),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    for book in (saved / "annuaire.ods", saved / "annuaire.xlsx"):
        code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
        assert code == 0, output
        assert "0 modifiée(s), 0 nouvelle(s), 112 inchangée(s), 0 absente(s)" in output
    assert snapshot(directory) == before
    doc = load_ods(str(saved / "annuaire.ods"))
    assert len(doc.getElementsByType(ContentValidation)) == len(
        load_ods(str(exported[".ods"])).getElementsByType(ContentValidation)
    )
    assert len(doc.getElementsByType(Annotation)) == len(load_ods(str(exported[".ods"])).getElementsByType(Annotation))


def test_what_a_cell_cannot_carry_is_reported(tmp_path: Path, exported, capsys):
    """A phone's new label drops the old label's translations; an unknown column is not imported: both said."""
    directory = demo_copy(tmp_path)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    set_cells(book, "Services", "msp-redon", {"Téléphones": "01 99 00 19 50 : Accueil\n01 99 00 19 51 : Infirmiers"})
    workbook = openpyxl.load_workbook(book)
    ws = workbook["Services"]
    ws.cell(row=1, column=ws.max_column + 1, value="Remarques")
    workbook.save(book)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    row = row_of(book, "Services", "msp-redon")
    assert (
        f"› Services › ligne {row}, colonne « Téléphones » : avertissement : les traductions (ar, en, fa-AF, ps, ru, uk) "
        "de l'ancien texte de « 01 99 00 19 50 » ont été retirées"
    ) in output
    assert (
        "› Services › ligne 1 : avertissement : la colonne « Remarques » n'est pas une colonne de cette feuille : "
        "elle n'a pas été importée" in output
    )
    text = (directory / "services/msp-redon.yml").read_text()
    # the second phone, unchanged, keeps its translations
    assert "    label: Accueil\n" in text and "      en: Nurses\n" in text


def test_a_file_that_is_not_a_workbook_gets_a_plain_error(tmp_path: Path, capsys):
    fake = tmp_path / "annuaire.xlsx"
    fake.write_text("Nom;Horaires\n", encoding="utf-8")
    code, output = cli(capsys, "sheet", "import", str(fake), "--directory", str(DEMO))
    assert code == 1
    assert "n'a pas pu être lu comme un tableur .xlsx" in output and "Traceback" not in output
    code, output = cli(capsys, "sheet", "export", str(tmp_path / "annuaire.csv"), "--directory", str(DEMO))
    assert code == 1
    assert "attendu un nom de fichier qui finit par .xlsx (Excel) ou .ods (LibreOffice)" in output


def test_ids_in_the_sheet_are_checked_before_any_file_is_named(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    before = snapshot(directory)
    book = workbook_copy(exported, ".xlsx", tmp_path)
    set_cells(book, "Services", "msp-redon", {"Identifiant": "../Mon lieu"})
    set_cells(book, "Services", "ccas-redon", {"Identifiant": "assurance-maladie-pipriac"})
    set_cells(book, "Services", "pmi-redon", {"Identifiant": "urgence"})  # a pathway's
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1
    assert "colonne « Identifiant » : erreur : « ../Mon lieu » n'est pas un identifiant valable" in output
    assert "« assurance-maladie-pipriac » est déjà l'identifiant de permanences/assurance-maladie-pipriac.yml" in output
    assert "« urgence » est déjà l'identifiant de pathways/urgence.yml" in output
    assert snapshot(directory) == before


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_text_that_looks_like_a_formula_stays_a_text(tmp_path: Path, suffix: str, capsys):
    directory = demo_copy(tmp_path)
    record = RecordText.read(directory / "services" / "msp-redon.yml")
    record.set(("conditions",), "=SOMME(A1:A2) n'est pas une formule")
    record.save()
    before = snapshot(directory)
    book = tmp_path / f"annuaire{suffix}"
    assert cli(capsys, "sheet", "export", str(book), "--directory", str(directory))[0] == 0
    services = read_workbook(book)["Services"]
    row = next(row for row in services if row[0] == "msp-redon")
    assert row[services[0].index("Conditions (fr)")] == "=SOMME(A1:A2) n'est pas une formule"
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert snapshot(directory) == before


def test_a_translated_list_keeps_each_translation_with_its_item(tmp_path: Path):
    """Documents in English where only the second one is translated: the empty first line counts."""
    from generator.sheets.columns import Field, canonical, decode, encode

    english = Field(("documents",), "ltexts", "Documents (en)", "", "en")
    current = [{"fr": "Carte Vitale"}, {"fr": "Justificatif de domicile", "en": "Proof of address"}]
    cell = encode(english, current)
    assert cell == "\nProof of address"
    assert canonical(english, cell) == ("", "Proof of address")
    assert canonical(english, "\r\nProof of address\n\n") == ("", "Proof of address")
    changed = decode(english, ("Health card", "Proof of address"), current, [])
    assert changed == [{"fr": "Carte Vitale", "en": "Health card"}, current[1]]
    # emptying a French line leaves the item to check, which says the French text is missing
    french = Field(("documents",), "ltexts", "Documents (fr)", "", "fr")
    assert decode(french, ("Carte Vitale",), current, []) == [current[0], {"en": "Proof of address"}]


def test_records_with_errors_are_neither_exported_nor_imported_over(tmp_path: Path, exported, capsys):
    """An error check finds outside the workbook (here in a pathway) still stops the import, named as check names it."""
    directory = demo_copy(tmp_path)
    pathway = directory / "pathways" / "urgence.yml"
    pathway.write_text(pathway.read_text().replace("verified:", "verifed:", 1))
    before = snapshot(directory)
    code, output = cli(capsys, "sheet", "export", str(tmp_path / "annuaire.xlsx"), "--directory", str(directory))
    assert code == 1
    assert "urgence.yml:" in output and "champ inconnu : 'verifed'" in output
    assert "Rien n'a été exporté" in output and not (tmp_path / "annuaire.xlsx").exists()
    book = workbook_copy(exported, ".ods", tmp_path)
    set_cells(book, "Services", "msp-redon", {"Horaires": "Mo-Fr 08:00-19:00; PH off"})
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1
    assert re.search(r"pathways/urgence\.yml:\d+: erreur : champ inconnu : 'verifed'", output)
    assert snapshot(directory) == before


# LibreOffice's own reading of the workbooks, through its UNO API: the system's Python with
# python3-uno (Debian), driving a headless soffice. What it prints is compared below.
UNO_SCRIPT = """
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
path, port, profile = sys.argv[1], sys.argv[2], sys.argv[3]
office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "-env:UserInstallation=" + profile,
    "--accept=socket,host=127.0.0.1,port=" + port + ";urp;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=" + port + ";urp;StarOffice.ComponentContext")
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    view = doc.getCurrentController()
    for name in ("Mode d'emploi", "Services", "Permanences", "Dispositifs"):
        view.setActiveSheet(doc.Sheets.getByName(name))
        print(name, "frozen", view.hasFrozenPanes(), view.getSplitRow())
    services = doc.Sheets.getByName("Services")
    headers = [services.getCellByPosition(column, 0).String for column in range(60)]
    category = headers.index("Catégorie")  # after one name column per language of the site
    print("validation", services.getCellByPosition(category, 1).Validation.Type.value)
    print("note", services.getCellRangeByName("A1").Annotation.String.startswith("Le nom du fichier"))
    print("hidden", not doc.Sheets.getByName("Empreintes").IsVisible)
    doc.close(True)
finally:
    office.terminate()
    office.wait()
"""


def _has_uno() -> bool:
    if SOFFICE is None or not Path("/usr/bin/python3").exists():
        return False
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _has_uno(), reason="needs LibreOffice and Debian's python3-uno")
@pytest.mark.parametrize("suffix", FORMATS)
def test_libreoffice_sees_frozen_headers_lists_notes_and_the_hidden_sheet(tmp_path: Path, exported, suffix: str):
    import socket

    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = str(free.getsockname()[1])
    script = tmp_path / "uno_check.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    done = subprocess.run(
        ["/usr/bin/python3", str(script), str(exported[suffix]), port, f"file://{tmp_path}/profile"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Mode d'emploi frozen False 0",
        "Services frozen True 1",
        "Permanences frozen True 1",
        "Dispositifs frozen True 1",
        "validation LIST",
        "note True",
        "hidden True",
    ]


def test_pipes_and_links_out_in_the_records_are_errors_not_a_hang(tmp_path: Path, exported, capsys):
    directory = demo_copy(tmp_path)
    os.mkfifo(directory / "services" / "pipe.yml")  # copying it for the check would hang
    (directory / "services" / "passwd.yml").symlink_to("/etc/passwd")
    book = workbook_copy(exported, ".xlsx", tmp_path)
    set_cells(book, "Services", "msp-redon", {"Horaires": "Mo-Fr 08:00-19:00; Sa 08:00-12:00; PH off"})
    before = snapshot(directory)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 1, output
    assert "pipe.yml: erreur : non lu : c'est un tube nommé" in output
    assert "passwd.yml: erreur : non lu : c'est un lien symbolique qui mène hors" in output
    assert "root:" not in output and "Traceback" not in output and "erreur interne" not in output
    assert snapshot(directory) == before
    big = tmp_path / "big.xlsx"
    big.symlink_to("/dev/zero")
    code, output = cli(capsys, "sheet", "import", str(big), "--directory", str(directory))
    assert code == 1 and "c'est un périphérique" in output
