"""The engine that puts the theme around a language's pages, and the pass after it.

`build` prepares each language's work folder (finished pages, navigation, a small
mkdocs.yml); an engine turns it into a site, then `finish` corrects the theme's
HTML. The engines:

- ``mkdocs`` (default): MkDocs 1.6, in this process.
- ``properdocs``: ProperDocs 1.6.7, a maintained fork of MkDocs 1.x that loads
  MkDocs plugins and themes. Installing it beside MkDocs changes nothing for
  MkDocs, but importing `properdocs.replacement` sends every later `mkdocs.*`
  import of the process to ProperDocs: so it runs in its own Python process,
  which imports it first.
- ``zensical``: not wired (see docs/engines.md): the command line says why.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import i18n
from .finish import finish_language, menu_name, snapshot

#: The engines `build --engine` knows, the default first.
ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT_ENGINE = ENGINES[0]
#: As their messages name them.
ENGINE_NAMES = {"mkdocs": "MkDocs", "properdocs": "ProperDocs", "zensical": "Zensical"}


@dataclass(frozen=True)
class LanguageResult:
    language: str
    ok: bool
    messages: tuple[str, ...]
    pages: int


class EngineUnavailable(Exception):
    """An engine that cannot build here; the message says why, in French, and what to do."""


def engine_problem(engine: str) -> str | None:
    """Why `engine` cannot build the site here (in French), or None."""
    if engine not in ENGINES:
        return f"moteur inconnu « {engine} » : choisissez {', '.join(ENGINES)}"
    if engine == "properdocs" and importlib.util.find_spec("properdocs") is None:
        return (
            "ProperDocs n'est pas installé : installez-le avec "
            "« pip install -c constraints.txt -e '.[properdocs]' », ou construisez avec le moteur par défaut (mkdocs)"
        )
    if engine == "zensical":
        return ZENSICAL_MISSING
    return None


#: What Zensical 0.1.4 does not do for the portal (measured: docs/engines.md).
ZENSICAL_MISSING = (
    "le moteur zensical ne peut pas encore construire le portail. Zensical 0.1.4 ignore le module "
    "« portal » de mkdocs.yml : essayé sur la démonstration, ses pages n'ont pas de table des matières "
    "(le lien « Aller au contenu » n'y mène nulle part), le sélecteur de langue mène à l'accueil "
    "plutôt qu'à la même page, et « Écouter » manque aux guides. Son thème (zensical-ui) ne s'installe pas "
    "depuis l'index des paquets. Construisez avec mkdocs (par défaut) ou properdocs ; "
    "docs/engines.md dit ce qui manque"
)


#: MkDocs' levels, as a coordinator reads them (its messages stay MkDocs' own).
_LEVELS = {"WARNING": "avertissement", "ERROR": "erreur", "CRITICAL": "erreur"}


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{_LEVELS.get(record.levelname, record.levelname.lower())} : {record.getMessage()}")


@dataclass(frozen=True)
class WorkSettings:
    """What the pass after the engine needs of a language's work folder (its mkdocs.yml, ours)."""

    docs: Path
    site: Path
    menu: str


def _work_settings(config_path: Path, site_dir: Path | None) -> WorkSettings:
    child = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    theme = child.get("theme") or {}
    custom_dir = theme.get("custom_dir")
    return WorkSettings(
        docs=Path(child["docs_dir"]),
        site=site_dir if site_dir is not None else Path(child["site_dir"]),
        menu=menu_name(theme.get("language") or "en", Path(custom_dir) if custom_dir else None, child.get("extra")),
    )


#: MkDocs' warning on every dirty build: the preview's are made to be right (see preview.py).
_DIRTY_WARNING = "avertissement : A 'dirty' build"


