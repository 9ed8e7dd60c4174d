"""What lets a record page stand on its own once printed or sent on.

A médiateur prints the page of a place or a right and hands it over, or sends
its link by SMS or e-mail to the person in front of them. The paper is read
later, without the site: it carries the page's address as a QR code, the date
the information was checked and the date it was printed. Everything here is
computed at build time; the page's script only fills in the printing date and
the "copy the link" button.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

import segno
from markupsafe import Markup

from .. import routes
from ..i18n import N_
from .context import RenderContext

# Level M (15 % of the code can be lost) survives a crumpled, photocopied sheet.
QR_ERROR_LEVEL = "m"
#: Any of the eight masks is valid and read by every scanner; choosing the best one
#: for each code took three quarters of its time (8 ms of a sheet's 11 ms).
QR_MASK = 0
MESSAGE = N_("%(name)s: %(url)s")  # the text message and the e-mail: short, in the page's language
QR_NAME = N_("QR code: the page online, %(url)s")


@dataclass(frozen=True)
class Sheet:
    """The online address of a page and the ways to pass it on."""

    url: str  # '' when mkdocs.yml gives no site_url: nothing to point at
    qr: Markup  # inline SVG, '' without an address
    sms: str  # 'sms:?&body=...'
    mail: str  # 'mailto:?subject=...&body=...'
    built: str  # the build date, the printing date until the page's script knows better


def qr_svg(url: str, label: str) -> Markup:
    """A QR code of `url` as one line of SVG, sized by the stylesheet, with a spoken name."""
    code = segno.make(url, error=QR_ERROR_LEVEL, micro=False, mask=QR_MASK)
    buffer = io.BytesIO()
    code.save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        omitsize=True,
        border=2,
        svgclass="portal-qr",
        lineclass=None,
    )
    svg = buffer.getvalue().decode("ascii")
    # The label is plain text: escaped for the attribute; the SVG is ours.
    named = svg.replace("<svg ", Markup('<svg role="img" aria-label="{}" ').format(label), 1)
    return Markup(named)


def sheet(ctx: RenderContext, path: str, name: str) -> Sheet:
    """The sheet of the page at `path` (a `routes` path), named `name` (plain text)."""
    loc = ctx.loc
    url = routes.public_url(ctx.site.url, loc.language, path)
    built = loc.date(ctx.today)
    if not url:
        return Sheet("", Markup(""), "", "", built)
    message = loc.label(MESSAGE) % {"name": name, "url": url}
    return Sheet(
        url=url,
        qr=qr_svg(url, loc.label(QR_NAME) % {"url": url}),
        # 'sms:?&body=' is the form both Android and iOS read.
        sms="sms:?&body=" + quote(message, safe=""),
        mail="mailto:?subject=" + quote(name, safe="") + "&body=" + quote(message, safe=""),
        built=built,
    )
