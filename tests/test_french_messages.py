"""`check` speaks French to the coordinators who keep the records.

They are French municipal staff, not developers: every line of the report is in
plain French (file and line, what is wrong, what to write instead). These tests
run `check` on files with many kinds of mistakes and look for the English words
the old messages were made of, outside the values a message quotes (a key, a
value of the file, the parser's own words are the file's, not the message's).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import BROKEN, MINIMAL, ROOT, TODAY, run_cli

#: Words of the old English messages; none is a French word.
ENGLISH = re.compile(
    r"\b(?:the|is|are|not|expected|should|must|did you mean|missing|with|and|or|only|found|give|write|"
    r"remove|use|like|of|to|it|this|error|warning|ignored|unknown|allowed|nothing|checked|records?)\b"
)


#: What a message quotes: « a value », 'a key or an example', "a text", `a command` (not the apostrophe of l'id).
QUOTED = re.compile(r"«[^»]*»|(?<!\w)'[^'\n]*?'(?!\w)|\"[^\"\n]*\"|`[^`]*`")


def _english(lines: list[str]) -> list[str]:
    """The lines whose words, quoted values left out, include English ones."""
    return [line for line in lines if ENGLISH.search(QUOTED.sub("…", line).lower())]


def _report(result_stderr: str, root: Path) -> list[str]:
    """The messages of a text report (after `path:line: severity :`), and its last line."""
    lines = result_stderr.strip().splitlines()
    messages = [line.split(" : ", 1)[1] for line in lines if re.search(r": (?:erreur|avertissement) : ", line)]
    assert len(messages) == len(lines) - 1, "\n".join(lines)  # every line but the summary is a problem
    return [*messages, lines[-1]]


def test_the_records_check_speaks_french():
    # tests/fixtures/broken: a file for each rule of the records (YAML syntax, types, references,
    # opening hours, pathways, characters, files and folders), more than 90 problems in all.
    result = run_cli("check", "--directory", str(BROKEN), "--today", TODAY.isoformat())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    messages = _report(result.stderr, BROKEN)
    assert len(messages) > 90
    assert _english(messages) == []
    assert re.fullmatch(r"\d+ erreurs, \d+ avertissements\.", messages[-1])


def test_the_configuration_and_pages_check_speaks_french(tmp_path):
    # mkdocs.yml: an unknown option, a wrong type in a sub-option, a bad address, an unknown language,
    # the theme's search; then hand-written pages: a script link, a page that is not UTF-8.
    shutil.copytree(MINIMAL, tmp_path / "directory")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Test\n"
        "site_url: 'javascript:alert(1)'\n"
        "theme: {name: material}\n"
        "plugins:\n"
        "  - search\n"
        "  - portal:\n"
        "      languages: [fr, xx-yy-zz]\n"
        "      lnguages: [fr]\n"
        "      map: {list_limit: beaucoup}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--config", str(config), "--today", TODAY.isoformat())
    assert result.returncode == 1
    messages = _report(result.stderr, tmp_path)
    assert len(messages) >= 5
    assert _english(messages) == []

    config.write_text("site_name: Test\ntheme: {name: material}\nplugins: [portal]\n", encoding="utf-8")
    pages = tmp_path / "content" / "fr"
    pages.mkdir(parents=True)
    (pages / "index.md").write_text("# Accueil\n\n[Cliquez](javascript:alert(1))\n", encoding="utf-8")
    (pages / "latin1.md").write_bytes("# Accès\n\nCafé\n".encode("latin-1"))
    result = run_cli("check", "--config", str(config), "--today", TODAY.isoformat())
    assert result.returncode == 1
    messages = _report(result.stderr, tmp_path)
    assert len(messages) >= 3
    assert _english(messages) == []


def test_the_demo_checks_clean_in_french():
    result = run_cli("check", "--today", TODAY.isoformat(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Fiches vérifiées : " in result.stdout
    assert _english(result.stderr.strip().splitlines()) == []


#: The words of a sheet import's old English lines, on top of check's: where (row, column, sheet) and what
#: was done (new, changed, unchanged, kept, emptied...).
SHEET_ENGLISH = re.compile(
    r"\b(?:row|column|sheet|workbook|cell|new|changed|unchanged|kept|emptied|written|read|again|"
    r"id|valid|already|dry run|choose|list|translations?|removed|since|fix|then|was|were|no)\b"
)


def _import_lines(output: str, folder: Path) -> list[str]:
    """The printed lines, the test's folder (pytest's own names, like `pytest-of-root`) written "…"."""
    return [line for line in output.replace(str(folder), "…").splitlines() if line.strip()]


def _sheet_english(lines: list[str]) -> list[str]:
    return [line for line in lines if SHEET_ENGLISH.search(QUOTED.sub("…", line).lower())]


def _edit_sheet(book: Path, changes: dict[str, dict[str, str | None]], *, extra: str = "", delete: str = "") -> None:
    """Cells of the Services sheet by id and header; a column added, a row deleted, as a coordinator does."""
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    services = workbook["Services"]
    headers = [cell.value for cell in services[1]]
    for row in services.iter_rows(min_row=2):
        for header, value in changes.get(str(row[0].value), {}).items():
            row[headers.index(header)].value = value
    if extra:
        services.cell(row=1, column=services.max_column + 1, value=extra)
    if delete:
        services.delete_rows(next(row[0].row for row in services.iter_rows(min_row=2) if row[0].value == delete))
    workbook.save(book)


def test_a_sheet_import_speaks_french(tmp_path: Path, capsys):
    # The demo exported, then a workbook with a mistake of each kind the import itself finds (ids, lists,
    # a name missing, a file changed since the export) beside check's own; then an import that works.
    from generator.cli import main

    directory = tmp_path / "directory"
    shutil.copytree(ROOT / "directory", directory)
    options = ["--directory", str(directory), "--config", str(ROOT / "mkdocs.yml"), "--today", TODAY.isoformat()]
    book, good = tmp_path / "annuaire.xlsx", tmp_path / "correct.xlsx"
    assert main(["sheet", "export", str(book), *options]) == 0
    capsys.readouterr()
    shutil.copyfile(book, good)

    _edit_sheet(
        book,
        {
            "msp-redon": {"Horaires": "Lu-Ve 9h-12h"},  # check's own message
            "ccas-redon": {"Commune": "Redonn"},
            "ccas-pipriac": {"Identifiant": "../Mon lieu"},
            "ccas-saint-jean-la-poterie": {"Identifiant": "ccas-redon"},  # twice in the sheet
            "ccas-allaire": {"Identifiant": "assurance-maladie-pipriac"},  # a permanence's id
            "cabinet-medical-rieux": {"Courriel": "accueil@example.org"},
        },
    )
    edited = directory / "services" / "cabinet-medical-rieux.yml"  # changed since the export
    edited.write_text(edited.read_text(encoding="utf-8") + "# modifié à la main\n", encoding="utf-8")
    code = main(["sheet", "import", str(book), *options])
    printed = capsys.readouterr()
    lines = _import_lines(printed.err + printed.out, tmp_path)
    assert code == 1 and "Traceback" not in printed.err
    # the place as a coordinator reads it: file › sheet › row, column; then the value and what is expected
    commune = (
        r"…/annuaire\.xlsx › Services › ligne \d+, colonne « Commune » : erreur : « Redonn » n'est pas une commune"
    )
    assert any(re.match(commune, line) for line in lines), lines
    assert any("colonne « Identifiant » : erreur : « ../Mon lieu » n'est pas un identifiant" in x for x in lines)
    assert any(
        "colonne « Identifiant » : erreur : l'identifiant « ccas-redon » est déjà à la ligne" in x for x in lines
    )
    assert any("cabinet-medical-rieux.yml a été modifié depuis l'export" in line for line in lines)
    assert len(lines) >= 7 and re.match(r"\d+ erreur\(s\) : rien n'a été écrit\.", lines[-1]), lines
    assert _sheet_english(lines) == []
    assert _english(lines) == []

    # An import that works: a changed cell, an emptied one, a column of its own, a deleted row.
    _edit_sheet(
        good,
        {"msp-redon": {"Horaires": "Mo-Fr 08:00-19:00; PH off", "Site web": None}},
        extra="Remarques",
        delete="ccas-redon",
    )
    code = main(["sheet", "import", str(good), *options])
    printed = capsys.readouterr()
    lines = _import_lines(printed.err + printed.out, tmp_path)
    assert code == 0, lines
    assert any(line.startswith("modifiée : …") for line in lines) and any("absente : …" in x for x in lines)
    assert any("› Services › ligne 1 : avertissement : la colonne « Remarques » " in line for line in lines)
    assert any(", colonne « Site web » : avertissement : la cellule a été vidée" in line for line in lines)
    assert lines[-1].startswith("Import du tableur …/correct.xlsx : 1 modifiée(s), 0 nouvelle(s)"), lines
    assert _sheet_english(lines) == []
    assert _english(lines) == []
