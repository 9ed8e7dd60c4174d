"""The report of `check`, as text, GitHub annotations and a GitLab code quality report:
whatever the records hold, no line of it is read by a CI as one of its commands, and
a mistake repeated 100,000 times is said in a few lines."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.problems import SAME_KIND_LISTED, Problem, Report, Severity, report_line, visible

from helpers import ROOT, TODAY, check, run_cli

#: The commands of GitHub's runner (actions/runner, src/Runner.Worker: ActionCommandManager and its extensions).
GITHUB_COMMANDS = frozenset(
    {
        *("add-mask", "add-matcher", "add-path", "debug", "echo", "endgroup", "error", "group", "notice"),
        *("remove-matcher", "save-state", "set-env", "set-output", "stop-commands", "warning"),
    }
)


def github_commands(output: str) -> Iterator[tuple[str, dict[str, str], str]]:
    """The commands GitHub's runner reads in `output`, by its rules (src/Runner.Common/ActionCommand.cs):
    a line ends at CR or LF; `::name k=v,k=v::data` once leading spaces are trimmed (TryParseV2);
    else `##[name k=v;k=v]data` anywhere in the line (TryParse, the older form)."""
    for line in re.split(r"\r\n|\r|\n", output):
        trimmed = line.lstrip()
        end = trimmed.find("::", 2)
        if trimmed.startswith("::") and end > 0:
            name, _, properties = trimmed[2:end].partition(" ")
            if name in GITHUB_COMMANDS:
                pairs = (p.split("=", 1) for p in properties.strip().split(",") if "=" in p)
                yield name, {k: v.replace("%3A", ":").replace("%2C", ",") for k, v in pairs}, trimmed[end + 2 :]
                continue
        start = line.find("##[")
        close = line.find("]", start)
        if start >= 0 and close > 0:
            name, _, properties = line[start + 3 : close].partition(" ")
            if name in GITHUB_COMMANDS:
                yield name, dict(p.split("=", 1) for p in properties.split(";") if "=" in p), line[close + 1 :]


#: A value as a forger would write it: each line a command of a CI or a terminal code.
FORGED = (
    "https://x.example/\\n::error file=README.md,line=1::forged"
    "\\n  ::warning::indented\\r::notice::after a CR\\L::notice::after U+2028\\N::notice::after NEL"
    " ##[error]older form ##vso[task.logissue type=error]azure \\e[2J\\e]0;title\\a"
    "\\e[0Ksection_start:1:forged\\r\\e[0K"
)


@pytest.fixture
def hostile(minimal: Path) -> Path:
    """Records whose values and file names are CI commands."""
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text() + f'website: "{FORGED}"\nsummary: "Accueil\\n::error::x"\n')
    (minimal / "::error file=x.yml,line=2::forged by a file name").write_text("")
    (minimal / " ::warning::a name with a space first").write_text("")
    (minimal / "##[error]forged").mkdir()
    return minimal


def _this_generator() -> dict[str, str]:
    """The environment that runs this checkout's generator from another folder."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}


