"""Command line: ``python -m generator check|build|region-index|serve|quality|new|import|synth``.

Exit codes: 0 when everything is fine (warnings do not fail), 1 when the
records or the build have errors, 2 when the generator itself failed.
Problems are printed as ``path:line: severity: message``; no traceback is
ever shown to a coordinator (set PORTAL_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Callable, Sequence, TextIO

from . import opendata
from .site.build import SITE_MARKER, BuildError, build_site
from .config import PortalConfig, load_config
from .records.directory import Directory, build_directory
from .problems import Report
from .records.schedule import TIMEZONE
from .records.subset import SubsetError, chosen_communes, parse_codes, restrict
from .i18n.coverage import report_translations
from .records.types import ID_PATTERN, slugify
from .records.validate import PLACEHOLDER, Records, validate_directory, validate_guides


def default_today() -> dt.date:
    """The build date: SOURCE_DATE_EPOCH when set (reproducible builds), else today in Paris."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), TIMEZONE).date()
    return dt.datetime.now(TIMEZONE).date()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date: expected YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Check the records of a care-access portal and build its static site.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    common.add_argument(
        "--directory", type=Path, default=None, help="the records folder (default: the one mkdocs.yml names, directory/)"
    )
    common.add_argument(
        "--today", type=_date, default=None, help="the date to compute next sessions from, YYYY-MM-DD (default: today)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", parents=[common], help="check the records and list every problem")
    check.add_argument(
        "--format", choices=("text", "github", "gitlab"), default="text",
        help="text (default); github: annotations in a GitHub Actions run; "
        "gitlab: a code quality report (JSON, on standard output) for GitLab merge requests",
    )
    check.add_argument(
        "--translations", action="store_true",
        help="list every record text that has no translation yet, language by language",
    )
    build = commands.add_parser("build", parents=[common], help="check, then build the site")
    build.add_argument("--site-dir", type=Path, default=Path("site"), help="where to write the site (default: site)")
    build.add_argument(
        "--languages", default=None, metavar="LANG,LANG",
        help="build only these languages of mkdocs.yml, comma-separated, like fr or fr,en (default: all); "
        "builds of different languages put together make the whole site",
    )
    part = build.add_mutually_exclusive_group()
    part.add_argument(
        "--departements", default=None, metavar="CODE,CODE",
        help="build only the communes of these départements of territory.yml, like 35 or 35,44 (the start of "
        "the INSEE codes: 2 characters, 3 overseas like 974): the services and permanences located there, "
        "every dispositif and pathway. One site per département, side by side with region-index, makes a "
        "regional portal (ci-templates/github-actions-regional.yml)",
    )
    part.add_argument(
        "--communes", default=None, metavar="INSEE,INSEE",
        help="build only these communes of territory.yml, by INSEE code (not postcode), like 35236,35013",
    )
    build.add_argument(
        "--site-url", default=None, metavar="URL",
        help="where this site will be published, when it is not site_url of mkdocs.yml, like "
        "https://sante.example.org/35/ for a département of a regional portal (QR codes, links sent, open data)",
    )
    region = commands.add_parser(
        "region-index", parents=[common],
        help="write the page of a regional portal that links its départements' sites, built into SITE/<code>/",
    )
    region.add_argument(
        "--site-dir", type=Path, default=Path("site"),
        help="the folder that holds one site per département, like site/35/ (default: site); "
        "the page is written as its index.html",
    )
    region.add_argument(
        "--departements", default=None, metavar="CODE,CODE",
        help="the départements to link, in this order (default: every département of territory.yml)",
    )
    quality = commands.add_parser(
        "quality", help="check a built site: valid HTML, internal links, no third-party loads, accessibility (axe)"
    )
    quality.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    quality.add_argument("--site-dir", type=Path, default=Path("site"), help="the built site (default: site)")
    quality.add_argument(
        "--site-url", default=None, metavar="URL",
        help="where the site will be published, when it is not site_url of mkdocs.yml: the --site-url it was "
        "built with (links from the site's root, like those of 404 pages, start with its path)",
    )
    quality.add_argument(
        "--axe", nargs="*", metavar="LANG", default=None,
        help="also run axe-core in headless Chromium on every kind of page of these languages (default: none)",
    )
    new = commands.add_parser("new", help="write a commented template record to fill in")
    new.add_argument("kind", choices=sorted(NEW_KINDS), help="the kind of record")
    new.add_argument("id", help="the record's id, its file name: lowercase letters, digits and hyphens, like msp-redon")
    new.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    new.add_argument("--directory", type=Path, default=None, help="the records folder (default: the one mkdocs.yml names)")
    imports = commands.add_parser(
        "import", help="turn records published elsewhere into YAML records (data·inclusion JSON or CSV)"
    )
    imports.add_argument("format", choices=["data-inclusion"], help="the format of the files")
    imports.add_argument("files", type=Path, nargs="+", metavar="FILE",
                         help="data·inclusion services and/or structures files (.json or .csv)")
    imports.add_argument("--config", type=Path, default=Path("mkdocs.yml"), help="the site configuration (default: mkdocs.yml)")
    imports.add_argument("--directory", type=Path, default=None, help="the records folder (default: the one mkdocs.yml names)")
    imports.add_argument("--today", type=_date, default=None, help="the import date written in the records (default: today)")
    synth = commands.add_parser(
        "synth", help="write a synthetic territory of fictional records, to test the portal at scale"
    )
    synth.add_argument("--services", type=int, required=True, metavar="N", help="how many services")
    synth.add_argument("--communes", type=int, required=True, metavar="C", help="how many communes")
    synth.add_argument("--out", type=Path, required=True, metavar="DIR", help="the records folder to write (new or empty)")
    synth.add_argument("--seed", type=int, default=0, help="the same seed gives the same files (default: 0)")
    synth.add_argument("--languages", default="fr,en,ar", help="languages of the translated texts (default: fr,en,ar)")
    synth.add_argument(
        "--today", type=_date, default=None,
        help="records are checked within 6 months before this date, YYYY-MM-DD (default: 2026-11-23)",
    )
    serve = commands.add_parser("serve", parents=[common], help="preview the site, rebuilt when a file changes")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: 127.0.0.1:8000)")
    serve.add_argument(
        "--languages", default=None, metavar="LANG,LANG",
        help="preview these languages, comma-separated (default: the first language of mkdocs.yml only)",
    )
    return parser


