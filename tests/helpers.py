"""Helpers shared by the test modules: the fixture territories, rendering, reading pages, the browser.

Fixtures are in conftest.py; this module holds plain functions and constants,
imported as `from helpers import ...`.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import markdown
import yaml

from generator.config import PortalConfig, SiteSettings, load_config
from generator.problems import Report
from generator.records.directory import Directory, build_directory
from generator.records.schedule import Pattern, pattern
from generator.records.validate import Records, validate_directory
from generator.render import RenderContext, page_file, render_language
from generator.render.pages import Page
from generator.transport.feed import load_feeds

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "minimal"
BROKEN = FIXTURES / "broken"
DEMO = ROOT / "directory"
#: A fixed date, so that next sessions and staleness do not depend on the day tests run.
TODAY = dt.date(2026, 11, 23)
#: The demo's site_url in mkdocs.yml.
DEMO_SITE_URL = "https://sante-pays-de-redon.example.org/"
#: The demo's languages, as mkdocs.yml lists them.
DEMO_LANGUAGES = ("fr", "en", "ar", "fa-AF", "uk", "ru", "ps", "ti")

T = TypeVar("T")

#: Lines the quality gates add to the end of the test run's output (see test_quality.py).
QUALITY_SUMMARY: list[str] = []

# --- records ------------------------------------------------------------------------


def check(directory: Path, today: dt.date = TODAY) -> tuple[Records | None, Report]:
    report = Report()
    return validate_directory(directory, report, today), report


def load_directory(directory: Path, today: dt.date = TODAY) -> Directory:
    records, report = check(directory, today)
    assert records is not None, [p.format() for p in report.errors]
    feeds = load_feeds(directory / "transport", report, today)
    assert not report.errors, [p.format() for p in report.errors]
    return build_directory(records, today, feeds)


def found(pattern: str | re.Pattern[str], text: str, flags: int = 0) -> re.Match[str]:
    """The first match of `pattern` in `text`, which the test expects to find."""
    match = pattern.search(text) if isinstance(pattern, re.Pattern) else re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} is not in the text"
    return match


def weekly_pattern(rule: str, today: dt.date) -> Pattern:
    """`schedule.pattern` of a rule the test expects words to say."""
    shape = pattern(rule, today)
    assert shape is not None, f"{rule}: no pattern"
    return shape


# --- rendering, without MkDocs ----------------------------------------------------------


def context(directory: Directory, language: str = "fr", name: str = "Test", **settings: Any) -> RenderContext:
    """The render context of a language; `settings` are `SiteSettings` fields (demo, url, map...)."""
    return RenderContext.for_language(directory, language, SiteSettings(name=name, **settings))


def render_pages(directory: Directory, language: str = "fr", name: str = "Test", **settings: Any) -> dict[str, str]:
    """Every generated file of a language, by path (what the build writes in the docs folder)."""
    return render_language(context(directory, language, name, **settings))


def render_one(ctx: RenderContext, make: Callable[..., Page], *args: Any) -> str:
    """One generated file, `make(ctx, *args)`, as `render_language` writes it: the page alone, quickly."""
    return page_file(ctx, ctx.page(make, *args))


def front_matter(page: str) -> dict:
    """A generated page's front matter, as MkDocs reads it."""
    from mkdocs.utils.meta import get_data

    return get_data(page)[1]


def body(page: str) -> str:
    """A generated page's HTML, without its front matter."""
    return page.split("---\n", 2)[2]


MARKDOWN_EXTENSIONS = ["attr_list", "md_in_html", "tables", "toc"]


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS)


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --- building with MkDocs ------------------------------------------------------------------


def project_config(folder: Path, languages: tuple[str, ...] = ("fr",), content: Path | None = None) -> PortalConfig:
    """A mkdocs.yml for building a fixture territory: the demo's theme, its own (empty) content."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    # The demo's overrides, seen from inside the project (custom_dir must be one of its folders).
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "overrides").exists():
        (folder / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "portal" in entry:
            entry["portal"].update(languages=list(languages), content=str(content or folder / "content"))
            entry["portal"]["site_names"] = {
                k: v for k, v in entry["portal"].get("site_names", {}).items() if k in languages
            }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return demo_config(path)


def demo_config(path: Path = ROOT / "mkdocs.yml", directory: Path | None = None) -> PortalConfig:
    """A mkdocs.yml loaded as the generator loads it (the demo's, unless `path` says another)."""
    report = Report()
    loaded = load_config(path, report, directory)
    assert loaded is not None, [p.format() for p in report.problems]
    return loaded


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in a process of its own, its output captured."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, env=env)


# --- open data, without MkDocs ------------------------------------------------------------


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


# --- the browser ------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HAS_BROWSER = bool(CHROMIUM and CHROMEDRIVER)
NO_BROWSER = "needs Debian's chromium and chromium-driver (make test installs them as root)"


def make_browser(language: str = "fr", log: bool = False) -> Any:
    """The quality gate's headless Chromium (the machine's network is closed: it never calls home)."""
    from generator.quality.accessibility import make_driver

    return make_driver(language=language, log=log)


def print_pdf(browser: Any, url: str) -> Any:
    """The page printed as Chromium prints it (print media, the page's own @page size), as a pypdfium2 document."""
    import pypdfium2

    browser.get(url)
    browser.execute_script("return document.fonts.ready")
    result = browser.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
    return pypdfium2.PdfDocument(base64.b64decode(result["data"]))


def requested(driver: Any) -> list[str]:
    """The addresses the page asked for since the last call (a driver made with `log=True`)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def wait_for(driver: Any, condition: Callable[[], T | None], seconds: float = 15, message: str = "timed out") -> T:
    """The first true value of `condition()`, asked again until it comes (a script's work, a page's load)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        value = WebDriverWait(driver, seconds, poll_frequency=0.05).until(lambda _driver: condition())
    except TimeoutException:
        raise AssertionError(message) from None
    assert value is not None  # WebDriverWait returns only a true value
    return value


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_preview(options: list[str], temporary: Path) -> subprocess.Popen[str]:
    """`python -m generator serve` with `options` (its workspace in `temporary`), once it has said
    its first full build is done. The caller stops it (terminate, then kill in a `finally`)."""
    import os

    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", *options],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(temporary)},
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    try:
        said = ""
        while "Reconstruit" not in said:  # the first full build is served
            said = process.stderr.readline()
            if not said and process.poll() is not None:
                raise AssertionError("the preview stopped")
    except BaseException:
        process.kill()
        raise
    return process
