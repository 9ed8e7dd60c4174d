"""The pipeline end to end, as the command line, the preview and the tests run it.

    project = load_project(Path("mkdocs.yml"))
    if project.directory is not None:
        build(project, Path("site"))

`load_project` reads ``mkdocs.yml`` and the records and checks them: load
(YAML with positions) -> validate -> model (`Directory`). Every problem goes
to the project's `Report`, none is raised. `build` renders and builds the
site from a loaded project (see `site.build`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import opendata, routes
from .config import Edition, PortalConfig, load_config
from .i18n.coverage import report_translations
from .problems import Report
from .records.directory import Directory, build_directory
from .records.schedule import TIMEZONE
from .records.validate import Records, validate_directory, validate_guides
from .site.build import SiteBuild, build_site
from .site.content import check_content
from .site.engines import DEFAULT_ENGINE
from .transport.access import TRANSPORT_CATEGORY, unreachable_places
from .transport.feed import load_feeds
from .transport.nearby import WALKING_DISTANCE

#: A part of the records (`records.subset`): it raises SubsetError when it cannot be taken.
Part = Callable[[Records], Records]


def default_today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today in Paris."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), TIMEZONE).date()
    return dt.datetime.now(TIMEZONE).date()


@dataclass(frozen=True)
class Project:
    """A territory's portal, loaded: its configuration and directory, or why not.

    `config` is None when mkdocs.yml has errors; `directory` is None when the
    configuration or the records have errors. `report` lists every problem.
    """

    config: PortalConfig | None
    directory: Directory | None
    report: Report


def load_project(
    config_file: Path,
    *,
    directory: Path | None = None,
    today: dt.date | None = None,
    part: Part | None = None,
    translations: bool = False,
) -> Project:
    """Load and check the configuration and the records (`part` of them).

    `directory`: the records folder, when it is not the one mkdocs.yml names.
    `translations`: list every untranslated text, not only the counts.
    """
    report = Report()
    config = load_config(config_file, report, directory)
    if config is None:
        return Project(None, None, report)
    today = today or default_today()
    records = validate_directory(config.directory, report, today)
    check_content(config.content, config.languages, report)
    feeds = load_feeds(config.directory / "transport", report, today)
    if records is not None:
        validate_guides(records, config.content, report)
    if records is None or report.errors:
        return Project(config, None, report)
    report_translations(records, config.languages, report, detailed=translations)
    if part is not None:
        records = part(records)
    loaded = build_directory(records, today, feeds)
    _report_left_out(config, records, loaded, report)
    _report_unreachable(records, loaded, report)
    _report_collisions(config, loaded, report)
    if report.errors:
        return Project(config, None, report)
    return Project(config, loaded, report)


#: The pages the generator writes once in each language (see `render.pages.site_pages`).
_FIXED_PAGES = frozenset(
    {
        routes.HOME,
        routes.MAP,
        routes.SEARCH,
        routes.PATHWAYS,
        routes.CATEGORIES,
        routes.COMMUNES,
        routes.DISPOSITIFS,
        routes.PERMANENCES,
        routes.CALENDAR,
        routes.REPORT,
        routes.OBSERVATORY,
        routes.ACCESSIBILITY,
        routes.PRIVACY,
        routes.OPEN_DATA,
        routes.SITEMAP,
        routes.calendar_file(None),
    }
)


def generated_path(directory: Directory, path: str) -> str | None:
    """What the generator writes at `path` in a language's docs folder, in words; None if nothing.

    Worked out from the routes, without rendering: `check` calls it for every
    hand-written page (a test holds it to the pages a build really writes).
    """
    if path in _FIXED_PAGES:
        return "une page du site"
    folder, _, rest = path.partition("/")
    if folder == routes.PRO.split("/")[0]:
        return "a page of the professionals' edition"
    stem, dot, extension = rest.rpartition(".")
    if folder == "parcours" and rest.split("/")[0] in directory.pathways:
        return f"une page du parcours « {rest.split('/')[0]} »"
    if folder == routes.NEW_PATIENTS_FOLDER and stem in {"index", *directory.commune_slugs.values()}:
        return "une page des cabinets qui prennent de nouveaux patients"
    if folder == routes.EASY_FOLDER:  # easy-read pages: of records, pathways and guides alike
        return "une page en facile à lire"
    owners = {
        ("services", "md"): directory.services,
        ("permanences", "md"): directory.permanences,
        ("permanences", "ics"): [p for p in directory.permanences if not directory.has_ended(p)],
        ("dispositifs", "md"): directory.dispositifs,
        ("categories", "md"): [c for c in directory.taxonomy.categories if directory.has_category_page(c)],
    }
    if dot and stem in owners.get((folder, extension), ()):
        return f"la page de « {stem} »"
    slugs = set(directory.commune_slugs.values())
    if (
        dot
        and stem in slugs
        and (folder, extension)
        in {
            ("communes", "md"),
            ("calendrier", "md"),
            ("calendrier", "ics"),
            ("imprimer", "md"),
        }
    ):
        return f"une page de la commune « {stem} »"
    return None


def _report_collisions(config: PortalConfig, directory: Directory, report: Report) -> None:
    """A hand-written page where the generator writes one: an error at the page, before any build."""
    for language in config.languages:
        folder = config.content / language
        if not folder.is_dir():
            continue
        for source in sorted(folder.rglob("*")):
            relative = source.relative_to(folder).as_posix()
            if source.name.startswith(".") or not source.is_file():
                continue
            what = generated_path(directory, relative)
            if what is not None:
                report.error(
                    source,
                    1,
                    f"cette page écrite à la main remplacerait {what} ({relative}), que le générateur "
                    "écrit : renommez le fichier ou déplacez-le, comme guides/" + source.name,
                )


def _report_left_out(config: PortalConfig, records: Records, directory: Directory, report: Report) -> None:
    """Records the data·inclusion export must leave out: a warning at the field that keeps them out."""
    for left_out in opendata.rejected(directory, producer=config.site.open_data.producer):
        document = records.documents[(left_out.kind, left_out.rid)]
        report.warning(
            document.path,
            document.line_of(left_out.where),
            f"laissé hors de l'export data·inclusion : {left_out.field} : {left_out.message}",
        )


def _report_unreachable(records: Records, directory: Directory, report: Report) -> None:
    """Places no stop and no transport service reaches: a warning at their coordinates."""
    for place in unreachable_places(directory):
        document = records.documents[(place.kind, place.rid)]
        where = ("latitude",) if place.kind == "services" else ("location", "latitude")
        commune = directory.communes[place.commune].name
        report.warning(
            document.path,
            document.line_of(where),
            f"aucun arrêt des flux GTFS à moins de {WALKING_DISTANCE} m de ce lieu, et aucun service de la "
            f"catégorie « {TRANSPORT_CATEGORY} » ne dessert {commune} : la page ne dit pas comment y venir "
            f"sans voiture. Ajoutez le service de transport à la demande ou solidaire qui dessert la commune "
            f"(« service_area »), ou vérifiez la latitude et la longitude",
            kind="aucun arrêt ni transport",
        )


def build(
    project: Project,
    site_dir: Path,
    *,
    languages: tuple[str, ...] | None = None,
    site_url: str | None = None,
    edition: Edition = Edition.PUBLIC,
    engine: str = DEFAULT_ENGINE,
) -> SiteBuild:
    """Build a loaded project's site into `site_dir` (raises `BuildError`, or `Interrupted` on
    SIGTERM and SIGINT once `workfolders.stop_on_signals` is set); `site_url` overrides mkdocs.yml's.

    `edition`: the public site (no `professional:` value anywhere), or the professionals' edition;
    `engine`: what puts the theme around the pages (`site.engines.ENGINES`)."""
    config, directory = project.config, project.directory
    if config is None or directory is None:
        raise ValueError("a project with errors cannot be built: see its report")
    if site_url is not None:
        config = config.with_site_url(site_url)
    config = config.with_edition(edition)
    return build_site(config, directory, site_dir, languages=languages, engine=engine)
