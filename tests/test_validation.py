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
    ("services/syntax-error.yml", 3, "error", "erreur de syntaxe YAML"),
    ("services/unknown-key.yml", 4, "error", "champ inconnu : 'adress' ; vouliez-vous dire 'address' ?"),
    ("services/missing-field.yml", 1, "error", "il manque 'verified'"),
    ("services/wrong-type.yml", 8, "error", "latitude : attendu un nombre"),
    (
        "services/bad-enum.yml",
        13,
        "error",
        "appointment.policy : « maybe » n'est pas une valeur possible ; attendu : 'required', 'recommended' ou 'not_needed'",
    ),
    ("services/bad-hours.yml", 12, "error", "n'est pas une règle d'horaires valide"),
    ("services/bad-date.yml", 10, "error", "« 2026-13-01 » n'est pas une date qui existe"),
    ("services/future-verified.yml", 10, "error", "verified : 2027-06-01 est dans le futur"),
    ("services/unknown-ref.yml", 14, "error", "il n'y a pas de dispositif « cmu »"),
    ("permanences/doublon.yml", 1, "error", "l'identifiant « doublon » est déjà pris par services/doublon.yml"),
    ("services/unknown-commune.yml", 7, "error", "la commune « 29019 » n'est pas dans le territoire"),
    ("services/outside.yml", 8, "error", "est hors du territoire"),
    ("services/bad-phone.yml", 13, "error", "« 01 99 » n'est pas un numéro de téléphone valide"),
    ("services/bad-email.yml", 12, "error", "« accueil@@example.org » n'est pas une adresse électronique valide"),
    ("services/bad-url.yml", 12, "error", "« javascript:alert(1) » n'est pas une adresse web"),
    ("services/stale.yml", 10, "warning", "pas vérifiée depuis plus de 12 mois"),
    ("services/unknown-category.yml", 2, "error", "il n'y a pas de catégorie « dentiste »"),
    ("services/duplicate-key.yml", 12, "error", "'name' apparaît deux fois"),
    ("services/Centre Santé.yml", 1, "error", "comme 'centre-sante.yml'"),
    ("services/bad-language.yml", 3, "error", "« xx » n'est pas un code de langue ISO 639-1 connu"),
    ("services/no-french.yml", 1, "error", "il manque le texte en français : ajoutez 'fr: ...'"),
    ("services/wrong-postcode.yml", 6, "error", "44100 n'est pas un code postal de Villebourg"),
    ("permanences/unknown-host.yml", 5, "error", "il n'y a pas de service « mairie-inconnue »"),
    ("permanences/bad-period.yml", 7, "error", "valid_until : 2026-06-01 est avant valid_from"),
    ("services/empty.yml", 1, "error", "le fichier est vide"),
    ("services/fallback-rule.yml", 12, "error", "les règles de repli ('||') ne sont pas prises en charge"),
    ("services/school-holidays.yml", 12, "error", "ne connaît pas les vacances scolaires (SH)"),
    ("services/no-holidays.yml", 12, "warning", "dites ce qui se passe les jours fériés"),
    ("services/impossible-day.yml", 12, "error", "« Feb 30 » n'existe pas (février a 29 jours)"),
    ("services/impossible-april.yml", 12, "error", "« Apr 31 » n'existe pas (avril a 30 jours)"),
    ("services/reversed-range.yml", 12, "error", "« Jun 30-24 » finit avant de commencer"),
    (
        "services/no-days-after-days.yml",
        12,
        "warning",
        "« 14:00-17:00 » n'a pas de jours, donc vaut pour tous les jours : certains outils l'ajoutent à « Mo-Fr 08:30-12:00 »",
    ),
    (
        "services/replaced-day.yml",
        12,
        "warning",
        "« We 14:00-17:00 » remplace les horaires de « Mo-Fr 09:00-12:00 » le mercredi",
    ),
    ("services/spaced-weekdays.yml", 12, "warning", "ici, on le lit comme 'Mo,Tu,We,Th,Fr,Su 11:00-01:00'"),
    ("services/index.yml", 1, "error", "le nom 'index' est réservé"),
    ("services/alias.yml", 13, "error", "les ancres et les alias (& et *) ne sont pas pris en charge"),
    ("services/unclosed-quote.yml", 3, "error", 'des guillemets doubles (") sont ouverts sur cette ligne'),
    ("services/userinfo-url.yml", 12, "error", "cache sa vraie destination"),
    ("services/far-date.yml", 10, "error", "1026-10-01 est trop loin"),
    ("services/empty-value.yml", 11, "error", "'source' est vide"),
    ("services/boolean-latitude.yml", 8, "error", "latitude : attendu un nombre, pas true"),
    ("permanences/cancelled-not-a-session.yml", 8, "warning", "le 2026-12-09 n'est pas une date de cette permanence"),
    ("permanences/nobody-holds-it.yml", 2, "error", "dites qui la tient"),
    ("service", 1, "warning", "ignoré : le dossier des fiches ne lit que"),
    ("pathways/boucle.yml", 13, "error", "cette réponse revient à « q1 », qui vient avant elle"),
    ("pathways/inatteignable.yml", 9, "error", "« q2 » ne peut pas être atteint depuis le début"),
    ("pathways/inatteignable.yml", 18, "error", "« oubli » ne peut pas être atteint depuis le début"),
    ("pathways/references.yml", 8, "error", "cette réponse ne mène nulle part : il n'y a ni question ni issue « fni »"),
    ("pathways/references.yml", 14, "error", "il n'y a pas de dispositif « cmu »"),
    ("pathways/references.yml", 15, "error", "il n'y a pas de catégorie « dentiste »"),
    ("pathways/forme.yml", 2, "error", "start : « fin » est une issue"),
    ("pathways/forme.yml", 13, "error", "la question « q2 » est atteinte par deux réponses (l'autre est à la ligne 7)"),
    ("pathways/forme.yml", 23, "error", "« q3 » est à la fois une question et une issue"),
    ("pathways/une-reponse.yml", 7, "error", "questions.q1.answers : il faut au moins 2 éléments"),
    ("permanences/archive", 1, "warning", "les fiches vont directement dans permanences/, pas dans des sous-dossiers"),
    ("services/phone-letters.yml", 13, "error", "il contient « AB », « CD » : écrivez-le avec des chiffres seulement"),
    ("services/deep-flow.yml", 12, "error", "plus de 32 niveaux imbriqués"),
    ("services/deep-block.yml", 13, "error", "plus de 32 niveaux imbriqués"),
    ("services/control-character.yml", 3, "error", "un caractère de contrôle (U+0000), que YAML n'accepte pas"),
    ("services/huge-number.yml", 8, "error", "latitude : attendu un nombre"),
    ("services/bad-escape.yml", 3, "error", "entre guillemets doubles, \\ commence un échappement"),
    # text that could pass for structure: named, placed, and how it was written
    (
        "services/escape-in-name.yml",
        1,
        "error",
        "name : un caractère de contrôle, qu'aucune page ne montre mais qu'un terminal",
    ),
    ("services/escape-in-name.yml", 1, "error", "U+001B (échappement) au caractère 9, après « Accueil » : enlevez-le"),
    ("services/nul-in-description.yml", 3, "error", "description : un caractère de contrôle"),
    ("services/nul-in-description.yml", 3, "error", "U+0000 (caractère nul) au caractère 11"),
    ("services/delete-in-street.yml", 5, "error", "address.street : un caractère de contrôle"),
    ("services/delete-in-street.yml", 5, "error", "U+007F (suppression)"),
    (
        "services/vertical-tab.yml",
        10,
        "error",
        "organization : un saut de ligne que les éditeurs ne montrent pas : U+000B",
    ),
    ("services/c1-control.yml", 10, "error", "summary : un caractère de contrôle"),
    ("services/c1-control.yml", 10, "error", "U+009B"),
    ("services/line-separator.yml", 1, "error", "U+2028 (séparateur de ligne) au caractère 8, après « Accueil »"),
    (
        "services/line-separator.yml",
        1,
        "error",
        "remplacez-le par une espace (entre guillemets doubles, il s'écrit \\L ou",
    ),
    ("services/paragraph-separator.yml", 3, "error", "U+2029 (séparateur de paragraphe)"),
    (
        "services/paragraph-separator.yml",
        3,
        "error",
        "utilisez un saut de ligne ordinaire (une nouvelle ligne dans un bloc '|')",
    ),
    (
        "services/next-line-raw.yml",
        3,
        "error",
        "le fichier contient un U+0085 (ligne suivante), que YAML lit comme un saut de ligne",
    ),
    ("services/reversed-name.yml", 1, "error", "un signe qui affiche à l'envers le texte qui le suit : U+202E"),
    (
        "services/tab-in-name.yml",
        1,
        "warning",
        "name : une tabulation dans un nom, un libellé ou un titre, qui tient sur une ligne",
    ),
    (
        "services/newline-in-name.yml",
        1,
        "warning",
        "un saut de ligne dans un nom, un libellé ou un titre, qui tient sur une ligne",
    ),
    # limits that keep a mistake small
    ("services/long-name.yml", 1, "error", "name : 201 caractères : un nom, un libellé ou un titre en a au plus 200"),
    (
        "services/long-description.yml",
        3,
        "error",
        "description : 20\u202f799 caractères : un texte en a au plus 20\u202f000",
    ),
    ("services/extension-majuscule.YML", 1, "error", "renommez le fichier en 'extension-majuscule.yml'"),
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
    stale = [p for p in report.warnings if "pas vérifiée depuis plus de 12 mois" in p.message]
    assert {p.path.name for p in stale} == {"cpam-villebourg.yml"}


