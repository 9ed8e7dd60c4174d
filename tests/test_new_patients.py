"""Taking new patients: the dated answer of a practice, its checks, and the pages that list them.

The demo's practices carry answers of every kind, some older than three months (« à vérifier »);
the fixtures add a dentist's category (`practice: true`) to show that other kinds of practices
get their own group without any code naming them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.records.models import NewPatients
from generator.render import jsonld
from generator.render.pages.patients import new_patients_page
from generator.sheets import read_workbook

from helpers import DEMO, ROOT, body, check, context, load_directory, render_one, visible_text

SERVICE = "services/msp-villebourg.yml"


def set_answer(directory: Path, text: str, sid: str = "msp-villebourg") -> Path:
    """The service's `accepts_new_patients` replaced by `text` (YAML lines); the file's path."""
    path = directory / "services" / f"{sid}.yml"
    source = path.read_text(encoding="utf-8")
    source, count = re.subn(r"^accepts_new_patients:.*\n(?:  .*\n)*", text, source, flags=re.M)
    assert count == 1
    path.write_text(source, encoding="utf-8")
    return path


def words(page: str) -> str:
    """A generated page's visible text, every run of white space one space."""
    return " ".join(visible_text(body(page)).split())


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


# --- the record and check ------------------------------------------------------------------------


def test_a_dated_answer_is_read_with_its_date_and_detail(minimal):
    set_answer(
        minimal, "accepts_new_patients:\n  status: limited\n  checked: 2026-11-02\n  detail: Seulement les enfants.\n"
    )
    records, report = check(minimal)
    assert records is not None, [p.format() for p in report.errors]
    answer = records.services["msp-villebourg"].accepts_new_patients
    assert answer is not None and answer.detail is not None
    assert (answer.status, answer.checked, answer.detail.source) == (
        NewPatients.LIMITED,
        dt.date(2026, 11, 2),
        "Seulement les enfants.",
    )
    assert not [w for w in report.warnings if "accepts_new_patients" in w.message]


@pytest.mark.parametrize(("written", "status"), [("true", NewPatients.ACCEPTING), ("false", NewPatients.NOT_ACCEPTING)])
def test_an_undated_answer_is_kept_and_warned_at_its_line(minimal, written, status):
    path = set_answer(minimal, f"accepts_new_patients: {written}\n")
    records, report = check(minimal)
    assert records is not None
    answer = records.services["msp-villebourg"].accepts_new_patients
    # Read as said on the record's `verified` date, which is what it meant: nothing is dropped.
    assert answer is not None and (answer.status, answer.checked) == (status, dt.date(2026, 10, 1))
    [warning] = [w for w in report.warnings if "ne dit pas quand" in w.message]
    assert (warning.path, warning.line) == (path, line_of(path, "accepts_new_patients"))
    assert f"accepts_new_patients: {written} ne dit pas quand le cabinet a répondu" in warning.message
    assert f"{{status: {status.value}, checked: 2026-10-01}}" in warning.message


def test_an_answer_older_than_three_months_is_warned_at_its_date(minimal):
    path = set_answer(minimal, "accepts_new_patients:\n  status: accepting\n  checked: 2026-08-22\n")
    _, report = check(minimal, dt.date(2026, 11, 23))
    [warning] = [w for w in report.warnings if "accepts_new_patients" in w.message]
    assert (warning.path, warning.line) == (path, line_of(path, "  checked:"))
    assert "la réponse date du 22/08/2026, il y a plus de 3 mois" in warning.message
    assert "« à vérifier »" in warning.message
    # The day before, the same answer was not three months old yet: the check is relative to --today.
    _, report = check(minimal, dt.date(2026, 11, 22))
    assert not [w for w in report.warnings if "accepts_new_patients" in w.message]


def test_an_answer_dated_in_the_future_is_an_error(minimal):
    path = set_answer(minimal, "accepts_new_patients:\n  status: accepting\n  checked: 2026-12-24\n")
    records, report = check(minimal)
    assert records is None
    [error] = [e for e in report.errors if "accepts_new_patients" in e.message]
    assert error.line == line_of(path, "  checked:") and "est dans le futur" in error.message


def test_an_unknown_status_names_the_values(minimal):
    path = set_answer(minimal, "accepts_new_patients:\n  status: yes\n  checked: 2026-11-02\n")
    records, report = check(minimal)
    assert records is None
    [error] = report.errors
    assert error.line == line_of(path, "  status:")
    assert "accepting" in error.message and "waiting_list" in error.message


