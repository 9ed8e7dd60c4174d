"""The pages of one language's site: which pages exist, in the order they are made.

Each page function takes the `RenderContext` and the id of what it shows, and
returns a `Page`. Record pages are never listed in the navigation: the index
pages (categories, communes) link to them, which keeps every page light
however many records there are.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..context import RenderContext
from .base import Page
from .easyread import easy_pages
from .listings import (
    booklet_page,
    calendar_page,
    categories_index,
    category_page,
    commune_page,
    communes_index,
    dispositifs_index,
    home_page,
    permanences_index,
)
from .map_search import map_page, search_page
from .pathways import pathway_pages, pathways_index
from .patients import new_patients_page, practices
from .professional import pro_pages
from .records import dispositif_page, permanence_page, service_page
from .statements import accessibility_page, observatory_page, open_data_page, privacy_page, report_page, sitemap_page

__all__ = ["Page", "RecordIds", "record_pages", "site_pages"]


@dataclass(frozen=True)
class RecordIds:
    """Some records of each kind, by id: whose own pages to render."""

    services: frozenset[str] = frozenset()
    permanences: frozenset[str] = frozenset()
    dispositifs: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.services or self.permanences or self.dispositifs)


def site_pages(ctx: RenderContext) -> Iterator[Page]:
    """Every page of one language."""
    yield ctx.page(home_page)
    yield ctx.page(map_page)
    yield ctx.page(search_page)
    for index in (pathways_index, categories_index, communes_index, dispositifs_index, permanences_index):
        yield ctx.page(index)
    for cid in ctx.directory.taxonomy.categories:
        if ctx.directory.has_category_page(cid):
            yield ctx.page(category_page, cid)
    yield ctx.page(calendar_page, None)
    for insee in ctx.directory.communes:
        yield ctx.page(commune_page, insee)
        yield ctx.page(calendar_page, insee)
        yield ctx.page(booklet_page, insee)
    if practices(ctx):
        yield ctx.page(new_patients_page, None)
        for insee in ctx.directory.communes:
            yield ctx.page(new_patients_page, insee)
    yield from record_pages(ctx)
    yield from pathway_pages(ctx)
    yield from easy_pages(ctx)
    yield from pro_pages(ctx)
    for statement in (report_page, observatory_page, accessibility_page, privacy_page, open_data_page, sitemap_page):
        yield ctx.page(statement)


def record_pages(ctx: RenderContext, only: RecordIds | None = None) -> Iterator[Page]:
    """The page of each service, permanence and dispositif (`only` some of them)."""
    for sid in ctx.directory.services:
        if only is None or sid in only.services:
            yield ctx.page(service_page, sid)
    for pid in ctx.directory.permanences:
        if only is None or pid in only.permanences:
            yield ctx.page(permanence_page, pid)
    for did in ctx.directory.dispositifs:
        if only is None or did in only.dispositifs:
            yield ctx.page(dispositif_page, did)
