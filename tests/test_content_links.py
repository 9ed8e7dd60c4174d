"""Hand-written pages under the records' rules: only http(s), tel, mailto and relative links, UTF-8 text.

`check` reports the rest at file and line; the build takes off what got through
and stops, naming the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.pipeline import load_project
from generator.site.build import BuildError, build_site
from generator.site.links import allowed, links_to_refuse, without_refused
from generator.site.plugin import PortalPlugin

from helpers import MINIMAL, ROOT, TODAY, demo_config, load_directory, project_config, run_cli, to_html

PAGE = """---
title: À propos
---

# À propos

Écrivez-nous : [courriel](mailto:contact@example.org), [téléphone](tel:+33199000001),
[ameli](https://www.ameli.fr/), [nos guides](guides/index.md), [plus bas](#contact).

Un [piège](javascript:alert(1)) dans la phrase.

<p>Et <a href="vbscript:msgbox(1)">un autre</a>.</p>

<div markdown>

[Dans un bloc](data:text/html;base64,PHNjcmlwdD4=)

</div>

Voir [la note][note] et <javascript:alert(2)>, ![image](javascript:alert(3)) et [ailleurs](//evil.example/).

[note]: JaVaScRiPt:alert(4)
"""

#: (line, address) of each link `check` must report in PAGE.
REFUSED = [
    (10, "javascript:alert(1)"),
    (12, "vbscript:msgbox(1)"),
    (16, "data:text/html;base64,PHNjcmlwdD4="),
    (20, "JaVaScRiPt:alert(4)"),  # the reference's address, where it is used
    (20, "javascript:alert(2)"),
    (20, "javascript:alert(3)"),
    (20, "//evil.example/"),
]


def _project(tmp_path: Path, pages: dict[str, bytes]) -> Path:
    """A project of the minimal territory whose French hand-written pages are `pages`."""
    content = tmp_path / "content"
    for name, data in pages.items():
        (content / "fr" / name).parent.mkdir(parents=True, exist_ok=True)
        (content / "fr" / name).write_bytes(data)
    return project_config(tmp_path / "project", content=content).config_file


def _problems(config_file: Path) -> list[tuple[str, int, str]]:
    project = load_project(config_file, directory=MINIMAL, today=TODAY)
    return [(p.path.name, p.line, p.message) for p in project.report.errors]


def test_check_reports_each_link_that_is_not_allowed_at_its_line(tmp_path):
    problems = _problems(_project(tmp_path, {"a-propos.md": PAGE.encode()}))
    assert sorted((name, line, message.split(" » : ")[0]) for name, line, message in problems) == sorted(
        ("a-propos.md", line, f"lien vers « {url}") for line, url in REFUSED
    )
    assert all("seuls les liens https://, http://, tel: et mailto:" in message for *_, message in problems)


def test_links_that_are_allowed_are_not_reported():
    page = (
        "[a](https://a.example/x?y=1#z) [b](http://b.example) [c](tel:3646) [d](mailto:d@example.org)\n"
        "[e](autre.md) [f](../guides/) [g](#ancre) [h](?q=1) ![i](images/plan.png)\n"
        '<a href="guides/index.md">j</a> <img src="plan.png" alt="">\n'
    )
    assert links_to_refuse(page) == []


@pytest.mark.parametrize(
    "url",
    [
        *["javascript:x", " javascript:x", "java\tscript:x", "\x00javascript:x", "VBSCRIPT:x", "data:,x"],
        *["file:///x", "//evil.example", "\\\\evil.example", "/\\evil.example", "ftp://x.example", "page:1"],
    ],
)
def test_an_address_with_another_scheme_or_host_is_not_allowed(url):
    assert not allowed(url)


def test_a_message_cannot_start_a_line_of_its_own():
    [refused] = links_to_refuse('<a href="javascript:x&#10;::error file=a.md::forged">x</a>\n')
    assert "\n" not in refused.message() and "\\x0a::error" in refused.message()


def test_the_built_html_keeps_no_such_link():
    converted = to_html(PAGE.split("---\n", 2)[2])  # what MkDocs' Markdown makes of the page
    assert 'href="javascript:alert(1)"' in converted and 'href="vbscript:msgbox(1)"' in converted
    kept, refused = without_refused(converted)
    for attribute in ('href="javascript:', 'href="vbscript:', 'href="data:', 'src="javascript:', 'href="//'):
        assert attribute not in kept.lower()
    # Python-Markdown makes no autolink of '<javascript:alert(2)>' (an unknown tag, not a link)
    assert sorted(refused) == sorted(url for _line, url in REFUSED if url != "javascript:alert(2)")
    assert '<a href="mailto:contact@example.org">courriel</a>' in kept
    assert '<a href="guides/index.md">nos guides</a>' in kept and '<a href="#contact">plus bas</a>' in kept
    assert "<a>piège</a>" in kept  # the words stay, the link goes


def test_only_the_refused_address_is_taken_off():
    page = (
        '<p title="a&amp;b">AT&T <a class="x" href="javascript:alert(1)" id=y>mot</a><br/>\n'
        '<IMG SRC=\'javascript:x\' alt="é"/><a href="https://ok.example">ok</a></p>'
    )
    kept, refused = without_refused(page)
    assert kept == (
        '<p title="a&amp;b">AT&T <a class="x" id="y">mot</a><br/>\n'
        '<img alt="é" /><a href="https://ok.example">ok</a></p>'
    )
    assert refused == ["javascript:alert(1)", "javascript:x"]


def test_the_plugin_takes_them_off_hand_written_pages_only():
    plugin = PortalPlugin()
    page = SimpleNamespace(meta={}, file=SimpleNamespace(src_uri="a-propos.md"))
    html = '<p><a href="javascript:alert(1)">x</a> <a href="https://ok.example/">y</a></p>'
    out = plugin.on_page_content(html, page=page, config=None, files=None)  # type: ignore[arg-type]
    assert out == '<p><a>x</a> <a href="https://ok.example/">y</a></p>'


def test_a_page_that_is_not_utf8_is_an_error_at_its_path_and_line(tmp_path):
    latin1 = "# À propos\n\nAccès libre.\n".encode("latin-1")
    config_file = _project(tmp_path, {"a-propos.md": b"# Titre\n", "guides/acces.md": latin1})
    assert _problems(config_file) == [
        (
            "acces.md",
            1,
            "cette page n'est pas du texte UTF-8 (l'octet 0xC0 ne peut pas être lu) : enregistrez-la de nouveau "
            "en UTF-8 (dans la plupart des éditeurs : « Enregistrer sous », codage « UTF-8 »)",
        )
    ]
    for command in ("check", "build"):
        result = run_cli(
            command,
            "--config",
            str(config_file),
            "--directory",
            str(MINIMAL),
            "--today",
            TODAY.isoformat(),
            cwd=tmp_path,
        )
        assert result.returncode == 1, result.stderr
        assert "internal error" not in result.stderr and "Traceback" not in result.stderr
        assert "acces.md:1: erreur : cette page n'est pas du texte UTF-8" in result.stderr + result.stdout


@pytest.mark.build
def test_a_link_that_got_past_check_stops_the_build_with_the_page_name(tmp_path, minimal):
    project = tmp_path / "project"
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "content" / "fr").mkdir(parents=True)
    # one line of HTML holding Markdown: Python-Markdown reads the link, markdown-it does not
    page = project / "content" / "fr" / "a-propos.md"
    page.write_text('# À propos\n\n<div markdown="1">[piège](javascript:alert(1))</div>\n', encoding="utf-8")
    site = tmp_path / "site"
    with pytest.raises(BuildError, match=r"a-propos\.md.*javascript:alert\(1\).*n'est pas permis"):
        build_site(demo_config(project / "mkdocs.yml", minimal), load_directory(minimal), site)
    assert not site.exists()