def test_an_answer_on_a_place_that_keeps_no_patients_is_warned(minimal):
    taxonomy = minimal / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("    regular_doctor: true\n", ""), "utf-8")
    _, report = check(minimal)
    [warning] = [w for w in report.warnings if "accepts_new_patients" in w.message]
    assert "n'est affiché que pour les cabinets" in warning.message and "practice: true" in warning.message


# --- a dentist's category, from the taxonomy alone ---------------------------------------------------

DENTIST_CATEGORY = """  dentiste:
    label: {fr: Dentiste, en: Dentist, ar: طبيب أسنان}
    practice: true
"""


def with_dentist(directory: Path, status: str = "accepting", checked: str = "2026-11-10") -> Path:
    """The minimal territory with a dentists' category and one dentist's practice."""
    taxonomy = directory / "taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text(encoding="utf-8").replace("categories:\n", "categories:\n" + DENTIST_CATEGORY)
    )
    source = (directory / SERVICE).read_text(encoding="utf-8")
    source = source.replace("category: msp", "category: dentiste").replace(
        "Maison de santé de Villebourg", "Cabinet dentaire"
    )
    source = re.sub(r"^service_area:.*\n", "", source, flags=re.M)
    source = re.sub(r"^notices:\n(?:  .*\n)*", "", source, flags=re.M)
    dentist = directory / "services" / "dentiste-villebourg.yml"
    dentist.write_text(source, encoding="utf-8")
    set_answer(directory, f"accepts_new_patients:\n  status: {status}\n  checked: {checked}\n", "dentiste-villebourg")
    return dentist


def test_dentists_get_their_own_group_and_plain_words(minimal):
    with_dentist(minimal)
    directory = load_directory(minimal)
    page = words(render_one(context(directory, "fr"), new_patients_page, None))
    # The médecins traitants' group first (msp has `regular_doctor`), then one per other kind of practice.
    assert page.index("Un médecin traitant") < page.index("Dentiste") < page.index("Cabinet dentaire")
    assert "Prend de nouveaux patients. Vérifié le mardi 10 novembre 2026." in page
    assert "médecin traitant" not in page[page.index("Dentiste") :]
    english = words(render_one(context(directory, "en"), new_patients_page, None))
    assert "Dentist" in english and "Takes new patients." in english


def test_a_practice_without_an_answer_is_listed_to_call(minimal):
    set_answer(minimal, "")
    page = words(render_one(context(load_directory(minimal), "fr"), new_patients_page, None))
    unknown = section(page, "Pas encore de réponse")
    assert "Nous ne savons pas s'ils prennent de nouveaux patients : appelez pour demander." in unknown
    assert "Maison de santé de Villebourg" in unknown and "Vérifié" not in unknown


# --- the pages of the demo ----------------------------------------------------------------------


def section(text: str, start: str, end: str | None = None) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else None]


def test_the_territory_page_lists_recent_yes_first_and_old_answers_to_check(demo_pages):
    page = demo_pages["fr"]["nouveaux-patients/index.md"]
    text = words(page)
    assert "Qui prend de nouveaux patients ?" in text
    assert "Réponses à jour au" in text and "« À vérifier » : la réponse date de plus de 3 mois" in text
    # The médecins traitants' group, up to the next kind of practice (dentists...) if there is one.
    doctors = " ".join(visible_text(next(p for p in body(page).split("<h2") if "Un médecin traitant" in p)).split())
    taking = section(doctors, "Un médecin traitant", "Ne prennent pas")
    # A recent yes, then some (only children, residents...), then waiting lists, then an old yes.
    order = [
        "Centre de santé des Écluses",
        "Maison de santé des Landes",
        "Centre de santé des Marais",
        "Maison de santé des Genêts",
    ]
    names = [re.search(re.escape(name[:24]), taking) for name in order]
    assert all(names), [n for n, m in zip(order, names, strict=True) if not m]
    assert [m.start() for m in names if m] == sorted(m.start() for m in names if m)
    assert "En priorité les habitants de Pipriac et de La Chapelle-de-Brain." in taking
    assert "Vérifié le mardi 27 octobre 2026." in taking
    # msp-allaire said yes on 15 July: more than three months before the 23 November of the tests.
    allaire = section(taking, "Maison de santé des Genêts")
    assert allaire.index("À vérifier :") < allaire.index("Dit le mercredi 15 juillet 2026, il y a plus de 3 mois")
    refused = section(doctors, "Ne prennent pas de nouveaux patients")
    assert "Maison de santé du Canal" in refused and "Vérifié le lundi 16 novembre 2026." in refused
    assert "À vérifier : Dit le mardi 9 juin 2026" in refused  # an old no may be a yes now
    assert 'href="tel:+33' in page
    assert "/parcours/pas-de-medecin-traitant/index.md" in page  # back to the situation


