""" "Report an error or a change": a link on each record page and booklet.

Whoever reads a page (a resident, a structure, a médiateur) can say it is wrong.
The link opens the reader's e-mail program (``mailto:``) or the territory's
forge's new-issue form, with a message already written in the reader's language:
what the page is (its id, its address, the date it was checked) and three
questions. The site runs no script for it and receives nothing.

`correction_href` builds the address from data (easy to test); `correction_link`
gathers that data for a page, in the context's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from .. import routes
from ..config import CorrectionSettings
from ..i18n import N_
from .context import RenderContext
from .localize import Localizer

#: Some mail programs and browsers cut longer links (Windows passes at most 2,048
#: characters to the mail program): the record's name is shortened to fit.
MAX_LENGTH = 1800
#: The shortest a shortened name gets; the id still says which record it is.
MIN_NAME = 12

LINK_LABEL = N_("Report an error or a change")
TITLE = N_("Correction: %(name)s (%(id)s)")
ID_LINE = N_("Id: %(id)s")
PAGE_LINE = N_("Page: %(url)s")
CHECKED_LINE = N_("Information checked on %(date)s.")
QUESTIONS = (
    N_("1. What is wrong, or what has changed?"),
    N_("2. What is the right information?"),
    N_("3. How can we reach you if we have a question? (optional)"),
)
EMAIL_NOTE = N_(
    "It opens your e-mail program with a message to %(address)s, ready to complete. This site keeps nothing."
)
FORM_NOTE = N_("It opens a form on %(host)s, ready to complete (you need an account there). This site keeps nothing.")

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Subject:
    """What a correction is about: one record, or a commune's booklet."""

    kind: str  # 'service', 'permanence', 'dispositif' or 'booklet'
    id: str  # the record's id, or the commune's INSEE code
    name: str  # plain text, in the reader's language (or French)
    page: str  # the page's public address, or its path from the site's root
    verified: dt.date | None  # when the information was checked; None for a booklet
    language: str


@dataclass(frozen=True)
class Wording:
    """The message's sentences in the reader's language, as plain text with %(name)s placeholders."""

    title: str
    id_line: str
    page_line: str
    checked_line: str
    questions: tuple[str, ...]
    verified: str  # the date of `Subject.verified`, written in the reader's language ('' without)


@dataclass(frozen=True)
class CorrectionLink:
    """The link a page shows, and the sentence that says where it leads."""

    href: str
    label: Markup
    note: Markup


def message(subject: Subject, wording: Wording, name: str | None = None) -> tuple[str, str]:
    """The message's title and body, as plain text; `name` shortens the record's name."""
    title = wording.title % {"name": subject.name if name is None else name, "id": subject.id}
    lines = [wording.id_line % {"id": subject.id}, wording.page_line % {"url": subject.page}]
    if wording.verified:
        lines.append(wording.checked_line % {"date": wording.verified})
    for question in wording.questions:
        lines += ["", question, "", ""]  # blank lines to write the answer in
    return title, "\n".join(lines) + "\n"


def _encoded(value: str) -> str:
    return quote(value, safe="")


def _href(settings: CorrectionSettings, subject: Subject, title: str, body: str) -> str:
    if settings.email is not None:
        # RFC 6068: line breaks in a mailto body are written CRLF.
        return (
            f"mailto:{quote(settings.email, safe='@')}"
            f"?subject={_encoded(title)}&body={_encoded(body.replace(chr(10), chr(13) + chr(10)))}"
        )
    values = {
        "title": title,
        "body": body,
        "id": subject.id,
        "kind": subject.kind,
        "page": subject.page,
        "verified": subject.verified.isoformat() if subject.verified else "",
        "lang": subject.language,
    }
    # The template was checked with the configuration: every placeholder is one of these.
    return _PLACEHOLDER.sub(lambda match: _encoded(values[match.group(1)]), settings.url or "")


def correction_href(settings: CorrectionSettings, subject: Subject, wording: Wording) -> str:
    """The address of the link: a ``mailto:`` or the forge's form, every value percent-encoded.

    Beyond `MAX_LENGTH` characters, the record's name is shortened in the title.
    """
    title, body = message(subject, wording)
    href = _href(settings, subject, title, body)
    name = subject.name
    while len(href) > MAX_LENGTH and len(name) > MIN_NAME:
        name = name[: max(MIN_NAME, len(name) * 3 // 4)].rstrip() + "…"
        title, body = message(subject, wording, name)
        href = _href(settings, subject, title, body)
    return href


def wording(loc: Localizer, verified: dt.date | None) -> Wording:
    """The message's sentences in `loc`'s language."""
    return Wording(
        title=loc.label(TITLE),
        id_line=loc.label(ID_LINE),
        page_line=loc.label(PAGE_LINE),
        checked_line=loc.label(CHECKED_LINE),
        questions=tuple(loc.label(question) for question in QUESTIONS),
        verified=loc.date(verified) if verified else "",
    )


def corrections_recipient(settings: CorrectionSettings | None) -> Markup:
    """Who receives what readers report (an address, or the forge's host), for the personal data page."""
    if settings is None:
        return Markup("")
    recipient = settings.email or urlsplit(settings.url or "").hostname or ""
    return Markup('<span dir="ltr">{}</span>').format(recipient)


def correction_link(
    ctx: RenderContext, kind: str, rid: str, name: str, path: str, verified: dt.date | None
) -> CorrectionLink | None:
    """The link of the page at `path` (a `routes` path) about record `rid`; None when mkdocs.yml sets no way."""
    settings = ctx.site.corrections
    if settings is None:
        return None
    loc = ctx.loc
    subject = Subject(kind, rid, name, routes.page_address(ctx.site.url, loc.language, path), verified, loc.language)
    href = correction_href(settings, subject, wording(loc, verified))
    if settings.email is not None:
        note = loc.gettext(EMAIL_NOTE, address=Markup('<span dir="ltr">{}</span>').format(settings.email))
    else:
        host = urlsplit(settings.url or "").hostname or ""
        note = loc.gettext(FORM_NOTE, host=Markup('<span dir="ltr">{}</span>').format(host))
    return CorrectionLink(href=href, label=loc.gettext(LINK_LABEL), note=note)
