"""Validation: every rule has a broken file in tests/fixtures/broken/.

Each row says which file breaks which rule, on which line, and a piece of
the message the coordinator reads.
"""

from __future__ import annotations

import datetime as dt

import pytest

from generator.problems import Severity

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
        assert not report.problems, [p.format() for p in report.problems]


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
