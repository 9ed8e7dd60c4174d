"""Verification campaigns: `campaign` (messages, mail-merge table, phone list), `verified`, the report's progress."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import re
import shutil
from email import policy
from email.parser import BytesParser
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.campaign import (
    MARKER,
    CampaignError,
    Period,
    PeriodError,
    VerifiedError,
    campaign_files,
    contacts,
    mark_verified,
    select,
    write_campaign,
)
from generator.config import SiteSettings
from generator.editing import EditConflict, RecordText
from generator.quality.validity import CheckerMissing, checker_command, html_errors
from generator.records.models import DispositifScope
from generator.render.pages.records import service_page
from generator.render.pages.statements import report_page

from helpers import (
    DEMO,
    DEMO_SITE_URL,
    TODAY,
    body,
    context,
    load_directory,
    render_one,
    run_cli,
    to_html,
    visible_text,
)

SITE = SiteSettings(name="Santé Pays de Redon (démo)", url=DEMO_SITE_URL)
REDON = "35236"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _expected_contacts(directory) -> set[str]:
    """The contacts of every record a campaign asks about, worked out here from the records themselves."""
    keys = set()
    for sid, service in directory.services.items():
        organization = service.organization.get("fr")[0] if service.organization else None
        keys.add(service.email.lower() if service.email else organization.casefold() if organization else sid)
    for pid, permanence in directory.permanences.items():
        holder = directory.services.get(permanence.held_by.service or "")
        email = permanence.email or (holder.email if holder else None)
        organization = (
            permanence.held_by.organization.get("fr")[0]
            if permanence.held_by.organization
            else (holder.organization or holder.name).get("fr")[0]
            if holder
            else None
        )
        keys.add(email.lower() if email else organization.casefold() if organization else pid)
    for did, dispositif in directory.dispositifs.items():
        if dispositif.scope is DispositifScope.LOCAL:
            keys.add(did)
    return keys


@pytest.fixture(scope="module")
def demo():
    return load_directory(DEMO, TODAY)


@pytest.fixture(scope="module")
def whole(demo):
    """A campaign to every record of the demo."""
    return campaign_files(demo, SITE, contacts(demo, select(demo)))


def _spaces(text: str) -> str:
    """Narrow and non-breaking spaces (French times: '8 h 30') as plain ones, to compare with literals."""
    return text.replace("\u202f", " ").replace("\xa0", " ").replace("\u2009", " ")


def _messages(files: dict[str, bytes]):
    parser = BytesParser(policy=policy.default)
    return {name: parser.parsebytes(data) for name, data in files.items() if name.endswith(".eml")}


def test_one_message_per_contact_and_one_table_line_per_contact(demo, whole):
    expected = _expected_contacts(demo)
    messages = _messages(whole.files)
    assert len(messages) == len(whole.letters) == len(expected)
    table = whole.files["publipostage.csv"]
    assert table.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents
    rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "e-mail",
        "organisation",
        "fiches",
        "pages",
        "nombre de fiches",
        "dernière vérification",
        "message",
    ]
    assert len(rows) - 1 == len(expected)
    assert {row[6] for row in rows[1:]} == set(messages)
    assert sum(int(row[4]) for row in rows[1:]) == whole.records
    # every service, permanence and local dispositif is asked about once
    local = sum(d.scope is DispositifScope.LOCAL for d in demo.dispositifs.values())
    assert whole.records == len(demo.services) + len(demo.permanences) + local
    emails = {row[0] for row in rows[1:] if row[0]}
    assert emails == {m["To"] for m in messages.values() if m["To"]}


def test_message_reads_back_with_the_hours_in_words_as_on_the_page(demo, whole):
    [mail] = [m for m in _messages(whole.files).values() if m["To"] == "ccas-redon@example.org"]
    assert mail["From"].addresses[0].addr_spec == "sante@example.org"  # the publisher of territory.yml
    assert mail["Subject"] == "Vos informations sur Santé Pays de Redon (démo) : sont-elles toujours exactes ?"
    text = _spaces(mail.get_content()).replace("\r\n", "\n")  # an .eml's lines end in CRLF
    assert "<" not in text and "verified:" not in text  # no HTML, no YAML
    assert "Voici ce que les habitants lisent sur le portail à propos de Ville de Redon (démo)." in text
    assert "Répondez simplement à ce message : « c'est exact », ou corrigez ce qui a changé." in text
    assert f"{DEMO_SITE_URL}fr/services/ccas-redon/" in text
    assert "Dernière vérification : mardi 29 septembre 2026" in text
    # the hours, exactly as the service page writes them
    page = _spaces(visible_text(to_html(body(render_one(context(demo, "fr"), service_page, "ccas-redon")))))
    for days, times in [
        ("Lundi, mardi, jeudi et vendredi", "8 h 30 – 12 h et 13 h 30 – 17 h"),
        ("Mercredi", "8 h 30 – 12 h"),
    ]:
        assert re.search(rf"{days}\s*{times}", page), page
        assert f"- {days} : {times}\n" in text
    assert "Rendez-vous : Rendez-vous conseillé." in text  # the label of i18n/labels.py, in French
    assert "Référence : services/ccas-redon.yml" in text


def test_message_asks_to_confirm_the_part_for_professionals(demo, whole):
    """Partners refer people with it and residents never see it: only the structure can say it changed."""
    [mail] = [m for m in _messages(whole.files).values() if m["To"] == "cmp-adultes-redon@example.org"]
    text = _spaces(mail.get_content()).replace("\r\n", "\n")
    part = text[text.index("Pour les professionnels") :]
    for line in [
        "Demander : infirmier d'accueil et d'orientation",
        "Ligne des professionnels : 01 99 00 70 03",
        "Délai habituel : Premier entretien infirmier sous 3 semaines",
        "Fiche de liaison : https://example.org/cmp-adultes/courrier-type",
        "Comment orienter : Courrier du médecin traitant",
        "sont-elles à jour ?",
    ]:
        assert line in part, line
    # a record without such a part is not asked about it
    [other] = [m for m in _messages(whole.files).values() if m["To"] == "accueil-de-jour-alzheimer-pipriac@example.org"]
    assert "Pour les professionnels" not in other.get_content()


def test_filters_by_period_category_and_commune(demo):
    for text, expected in [
        ("6m", Period(months=6)),
        ("12m", Period(months=12)),
        ("90d", Period(days=90)),
        ("1y", Period(months=12)),
    ]:
        assert Period.parse(text) == expected
    with pytest.raises(PeriodError, match="attendu un nombre et une unité"):
        Period.parse("six mois")
    old = select(demo, older_than=Period.parse("90d"))
    limit = TODAY - dt.timedelta(days=90)
    assert old and all(t.record.verified < limit for t in old)
    assert len(old) == sum(t.record.verified < limit for t in select(demo))
    ccas = select(demo, category="ccas")
    assert {t.rid for t in ccas if t.kind == "services"} == set(demo.services_by_category["ccas"])
    in_redon = select(demo, commune=REDON)
    assert {t.rid for t in in_redon if t.kind == "services"} == {
        sid for sid, s in demo.services.items() if s.address.commune == REDON
    }
    # a permanence's commune is its host's when it is held in a service's premises
    hosted = {pid for pid, p in demo.permanences.items() if demo.place_of_permanence(pid).address.commune == REDON}
    assert {t.rid for t in in_redon if t.kind == "permanences"} == hosted
    assert all(t.kind != "dispositifs" for t in in_redon)  # a dispositif is in no commune

    def ids(targets):
        return {(t.kind, t.rid) for t in targets}

    # one old record's category and commune: the filters add up
    category, commune = next(
        (demo.services[t.rid].category, demo.services[t.rid].address.commune) for t in old if t.kind == "services"
    )
    both = select(demo, older_than=Period.parse("90d"), category=category, commune=commune)
    assert both
    assert ids(both) == ids(old) & ids(select(demo, commune=commune)) & ids(select(demo, category=category))


def test_output_folder_is_new_or_a_campaigns_own_and_nothing_is_deleted(tmp_path, whole):
    out = tmp_path / "campagne"
    assert write_campaign(out, whole.files) == []
    assert (out / MARKER).is_file() and (out / "appels.html").is_file()
    kept = out / "messages" / "000-mine.eml"
    kept.write_text("mine")
    assert write_campaign(out, whole.files) == [kept]  # written again, the other file left
    assert kept.read_text() == "mine"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("notes")
    with pytest.raises(CampaignError, match="n'est pas vide et n'a pas été fait par « campaign »"):
        write_campaign(other, whole.files)
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.sections = 0
        self.checkboxes: list[str] = []
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "section":
            self.sections += 1
        if tag == "input" and attributes.get("type") == "checkbox":
            self.checkboxes.append(attributes["id"])
        if tag == "label":
            self.labels.append(attributes["for"])


def test_phone_list_has_a_block_per_record_that_prints_whole(whole):
    page = whole.files["appels.html"].decode()
    outline = _Outline()
    outline.feed(page)
    assert outline.html_lang == "fr"
    assert outline.sections == whole.records
    assert outline.checkboxes == outline.labels and len(set(outline.checkboxes)) == whole.records
    assert page.count(">Confirmé</label>") == whole.records
    assert "break-inside: avoid" in page and "size: A4" in page
    assert page.count("Pas d'adresse e-mail") == len(whole.without_email) > 0


def test_phone_list_is_valid_html(tmp_path, whole):
    try:
        checker_command()
    except CheckerMissing as error:
        pytest.skip(str(error))
    (tmp_path / "appels.html").write_bytes(whole.files["appels.html"])
    assert html_errors(tmp_path) == []


def test_campaign_command_changes_no_record(tmp_path):
    before = _fingerprint(DEMO)
    out = tmp_path / "campagne"
    result = run_cli("campaign", "--out", str(out), "--today", "2026-11-23", "--older-than", "90d", "--commune", REDON)
    assert result.returncode == 0, result.stderr
    assert re.search(r"\d+ fiche\(s\), \d+ contact\(s\), \d+ message\(s\)", result.stdout)
    assert "Aucune fiche n'a été modifiée" in result.stdout
    assert _fingerprint(DEMO) == before
    assert list((out / "messages").glob("*.eml"))
    again = run_cli("campaign", "--out", str(tmp_path), "--older-than", "six mois")
    assert again.returncode == 1 and "--older-than « six mois » n'est pas une durée" in again.stderr


# --- verified -------------------------------------------------------------------------


@pytest.fixture
def records(tmp_path: Path) -> Path:
    copy = tmp_path / "directory"
    shutil.copytree(DEMO, copy)
    return copy


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_verified_changes_only_the_verified_line(records):
    files = [records / "services" / "ccas-redon.yml", records / "permanences" / "assurance-maladie-pipriac.yml"]
    before = [f.read_text(encoding="utf-8") for f in files]
    marked = mark_verified(records, ["ccas-redon", "assurance-maladie-pipriac"], dt.date(2026, 11, 20), TODAY)
    assert [m.changed for m in marked] == [True, True]
    for file, text in zip(files, before, strict=True):
        changes = _changed_lines(text, file.read_text(encoding="utf-8"))
        assert len(changes) == 2, changes  # one line out, one line in
        assert changes[1] == "+verified: 2026-11-20"


def test_verified_with_source_changes_those_two_lines(records):
    file = records / "services" / "ccas-redon.yml"
    before = file.read_text(encoding="utf-8")
    mark_verified(records, ["ccas-redon"], TODAY, TODAY, source="Appel à l'accueil, le 23 novembre")
    changes = _changed_lines(before, file.read_text(encoding="utf-8"))
    assert sorted(changes) == sorted(
        [
            "-verified: 2026-09-29",
            "+verified: 2026-11-23",
            "-source: Appel à l'accueil (démo)",
            "+source: Appel à l'accueil, le 23 novembre",
        ]
    )


def test_verified_refuses_unknown_ids_and_future_dates_writing_nothing(records):
    before = _fingerprint(records)
    with pytest.raises(VerifiedError, match=r"pas de fiche « ccas-redn » : vouliez-vous dire ccas-redon"):
        mark_verified(records, ["ccas-allaire", "ccas-redn"], TODAY, TODAY)
    with pytest.raises(VerifiedError, match="est dans le futur"):
        mark_verified(records, ["ccas-redon"], TODAY + dt.timedelta(days=1), TODAY)
    assert _fingerprint(records) == before


def test_verified_does_not_overwrite_a_file_changed_since_it_was_read(records, monkeypatch):
    file = records / "services" / "ccas-redon.yml"
    read = RecordText.read

    def read_then_someone_edits(path: Path, root: Path | None = None):
        text = read(path, root)
        path.write_text(path.read_text(encoding="utf-8") + "# changé par quelqu'un d'autre\n", encoding="utf-8")
        return text

    monkeypatch.setattr(RecordText, "read", read_then_someone_edits)
    with pytest.raises(EditConflict, match="modifié par quelqu'un d'autre"):
        mark_verified(records, ["ccas-redon"], TODAY, TODAY)
    assert file.read_text(encoding="utf-8").endswith("# changé par quelqu'un d'autre\n")
    assert "verified: 2026-09-29" in file.read_text(encoding="utf-8")


def test_verified_counts_the_records_still_not_checked(records):
    # A year and more later every other record of the demo is stale: the summary counts check's warnings.
    result = run_cli(
        "verified", "ccas-redon", "--on", "2027-12-20", "--directory", str(records), "--today", "2028-01-05"
    )
    assert result.returncode == 0, result.stderr
    stale = re.search(r"0 erreur\(s\), (\d+) fiche\(s\) toujours pas vérifiée\(s\) depuis 12 mois\.", result.stdout)
    assert stale is not None, result.stdout
    check = run_cli("check", "--directory", str(records), "--today", "2028-01-05")
    assert int(stale.group(1)) == check.stderr.count("pas vérifiée depuis plus de 12 mois") > 50


def test_verified_command(records):
    result = run_cli("verified", "ccas-redon", "--directory", str(records), "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr
    assert "ccas-redon.yml : vérifiée 2026-09-29 -> 2026-11-23" in result.stdout
    assert "1 fiche(s) marquée(s) comme vérifiée(s). Nouvelle vérification : 0 erreur(s)" in result.stdout
    wrong = run_cli("verified", "cabinet-medical-redn", "--directory", str(records), "--today", "2026-11-23")
    assert wrong.returncode == 1
    assert "pas de fiche « cabinet-medical-redn » : vouliez-vous dire cabinet-medical-redon" in wrong.stderr
    future = run_cli(
        "verified", "ccas-redon", "--on", "2026-12-01", "--directory", str(records), "--today", "2026-11-23"
    )
    assert future.returncode == 1 and "est dans le futur" in future.stderr


# --- the report's progress ------------------------------------------------------------


def test_report_shows_the_campaigns_progress_per_commune_and_category():
    today = dt.date(2027, 3, 1)
    directory = load_directory(DEMO, today)
    page = body(render_one(context(directory, "fr"), report_page))
    confirmed_since, waiting_before = today - dt.timedelta(days=90), dt.date(2026, 9, 1)
    here = [s for s in directory.services.values() if s.address.commune == REDON] + [
        directory.permanences[pid]
        for pid in directory.permanences
        if directory.place_of_permanence(pid).address.commune == REDON
    ]
    confirmed = sum(r.verified >= confirmed_since for r in here)
    waiting = sum(r.verified < waiting_before for r in here)
    assert waiting > 0
    assert f'<tr><th scope="row">Redon</th><td>{confirmed}</td><td>{waiting}</td><td>{len(here)}</td></tr>' in page
    ccas = (
        [s for s in directory.services.values() if "ccas" in (s.category, *s.other_categories)]
        + [p for p in directory.permanences.values() if "ccas" in p.categories]
        + [d for d in directory.dispositifs.values() if d.scope is DispositifScope.LOCAL and "ccas" in d.categories]
    )
    label = directory.taxonomy.categories["ccas"].label.get("fr")[0]
    waiting_ccas = sum(r.verified < waiting_before for r in ccas)
    assert f'<tr><th scope="row">{label}</th><td>0</td><td>{waiting_ccas}</td><td>{len(ccas)}</td></tr>' in page
    text = visible_text(to_html(page))
    assert "Campagne de vérification" in text and "En attente de vérification" in text
    oldest = min(directory.services.values(), key=lambda s: s.verified)
    assert oldest.name.get("fr")[0] in text.split("En attente de vérification", 1)[1]