def test_a_commune_page_lists_the_practices_that_serve_it(demo_pages, demo_directory):
    pages = demo_pages["fr"]
    pipriac = words(pages["nouveaux-patients/pipriac.md"])
    assert "Qui prend de nouveaux patients près de Pipriac ?" in pipriac
    assert "Maison de santé des Landes" in pipriac
    assert "Centre de santé des Écluses" in pipriac  # `service_area: territory`
    assert "Maison de santé du Canal" not in pipriac  # it serves Redon and four other communes
    assert "/nouveaux-patients/index.md" in pages["nouveaux-patients/pipriac.md"]
    for insee, slug in demo_directory.commune_slugs.items():
        assert f"nouveaux-patients/{slug}.md" in pages, insee


def test_the_commune_pathway_and_home_pages_link_to_it(demo_pages):
    pages = demo_pages["fr"]
    assert "/nouveaux-patients/redon.md" in pages["communes/redon.md"]
    assert "/nouveaux-patients/index.md" in pages["index.md"]
    assert "/nouveaux-patients/index.md" in pages["categories/index.md"]
    assert "/nouveaux-patients/index.md" in pages["plan-du-site/index.md"]
    outcome = "parcours/pas-de-medecin-traitant/trouver-un-medecin-traitant"
    assert "/nouveaux-patients/index.md" in pages[f"{outcome}/index.md"]
    assert "/nouveaux-patients/redon.md" in pages[f"{outcome}/redon.md"]
    assert "/nouveaux-patients/" not in pages["parcours/pas-de-medecin-traitant/consulter-vite/index.md"]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_page_is_in_the_reader_language(demo_pages, language):
    page = demo_pages[language]["nouveaux-patients/index.md"]
    words = {"en": ["Who takes new patients?", "To be checked:"], "ar": ["من يقبل مرضى جددًا؟", "يجب التحقق:"]}
    for word in words[language]:
        assert word in page
    assert "À vérifier" not in page


def test_a_service_page_says_the_answer_its_date_and_its_doubt(demo_pages):
    pages = demo_pages["fr"]
    fresh = words(pages["services/centre-sante-redon.md"])
    assert "Accepte de nouveaux patients qui cherchent un médecin traitant. Vérifié le jeudi 12 novembre 2026." in fresh
    old = words(pages["services/msp-allaire.md"])
    assert "À vérifier : Dit le mercredi 15 juillet 2026, il y a plus de 3 mois : cela a pu changer." in old


def test_json_ld_states_only_a_recent_answer_for_everyone(minimal):
    def accepting(status: str, checked: str) -> object:
        set_answer(minimal, f"accepts_new_patients:\n  status: {status}\n  checked: {checked}\n")
        data = jsonld.service(context(load_directory(minimal), "fr"), "msp-villebourg")
        return data.get("isAcceptingNewPatients", "unsaid")

    assert accepting("accepting", "2026-11-02") is True
    assert accepting("not_accepting", "2026-11-02") is False
    assert accepting("limited", "2026-11-02") == "unsaid"  # only some people: not a fact for everyone
    assert accepting("accepting", "2026-08-01") == "unsaid"  # older than three months


# --- spreadsheet and open data ------------------------------------------------------------------------

CONFIG = ROOT / "mkdocs.yml"


