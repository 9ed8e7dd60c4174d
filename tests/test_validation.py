"""Validation: every rule has a broken file in tests/fixtures/broken/.

Each row says which file breaks which rule, on which line, and a piece of
the message the coordinator reads.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.problems import Report, Severity

from helpers import BROKEN, DEMO, MINIMAL, ROOT, TODAY, check, run_cli

EXPECTED = [
    # (file, line, severity, words of the message)
    ("services/syntax-error.yml", 3, "error", "YAML syntax error"),
    ("services/unknown-key.yml", 4, "error", "unknown field 'adress'. Did you mean 'address'?"),
    ("services/missing-field.yml", 1, "error", "'verified' is missing"),
    ("services/wrong-type.yml", 8, "error", "latitude: expected a number"),
    (
        "services/bad-enum.yml",
        13,
        "error",
        "appointment.policy: 'maybe' is not allowed: expected 'required', 'recommended' or 'not_needed'",
    ),
    ("services/bad-hours.yml", 12, "error", "is not a valid opening_hours rule"),
    ("services/bad-date.yml", 10, "error", "'2026-13-01' is not a valid date"),
    ("services/future-verified.yml", 10, "error", "verified: 2027-06-01 is in the future"),
    ("services/unknown-ref.yml", 14, "error", "there is no dispositif 'cmu'"),
    ("permanences/doublon.yml", 1, "error", "the id 'doublon' is already used by services/doublon.yml"),
    ("services/unknown-commune.yml", 7, "error", "the commune '29019' is not in the territory"),
    ("services/outside.yml", 8, "error", "is outside the territory"),
    ("services/bad-phone.yml", 13, "error", "'01 99' is not a valid phone number"),
    ("services/bad-email.yml", 12, "error", "'accueil@@example.org' is not a valid e-mail address"),
    ("services/bad-url.yml", 12, "error", "'javascript:alert(1)' is not a web address"),
    ("services/stale.yml", 10, "warning", "not checked for more than 12 months"),
    ("services/unknown-category.yml", 2, "error", "there is no category 'dentiste'"),
    ("services/duplicate-key.yml", 12, "error", "'name' appears twice"),
    ("services/Centre Santé.yml", 1, "error", "like 'centre-sante.yml'"),
    ("services/bad-language.yml", 3, "error", "'xx' is not a known ISO 639-1 language code"),
    ("services/no-french.yml", 1, "error", "the text in the source language is missing: add 'fr: ...'"),
    ("services/wrong-postcode.yml", 6, "error", "44100 is not a postcode of Villebourg"),
    ("permanences/unknown-host.yml", 5, "error", "there is no service 'mairie-inconnue'"),
    ("permanences/bad-period.yml", 7, "error", "valid_until: 2026-06-01 is before valid_from"),
    ("services/empty.yml", 1, "error", "the file is empty"),
    ("services/fallback-rule.yml", 12, "error", "fallback rules ('||') are not supported"),
    ("services/school-holidays.yml", 12, "error", "school holidays (SH) are not known"),
    ("services/no-holidays.yml", 12, "warning", "say what happens on public holidays"),
    ("services/impossible-day.yml", 12, "error", "Feb 30 does not exist (Feb has 29 days)"),
    ("services/impossible-april.yml", 12, "error", "Apr 31 does not exist (Apr has 30 days)"),
    ("services/reversed-range.yml", 12, "error", "'Jun 30-24' ends before it starts"),
    (
        "services/no-days-after-days.yml",
        12,
        "warning",
        "'14:00-17:00' has no days, so it applies to every day: some tools add it to 'Mo-Fr 08:30-12:00'",
    ),
    (
        "services/replaced-day.yml",
        12,
        "warning",
        "'We 14:00-17:00' replaces the hours of 'Mo-Fr 09:00-12:00' on Wednesday",
    ),
    ("services/spaced-weekdays.yml", 12, "warning", "it is read here as 'Mo,Tu,We,Th,Fr,Su 11:00-01:00'"),
    ("services/index.yml", 1, "error", "the name 'index' is reserved"),
    ("services/alias.yml", 13, "error", "anchors and aliases (& and *) are not supported"),
    ("services/unclosed-quote.yml", 3, "error", 'a double quote (") is opened on this line'),
    ("services/userinfo-url.yml", 12, "error", "hides its real destination"),
    ("services/far-date.yml", 10, "error", "1026-10-01 is too far away"),
    ("services/empty-value.yml", 11, "error", "'source' is empty"),
    ("services/boolean-latitude.yml", 8, "error", "latitude: expected a number, not true"),
    ("permanences/cancelled-not-a-session.yml", 8, "warning", "2026-12-09 is not a date of this permanence"),
    ("permanences/nobody-holds-it.yml", 2, "error", "say who holds it"),
    ("service", 1, "warning", "ignored: the records directory only reads"),
    ("pathways/boucle.yml", 13, "error", "this answer goes back to 'q1', which comes before it"),
    ("pathways/inatteignable.yml", 9, "error", "'q2' cannot be reached from the start"),
    ("pathways/inatteignable.yml", 18, "error", "'oubli' cannot be reached from the start"),
    ("pathways/references.yml", 8, "error", "this answer leads nowhere: there is no question or outcome 'fni'"),
    ("pathways/references.yml", 14, "error", "there is no dispositif 'cmu'"),
    ("pathways/references.yml", 15, "error", "there is no category 'dentiste'"),
    ("pathways/forme.yml", 2, "error", "start: 'fin' is an outcome"),
    ("pathways/forme.yml", 13, "error", "the question 'q2' is reached by two answers (the other is on line 7)"),
    ("pathways/forme.yml", 23, "error", "'q3' is both a question and an outcome"),
    ("pathways/une-reponse.yml", 7, "error", "questions.q1.answers: needs at least 2 item(s)"),
    ("permanences/archive", 1, "warning", "records go directly in permanences/, not in sub-folders"),
    ("services/phone-letters.yml", 13, "error", "it contains 'AB', 'CD': write it with digits only"),
    ("services/deep-flow.yml", 12, "error", "nested more than 32 levels deep"),
    ("services/deep-block.yml", 13, "error", "nested more than 32 levels deep"),
    ("services/control-character.yml", 3, "error", "a control character (U+0000), which YAML does not allow"),
    ("services/huge-number.yml", 8, "error", "latitude: expected a number"),
    ("services/bad-escape.yml", 3, "error", "inside double quotes, \\ starts an escape"),
    # text that could pass for structure: named, placed, and how it was written
    ("services/escape-in-name.yml", 1, "error", "name: a control character, which no page shows but a terminal"),
    ("services/escape-in-name.yml", 1, "error", "U+001B (escape) at character 9, after 'Accueil ': remove it"),
    ("services/nul-in-description.yml", 3, "error", "description: a control character"),
    ("services/nul-in-description.yml", 3, "error", "U+0000 (null) at character 11"),
    ("services/delete-in-street.yml", 5, "error", "address.street: a control character"),
    ("services/delete-in-street.yml", 5, "error", "U+007F (delete)"),
    ("services/vertical-tab.yml", 10, "error", "organization: a line break that editors do not show: U+000B"),
    ("services/c1-control.yml", 10, "error", "summary: a control character"),
    ("services/c1-control.yml", 10, "error", "U+009B"),
    ("services/line-separator.yml", 1, "error", "U+2028 (line separator) at character 8, after 'Accueil'"),
    ("services/line-separator.yml", 1, "error", "replace it with a space (in double quotes, it is written \\L or"),
    ("services/paragraph-separator.yml", 3, "error", "U+2029 (paragraph separator)"),
    ("services/paragraph-separator.yml", 3, "error", "use an ordinary line break (a new line in a '|' block)"),
    ("services/next-line-raw.yml", 3, "error", "the file contains U+0085 (next line), which YAML reads as a line"),
    ("services/reversed-name.yml", 1, "error", "a control that shows the text after it reversed: U+202E"),
    ("services/tab-in-name.yml", 1, "warning", "name: a tab in a name, label or title, which is one line"),
    ("services/newline-in-name.yml", 1, "warning", "a line break in a name, label or title, which is one line"),
    # limits that keep a mistake small
    ("services/long-name.yml", 1, "error", "name: 201 characters: a name, label or title has at most 200"),
    ("services/long-description.yml", 3, "error", "description: 20,799 characters: a text has at most 20,000"),
    ("services/extension-majuscule.YML", 1, "error", "rename it to 'extension-majuscule.yml'"),
]


@pytest.fixture(scope="module")
def broken_report():
    records, report = check(BROKEN)
    assert records is None
    return report


@pytest.mark.parametrize("name, line, severity, words", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_each_rule_reports_file_line_and_message(broken_report, name, line, severity, words):
    found = [p for p in broken_report.problems if p.path == BROKEN / name and p.line == line and words in p.message]
    assert found, "\n".join(p.format() for p in broken_report.problems if p.path == BROKEN / name)
    assert found[0].severity is Severity(severity)


def test_every_broken_file_is_reported(broken_report):
    reported = {p.path for p in broken_report.problems}
    broken_files = {
        p for p in BROKEN.glob("*/*.yml") if p.parent.name in ("services", "permanences", "dispositifs", "pathways")
    }
    valid = {BROKEN / "services/cpam-villebourg.yml", BROKEN / "dispositifs/css.yml", BROKEN / "services/doublon.yml"}
    assert broken_files - valid <= reported


def test_valid_files_have_no_problem(broken_report):
    for name in ("services/cpam-villebourg.yml", "dispositifs/css.yml"):
        assert not [p for p in broken_report.problems if p.path == BROKEN / name]


def test_demo_and_minimal_territories_are_valid():
    for directory in (DEMO, MINIMAL):
        records, report = check(directory)
        assert records is not None, [p.format() for p in report.problems]
        # The demo shows old "new patients" answers (« à vérifier ») on purpose: nothing else is reported.
        others = [p for p in report.problems if not p.message.startswith("accepts_new_patients : la réponse date du")]
        assert not others, [p.format() for p in others]
        assert len(report.problems) == (6 if directory == DEMO else 0)


def test_a_bad_reference_in_one_file_does_not_cascade(minimal):
    # The dispositif is invalid, but it exists: services that cite it are not reported.
    path = minimal / "dispositifs" / "css.yml"
    path.write_text(path.read_text().replace("summary:", "sumary:"))
    _, report = check(minimal)
    assert {p.path.name for p in report.errors} == {"css.yml"}


def test_stale_is_computed_from_today(minimal):
    # verified 2026-09-15 and 2026-10-01: only the first is more than 12 months old
    _, report = check(minimal, today=dt.date(2027, 9, 20))
    stale = [p for p in report.warnings if "not checked for more than 12 months" in p.message]
    assert {p.path.name for p in stale} == {"cpam-villebourg.yml"}


def test_permanence_that_ended_is_a_warning(minimal):
    path = minimal / "permanences" / "cpam-le-hameau.yml"
    path.write_text(path.read_text() + "valid_until: 2026-10-31\n")
    _, report = check(minimal)
    [warning] = [w for w in report.warnings if "ended" in w.message]
    assert warning.line == 21 and "ended on 2026-10-31" in warning.message


def test_check_command_lists_every_problem_and_exits_1_without_traceback():
    result = run_cli("check", "--directory", str(BROKEN), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if ": error: " in line or ": warning: " in line]
    assert len(lines) >= len(EXPECTED)
    assert "tests/fixtures/broken/services/unknown-key.yml:4: error: unknown field 'adress'" in result.stderr
    assert result.stderr.strip().endswith("warning(s).")


def test_check_command_on_the_demo_exits_0():
    result = run_cli("check", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "Records checked: " in result.stdout


def test_check_works_from_anywhere_with_config_and_directory(tmp_path):
    result = run_cli(
        "check",
        "--config",
        str(ROOT / "mkdocs.yml"),
        "--directory",
        str(MINIMAL),
        "--today",
        TODAY.isoformat(),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "2 services, 1 permanences, 1 dispositifs, 1 pathways" in result.stdout


def test_config_errors_are_reported_with_their_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\nplugins:\n  - search\n  - portal:\n      langages: [fr]\n")
    result = run_cli("check", "--config", str(config), "--directory", str(MINIMAL))
    assert result.returncode == 1
    assert "mkdocs.yml:5: error: portal plugin option 'langages'" in result.stderr
    config.write_text("site_name: Test\nplugins:\n  - search\n")
    result = run_cli("check", "--config", str(config))
    assert "the 'portal' plugin is missing" in result.stderr


def test_short_numbers_may_be_written_without_quotes(minimal):
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text().replace('phones: ["3646"]', "phones: [3646]"))
    records, _report = check(minimal)
    assert records is not None and records.services["cpam-villebourg"].phones[0].number == "3646"


@pytest.mark.parametrize(
    "value, words",
    [
        ('"https://example.org/\\"><script>"', "is not a web address"),
        ('"https://exa mple.org/"', "is not a web address"),
        ('"ftp://example.org/"', "is not a web address"),
        ('"https://"', "is not a web address"),
    ],
)
def test_web_addresses_that_are_not_plain_links_are_refused(minimal, value, words):
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text() + f"website: {value}\n")
    _, report = check(minimal)
    assert [p.line for p in report.errors if words in p.message] == [18]


def test_email_with_extra_headers_is_refused(minimal):
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text() + "email: a?cc=chef@example.org\n")
    _, report = check(minimal)
    assert any("is not a valid e-mail address" in p.message and p.line == 18 for p in report.errors)


def test_index_is_reserved_for_categories_too(minimal):
    path = minimal / "taxonomy.yml"
    path.write_text(path.read_text().replace("  pass:\n", "  index:\n"))
    _, report = check(minimal)
    assert any("'index' is reserved" in p.message and p.path.name == "taxonomy.yml" for p in report.errors)


def test_guides_cited_by_pathways_must_exist(minimal, tmp_path):
    from generator.records.validate import validate_guides

    path = minimal / "pathways" / "sans-medecin.yml"
    path.write_text(
        path.read_text().replace(
            "    dispositifs: [css]\n", "    dispositifs: [css]\n    guides: [medecin-traitant, inconnu]\n"
        )
    )
    content = tmp_path / "content"
    (content / "fr" / "guides").mkdir(parents=True)
    (content / "fr" / "guides" / "medecin-traitant.md").write_text("# Le médecin traitant\n")
    records, report = check(minimal)
    assert records is not None
    validate_guides(records, content, report)
    [error] = report.errors
    assert error.path.name == "sans-medecin.yml" and error.line == 32
    assert "there is no guide 'inconnu'" in error.message and "Did you mean" not in error.message


def test_territory_holidays_must_be_a_known_calendar(minimal):
    path = minimal / "territory.yml"
    path.write_text(path.read_text() + "holidays: alsace\n")
    _, report = check(minimal)
    [error] = report.errors
    assert error.path.name == "territory.yml" and error.line == len(path.read_text().splitlines())
    assert "alsace" in error.message and "alsace-moselle" in error.message and "metropole" in error.message


# --- hostile files: a plain answer within seconds, never a hang, a leak or "internal error" ---


@pytest.fixture
def within_seconds():
    """Fail the test, rather than hang the run, when check takes more than 20 seconds."""

    def alarm(signum, frame):
        raise TimeoutError("check took more than 20 seconds")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _errors_at(report, path: Path) -> list[str]:
    return [p.message for p in report.errors if p.path == path]


SECRET = "ghp_s3cr3tT0k3nN0tT0B3Pr1nt3d"


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda d, out: os.symlink("/dev/urandom", d), "a symbolic link that leads outside the folder directory/"),
        (lambda d, out: os.symlink("/dev/zero", d), "a symbolic link that leads outside"),
        (lambda d, out: os.mkfifo(d), "it is a named pipe: records are read only from plain files"),
        (lambda d, out: os.symlink(d.name, d), "a symbolic link that leads back to itself (a loop)"),
        (lambda d, out: os.symlink(out / "gone.yml", d), "a symbolic link to nothing"),
        (lambda d, out: os.symlink(out / ".git-credentials", d), "leads outside"),
        (lambda d, out: os.symlink("/etc/passwd", d), "leads outside"),
        (lambda d, out: d.write_bytes(b"name: x\ndescription: " + b"a" * 1_000_000 + b"\n"), "at most 1 MB"),
    ],
    ids=["urandom", "zero", "pipe", "loop", "dangling", "credentials", "passwd", "too-big"],
)
def test_only_regular_files_inside_the_records_folder_are_read(minimal, tmp_path, within_seconds, make, words):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / ".git-credentials").write_text(f"https://coordinator:{SECRET}@github.com\n")
    record = minimal / "services" / "hostile.yml"
    make(record, outside)
    records, report = check(minimal)
    assert records is None
    [message] = _errors_at(report, record)
    assert words in message
    shown = "\n".join(p.format() for p in report.problems)
    assert SECRET not in shown and "root:" not in shown and "/etc" not in shown and "elsewhere" not in shown


def test_a_link_inside_the_records_folder_is_read(minimal):
    real = minimal / "services" / "msp-villebourg.yml"
    kept = minimal / "msp.txt"  # inside the folder, not in a records folder
    real.rename(kept)
    real.symlink_to(Path("..") / kept.name)
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]
    assert "msp-villebourg" in records.services


def test_a_records_folder_that_leads_outside_is_not_read(minimal, tmp_path, within_seconds):
    outside = tmp_path / "elsewhere"
    (minimal / "services").rename(outside)
    (outside / "broken.yml").write_text("name: [\n")
    (minimal / "services").symlink_to(outside)
    _, report = check(minimal)
    [message] = _errors_at(report, minimal / "services")
    assert message.startswith("nothing was read there: it is a symbolic link that leads outside")
    assert not [p for p in report.problems if "elsewhere" in str(p.path)]


def test_an_unreadable_records_folder_is_an_error_at_the_folder(minimal, monkeypatch):
    folder = minimal / "services"
    if os.geteuid() == 0:  # root reads a chmod 000 folder: have the system refuse, as it does for others
        listdir = os.listdir

        def refuse(path):
            if os.path.realpath(path) == os.path.realpath(folder):
                raise PermissionError(13, "Permission denied", str(path))
            return listdir(path)

        monkeypatch.setattr(os, "listdir", refuse)
    else:
        folder.chmod(0)
    try:
        _, report = check(minimal)
    finally:
        folder.chmod(0o755)
    [message] = _errors_at(report, folder)
    assert "the folder cannot be opened: permission denied" in message and "chmod u+rx" in message


def test_a_territory_file_that_is_a_folder(minimal):
    (minimal / "territory.yml").unlink()
    (minimal / "territory.yml").mkdir()
    _, report = check(minimal)
    assert _errors_at(report, minimal / "territory.yml") == [
        "not read: it is a folder: records are read only from plain files; put a text file here"
    ]


def test_a_records_folder_that_is_a_file(minimal):
    shutil.rmtree(minimal / "dispositifs")
    (minimal / "dispositifs").write_text("css\n")
    _, report = check(minimal)
    assert _errors_at(report, minimal / "dispositifs") == [
        "nothing was read there: it is a file, where a folder was expected"
    ]


def test_a_byte_order_mark_is_accepted(minimal):
    path = minimal / "services" / "msp-villebourg.yml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]


def _chain(questions: int) -> str:
    lines = ["label: Une longue chaîne", "start: q0", "questions:"]
    for i in range(questions):
        following = f"q{i + 1}" if i + 1 < questions else "fin"
        lines += [f"  q{i}:", f"    question: Question {i} ?", "    answers:"]
        lines += ["      - label: Oui", f"        next: {following}", "      - label: Non", "        next: fin"]
    lines += ["outcomes:", "  fin:", "    title: Fin", "    advice: Appelez.", "    categories: [msp]"]
    return "\n".join([*lines, "verified: 2026-11-01", "source: Test", ""])


def test_a_pathway_has_at_most_30_questions_in_a_row(minimal, within_seconds):
    path = minimal / "pathways" / "chaine.yml"
    path.write_text(_chain(1500))
    _, report = check(minimal)
    [problem] = [p for p in report.errors if p.path == path]
    assert problem.line == 8 + 7 * 29  # the first answer of the 30th question (q29), which leads to the 31st
    assert "leads to question number 31 in a row: a resident answers at most 30 questions" in problem.message
    path.write_text(_chain(30))
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]


def test_hostile_files_end_check_with_exit_1_and_a_file_error(minimal, tmp_path):
    os.symlink("/dev/urandom", minimal / "services" / "urandom.yml")
    os.symlink("/dev/zero", minimal / "services" / "zero.yml")
    os.mkfifo(minimal / "services" / "pipe.yml")
    (minimal / "services" / "deep.yml").write_text("name: " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = subprocess.run(  # a hang fails the test after two minutes instead of stopping the run
        [sys.executable, "-m", "generator", "check", "--directory", str(minimal), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    for name, words in [
        ("urandom.yml: error: not read: it is a symbolic link", "leads outside"),
        ("zero.yml: error: not read: it is a symbolic link", "leads outside"),
        ("pipe.yml: error: not read: it is a named pipe", "plain files"),
        ("deep.yml:1: error: nested more than 32 levels deep", "check the indentation"),
    ]:
        assert f"{name}" in result.stderr and words in result.stderr


def test_hand_written_pages_are_read_only_from_regular_files_inside_content(tmp_path, within_seconds):
    from generator.site.content import check_content

    content = tmp_path / "content"
    (content / "fr").mkdir(parents=True)
    (content / "fr" / "a-propos.md").write_text("# À propos\n")
    report = Report()
    check_content(content, ["fr", "en"], report)
    assert not report.problems
    for name, make, words in [
        ("passwd.md", lambda p: p.symlink_to("/etc/passwd"), "not read: it is a symbolic link that leads outside"),
        ("pipe.md", os.mkfifo, "not read: it is a named pipe: pages are read only from plain files"),
        ("image.png", lambda p: p.symlink_to("/dev/zero"), "not read: it is a symbolic link that leads outside"),
        ("latin.md", lambda p: p.write_bytes("# Santé".encode("latin-1")), "page is not UTF-8 text"),
        ("up", lambda p: p.symlink_to(".."), "a link to a folder that holds it (a loop)"),
    ]:
        path = content / "fr" / name
        make(path)
        report = Report()
        check_content(content, ["fr", "en"], report)
        [error] = report.errors
        assert error.path == path and words in error.message and "root:" not in error.message
        path.unlink()


# --- text that cannot pass for structure, limits that keep a mistake small ---


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_tab_or_a_line_break_in_a_name_is_read_as_a_space(minimal):
    path = minimal / "services" / "cpam-villebourg.yml"
    _replace(
        path, "name: Accueil Assurance Maladie de Villebourg", 'name: "Accueil\\tAssurance\\n Maladie de Villebourg"'
    )
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]
    assert records.services["cpam-villebourg"].name.source == "Accueil Assurance Maladie de Villebourg"
    [warning] = report.warnings
    assert (warning.path, warning.line) == (path, 1)
    assert "name: a line break in a name, label or title, which is one line: it is read as a space" in warning.message


@pytest.mark.parametrize(
    "file, old, new, line, words",
    [
        (
            "pathways/sans-medecin.yml",
            "      - label: Non\n        next: droits",
            '      - label: "Non\\e[8m"\n        next: droits',
            9,
            "questions.couverture.answers[2].label: a control character, which no page shows but a terminal obeys:"
            " U+001B (escape) at character 4, after 'Non'",
        ),
        (
            "taxonomy.yml",
            "label: {fr: Maison de santé, en: Health centre}",
            'label: {fr: Maison de santé, en: "Health\\x7fcentre"}',
            3,
            "categories.msp.label.en: a control character",
        ),
        ("territory.yml", "name: Saint-Essai", 'name: "Saint-\\x85Essai"', 11, "communes[2].name: a line break"),
        ("dispositifs/css.yml", "  - Envoyez le formulaire.", '  - "Envoyez\\vle formulaire."', 8, "steps[2]: a line"),
        (
            "dispositifs/css.yml",
            "eligibility: Les personnes",
            'eligibility: "Les personnes\\r\\n',
            5,
            "eligibility: a line break that editors do not show: U+000D (carriage return)",
        ),
        ("dispositifs/css.yml", "source: Test", f"source: {'s' * 1001}", 15, "source: 1,001 characters: a source has"),
        ("dispositifs/css.yml", "short_name: CSS", f"short_name: {'C' * 201}", 2, "has at most 200: shorten it"),
        ("dispositifs/css.yml", "summary: Une aide", f"summary: {'u' * 500} Une aide", 3, "a summary has at most 500"),
        ("territory.yml", "description: Un territoire", f"description: {'t' * 20_000}", 3, "a text has at most 20,000"),
    ],
    ids=[
        "answer-label",
        "translation",
        "commune",
        "step",
        "carriage-return",
        "source",
        "short-name",
        "summary",
        "long",
    ],
)
def test_every_text_of_every_file_is_checked(minimal, file, old, new, line, words):
    path = minimal / file
    if new.endswith("\\r\\n"):  # the rest of the line, closing the quotes
        text = path.read_text(encoding="utf-8")
        start = text.index(old)
        end = text.index("\n", start)
        path.write_text(text[:start] + new + text[start + len(old) : end] + '"' + text[end:], encoding="utf-8")
    else:
        _replace(path, old, new)
    records, report = check(minimal)
    assert records is None
    found = [p for p in report.errors if p.path == path and p.line == line and words in p.message]
    assert found, [p.format() for p in report.problems]


def test_line_breaks_are_kept_in_a_description(minimal):
    path = minimal / "dispositifs" / "css.yml"
    _replace(
        path, "benefits: Vous ne payez pas vos soins chez le médecin.", 'benefits: "Première ligne.\\n\\tSeconde."'
    )
    records, report = check(minimal)
    assert records is not None and not report.problems, [p.format() for p in report.problems]
    assert records.dispositifs["css"].benefits.source == "Première ligne.\n\tSeconde."
