"""What residents are told each code of the records means.

Catalog message ids (English), translated where they are shown: on the pages
(`render`) and, in French, in the open data exports (`opendata`).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ..records.models import (
    AppointmentPolicy,
    Cost,
    Interpreting,
    NetworkKind,
    NewPatients,
    NoticeKind,
    Pictogram,
    WheelchairAccess,
)
from . import N_

APPOINTMENT_LABELS = {
    AppointmentPolicy.REQUIRED: N_("By appointment only"),
    AppointmentPolicy.RECOMMENDED: N_("Appointment recommended"),
    AppointmentPolicy.NOT_NEEDED: N_("No appointment needed"),
}
COST_LABELS = {
    Cost.FREE: N_("Free"),
    Cost.TIERS_PAYANT: N_("Nothing to pay upfront (tiers payant)"),
    Cost.SECTOR_1: N_("Standard fees, no extra charges (secteur 1)"),
    Cost.SECTOR_2: N_("Extra charges possible (secteur 2)"),
    Cost.PAID: N_("Paid"),
}
INTERPRETING_LABELS = {
    Interpreting.PHONE: N_("interpreter by phone"),
    Interpreting.ON_SITE: N_("interpreter on site"),
    Interpreting.SIGN_LANGUAGE: N_("French sign language (LSF)"),
}
WHEELCHAIR_LABELS = {
    WheelchairAccess.FULL: N_("Wheelchair accessible"),
    WheelchairAccess.PARTIAL: N_("Partly wheelchair accessible"),
    WheelchairAccess.NONE: N_("Not wheelchair accessible"),
}
NEW_PATIENTS_LABELS = {
    NewPatients.ACCEPTING: N_("Takes new patients"),
    NewPatients.LIMITED: N_("Takes some new patients"),
    NewPatients.WAITING_LIST: N_("Waiting list for new patients"),
    NewPatients.NOT_ACCEPTING: N_("Does not take new patients"),
}
NOTICE_LABELS = {
    NoticeKind.CLOSURE: N_("Temporary closure"),
    NoticeKind.CHANGED_HOURS: N_("Changed opening hours"),
    NoticeKind.MESSAGE: N_("Information"),
}
PICTOGRAM_LABELS = {
    Pictogram.FREE: N_("Free"),
    Pictogram.APPOINTMENT: N_("Appointment needed"),
    Pictogram.NO_APPOINTMENT: N_("No appointment needed"),
    Pictogram.DOCUMENTS: N_("Documents to bring"),
    Pictogram.PHONE: N_("Phone"),
    Pictogram.ADDRESS: N_("Address"),
    Pictogram.INTERPRETER: N_("Interpreter"),
    Pictogram.WHEELCHAIR: N_("Wheelchair access"),
    Pictogram.EMERGENCY: N_("Emergency"),
    Pictogram.HOURS: N_("Opening hours"),
}
# TRANSLATORS: the French acronyms stay as they are: professionals know the networks by them.
NETWORK_KIND_LABELS = {
    NetworkKind.CPTS: N_("Professional health communities (CPTS)"),
    NetworkKind.CLS: N_("Local health contracts (CLS)"),
    NetworkKind.CLSM: N_("Local mental health councils (CLSM)"),
    NetworkKind.DAC: N_("Coordination support services (DAC)"),
    NetworkKind.CLIC: N_("Local information centres for older people (CLIC)"),
    NetworkKind.OTHER: N_("Other networks"),
}

#: The labels of each kind of code.
LABELS: dict[type[Enum], dict[Any, str]] = {
    AppointmentPolicy: APPOINTMENT_LABELS,
    Cost: COST_LABELS,
    Interpreting: INTERPRETING_LABELS,
    WheelchairAccess: WHEELCHAIR_LABELS,
    NewPatients: NEW_PATIENTS_LABELS,
    NoticeKind: NOTICE_LABELS,
    Pictogram: PICTOGRAM_LABELS,
    NetworkKind: NETWORK_KIND_LABELS,
}
