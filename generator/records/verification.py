"""Which records a verification campaign asks about, and who to ask: selection and contacts.

A record is asked about when its `verified` date is older than the period given
(`--older-than 6m`), and, if asked, when it is of one category or in one commune.
Services and permanences are checked with the structure that runs them; of the
dispositifs only the local ones (`scope: local`: a commune's mutuelle, a CCAS's
aid) have someone on the territory to ask. National dispositifs (CSS, AME...) are
checked by the coordinator against the official pages they link to, so a campaign
leaves them out. Pathways are the coordinator's own text: left out too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .directory import Directory
from .freshness import months_before
from .models import Dispositif, DispositifScope, Permanence, Service
from .types import LocalizedText

Kind = Literal["services", "permanences", "dispositifs"]
Checked = Service | Permanence | Dispositif
#: The kinds a campaign asks about, in the order it lists them.
KINDS: tuple[Kind, ...] = ("services", "permanences", "dispositifs")

_PERIOD = re.compile(r"^\s*(\d{1,4})\s*(d|j|m|y|a)\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    """A period that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """A length of time back from today: so many days or months."""

    days: int = 0
    months: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """'6m', '12m', '90d', '1y' (also '90j' and '1a', as French speakers write them)."""
        match = _PERIOD.match(text)
        if not match:
            raise PeriodError(
                f"« {text} » n'est pas une durée : attendu un nombre et une unité (m mois, d jours, y ans), comme 6m, 12m, 90d ou 1y"
            )
        number, unit = int(match.group(1)), match.group(2).lower()
        if unit in ("d", "j"):
            return cls(days=number)
        return cls(months=number * (12 if unit in ("y", "a") else 1))

    def before(self, today: dt.date) -> dt.date:
        """The day this period before `today`."""
        return months_before(today, self.months) - dt.timedelta(days=self.days)


#: Records checked longer ago than this wait for a campaign (its default `--older-than` in the README).
WAITING_AFTER = Period(months=6)


@dataclass(frozen=True)
class Target:
    """One record a campaign asks about."""

    kind: Kind
    rid: str
    record: Checked


def records_of(directory: Directory) -> list[Target]:
    """Every record a campaign can ask about, by kind then id."""
    found: list[Target] = []
    for kind in KINDS:
        for rid, record in sorted(getattr(directory, kind).items()):
            if isinstance(record, Dispositif) and record.scope is not DispositifScope.LOCAL:
                continue
            found.append(Target(kind, rid, record))
    return found


def commune_of(directory: Directory, target: Target) -> str | None:
    """The INSEE code of where the record is: a service's address, a permanence's place (or its host's)."""
    if target.kind == "services":
        return directory.services[target.rid].address.commune
    if target.kind == "permanences":
        return directory.place_of_permanence(target.rid).address.commune
    return None  # a dispositif is not in one place


def categories_of(target: Target) -> list[str]:
    record = target.record
    if isinstance(record, Service):
        return [record.category, *record.other_categories]
    return list(record.categories)


def select(
    directory: Directory,
    *,
    older_than: Period | None = None,
    category: str | None = None,
    commune: str | None = None,
) -> list[Target]:
    """The records checked before the period (all without one), of the category and in the commune asked."""
    oldest = older_than.before(directory.today) if older_than is not None else None
    return [
        target
        for target in records_of(directory)
        if (oldest is None or target.record.verified < oldest)
        and (category is None or category in categories_of(target))
        and (commune is None or commune_of(directory, target) == commune)
    ]


@dataclass(frozen=True)
class Contact:
    """Who to ask about some records: an e-mail address, an organisation, or one record alone."""

    key: str  # what groups the records: 'email:x@example.org', 'organization:ville de redon', 'services/x'
    email: str | None
    organization: str | None  # in French, as the records write it
    targets: tuple[Target, ...]


def _french(text: LocalizedText | None) -> str | None:
    return None if text is None else text.get("fr")[0].strip() or None


def contact_of(directory: Directory, target: Target) -> tuple[str | None, str | None]:
    """The record's e-mail (lowercased) and organisation.

    A permanence held by a service of the directory is that service's: its e-mail and
    organisation stand in for the permanence's own when it has none.
    """
    record = target.record
    if isinstance(record, Service):
        return (record.email.lower() if record.email else None), _french(record.organization)
    if isinstance(record, Permanence):
        email = record.email.lower() if record.email else None
        organization = _french(record.held_by.organization)
        holder = directory.services.get(record.held_by.service or "")
        if holder is not None:
            email = email or (holder.email.lower() if holder.email else None)
            organization = organization or _french(holder.organization) or _french(holder.name)
        return email, organization
    return None, None


def contacts(directory: Directory, targets: list[Target]) -> list[Contact]:
    """The records grouped by e-mail, else by organisation, else each alone; sorted by who they are."""
    groups: dict[str, list[Target]] = {}
    found: dict[str, tuple[str | None, str | None]] = {}
    for target in targets:
        email, organization = contact_of(directory, target)
        if email:
            key = f"email:{email}"
        elif organization:
            key = f"organization:{organization.casefold()}"
        else:
            key = f"{target.kind}/{target.rid}"
        groups.setdefault(key, []).append(target)
        known_email, known_organization = found.get(key, (None, None))
        found[key] = (known_email or email, known_organization or organization)
    made = [Contact(key, found[key][0], found[key][1], tuple(group)) for key, group in groups.items()]
    return sorted(made, key=lambda c: ((c.organization or c.email or c.key).casefold(), c.key))
