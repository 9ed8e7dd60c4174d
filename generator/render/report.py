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
from ..records.freshness import KINDS, Concern, Finding, counts_by_source, findings
from . import views as v
from .context import RenderContext
from .markup import html_text

TITLES = {
    Concern.STALE: N_("Not checked for more than 12 months"),
    Concern.ENDED: N_("Drop-in sessions that have ended"),
    Concern.NOTICE_ENDED: N_("Temporary notices that are over"),
}
ADVICE = {
    Concern.STALE: N_("Call or visit to check the information, then change the date in 'verified'."),
    Concern.ENDED: N_("Change 'valid_until' if the sessions go on, or delete the file."),
    Concern.NOTICE_ENDED: N_("Residents no longer see these notices: delete them from the file."),
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


def _link(ctx: RenderContext, finding: Finding) -> v.Link:
    directory, loc, rid = ctx.directory, ctx.loc, finding.rid
    if finding.kind == "services":
        return v.Link.to(loc.text(directory.services[rid].name), routes.service(rid))
    if finding.kind == "permanences":
        return v.Link.to(loc.text(directory.permanences[rid].name), routes.permanence(rid))
    if finding.kind == "dispositifs":
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
                    _link(ctx, f),
                    html_text(directory.files.get((f.kind, f.rid), f"{f.kind}/{f.rid}.yml")),
                    html_text(loc.date(f.since)),
                    html_text(f.source),
                )
                for f in found
                if f.concern is concern
            ],
        )
        for concern in Concern
    ]
    rows = [
        SourceRow(
            html_text(counts.source),
            counts.records,
            counts.concerns[Concern.STALE],
            counts.concerns[Concern.ENDED],
            counts.concerns[Concern.NOTICE_ENDED],
        )
        for counts in counts_by_source(records, found)
    ]
    return {
        "as_of": loc.date(directory.today),
        "records": sum(len(r) for r in records.values()),
        "concerns": len(found),
        "sections": sections,
        "sources": rows,
    }
