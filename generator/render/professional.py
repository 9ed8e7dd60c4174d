"""What the professionals' edition adds to the pages: a record's « Pour les professionnels » part.

Only the professionals' edition (`Edition.PRO`) shows it: `professional_view` returns
None for the public site, whose records have no `professional:` part anyway
(`Directory.without_professional`, applied in `RenderContext.for_language`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup

from .. import routes
from ..i18n import N_
from ..records.models import Permanence, Professional, Service
from . import views as v
from .context import RenderContext
from .localize import PhoneLink

#: What the professionals' edition says of its protection when mkdocs.yml gives no `professional.access`.
NO_ACCESS = N_("No access control is declared for this edition: keeping it for professionals is up to its host.")


def access_text(ctx: RenderContext) -> Markup:
    """Where the edition's protection comes from: the territory's words (French), or `NO_ACCESS`."""
    access = ctx.site.professional.access
    return ctx.loc.source_text(access) if access else ctx.loc.gettext(NO_ACCESS)


@dataclass(frozen=True)
class ProfessionalView:
    """A record's part for professionals, as the pages show it."""

    referral: Markup  # how to refer someone: long text, as HTML
    form: str | None  # the referral form's address
    delay: Markup
    phone: PhoneLink | None
    email: str | None
    ask_for: Markup
    networks: list[v.Link] = field(default_factory=list)
    notes: Markup = Markup("")


def professional_view(ctx: RenderContext, part: Professional | None, *, under: int = 2) -> ProfessionalView | None:
    """The part for professionals of a record, on the professionals' edition's pages; None elsewhere.

    `under`: the level of the heading the texts sit under (their own headings go below it).
    """
    if part is None or not ctx.professional:
        return None
    loc = ctx.loc
    labels = {network.id: network.label for network in ctx.directory.territory.networks}
    return ProfessionalView(
        referral=loc.block(part.referral, under=under),
        form=part.referral_form,
        delay=loc.text(part.delay),
        phone=loc.phone(part.phone) if part.phone else None,
        email=part.email,
        ask_for=loc.text(part.ask_for),
        networks=[v.Link.to(loc.text(labels[nid]), routes.pro_network(nid)) for nid in part.networks if nid in labels],
        notes=loc.block(part.notes, under=under),
    )


def with_professional(records: Iterable[tuple[str, Service | Permanence]]) -> list[str]:
    """The ids of the records that have a part for professionals, in the order given."""
    return [rid for rid, record in records if record.professional is not None]
