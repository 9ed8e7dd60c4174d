"""Long record texts are Markdown: headings, lists and lines on the pages, data everywhere.

The description below is written the way data·inclusion's producers write theirs
(its `description` is CommonMark): a `###` heading, a list right under a sentence,
lines cut by a single newline; plus what a hostile import would try.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import routes
from generator.campaign import campaign_files, contacts, select
from generator.config import SiteSettings
from generator.opendata import data_files
from generator.records.types import LocalizedText
from generator.render import headings, richtext
from generator.render.ical import ical_files
from generator.render.pages.listings import home_page
from generator.render.pages.records import permanence_page, service_page
from generator.site.region import region_page

from helpers import MINIMAL, TODAY, body, context, load_directory, render_one, visible_text

SID, PID = "msp-villebourg", "cpam-le-hameau"

DESCRIPTION = (
    "### Objectif de la formation\n"
    "\n"
    "Cet atelier permet :\n"
    "- l'acquisition des bases du numérique ;\n"
    "- la connaissance des démarches en ligne.\n"
    "\n"
    "# Modalités\n"
    "\n"
    "Sur inscription\n"
    "au **01 99 00 00 01**\n"
    "\n"
    '<script>alert(1)</script> <img src=x onerror=alert(2)> <a href="vbscript:alert(3)">ici</a>\n'
    "\n"
    "[ameli](https://www.ameli.fr/) [appeler](tel:+33199000001) [écrire](mailto:accueil@example.org) "
    "[piège](javascript:alert(4)) [page](autre.md) ![plan](https://tiers.example/plan.png)\n"
)


@pytest.fixture(scope="module")
def territory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal territory, its service, permanence and territory described in Markdown (French only)."""
    folder = tmp_path_factory.mktemp("markdown") / "directory"
    shutil.copytree(MINIMAL, folder)
    for path in (
        folder / "services" / f"{SID}.yml",
        folder / "permanences" / f"{PID}.yml",
        folder / "territory.yml",
    ):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["description"] = DESCRIPTION
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def directory(territory: Path):
    return load_directory(territory, TODAY)


def _text_block(page: str) -> str:
    """The description's HTML on a record page."""
    return re.search(r'<div class="portal-text"[^>]*>(.*?)</div>', page, re.S).group(1)  # type: ignore[union-attr]


def _headings(page: str) -> list[tuple[int, str]]:
    return [(int(level), visible_text(inner)) for level, inner in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", page, re.S)]


def test_headings_go_under_the_section_they_sit_in(directory):
    page = body(render_one(context(directory, "fr"), service_page, SID))
    found = _headings(page)
    assert [level for level, _ in found].count(1) == 1  # the page's name only
    section = next(index for index, (_, text) in enumerate(found) if text == "Ce que propose ce lieu")
    assert found[section][0] == 2
    # '###' then '#': both one level under the h2, never an h1 nor a skipped level
    assert found[section + 1 : section + 3] == [(3, "Objectif de la formation"), (3, "Modalités")]


@pytest.mark.parametrize(
    ("text", "under", "levels"),
    [
        ("# A\n\n## B\n\n### C", 2, [3, 4, 5]),
        ("### A\n\n##### B\n\n# C", 2, [3, 4, 3]),  # no level skipped, the first heading just under
        ("## A\n\n#### B\n\n### C", 1, [2, 3, 3]),
        ("A\n===\n\nB\n---", 2, [3, 4]),  # underlined headings too
        ("# A\n\n## B\n\n### C", 5, [6, 6, 6]),  # HTML stops at h6
    ],
)
def test_heading_levels_follow_each_other(text, under, levels):
    assert [int(level) for level in re.findall(r"<h(\d)>", richtext.html(text, under))] == levels


def test_a_list_under_a_sentence_and_single_line_breaks_are_kept(directory):
    block = _text_block(body(render_one(context(directory, "fr"), service_page, SID)))
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    assert items == ["l'acquisition des bases du numérique ;", "la connaissance des démarches en ligne."]
    assert "<p>Cet atelier permet :</p>" in block
    assert "<p>Sur inscription<br>\nau <strong>01 99 00 00 01</strong></p>" in block


def test_raw_html_in_a_record_is_shown_as_text(directory):
    block = _text_block(body(render_one(context(directory, "fr"), service_page, SID)))
    assert "<script" not in block and "<img" not in block and 'vbscript:alert(3)">' not in block
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt;" in block
    assert '<a href="vbscript' not in block
    assert "&lt;a href=&quot;vbscript:alert(3)&quot;&gt;ici&lt;/a&gt;" in block


def test_only_web_phone_and_mail_links_are_live(directory):
    block = _text_block(body(render_one(context(directory, "fr"), service_page, SID)))
    assert re.findall(r'<a href="([^"]*)">', block) == [
        "https://www.ameli.fr/",
        "tel:+33199000001",
        "mailto:accueil@example.org",
        "https://tiers.example/plan.png",  # a picture is never loaded from a record: a link to it
    ]
    text = visible_text(block)
    assert "[piège](javascript:alert(4))" in text and "[page](autre.md)" in text
    assert "plan" in text and "<img" not in block


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox)",
        "[x](file:///etc/passwd)",
        "[x](//evil.example/)",
        "[x](/relative)",
        "<javascript:alert(1)>",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![x](data:image/png;base64,AAAA)",
    ],
)
def test_a_link_that_is_not_web_phone_or_mail_stays_text(link):
    assert "<a " not in richtext.html(link, 2) and "<img" not in richtext.html(link, 2)


