"""Command line: ``python -m generator check|build|region-index|serve|quality|new|import|synth|campaign|verified|schema``.

Exit codes: 0 when everything is fine (warnings do not fail), 1 when the
records or the build have errors, 2 when the generator itself failed; a build
stopped by SIGTERM or SIGINT exits with 143 or 130, as the shell reports a
signal. `build` exits 0 once the new site is in place, even when the previous
copy could not be deleted (a warning names where it was left): its exit status
says whether the new site is published.
Problems are printed as ``path:line: severity: message``; no traceback is
ever shown to a coordinator (set PORTAL_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .config import PRO_SITE_DIR, Edition, load_config, web_address_problem
from .guarded import FileRefused
from .pipeline import Part, Project, default_today, load_project
from .pipeline import build as build_project
from .problems import Report, Severity, french_number, gitlab_report, report_line
from .records.new import KINDS as NEW_KINDS
from .records.subset import SubsetError, chosen_communes, parse_codes, restrict
from .records.validate import PLACEHOLDER
from .site.build import BuildError, SiteBuild
from .site.engines import DEFAULT_ENGINE, ENGINES
from .site.workfolders import Cleaned, Interrupted, stop_on_signals


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"« {text} » n'est pas une date : attendu AAAA-MM-JJ, comme 2026-11-30"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Check the records of a care-access portal and build its static site.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)"
    )
    common.add_argument(
        "--directory",
        type=Path,
        default=None,
        help="the records folder (default: the one mkdocs.yml names, directory/)",
    )
    common.add_argument(
        "--today", type=_date, default=None, help="the date to compute next sessions from, YYYY-MM-DD (default: today)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", parents=[common], help="check the records and list every problem")
    check.add_argument(
        "--format",
        choices=("text", "github", "gitlab"),
        default="text",
        help="text (default); github: annotations in a GitHub Actions run; "
        "gitlab: a code quality report (JSON, on standard output) for GitLab merge requests",
    )
    check.add_argument(
        "--translations",
        action="store_true",
        help="list every record text that has no translation yet, language by language",
    )
    build = commands.add_parser("build", parents=[common], help="check, then build the site")
    build.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help=f"where to write the site (default: site; with --edition pro: {PRO_SITE_DIR})",
    )
    build.add_argument(
        "--edition",
        choices=[edition.value for edition in Edition],
        default=Edition.PUBLIC.value,
        help="public (default): the portal for residents, which never holds a 'professional:' value; pro: the "
        "professionals' edition, with the records' 'professional:' parts and a section for professionals, to "
        f"publish behind the host's access control (default folder: {PRO_SITE_DIR}; see the README)",
    )
    build.add_argument(
        "--languages",
        default=None,
        metavar="LANG,LANG",
        help="build only these languages of mkdocs.yml, comma-separated, like fr or fr,en (default: all); "
        "builds of different languages put together make the whole site",
    )
    build.add_argument(
        "--engine",
        choices=ENGINES,
        default=DEFAULT_ENGINE,
        help="what puts the theme around the pages: mkdocs (default), properdocs (ProperDocs, the maintained "
        "fork of MkDocs 1.x, installed with the 'properdocs' extra), zensical (not yet: says what is missing; "
        "see docs/engines.md)",
    )
    part = build.add_mutually_exclusive_group()
    part.add_argument(
        "--departements",
        default=None,
        metavar="CODE,CODE",
        help="build only the communes of these départements of territory.yml, like 35 or 35,44 (the start of "
        "the INSEE codes: 2 characters, 3 overseas like 974): the services and permanences located there, "
        "every dispositif and pathway. One site per département, side by side with region-index, makes a "
        "regional portal (ci-templates/github-actions-regional.yml)",
    )
    part.add_argument(
        "--communes",
        default=None,
        metavar="INSEE,INSEE",
        help="build only these communes of territory.yml, by INSEE code (not postcode), like 35236,35013",
    )
    build.add_argument(
        "--site-url",
        default=None,
        metavar="URL",
        help="where this site will be published, when it is not site_url of mkdocs.yml, like "
        "https://sante.example.org/35/ for a département of a regional portal (QR codes, links sent, open data)",
    )
    region = commands.add_parser(
        "region-index",
        parents=[common],
        help="write the page of a regional portal that links its départements' sites, built into SITE/<code>/",
    )
    region.add_argument(
        "--site-dir",
        type=Path,
        default=Path("site"),
        help="the folder that holds one site per département, like site/35/ (default: site); "
        "the page is written as its index.html",
    )
    region.add_argument(
        "--departements",
        default=None,
        metavar="CODE,CODE",
        help="the départements to link, in this order (default: every département of territory.yml)",
    )
    quality = commands.add_parser(
        "quality", help="check a built site: valid HTML, internal links, no third-party loads, accessibility (axe)"
    )
    quality.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)"
    )
    quality.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    quality.add_argument(
        "--site-url",
        default=None,
        metavar="URL",
        help="where the site will be published, when it is not site_url of mkdocs.yml: the --site-url it was "
        "built with (links from the site's root, like those of 404 pages, start with its path)",
    )
    quality.add_argument(
        "--axe",
        nargs="*",
        metavar="LANG",
        default=None,
        help="also run axe-core in headless Chromium on every kind of page of these languages (default: none)",
    )
    new = commands.add_parser("new", help="write a commented template record to fill in")
    new.add_argument("kind", choices=sorted(NEW_KINDS), help="the kind of record")
    new.add_argument("id", help="the record's id, its file name: lowercase letters, digits and hyphens, like msp-redon")
    new.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)"
    )
    new.add_argument(
        "--directory", type=Path, default=None, help="the records folder (default: the one mkdocs.yml names)"
    )
    imports = commands.add_parser(
        "import",
        help="turn records published elsewhere into YAML records (data·inclusion JSON or CSV, Open Referral HSDS 3.0 JSON)",
    )
    imports.add_argument("format", choices=["data-inclusion", "hsds"], help="the format of the files")
    imports.add_argument(
        "files",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="data·inclusion services and/or structures: JSON (a list, or a page of the API), CSV, "
        "or the spreadsheet template (.xlsx, .ods); HSDS services and/or organizations (.json)",
    )
    imports.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)"
    )
    imports.add_argument(
        "--directory", type=Path, default=None, help="the records folder (default: the one mkdocs.yml names)"
    )
    imports.add_argument(
        "--source",
        default=None,
        metavar="NAME",
        help="the data·inclusion 'source' of objects that have none, as in the spreadsheet template "
        "(default: the file's name)",
    )
    imports.add_argument(
        "--today", type=_date, default=None, help="the import date written in the records (default: today)"
    )
    synth = commands.add_parser(
        "synth", help="write a synthetic territory of fictional records, to test the portal at scale"
    )
    synth.add_argument("--services", type=int, required=True, metavar="N", help="how many services")
    synth.add_argument("--communes", type=int, required=True, metavar="C", help="how many communes")
    synth.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the records folder to write (new or empty)"
    )
    synth.add_argument("--seed", type=int, default=0, help="the same seed gives the same files (default: 0)")
    synth.add_argument("--languages", default="fr,en,ar", help="languages of the translated texts (default: fr,en,ar)")
    synth.add_argument(
        "--today",
        type=_date,
        default=None,
        help="records are checked within 6 months before this date, YYYY-MM-DD (default: 2026-11-23)",
    )
    _sheet_parser(commands, common)
    schema = commands.add_parser(
        "schema", help="write the JSON Schema of each kind of record, for editors that check a record as it is typed"
    )
    schema.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="the folder to write <kind>.schema.json into"
    )
    schema.add_argument(
        "--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)"
    )
    campaign = commands.add_parser(
        "campaign",
        parents=[common],
        help="write a verification campaign: one message per contact, a mail-merge table, a phone list",
    )
    campaign.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the folder to write (new, empty, or an earlier campaign's)",
    )
    campaign.add_argument(
        "--older-than",
        default=None,
        metavar="PERIOD",
        help="only records last checked before this period, like 6m, 12m, 90d or 1y (default: every record)",
    )
    campaign.add_argument(
        "--category", default=None, metavar="ID", help="only records of this category of taxonomy.yml"
    )
    campaign.add_argument(
        "--commune", default=None, metavar="INSEE", help="only records in this commune, by INSEE code, like 35236"
    )
    verified = commands.add_parser(
        "verified", parents=[common], help="mark records as checked: set 'verified' (and 'source'), nothing else"
    )
    verified.add_argument("ids", nargs="+", metavar="ID", help="record ids (file names), like ccas-redon")
    verified.add_argument(
        "--on", type=_date, default=None, help="the day they were checked, YYYY-MM-DD (default: today)"
    )
    verified.add_argument(
        "--source", default=None, metavar="TEXT", help="how they were checked, like 'Appel à l'accueil'"
    )
    serve = commands.add_parser("serve", parents=[common], help="preview the site, rebuilt when a file changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.add_argument(
        "--languages",
        default=None,
        metavar="LANG,LANG",
        help="preview these languages, comma-separated (default: the first language of mkdocs.yml only)",
    )
    serve.add_argument(
        "--edition",
        choices=[edition.value for edition in Edition],
        default=Edition.PUBLIC.value,
        help="public (default), or pro: preview the professionals' edition, as build --edition pro makes it",
    )
    return parser


def _print_report(report: Report, out: TextIO | None = None) -> None:
    out = out or sys.stderr  # looked up now: tests and callers may have replaced it
    cwd = Path.cwd()
    for problem in report.sorted():
        print(problem.format(relative_to=cwd), file=out)
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    if errors or warnings:
        print(
            f"{french_number(errors)} erreur{'s' if errors > 1 else ''}, "
            f"{french_number(warnings)} avertissement{'s' if warnings > 1 else ''}.",
            file=out,
        )


def _load(args: argparse.Namespace, part: Part | None = None) -> Project:
    """The project the options name (`part` of its records)."""
    return load_project(
        args.config,
        directory=args.directory,
        today=args.today,
        part=part,
        translations=getattr(args, "translations", False),
    )


def check(args: argparse.Namespace) -> int:
    project = _load(args)
    directory, report = project.directory, project.report
    if args.format == "github":
        for problem in report.sorted():
            print(problem.github())
    elif args.format == "gitlab":
        print(gitlab_report(report.sorted()))
    _print_report(report)
    if directory is None:
        return 1
    counts = (
        f"{len(directory.services)} services, {len(directory.permanences)} permanences, "
        f"{len(directory.dispositifs)} dispositifs, {len(directory.pathways)} parcours"
    )
    print(
        f"Fiches vérifiées : {counts}, {len(directory.communes)} communes.",
        file=sys.stderr if args.format == "gitlab" else sys.stdout,
    )
    return 0


def _is_site_url(url: str | None) -> bool:
    """True when --site-url is absent or a web address (the check of site_url); otherwise says what is expected."""
    problem = None if url is None else web_address_problem(url, site=True)
    if problem is None:
        return True
    print(
        f"erreur : --site-url {url} {problem} : attendu https://..., comme https://sante.example.org/35/",
        file=sys.stderr,
    )
    return False


def _part(args: argparse.Namespace) -> tuple[str, Part] | None:
    """`build --departements` or `--communes`: the option as given, and the part of the records it keeps."""
    if args.departements is not None:
        departements = parse_codes(args.departements)
        return f"--departements {args.departements}", lambda records: restrict(
            records, chosen_communes(records.territory, departements=departements)
        )
    if args.communes is not None:
        communes = parse_codes(args.communes)
        return f"--communes {args.communes}", lambda records: restrict(
            records, chosen_communes(records.territory, communes=communes)
        )
    return None


def build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    edition = Edition(args.edition)
    if args.site_dir is None:
        args.site_dir = Path(PRO_SITE_DIR if edition is Edition.PRO else "site")
    if not _is_site_url(args.site_url):
        return 1
    option, part = _part(args) or ("", None)
    try:
        project = _load(args, part)
    except SubsetError as error:
        print(f"erreur : {option} : {error}", file=sys.stderr)
        print("Rien n'a été construit.", file=sys.stderr)
        return 1
    _print_report(project.report)
    if project.directory is None:
        print("Rien n'a été construit : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    languages = tuple(code.strip() for code in args.languages.split(",") if code.strip()) if args.languages else None
    try:
        with stop_on_signals():
            done = build_project(
                project, args.site_dir, languages=languages, site_url=args.site_url, edition=edition, engine=args.engine
            )
    except BuildError as error:
        for line in f"erreur : {error}".split("\n"):  # MkDocs' messages, one a line, may quote a page
            print(report_line(line), file=sys.stderr)
        if not error.site_changed:
            print(f"Rien n'a été changé dans {args.site_dir}.", file=sys.stderr)
        return 1
    except Interrupted as stop:
        if stop.published is not None:
            print(f"Interrompu ({stop}) après la mise en place du nouveau site dans {args.site_dir}.", file=sys.stderr)
            if stop.left_over is not None and stop.left_over.exists():
                print(
                    f"L'ancienne copie reste dans {stop.left_over} : la prochaine construction la supprime.",
                    file=sys.stderr,
                )
        else:
            print(
                f"Interrompu ({stop}) : rien n'a été changé dans {args.site_dir} ; les dossiers de travail ont été supprimés.",
                file=sys.stderr,
            )
        return 128 + stop.signum
    _print_cleaned(done.cleaned)
    results = done.results
    pages = sum(r.pages for r in results)
    seconds = time.perf_counter() - started
    built = ", ".join(r.language for r in results)
    communes = f", {len(project.directory.communes)} communes de {option}" if option else ""
    what = "Édition professionnelle construite" if edition is Edition.PRO else "Site construit"
    print(f"{what} dans {args.site_dir} : {pages} pages ({built}{communes}) en {seconds:.1f} s.")
    _print_left_over(done)
    return 0


def _print_cleaned(cleaned: Cleaned) -> None:
    """What earlier builds, killed before they could clean up, had left."""
    if cleaned.removed:
        print(
            "Dossiers supprimés, laissés par une construction précédente interrompue : "
            + ", ".join(str(path) for path in cleaned.removed)
            + ".",
            file=sys.stderr,
        )
    for path, reason in cleaned.stuck:
        print(
            f"avertissement : {path} : laissé par une construction précédente interrompue, il n'a pas pu être supprimé "
            f"({reason}) : supprimez-le vous-même, avec un compte qui en a le droit",
            file=sys.stderr,
        )


def _print_left_over(done: SiteBuild) -> None:
    """The new site is published (exit 0); the previous copy may remain, at the path named."""
    swap = done.swap
    if swap.left_over is not None:
        print(
            f"avertissement : le nouveau site est en place dans {swap.site_dir}, mais l'ancienne copie n'a pas pu être "
            f"supprimée ({swap.reason}) : elle est restée dans {swap.left_over}. Supprimez ce dossier vous-même (rm -rf "
            f"'{swap.left_over}', avec un compte qui en a le droit) ; la prochaine construction réessaiera.",
            file=sys.stderr,
        )


def region_index(args: argparse.Namespace) -> int:
    """`site/index.html`: the regional page linking the départements' sites, each built into `site/<code>/`."""
    from .site.region import RegionError, write_region_index

    project = _load(args)
    _print_report(project.report)
    if project.config is None or project.directory is None:
        print("Rien n'a été écrit : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    codes = parse_codes(args.departements) if args.departements is not None else None
    try:
        page, linked = write_region_index(project.config, project.directory.territory, args.site_dir, codes)
    except RegionError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    print(f"Page régionale écrite : {page}, avec les liens vers {', '.join(linked)}.")
    return 0


def serve(args: argparse.Namespace) -> int:
    from .config import PortalConfig
    from .records.directory import Directory
    from .site.preview import serve as serve_preview

    edition = Edition(args.edition)

    def load_now() -> tuple[PortalConfig | None, Directory | None]:
        project = _load(args)
        _print_report(project.report)
        config = project.config.with_edition(edition) if project.config is not None else None
        return config, project.directory

    def languages(config: PortalConfig) -> tuple[str, ...]:
        # The first language unless told otherwise: one rebuilds several times faster than all.
        chosen = tuple(code.strip() for code in args.languages.split(",") if code.strip()) if args.languages else ()
        return chosen or config.languages[:1]

    host, _, port = args.dev_addr.rpartition(":")
    with stop_on_signals():  # SIGTERM stops it as Ctrl+C does, its workspace deleted
        ok = serve_preview(
            load_now, languages, host or "127.0.0.1", int(port), lambda text: print(text, file=sys.stderr)
        )
    return 0 if ok else 1


def _records_folder(args: argparse.Namespace) -> Path | None:
    """--directory, or the folder mkdocs.yml names; None (reported) when the configuration is wrong."""
    if args.directory is not None:
        return Path(args.directory)
    report = Report()
    config = load_config(args.config, report)
    _print_report(report)
    return None if config is None else config.directory


def new(args: argparse.Namespace) -> int:
    """Write `directory/<kind>s/<id>.yml` from the template, without overwriting anything."""
    from .editor import schema_url
    from .records.new import NewRecordError, write_new_record

    directory = _records_folder(args)
    if directory is None:
        return 1
    config = load_config(args.config, Report()) if args.config.is_file() else None
    try:
        target = write_new_record(
            directory, args.kind, args.id, schema_url(config.site.url if config else None, args.kind)
        )
    except NewRecordError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    print(f"Écrit : {target}. Remplacez chaque « {PLACEHOLDER} » par la valeur, puis lancez « make check ».")
    return 0


def quality(args: argparse.Namespace) -> int:
    """The quality gates on a built site; problems as `page:line: gate: message`."""
    from .quality import CheckerMissing, check_published_site
    from .quality.accessibility import BrowserMissing

    report = Report()
    config = load_config(args.config, report)
    _print_report(report)
    if config is None:
        return 1
    if not (args.site_dir / "index.html").is_file():
        print(
            f"erreur : pas de site dans {args.site_dir} : lancez d'abord « python -m generator build »", file=sys.stderr
        )
        return 1
    if not _is_site_url(args.site_url):
        return 1
    # --axe alone: every language of the site
    axe = None if args.axe is None else (args.axe or list(config.languages))
    try:
        result = check_published_site(args.site_dir, args.site_url or config.site.url, axe)
    except (CheckerMissing, BrowserMissing) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    for finding in result.findings:
        print(report_line(finding.format()), file=sys.stderr)
    print(result.summary())
    return 0 if result.ok else 1


def import_records(args: argparse.Namespace) -> int:
    """Records that exist elsewhere, written under directory/services/; what could not be mapped is listed."""
    from .importing import import_data_inclusion, import_hsds

    directory = _records_folder(args)
    if directory is None:
        return 1
    report = Report()
    today = args.today or default_today()
    if args.format == "hsds":
        name, target = "HSDS", directory
        result = import_hsds(args.files, directory, today, report)
    else:
        name, target = "data·inclusion", directory / "services"
        result = import_data_inclusion(args.files, directory, today, report, getattr(args, "source", None))
    _print_report(report)
    if result is None:
        print("Rien n'a été importé.", file=sys.stderr)
        return 1
    cwd = Path.cwd()

    def shown(path: Path) -> str:
        return (
            str(path.resolve().relative_to(cwd.resolve()))
            if path.resolve().is_relative_to(cwd.resolve())
            else str(path)
        )

    def say(line: str) -> None:
        # ids and values come from the imported files: one line each, no CI command
        print(report_line(line), file=sys.stderr)

    for path in result.kept:
        say(
            f"{shown(path)}: gardée telle quelle : modifiée à la main depuis le dernier import "
            "(supprimez le fichier pour l'importer à nouveau)"
        )
    for path in result.hand_made:
        say(
            f"{shown(path)}: gardée telle quelle : une fiche de ce nom n'a pas été écrite par l'import "
            "(renommez l'une des deux pour l'importer)"
        )
    for path, origin in result.gone:
        say(
            f"{shown(path)}: {origin} n'est plus dans ces fichiers : vérifiez si le lieu existe encore, "
            "puis supprimez ou gardez la fiche"
        )
    for first, second in result.clashes:
        say(f"avertissement : {second} donne le même nom de fichier que {first} : seul {first} a été importé")
    for path, item in result.unmapped:
        say(f"{shown(path)}: non importé : {item.format()}")
    for path, why in result.failed:
        say(f"{shown(path)}: erreur : {why}")
    print(
        f"import {name} dans {shown(target)} : {len(result.created)} créée(s), "
        f"{len(result.updated)} mise(s) à jour, {len(result.unchanged)} inchangée(s), "
        f"{len(result.kept) + len(result.hand_made)} gardée(s) (modifiées à la main), "
        f"{len(result.unmapped)} valeur(s) non importée(s)"
        + (f", {len(result.failed)} non écrite(s)." if result.failed else ".")
    )
    if result.created or result.updated:
        print(
            f"Ensuite : remplacez chaque « {PLACEHOLDER} » laissé dans les nouvelles fiches, puis lancez « make check »."
        )
    return 1 if report.errors or result.failed else 0


def synth(args: argparse.Namespace) -> int:
    """A synthetic territory under --out: fictional, deterministic from the seed."""
    from .records.synth import DEFAULT_TODAY, Settings, SynthError, parse_languages, write_territory

    started = time.perf_counter()
    try:
        settings = Settings(
            services=args.services,
            communes=args.communes,
            seed=args.seed,
            languages=parse_languages(args.languages),
            today=args.today or DEFAULT_TODAY,
        )
        written = write_territory(settings, args.out)
    except SynthError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"Territoire fictif écrit dans {args.out} : {settings.services} services, "
        f"{settings.services // 3} permanences, {settings.communes} communes ({written} fichiers) en {seconds:.1f} s."
    )
    print(f"Ensuite : python -m generator check --directory {args.out}")
    return 0


