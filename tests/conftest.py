"""Fixtures shared by the test modules; plain helpers are in helpers.py.

Test tiers: `make test-fast` runs the tests not marked `build` (they run MkDocs)
or `browser` (they drive Chromium); `make test` runs them all. A test that asks
for a fixture that builds (`demo_site`, `demo_site_fr`, `server`) must be marked
`build`, one that asks for `browser` must be marked `browser`: collection stops
otherwise. Tests marked `browser` are skipped where Chromium is missing.

With pytest-xdist (`-n auto --dist loadgroup`, as the Makefile runs them), each worker
makes its own session and module fixtures: the tests that share a costly session fixture
(a built demo site, the rendered demo pages) are grouped on one worker, which makes it
once; so are the tests of a module that share a module fixture (test_reproducible's builds,
test_preview's...). Every other test goes to whichever worker is free. (The groups are not
`xdist_group` marks: with pytest 9.2, pytest-xdist 3.8 loses them, pytest-xdist issue 1386.)
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from generator.records.directory import Directory

from helpers import DEMO, HAS_BROWSER, MINIMAL, NO_BROWSER, QUALITY_SUMMARY, demo_config, load_directory, make_browser

#: The fixtures that run MkDocs, and those that start Chromium: the markers their tests need.
BUILDING_FIXTURES = frozenset({"demo_site", "demo_site_fr", "demo_site_pro", "server", "pro_server"})
BROWSING_FIXTURES = frozenset({"browser"})


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A writable copy of the minimal territory."""
    target = tmp_path / "directory"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture(scope="session")
def demo_directory() -> Directory:
    return load_directory(DEMO)


class _RenderedLanguages(dict):
    """Each language's generated files, rendered the first time they are asked for."""

    def __init__(self, directory: Directory) -> None:
        super().__init__()
        self.directory = directory
        self.config = demo_config()

    def __missing__(self, language: str) -> dict[str, str]:
        from generator.render import render_language
        from generator.site.build import render_context

        self[language] = render_language(render_context(self.config, self.directory, language))
        return self[language]


@pytest.fixture(scope="session")
def demo_pages(demo_directory: Directory) -> dict[str, dict[str, str]]:
    """The demo's generated files by language, then by path (`demo_pages["fr"]["index.md"]`),
    as the build renders them into its docs folders before MkDocs runs; no MkDocs here.
    Each language is rendered once for the whole run, when a test first asks for it."""
    return _RenderedLanguages(demo_directory)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, demo_directory: Directory) -> Path:
    """The demo portal, every language, built once for the whole test run."""
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("demo") / "site"
    build_site(demo_config(), demo_directory, site)
    return site


@pytest.fixture(scope="session")
def demo_site_fr(tmp_path_factory, demo_directory: Directory) -> Path:
    """The demo portal in French only, built once for the whole test run: site/fr/ and
    the files shared by every language (the root page, data/), as a full build writes them."""
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("demo-fr") / "site"
    build_site(demo_config(), demo_directory, site, languages=("fr",))
    return site


@pytest.fixture(scope="session")
def demo_site_pro(tmp_path_factory, demo_directory: Directory) -> Path:
    """The demo's professionals' edition (`build --edition pro`) in fr, en and ar, built once for the run:
    the languages the quality gates check, not all eight (the rest is the public site's pipeline)."""
    from generator.config import Edition
    from generator.site.build import build_site

    site = tmp_path_factory.mktemp("demo-pro") / "site-pro"
    build_site(demo_config().with_edition(Edition.PRO), demo_directory, site, languages=("fr", "en", "ar"))
    return site


@pytest.fixture(scope="session")
def pro_server(demo_site_pro: Path):
    """The professionals' edition on a local address, for the browser."""
    from generator.quality.serve import serving

    with serving(demo_site_pro) as address:
        yield address


