"""After the engine: one pass over each language's built site.

The engine (MkDocs, ProperDocs...) only puts the theme around our pages; what
we change in its HTML is done here, on the files it wrote, so that it does not
depend on the engine's plugin hooks (Zensical runs none):

- the theme's invalid markup corrected, `dir` on <html>, the menu's checkbox
  named (`theme_html.corrected`), on every page the engine rendered;
- the theme's files that no page loads deleted (`UNUSED_THEME_FILES`).

A file the engine copied from the docs folder as it was (a hand-written `.html`
file) is not a page it rendered: it is left alone. In a dirty build (the
preview), only the pages the engine wrote again are corrected: `snapshot`
before the engine runs, `finish_language` after.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import material.templates

from .theme_html import corrected

#: Theme files no page loads: its script bundle (see the `config` and `scripts` blocks of
#: overrides/main.html), its search worker and Lunr (the search is Pagefind's), and the
#: source maps of both. 2.4 MB a language, not published.
UNUSED_THEME_FILES = ("assets/javascripts/bundle.", "assets/javascripts/workers/", "assets/javascripts/lunr/")

#: The theme's own templates (its `partials/languages/<code>.html` give the menu's name).
THEME_TEMPLATES = Path(material.templates.__path__[0])

Snapshot = dict[str, int]


def menu_name(theme_language: str, custom_dir: Path | None, extra: Mapping[str, Any] | None = None) -> str:
    """The theme's own word for its navigation as its menu says it, as text: through the
    overrides' `partials/language.html` when the territory has one, which read the words
    of a language the theme lacks from `extra` (the work folder's `extra:`, `theme_data`)."""
    folders = [str(custom_dir)] if custom_dir is not None else []
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader([*folders, str(THEME_TEMPLATES)]))
    template = environment.from_string('{% import "partials/language.html" as lang with context %}{{ lang.t("nav") }}')
    return html.unescape(template.render(config={"theme": {"language": theme_language}, "extra": extra or {}}))


def snapshot(site: Path) -> Snapshot:
    """When each HTML file of a language's site last changed (before a dirty build)."""
    if not site.is_dir():
        return {}
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in site.rglob("*.html")}


def _unused(relative: str, folder: bool) -> bool:
    if folder:
        return f"{relative}/".startswith(UNUSED_THEME_FILES)
    return relative.startswith(UNUSED_THEME_FILES) or (relative.startswith("assets/") and relative.endswith(".map"))


def finish_language(site: Path, docs: Path, direction: str, menu: str, before: Snapshot | None = None) -> int:
    """Correct the pages the engine rendered into `site` (those changed since `before`, when
    given) and delete the theme's unused files; return how many pages were corrected."""
    count = 0
    for path in sorted(site.rglob("*")):
        relative = path.relative_to(site).as_posix()
        if _unused(relative, path.is_dir()):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
            continue
        if path.suffix != ".html" or not path.is_file() or (docs / relative).is_file():
            continue  # not a page, or a file copied from the docs folder as it was
        if before is not None and before.get(relative) == path.stat().st_mtime_ns:
            continue  # not written again by this (dirty) build
        html = path.read_bytes().decode("utf-8")  # as written: no line ending translated
        fixed = corrected(html, direction, menu)
        if fixed != html:
            path.write_bytes(fixed.encode("utf-8"))
        count += 1
    return count
