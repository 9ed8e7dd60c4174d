"""Building sites: the demo, escaping end to end, and never a half-built site."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.config import load_config
from generator.problems import Report
from generator.site.build import BuildError, build_site

from helpers import DEMO, MINIMAL, ROOT, demo_config, load_directory, project_config, read, run_cli

EMERGENCY_LINKS = ('href="tel:15"', 'href="tel:112"', 'href="sms:114"', 'href="tel:3114"', 'href="tel:116117"')


@pytest.mark.build
def test_demo_site_has_every_page_kind(demo_site_fr, demo_directory):
    fr = demo_site_fr / "fr"
    for page in (
        "index.html",
        "categories/index.html",
        "communes/index.html",
        "dispositifs/index.html",
        "permanences/index.html",
        "404.html",
        "pagefind/pagefind.js",
        "recherche/index.html",
    ):
        assert (fr / page).is_file(), page
    for sid in demo_directory.services:
        assert (fr / "services" / sid / "index.html").is_file()
    for pid in demo_directory.permanences:
        assert (fr / "permanences" / pid / "index.html").is_file()
    for did in demo_directory.dispositifs:
        assert (fr / "dispositifs" / did / "index.html").is_file()
    for slug in demo_directory.commune_slugs.values():
        assert (fr / "communes" / slug / "index.html").is_file()
    for cid in demo_directory.services_by_category:
        assert (fr / "categories" / cid / "index.html").is_file()
    assert (demo_site_fr / "index.html").is_file()  # the language chooser


def test_demo_meets_the_issue_minimums():
    directory = load_directory(DEMO)
    assert len(directory.communes) >= 12
    assert len({c.insee[:2] for c in directory.communes.values()}) >= 3  # three départements
    assert len(directory.services) >= 40
    assert len(directory.services_by_category) >= 12
    assert len(directory.permanences) >= 12
    schedules = [p.schedule for p in directory.permanences.values()]
    assert any("[" in s for s in schedules) and any("[" not in s for s in schedules)  # monthly and weekly
    national = {
        "puma",
        "css",
        "ame",
        "pass",
        "mission-accompagnement-sante",
        "mt-dents",
        "examen-prevention-sante",
        "depistages-organises",
    }
    assert national <= set(directory.dispositifs)


def test_demo_contacts_are_fictional():
    for path in DEMO.rglob("*.yml"):
        text = path.read_text(encoding="utf-8")
        for number in re.findall(r'number: "?([0-9 ]{10,14})"?', text):
            assert number.replace(" ", "").startswith("0199"), (path, number)
        for domain in re.findall(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)", text):
            assert domain.endswith("example.org"), (path, domain)
        for url in re.findall(r"https?://([\w.-]+)", text):
            if "/services/" in str(path) or "/permanences/" in str(path):
                assert url.endswith("example.org") or url == "acceslibre.beta.gouv.fr", (path, url)


@pytest.mark.build
def test_record_pages_are_not_in_the_navigation(demo_site_fr):
    page = read(demo_site_fr, "fr/services/msp-redon/index.html")
    nav = page.split('<nav class="md-nav md-nav--primary', 1)[1].split("</nav>", 1)[0]
    assert "msp-redon" not in nav and "/services/" not in nav and "/communes/redon" not in nav
    tabs = page.split('<nav class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    assert "categories/" in tabs and "services/" not in tabs


@pytest.mark.build
def test_every_page_has_emergency_numbers_demo_banner_and_lang(demo_site_fr):
    pages = list((demo_site_fr / "fr").rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert '<html lang="fr"' in text, path
        for link in EMERGENCY_LINKS:
            assert link in text, (path, link)
        assert "Site de démonstration" in text, path
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, path


@pytest.mark.build
def test_record_pages_say_when_they_were_checked(demo_site_fr):
    for folder in ("services", "permanences", "dispositifs"):
        for path in (demo_site_fr / "fr" / folder).glob("*/index.html"):
            assert "Informations vérifiées le " in path.read_text(encoding="utf-8"), path


@pytest.mark.build
def test_script_in_a_record_name_is_shown_as_text(tmp_path, minimal):
    path = minimal / "services" / "msp-villebourg.yml"
    text = (
        path.read_text()
        .replace(
            "name: {fr: Maison de santé de Villebourg, en: Villebourg health centre}",
            'name: "<script>alert(1)</script>"',
        )
        .replace(
            "summary: Médecins et infirmiers.",
            'summary: "**Médecins** [piège](javascript:alert(2)) <img src=x onerror=alert(3)>"',
        )
    )
    path.write_text(text)
    site = tmp_path / "site"
    build_site(project_config(tmp_path / "project"), load_directory(minimal), site)
    # Pages, scripts and JSON never carry it as markup; the CSV tables are data and
    # keep the name exactly as written (tests/test_opendata.py).
    found = subprocess.run(
        ["grep", "-r", "--exclude=*.csv", "<script>alert", str(site)], capture_output=True, text=True
    )
    assert found.returncode == 1, found.stdout  # grep finds nothing
    assert "<script>alert(1)</script>" in (site / "data" / "services.csv").read_text(encoding="utf-8-sig")
    # the JSON files escape it, and give it back exactly once parsed
    exported = json.loads((site / "data" / "services.json").read_text(encoding="utf-8"))
    assert "<script>alert(1)</script>" in {s["nom"] for s in exported}
    for page in site.rglob("*.html"):
        body = page.read_text(encoding="utf-8")
        assert "<img src=x" not in body and 'href="javascript:' not in body
    service = read(site, "fr/services/msp-villebourg/index.html")
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in service
        or "&#60;script&#62;alert&#40;1&#41;&#60;&#47;script&#62;" in service
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_failed_build_leaves_the_site_as_it_was(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous site")
    before = _snapshot(site)
    # The records are refused before MkDocs would run: not a `build` test.
    result = run_cli("build", "--directory", str(ROOT / "tests/fixtures/broken"), "--site-dir", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Rien n'a été construit" in result.stderr
    assert _snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left behind


@pytest.mark.build
def test_mkdocs_failure_leaves_the_site_as_it_was(tmp_path, minimal):
    # A hand-written page with a broken link fails the MkDocs build (warnings are errors).
    project = tmp_path / "project"
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content" / "fr").mkdir(parents=True)
    (project / "content" / "fr" / "a-propos.md").write_text("# À propos\n\n[Accueil](index.md)\n")
    site = tmp_path / "site"
    build_site(demo_config(project / "mkdocs.yml", minimal), load_directory(minimal), site)
    (project / "content" / "fr" / "a-propos.md").write_text("# À propos\n\n[Lien cassé](nulle-part.md)\n")
    site.joinpath("marker").write_text("kept")
    before = _snapshot(site)
    with pytest.raises(BuildError, match=r"nulle-part\.md"):
        build_site(demo_config(project / "mkdocs.yml", minimal), load_directory(minimal), site)
    assert _snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["directory", "project", "site"]


@pytest.mark.build
def test_build_command_builds_into_the_site_dir(tmp_path):
    # The demo itself is built once for the whole run (the demo_site fixture).
    config = project_config(tmp_path / "project", languages=("fr", "ar"))
    site = tmp_path / "out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1795392000"}  # 2026-11-23
    result = run_cli(
        "build",
        "--config",
        str(config.config_file),
        "--directory",
        str(MINIMAL),
        "--site-dir",
        str(site),
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert "Site construit dans" in result.stdout and "(fr, ar)" in result.stdout
    assert (site / "fr" / "index.html").is_file() and (site / "ar" / "index.html").is_file()
    # SOURCE_DATE_EPOCH is the build date: the next session is computed from 23 November 2026
    assert "mardi 8 décembre 2026" in (site / "fr" / "permanences" / "cpam-le-hameau" / "index.html").read_text()


def test_site_dir_must_not_contain_the_project(tmp_path):
    with pytest.raises(BuildError, match="choisissez un dossier à part"):
        build_site(demo_config(), load_directory(MINIMAL), ROOT)


@pytest.mark.parametrize("make", ["foreign-folder", "file", "theme"])
def test_build_never_replaces_what_it_did_not_build(tmp_path, make):
    if make == "foreign-folder":
        target = tmp_path / "mydocs"
        target.mkdir()
        (target / "thesis.txt").write_text("precious")
    elif make == "file":
        target = tmp_path / "Makefile"
        target.write_text("precious")
    else:
        target = ROOT / "overrides"
    before = _snapshot(target) if target.is_dir() else target.read_bytes()
    with pytest.raises(BuildError):
        build_site(demo_config(), load_directory(MINIMAL), target)
    after = _snapshot(target) if target.is_dir() else target.read_bytes()
    assert after == before


@pytest.mark.build
def test_a_previous_build_is_replaced(tmp_path):
    site = tmp_path / "site"
    config = project_config(tmp_path / "project")
    build_site(config, load_directory(MINIMAL), site)
    (site / "stale.html").write_text("old page")
    build_site(config, load_directory(MINIMAL), site)
    assert not (site / "stale.html").exists() and (site / ".portal-site").is_file()


@pytest.mark.parametrize(
    "languages, words",
    [
        ("[fr, '..']", "« .. » n'est pas un code de langue"),
        ("[fr, '/']", "« / » n'est pas un code de langue"),
        ("[fr, xx]", "il n'y a pas de catalogue d'interface pour « xx »"),
        ("[fr, fr]", "une langue est listée deux fois"),
        ("[]", "donnez-en au moins une"),
    ],
)
def test_languages_are_checked_before_anything_is_written(tmp_path, languages, words):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\nplugins:\n  - portal:\n      languages: {languages}\n")
    report = Report()
    assert load_config(config, report) is None
    assert any(words in p.message and p.line == 4 for p in report.errors), [p.format() for p in report.errors]


def test_settings_of_the_wrong_type_are_reported(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: [a, b]\nsite_url: 12\ntheme:\n  custom_dir: [a]\nplugins:\n  - portal\n")
    report = Report()
    assert load_config(config, report) is None
    messages = {p.line: p.message for p in report.errors}
    assert messages == {
        1: "'site_name' doit être du texte, comme 'Santé Pays de Redon'",
        2: "'site_url' doit être du texte, comme 'https://sante.example.org/'",
        4: "'theme.custom_dir' doit être du texte, comme 'overrides'",
    }


@pytest.mark.parametrize("value", ["0", "-5"])
def test_the_map_list_limit_is_checked(tmp_path, value):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\nplugins:\n  - portal:\n      map:\n        list_limit: {value}\n")
    report = Report()
    load_config(config, report)
    words = f"'map.list_limit' du plugin portal : {value} est trop petit : attendu un nombre de lieux de 1 ou plus"
    assert any(words in p.message and p.line == 5 for p in report.errors), [p.format() for p in report.errors]
