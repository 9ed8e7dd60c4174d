"""The professionals' edition: records' `professional:` parts, checked, shown only in `build --edition pro`.

The public site never holds a `professional:` value: a copy of the demo with a
unique marker in every professional field is built as the public site, and every
file of it (pages, the search index's compressed fragments, data/, calendars,
schemas, the editor's configuration) is searched for the markers.
"""

from __future__ import annotations

import dataclasses
import gzip
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from generator.cli import main
from generator.config import Edition, ProfessionalSettings, load_config
from generator.problems import Report
from generator.records.types import role_problem
from generator.render.pages.professional import (
    pro_directory_page,
    pro_home_page,
    pro_networks_page,
    pro_referrals_page,
    pro_who_page,
)
from generator.render.pages.records import permanence_page, service_page

from helpers import DEMO, ROOT, check, context, demo_config, load_directory, render_one, visible_text

ACCESS = "Accès réservé aux membres du projet (contrôle d'accès de GitLab Pages)."


def pro(directory, language: str = "fr", access: str | None = ACCESS):
    return context(directory, language, "Santé", edition=Edition.PRO, professional=ProfessionalSettings(access=access))


# --- the records ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "secrétariat",
        "assistante sociale de permanence",
        "médecin coordinateur",
        "Accueil PASS",
        "CMP",
        # A role written with capitals, like a name: its first word is a role.
        "Infirmière Asalée",
        "Conseillère Sociale",
        "Médiatrice Santé",
    ],
)
def test_a_role_passes(text):
    assert role_problem(text) is None


