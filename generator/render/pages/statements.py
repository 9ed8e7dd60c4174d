"""The pages a French public website owes its readers (accessibility, personal
data, open data, site map) and the maintainers' report."""

from __future__ import annotations

from ... import routes
from .. import statements
from .. import views as v
from ..context import RenderContext
from ..markup import html_text
from ..observatory import observatory_context
from ..report import report_context
from .base import Page, category_links, commune_links, dispositif_links, pathway_links
from .patients import new_patients_link


def accessibility_page(ctx: RenderContext) -> Page:
    title = ctx.loc.gettext("Accessibility statement")
    return Page(
        routes.ACCESSIBILITY, "accessibility.html", title, {"title": title, **statements.accessibility_context(ctx)}
    )


def privacy_page(ctx: RenderContext) -> Page:
    title = ctx.loc.gettext("Personal data")
    return Page(routes.PRIVACY, "privacy.html", title, {"title": title, **statements.privacy_context(ctx)})


def open_data_page(ctx: RenderContext) -> Page:
    title = ctx.loc.gettext("Open data")
    return Page(routes.OPEN_DATA, "opendata.html", title, {"title": title, **statements.open_data_context(ctx)})


def sitemap_page(ctx: RenderContext) -> Page:
    """Every list of the site on one page (RGAA 12.1: a second way to find a page)."""
    directory, loc = ctx.directory, ctx.loc
    title = loc.gettext("Site map")
    section, link = statements.Section, v.Link.to
    sections = [
        section(
            loc.gettext("The site"),
            [
                link(loc.gettext("Home"), routes.HOME),
                link(loc.gettext("Map"), routes.MAP),
                link(loc.gettext("Drop-in sessions"), routes.CALENDAR),
                link(loc.gettext("Every drop-in session, one by one"), routes.PERMANENCES),
                *filter(None, [new_patients_link(ctx, None)]),
                link(loc.gettext("Accessibility statement"), routes.ACCESSIBILITY),
                link(loc.gettext("Personal data"), routes.PRIVACY),
                link(loc.gettext("Open data"), routes.OPEN_DATA),
            ],
        ),
        section(loc.gettext("By situation"), pathway_links(ctx)),
        section(loc.gettext("Find a place"), category_links(ctx)),
        section(loc.gettext("By commune"), commune_links(ctx)),
        section(loc.gettext("Health rights"), dispositif_links(ctx)),
        section(
            loc.gettext("Booklets to print"),
            [
                link(html_text(commune.name), routes.booklet(directory.commune_slugs[insee]))
                for insee, commune in directory.communes.items()
            ],
        ),
    ]
    if ctx.professional:  # the professionals' section, in its edition only
        sections.insert(
            1,
            section(
                loc.gettext("For professionals"),
                [
                    link(loc.gettext("For professionals"), routes.PRO),
                    link(loc.gettext("Who does what in the whole territory"), routes.pro_who(None)),
                    link(loc.gettext("Networks and their members"), routes.PRO_NETWORKS),
                    link(loc.gettext("How to refer someone to each structure"), routes.PRO_REFERRALS),
                    link(loc.gettext("Partners' directory of the whole territory"), routes.pro_directory(None)),
                ],
            ),
        )
    return Page(routes.SITEMAP, "sitemap.html", title, {"title": title, "sections": [s for s in sections if s.links]})


def report_page(ctx: RenderContext) -> Page:
    """For maintainers: what to call about. Not in the navigation, not in the search."""
    return Page(
        routes.REPORT,
        "report.html",
        ctx.loc.gettext("Information to check"),
        report_context(ctx),
        searchable=False,
    )


def observatory_page(ctx: RenderContext) -> Page:
    """For the CLS and CPTS: the offer of care, commune by commune. Linked from the report only."""
    title = ctx.loc.gettext("Observatory of the offer of care")
    return Page(
        routes.OBSERVATORY,
        "observatory.html",
        title,
        {"title": title, **observatory_context(ctx)},
        searchable=False,
    )
