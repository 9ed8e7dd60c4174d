""" "Report an error or a change": the link's address, its setting in mkdocs.yml, the pages that show it."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from generator import routes
from generator.config import CorrectionSettings, load_config
from generator.problems import Report
from generator.quality import html_pages, third_party_references
from generator.render import Localizer, page_file
from generator.render.corrections import MAX_LENGTH, Subject, Wording, correction_href, message, wording
from generator.render.pages.records import service_page
from generator.render.pages.statements import privacy_page

from helpers import (
    DEMO_LANGUAGES,
    DEMO_SITE_URL,
    MINIMAL,
    ROOT,
    context,
    found,
    load_directory,
    render_pages,
)

EMAIL = CorrectionSettings(email="corrections@example.org")
GITHUB = CorrectionSettings(url="https://github.com/ORG/REPO/issues/new?title={title}&body={body}")
GITLAB = CorrectionSettings(
    url="https://gitlab.com/GROUP/PROJECT/-/issues/new?issue[title]={title}&issue[description]={body}"
)
VERIFIED = dt.date(2026, 10, 1)
PAGE = "https://sante.example.org/fr/services/msp-redon/"
#: What may stand in a link once encoded: no space, quote, angle bracket, line break or raw non-ASCII.
ENCODED = re.compile(r"^[A-Za-z0-9%._~\-:/?=&@\[\]]+$")
#: The correction link of a generated or built page.
LINK = re.compile(r'<a class="portal-correction__link" href="([^"]*)">')


def wording_in(language: str, verified: dt.date | None = VERIFIED) -> Wording:
    return wording(Localizer(language), verified)


def subject(name: str = "Maison de santé", language: str = "fr", **changes) -> Subject:
    return replace(Subject("service", "msp-redon", name, PAGE, VERIFIED, language), **changes)


def mail_parts(href: str) -> tuple[str, str, str]:
    """The address, subject and body of a mailto: link, decoded."""
    assert href.startswith("mailto:"), href
    address, _, query = href[len("mailto:") :].partition("?")
    fields = parse_qs(query, keep_blank_values=True, strict_parsing=True)
    return unquote(address), fields["subject"][0], fields["body"][0]


# --- the address (fast) ----------------------------------------------------------------------


@pytest.mark.parametrize("language", DEMO_LANGUAGES)
def test_mailto_is_written_in_the_readers_language(language):
    wording = wording_in(language)
    href = correction_href(EMAIL, subject(language=language), wording)
    address, title, body = mail_parts(href)
    assert address == "corrections@example.org"
    assert title == wording.title % {"name": "Maison de santé", "id": "msp-redon"}
    lines = body.split("\r\n")
    assert lines[:3] == [
        wording.id_line % {"id": "msp-redon"},
        wording.page_line % {"url": PAGE},
        wording.checked_line % {"date": Localizer(language).date(VERIFIED)},
    ]
    # the three questions, each followed by blank lines to answer in
    for question in wording.questions:
        at = lines.index(question)
        assert lines[at + 1 : at + 3] == ["", ""]
    assert ENCODED.match(href) and len(href) <= MAX_LENGTH
    assert "\n" not in body.replace("\r\n", "")  # RFC 6068: CRLF line breaks


def test_french_and_arabic_messages_are_really_translated():
    french, arabic = wording_in("fr"), wording_in("ar")
    assert french.title.startswith("Correction\u00a0:") and "facultatif" in french.questions[2]
    assert "اختياري" in arabic.questions[2] and arabic.title != french.title


@pytest.mark.parametrize(
    "name",
    [
        'Centre "Santé & Droits" <Redon>',
        "Permanence d'accès aux soins (PASS) #1 ? 100 % = gratuit",
        "مركز الصحة في ريدون",
        "Центр здоров'я + довідка",
    ],
)
@pytest.mark.parametrize("settings", [EMAIL, GITHUB, GITLAB], ids=["email", "github", "gitlab"])
def test_special_characters_are_percent_encoded_and_come_back_whole(settings, name):
    wording = wording_in("ar" if re.search("[\u0600-\u06ff]", name) else "fr")
    href = correction_href(settings, subject(name), wording)
    assert ENCODED.match(href), href
    title, body = message(subject(name), wording)
    if settings.email:
        _, got_title, got_body = mail_parts(href)
        assert (got_title, got_body) == (title, body.replace("\n", "\r\n"))
    else:
        fields = parse_qs(urlsplit(href).query, strict_parsing=True)
        prefix = "" if settings is GITHUB else "issue"
        got_title = fields[f"{prefix}[title]" if prefix else "title"][0]
        got_body = fields[f"{prefix}[description]" if prefix else "body"][0]
        assert (got_title, got_body) == (title, body)
    assert name in got_title


def test_forge_addresses_keep_their_own_part_and_fill_every_placeholder():
    template = (
        "https://forge.example.org/o/r/issues/new?title={title}&body={body}&labels=correction,{kind}"
        "&ref={id}&page={page}&checked={verified}&lang={lang}"
    )
    href = correction_href(CorrectionSettings(url=template), subject(language="fa-AF"), wording_in("fa-AF"))
    assert href.startswith("https://forge.example.org/o/r/issues/new?title=")
    fields = {key: values[0] for key, values in parse_qs(urlsplit(href).query).items()}
    assert fields["labels"] == "correction,service"
    assert (fields["ref"], fields["page"], fields["checked"], fields["lang"]) == (
        "msp-redon",
        PAGE,
        "2026-10-01",
        "fa-AF",
    )
    # GitHub's own example, in the README: the title and the body, nothing else
    github = correction_href(GITHUB, subject(), wording_in("fr"))
    assert set(parse_qs(urlsplit(github).query)) == {"title", "body"}


def test_a_booklet_has_no_checked_date():
    booklet = subject(kind="booklet", id="35236", name="Livret santé de Redon", verified=None)
    wording = wording_in("fr", verified=None)
    _, _, body = mail_parts(correction_href(EMAIL, booklet, wording))
    assert "35236" in body and "vérifiées" not in body
    href = correction_href(CorrectionSettings(url="https://f.example.org/new?t={title}&v={verified}"), booklet, wording)
    assert href.endswith("&v=")


@pytest.mark.parametrize("settings", [EMAIL, GITLAB], ids=["email", "gitlab"])
def test_a_very_long_name_is_shortened_to_keep_the_link_short(settings):
    long_name = "مركز صحي متعدد التخصصات " * 60  # 1,500 Arabic letters: ~9,000 characters encoded
    href = correction_href(settings, subject(long_name.strip(), language="ar"), wording_in("ar"))
    assert len(href) <= MAX_LENGTH
    title = mail_parts(href)[1] if settings.email else parse_qs(urlsplit(href).query)["issue[title]"][0]
    assert "…" in title and "msp-redon" in title and title.startswith("تصحيح: مركز صحي")


def test_a_page_is_said_by_its_path_without_site_url():
    assert routes.page_address(None, "ar", routes.service("x")) == "/ar/services/x/"
    assert routes.page_address(DEMO_SITE_URL, "ar", routes.service("x")) == DEMO_SITE_URL + "ar/services/x/"


# --- the setting in mkdocs.yml (fast) ------------------------------------------------------------

HEAD = "site_name: Test\nplugins:\n  - portal:\n      languages: [fr]\n"


def load(tmp_path: Path, corrections: str):
    config = tmp_path / "mkdocs.yml"
    config.write_text(HEAD + corrections, encoding="utf-8")
    report = Report()
    return load_config(config, report, MINIMAL), report


@pytest.mark.parametrize(
    "corrections, line, words",
    [
        ("      corrections: {}\n", 5, "donnez soit 'email'"),
        (
            "      corrections:\n        email: a@example.org\n        url: https://f.example.org/new?t={title}\n",
            5,
            "exactement l'un des deux",
        ),
        ("      corrections:\n        email: pas une adresse\n", 6, "n'est pas une adresse électronique valide"),
        ("      corrections:\n        email: a?cc=chef@example.org\n", 6, "n'est pas une adresse électronique valide"),
        (
            "      corrections:\n        url: javascript:alert(1)\n",
            6,
            "n'est pas une adresse web commençant par https://",
        ),
        (
            "      corrections:\n        url: http://github.com/o/r/issues/new?title={title}\n",
            6,
            "commençant par https://",
        ),
        ("      corrections:\n        url: https://github.com/o/r/issues/new\n", 6, "n'a aucun champ à remplacer"),
        (
            '      corrections:\n        url: "https://github.com/o/r/issues/new?title={titre}"\n',
            6,
            "un champ à remplacer inconnu : {titre}",
        ),
        (
            '      corrections:\n        url: "https://github.com/o/r/issues/new?title={title"\n',
            6,
            "une accolade reste ouverte",
        ),
        ('      corrections:\n        url: "https://{id}.example.org/new?t={title}"\n', 6, "dans le nom du site"),
        ('      corrections:\n        url: "https://f.example.org/new?t={title}&x=<b>"\n', 6, "https://"),
        (
            "      corrections:\n        mail: a@example.org\n",
            6,
            "'corrections.mail' du plugin portal : option inconnue",
        ),
        ("      corrections: corrections@example.org\n", 5, "corrections"),
    ],
)
def test_bad_settings_name_mkdocs_yml_and_their_line(tmp_path, corrections, line, words):
    config, report = load(tmp_path, corrections)
    assert config is None
    [problem] = report.errors
    assert problem.path.name == "mkdocs.yml" and problem.line == line, problem.format()
    assert words in problem.message
    assert problem.format().startswith(f"{problem.path}:{line}: erreur : option 'corrections")
    if "url" in corrections and "placeholder" in words:
        assert "{title} {body} {id} {kind} {page} {verified} {lang}" in problem.message  # what is expected


@pytest.mark.parametrize(
    "corrections, expected",
    [
        ("", None),
        ("      corrections:\n        email: corrections@example.org\n", EMAIL),
        (f'      corrections:\n        url: "{GITHUB.url}"\n', GITHUB),
        (f'      corrections:\n        url: "{GITLAB.url}"\n', GITLAB),
    ],
)
def test_good_settings_are_read(tmp_path, corrections, expected):
    config, report = load(tmp_path, corrections)
    assert config is not None, [p.format() for p in report.problems]
    assert config.site.corrections == expected


# --- pages (fast) ------------------------------------------------------------------------------------


def _record_and_booklet_pages(pages: dict[str, str]) -> dict[str, str]:
    kinds = ("services/", "permanences/", "dispositifs/", "imprimer/")
    return {
        path: text
        for path, text in pages.items()
        if path.startswith(kinds) and path.endswith(".md") and not path.endswith("/index.md")
    }


def test_without_the_setting_no_page_has_the_link():
    pages = render_pages(load_directory(MINIMAL), "fr", url=DEMO_SITE_URL)
    assert not [path for path, text in pages.items() if "portal-correction" in text]


def test_with_the_setting_every_record_page_and_booklet_has_one_link():
    directory = load_directory(MINIMAL)
    pages = render_pages(directory, "ar", url=None, corrections=GITLAB)
    shown = _record_and_booklet_pages(pages)
    expected = len(directory.services) + len(directory.permanences) + len(directory.dispositifs)
    assert len(shown) == expected + len(directory.communes)
    for path, text in shown.items():
        [href] = LINK.findall(text)
        href = html.unescape(href)  # the template escapes the address: & is &amp; in the page
        fields = parse_qs(urlsplit(href).query)
        assert "/ar/" + routes.folder_url(path) in fields["issue[description]"][0]
        note = found(r'<p class="portal-correction__note">(.*?)</p>', text).group(1)
        assert '<span dir="ltr">gitlab.com</span>' in note and "لا يحتفظ" in note
    others = set(pages) - set(shown)
    assert not [path for path in others if "portal-correction" in pages[path]]


def test_the_address_is_escaped_in_the_page():
    directory = load_directory(MINIMAL)
    ctx = context(directory, "fr", url=DEMO_SITE_URL, corrections=EMAIL)
    sid = next(iter(directory.services))
    text = page_file(ctx, ctx.page(service_page, sid))
    raw = found(LINK, text).group(1)
    assert "&amp;body=" in raw and "&body=" not in raw.replace("&amp;", "")
    assert ">Signaler une erreur ou un changement</a>" in text


def test_the_link_is_not_printed():
    css = (ROOT / "overrides" / "assets" / "stylesheets" / "portal.css").read_text(encoding="utf-8")
    printing = css[css.index("@media print") :]
    hidden = printing[: printing.index("display: none !important")]  # the first rule on paper: what is hidden
    assert ".portal-correction," in hidden
    # a tap target of at least 24 px on screen (WCAG 2.5.8)
    assert re.search(r"a\.portal-correction__link \{[^}]*min-height: 24px", css)


# --- the built demo (build) ---------------------------------------------------------------------------


@pytest.mark.build
def test_every_record_page_of_the_demo_has_the_link_in_every_language(demo_site, demo_directory):
    records = [
        *((routes.service(sid), sid) for sid in demo_directory.services),
        *((routes.permanence(pid), pid) for pid in demo_directory.permanences),
        *((routes.dispositif(did), did) for did in demo_directory.dispositifs),
        *((routes.booklet(slug), insee) for insee, slug in demo_directory.commune_slugs.items()),
    ]
    checked = []
    for language in DEMO_LANGUAGES:
        for path, rid in records:
            page = demo_site / language / routes.folder_url(path) / "index.html"
            text = page.read_text(encoding="utf-8")
            box = found(r'<div class="portal-correction"[^>]*>(.*?)</div>', text, re.S).group(1)
            [href] = LINK.findall(box)
            address, title, body = mail_parts(html.unescape(href))
            assert address == "corrections@example.org"
            assert rid in title and rid in body, (language, path)
            assert routes.public_url(DEMO_SITE_URL, language, path) in body, (language, path)
            assert len(html.unescape(href)) <= MAX_LENGTH
            # the one link of the box; nothing in it loads anything
            assert re.findall(r'(?:href|src)="', box) == ['href="'], (language, path)
            checked.append(page)
    assert len(checked) == len(DEMO_LANGUAGES) * len(records)
    # a mailto: link is not a load: the privacy gate still finds nothing on these pages
    pages = [p for p in html_pages(demo_site) if p.path in set(checked)]
    assert len(pages) == len(checked)
    assert third_party_references(demo_site, pages, urlsplit(DEMO_SITE_URL).hostname) == []
    # and the other pages have no such link
    others = [p for p in html_pages(demo_site) if p.path not in set(checked)]
    assert others and not [p.relative for p in others if "portal-correction__link" in p.text]


def test_the_personal_data_page_says_who_receives_reports():
    directory = load_directory(MINIMAL)
    for settings, recipient in ((EMAIL, "corrections@example.org"), (GITHUB, "github.com")):
        ctx = context(directory, "fr", corrections=settings)
        text = page_file(ctx, ctx.page(privacy_page))
        assert (
            f'Ce site ne reçoit rien\u00a0: ce que vous choisissez d\'envoyer va à <span dir="ltr">{recipient}</span>'
            in text
        )
    ctx = context(directory, "fr")
    assert "Signaler une erreur" not in page_file(ctx, ctx.page(privacy_page))
