"""Easy-read pages (« Facile à lire »): a dispositif, a pathway's question or outcome,
a guide (from its front matter), in short sentences, one idea per line, each beside its pictogram.

Each has its own address (`routes.easy_dispositif`, `routes.easy_pathway_node`),
so that a médiateur can print it on one sheet or send it; the full page links
to it first thing (`easy_link`), and the reader's choice is remembered by
`assets/javascripts/portal-easy.js`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ... import routes
from ...i18n import SOURCE_LANGUAGE
from ...records.models import EasyStep
from ...records.types import LocalizedText
from .. import views as v
from ..context import RenderContext
from ..pictograms import pictogram
from .base import Page


@dataclass(frozen=True)
class EasyStepView:
    icon: Markup  # the pictogram, hidden from screen readers, or empty
    text: Markup


def easy_steps(ctx: RenderContext, steps: Sequence[EasyStep]) -> list[EasyStepView]:
    return [EasyStepView(pictogram(step.icon), ctx.loc.text(step.text)) for step in steps]


def easy_link(ctx: RenderContext, path: str | None) -> v.Link | None:
    """The link at the top of a full page to its easy-read version, when there is one."""
    return v.Link.to(ctx.loc.gettext("Easy to read"), path) if path else None


def easy_node_path(ctx: RenderContext, pid: str, node: str) -> str | None:
    """The easy-read page of a pathway's question or outcome, if it has an easy-read text."""
    pathway = ctx.directory.pathways[pid]
    found = pathway.questions.get(node) or pathway.outcomes.get(node)
    return routes.easy_pathway_node(pid, node) if found is not None and found.easy else None


def easy_dispositif_path(ctx: RenderContext, did: str) -> str | None:
    return routes.easy_dispositif(did) if ctx.directory.dispositifs[did].easy else None


def _page(ctx: RenderContext, path: str, title: Markup, full: str, context: dict[str, object]) -> Page:
    loc = ctx.loc
    return Page(
        path=path,
        template="easy-read.html",
        title=title,
        printable=True,
        # The full page is the one a search should find; this one is reached from it.
        searchable=False,
        context={
            "title": title,
            "full": v.Link.to(loc.gettext("Full version"), full),
            "call": [],
            "answers": [],
            "more": [],
            **context,
        },
    )


def easy_dispositif_page(ctx: RenderContext, did: str) -> Page:
    loc = ctx.loc
    dispositif = ctx.directory.dispositifs[did]
    return _page(
        ctx,
        routes.easy_dispositif(did),
        loc.text(dispositif.name),
        routes.dispositif(did),
        {"steps": easy_steps(ctx, dispositif.easy), "verified": loc.date(dispositif.verified)},
    )


def easy_question_page(ctx: RenderContext, pid: str, qid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    question = directory.pathways[pid].questions[qid]
    answers = [
        v.Link.to(
            loc.text(answer.label),
            easy_node_path(ctx, pid, answer.next) or v.pathway_node(directory, pid, answer.next),
        )
        for answer in question.answers
    ]
    return _page(
        ctx,
        routes.easy_pathway_node(pid, qid),
        loc.text(question.question),
        v.pathway_node(directory, pid, qid),
        {
            "steps": easy_steps(ctx, question.easy),
            "answers": answers,
            "verified": loc.date(directory.pathways[pid].verified),
        },
    )


def easy_outcome_page(ctx: RenderContext, pid: str, oid: str) -> Page:
    directory, loc = ctx.directory, ctx.loc
    outcome = directory.pathways[pid].outcomes[oid]
    more = [
        v.Link.to(loc.text(directory.dispositifs[did].name), path)
        for did in outcome.dispositifs
        if (path := easy_dispositif_path(ctx, did))
    ]
    return _page(
        ctx,
        routes.easy_pathway_node(pid, oid),
        loc.text(outcome.title),
        routes.pathway_outcome(pid, oid),
        {
            "steps": easy_steps(ctx, outcome.easy),
            "call": v.call_links(outcome.call, loc),
            "more": more,
            "verified": loc.date(directory.pathways[pid].verified),
        },
    )


def easy_guide_page(ctx: RenderContext, gid: str) -> Page:
    guide = ctx.guides[gid]
    # The title as the guide links show it: French, marked so, when the guide is not translated.
    title = ctx.loc.text(LocalizedText({SOURCE_LANGUAGE: guide.title, guide.language: guide.title}))
    return _page(
        ctx, routes.easy_guide(gid), title, routes.guide(gid), {"steps": easy_steps(ctx, guide.easy), "verified": None}
    )


def easy_pages(ctx: RenderContext) -> Iterator[Page]:
    """The easy-read page of every dispositif, question and outcome that has an easy-read text."""
    for did, dispositif in ctx.directory.dispositifs.items():
        if dispositif.easy:
            yield ctx.page(easy_dispositif_page, did)
    for pid, pathway in ctx.directory.pathways.items():
        for qid, question in pathway.questions.items():
            if question.easy:
                yield ctx.page(easy_question_page, pid, qid)
        for oid, outcome in pathway.outcomes.items():
            if outcome.easy:
                yield ctx.page(easy_outcome_page, pid, oid)
    for gid, guide in ctx.guides.items():
        if guide.easy:
            yield ctx.page(easy_guide_page, gid)
