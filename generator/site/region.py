"""The page of a regional portal that links its départements' sites.

A region builds one site per département (``build --departements 35
--site-dir site/35``, see ci-templates/github-actions-regional.yml); this
page, written as ``site/index.html`` once they are side by side, names each
département and links its site and each of its languages. Rendering only:
the command line checks the codes and writes the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import jinja2

from .. import i18n
from ..records.departements import name_of
from ..records.types import LocalizedText


def region_page(
    site_name: str, description: LocalizedText, language: str, departements: Sequence[tuple[str, Sequence[str]]]
) -> str:
    """The page in `language`, linking each (département code, languages built for it); every value escaped."""
    text, text_language = description.get(language)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
    )
    return environment.get_template("region.html").render(
        site_name=site_name,
        language={"code": language, "dir": i18n.direction(language)},
        description={"text": text, "code": text_language, "dir": i18n.direction(text_language)},
        departements=[
            {
                "code": code,
                "name": name_of(code),
                "languages": [{"code": c, "name": i18n.own_name(c), "dir": i18n.direction(c)} for c in languages],
            }
            for code, languages in departements
        ],
    )
