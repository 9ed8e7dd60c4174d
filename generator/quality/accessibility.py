"""Accessibility: axe-core in a real (headless) Chromium, on every kind of page.

Tags wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa: the WCAG 2.2 AA rules
that can be tested automatically (the RGAA is based on WCAG 2.1). Needs
Debian's `chromium` and `chromium-driver` and the `selenium` package (`make
test` installs them). The page "kinds" are one page of each template of the
site; the print view is a sheet laid out for print.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import routes
from .report import Finding

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_VERSION = "4.14.1"  # as vendor/README.md says
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class BrowserMissing(RuntimeError):
    """Chromium, its driver or selenium is not installed."""


@dataclass(frozen=True)
class PageKind:
    name: str  # 'service', 'booklet'...
    path: str  # relative to the site: 'fr/services/msp-redon/'
    media: str = "screen"  # 'print': checked as laid out for print


def _first(site: Path, language: str, folder: str, depth: int = 1) -> str | None:
    """The first page (in name order) `depth` folders below `folder`."""
    base = site / language / folder
    pattern = "/".join(["*"] * depth) + "/index.html"
    found = sorted(base.glob(pattern))
    return found[0].parent.relative_to(site).as_posix() + "/" if found else None


#: What marks a record page's « Pour les professionnels » block (templates/_macros.html, `pro_block`).
PRO_BLOCK = 'class="portal-pro '


def _first_with_pro_block(site: Path, language: str) -> str | None:
    """The first service page that shows a part for professionals (the professionals' edition only)."""
    for page in sorted((site / language / "services").glob("*/index.html")):
        if PRO_BLOCK in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    return None


def page_kinds(site: Path, language: str) -> list[PageKind]:
    """One page of each kind in `language`'s site."""

    def first(path: str, depth: int = 1) -> str | None:
        return _first(site, language, path.split("/")[0], depth)

    candidates = {
        "home": routes.language_url(language, routes.HOME),
        "service": first(routes.service("x")),
        "permanence": first(routes.permanence("x")),
        "dispositif": first(routes.dispositif("x")),
        "commune": first(routes.commune("x")),
        "category": first(routes.category("x")),
        "pathway question": first(routes.pathway_start("x")),
        "pathway outcome": first(routes.pathway_start("x"), depth=2),
        "easy-read": first(routes.easy_dispositif("x"), depth=2),
        "calendar": routes.language_url(language, routes.CALENDAR),
        "map": routes.language_url(language, routes.MAP),
        "booklet": first(routes.booklet("x")),
        "new patients": routes.language_url(language, routes.new_patients(None)),
        "new patients in a commune": first(routes.new_patients("x")),
        "report": routes.language_url(language, routes.REPORT),
        "observatory": routes.language_url(language, routes.OBSERVATORY),
        "open data": routes.language_url(language, routes.OPEN_DATA),
        "search": routes.language_url(language, routes.SEARCH),
        # the professionals' edition only: absent from the public site, so not checked there
        "pro section": routes.language_url(language, routes.PRO),
        "pro who does what": routes.language_url(language, routes.pro_who(None)),
        "pro networks": routes.language_url(language, routes.PRO_NETWORKS),
        "pro referrals": routes.language_url(language, routes.PRO_REFERRALS),
        "pro directory": routes.language_url(language, routes.pro_directory(None)),
    }
    kinds = [
        PageKind(name, path) for name, path in candidates.items() if path and (site / path / "index.html").is_file()
    ]
    service = candidates["service"]
    if service:
        kinds.append(PageKind("print view", service, media="print"))
    if (site / language / routes.folder_url(routes.PRO)).is_dir():
        with_block = _first_with_pro_block(site, language)
        if with_block:
            kinds.append(PageKind("pro record", with_block))
        commune = _first(site, language, routes.PRO.split("/")[0] + "/annuaire")
        if commune:
            kinds.append(PageKind("pro directory print", commune, media="print"))
    return kinds


def make_driver(width: int = 1280, height: int = 900, *, language: str = "fr", log: bool = False) -> WebDriver:
    """Headless Chromium that never calls home; `log`: record every request the page makes."""
    # Debian's Chromium, or the Chrome of GitHub's runners
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        chromium = None
    if not (chromium and driver_path):
        raise BrowserMissing(
            "le contrôle d'accessibilité a besoin de Chromium : apt-get install chromium chromium-driver ; "
            "pip install -e '.[test]'"
        )
    options = Options()
    options.binary_location = chromium
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--lang={language}",
    ):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    if log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_window_size(width, height)
    return driver


# On paper nothing is pointed at: the size of targets (WCAG 2.5.8) is a screen rule.
SCREEN_ONLY_RULES = ["target-size"]

_RUN = (
    "const done = arguments[arguments.length - 1];"
    "const rules = Object.fromEntries(arguments[1].map(id => [id, {enabled: false}]));"
    "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, rules: rules, resultTypes: ['violations']})"
    ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help, impact: v.impact,"
    " targets: v.nodes.map(n => n.target.join(' '))})))).catch(e => done({error: String(e)}));"
)


def axe_violations(driver: Any, url: str, media: str = "screen") -> list[dict[str, Any]]:
    """The axe violations of the page at `url`, as it is shown on `media`."""
    driver.get(url)
    if media != "screen":
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
    try:
        driver.execute_script(AXE.read_text(encoding="utf-8"))
        result = driver.execute_async_script(_RUN, TAGS, [] if media == "screen" else SCREEN_ONLY_RULES)
    finally:
        if media != "screen":
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    if isinstance(result, dict):
        raise RuntimeError(f"axe failed on {url}: {result['error']}")
    return list(result)


def accessibility_findings(
    site: Path,
    base_url: str,
    languages: list[str],
    *,
    driver: Any = None,
    on_page: Callable[[PageKind], None] | None = None,
) -> list[Finding]:
    """axe on every kind of page of each language, the site being served at `base_url`."""
    own = driver is None
    driver = driver or make_driver()
    findings: list[Finding] = []
    try:
        for language in languages:
            for kind in page_kinds(site, language):
                if on_page:
                    on_page(kind)
                for violation in axe_violations(driver, f"{base_url.rstrip('/')}/{kind.path}", kind.media):
                    where = ", ".join(violation["targets"][:3])
                    message = f"{violation['id']} ({violation['impact']}, {kind.name}, {kind.media}): {violation['help']} — {where}"
                    findings.append(Finding(kind.path + "index.html", 0, "axe", message))
    finally:
        if own:
            driver.quit()
    return findings