@pytest.mark.parametrize(
    "text", ["Mme Durand", "M. Dupont", "Dr Martin", "Marie Dupont", "Jean-Pierre Le Gall", "Servane Morel"]
)
def test_a_persons_name_is_refused_as_the_role_to_ask_for(text):
    assert role_problem(text) is not None


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _line(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_professional_parts_are_checked_at_their_line(minimal: Path):
    _append(
        minimal / "territory.yml",
        "networks:\n  - {id: cpts-villebourg, label: CPTS de Villebourg, kind: cpts}\n"
        "  - {id: cpts-villebourg, label: Encore, kind: other}\n",
    )
    service = minimal / "services" / "msp-villebourg.yml"
    _append(service, "professional:\n  phone: 01 99 00 00 09\n  ask_for: Mme Durand\n")
    other = minimal / "services" / "cpam-villebourg.yml"
    _append(other, "professional:\n  networks: [cpts-villebourg, cpts-vilebourg]\n")
    permanence = minimal / "permanences" / "cpam-le-hameau.yml"
    _append(permanence, "professional: {}\n")
    records, report = check(minimal)
    assert records is None
    messages = [p.format() for p in report.errors]
    assert any(
        m.startswith(f"{service}:{_line(service, '  ask_for:')}:") and "jamais le nom d'une personne" in m
        for m in messages
    ), messages
    assert any(
        m.startswith(f"{other}:{_line(other, '  networks:')}:")
        and "il n'y a pas de réseau dans territory.yml « cpts-vilebourg » ; vouliez-vous dire « cpts-villebourg » ?"
        in m
        for m in messages
    ), messages
    assert any(m.startswith(f"{permanence}:{_line(permanence, 'professional:')}:") for m in messages), messages
    assert any("le réseau « cpts-villebourg » est déjà dans la liste (au numéro 1)" in m for m in messages), messages


def test_networks_need_a_territory_that_declares_them(minimal: Path):
    service = minimal / "services" / "msp-villebourg.yml"
    _append(service, "professional:\n  networks: [cpts-villebourg]\n")
    records, report = check(minimal)
    assert records is None
    assert [p.format() for p in report.errors] == [
        f"{service}:{_line(service, '  networks:')}: erreur : professional.networks : territory.yml ne déclare aucun "
        "réseau : ajoutez-les sous 'networks:' (id, label, kind : cpts, cls, clsm, dac, clic ou other), puis donnez ici "
        "leurs identifiants"
    ]


def test_the_access_text_is_checked_at_its_line(tmp_path: Path):
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    portal = next(e["portal"] for e in config["plugins"] if isinstance(e, dict) and "portal" in e)
    portal.update(directory=str(DEMO), content=str(ROOT / "content"), professional={"access": "x" * 400})
    portal["edition"] = "pro"
    (tmp_path / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = Report()
    assert load_config(path, report) is None
    messages = [p.format() for p in report.errors]
    assert any("'professional.access' du plugin portal : le texte fait 400 caractères" in m for m in messages), messages
    assert any("option 'edition' du plugin portal : c'est le générateur qui la règle" in m for m in messages), messages


# --- the pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo():
    return load_directory(DEMO)


def test_record_pages_show_the_block_only_in_the_professionals_edition(demo):
    professional = render_one(pro(demo), service_page, "ccas-redon")
    assert 'id="pour-les-professionnels"' in professional
    text = visible_text(professional)
    for words in ("Pour les professionnels", "01 99 00 70 01", "assistante sociale de permanence", "sous 10 jours"):
        assert words in text, words
    assert "partenaires-ccas-redon@example.org" in professional
    assert "portal-pro portal-noprint" in professional  # kept off the sheet handed to a resident
    public = render_one(context(demo, "fr", "Santé"), service_page, "ccas-redon")
    assert "pour-les-professionnels" not in public and "70 01" not in public and "partenaires-ccas" not in public
    assert "pour-les-professionnels" in render_one(pro(demo), permanence_page, "csapa-guemene-penfao")


def test_the_section_lists_who_does_what_networks_referrals_and_the_directory(demo):
    ctx = pro(demo)
    home = visible_text(render_one(ctx, pro_home_page))
    assert ACCESS in home
    who = render_one(ctx, pro_who_page, "35236")  # Redon
    assert "<table" in who and 'scope="row"' in who
    assert "CCAS de Redon" in who and "Complémentaire santé solidaire" in who
    networks = render_one(ctx, pro_networks_page)
    assert 'id="reseau-clsm-redon"' in networks and "CSAPA" in networks
    referrals = visible_text(render_one(ctx, pro_referrals_page))
    assert "infirmière de coordination de la PASS" in referrals
    booklet = render_one(ctx, pro_directory_page, "35236")
    assert booklet.count('class="portal-entry"') >= 10
    assert "portal-sheet-footer" in booklet  # printable: the QR code and dates
    assert render_one(ctx, pro_directory_page, None).count('class="portal-entry"') > booklet.count(
        'class="portal-entry"'
    )


def test_without_an_access_setting_the_pages_say_the_host_is_responsible(demo):
    home = visible_text(render_one(pro(demo, access=None), pro_home_page))
    assert "hébergeur" in home and ACCESS not in home


def test_french_texts_on_other_languages_pages_say_their_language(demo):
    page = render_one(pro(demo, "ar"), service_page, "csapa-redon")
    assert 'lang="fr"' in page.split('id="pour-les-professionnels"', 1)[1].split("</section>", 1)[0]


# --- the spreadsheet keeps it -----------------------------------------------------------------


def test_the_spreadsheet_says_it_holds_a_professional_part_and_never_drops_it(tmp_path: Path, capsys):
    directory = tmp_path / "directory"
    shutil.copytree(DEMO, directory)
    book = tmp_path / "annuaire.xlsx"
    config = ["--config", str(ROOT / "mkdocs.yml"), "--today", "2026-12-01"]
    assert main(["sheet", "export", str(book), "--directory", str(directory), *config]) == 0
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["Services"]
    headers = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "ccas-redon")
    assert "Pour les professionnels" in str(row[headers.index("Seulement dans le fichier YAML")].value)
    row[headers.index("Courriel")].value = "accueil-ccas@example.org"
    workbook.save(book)
    before = (directory / "services" / "ccas-redon.yml").read_text(encoding="utf-8")
    assert main(["sheet", "import", str(book), "--directory", str(directory), *config]) == 0
    capsys.readouterr()
    after = (directory / "services" / "ccas-redon.yml").read_text(encoding="utf-8")
    assert after != before and "accueil-ccas@example.org" in after
    assert after.split("professional:", 1)[1] == before.split("professional:", 1)[1]


# --- the public site never holds a professional value -------------------------------------------

MARK = "zqprofmark"
#: The marker phone number, as the pages could write it.
MARK_PHONES = ("01 99 00 79 97", "+33199007997", "0199007997", "01\u00a099\u00a000\u00a079\u00a097")


def plant_markers(directory: Path) -> int:
    """A unique marker in every professional field of every demo record that has a part, and one more."""
    territory = directory / "territory.yml"
    _append(
        territory,
        f"  - id: {MARK}-network\n    label: {MARK} network label\n    kind: other\n"
        f"    website: https://example.org/{MARK}-site\n    description: {MARK} network description\n",
    )
    part = (
        "professional:\n"
        f"  referral: {{fr: '{MARK} referral fr', en: '{MARK} referral en', ar: '{MARK} referral ar'}}\n"
        f"  referral_form: https://example.org/{MARK}-form\n"
        f"  delay: {{fr: '{MARK} delay fr', en: '{MARK} delay en'}}\n"
        "  phone: 01 99 00 79 97\n"
        f"  email: {MARK}-mail@example.org\n"
        f"  ask_for: {{fr: '{MARK} role fr', ar: '{MARK} role ar'}}\n"
        f"  networks: [{MARK}-network]\n"
        f"  notes: {MARK} notes\n"
    )
    planted = 0
    for kind in ("services", "permanences"):
        for path in sorted((directory / kind).glob("*.yml")):
            text = path.read_text(encoding="utf-8")
            if "\nprofessional:" in text or path.stem in ("msp-allaire", "bus-sante-rieux"):
                text = text.split("\nprofessional:", 1)[0].rstrip("\n") + "\n" + part
                path.write_text(text, encoding="utf-8")
                planted += 1
    return planted


def leaks(site: Path) -> list[str]:
    """Every file of the site that holds a marker (the search index's fragments are gzip: read inflated)."""
    found = []
    needles = [MARK.encode(), *(p.encode() for p in MARK_PHONES)]
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        lowered = data.lower()
        found += [f"{path.relative_to(site)}: {needle.decode()}" for needle in needles if needle in lowered]
    return found


@pytest.mark.build
def test_the_public_site_never_holds_a_professional_value(tmp_path: Path):
    from generator.site.build import build_site

    directory = tmp_path / "directory"
    shutil.copytree(DEMO, directory)
    assert plant_markers(directory) >= 16
    loaded = load_directory(directory)
    config = demo_config(directory=directory)
    # the web editor on too: its configuration may name the fields, never hold a value
    config = dataclasses.replace(
        config, site=dataclasses.replace(config.site, editor=dataclasses.replace(config.site.editor, enabled=True))
    )
    site = tmp_path / "site"
    build_site(config, loaded, site, languages=("fr", "ar"))
    searched = sum(1 for p in site.rglob("*") if p.is_file())
    kinds = {p.suffix for p in site.rglob("*") if p.is_file()}
    assert {".html", ".ics", ".csv", ".json", ".geojson", ".pf_fragment", ".yml"} <= kinds, kinds
    assert (site / "admin" / "config.yml").read_text(encoding="utf-8").count("referral") >= 2  # names, no values
    assert leaks(site) == [], f"{len(leaks(site))} leaks in {searched} files"
    assert not (site / "robots.txt").exists()
    # the same records in the professionals' edition: the markers are there (the search sees them too)
    pages = dict(_pro_pages(loaded))
    assert any(MARK in text for text in pages.values())
    assert any(re.search(r"01 99 00 79 97", text) for text in pages.values())


def _pro_pages(directory):
    from generator.render import render_language

    return render_language(pro(directory)).items()
