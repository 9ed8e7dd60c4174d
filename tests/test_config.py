"""mkdocs.yml checked like the records: every value the portal uses or passes on, at its line.

MkDocs and the theme read mkdocs.yml too, during the build, where a mistake
has no file and line and a hostile value reaches the pages. `check` reads the
same values first; the theme's templates get them escaped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.config import OpenDataSettings, PortalConfig, load_config
from generator.editor.cms import cms_config
from generator.pipeline import generated_path, load_project
from generator.problems import Report
from generator.render import iter_language
from generator.site.build import build_site, render_context

from helpers import MINIMAL, ROOT, TODAY, demo_config, load_directory, project_config, run_cli

HEAD = "site_name: Test\nplugins:\n  - portal:\n      languages: [fr]\n"
SCRIPT = "<script>alert(1)</script>"
#: A value that ends an attribute and opens an element, wherever it is written.
HOSTILE = f'"><{SCRIPT[1:]}'


def load(tmp_path: Path, text: str) -> tuple[PortalConfig | None, Report]:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    report = Report()
    return load_config(config, report, MINIMAL), report


def only_error(report: Report) -> tuple[int, str]:
    [problem] = report.errors  # one mistake, one error
    assert problem.path.name == "mkdocs.yml", problem.format()
    return problem.line, problem.message


# --- addresses ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, words",
    [
        ("javascript:alert(1)", "n'est pas une adresse web commençant par https://"),
        ("ftp://sante.example.org/", "n'est pas une adresse web commençant par https://"),
        ("https://", "n'est pas une adresse web commençant par https://"),
        (f"https://x.example/{HOSTILE}/", "contient une espace, un guillemet, un chevron"),
        ("https://x.example/a b/", "contient une espace"),
        ("https://x.example/?page=1", "contient un '?' ou un '#'"),
    ],
)
def test_site_url_is_a_web_address(tmp_path, url, words):
    config, report = load(tmp_path, f"site_name: Test\nsite_url: '{url}'\n" + HEAD[16:])
    assert config is None
    line, message = only_error(report)
    assert line == 2 and message.startswith(f"'site_url' : « {url} » {words}"), message


def test_a_good_site_url_is_read(tmp_path):
    config, report = load(tmp_path, "site_name: Test\nsite_url: https://sante.example.org/35/\n" + HEAD[16:])
    assert config is not None and config.site.url == "https://sante.example.org/35/", report.problems


@pytest.mark.parametrize("url", [f"https://x.example/{HOSTILE}/", "javascript:alert(1)//"])
def test_build_site_url_gets_the_same_check(tmp_path, url):
    site = tmp_path / "site"
    result = run_cli("build", "--directory", str(MINIMAL), "--site-dir", str(site), "--site-url", url)
    assert result.returncode == 1 and not site.exists()
    assert f"erreur : --site-url {url} " in result.stderr and "attendu https://" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "//evil.example.org/"])
def test_the_licence_address_is_a_web_address(tmp_path, url):
    config, report = load(tmp_path, HEAD + f"      open_data:\n        licence_url: '{url}'\n")
    assert config is None
    line, message = only_error(report)
    assert line == 6 and message.startswith("option 'open_data.licence_url' du plugin portal"), message
    assert "https://www.etalab.gouv.fr/" in message  # what is expected


def test_the_licence_is_never_a_live_script_link():
    with pytest.raises(ValueError, match="n'est pas une adresse web"):
        OpenDataSettings(licence_url="javascript:alert(1)")


def test_the_repository_address_is_a_web_address(tmp_path):
    config, report = load(tmp_path, "site_name: Test\nrepo_url: javascript:alert(1)\n" + HEAD[16:])
    assert config is None
    assert only_error(report) == (
        2,
        "'repo_url' : « javascript:alert(1) » n'est pas une adresse web commençant par https:// (ou http://) : "
        "attendu une adresse comme https://github.com/ORG/REPO",
    )


# --- what MkDocs would refuse during the build -----------------------------------------------------


def test_inherit_is_refused(tmp_path):
    config, report = load(tmp_path, "INHERIT: /etc/passwd\n" + HEAD)
    assert config is None
    line, message = only_error(report)
    assert line == 1 and "'INHERIT' n'est pas pris en charge" in message
    assert "root:" not in message  # nothing of the file it names is read


@pytest.mark.parametrize(
    "theme, line, words",
    [
        ("theme:\n  name: material\n  custom_dir: nope\n", 3, "« nope » n'est pas un dossier du projet"),
        ("theme:\n  name: material\n  custom_dir: /\n", 3, "« / » est hors du dossier du projet"),
        ("theme:\n  name: material\n  custom_dir: ../..\n", 3, "« ../.. » est hors du dossier du projet"),
        ("theme:\n  name: mkdocs\n", 2, "'theme.name' : « mkdocs » n'est pas pris en charge"),
        ("theme: material\n", 1, "'theme' doit être des réglages 'clé: valeur'"),
    ],
)
def test_the_theme_is_checked(tmp_path, theme, line, words):
    config, report = load(tmp_path, theme + HEAD)
    assert config is None
    found_line, message = only_error(report)
    assert found_line == line and words in message, message


@pytest.mark.parametrize(
    "hooks, line",
    [("hooks: hooks.py\n", 1), ("hooks:\n  - nope.py\n", 2), ("hooks:\n  - hooks.py\n  - /etc/passwd\n", 3)],
)
def test_hooks_are_python_files_of_the_project(tmp_path, hooks, line):
    (tmp_path / "hooks.py").write_text("", encoding="utf-8")
    config, report = load(tmp_path, hooks + HEAD)
    assert config is None
    found_line, message = only_error(report)
    assert found_line == line and message.startswith("'hooks'") and "fichier" in message and "Python" in message, (
        message
    )


def test_a_hook_of_the_project_passes(tmp_path):
    (tmp_path / "hooks.py").write_text("", encoding="utf-8")
    config, report = load(tmp_path, "hooks: [hooks.py]\n" + HEAD)
    assert config is not None, [p.format() for p in report.errors]


@pytest.mark.parametrize(
    "setting, line",
    [
        ("extra_css:\n  - 'a.css\"><script>alert(1)</script>'\n", 2),
        ("extra_javascript:\n  - javascript:alert(1)\n", 2),
        ("extra_javascript:\n  - path: 'x\" onload=\"alert(1)'\n    defer: true\n", 2),
        ("extra_css: a.css\n", 1),
        ("theme:\n  name: material\n  logo: 'x\"><script>alert(1)</script>.png'\n", 3),
        ("theme:\n  name: material\n  favicon: data:image/png,x\n", 3),
    ],
)
def test_files_the_theme_links_to_are_paths(tmp_path, setting, line):
    config, report = load(tmp_path, setting + HEAD)
    assert config is None
    found_line, message = only_error(report)
    assert found_line == line, message


def test_the_demo_files_the_theme_links_to_pass(tmp_path):
    text = "extra_css: [assets/portal.css]\nextra_javascript: [{path: a.js, defer: true}, https://x.example/b.js]\n"
    config, report = load(tmp_path, text + "theme:\n  name: material\n  logo: assets/logo.png\n" + HEAD)
    assert config is not None, [p.format() for p in report.errors]


def test_custom_dir_inside_the_project_is_read(tmp_path):
    (tmp_path / "overrides").mkdir()
    config, report = load(tmp_path, "theme:\n  name: material\n  custom_dir: overrides\n" + HEAD)
    assert config is not None and config.custom_dir == tmp_path.resolve() / "overrides", report.problems


@pytest.mark.parametrize(
    "plugins, line, words",
    [
        ("plugins: 3\n", 2, "'plugins' doit être une liste de noms de plugins"),
        ("plugins: portal\n", 2, "'plugins' doit être une liste de noms de plugins"),
        ("plugins:\n  - portal\n  - 3\n", 4, "n'est pas un nom de plugin"),
        ("plugins:\n  - portal\n  - [a]\n", 4, "n'est pas un nom de plugin"),
        ("plugins:\n  - portal\n  - nope\n", 4, "le plugin « nope » n'est pas installé"),
        ("plugins:\n  - portal\n  - serach\n", 4, "Vouliez-vous dire 'search' ?"),
        ("plugins:\n  - portal\n  - nope:\n      a: 1\n", 4, "le plugin « nope » n'est pas installé"),
        ("plugins:\n  portal: {}\n  nope: {}\n", 4, "le plugin « nope » n'est pas installé"),
        ("plugins:\n  - portal: 3\n", 3, "les options du plugin « portal » doivent être des réglages"),
        ("plugins:\n  - portal\n  - portal\n", 4, "le plugin « portal » est listé deux fois"),
    ],
)
def test_plugins_are_checked(tmp_path, plugins, line, words):
    config, report = load(tmp_path, "site_name: Test\n" + plugins)
    assert config is None
    assert any(p.line == line and words in p.message for p in report.errors), [p.format() for p in report.errors]


@pytest.mark.parametrize("plugins", ["[portal, tags]", "[portal, material/tags]", "{portal: {}, search: {}}"])
def test_installed_plugins_pass(tmp_path, plugins):
    # 'tags' is the theme's 'material/tags', as MkDocs finds it
    config, report = load(tmp_path, f"site_name: Test\nplugins: {plugins}\n")
    assert config is not None and not report.errors, [p.format() for p in report.errors]


def test_plugins_3_is_an_error_at_its_line_not_an_internal_error(tmp_path, capsys):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\nplugins: 3\n", encoding="utf-8")
    code = main(["check", "--config", str(config), "--directory", str(MINIMAL), "--today", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 1 and "internal error" not in err
    assert "mkdocs.yml:2: erreur : 'plugins' doit être une liste de noms de plugins" in err


@pytest.mark.parametrize("name", ["site_description", "site_author", "repo_name", "copyright"])
def test_page_texts_are_text(tmp_path, name):
    config, report = load(tmp_path, f"site_name: Test\n{name}: [a, b]\n" + HEAD[16:])
    assert config is None
    assert only_error(report) == (2, f"'{name}' doit être du texte")


def test_the_demo_configuration_passes():
    report = Report()
    assert load_config(ROOT / "mkdocs.yml", report) is not None
    assert not report.problems, [p.format() for p in report.problems]


# --- hand-written pages where the generator writes ------------------------------------------------


def _project(tmp_path: Path, pages: dict[str, str]) -> Path:
    config = project_config(tmp_path / "project")
    for path, text in pages.items():
        target = tmp_path / "project" / "content" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return config.config_file


@pytest.mark.parametrize(
    "path, words",
    [
        ("fr/services/msp-villebourg.md", "la page de « msp-villebourg » (services/msp-villebourg.md)"),
        ("fr/dispositifs/css.md", "la page de « css »"),
        ("fr/index.md", "une page du site (index.md)"),
        ("fr/carte/index.md", "une page du site (carte/index.md)"),
        ("fr/parcours/sans-medecin/index.md", "une page du parcours « sans-medecin »"),
        ("fr/communes/villebourg.md", "une page de la commune « villebourg »"),
    ],
)
def test_a_hand_written_page_that_collides_is_reported_by_check(tmp_path, path, words):
    pages = {"fr/a-propos.md": "# À propos\n", path: "# Mine\n"}
    project = load_project(_project(tmp_path, pages), directory=MINIMAL, today=TODAY)
    assert project.directory is None
    [problem] = project.report.errors
    assert problem.path == tmp_path / "project" / "content" / path, problem.format()
    assert words in problem.message and "renommez le fichier ou déplacez-le" in problem.message


def test_check_reports_the_collision_at_the_page(tmp_path):
    config = _project(tmp_path, {"fr/services/msp-villebourg.md": "# Mine\n"})
    result = run_cli("check", "--config", str(config), "--directory", str(MINIMAL), "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "content/fr/services/msp-villebourg.md:1: erreur : cette page écrite à la main remplacerait" in result.stderr


def test_pages_that_collide_with_nothing_pass(tmp_path):
    pages = {"fr/a-propos.md": "# À propos\n", "fr/services/autre.md": "# Autre\n", "fr/guides/carte.md": "# C\n"}
    project = load_project(_project(tmp_path, pages), directory=MINIMAL, today=TODAY)
    assert project.directory is not None, [p.format() for p in project.report.errors]


def test_the_collision_check_knows_every_generated_file():
    # The check works the paths out from the routes, without rendering: it must claim
    # every file a build really writes (the demo's hand-written pages it must not).
    config = demo_config(directory=MINIMAL)
    directory = load_directory(MINIMAL)
    written = [path for path, _text in iter_language(render_context(config, directory, "fr"))]
    assert len(written) > 30
    assert [path for path in written if generated_path(directory, path) is None] == []
    demo = load_directory(ROOT / "directory")
    for page in (ROOT / "content" / "fr").rglob("*"):
        assert generated_path(demo, page.relative_to(ROOT / "content" / "fr").as_posix()) is None


# --- the web editor never writes mkdocs.yml -------------------------------------------------------


def test_the_editor_cannot_reach_mkdocs_yml(tmp_path):
    shutil.copytree(MINIMAL, tmp_path / "directory")
    config_file = project_config(tmp_path).config_file
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["plugins"][0]["portal"].update(directory="directory", editor={"enabled": True})
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    decap, _shapes = cms_config(demo_config(config_file), load_directory(MINIMAL))
    root = tmp_path.resolve()
    folders = [root / c["folder"] for c in decap["collections"]] + [root / decap["media_folder"]]
    for folder in folders:
        written = Path(os.path.normpath(folder))
        # inside the repository, strictly below mkdocs.yml's folder: no file name it makes is mkdocs.yml
        assert written.is_relative_to(root) and written != root, folder
        assert written / "mkdocs.yml" != config_file.resolve()
    assert all(c["extension"] == "yml" and c["delete"] is False for c in decap["collections"])


@pytest.mark.parametrize("option", ["directory", "content"])
def test_the_editor_is_refused_with_folders_outside_the_project(tmp_path, option):
    # /p/services/mkdocs.yml with 'directory: ..': the services collection would be mkdocs.yml's folder.
    project = tmp_path / "services"
    project.mkdir()
    text = HEAD + f"      {option}: ..\n      editor:\n        enabled: true\n"
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    report = Report()
    assert load_config(project / "mkdocs.yml", report) is None
    line, message = only_error(report)
    assert line == 5 and f"option '{option}' du plugin portal : « .. » est hors du dossier du projet" in message
    assert "jamais dans mkdocs.yml" in message


# --- hostile values are escaped wherever the theme writes them -------------------------------------


@pytest.mark.build
def test_hostile_settings_never_reach_the_pages_as_markup(tmp_path):
    config = project_config(tmp_path / "project")
    settings = yaml.safe_load(config.config_file.read_text(encoding="utf-8"))
    settings.update(site_name=f"Santé {HOSTILE}", site_description=HOSTILE, site_author=HOSTILE)
    config.config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    page = tmp_path / "project" / "content" / "fr" / "a-propos.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"---\ndescription: '{HOSTILE}'\nauthor: '{HOSTILE}'\n---\n\n# À propos\n", encoding="utf-8")
    checked = Report()
    loaded = load_config(config.config_file, checked)
    assert loaded is not None, [p.format() for p in checked.problems]
    config = loaded
    # MkDocs writes site_url's path raw on the 404 page: the settings cannot hold a hostile one at all.
    with pytest.raises(ValueError, match="contient une espace, un guillemet, un chevron"):
        replace(config.site, url=f"https://x.example/{HOSTILE}/")
    with pytest.raises(ValueError):
        config.with_site_url("javascript:alert(1)//")
    config = config.with_site_url("https://x.example/a&b/")
    site = tmp_path / "site"
    build_site(config, load_directory(MINIMAL), site)
    found = subprocess.run(
        ["grep", "-rl", "--include=*.html", "--include=*.xml", "<script>alert", str(site)],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 1, found.stdout  # grep finds nothing
    about = (site / "fr" / "a-propos" / "index.html").read_text(encoding="utf-8")
    escaped = "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f'<meta name="description" content="{escaped}">' in about
    assert f'<meta name="author" content="{escaped}">' in about
    home = (site / "fr" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://x.example/a&amp;b/fr/">' in home
    assert f"Santé {escaped}" in home
