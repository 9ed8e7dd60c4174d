"""Shared fixtures: the fixture territories, and helpers to check and build them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.directory import Directory, build_directory
from generator.problems import Report
from generator.validate import Records, validate_directory

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"
DEMO = ROOT / "directory"
#: A fixed date, so that next sessions and staleness do not depend on the day tests run.
TODAY = dt.date(2026, 11, 23)


def check(directory: Path, today: dt.date = TODAY) -> tuple[Records | None, Report]:
    report = Report()
    return validate_directory(directory, report, today), report


def load_directory(directory: Path, today: dt.date = TODAY) -> Directory:
    records, report = check(directory, today)
    assert records is not None, [p.format() for p in report.errors]
    return build_directory(records, today)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal territory."""
    target = tmp_path / "directory"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def demo_directory() -> Directory:
    return load_directory(DEMO)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo portal, every language, built once for the whole test run."""
    from generator.build import build_site
    from generator.config import load_config

    report = Report()
    config = load_config(ROOT / "mkdocs.yml", report)
    assert config is not None, [p.format() for p in report.problems]
    site = tmp_path_factory.mktemp("demo") / "site"
    build_site(config, load_directory(DEMO), site)
    return site
