"""The YAML loader: line numbers, YAML 1.2 scalars, and clear syntax errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.problems import Report
from generator.records.loader import load_yaml


def load(tmp_path: Path, text: str):
    path = tmp_path / "record.yml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    return load_yaml(path, report), report


def test_remembers_the_line_of_every_key_and_value(tmp_path):
    document, report = load(
        tmp_path,
        "name: MSP\naddress:\n  street: 1 rue\n  postcode: '35600'\nphones:\n  - number: 01 99 00 00 01\n",
    )
    assert not report.problems
    assert document.line_of(("address", "postcode")) == 4
    assert document.line_of(("address", "postcode"), key=True) == 4
    assert document.line_of(("phones", 0, "number")) == 6
    # a path that does not exist falls back to its nearest parent
    assert document.line_of(("address", "commune")) == 3


def test_scalars_follow_yaml_1_2_not_1_1(tmp_path):
    document, _ = load(
        tmp_path,
        "language: no\npostcode: 01000\ntime: 09:00\nflag: on\nyes_flag: true\ncount: 12\nlat: 47.5\nday: 2026-01-01\n",
    )
    assert document.data == {
        "language": "no",  # Norwegian, not False
        "postcode": "01000",  # a postcode of the Ain keeps its zero
        "time": "09:00",  # not the sexagesimal number 540
        "flag": "on",
        "yes_flag": True,
        "count": 12,
        "lat": 47.5,
        "day": "2026-01-01",  # dates are parsed, with their error messages, by validation
    }


def test_duplicate_keys_are_errors_with_both_lines(tmp_path):
    _, report = load(tmp_path, "name: A\ncategory: msp\nname: B\n")
    [problem] = report.problems
    assert problem.line == 3
    assert "'name' apparaît deux fois" in problem.message and "ligne 1" in problem.message


def test_syntax_error_names_the_line_and_how_to_fix_a_colon(tmp_path):
    document, report = load(tmp_path, "name: A\ndescription: Horaires : lundi\n")
    assert document is None
    [problem] = report.problems
    assert problem.line == 2
    assert "erreur de syntaxe YAML" in problem.message
    assert "guillemets doubles" in problem.message


def test_tabs_are_explained(tmp_path):
    _, report = load(tmp_path, "name: A\naddress:\n\tstreet: 1 rue\n")
    [problem] = report.problems
    assert problem.line == 3
    assert "décalée par une tabulation" in problem.message


def test_empty_and_non_utf8_files(tmp_path):
    _, report = load(tmp_path, "")
    assert [p.message for p in report.problems] == ["le fichier est vide"]
    path = tmp_path / "latin1.yml"
    path.write_bytes("name: Santé".encode("latin-1"))
    report = Report()
    assert load_yaml(path, report) is None
    assert "UTF-8" in report.problems[0].message


def test_nesting_has_a_limit_reported_at_its_line(tmp_path):
    _, report = load(tmp_path, "name: A\nlist:\n" + "".join("  " * i + f"- k{i}:\n" for i in range(40)))
    [problem] = report.problems
    assert problem.line == 18  # the 33rd level: 16 list-and-mapping pairs below the top
    assert "plus de 32 niveaux imbriqués" in problem.message
    document, report = load(tmp_path, "name: " + "[" * 31 + "]" * 31 + "\n")
    assert not report.problems and document is not None


def test_nesting_libyaml_cannot_compose_ends_in_an_error_not_a_crash(tmp_path):
    # 100,000 levels crash libyaml's composer (a segmentation fault) and take its scanner minutes:
    # run in a process of its own, so that a regression fails this test rather than the run.
    script = (
        "import sys; from pathlib import Path; from generator.problems import Report; "
        "from generator.records.loader import load_yaml; r = Report(); "
        "load_yaml(Path(sys.argv[1]), r); print(r.problems[0].line, r.problems[0].message)"
    )
    for name, text in [
        ("flow.yml", "name: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("mappings.yml", "name: " + "{a: " * 100_000 + "}" * 100_000 + "\n"),
        ("block.yml", "name:\n  " + "- " * 100_000 + "x\n"),
    ]:
        (tmp_path / name).write_text(text)
        result = subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert result.returncode == 0, result.stderr
        assert "plus de 32 niveaux imbriqués" in result.stdout


def test_refusals_name_the_file_and_never_quote_it(tmp_path):
    secret = tmp_path / "outside" / "token.yml"
    secret.parent.mkdir()
    secret.write_text("password: hunter2\n")
    records = tmp_path / "records"
    records.mkdir()
    (records / "link.yml").symlink_to(secret)
    report = Report()
    assert load_yaml(records / "link.yml", report, records) is None
    [problem] = report.problems
    assert problem.path == records / "link.yml" and problem.line == 0
    assert "hunter2" not in problem.format() and "token" not in problem.format()
    # Without a folder to stay in (mkdocs.yml, named by the operator), a link is followed.
    assert load_yaml(records / "link.yml", Report()) is not None


def test_control_characters_escapes_and_numbers_too_long(tmp_path):
    _, report = load(tmp_path, "name: A\ndescription: a\x07b\n")
    [problem] = report.problems
    assert problem.line == 2 and "caractère de contrôle (U+0007)" in problem.message
    _, report = load(tmp_path, 'name: A\ndescription: "C:\\Users\\accueil"\n')
    [problem] = report.problems
    assert problem.line == 2 and "\\ commence un échappement" in problem.message
    document, report = load(tmp_path, "count: " + "9" * 5000 + "\n")
    assert not report.problems and document.data == {"count": "9" * 5000}  # text, refused by validation


def test_a_billion_laughs_is_one_error(tmp_path):
    rows = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    rows += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    _, report = load(tmp_path, "\n".join(rows) + "\n")
    assert [p.message for p in report.problems] == [
        "les ancres et les alias (& et *) ne sont pas pris en charge : écrivez la valeur en entier"
    ]


def test_a_byte_order_mark_is_not_part_of_the_first_key(tmp_path):
    path = tmp_path / "bom.yml"
    path.write_bytes(b"\xef\xbb\xbfname: A\n")
    document = load_yaml(path, Report())
    assert document is not None and document.data == {"name": "A"}


def test_the_line_of_a_byte_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.yml"
    path.write_bytes("name: A\n\ndescription: Santé\n".encode("latin-1"))
    report = Report()
    assert load_yaml(path, report) is None
    assert report.problems[0].line == 3


def test_an_unreadable_file_says_how_to_fix_it(tmp_path, monkeypatch):
    import os

    path = tmp_path / "record.yml"
    path.write_text("name: A\n")
    if os.geteuid() == 0:  # root reads a chmod 000 file: have the system refuse, as it does for others
        monkeypatch.setattr(os, "open", lambda *args: (_ for _ in ()).throw(PermissionError(13, "denied")))
    else:
        path.chmod(0)
    report = Report()
    assert load_yaml(path, report, tmp_path) is None
    assert report.problems[0].message == (
        "non lu : permission refusée : donnez à l'utilisateur qui lance le générateur le droit de le lire (chmod u+r)"
    )