def run_mkdocs(
    config_path: Path, language: str, *, site_dir: Path | None = None, dirty: bool = False
) -> LanguageResult:
    """Run MkDocs on a prepared language; warnings fail it, as --strict does.

    `dirty`: only the pages whose Markdown is newer than their HTML (the preview).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    overrides = {"site_dir": str(site_dir)} if site_dir is not None else {}
    work = _work_settings(config_path, site_dir)
    before = snapshot(work.site) if dirty else None
    collect = _Collect()
    # ProperDocs logs as "properdocs"; MkDocs, and our plugin under either, as "mkdocs".
    loggers = [logging.getLogger(name) for name in ("mkdocs", "properdocs")]
    for logger in loggers:
        logger.addHandler(collect)
        logger.propagate = False
        logger.setLevel(logging.INFO)
    try:
        mkdocs_config = load_config(config_file=str(config_path), strict=not dirty, **overrides)
        build(mkdocs_config, dirty=dirty)
    except (MkDocsException, SystemExit) as error:
        messages = collect.messages or [f"erreur : {error}"]
        return LanguageResult(language, False, tuple(messages), 0)
    except Exception as error:  # a plugin or theme bug: report it, without a traceback
        return LanguageResult(language, False, (*collect.messages, f"erreur : {type(error).__name__} : {error}"), 0)
    finally:
        for logger in loggers:
            logger.removeHandler(collect)
    site = Path(mkdocs_config["site_dir"])
    finish_language(site, work.docs, i18n.direction(language), work.menu, before)
    pages = sum(1 for _ in site.rglob("*.html"))
    problems = tuple(m for m in collect.messages if not m.startswith(_DIRTY_WARNING))
    if problems:
        return LanguageResult(language, False, problems, pages)
    return LanguageResult(language, True, (), pages)


def run_engine(
    engine: str, config_path: Path, language: str, *, site_dir: Path | None = None, dirty: bool = False
) -> LanguageResult:
    """Build a prepared language with `engine`, then correct what it wrote (`finish`)."""
    problem = engine_problem(engine)
    if problem is not None:
        return LanguageResult(language, False, (f"erreur : {problem}",), 0)
    if engine == "properdocs":
        return _in_own_process(engine, config_path, language, site_dir=site_dir, dirty=dirty)
    return run_mkdocs(config_path, language, site_dir=site_dir, dirty=dirty)


#: The package folder's parent: the process of another engine imports this same `generator`.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]

_RUNNER = """\
import json, sys
import properdocs.replacement  # from here on, every mkdocs.* import is ProperDocs'
from dataclasses import asdict
from pathlib import Path
from generator.site.engines import run_mkdocs
config, language, site_dir, dirty, out = sys.argv[1:]
result = run_mkdocs(Path(config), language, site_dir=Path(site_dir) if site_dir else None, dirty=dirty == "1")
Path(out).write_text(json.dumps(asdict(result)), encoding="utf-8")
"""


def _in_own_process(
    engine: str, config_path: Path, language: str, *, site_dir: Path | None, dirty: bool
) -> LanguageResult:
    """Run the MkDocs-compatible `engine` in a Python process of its own (see the module's note)."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_PACKAGE_ROOT), os.environ.get("PYTHONPATH")])),
    }
    environment["DISABLE_MKDOCS_2_WARNING"] = "true"
    with tempfile.TemporaryDirectory(prefix="portal-engine-") as folder:
        out = Path(folder) / "result.json"
        arguments = [str(config_path), language, str(site_dir or ""), "1" if dirty else "0", str(out)]
        process = subprocess.run(
            [sys.executable, "-c", _RUNNER, *arguments], env=environment, capture_output=True, text=True
        )
        if process.returncode != 0 or not out.is_file():
            lines = [line for line in process.stderr.splitlines() if line.strip()][-5:]
            return LanguageResult(language, False, (f"erreur : {engine} s'est arrêté : " + " / ".join(lines),), 0)
        data = json.loads(out.read_text(encoding="utf-8"))
    return LanguageResult(data["language"], data["ok"], tuple(data["messages"]), data["pages"])
