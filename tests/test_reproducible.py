"""A site built for a given day: the right next sessions, and the same bytes every time.

The demo is built twice with the same inputs (`--today 2026-12-01`,
SOURCE_DATE_EPOCH) in French and Arabic; every file must be identical.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest

from helpers import DEMO, ROOT, found, project_config, run_cli

EPOCH = "1796083200"  # 2026-12-01 00:00 UTC


def run_build(tmp_path: Path, site: Path, *options: str, env: dict[str, str] | None = None):
    """`generator build` of the demo, a portal in French and Arabic, into `site`."""
    config = project_config(tmp_path / "project", languages=("fr", "ar"), content=ROOT / "content")
    return run_cli(
        "build",
        "--config",
        str(config.config_file),
        "--directory",
        str(DEMO),
        "--site-dir",
        str(site),
        *options,
        cwd=tmp_path,
        env=env,
    )


def build(tmp_path: Path, name: str, *options: str) -> Path:
    site = tmp_path / name
    result = run_build(
        tmp_path, site, "--today", "2026-12-01", *options, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.returncode == 0, result.stderr
    return site


def digests(site: Path) -> dict[str, str]:
    return {
        str(path.relative_to(site)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("reproducible")
    return build(folder, "first"), build(folder, "second")


@pytest.mark.build
def test_the_same_inputs_give_the_same_bytes(sites):
    first, second = map(digests, sites)
    assert len(first) > 1000
    assert first.keys() == second.keys()
    different = [path for path in first if first[path] != second[path]]
    assert different == []


@pytest.mark.build
def test_languages_built_apart_put_together_are_the_whole_site(sites, tmp_path):
    """A CI matrix builds one language per job; the jobs' sites, merged, are the full build."""
    french, arabic = (
        digests(build(tmp_path, "fr", "--languages", "fr")),
        digests(build(tmp_path, "ar", "--languages", "ar")),
    )
    assert not any(path.startswith("ar/") for path in french) and not any(path.startswith("fr/") for path in arabic)
    shared = {path for path in french if not path.startswith("fr/")}
    assert shared and all(french[path] == arabic[path] for path in shared)  # root page, data/: the same
    assert {**french, **arabic} == digests(sites[0])


def test_a_language_the_site_does_not_have_is_refused(tmp_path):
    # refused before anything is built: not a `build` test
    result = run_build(tmp_path, tmp_path / "site", "--languages", "fr,de")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "de : pas une langue de mkdocs.yml (ses langues : fr, ar)" in result.stderr
    assert not (tmp_path / "site").exists()


def text(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.build
def test_a_site_built_on_1_december_shows_the_right_next_sessions(sites):
    site = sites[0]
    # Tu[2] at Pipriac: 8 December; 12 January cancelled, and February is beyond 8 weeks
    pipriac = text(site, "fr/permanences/assurance-maladie-pipriac/index.html")
    assert "mardi 8 décembre 2026, 9 h – 12 h" in pipriac.replace("\u2009", " ")
    assert "Annulée le mardi 12 janvier 2027." in pipriac
    assert "Dates à jour au mardi 1 décembre 2026." in pipriac
    # Mo[1] at Avessac: 7 December cancelled, so 4 January first
    avessac = text(site, "fr/permanences/bus-sante-avessac/index.html")
    first = found(r"(lundi \d+ \w+ \d{4}), 9 h 30", avessac.replace("\u2009", " ")).group(1)
    assert first == "lundi 4 janvier 2027"
    # Fr[-1] mutuelle: 25 December is a public holiday, 29 January is past 8 weeks
    mutuelle = text(site, "fr/permanences/mutuelle-communale-bains-sur-oust/index.html")
    assert "Pas de date dans les 8 prochaines semaines." in mutuelle
    # the calendar starts with this week: Tuesday 1 December at Plessé
    calendar = text(site, "fr/calendrier/index.html")
    assert (
        calendar.index("Cette semaine")
        < calendar.index("mardi 1 décembre 2026")
        < calendar.index("La semaine prochaine")
    )
    # the same dates in Arabic, right to left
    arabic = (site / "ar" / "calendrier" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ar" dir="rtl"' in arabic and 'data-portal-week="2026-11-30"' in arabic


@pytest.mark.build
def test_calendar_files_are_published_next_to_the_pages(sites):
    site = sites[0]
    ics = (site / "fr" / "permanences" / "assurance-maladie-pipriac.ics").read_bytes()
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and b"RRULE:FREQ=MONTHLY;UNTIL=" in ics and b"BYDAY=2TU" in ics
    assert b"EXDATE;TZID=Europe/Paris:20270112T090000" in ics
    assert (site / "ar" / "calendrier" / "index.ics").is_file()
