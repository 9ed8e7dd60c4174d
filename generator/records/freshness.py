"""What a coordinator should call about: information that may no longer be right.

Four concerns, each a date that has passed:

- a record not checked for 12 months (`verified`);
- a permanence past its `valid_until`;
- a temporary notice past its `end`;
- a practice's "new patients" status said more than 3 months ago
  (`accepts_new_patients.checked`): it changes within weeks.

`findings` reads typed records and returns data: `validate` turns each
finding into a warning with its file and line, the report page lists them
with counts per source.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from .models import Offer, Permanence, Provenance, Service

STALE_AFTER_MONTHS = 12
#: A practice's answer about new patients is shown "to be checked" after this many months.
NEW_PATIENTS_CURRENT_MONTHS = 3
#: The kinds of records, in the order the report lists them.
KINDS = ("services", "permanences", "dispositifs", "pathways")


class Concern(str, Enum):
    STALE = "stale"  # not checked for STALE_AFTER_MONTHS
    ENDED = "ended"  # a permanence past its valid_until
    NOTICE_ENDED = "notice_ended"  # a temporary notice past its end
    NEW_PATIENTS_OLD = "new_patients_old"  # accepts_new_patients said NEW_PATIENTS_CURRENT_MONTHS ago


@dataclass(frozen=True)
class Finding:
    concern: Concern
    kind: str  # "services", "permanences"...
    rid: str
    where: tuple[str | int, ...]  # the field, for the line number: ("notices", 0, "end")
    since: dt.date  # the date that has passed
    source: str  # the record's source: who to call

    def message(self) -> str:
        """What `check` says, to a coordinator."""
        if self.concern is Concern.STALE:
            return (
                f"pas vérifiée depuis plus de {STALE_AFTER_MONTHS} mois (verified: {self.since}) : "
                "appelez ou passez pour vérifier les informations, puis mettez à jour 'verified'"
            )
        if self.concern is Concern.NEW_PATIENTS_OLD:
            # In French, as coordinators read it (the older messages are still in English).
            return (
                f"accepts_new_patients : la réponse date du {self.since:%d/%m/%Y}, il y a plus de "
                f"{NEW_PATIENTS_CURRENT_MONTHS} mois ; le site l'affiche « à vérifier ». Appelez le cabinet pour "
                "savoir s'il prend de nouveaux patients, puis changez « status » et la date de « checked »"
            )
        if self.concern is Concern.ENDED:
            return (
                f"cette permanence a pris fin le {self.since} : mettez à jour 'valid_until' si elle continue, "
                "ou supprimez le fichier"
            )
        return (
            f"notices[{int(self.where[1]) + 1}] a pris fin le {self.since} : les habitants ne la voient plus ; "
            "supprimez-la, ou changez son 'end' si elle continue"
        )


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier; the 29-31st of a shorter month becomes its last day."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_current(checked: dt.date, today: dt.date) -> bool:
    """Whether a "new patients" status said on `checked` can be shown without a doubt on `today`."""
    return checked >= months_before(today, NEW_PATIENTS_CURRENT_MONTHS)


def findings(records: Mapping[str, Mapping[str, Provenance]], today: dt.date) -> list[Finding]:
    """Every concern in the records, by kind then id; `records` maps a kind to its records."""
    oldest = months_before(today, STALE_AFTER_MONTHS)
    found: list[Finding] = []
    for kind in KINDS:
        for rid, record in sorted(records.get(kind, {}).items()):
            source = record.source.strip()
            if record.verified < oldest:
                found.append(Finding(Concern.STALE, kind, rid, ("verified",), record.verified, source))
            if isinstance(record, Permanence) and record.valid_until is not None and record.valid_until < today:
                found.append(Finding(Concern.ENDED, kind, rid, ("valid_until",), record.valid_until, source))
            if isinstance(record, Service) and record.accepts_new_patients is not None:
                checked = record.accepts_new_patients.checked
                if not is_current(checked, today):
                    where = ("accepts_new_patients", "checked")
                    found.append(Finding(Concern.NEW_PATIENTS_OLD, kind, rid, where, checked, source))
            if isinstance(record, Offer):
                for index, notice in enumerate(record.notices):
                    if notice.end < today:
                        found.append(
                            Finding(Concern.NOTICE_ENDED, kind, rid, ("notices", index, "end"), notice.end, source)
                        )
    return found


@dataclass(frozen=True)
class SourceCounts:
    source: str
    records: int
    concerns: Counter[Concern]


def counts_by_source(records: Mapping[str, Mapping[str, Provenance]], found: list[Finding]) -> list[SourceCounts]:
    """For each source, how many records it gave and how many concerns it has; most concerns first."""
    totals: Counter[str] = Counter(record.source.strip() for kind in KINDS for record in records.get(kind, {}).values())
    concerns: dict[str, Counter[Concern]] = {source: Counter() for source in totals}
    for finding in found:
        concerns[finding.source][finding.concern] += 1
    return sorted(
        (SourceCounts(source, totals[source], concerns[source]) for source in totals),
        key=lambda counts: (-sum(counts.concerns.values()), counts.source.casefold()),
    )
