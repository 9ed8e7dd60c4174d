"""Shared fixtures: the fixture territories, and helpers to check and build them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from generator.records.directory import Directory, build_directory
from generator.problems import Report
from generator.records.validate import Records, validate_directory

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


def project_config(folder: Path, languages: tuple[str, ...] = ("fr",), content: Path | None = None):
    """A mkdocs.yml for building a fixture territory: the demo's theme, its own (empty) content."""
    import yaml

    from generator.config import load_config

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "portal" in entry:
            entry["portal"].update(languages=list(languages), content=str(content or folder / "content"))
            entry["portal"]["site_names"] = {
                k: v for k, v in entry["portal"].get("site_names", {}).items() if k in languages
            }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    report = Report()
    loaded = load_config(path, report)
    assert loaded is not None, [p.format() for p in report.problems]
    return loaded


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo portal, every language, built once for the whole test run."""
    from generator.site.build import build_site
    from generator.config import load_config

    report = Report()
    config = load_config(ROOT / "mkdocs.yml", report)
    assert config is not None, [p.format() for p in report.problems]
    site = tmp_path_factory.mktemp("demo") / "site"
    build_site(config, load_directory(DEMO), site)
    return site


#: Lines the quality gates add to the end of the test run's output (see test_quality.py).
QUALITY_SUMMARY: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if QUALITY_SUMMARY:
        terminalreporter.section("quality gates on the demo site")
        for line in QUALITY_SUMMARY:
            terminalreporter.write_line(line)
