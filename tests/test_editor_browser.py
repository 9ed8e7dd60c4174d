"""The web editor (Decap CMS at /admin/) in headless Chromium, against Decap's local back end.

`decap-server` (npm, pinned in tools/editor/package.json, installed by `make test`)
reads and writes the files of a copy of the small fixture territory; the admin page
is served as the build writes it. A permanence created through the form passes
`check`; editing one field of a record keeps every other value of it.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from selenium.webdriver.common.keys import Keys

from generator.problems import Report
from generator.records.loader import load_yaml
from generator.site.build import write_shared_files

from helpers import (
    HAS_BROWSER,
    MINIMAL,
    NO_BROWSER,
    ROOT,
    demo_config,
    load_directory,
    make_browser,
    project_config,
    requested,
    run_cli,
    wait_for,
)

DECAP_SERVER = ROOT / "tools" / "editor" / "node_modules" / "decap-server" / "dist" / "index.js"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not HAS_BROWSER, reason=NO_BROWSER),
    pytest.mark.skipif(
        not (NODE and DECAP_SERVER.is_file()),
        reason="needs Node.js and decap-server: make test installs it (npm ci in tools/editor) when node and npm are there",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Editor:
    root: Path
    url: str
    driver: Any

    def open(self, route: str) -> None:
        """A page of the editor, loaded afresh: going from entry to entry by address alone,
        Decap may show the previous entry's form. The sign-in is kept by the browser."""
        self.driver.get("about:blank")
        self.driver.get(self.url + route)
        wait_for(self.driver, lambda: _field(self.driver, "input, textarea"), 30, f"{route}: no form")

    def record(self, folder: str, rid: str) -> Path:
        return self.root / "directory" / folder / f"{rid}.yml"


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    """A copy of the minimal territory with the editor enabled, its /admin/ served, decap-server on it."""
    root = tmp_path_factory.mktemp("editor")
    shutil.copytree(MINIMAL, root / "directory")
    project_config(root)
    settings = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    cms_port, web_port = _free_port(), _free_port()
    for entry in settings["plugins"]:
        if isinstance(entry, dict) and "portal" in entry:
            entry["portal"].update(directory="directory", editor={"enabled": True, "local_port": cms_port})
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    config = demo_config(root / "mkdocs.yml")
    site = root / "site"
    site.mkdir()
    write_shared_files(config, load_directory(config.directory), site)

    handler = functools.partial(_QuietHandler, directory=str(site))
    web = http.server.ThreadingHTTPServer(("127.0.0.1", web_port), handler)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    environment = {**os.environ, "PORT": str(cms_port), "GIT_REPO_DIRECTORY": str(root), "MODE": "fs"}
    environment["BIND_HOST"] = "127.0.0.1"
    server = subprocess.Popen(
        [str(NODE), str(DECAP_SERVER)], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    driver = make_browser(log=True)
    driver.set_window_size(1280, 1400)
    try:
        url = f"http://localhost:{web_port}/admin/"
        driver.get(url)
        # a session of the local back end: the button signs in without a password
        wait_for(driver, lambda: _button(driver, "Se connecter"), 30, "no sign-in button on /admin/").click()
        wait_for(driver, lambda: "Permanences" in driver.find_element("tag name", "body").text or None, 30)
        yield Editor(root, url, driver)
    finally:
        driver.quit()
        server.terminate()
        server.wait(10)
        web.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _button(driver: Any, text: str) -> Any:
    candidates = driver.find_elements("css selector", "button, [role='button'], [role='menuitem']")
    return next((b for b in candidates if b.text.strip() == text and b.is_displayed()), None)


def _field(driver: Any, css: str) -> Any:
    found = driver.find_elements("css selector", css)
    return found[0] if found and found[0].is_displayed() else None


def _value(driver: Any, css: str) -> str | None:
    element = _field(driver, css)
    return None if element is None else str(element.get_attribute("value"))


def _type(driver: Any, css: str, text: str) -> None:
    element = wait_for(driver, lambda: _field(driver, css), message=f"no field {css}")
    element.send_keys(Keys.CONTROL, "a")  # clear() leaves React's state as it was
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def _publish(driver: Any) -> None:
    wait_for(driver, lambda: _button(driver, "Publier"), message="no publish button").click()
    wait_for(driver, lambda: _button(driver, "Publier maintenant"), message="no 'publish now'").click()


def test_a_permanence_created_in_the_form_passes_check(editor: Editor) -> None:
    driver = editor.driver
    editor.open("#/collections/permanences/new")
    _type(driver, "[id^='name-field-'] input[id^='fr-field-']", "Permanence d'essai à la Mairie")
    _type(driver, "[id^='held_by-field-'] [id^='organization-field-'] input", "Association des Essais")
    host = wait_for(driver, lambda: _field(driver, "[id^='location-field-'] input[id^='service-field-']"))
    host.send_keys("Maison")
    wait_for(driver, lambda: _field(driver, "[id^='react-select-'][id*='-option-']"), message="no host to choose")
    host.send_keys(Keys.ENTER)
    _type(driver, "[id^='description-field-'] textarea", "Une aide pour vos droits santé.")
    _type(driver, "input[id^='schedule-field-']", "Th[1] 14:00-16:00; PH off")
    wait_for(driver, lambda: _field(driver, "[aria-label='Set verified to now']")).click()
    _type(driver, "input[id^='source-field-']", "Appel à l'association")
    _publish(driver)

    written = editor.record("permanences", "permanence-dessai-a-la-mairie")
    wait_for(driver, lambda: written.is_file() or None, 30, f"{written.name} was not written")
    wait_for(driver, lambda: written.read_text(encoding="utf-8").strip() or None)
    data = load_yaml(written, Report())
    assert data is not None
    assert data.data["name"] == "Permanence d'essai à la Mairie"  # French only: a plain string
    assert data.data["location"] == {"service": "msp-villebourg"}
    # "Maintenant" gave the browser's today: check on the same day
    result = run_cli("check", "--config", str(editor.root / "mkdocs.yml"), "--today", dt.date.today().isoformat())
    assert result.returncode == 0, result.stderr + "\n" + written.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("folder", "rid", "name"),
    [
        # translations, nested parts, lists of codes, phones, a service area, notices
        ("services", "msp-villebourg", "Maison de santé de Villebourg"),
        # a host service, a place with an address, cancelled dates, flow mappings
        ("permanences", "cpam-le-hameau", "Permanence Assurance Maladie au Hameau"),
        # lists of texts (steps, documents) and of links
        ("dispositifs", "css", "Complémentaire santé solidaire"),
    ],
)
def test_editing_one_field_keeps_every_other_value(editor: Editor, folder: str, rid: str, name: str) -> None:
    driver = editor.driver
    record = editor.record(folder, rid)
    before = load_yaml(record, Report())
    assert before is not None
    editor.open(f"#/collections/{folder}/entries/{rid}")
    loaded = "[id^='name-field-'] input[id^='fr-field-']"
    wait_for(driver, lambda: _value(driver, loaded) == name or None, message=f"{rid} not loaded")
    _type(driver, "input[id^='source-field-']", "Appel à l'accueil, décembre")
    _publish(driver)
    wait_for(driver, lambda: "décembre" in record.read_text(encoding="utf-8") or None, 30, f"{rid} was not saved")

    after = load_yaml(record, Report())
    assert after is not None
    assert after.data["source"] == "Appel à l'accueil, décembre"
    assert {k: v for k, v in after.data.items() if k != "source"} == {
        k: v for k, v in before.data.items() if k != "source"
    }
    # the keys keep the file's order; comments and flow lists ([a, b]) are rewritten (README)
    assert list(after.data) == list(before.data)
    result = run_cli("check", "--config", str(editor.root / "mkdocs.yml"), "--today", dt.date.today().isoformat())
    assert result.returncode == 0, result.stderr


def test_the_editor_loads_nothing_from_another_site(editor: Editor) -> None:
    urls = requested(editor.driver)
    assert urls, "the performance log is empty"
    others = [u for u in urls if not u.startswith(("http://localhost:", "data:", "blob:"))]
    assert others == []
    assert editor.driver.execute_script("return document.documentElement.lang") == "fr"