def _names(token: dict[str, Any]) -> list[str]:
    return [token["name"], *(name for child in token["children"] for name in _names(child))]


def test_french_text_on_an_arabic_page_is_marked_and_counted(directory):
    ctx = context(directory, "ar")
    page = render_one(ctx, service_page, SID)
    assert '<div class="portal-text" lang="fr" dir="ltr">' in page
    assert "portal_fallback: true" in page.split("---\n", 2)[1]
    # the table of contents, made from the headings, says they are French too
    names = [name for token in headings.toc_tokens(body(page)) for name in _names(token)]
    assert '<span lang="fr" dir="ltr">Objectif de la formation</span>' in names
    assert '<span lang="fr" dir="ltr">Modalités</span>' in names


def test_plain_text_places_show_no_markdown(directory):
    ctx = context(directory, "fr", url="https://portail.example.org/")
    # what was a heading, bold or a live link (a link refused stays as written, as on the page)
    syntax = re.compile(r"#|\*\*|\]\(https|\]\(tel|\]\(mailto|!\[|^- ", re.M)
    # the home page's meta description, on one line
    home = render_one(ctx, home_page)
    meta = html.unescape(yaml.safe_load(home.split("---\n", 2)[1])["description"])
    assert meta.startswith("Objectif de la formation. Cet atelier permet : l'acquisition des bases du numérique ;")
    assert not syntax.search(meta) and "\n" not in meta
    # JSON-LD
    for page in (render_one(ctx, service_page, SID), render_one(ctx, permanence_page, PID)):
        linked = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)  # type: ignore[union-attr]
        description = json.loads(linked)["description"]
        assert "• l'acquisition des bases du numérique ;" in description
        assert "Sur inscription\nau 01 99 00 00 01" in description
        assert "ameli (https://www.ameli.fr/)" in description
        assert not syntax.search(description)
    # the calendar
    calendar = ical_files(ctx)[f"permanences/{PID}.ics"].replace("\r\n ", "")
    assert "Objectif de la formation\\n\\nCet atelier permet :\\n• l'acquisition" in calendar
    assert "###" not in calendar and "**" not in calendar
    # the verification campaign's message: one line each, as the page shows them
    files = campaign_files(directory, SiteSettings(name="Test"), contacts(directory, select(directory)))
    parser = BytesParser(policy=policy.default)
    messages = [parser.parsebytes(data) for name, data in files.files.items() if name.endswith(".eml")]
    text = "\n".join(m.get_body(("plain",)).get_content() for m in messages).replace("\r\n", "\n")  # type: ignore[union-attr]
    assert "- Objectif de la formation\n- Cet atelier permet :\n- l'acquisition des bases du numérique ;" in text
    assert "###" not in text and "**" not in text


def test_plain_text_keeps_the_reading_of_the_page():
    assert richtext.plain("1. un\n2. deux\n   - sous-point\n\nFin.") == "1. un\n2. deux\n  • sous-point\n\nFin."
    assert richtext.one_line("## Horaires\n\n- lundi\n- mardi") == "Horaires. lundi. mardi."
    assert richtext.plain("[écrire](mailto:a@example.org), [ameli](https://ameli.fr)") == (
        "écrire (a@example.org), ameli (https://ameli.fr)"
    )


def test_exports_keep_the_text_as_written(directory):
    files = data_files(directory, base_url=None)
    services = json.loads(files[routes.DATA_INCLUSION_SERVICES])
    assert {s["description"] for s in services if s["id"].endswith(SID)} == {DESCRIPTION.strip()} or {
        s["description"] for s in services if s["id"].endswith(SID)
    } == {DESCRIPTION}


def test_the_regional_page_reads_the_description_as_markdown():
    description = LocalizedText({"fr": "# Qui sommes-nous\n\n- un\n- deux <b>x</b>"})
    page = region_page("Région", description, "ar", [("35", ["fr"])])
    assert '<div lang="fr" dir="ltr"><h2>Qui sommes-nous</h2>' in page
    assert "<li>deux &lt;b&gt;x&lt;/b&gt;</li>" in page and page.count("<h1>") == 1
