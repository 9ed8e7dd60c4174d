"""The record schemas and the web editor's configuration, without a browser.

The schemas must accept every record `check` accepts (the demo, the fixtures) and
reject the usual mistakes; the editor's collections must cover every field of the
models with the right widget, and appear only when mkdocs.yml enables them.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.config import load_config
from generator.editor import admin_files, record_schema, schema_files
from generator.problems import Report
from generator.records.fields import field_help
from generator.records.loader import load_yaml
from generator.records.models import Permanence, Service
from generator.site.build import write_shared_files

from helpers import DEMO, DEMO_SITE_URL, MINIMAL, ROOT, demo_config, load_directory, run_cli

FOLDERS = {"service": "services", "permanence": "permanences", "dispositif": "dispositifs", "pathway": "pathways"}


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = record_schema(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _data(path: Path) -> Any:
    document = load_yaml(path, Report())  # as `check` reads it: YAML 1.2, dates stay text
    assert document is not None
    return document.data


@pytest.mark.parametrize("kind", sorted(FOLDERS))
def test_the_schema_accepts_every_record_of_the_demo_and_the_fixtures(kind):
    validator = _validator(kind)
    files = sorted((DEMO / FOLDERS[kind]).glob("*.yml")) + sorted((MINIMAL / FOLDERS[kind]).glob("*.yml"))
    assert files
    for path in files:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(_data(path))]
        assert errors == [], path


def _service() -> dict[str, Any]:
    return copy.deepcopy(_data(DEMO / "services" / "pass-trois-rivieres.yml"))


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.update(adress="1 rue de la Gare"), "unknown key"),
        (lambda d: d["address"].update(commune_name="Redon"), "unknown key in a part"),
        (lambda d: d.update(cost=["gratuit"]), "a code that is not one"),
        (lambda d: d["appointment"].update(policy="sometimes"), "a code that is not one"),
        (lambda d: d.update(verified="12/11/2026"), "a date in French order"),
        (lambda d: d.update(verified="2026-13-01"), "a date that does not exist"),
        (lambda d: d.update(name={"en": "PASS"}), "a translation without the French text"),
        (lambda d: d.update(name=""), "an empty name"),
        (lambda d: d.update(category="Maison de santé"), "an id with capitals and spaces"),
        (lambda d: d["address"].update(commune="Redon"), "a commune by name"),
        (lambda d: d.update(latitude="47,65"), "a decimal comma"),
        (lambda d: d.update(service_area="everywhere"), "a service area that is neither 'territory' nor codes"),
        (lambda d: d.pop("source"), "a required field left out"),
    ],
)
def test_the_schema_rejects_typical_mistakes(change, where):
    validator = _validator("service")
    record = _service()
    assert list(validator.iter_errors(record)) == []
    change(record)
    assert list(validator.iter_errors(record)), where


def test_translatable_text_is_a_string_or_one_text_per_language():
    validator = _validator("service")
    for name in ("PASS de Redon", {"fr": "PASS de Redon", "en": "Redon PASS", "fa-AF": "..."}):
        record = _service()
        record["name"] = name
        assert list(validator.iter_errors(record)) == [], name
    record = _service()
    record["name"] = {"fr": "PASS", "english": "PASS"}
    assert list(validator.iter_errors(record))


def test_the_schema_speaks_french():
    schema = record_schema("permanence")
    assert schema["properties"]["schedule"]["title"] == field_help(Permanence, "schedule").label
    assert schema["properties"]["schedule"]["description"] == field_help(Permanence, "schedule").help
    address = schema["$defs"]["Address"]["properties"]["commune"]
    assert address["title"] == "Commune"
    cost = schema["$defs"]["Cost"]
    assert dict(zip(cost["enum"], cost["enumDescriptions"], strict=True))["free"] == "Gratuit"
    # no English title left from pydantic's field names
    titles = re.findall(r'"title": "([^"]*)"', json.dumps(schema, ensure_ascii=False))
    assert "Held By" not in titles and "Valid From" not in titles


def test_the_schema_command_writes_one_file_per_kind(tmp_path):
    result = run_cli("schema", "--out", str(tmp_path / "schema"))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "schema").iterdir())
    assert written == [f"{kind}.schema.json" for kind in sorted(FOLDERS)]
    service = json.loads((tmp_path / "schema" / "service.schema.json").read_text(encoding="utf-8"))
    assert service["$id"] == DEMO_SITE_URL + "data/schema/service.schema.json"


def test_new_records_name_their_published_schema(tmp_path):
    result = run_cli("new", "permanence", "essai", "--directory", str(tmp_path))
    assert result.returncode == 0, result.stderr
    first = (tmp_path / "permanences" / "essai.yml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={DEMO_SITE_URL}data/schema/permanence.schema.json"


def test_the_site_publishes_the_schemas_and_the_editor_only_when_enabled(tmp_path):
    config = demo_config()
    directory = load_directory(DEMO)
    assert not config.site.editor.enabled
    assert admin_files(config, directory) == {}
    write_shared_files(config, directory, tmp_path)
    assert sorted(p.name for p in (tmp_path / "data" / "schema").iterdir()) == sorted(
        Path(path).name for path in schema_files(DEMO_SITE_URL)
    )
    assert not (tmp_path / "admin").exists()


def _config_file(tmp_path: Path, editor: str) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("      demo: true", "      demo: true\n" + editor, 1)
    # The demo's overrides and records, seen from inside the project (the editor writes only there).
    if not (tmp_path / "overrides").exists():
        (tmp_path / "overrides").symlink_to(ROOT / "overrides", target_is_directory=True)
        shutil.copytree(DEMO, tmp_path / "directory")
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _enabled(tmp_path: Path, editor: str = "") -> tuple[dict[str, Any], dict[str, bytes]]:
    path = _config_file(tmp_path, "      editor:\n        enabled: true\n" + editor)
    config = demo_config(path)
    files = admin_files(config, load_directory(DEMO))
    return yaml.safe_load(files["admin/config.yml"]), files


def _field(fields: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(f for f in fields if f["name"] == name)


def test_the_editor_has_one_collection_per_record_kind_with_every_field(tmp_path):
    decap, files = _enabled(tmp_path)
    collections = {c["name"]: c for c in decap["collections"]}
    assert list(collections) == ["services", "permanences", "dispositifs"]
    services = collections["services"]
    assert services["folder"].endswith("/services")
    assert (services["extension"], services["delete"]) == ("yml", False)
    assert {f["name"] for f in services["fields"]} == set(Service.model_fields)
    fields = services["fields"]
    # codes: a select with French labels
    cost = _field(fields, "cost")
    assert cost["widget"] == "select" and cost["multiple"] is True
    assert {"label": "Gratuit", "value": "free"} in cost["options"]
    # references: categories from taxonomy.yml, communes by INSEE code with their names, dispositifs by id
    assert any(o["value"] == "msp" and o["label"].endswith(" (msp)") for o in _field(fields, "category")["options"])
    commune = _field(_field(fields, "address")["fields"], "commune")
    assert {"label": "Redon (35236)", "value": "35236"} in commune["options"]
    # a neighbourhood: chosen among the communes' neighbourhoods of territory.yml
    neighbourhood = _field(fields, "neighbourhood")
    assert neighbourhood["widget"] == "select"
    assert {"label": "Quartier de la Gare (fictif), Redon (redon-gare-demo)", "value": "redon-gare-demo"} in (
        neighbourhood["options"]
    )
    dispositifs = _field(fields, "dispositifs")
    assert (dispositifs["widget"], dispositifs["collection"], dispositifs["multiple"]) == (
        "relation",
        "dispositifs",
        True,
    )
    # translatable text: one sub-field per language, French required
    name = _field(fields, "name")
    assert [f["name"] for f in name["fields"]] == ["fr", "en", "ar", "fa-AF", "uk", "ru", "ps", "ti"]
    assert [f["required"] for f in name["fields"]] == [True] + [False] * 7
    # dates and hours
    verified = _field(fields, "verified")
    assert (verified["widget"], verified["format"], verified["time_format"]) == ("datetime", "YYYY-MM-DD", False)
    hours = _field(fields, "opening_hours")
    assert hours["widget"] == "string" and "Mo-Fr" in hours["hint"]
    # a part that may be left out has no required field (Decap would refuse to save)
    appointment = _field(fields, "appointment")
    assert all(f.get("required") is False for f in appointment["fields"])
    assert decap["local_backend"] == {"url": "http://localhost:8081/api/v1"}
    assert decap["backend"]["name"] == "git-gateway"
    assert "admin/scripts/decap-cms.js" in files


def test_the_admin_page_is_french_and_loads_nothing_from_elsewhere(tmp_path):
    _, files = _enabled(tmp_path)
    page = files["admin/index.html"].decode("utf-8")
    assert '<html lang="fr"' in page
    assert re.search(r"<title>Modifier les fiches – .+</title>", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_forge_back_ends_are_configured_from_mkdocs_yml(tmp_path):
    decap, _ = _enabled(tmp_path, "        backend: gitlab\n        repo: cls-redon/portail\n        app_id: abc123\n")
    assert decap["backend"] == {
        "name": "gitlab",
        "branch": "main",
        "repo": "cls-redon/portail",
        "auth_type": "pkce",
        "app_id": "abc123",
    }


#: The line of `editor:` in the test's mkdocs.yml: after the demo's `demo: true`.
EDITOR_LINE = 1 + next(
    n
    for n, line in enumerate((ROOT / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
    if "demo: true" in line
)


@pytest.mark.parametrize(
    ("editor", "line", "words"),
    [
        ("        backend: github\n", 2, "'editor.backend' du plugin portal : le mode github a besoin du dépôt"),
        ("        backend: github\n        repo: portail\n", 3, "attendu 'repo: propriétaire/nom'"),
        ("        backend: bitbucket\n", 2, "'editor.backend' du plugin portal : « bitbucket » n'est pas une valeur"),
        (
            "        local_port: 80\n",
            2,
            "'editor.local_port' du plugin portal : 80 n'est pas un port pour decap-server",
        ),
        (
            "        base_url: http://auth.example.org\n",
            2,
            "'editor.base_url' du plugin portal : « http://auth.example.org » n'est",
        ),
        ("        enabeld: true\n", 2, "'editor.enabeld' du plugin portal : option inconnue"),
    ],
)
def test_editor_settings_are_checked(tmp_path, editor, line, words):
    """Each mistake named with mkdocs.yml and its line (the option's, or `editor:` for unknown ones)."""
    line += EDITOR_LINE
    path = _config_file(tmp_path, "      editor:\n        enabled: true\n" + editor)
    report = Report()
    assert load_config(path, report) is None
    found = [(p.line, p.message) for p in report.errors]
    assert any(words in message for _, message in found), found
    assert any(line_ == line for line_, message in found if words in message), found
    assert all(p.path == path.resolve() for p in report.errors)
