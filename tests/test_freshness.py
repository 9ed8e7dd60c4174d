"""Freshness: what a coordinator should call about, in `check` and on the report page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.records.freshness import Concern, counts_by_source, findings, months_before

from helpers import check, front_matter, load_directory, render_pages, run_cli, to_html, visible_text

NOTICE = """notices:
  - kind: closure
    start: 2026-11-02
    end: 2026-11-06
    message: Fermé pour travaux.
"""


def outdated(minimal: Path) -> Path:
    """The minimal territory with one of each concern, on 23 November 2026."""
    permanence = minimal / "permanences" / "cpam-le-hameau.yml"
    permanence.write_text(permanence.read_text() + "valid_until: 2026-10-31\n")
    service = minimal / "services" / "msp-villebourg.yml"
    service.write_text(
        service.read_text()
        .replace("verified: 2026-10-01", "verified: 2025-10-01")
        .replace("source: Test", "source: Appel à l'accueil")
    )
    office = minimal / "services" / "cpam-villebourg.yml"
    office.write_text(office.read_text() + NOTICE)
    return minimal


def test_months_before_clamps_to_the_end_of_shorter_months():
    assert months_before(dt.date(2026, 11, 23), 12) == dt.date(2025, 11, 23)
    assert months_before(dt.date(2027, 3, 31), 1) == dt.date(2027, 2, 28)


def test_every_concern_is_found_with_its_field(minimal):
    directory = load_directory(outdated(minimal))
    records = {kind: getattr(directory, kind) for kind in ("services", "permanences", "dispositifs", "pathways")}
    found = findings(records, directory.today)
    assert [(f.concern, f.rid, f.where, f.since) for f in found] == [
        (Concern.NOTICE_ENDED, "cpam-villebourg", ("notices", 0, "end"), dt.date(2026, 11, 6)),
        (Concern.STALE, "msp-villebourg", ("verified",), dt.date(2025, 10, 1)),
        (Concern.ENDED, "cpam-le-hameau", ("valid_until",), dt.date(2026, 10, 31)),
    ]
    by_source = {c.source: (c.records, dict(c.concerns)) for c in counts_by_source(records, found)}
    assert by_source["Appel à l'accueil"] == (1, {Concern.STALE: 1})
    assert by_source["Test"][1] == {Concern.ENDED: 1, Concern.NOTICE_ENDED: 1}


def test_a_notice_that_is_over_is_a_warning_with_its_line(minimal):
    _, report = check(outdated(minimal))
    [warning] = [w for w in report.warnings if "notices[1] a pris fin" in w.message]
    assert warning.path.name == "cpam-villebourg.yml"
    lines = (minimal / "services" / "cpam-villebourg.yml").read_text().splitlines()
    assert lines[warning.line - 1].strip() == "end: 2026-11-06"


def test_check_lists_the_concerns_and_does_not_fail_on_them(minimal):
    result = run_cli("check", "--directory", str(outdated(minimal)), "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr  # warnings: the site can still be built
    assert "msp-villebourg.yml:" in result.stderr and "pas vérifiée depuis plus de 12 mois" in result.stderr
    assert "cpam-le-hameau.yml:" in result.stderr and "cette permanence a pris fin le 2026-10-31" in result.stderr
    assert "cpam-villebourg.yml:" in result.stderr and "notices[1] a pris fin le 2026-11-06" in result.stderr


def test_report_page_lists_the_concerns_by_source(minimal):
    pages = render_pages(load_directory(outdated(minimal)), "fr", "Test", demo=False)
    page = pages["rapport/index.md"]
    assert front_matter(page)["search"] == {"exclude": True}  # not in the residents' search
    text = visible_text(to_html(page.split("---\n", 2)[2]))
    assert "3 points à vérifier." in text
    for file in ("services/msp-villebourg.yml", "services/cpam-villebourg.yml", "permanences/cpam-le-hameau.yml"):
        assert file in text
    assert "Appel à l'accueil" in text
    # the per-source table: records, stale, ended, notices over
    row = next(line for line in page.splitlines() if "Appel à l&#39;accueil" in line or "Appel à l'accueil" in line)
    assert "<td>1</td><td>1</td><td>0</td><td>0</td>" in row


def test_report_page_of_a_clean_territory_says_nothing_to_check(minimal):
    text = visible_text(to_html(render_pages(load_directory(minimal), "fr", "Test", demo=False)["rapport/index.md"]))
    # the four concerns, and the verification campaign's list of records waiting
    assert "0 point à vérifier." in text and text.count("Rien à vérifier.") == 5
