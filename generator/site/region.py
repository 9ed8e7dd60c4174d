"""The page of a regional portal that links its départements' sites.

A region builds one site per département (``build --departements 35
--site-dir site/35``, see ci-templates/github-actions-regional.yml); this
page, written as ``site/index.html`` once they are side by side, names each
département and links its site and each of its languages. `write_region_index`
checks that each département's site is there before writing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jinja2
from markupsafe import Markup

from .. import i18n
from ..config import PortalConfig
from ..records.departements import departement_of, name_of
from ..records.models import Territory
from ..records.subset import SubsetError, chosen_communes
from ..records.types import LocalizedText
from ..render import richtext
from .build import SITE_MARKER


class RegionError(Exception):
    """The regional page cannot be written; the message says why and what to do."""


def region_page(
    site_name: str, description: LocalizedText, language: str, departements: Sequence[tuple[str, Sequence[str]]]
) -> str:
    """The page in `language`, linking each (département code, languages built for it); every value escaped."""
    text, text_language = description.get(language)
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent.parent / "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("region.html").render(
        site_name=site_name,
        language={"code": language, "dir": i18n.direction(language)},
        description={
            "html": Markup(richtext.html(text, under=1)),
            "code": text_language,
            "dir": i18n.direction(text_language),
        },
        departements=[
            {
                "code": code,
                "name": name_of(code),
                "languages": [{"code": c, "name": i18n.own_name(c), "dir": i18n.direction(c)} for c in languages],
            }
            for code, languages in departements
        ],
    )


def write_region_index(
    config: PortalConfig, territory: Territory, site_dir: Path, codes: Sequence[str] | None = None
) -> tuple[Path, tuple[str, ...]]:
    """Write `site_dir/index.html`, linking the sites of départements `codes` (default: every
    département of the territory), each built into `site_dir/<code>/`; the page and the codes."""
    if codes is None:
        codes = sorted({departement_of(c.insee) for c in territory.communes})
    codes = tuple(codes)
    try:
        chosen_communes(territory, departements=codes)
    except SubsetError as error:
        raise RegionError(f"--departements {','.join(codes)} : {error}") from None
    if (site_dir / SITE_MARKER).is_file():
        raise RegionError(
            f"{site_dir} est un portail construit par « build », pas un dossier de sites de départements : "
            f"construisez chaque département dans {site_dir}/<code>/ (build --departements 35 --site-dir {site_dir}/35)"
        )
    missing = [code for code in codes if not (site_dir / code / SITE_MARKER).is_file()]
    if missing:
        raise RegionError(
            f"aucun site construit pour {', '.join(missing)} dans {site_dir} : construisez d'abord chaque département, comme "
            f"'python -m generator build --departements {missing[0]} --site-dir {site_dir}/{missing[0]}'"
        )
    built = [
        (code, [language for language in config.languages if (site_dir / code / language / "index.html").is_file()])
        for code in codes
    ]
    page = site_dir / "index.html"
    page.write_text(
        region_page(config.site.name, territory.description, config.default_language, built), encoding="utf-8"
    )
    return page, codes
