"""`check` speaks French to the coordinators who keep the records.

They are French municipal staff, not developers: every line of the report is in
plain French (file and line, what is wrong, what to write instead). These tests
run `check` on files with many kinds of mistakes and look for the English words
the old messages were made of, outside the values a message quotes (a key, a
value of the file, the parser's own words are the file's, not the message's).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import BROKEN, MINIMAL, ROOT, TODAY, run_cli

#: Words of the old English messages; none is a French word.
ENGLISH = re.compile(
    r"\b(?:the|is|are|not|expected|should|must|did you mean|missing|with|and|or|only|found|give|write|"
    r"remove|use|like|of|to|it|this|error|warning|ignored|unknown|allowed|nothing|checked|records?)\b"
)


#: What a message quotes: « a value », 'a key or an example', "a text", `a command` (not the apostrophe of l'id).
QUOTED = re.compile(r"«[^»]*»|(?<!\w)'[^'\n]*?'(?!\w)|\"[^\"\n]*\"|`[^`]*`")


def _english(lines: list[str]) -> list[str]:
    """The lines whose words, quoted values left out, include English ones."""
    return [line for line in lines if ENGLISH.search(QUOTED.sub("…", line).lower())]


def _report(result_stderr: str, root: Path) -> list[str]:
    """The messages of a text report (after `path:line: severity :`), and its last line."""
    lines = result_stderr.strip().splitlines()
    messages = [line.split(" : ", 1)[1] for line in lines if re.search(r": (?:erreur|avertissement) : ", line)]
    assert len(messages) == len(lines) - 1, "\n".join(lines)  # every line but the summary is a problem
    return [*messages, lines[-1]]


def test_the_records_check_speaks_french():
    # tests/fixtures/broken: a file for each rule of the records (YAML syntax, types, references,
    # opening hours, pathways, characters, files and folders), more than 90 problems in all.
    result = run_cli("check", "--directory", str(BROKEN), "--today", TODAY.isoformat())
    assert result.returncode == 1 and "Traceback" not in result.stderr
    messages = _report(result.stderr, BROKEN)
    assert len(messages) > 90
    assert _english(messages) == []
    assert re.fullmatch(r"\d+ erreurs, \d+ avertissements\.", messages[-1])


def test_the_configuration_and_pages_check_speaks_french(tmp_path):
    # mkdocs.yml: an unknown option, a wrong type in a sub-option, a bad address, an unknown language,
    # the theme's search; then hand-written pages: a script link, a page that is not UTF-8.
    shutil.copytree(MINIMAL, tmp_path / "directory")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Test\n"
        "site_url: 'javascript:alert(1)'\n"
        "theme: {name: material}\n"
        "plugins:\n"
        "  - search\n"
        "  - portal:\n"
        "      languages: [fr, xx-yy-zz]\n"
        "      lnguages: [fr]\n"
        "      map: {list_limit: beaucoup}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "--config", str(config), "--today", TODAY.isoformat())
    assert result.returncode == 1
    messages = _report(result.stderr, tmp_path)
    assert len(messages) >= 5
    assert _english(messages) == []

    config.write_text("site_name: Test\ntheme: {name: material}\nplugins: [portal]\n", encoding="utf-8")
    pages = tmp_path / "content" / "fr"
    pages.mkdir(parents=True)
    (pages / "index.md").write_text("# Accueil\n\n[Cliquez](javascript:alert(1))\n", encoding="utf-8")
    (pages / "latin1.md").write_bytes("# Accès\n\nCafé\n".encode("latin-1"))
    result = run_cli("check", "--config", str(config), "--today", TODAY.isoformat())
    assert result.returncode == 1
    messages = _report(result.stderr, tmp_path)
    assert len(messages) >= 3
    assert _english(messages) == []


def test_the_demo_checks_clean_in_french():
    result = run_cli("check", "--today", TODAY.isoformat(), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "Fiches vérifiées : " in result.stdout
    assert _english(result.stderr.strip().splitlines()) == []