@pytest.fixture(scope="session")
def server(demo_site: Path):
    """The demo site on a local address, for the browser."""
    from generator.quality.serve import serving

    with serving(demo_site) as address:
        yield address


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (tests that need their own call `make_browser`)."""
    driver = make_browser()
    yield driver
    driver.quit()


def pytest_collection_modifyitems(config, items) -> None:
    """The tiers rest on the markers: a test that uses a building or browsing fixture must say so."""
    unmarked = []
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & BUILDING_FIXTURES and item.get_closest_marker("build") is None:
            unmarked.append(f"{item.nodeid}: uses {', '.join(sorted(used & BUILDING_FIXTURES))}, not marked build")
        if used & BROWSING_FIXTURES and item.get_closest_marker("browser") is None:
            unmarked.append(f"{item.nodeid}: uses the browser fixture, not marked browser")
    if unmarked:
        raise pytest.UsageError("tests without the marker of their tier:\n" + "\n".join(unmarked))
    groups_file = getattr(config, "workerinput", {}).get(GROUPS_FILE_INPUT)
    if groups_file:  # a pytest-xdist worker: tell the scheduler which tests go together
        groups = {item.nodeid: group for item in items if (group := worker_group(item)) is not None}
        written = Path(f"{groups_file}.{config.workerinput['workerid']}")
        written.write_text(json.dumps(groups), encoding="utf-8")
        os.replace(written, groups_file)  # every worker collects the same tests: the same groups


# --- pytest-xdist: the tests that share a costly fixture run on one worker ---------------------

#: The session fixtures that groups of tests share, the costlier first: each group runs on one worker.
SHARED_SESSION_FIXTURES = ("demo_site", "demo_site_fr", "demo_site_pro", "demo_pages")
#: The key of `workerinput` that names the file where workers write the groups.
GROUPS_FILE_INPUT = "portal_groups_file"
GROUPS_FILE = pytest.StashKey[Path]()


def worker_group(item) -> str | None:
    """The group of tests `item` runs with on one worker under `--dist loadgroup` (None: on its own)."""
    used = set(item.fixturenames)
    shared = next((name for name in SHARED_SESSION_FIXTURES if name in used), None)
    if shared is not None:
        return shared
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", None)
    if definitions is None:  # pytest's internals changed: keep each module together
        return item.nodeid.split("::", 1)[0]
    if any(fixture.scope in ("module", "package") for found in definitions.values() for fixture in found):
        return item.nodeid.split("::", 1)[0]
    return None


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """(The controller, for each worker it starts.) Where to write the groups, once the tests are collected."""
    stash = node.config.stash
    if GROUPS_FILE not in stash:
        stash[GROUPS_FILE] = Path(tempfile.mkdtemp(prefix="portal-test-groups-")) / "groups.json"
    node.workerinput[GROUPS_FILE_INPUT] = str(stash[GROUPS_FILE])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup` with the groups of `worker_group`: each group is sent to one worker, whole."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedFixtureScheduling(LoadScopeScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # asked once every worker has collected, so has written the file
                try:
                    self.groups = json.loads(config.stash[GROUPS_FILE].read_text(encoding="utf-8"))
                except (KeyError, OSError):
                    self.groups = {}
            return self.groups.get(nodeid, nodeid)

    return SharedFixtureScheduling(config, log)


def pytest_unconfigure(config) -> None:
    if GROUPS_FILE in config.stash:
        shutil.rmtree(config.stash[GROUPS_FILE].parent, ignore_errors=True)


def pytest_runtest_setup(item) -> None:
    if not HAS_BROWSER and item.get_closest_marker("browser") is not None:
        pytest.skip(NO_BROWSER)


# --- the quality gates' summary, at the end of the run ---------------------------------
# With pytest-xdist (`-n`), the tests run in worker processes: each sends its lines to the
# controller, which prints them.


def pytest_sessionfinish(session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["quality_summary"] = list(QUALITY_SUMMARY)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    QUALITY_SUMMARY.extend(getattr(node, "workeroutput", {}).get("quality_summary", []))


def pytest_terminal_summary(terminalreporter) -> None:
    if QUALITY_SUMMARY:
        terminalreporter.section("quality gates on the demo site")
        for line in QUALITY_SUMMARY:
            terminalreporter.write_line(line)