def test_permanence_that_ended_is_a_warning(minimal):
    path = minimal / "permanences" / "cpam-le-hameau.yml"
    path.write_text(path.read_text() + "valid_until: 2026-10-31\n")
    _, report = check(minimal)
    [warning] = [w for w in report.warnings if "pris fin" in w.message]
    assert warning.line == 21 and "cette permanence a pris fin le 2026-10-31" in warning.message


def test_check_command_lists_every_problem_and_exits_1_without_traceback():
    result = run_cli("check", "--directory", str(BROKEN), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if ": erreur : " in line or ": avertissement : " in line]
    assert len(lines) >= len(EXPECTED)
    assert "tests/fixtures/broken/services/unknown-key.yml:4: erreur : champ inconnu : 'adress'" in result.stderr
    assert result.stderr.strip().endswith("avertissements.")


def test_check_command_on_the_demo_exits_0():
    result = run_cli("check", "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "Fiches vérifiées : " in result.stdout


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
    assert "2 services, 1 permanences, 1 dispositifs, 1 parcours" in result.stdout


def test_config_errors_are_reported_with_their_line(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\nplugins:\n  - search\n  - portal:\n      langages: [fr]\n")
    result = run_cli("check", "--config", str(config), "--directory", str(MINIMAL))
    assert result.returncode == 1
    assert "mkdocs.yml:5: erreur : option 'langages' du plugin portal : option inconnue" in result.stderr
    config.write_text("site_name: Test\nplugins:\n  - search\n")
    result = run_cli("check", "--config", str(config))
    assert "il manque le plugin « portal »" in result.stderr


def test_short_numbers_may_be_written_without_quotes(minimal):
    path = minimal / "services" / "cpam-villebourg.yml"
    path.write_text(path.read_text().replace('phones: ["3646"]', "phones: [3646]"))
    records, _report = check(minimal)
    assert records is not None and records.services["cpam-villebourg"].phones[0].number == "3646"


@pytest.mark.parametrize(
    "value, words",
    [
        ('"https://example.org/\\"><script>"', "n'est pas une adresse web"),
        ('"https://exa mple.org/"', "n'est pas une adresse web"),
        ('"ftp://example.org/"', "n'est pas une adresse web"),
        ('"https://"', "n'est pas une adresse web"),
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
    assert any(
        "« a?cc=chef@example.org » n'est pas une adresse électronique valide" in p.message and p.line == 18
        for p in report.errors
    )


def test_index_is_reserved_for_categories_too(minimal):
    path = minimal / "taxonomy.yml"
    path.write_text(path.read_text().replace("  pass:\n", "  index:\n"))
    _, report = check(minimal)
    assert any("« index » est réservé" in p.message and p.path.name == "taxonomy.yml" for p in report.errors)


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
    assert "il n'y a pas de guide « inconnu »" in error.message and "vouliez-vous dire" not in error.message


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
        (lambda d, out: os.symlink("/dev/urandom", d), "un lien symbolique qui mène hors du dossier directory/"),
        (lambda d, out: os.symlink("/dev/zero", d), "un lien symbolique qui mène hors"),
        (lambda d, out: os.mkfifo(d), "c'est un tube nommé : on ne lit les fiches que dans des fichiers ordinaires"),
        (lambda d, out: os.symlink(d.name, d), "un lien symbolique qui revient sur lui-même (une boucle)"),
        (lambda d, out: os.symlink(out / "gone.yml", d), "un lien symbolique vers rien"),
        (lambda d, out: os.symlink(out / ".git-credentials", d), "mène hors"),
        (lambda d, out: os.symlink("/etc/passwd", d), "mène hors"),
        (lambda d, out: d.write_bytes(b"name: x\ndescription: " + b"a" * 1_000_000 + b"\n"), "d'au plus 1 Mo"),
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
    assert message.startswith("rien n'a été lu ici : c'est un lien symbolique qui mène hors")
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
    assert "le dossier ne peut pas être ouvert : permission refusée" in message and "chmod u+rx" in message


def test_a_territory_file_that_is_a_folder(minimal):
    (minimal / "territory.yml").unlink()
    (minimal / "territory.yml").mkdir()
    _, report = check(minimal)
    assert _errors_at(report, minimal / "territory.yml") == [
        "non lu : c'est un dossier : on ne lit les fiches que dans des fichiers ordinaires ; mettez ici un fichier texte"
    ]


def test_a_records_folder_that_is_a_file(minimal):
    shutil.rmtree(minimal / "dispositifs")
    (minimal / "dispositifs").write_text("css\n")
    _, report = check(minimal)
    assert _errors_at(report, minimal / "dispositifs") == [
        "rien n'a été lu ici : c'est un fichier, là où un dossier est attendu"
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
    assert "mène à une 31e question d'affilée : un habitant répond au plus à 30 questions" in problem.message
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
        ("urandom.yml: erreur : non lu : c'est un lien symbolique", "mène hors"),
        ("zero.yml: erreur : non lu : c'est un lien symbolique", "mène hors"),
        ("pipe.yml: erreur : non lu : c'est un tube nommé", "fichiers ordinaires"),
        ("deep.yml:1: erreur : plus de 32 niveaux imbriqués", "vérifiez le décalage des lignes"),
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
        ("passwd.md", lambda p: p.symlink_to("/etc/passwd"), "non lue : c'est un lien symbolique qui mène hors"),
        ("pipe.md", os.mkfifo, "non lue : c'est un tube nommé : on ne lit les pages que dans des fichiers ordinaires"),
        ("image.png", lambda p: p.symlink_to("/dev/zero"), "non lue : c'est un lien symbolique qui mène hors"),
        ("latin.md", lambda p: p.write_bytes("# Santé".encode("latin-1")), "page n'est pas du texte UTF-8"),
        ("up", lambda p: p.symlink_to(".."), "un lien vers un dossier qui le contient (une boucle)"),
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
    assert (
        "name : un saut de ligne dans un nom, un libellé ou un titre, qui tient sur une ligne : "
        "on le lit comme une espace" in warning.message
    )


@pytest.mark.parametrize(
    "file, old, new, line, words",
    [
        (
            "pathways/sans-medecin.yml",
            "      - label: Non\n        next: droits",
            '      - label: "Non\\e[8m"\n        next: droits',
            9,
            "questions.couverture.answers[2].label : un caractère de contrôle, qu'aucune page ne montre mais "
            "qu'un terminal exécute : U+001B (échappement) au caractère 4, après « Non »",
        ),
        (
            "taxonomy.yml",
            "label: {fr: Maison de santé, en: Health centre}",
            'label: {fr: Maison de santé, en: "Health\\x7fcentre"}',
            3,
            "categories.msp.label.en : un caractère de contrôle",
        ),
        ("territory.yml", "name: Saint-Essai", 'name: "Saint-\\x85Essai"', 11, "communes[2].name : un saut de ligne"),
        (
            "dispositifs/css.yml",
            "  - Envoyez le formulaire.",
            '  - "Envoyez\\vle formulaire."',
            8,
            "steps[2] : un saut de ligne",
        ),
        (
            "dispositifs/css.yml",
            "eligibility: Les personnes",
            'eligibility: "Les personnes\\r\\n',
            5,
            "eligibility : un saut de ligne que les éditeurs ne montrent pas : U+000D (retour chariot)",
        ),
        (
            "dispositifs/css.yml",
            "source: Test",
            f"source: {'s' * 1001}",
            15,
            "source : 1\u202f001 caractères : une source en a",
        ),
        (
            "dispositifs/css.yml",
            "short_name: CSS",
            f"short_name: {'C' * 201}",
            2,
            "en a au plus 200 : raccourcissez-le",
        ),
        ("dispositifs/css.yml", "summary: Une aide", f"summary: {'u' * 500} Une aide", 3, "un résumé en a au plus 500"),
        (
            "territory.yml",
            "description: Un territoire",
            f"description: {'t' * 20_000}",
            3,
            "un texte en a au plus 20\u202f000",
        ),
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