def _run(folder: Path, form: str) -> tuple[int, str]:
    result = run_cli(
        "check",
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--directory",
        ".",
        "--today",
        TODAY.isoformat(),
        "--format",
        form,
        cwd=folder,
        env=_this_generator(),
    )
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("form", ["text", "gitlab"])
def test_the_text_and_gitlab_reports_hold_no_ci_command(hostile, form):
    code, output = _run(hostile, form)
    assert code == 1 and "cpam-villebourg.yml" in output
    assert list(github_commands(output)) == []
    assert "\x1b" not in output and "\x07" not in output  # nor terminal codes, nor GitLab's log sections
    for line in re.split(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", output):
        assert not line.lstrip().startswith(("::", "section_start")), line
        assert "##vso[" not in line


def test_github_annotations_are_only_the_reports_own(hostile):
    code, output = _run(hostile, "github")
    assert code == 1
    commands = list(github_commands(output))
    assert {name for name, _, _ in commands} <= {"error", "warning"}
    for _, properties, _ in commands:
        assert os.path.lexists(hostile / properties["file"]), properties  # no README.md from the value
        assert properties.get("line", "1").isdigit()
    files = {properties["file"] for _, properties, _ in commands}
    assert "services/cpam-villebourg.yml" in files and "::error file=x.yml,line=2::forged by a file name" in files
    [website] = [m for _, p, m in commands if "website" in m]
    assert "U+000D (retour chariot) au caractère 79, après « ::warning::indented »" in website


def test_gitlab_report_is_json_with_one_line_descriptions(hostile):
    result = run_cli(
        "check",
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--directory",
        ".",
        "--today",
        TODAY.isoformat(),
        "--format",
        "gitlab",
        cwd=hostile,
        env=_this_generator(),
    )
    entries = json.loads(result.stdout)
    assert entries and all(visible(e["description"]) == e["description"] for e in entries)
    assert {e["location"]["path"] for e in entries} >= {"services/cpam-villebourg.yml"}


@pytest.mark.parametrize(
    "path, message",
    [
        ("services/x.yml", "a\n::error::b"),
        ("services/x.yml", "a\r::error::b ##[error]c ##vso[task.complete]d"),
        ("services/x.yml", "a\u2028::error::b\x85::error::c\x0b::error::d"),
        ("::error::x.yml", "the path first"),
        ("  ::error::x.yml", "spaces, then the path"),
        ("##[error]x.yml", "the older form in a path"),
    ],
)
def test_no_format_of_a_problem_starts_a_command(path, message):
    problem = Problem(Path(path), 3, message, Severity.ERROR)
    text = problem.format()
    assert list(github_commands(text)) == [] and text.count("\n") == 0
    assert text == text.lstrip() and not text.startswith("::")
    [(name, properties, data)] = list(github_commands(problem.github()))
    assert name == "error" and properties["line"] == "3" and path.strip() in properties["file"]
    assert "\n" not in data and "\r" not in data
    assert "\n" not in problem.gitlab()["description"]
    assert report_line(f"{path}: x") in (f"{visible(path)}: x", f"./{visible(path)}: x")


# --- a mistake repeated: said once, with how many more -----------------------------------


def test_a_report_lists_20_of_a_kind_per_file_and_counts_the_rest(tmp_path):
    report = Report()
    for line in range(1, 101):
        report.error(tmp_path / "a.yml", line, f"unknown field 'k{line}'")
    report.error(tmp_path / "a.yml", 200, "another kind")
    report.error(tmp_path / "b.yml", 1, "unknown field 'k1'")
    report.warning(tmp_path / "a.yml", 300, lambda: "a warning")
    assert len(report.errors) == SAME_KIND_LISTED + 2 and report.count(Severity.ERROR) == 102
    lines = [p.format(relative_to=tmp_path) for p in report.sorted()]
    assert lines[SAME_KIND_LISTED + 2] == (
        "a.yml: erreur : … et 80 autres problèmes du même genre que celui de la ligne 20, non listés : "
        "corrigez-les, puis relancez la vérification"
    )
    assert lines[-1] == "b.yml:1: erreur : unknown field 'k1'" and len(lines) == SAME_KIND_LISTED + 4


def test_100_000_unknown_keys_give_a_short_report_within_seconds(minimal):
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text() + "".join(f"u{i}: 0\n" for i in range(100_000)))
    start = time.perf_counter()
    records, report = check(minimal)
    lines = [p.format() for p in report.sorted()]
    took = time.perf_counter() - start
    assert records is None and report.count(Severity.ERROR) == 100_000
    assert (
        len(lines) == SAME_KIND_LISTED + 1
        and "99\u202f980 autres problèmes du même genre que celui de la ligne 37" in lines[-1]
    )
    assert took < 30  # 61 s and 100,000 lines before (in one process, on a loaded machine); about 3 s now