def _print_report(report: Report, out: TextIO | None = None) -> None:
    out = out or sys.stderr  # looked up now: tests and callers may have replaced it
    cwd = Path.cwd()
    for problem in report.sorted():
        print(problem.format(relative_to=cwd), file=out)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s).", file=out)


def load(
    args: argparse.Namespace, part: Callable[[Records], Records] | None = None
) -> tuple[PortalConfig | None, Directory | None, Report]:
    """Load the configuration and the records (`part` of them); both are None on errors.

    `part` raises SubsetError when it cannot be taken: the caller says why.
    """
    report = Report()
    config = load_config(args.config, report, args.directory)
    if config is None:
        return None, None, report
    today = args.today or default_today()
    records = validate_directory(config.directory, report, today)
    if records is not None:
        validate_guides(records, config.content, report)
    if records is None or report.errors:
        return config, None, report
    report_translations(records, config.languages, report, detailed=getattr(args, "translations", False))
    if part is not None:
        records = part(records)
    directory = build_directory(records, today)
    for left_out in opendata.rejected(directory, producer=config.open_data["producer"] or None):
        document = records.documents[(left_out.kind, left_out.rid)]
        report.warning(document.path, document.line_of(left_out.where),
                       f"left out of the data·inclusion export: {left_out.field}: {left_out.message}")
    return config, directory, report


def check(args: argparse.Namespace) -> int:
    config, directory, report = load(args)
    if args.format == "github":
        for problem in report.sorted():
            print(problem.github())
    elif args.format == "gitlab":
        print(json.dumps([problem.gitlab() for problem in report.sorted()], ensure_ascii=False, indent=1))
    _print_report(report)
    if directory is None:
        return 1
    counts = (
        f"{len(directory.services)} services, {len(directory.permanences)} permanences, "
        f"{len(directory.dispositifs)} dispositifs, {len(directory.pathways)} pathways"
    )
    print(f"Records checked: {counts}, {len(directory.communes)} communes.", file=sys.stderr if args.format == "gitlab" else sys.stdout)
    return 0


#: A public address, as --site-url takes it.
SITE_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")


def _is_site_url(url: str | None) -> bool:
    """True when --site-url is absent or a web address; otherwise says what is expected."""
    if url is None or SITE_URL.match(url):
        return True
    print(f"error: --site-url {url}: not a web address: expected https://... , like https://sante.example.org/35/",
          file=sys.stderr)
    return False


def _part(args: argparse.Namespace) -> tuple[str, Callable[[Records], Records]] | None:
    """`build --departements` or `--communes`: the option as given, and the part of the records it keeps."""
    if args.departements is not None:
        departements = parse_codes(args.departements)
        return f"--departements {args.departements}", \
            lambda records: restrict(records, chosen_communes(records.territory, departements=departements))
    if args.communes is not None:
        communes = parse_codes(args.communes)
        return f"--communes {args.communes}", \
            lambda records: restrict(records, chosen_communes(records.territory, communes=communes))
    return None


