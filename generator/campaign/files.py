"""A campaign's files: one message per contact, the mail-merge table, the phone list.

`campaign_files` takes data and returns `{name: bytes}`; `write_campaign` is the
one place that writes, into a folder that is new, empty, or an earlier campaign's.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import jinja2

from ..config import Edition, SiteSettings
from ..opendata.tables import cell
from ..records.directory import Directory
from ..records.verification import Contact
from ..render.context import RenderContext
from .reading import Reading, reading

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "campaign"
#: The file that says a folder is a campaign's: the command writes again only into such a folder.
MARKER = ".campagne-verification"
MESSAGES = "messages"
TABLE = "publipostage.csv"
PHONE_LIST = "appels.html"
SUBJECT = "Vos informations sur {site} : sont-elles toujours exactes ?"


class CampaignError(Exception):
    """The campaign cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Letter:
    """One contact, its records as residents read them, and its message's file name."""

    contact: Contact
    readings: list[Reading]
    file: str  # 'messages/003-ccas-redon-example-org.eml'

    @property
    def about(self) -> str:
        """Who the message is about: the organisation, or the record's name."""
        if self.contact.organization:
            return self.contact.organization
        if len(self.readings) == 1:
            return self.readings[0].name
        return ", ".join(r.name for r in self.readings)


@dataclass(frozen=True)
class Campaign:
    files: dict[str, bytes]
    letters: list[Letter]
    sender: str | None  # the From: address, None when the configuration has none

    @property
    def records(self) -> int:
        return sum(len(letter.readings) for letter in self.letters)

    @property
    def without_email(self) -> list[Reading]:
        return [r for letter in self.letters if not letter.contact.email for r in letter.readings]


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "contact"


def sender(directory: Directory) -> Address | None:
    """The publisher's e-mail (territory.yml `publisher:`), to send the messages from."""
    publisher = directory.territory.publisher
    if publisher is None or publisher.email is None:
        return None
    user, _, domain = publisher.email.partition("@")
    return Address(publisher.name.get("fr")[0], user, domain)


def message(letter: Letter, text: str, site_name: str, sent_from: Address | None) -> EmailMessage:
    mail = EmailMessage(policy=SMTP)
    if sent_from is not None:
        mail["From"] = sent_from
    if letter.contact.email:
        mail["To"] = letter.contact.email
    mail["Subject"] = SUBJECT.format(site=site_name)
    mail["X-Unsent"] = "1"  # Outlook and Thunderbird open it as a draft to send
    # 8bit keeps the message readable in a text editor; quoted-printable when a line is too long for it.
    long_line = any(len(line.encode()) > 990 for line in text.splitlines())
    mail.set_content(text, charset="utf-8", cte="quoted-printable" if long_line else "8bit")
    return mail


def _table(letters: Sequence[Letter], separator: str) -> bytes:
    """One line per contact, for a mail merge; UTF-8 with BOM so that Excel reads the accents."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        ["e-mail", "organisation", "fiches", "pages", "nombre de fiches", "dernière vérification", "message"]
    )
    for letter in letters:
        oldest = min(letter.readings, key=lambda r: r.verified)
        writer.writerow(
            cell(value)
            for value in [
                letter.contact.email or "",
                letter.contact.organization or "",
                " | ".join(r.name for r in letter.readings),
                " | ".join(r.url for r in letter.readings if r.url),
                len(letter.readings),
                oldest.verified.isoformat(),
                letter.file,
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def campaign_files(directory: Directory, site: SiteSettings, found: Sequence[Contact]) -> Campaign:
    """The files of a campaign to `found` contacts, by name in the output folder."""
    # With the records' parts for professionals: each structure is asked to confirm its own.
    ctx = RenderContext.for_language(directory, "fr", replace(site, edition=Edition.PRO))
    environment = _environment()
    site_name = site.name_in("fr")
    letters = [
        Letter(
            contact,
            [reading(ctx, target) for target in contact.targets],
            f"{MESSAGES}/{number:03d}-{_slug(contact.email or contact.organization or contact.key)}.eml",
        )
        for number, contact in enumerate(found, start=1)
    ]
    sent_from = sender(directory)
    publisher = directory.territory.publisher
    signature = publisher.name.get("fr")[0] if publisher else site.publisher_name
    files: dict[str, bytes] = {MARKER: b"Dossier d'une campagne de verification (python -m generator campaign).\n"}
    for letter in letters:
        text = environment.get_template("message.txt").render(
            site_name=site_name,
            about=letter.about,
            readings=letter.readings,
            signature=signature,
            reference=", ".join(r.file for r in letter.readings),
        )
        files[letter.file] = message(letter, text, site_name, sent_from).as_bytes()
    files[TABLE] = _table(letters, site.open_data.separator)
    without = {r.key for letter in letters if not letter.contact.email for r in letter.readings}
    files[PHONE_LIST] = (
        environment.get_template("phone-list.html")
        .render(
            title=f"Vérification par téléphone – {site_name}",
            intro=(
                "Appelez chaque structure. Lisez-lui ce que les habitants lisent sur le portail. "
                "Cochez « Confirmé » si tout est exact, ou notez ce qui a changé. "
                "Puis marquez la fiche comme vérifiée."
            ),
            records=[r for letter in letters for r in letter.readings],
            without_email=without,
        )
        .encode("utf-8")
    )
    return Campaign(files, letters, None if sent_from is None else str(sent_from))


def write_campaign(out: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write the files under `out`: a new or empty folder, or one an earlier campaign wrote.

    Nothing is ever deleted: files of an earlier campaign that this one does not
    write again are left in place, and returned so that the command can say so.
    """
    if out.exists() and not out.is_dir():
        raise CampaignError(
            f"{out} est un fichier, pas un dossier : donnez un dossier pour les fichiers de la campagne"
        )
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise CampaignError(
            f"{out} n'est pas vide et n'a pas été fait par « campaign » : rien n'a été écrit. "
            "Donnez un nouveau dossier, comme campagne-2026-12"
        )
    before = {p for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
    for name, data in files.items():
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    written = {out / name for name in files}
    return sorted(before - written)