# --- sheet: the spreadsheet round trip -------------------------------------------------------


def _sheet_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    sheet = commands.add_parser("sheet", help="edit the records in a spreadsheet: export, then import the changes")
    actions = sheet.add_subparsers(dest="action", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", parents=[common], help="write the records into a workbook (.xlsx for Excel, .ods for LibreOffice)"
    )
    export.add_argument("file", type=Path, metavar="FILE", help="the workbook to write, like annuaire.xlsx")
    export.add_argument("--force", action="store_true", help="write over FILE if it exists")
    imports = actions.add_parser(
        "import", parents=[common], help="check a workbook like check does, then change only what changed"
    )
    imports.add_argument("file", type=Path, metavar="FILE", help="the workbook to read, .xlsx or .ods")
    imports.add_argument("--dry-run", action="store_true", help="check and say what would change, write nothing")


def sheet(args: argparse.Namespace) -> int:
    from .sheets import SheetError, export_file, import_workbook

    report = Report()
    today = args.today or default_today()
    cwd = Path.cwd()
    try:
        if args.action == "export":
            if args.file.exists() and not args.force:
                print(
                    f"erreur : {args.file} existe déjà : il contient peut-être des modifications pas encore importées. "
                    "Importez-le d'abord, ou ajoutez --force pour l'écraser",
                    file=sys.stderr,
                )
                return 1
            count = export_file(args.config, args.file, report, args.directory, today)
            _print_report(Report(report.errors))
            if count is None:
                print(
                    "Rien n'a été exporté : corrigez les erreurs ci-dessus (python -m generator check), puis exportez à nouveau."
                )
                return 1
            print(
                f"Écrit : {args.file}, {count} fiches. Modifiez-le, puis : python -m generator sheet import {args.file}"
            )
            return 0
        result = import_workbook(args.file, args.config, report, args.directory, today, dry_run=args.dry_run)
    except SheetError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    _print_report(report)
    if result is None:
        return 1
    name = str(args.file)
    done = result.plan
    for problem in [*done.notes, *done.problems]:
        print(report_line(problem.format(name, relative_to=cwd)), file=sys.stderr)
    if done.errors:
        print(f"{len(done.errors)} erreur(s) : rien n'a été écrit. Corrigez-les dans {name}, puis importez à nouveau.")
        return 1

    def shown(path: Path) -> str:
        resolved = path.resolve()
        return str(resolved.relative_to(cwd.resolve())) if resolved.is_relative_to(cwd.resolve()) else str(path)

    for edit in result.written:
        if edit.new:
            print(f"nouvelle : {shown(edit.path)} (ligne {edit.place.row} de « {edit.place.sheet} »)")
        else:
            changed = ", ".join(".".join(map(str, keys)) for keys in edit.keys)
            print(f"modifiée : {shown(edit.path)} : {changed}")
    for path in done.missing:
        print(
            f"absente : {shown(path)} : aucune ligne du classeur ne la montre ; le fichier est gardé (supprimez-le pour la retirer)"
        )
    new = sum(1 for edit in result.written if edit.new)
    unchanged = len(done.unchanged) + len(done.edits) - len(result.written)  # cells that differ, same data
    print(
        f"Import du tableur {name} : {len(result.written) - new} modifiée(s), {new} nouvelle(s), "
        f"{unchanged} inchangée(s), {len(done.missing)} absente(s) (gardées)."
        + (" Essai (--dry-run) : rien n'a été écrit." if args.dry_run else "")
    )
    return 0