def cli(capsys, *args: str) -> tuple[int, str]:
    code = main([*args, "--config", str(CONFIG), "--today", "2026-11-23"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def sheet_row(book: Path, rid: str) -> dict[str, object]:
    rows = read_workbook(book)["Services"]
    header = [str(cell) for cell in rows[0]]
    row = next(row for row in rows if row and row[0] == rid)
    return dict(zip(header, row, strict=False))


def test_the_spreadsheet_round_trip_keeps_an_undated_answer_and_dates_it_when_changed(tmp_path, capsys):
    directory = tmp_path / "directory"
    shutil.copytree(DEMO, directory)
    path = set_answer(directory, "accepts_new_patients: false\n", "msp-redon")
    book = tmp_path / "annuaire.xlsx"
    assert cli(capsys, "sheet", "export", str(book), "--directory", str(directory))[0] == 0
    row = sheet_row(book, "msp-redon")
    assert row["Nouveaux patients"] == "Ne prend pas de nouveaux patients"
    assert str(row["Nouveaux patients : date de la réponse"])[:10] == "2026-11-16"  # its `verified`
    before = path.read_text(encoding="utf-8")
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    assert path.read_text(encoding="utf-8") == before  # untouched: an import changes only what changed
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Services"]
    headers = [cell.value for cell in sheet[1]]
    for cells in sheet.iter_rows(min_row=2):
        if cells[0].value == "msp-redon":
            cells[headers.index("Nouveaux patients")].value = "Liste d'attente pour les nouveaux patients"
            cells[headers.index("Nouveaux patients : date de la réponse")].value = "2026-11-20"
            cells[headers.index("Nouveaux patients : précision (fr)")].value = "Comptez 2 mois."
    workbook.save(book)
    code, output = cli(capsys, "sheet", "import", str(book), "--directory", str(directory))
    assert code == 0, output
    after = path.read_text(encoding="utf-8")
    assert "accepts_new_patients:\n  status: waiting_list\n  checked: 2026-11-20\n  detail: Comptez 2 mois.\n" in after
    assert after.replace(
        "accepts_new_patients:\n  status: waiting_list\n  checked: 2026-11-20\n  detail: Comptez 2 mois.\n", ""
    ) == before.replace("accepts_new_patients: false\n", "")


def test_the_csv_publishes_the_answer_its_date_and_detail(demo_directory):
    from generator.opendata.tables import csv_files

    table = csv_files(demo_directory, base_url=None)["data/services.csv"].decode("utf-8-sig")
    cells = next(row for row in csv.DictReader(io.StringIO(table), delimiter=";") if row["id"] == "msp-pipriac")
    assert (cells["new_patients"], cells["new_patients_checked"]) == ("limited", "2026-10-27")
    assert cells["new_patients_detail"] == "En priorité les habitants de Pipriac et de La Chapelle-de-Brain."


# --- the built demo --------------------------------------------------------------------------


@pytest.mark.build
@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_built_demo_has_the_pages(demo_site, language):
    page = demo_site / language / "nouveaux-patients" / "index.html"
    assert page.is_file()
    html = page.read_text(encoding="utf-8")
    assert f'lang="{language}"' in html
    assert (demo_site / language / "nouveaux-patients" / "redon" / "index.html").is_file()
    assert "<script" not in html.split("<article", 1)[1].split("</article>", 1)[0]


def test_beyond_the_card_limit_the_territory_page_lists_the_communes(demo_directory, monkeypatch):
    import generator.render.pages.patients as patients

    monkeypatch.setattr(patients, "CARD_LIMIT", 5)  # the demo has 16 practices
    page = render_one(context(demo_directory, "fr"), new_patients_page, None)
    text = words(page)
    assert "Choisissez votre commune : sa page donne les cabinets qui reçoivent ses habitants." in text
    assert "/services/" not in page
    assert page.count('href="/nouveaux-patients/') == len(demo_directory.communes)


def test_a_verification_message_asks_a_practice_to_confirm_its_answer(demo_directory):
    from email import policy
    from email.parser import BytesParser

    from generator.campaign import campaign_files, contacts, select
    from generator.config import SiteSettings

    found = campaign_files(demo_directory, SiteSettings(name="Démo"), contacts(demo_directory, select(demo_directory)))
    parser = BytesParser(policy=policy.default)
    texts = [parser.parsebytes(data).get_content() for name, data in found.files.items() if name.endswith(".eml")]
    [allaire] = [text for text in texts if "Maison de santé des Genêts" in text]
    part = section(" ".join(allaire.split()), "Nouveaux patients -")
    assert part.startswith("Nouveaux patients - Accepte de nouveaux patients qui cherchent un médecin traitant.")
    assert "À vérifier : Dit le mercredi 15 juillet 2026" in part
    assert "- Prenez-vous de nouveaux patients aujourd'hui ?" in part
    [ccas] = [text for text in texts if "Référence : services/ccas-redon.yml" in text]
    assert "Nouveaux patients" not in ccas  # not a practice: nothing to ask