def build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if not _is_site_url(args.site_url):
        return 1
    option, part = _part(args) or ("", None)
    try:
        config, directory, report = load(args, part)
    except SubsetError as error:
        print(f"error: {option}: {error}", file=sys.stderr)
        print("Nothing was built.", file=sys.stderr)
        return 1
    _print_report(report)
    if config is None or directory is None:
        print("Nothing was built: fix the errors above first.", file=sys.stderr)
        return 1
    if args.site_url is not None:
        config = dataclasses.replace(config, site_url=args.site_url)
    try:
        languages = tuple(code.strip() for code in args.languages.split(",") if code.strip()) if args.languages else None
        results = build_site(config, directory, args.site_dir, languages=languages)
    except BuildError as error:
        print(f"error: {error}", file=sys.stderr)
        print(f"Nothing was changed in {args.site_dir}.", file=sys.stderr)
        return 1
    pages = sum(r.pages for r in results)
    seconds = time.perf_counter() - started
    languages = ", ".join(r.language for r in results)
    communes = f", {len(directory.communes)} communes of {option}" if option else ""
    print(f"Site built in {args.site_dir}: {pages} pages ({languages}{communes}) in {seconds:.1f} s.")
    return 0


def region_index(args: argparse.Namespace) -> int:
    """`site/index.html`: the regional page linking the départements' sites, each built into `site/<code>/`."""
    from .records.departements import departement_of
    from .site.region import region_page

    config, directory, report = load(args)
    _print_report(report)
    if config is None or directory is None:
        print("Nothing was written: fix the errors above first.", file=sys.stderr)
        return 1
    territory = directory.territory
    codes = parse_codes(args.departements) if args.departements is not None \
        else tuple(sorted({departement_of(c.insee) for c in territory.communes}))
    try:
        chosen_communes(territory, departements=codes)
    except SubsetError as error:
        print(f"error: --departements {args.departements}: {error}", file=sys.stderr)
        return 1
    if (args.site_dir / SITE_MARKER).is_file():
        print(f"error: {args.site_dir} is one portal built by 'build', not a folder of département sites: "
              f"build each département into {args.site_dir}/<code>/ (build --departements 35 --site-dir "
              f"{args.site_dir}/35)", file=sys.stderr)
        return 1
    missing = [code for code in codes if not (args.site_dir / code / SITE_MARKER).is_file()]
    if missing:
        print(f"error: no site built for {', '.join(missing)} in {args.site_dir}: build each département first, "
              f"like 'python -m generator build --departements {missing[0]} --site-dir {args.site_dir}/{missing[0]}'",
              file=sys.stderr)
        return 1
    built = [
        (code, [language for language in config.languages if (args.site_dir / code / language / "index.html").is_file()])
        for code in codes
    ]
    page = args.site_dir / "index.html"
    text = region_page(config.site_name, territory.description, config.default_language, built)
    page.write_text(text, encoding="utf-8")
    print(f"Regional index written: {page}, linking {', '.join(codes)}.")
    return 0


def serve(args: argparse.Namespace) -> int:
    from .site.preview import serve as serve_preview

    def load_now() -> tuple[PortalConfig | None, Directory | None]:
        config, directory, report = load(args)
        _print_report(report)
        return config, directory

    def languages(config: PortalConfig) -> tuple[str, ...]:
        # The first language unless told otherwise: one rebuilds several times faster than all.
        chosen = tuple(code.strip() for code in args.languages.split(",") if code.strip()) if args.languages else ()
        return chosen or config.languages[:1]

    host, _, port = args.dev_addr.rpartition(":")
    ok = serve_preview(load_now, languages, host or "127.0.0.1", int(port), lambda text: print(text, file=sys.stderr))
    return 0 if ok else 1


#: `new KIND`: the folder of that kind of record, and its template (generator/templates/new/).
NEW_KINDS = {"service": "services", "permanence": "permanences", "dispositif": "dispositifs"}
NEW_TEMPLATES = Path(__file__).parent / "templates" / "new"


def _records_folder(args: argparse.Namespace) -> Path | None:
    """--directory, or the folder mkdocs.yml names; None (reported) when the configuration is wrong."""
    if args.directory is not None:
        return args.directory
    report = Report()
    config = load_config(args.config, report)
    _print_report(report)
    return None if config is None else config.directory


