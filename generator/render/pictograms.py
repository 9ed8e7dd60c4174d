"""Pictograms for the notions residents act on, drawn for this project.

Each is a 24 × 24 line drawing in one colour (`currentColor`), so that it
follows the text's colour, the dark theme and the printer, and reads in black
and white. They go beside their words, never instead of them: the drawing is
`aria-hidden`, the word next to it is what a screen reader says.

Licence: drawn for the portal, under the project's licence (EUPL-1.2); see
docs/pictograms.md.
"""

from __future__ import annotations

from markupsafe import Markup

from ..records.models import Pictogram

# The inside of each <svg>: strokes only, 2 px wide, round ends (filled dots where a stroke would vanish).
_DRAWINGS = {
    # a euro sign struck through: nothing to pay
    Pictogram.FREE: '<circle cx="12" cy="12" r="9"/><path d="M15.5 8.5a4.5 4.5 0 1 0 0 7M7 11h6M7 13.5h5M5.6 5.6l12.8 12.8"/>',
    # a calendar page with a tick: an appointment is needed
    Pictogram.APPOINTMENT: '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4M8.5 15.5l2.5 2.5 4.5-4.5"/>',
    # a calendar page struck through: come without an appointment
    Pictogram.NO_APPOINTMENT: '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4M2 2l20 20"/>',
    # a sheet of paper with lines: documents to bring
    Pictogram.DOCUMENTS: '<path d="M6 2.5h8.5L19 7v14.5H6zM14.5 2.5V7H19M9 11.5h7M9 15h7M9 18.5h4"/>',
    # a telephone handset
    Pictogram.PHONE: (
        '<path d="M6.5 3h3l1.5 4.5-2 1.5a11 11 0 0 0 6 6l1.5-2 4.5 1.5v3a2 2 0 0 1-2 2A17 17 0 0 1 4.5 5a2 2 0 0 1 2-2z"/>'
    ),
    # a map pin
    Pictogram.ADDRESS: '<path d="M12 22s-7-6.5-7-12.5a7 7 0 0 1 14 0C19 15.5 12 22 12 22z"/><circle cx="12" cy="9.5" r="2.5"/>',
    # two speech bubbles: someone translates
    Pictogram.INTERPRETER: (
        '<path d="M2.5 3.5h11v8h-6l-3.5 3v-3H2.5zM16.5 8.5h5v8h-1.5v3l-3.5-3h-6v-2.5"/><path d="M6 7.5h4M14 12.5h4"/>'
    ),
    # the wheelchair user of the international symbol of access
    Pictogram.WHEELCHAIR: (
        '<circle cx="11" cy="3.8" r="1.6"/><path d="M11 7v6.5h5.5l2.5 6M11 10h5"/>'
        '<path d="M8 11a5.5 5.5 0 1 0 7.2 7.3"/>'
    ),
    # a warning triangle
    Pictogram.EMERGENCY: '<path d="M12 3 1.8 20.5h20.4zM12 9.5v5"/><circle cx="12" cy="17.6" r="0.6"/>',
    # a clock
    Pictogram.HOURS: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5.5l3.5 2"/>',
}


def pictogram(name: Pictogram | None) -> Markup:
    """The drawing of `name`, hidden from screen readers (its word stands beside it); empty for None."""
    if name is None:
        return Markup("")
    return Markup(
        f'<svg class="portal-picto" data-picto="{name.value}" aria-hidden="true" focusable="false" '
        'viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" '
        f'stroke-linecap="round" stroke-linejoin="round">{_DRAWINGS[name]}</svg>'
    )
