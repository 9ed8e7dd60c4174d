"""The YAML loader: line numbers, YAML 1.2 scalars, and clear syntax errors."""

from __future__ import annotations

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
    assert "'name' appears twice" in problem.message and "line 1" in problem.message


def test_syntax_error_names_the_line_and_how_to_fix_a_colon(tmp_path):
    document, report = load(tmp_path, "name: A\ndescription: Horaires : lundi\n")
    assert document is None
    [problem] = report.problems
    assert problem.line == 2
    assert "YAML syntax error" in problem.message
    assert "double quotes" in problem.message


def test_tabs_are_explained(tmp_path):
    _, report = load(tmp_path, "name: A\naddress:\n\tstreet: 1 rue\n")
    [problem] = report.problems
    assert problem.line == 3
    assert "indented with a tab" in problem.message


def test_empty_and_non_utf8_files(tmp_path):
    _, report = load(tmp_path, "")
    assert [p.message for p in report.problems] == ["the file is empty"]
    path = tmp_path / "latin1.yml"
    path.write_bytes("name: Santé".encode("latin-1"))
    report = Report()
    assert load_yaml(path, report) is None
    assert "UTF-8" in report.problems[0].message