def new(args: argparse.Namespace) -> int:
    """Write `directory/<kind>s/<id>.yml` from the template, without overwriting anything."""
    if not ID_PATTERN.match(args.id):
        print(
            f"error: '{args.id}' is not a valid id: use lowercase letters, digits and hyphens, "
            f"like '{slugify(args.id) or 'maison-de-sante'}'",
            file=sys.stderr,
        )
        return 1
    directory = _records_folder(args)
    if directory is None:
        return 1
    target = directory / NEW_KINDS[args.kind] / f"{args.id}.yml"
    if target.exists():
        print(f"error: {target} already exists: choose another id, or edit that file", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (NEW_TEMPLATES / f"{args.kind}.yml").read_text(encoding="utf-8").replace("__ID__", args.id)
    target.write_text(text, encoding="utf-8")
    print(f"Written {target}: replace each '{PLACEHOLDER}' with the value, then run 'make check'.")
    return 0


def quality(args: argparse.Namespace) -> int:
    """The quality gates on a built site; problems as `page:line: gate: message`."""
    from urllib.parse import urlsplit

    from .quality import CheckerMissing, check_site
    from .quality.accessibility import BrowserMissing, accessibility_findings
    from .quality.serve import serving

    report = Report()
    config = load_config(args.config, report)
    _print_report(report)
    if config is None:
        return 1
    if not (args.site_dir / "index.html").is_file():
        print(f"error: no site in {args.site_dir}: run 'python -m generator build' first", file=sys.stderr)
        return 1
    if not _is_site_url(args.site_url):
        return 1
    site_url = args.site_url or config.site_url
    own_host = urlsplit(site_url).hostname if site_url else None
    folder = urlsplit(site_url).path.strip("/") if site_url else ""
    try:
        result = check_site(args.site_dir, own_host=own_host, root=f"/{folder}/" if folder else "/")
        if args.axe is not None:
            languages = args.axe or list(config.languages)
            with serving(args.site_dir) as base_url:
                result.findings += accessibility_findings(args.site_dir, base_url, languages)
            result.gates.append("axe")
    except (CheckerMissing, BrowserMissing) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for finding in result.findings:
        print(finding.format(), file=sys.stderr)
    print(result.summary())
    return 0 if result.ok else 1


def import_records(args: argparse.Namespace) -> int:
    """Records that exist elsewhere, written under directory/services/; what could not be mapped is listed."""
    from .importing import import_data_inclusion

    directory = _records_folder(args)
    if directory is None:
        return 1
    report = Report()
    result = import_data_inclusion(args.files, directory, args.today or default_today(), report)
    _print_report(report)
    if result is None:
        print("Nothing was imported.", file=sys.stderr)
        return 1
    cwd = Path.cwd()

    def shown(path: Path) -> str:
        return str(path.resolve().relative_to(cwd.resolve())) if path.resolve().is_relative_to(cwd.resolve()) else str(path)

    for path in result.kept:
        print(f"{shown(path)}: kept as it is: edited by hand since the last import "
              "(delete the file to import it again)", file=sys.stderr)
    for path in result.hand_made:
        print(f"{shown(path)}: kept as it is: a record of the same name was not written by the import "
              "(rename one of them to import it)", file=sys.stderr)
    for path, origin in result.gone:
        print(f"{shown(path)}: {origin} is no longer in these files: check whether the place still exists, "
              "then delete or keep the record", file=sys.stderr)
    for first, second in result.clashes:
        print(f"warning: {second} gives the same file name as {first}: only {first} was imported", file=sys.stderr)
    for path, item in result.unmapped:
        print(f"{shown(path)}: not imported: {item.format()}", file=sys.stderr)
    print(
        f"data·inclusion import into {shown(directory / 'services')}: {len(result.created)} created, "
        f"{len(result.updated)} updated, {len(result.unchanged)} unchanged, "
        f"{len(result.kept) + len(result.hand_made)} kept (edited by hand), "
        f"{len(result.unmapped)} value(s) not imported."
    )
    if result.created or result.updated:
        print(f"Next: replace each '{PLACEHOLDER}' left in the new records, then run 'make check'.")
    return 1 if report.errors else 0


def synth(args: argparse.Namespace) -> int:
    """A synthetic territory under --out: fictional, deterministic from the seed."""
    from .records.synth import DEFAULT_TODAY, Settings, SynthError, parse_languages, write_territory

    started = time.perf_counter()
    try:
        settings = Settings(
            services=args.services, communes=args.communes, seed=args.seed,
            languages=parse_languages(args.languages), today=args.today or DEFAULT_TODAY,
        )
        written = write_territory(settings, args.out)
    except SynthError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"Synthetic territory written in {args.out}: {settings.services} services, "
        f"{settings.services // 3} permanences, {settings.communes} communes ({written} files) in {seconds:.1f} s."
    )
    print(f"Next: python -m generator check --directory {args.out}")
    return 0


COMMANDS = {"check": check, "build": build, "region-index": region_index, "serve": serve, "quality": quality, "new": new, "import": import_records, "synth": synth}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug of ours: say so plainly, keep the traceback for developers
        if os.environ.get("PORTAL_DEBUG"):
            traceback.print_exc()
        print(
            f"internal error: {type(error).__name__}: {error}\n"
            "This is a bug in the generator, not in your records. Please report it "
            "(run again with PORTAL_DEBUG=1 to see the details).",
            file=sys.stderr,
        )
        return 2