def schema(args: argparse.Namespace) -> int:
    """The record schemas, as the site publishes them under data/schema/."""
    from .editor import schema_files

    report = Report()
    config = load_config(args.config, report) if args.config.is_file() else None
    _print_report(report)
    written = []
    for relative, data in schema_files(config.site.url if config else None).items():
        target = args.out / Path(relative).name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target.name)
    print(f"Écrit dans {args.out} : {', '.join(written)}.")
    return 0


def campaign(args: argparse.Namespace) -> int:
    """Files to ask each structure whether its records are still right; no record is changed."""
    from .campaign import CampaignError, PeriodError, campaign_files, contacts, select, write_campaign
    from .campaign import Period as CheckPeriod

    try:
        period = CheckPeriod.parse(args.older_than) if args.older_than else None
    except PeriodError as error:
        print(f"erreur : --older-than {error}", file=sys.stderr)
        return 1
    project = _load(args)
    _print_report(project.report)
    if project.config is None or project.directory is None:
        print("Rien n'a été écrit : corrigez d'abord les erreurs ci-dessus.", file=sys.stderr)
        return 1
    directory = project.directory
    if args.category is not None and args.category not in directory.taxonomy.categories:
        known = ", ".join(sorted(directory.taxonomy.categories))
        print(
            f"erreur : --category {args.category} : cette catégorie n'est pas dans taxonomy.yml : attendu l'une de {known}",
            file=sys.stderr,
        )
        return 1
    if args.commune is not None and args.commune not in directory.communes:
        print(
            f"erreur : --commune {args.commune} : ce n'est pas un code INSEE de territory.yml (pas un code postal), comme "
            f"{next(iter(directory.communes))}",
            file=sys.stderr,
        )
        return 1
    targets = select(directory, older_than=period, category=args.category, commune=args.commune)
    result = campaign_files(directory, project.config.site, contacts(directory, targets))
    try:
        left = write_campaign(args.out, result.files)
    except CampaignError as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    with_email = sum(1 for letter in result.letters if letter.contact.email)
    print(
        f"Campagne écrite dans {args.out} : {result.records} fiche(s), {len(result.letters)} contact(s), "
        f"{len(result.letters)} message(s) dans {args.out / 'messages'} ({with_email} avec une adresse e-mail), "
        f"{len(result.without_email)} fiche(s) sans e-mail (liste d'appels seulement : {args.out / 'appels.html'}) ; "
        f"publipostage : {args.out / 'publipostage.csv'}."
    )
    if result.sender is None:
        print(
            "remarque : les messages n'ont pas d'expéditeur (From:) : ajoutez 'email:' sous 'publisher:' dans "
            "territory.yml, sinon votre messagerie mettra votre propre adresse."
        )
    if not project.config.site.url:
        print("remarque : pas de site_url dans mkdocs.yml : les messages ne peuvent pas donner l'adresse des pages.")
    if left:
        print(
            f"remarque : {len(left)} fichier(s) d'une campagne précédente restent dans {args.out} (rien n'est supprimé)."
        )
    print("Aucune fiche n'a été modifiée. Quand une structure confirme : python -m generator verified ID")
    return 0


