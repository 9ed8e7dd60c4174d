"""The maintainers' report: what to call about, with counts per source.

The same findings as `check` (see `freshness`), as a page that coordinators
can open from the published site. It is not in the residents' navigation
nor in the search.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import routes
from ..i18n import N_
from ..records.freshness import KINDS, Concern, counts_by_source, findings
from ..records.verification import WAITING_AFTER, Period, Target, categories_of, commune_of, records_of
from . import views as v
from .context import RenderContext
from .markup import html_text

TITLES = {
    Concern.STALE: N_("Not checked for more than 12 months"),
    Concern.ENDED: N_("Drop-in sessions that have ended"),
    Concern.NOTICE_ENDED: N_("Temporary notices that are over"),
    Concern.NEW_PATIENTS_OLD: N_("Answers about new patients more than 3 months old"),
}
ADVICE = {
    Concern.STALE: N_("Call or visit to check the information, then change the date in 'verified'."),
    Concern.ENDED: N_("Change 'valid_until' if the sessions go on, or delete the file."),
    Concern.NOTICE_ENDED: N_("Residents no longer see these notices: delete them from the file."),
    Concern.NEW_PATIENTS_OLD: N_(
        "Residents read them as “to be checked”: call the practice, then change 'status' and the date in "
        "'accepts_new_patients.checked'."
    ),
}


@dataclass(frozen=True)
class Item:
    link: v.Link  # the record's page
    file: Markup  # 'services/msp-redon.yml'
    date: Markup  # the date that has passed
    source: Markup


@dataclass(frozen=True)
class Section:
    title: Markup
    advice: Markup
    items: list[Item]


@dataclass(frozen=True)
class SourceRow:
    source: Markup
    records: int
    stale: int
    ended: int
    notices: int


#: A record checked this recently counts as confirmed in the campaign's progress.
CONFIRMED_WITHIN = Period(days=90)


@dataclass(frozen=True)
class ProgressRow:
    name: Markup  # a category's label or a commune's name
    confirmed: int
    waiting: int
    total: int


@dataclass(frozen=True)
class Progress:
    """A verification campaign's progress: confirmed and waiting records, by category and by commune."""

    confirmed_days: int
    waiting_months: int
    by_category: list[ProgressRow]
    by_commune: list[ProgressRow]
    waiting: list[Item]


def _rows(counts: dict[str, list[int]], names: dict[str, Markup]) -> list[ProgressRow]:
    rows = [ProgressRow(names[key], c, w, t) for key, (c, w, t) in counts.items()]
    return sorted(rows, key=lambda row: (-row.waiting, str(row.name).casefold()))


def progress(ctx: RenderContext) -> Progress:
    """Records checked within `CONFIRMED_WITHIN`, and those waiting (checked before `WAITING_AFTER`)."""
    directory, loc = ctx.directory, ctx.loc
    confirmed_since = CONFIRMED_WITHIN.before(directory.today)
    waiting_before = WAITING_AFTER.before(directory.today)
    by_category: dict[str, list[int]] = {}
    by_commune: dict[str, list[int]] = {}
    waiting: list[Target] = []
    for target in records_of(directory):
        verified = target.record.verified
        state = [int(verified >= confirmed_since), int(verified < waiting_before), 1]
        if state[1]:
            waiting.append(target)
        keys = [(by_category, c) for c in categories_of(target) if c in directory.taxonomy.categories]
        commune = commune_of(directory, target)
        keys += [(by_commune, commune)] if commune is not None else []
        for table, key in keys:
            row = table.setdefault(key, [0, 0, 0])
            for index, count in enumerate(state):
                row[index] += count
    categories = {cid: loc.text(c.label) for cid, c in directory.taxonomy.categories.items()}
    communes = {insee: html_text(c.name) for insee, c in directory.communes.items()}
    waiting.sort(key=lambda t: (t.record.verified, t.kind, t.rid))
    return Progress(
        confirmed_days=CONFIRMED_WITHIN.days,
        waiting_months=WAITING_AFTER.months,
        by_category=_rows(by_category, categories),
        by_commune=_rows(by_commune, communes),
        waiting=[
            Item(
                _link(ctx, t.kind, t.rid),
                html_text(directory.files.get((t.kind, t.rid), f"{t.kind}/{t.rid}.yml")),
                html_text(loc.date(t.record.verified)),
                loc.source_text(t.record.source.strip()),
            )
            for t in waiting
        ],
    )


def _link(ctx: RenderContext, kind: str, rid: str) -> v.Link:
    directory, loc = ctx.directory, ctx.loc
    if kind == "services":
        return v.Link.to(loc.text(directory.services[rid].name), routes.service(rid))
    if kind == "permanences":
        return v.Link.to(loc.text(directory.permanences[rid].name), routes.permanence(rid))
    if kind == "dispositifs":
        return v.Link.to(loc.text(directory.dispositifs[rid].name), routes.dispositif(rid))
    return v.Link.to(loc.text(directory.pathways[rid].label), routes.pathway_start(rid))


def report_context(ctx: RenderContext) -> dict[str, object]:
    directory, loc = ctx.directory, ctx.loc
    records = {kind: getattr(directory, kind) for kind in KINDS}
    found = findings(records, directory.today)
    sections = [
        Section(
            loc.gettext(TITLES[concern]),
            loc.gettext(ADVICE[concern]),
            [
                Item(
                    _link(ctx, f.kind, f.rid),
                    html_text(directory.files.get((f.kind, f.rid), f"{f.kind}/{f.rid}.yml")),
                    html_text(loc.date(f.since)),
                    loc.source_text(f.source),
                )
                for f in found
                if f.concern is concern
            ],
        )
        for concern in Concern
    ]
    rows = [
        SourceRow(
            loc.source_text(counts.source),
            counts.records,
            counts.concerns[Concern.STALE],
            counts.concerns[Concern.ENDED],
            counts.concerns[Concern.NOTICE_ENDED],
        )
        for counts in counts_by_source(records, found)
    ]
    return {
        "observatory": routes.href(routes.OBSERVATORY),
        "as_of": loc.date(directory.today),
        "records": sum(len(r) for r in records.values()),
        "concerns": len(found),
        "sections": sections,
        "sources": rows,
        "progress": progress(ctx),
    }
