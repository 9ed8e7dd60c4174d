"""National emergency and helpline numbers, shown on every page.

The labels are message ids of the interface catalogs (translated per language).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_


@dataclass(frozen=True)
class EmergencyNumber:
    number: str
    href: str
    label: str  # what it is for, in a sentence
    short: str  # two words, for the bar at the top of every page


EMERGENCY_NUMBERS = (
    EmergencyNumber("15", "tel:15", N_("Medical emergency (SAMU)"), N_("medical emergency")),
    EmergencyNumber("112", "tel:112", N_("Any emergency, from any phone, anywhere in Europe"), N_("all emergencies")),
    EmergencyNumber(
        "114",
        "sms:114",
        N_("Deaf or hard of hearing: emergency by text message (SMS)"),
        N_("by SMS, deaf people"),
    ),
    EmergencyNumber(
        "3114", "tel:3114", N_("Suicidal thoughts: someone listens, day and night"), N_("suicide prevention")
    ),
    EmergencyNumber("116 117", "tel:116117", N_("Doctor on call in the evening and at weekends"), N_("doctor on call")),
)
