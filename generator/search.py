"""Search: a Pagefind index of each language's pages, next to them.

Pagefind splits the index in small pieces: a search downloads the pieces its
words need (a few dozen kilobytes), where the theme's search loaded one index of
the whole site (megabytes for a département). Each language's index is in its
own folder (``<lang>/pagefind/``), so that languages built apart (a CI matrix)
put together need nothing more. Only the article of a page is indexed
(``data-pagefind-body``, see ``overrides/main.html``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

#: Where the index goes, inside a language's site.
BUNDLE = "pagefind"


class SearchIndexError(Exception):
    """Pagefind could not index a language's pages; the message says why."""


def index_language(site: Path, language: str) -> None:
    """Index the pages of one language's built site (`site` is its folder)."""
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
        # one index in the language of the site, stemmed where Pagefind knows the language
        "--force-language", language.split("-")[0], "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SearchIndexError(f"the search index of '{language}' failed: {(result.stderr or result.stdout).strip()}")
    # Pagefind's ready-made interfaces: the portal has its own search page (portal-search.js).
    for unused in (site / BUNDLE).glob("pagefind-*ui.*"):
        unused.unlink()
    (site / BUNDLE / "pagefind-highlight.js").unlink(missing_ok=True)