def verified(args: argparse.Namespace) -> int:
    """Set `verified` (and `source`) of the records named, then check the directory again."""
    from .campaign import VerifiedError, mark_verified
    from .editing import EditConflict

    folder = _records_folder(args)
    if folder is None:
        return 1
    today = args.today or default_today()
    try:
        marked = mark_verified(folder, args.ids, args.on or today, today, args.source)
    except (VerifiedError, EditConflict) as error:
        print(f"erreur : {error}", file=sys.stderr)
        return 1
    for item in marked:
        change = f"vérifiée {item.before} -> {item.after}" if item.changed else f"déjà vérifiée {item.after}"
        if item.changed and args.source is not None:
            change += ", source indiquée"
        print(f"{item.path} : {change}")
    project = _load(args)
    concerned = {item.path.resolve() for item in marked}
    if project.report.errors:
        _print_report(project.report)
    else:  # what is still to do in the records just marked (an ended permanence, an old notice)
        for problem in project.report.sorted():
            if problem.path.resolve() in concerned:
                print(problem.format(relative_to=Path.cwd()), file=sys.stderr)
    stale = sum(1 for p in project.report.warnings if "pas vérifiée depuis plus de" in p.message)
    print(
        f"{sum(m.changed for m in marked)} fiche(s) marquée(s) comme vérifiée(s). Nouvelle vérification : "
        f"{len(project.report.errors)} erreur(s), {stale} fiche(s) toujours pas vérifiée(s) depuis 12 mois."
    )
    return 1 if project.report.errors else 0


COMMANDS = {
    "check": check,
    "build": build,
    "region-index": region_index,
    "serve": serve,
    "quality": quality,
    "new": new,
    "import": import_records,
    "synth": synth,
    "sheet": sheet,
    "schema": schema,
    "campaign": campaign,
    "verified": verified,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except FileRefused as refused:  # a file the gate refused where no command expected one (`guarded`)
        print(f"{refused.path}: erreur : {refused.reason}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug of ours: say so plainly, keep the traceback for developers
        if os.environ.get("PORTAL_DEBUG"):
            traceback.print_exc()
        print(
            f"erreur interne : {type(error).__name__} : {error}\n"
            "C'est un défaut du générateur, pas de vos fiches. Merci de le signaler "
            "(relancez avec PORTAL_DEBUG=1 pour voir le détail).",
            file=sys.stderr,
        )
        return 2
