"""Verification campaigns: ask each structure whether what residents read is still right.

    targets = select(directory, older_than=Period.parse("6m"), commune="35236")
    campaign = campaign_files(directory, site, contacts(directory, targets))
    write_campaign(Path("campagne"), campaign.files)

and, once a structure has answered, `mark_verified(folder, ["ccas-redon"], today, today)`.
"""

from __future__ import annotations

from ..records.verification import Contact, Period, PeriodError, Target, categories_of, commune_of, contacts, select
from .files import MARKER, Campaign, CampaignError, Letter, campaign_files, write_campaign
from .verified import Marked, VerifiedError, mark_verified

__all__ = [
    "MARKER",
    "Campaign",
    "CampaignError",
    "Contact",
    "Letter",
    "Marked",
    "Period",
    "PeriodError",
    "Target",
    "VerifiedError",
    "campaign_files",
    "categories_of",
    "commune_of",
    "contacts",
    "mark_verified",
    "select",
    "write_campaign",
]
