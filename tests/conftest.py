"""Fixtures shared by the test modules; plain helpers are in helpers.py.

Test tiers: `make test-fast` runs the tests not marked `build` (they run MkDocs)
or `browser` (they drive Chromium); `make test` runs them all.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.records.directory import Directory

from helpers import DEMO, HAS_BROWSER, MINIMAL, NO_BROWSER, QUALITY_SUMMARY, demo_config, load_directory, make_browser


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
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("demo") / "site"
    build_site(demo_config(), load_directory(DEMO), site)
    return site


@pytest.fixture(scope="session")
def server(demo_site: Path):
    """The demo site on a local address, for the browser."""
    from generator.quality.serve import serving

    with serving(demo_site) as address:
        yield address


@pytest.fixture(scope="session")
def browser():
    if not HAS_BROWSER:
        pytest.skip(NO_BROWSER)
    driver = make_browser()
    yield driver
    driver.quit()


def pytest_terminal_summary(terminalreporter) -> None:
    if QUALITY_SUMMARY:
        terminalreporter.section("quality gates on the demo site")
        for line in QUALITY_SUMMARY:
            terminalreporter.write_line(line)
